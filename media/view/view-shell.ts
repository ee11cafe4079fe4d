import type { Host } from './host.js';
import type { LineChart } from './line-chart.js';
import { readPalette, watchTheme, type Palette } from './theme.js';

/** Per chart: rows of x, and non-null points of each series. */
export type SeriesCounts = Record<string, { rows: number; points: number[] }>;

/** What tests and the benchmark read of either view through its window global. */
export interface ShellDebug<State> {
  receive(message: unknown): void;
  /** Renders pending changes now; returns the milliseconds it took. */
  renderNow(): number;
  state(): State;
  invalidMessages(): number;
  /** Per uPlot chart: rows of x, and non-null points of each series. */
  series(): SeriesCounts;
}

/** Rows of x and non-null points of each series, per drawn chart. */
export function seriesCounts(charts: Record<string, LineChart>): SeriesCounts {
  const result: SeriesCounts = {};
  for (const [name, chart] of Object.entries(charts)) {
    const data = chart.uplot?.data;
    if (!data) continue;
    const points = data.slice(1).map((column) => {
      let count = 0;
      for (let i = 0; i < column.length; i++) if (column[i] !== null && column[i] !== undefined) count++;
      return count;
    });
    result[name] = { rows: data[0].length, points };
  }
  return result;
}

/**
 * What both views do alike: validate host messages, keep the UI state in the
 * host, redraw what changed once per frame, and follow the theme.
 */
export abstract class ViewShell<State, Message> {
  protected state: State;
  protected palette: Palette;
  private frame: number | undefined;
  private invalid = 0;

  constructor(
    protected readonly root: HTMLElement,
    protected readonly host: Host,
    restore: (saved: unknown) => State,
  ) {
    this.state = restore(host.loadState());
    this.palette = readPalette();
  }

  start(): void {
    this.host.start((message) => this.receive(message));
    this.renderNow();
  }

  receive(message: unknown): void {
    if (!this.isMessage(message)) {
      this.invalid++;
      console.warn('layerlab: ignored an invalid message from the host', message);
      return;
    }
    this.apply(message);
    this.schedule();
  }

  /** Is `message` one this view takes (the protocol's guard)? */
  protected abstract isMessage(message: unknown): message is Message;
  /** Applies a valid message to the store and marks what it changed. */
  protected abstract apply(message: Message): void;
  /** Draws what is pending. */
  protected abstract render(): void;
  /** The theme changed the palette: hand it to the charts and mark what to redraw. */
  protected abstract paletteChanged(palette: Palette): void;

  /** Messages the store dropped after they passed the guard. */
  protected malformedMessages(): number {
    return 0;
  }

  protected debugShell(charts: () => Record<string, LineChart>): ShellDebug<State> {
    return {
      receive: (message) => this.receive(message),
      renderNow: () => {
        const started = performance.now();
        this.renderNow();
        return performance.now() - started;
      },
      state: () => this.state,
      invalidMessages: () => this.invalid + this.malformedMessages(),
      series: () => seriesCounts(charts()),
    };
  }

  /** Changes the UI state and has the host keep it. */
  protected saveState(patch: Partial<State>): void {
    this.state = { ...this.state, ...patch };
    this.host.saveState(this.state);
  }

  protected schedule(): void {
    if (this.frame !== undefined) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = undefined;
      this.renderNow();
    });
  }

  protected renderNow(): void {
    if (this.frame !== undefined) {
      cancelAnimationFrame(this.frame);
      this.frame = undefined;
    }
    this.render();
  }

  /** Follows theme switches: a new palette goes to `paletteChanged`, then a redraw. */
  protected watchPalette(): void {
    watchTheme(() => {
      const palette = readPalette();
      if (JSON.stringify(palette) === JSON.stringify(this.palette)) return;
      this.palette = palette;
      this.paletteChanged(palette);
      this.schedule();
    });
  }
}
