import type { ExportFile } from '../view/chart-frame.js';
import { chartFrame } from '../view/chart-frame.js';
import { el, LazyTable } from '../view/dom.js';
import { fileBase } from '../view/export.js';
import { formatDecimal } from '../view/format.js';
import { LineChart, type LineChartOptions } from '../view/line-chart.js';
import type { Palette } from '../view/theme.js';
import { trialColors } from './score-colors.js';
import type { SearchEntry, TrialEntry } from './search-store.js';

const objectiveOf = (logs: object, name: string): number | null => {
  const value = (logs as Readonly<Record<string, unknown>>)[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
};

/**
 * The objective per epoch of every trial that trained, on one chart: a colour
 * per trial however many there are (trialColors), the best trial's line
 * thicker; hovering near a line brings it forward.
 */
export class ObjectiveOverlay {
  readonly root: HTMLElement;
  private readonly chart: LineChart;
  private readonly table = new LazyTable();
  private readonly empty = el('p', { className: 'empty', text: 'No trial has finished an epoch yet.' });
  private readonly frameRoot: HTMLElement;
  private palette: Palette;
  private seriesKey = '';
  private options: LineChartOptions;
  private model = 'search';
  private shown: { trials: readonly TrialEntry[]; name: string; bestId: string | undefined } = { trials: [], name: 'objective', bestId: undefined };

  constructor(palette: Palette, exportFile: ExportFile) {
    this.palette = palette;
    const frame = chartFrame('Objective of every trial', { name: () => fileBase(`${this.model}-objective-per-trial`), svg: () => this.chart.toSvg(), png: () => this.chart.toPng() }, exportFile);
    frame.table.append(this.table.root);
    this.frameRoot = frame.root;
    this.root = el('section', { className: 'objective-overlay', attrs: { 'aria-label': 'Objective of every trial' } }, [this.empty, frame.root]);
    this.options = this.optionsFor([], 'objective', undefined);
    this.chart = new LineChart(frame.body, this.options, palette);
  }

  setPalette(palette: Palette): void {
    this.palette = palette;
    this.options = this.optionsFor(this.shown.trials, this.shown.name, this.shown.bestId);
    this.chart.configure(this.options, palette);
  }

  show(search: SearchEntry | undefined, bestId: string | undefined): void {
    const trials = search ? [...search.trials.values()].filter((t) => t.history.length > 0).sort((a, b) => a.id.localeCompare(b.id)) : [];
    const name = search?.objective.name ?? 'objective';
    this.model = search?.model ?? 'search';
    this.empty.hidden = trials.length > 0;
    this.frameRoot.hidden = trials.length === 0;
    const key = `${name}\n${bestId ?? ''}\n${trials.map((t) => t.id).join(',')}`;
    if (key !== this.seriesKey) {
      this.seriesKey = key;
      this.shown = { trials, name, bestId };
      this.options = this.optionsFor(trials, name, bestId);
      this.chart.configure(this.options, this.palette);
    }
    const epochs = [...new Set(trials.flatMap((t) => t.history.map((h) => h.epoch)))].sort((a, b) => a - b);
    const columns = trials.map((t) => {
      const byEpoch = new Map(t.history.map((h) => [h.epoch, objectiveOf(h, name)]));
      return epochs.map((e) => byEpoch.get(e) ?? null);
    });
    this.chart.setData([epochs, ...columns]);
    this.table.set(() => ({
      caption: `${name} per epoch of each trial`,
      header: ['Epoch', ...trials.map((t) => `trial ${t.id}`)],
      rows: epochs.map((e, row) => [String(e), ...columns.map((c) => formatDecimal(c[row] ?? null))]),
    }));
  }

  charts(): Record<string, LineChart> {
    return { overlay: this.chart };
  }

  private optionsFor(trials: readonly TrialEntry[], name: string, bestId: string | undefined): LineChartOptions {
    const colors = trialColors(trials.length, this.palette);
    return {
      title: `${name} of every trial`,
      xLabel: 'epoch',
      integerX: true,
      yLabel: name,
      focus: true,
      series: trials.map((t, i) => ({ label: `trial ${t.id}${t.id === bestId ? ' (best)' : ''}`, colorIndex: i, ...(colors[i] !== undefined ? { color: colors[i] } : {}), width: t.id === bestId ? 3.5 : 1.5 })),
    };
  }
}
