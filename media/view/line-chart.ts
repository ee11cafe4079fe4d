import uPlot from 'uplot';
import { seriesColor, type Palette } from './theme.js';
import { uplotToSvg, type SvgSeriesStyle } from './uplot-svg.js';

export interface SeriesSpec {
  readonly label: string;
  readonly colorIndex: number;
  /** A colour of its own (any CSS colour) instead of the palette's series colour `colorIndex`. */
  readonly color?: string;
  readonly width: number;
  /** Light series (per-batch values) are drawn behind, faded. */
  readonly alpha?: number;
  readonly dash?: readonly number[];
}

export interface LineChartOptions {
  readonly title: string;
  readonly xLabel: string;
  /** Ticks on the x axis at whole numbers only (epochs). */
  readonly integerX?: boolean;
  readonly yLabel: string;
  readonly series: readonly SeriesSpec[];
  readonly logScale?: boolean;
  /** The x of a vertical marker (the best epoch), or undefined for none. */
  readonly marker?: () => number | undefined;
  readonly markerLabel?: string;
  /** Hovering near a line brings it forward and fades the others (charts with many series). */
  readonly focus?: boolean;
}

const colorOf = (palette: Palette, s: SeriesSpec): string => s.color ?? seriesColor(palette, s.colorIndex);

const chartHeight = 240;
/** Tick steps for whole-number axes: 1, 2, 5, 10, 20, 50, … */
const integerIncrements = Array.from({ length: 30 }, (_, i) => ([1, 2, 5][i % 3] ?? 1) * 10 ** Math.floor(i / 3));

/** One uPlot line chart that fills its container's width; data goes in by setData (no copies). */
export class LineChart {
  readonly element: HTMLElement;
  private plot: uPlot | undefined;
  private data: uPlot.AlignedData = [[]];
  private palette: Palette;
  private options: LineChartOptions;
  private lastWidth = 0;

  constructor(parent: HTMLElement, options: LineChartOptions, palette: Palette) {
    this.element = document.createElement('div');
    this.element.className = 'chart';
    this.element.setAttribute('role', 'img');
    this.element.setAttribute('aria-label', `${options.title} chart; the table below has its values`);
    parent.append(this.element);
    this.options = options;
    this.palette = palette;
    new ResizeObserver(() => this.fitWidth()).observe(this.element);
  }

  /** Recreates the chart (new colours, log scale, series); the data is kept. */
  configure(options: LineChartOptions, palette: Palette): void {
    this.options = options;
    this.palette = palette;
    this.plot?.destroy();
    this.plot = undefined;
    this.element.textContent = '';
    this.ensurePlot();
  }

  setData(data: uPlot.AlignedData): void {
    this.data = data;
    const plot = this.ensurePlot();
    // batch() draws now instead of in a microtask, so a render's cost is measured where it happens.
    plot?.batch(() => plot.setData(data, true));
  }

  /** Whether the chart is drawn (it is not while its tab is hidden). */
  get uplot(): uPlot | undefined {
    return this.plot;
  }

  fitWidth(): void {
    const width = this.element.clientWidth;
    if (width <= 0 || width === this.lastWidth) return;
    this.lastWidth = width;
    if (!this.plot) this.ensurePlot();
    else this.plot.setSize({ width, height: chartHeight });
  }

  toSvg(): string | undefined {
    if (!this.plot) return undefined;
    const { options, palette } = this;
    const marker = options.marker?.();
    return uplotToSvg(this.plot, {
      title: options.title,
      xLabel: options.xLabel,
      ...(options.integerX ? { integerX: true } : {}),
      yLabel: options.yLabel,
      series: options.series.map((s): SvgSeriesStyle => ({ label: s.label, color: colorOf(palette, s), width: s.width, alpha: s.alpha ?? 1, ...(s.dash ? { dash: s.dash } : {}) })),
      palette,
      ...(marker !== undefined ? { markerX: marker, markerLabel: options.markerLabel ?? '' } : {}),
    });
  }

  /** The canvas on the theme's background with the title above, as PNG (base64). */
  toPng(): string | undefined {
    if (!this.plot) return undefined;
    const source = this.plot.ctx.canvas;
    const scale = source.width / Math.max(1, this.plot.width);
    const header = Math.round(24 * scale);
    const canvas = document.createElement('canvas');
    canvas.width = source.width;
    canvas.height = source.height + header;
    const ctx = canvas.getContext('2d');
    if (!ctx) return undefined;
    ctx.fillStyle = this.palette.background;
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = this.palette.foreground;
    ctx.font = `bold ${Math.round(13 * scale)}px sans-serif`;
    ctx.fillText(this.options.title, Math.round(8 * scale), Math.round(17 * scale));
    ctx.drawImage(source, 0, header);
    return canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
  }

  private ensurePlot(): uPlot | undefined {
    if (this.plot) return this.plot;
    const width = this.element.clientWidth;
    if (width <= 0) return undefined;
    this.lastWidth = width;
    this.plot = new uPlot(this.plotOptions(width), this.data, this.element);
    return this.plot;
  }

  private plotOptions(width: number): uPlot.Options {
    const { options, palette } = this;
    const axis = (label: string): uPlot.Axis => ({ label, stroke: palette.foreground, grid: { stroke: palette.grid, width: 1 }, ticks: { stroke: palette.grid, width: 1 } });
    const drawMarker = (u: uPlot) => {
      const at = options.marker?.();
      if (at === undefined) return;
      const x = u.valToPos(at, 'x', true);
      const ctx = u.ctx;
      ctx.save();
      ctx.strokeStyle = seriesColor(palette, 2);
      ctx.fillStyle = seriesColor(palette, 2);
      ctx.lineWidth = uPlot.pxRatio;
      ctx.setLineDash([4 * uPlot.pxRatio, 4 * uPlot.pxRatio]);
      ctx.beginPath();
      ctx.moveTo(x, u.bbox.top);
      ctx.lineTo(x, u.bbox.top + u.bbox.height);
      ctx.stroke();
      ctx.font = `${Math.round(11 * uPlot.pxRatio)}px sans-serif`;
      ctx.fillText(options.markerLabel ?? '', x + 4 * uPlot.pxRatio, u.bbox.top + 12 * uPlot.pxRatio);
      ctx.restore();
    };
    return {
      title: options.title,
      width,
      height: chartHeight,
      scales: { x: { time: false }, y: options.logScale ? { distr: 3 } : {} },
      axes: [options.integerX ? { ...axis(options.xLabel), incrs: integerIncrements } : axis(options.xLabel), axis(options.yLabel)],
      legend: { show: true },
      cursor: { drag: { x: false, y: false }, ...(options.focus ? { focus: { prox: 16 } } : {}) },
      ...(options.focus ? { focus: { alpha: 0.25 } } : {}),
      series: [
        { label: options.xLabel },
        ...options.series.map(
          (s): uPlot.Series => ({
            label: s.label,
            stroke: colorOf(palette, s),
            width: s.width,
            alpha: s.alpha ?? 1,
            spanGaps: true,
            ...(s.alpha !== undefined ? { points: { show: false } } : {}),
            ...(s.dash ? { dash: [...s.dash] } : {}),
          }),
        ),
      ],
      hooks: { draw: [drawMarker] },
    };
  }
}
