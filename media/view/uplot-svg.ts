import type uPlot from 'uplot';
import type { Palette } from './theme.js';
import { linearTicks, logTicks, tickLabel } from './ticks.js';

export interface SvgSeriesStyle {
  readonly label: string;
  readonly color: string;
  readonly width: number;
  readonly alpha: number;
  readonly dash?: readonly number[];
}

export interface ChartSvgOptions {
  readonly title: string;
  readonly xLabel: string;
  /** Ticks on the x axis at whole numbers only. */
  readonly integerX?: boolean;
  readonly yLabel: string;
  readonly series: readonly SvgSeriesStyle[];
  readonly palette: Palette;
  readonly markerX?: number;
  readonly markerLabel?: string;
}

const escapeXml = (text: string): string => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
const round = (v: number): string => (Math.round(v * 10) / 10).toString();

/**
 * The chart as SVG: every series as one path through the chart's own scales
 * (u.valToPos), so the export matches the canvas; at most a few points per
 * pixel column (first, min, max, last), which keeps 50,000 batch points small.
 */
export function uplotToSvg(u: uPlot, options: ChartSvgOptions): string {
  const ratio = u.bbox.width > 0 && u.over.clientWidth > 0 ? u.bbox.width / u.over.clientWidth : 1;
  const header = 44;
  const left = u.bbox.left / ratio;
  const top = u.bbox.top / ratio + header;
  const width = u.bbox.width / ratio;
  const height = u.bbox.height / ratio;
  const total = { width: Math.round(u.width), height: Math.round(u.height + header) };
  const { palette } = options;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${total.width}" height="${total.height}" viewBox="0 0 ${total.width} ${total.height}" font-family="sans-serif" font-size="11">`);
  parts.push(`<rect width="100%" height="100%" fill="${escapeXml(palette.background)}"/>`);
  parts.push(`<text x="${round(left)}" y="16" font-size="13" font-weight="bold" fill="${escapeXml(palette.foreground)}">${escapeXml(options.title)}</text>`);
  let legendX = left;
  options.series.forEach((s) => {
    parts.push(`<rect x="${round(legendX)}" y="28" width="14" height="3" fill="${escapeXml(s.color)}" fill-opacity="${s.alpha}"/>`);
    parts.push(`<text x="${round(legendX + 18)}" y="33" fill="${escapeXml(palette.foreground)}">${escapeXml(s.label)}</text>`);
    legendX += 30 + s.label.length * 6.5;
  });
  parts.push(`<defs><clipPath id="plot"><rect x="${round(left)}" y="${round(top)}" width="${round(width)}" height="${round(height)}"/></clipPath></defs>`);

  const xScale = u.scales['x'];
  const yScale = u.scales['y'];
  const xTicks = linearTicks(xScale?.min ?? 0, xScale?.max ?? 1, Math.max(2, Math.floor(width / 80)), options.integerX === true);
  const yTicks = yScale?.distr === 3 ? logTicks(yScale.min ?? 1, yScale.max ?? 10) : linearTicks(yScale?.min ?? 0, yScale?.max ?? 1, Math.max(2, Math.floor(height / 40)));
  const grid = escapeXml(palette.grid);
  const text = escapeXml(palette.foreground);
  for (const t of xTicks) {
    const x = left + u.valToPos(t, 'x');
    parts.push(`<line x1="${round(x)}" y1="${round(top)}" x2="${round(x)}" y2="${round(top + height)}" stroke="${grid}"/>`);
    parts.push(`<text x="${round(x)}" y="${round(top + height + 14)}" text-anchor="middle" fill="${text}">${escapeXml(tickLabel(t))}</text>`);
  }
  for (const t of yTicks) {
    const y = top + u.valToPos(t, 'y');
    parts.push(`<line x1="${round(left)}" y1="${round(y)}" x2="${round(left + width)}" y2="${round(y)}" stroke="${grid}"/>`);
    parts.push(`<text x="${round(left - 6)}" y="${round(y + 4)}" text-anchor="end" fill="${text}">${escapeXml(tickLabel(t))}</text>`);
  }
  parts.push(`<text x="${round(left + width / 2)}" y="${round(top + height + 30)}" text-anchor="middle" fill="${text}">${escapeXml(options.xLabel)}</text>`);
  parts.push(`<text transform="translate(12 ${round(top + height / 2)}) rotate(-90)" text-anchor="middle" fill="${text}">${escapeXml(options.yLabel)}</text>`);

  const xs = u.data[0];
  options.series.forEach((style, index) => {
    const ys = u.data[index + 1];
    if (!ys) return;
    const d = seriesPath(u, xs, ys, left, top);
    if (!d) return;
    const dash = style.dash?.length ? ` stroke-dasharray="${style.dash.join(' ')}"` : '';
    parts.push(`<path d="${d}" fill="none" stroke="${escapeXml(style.color)}" stroke-opacity="${style.alpha}" stroke-width="${style.width}"${dash} stroke-linejoin="round" clip-path="url(#plot)"/>`);
  });
  if (options.markerX !== undefined) {
    const x = left + u.valToPos(options.markerX, 'x');
    const color = escapeXml(palette.series[2] ?? palette.foreground);
    parts.push(`<line class="best-marker" x1="${round(x)}" y1="${round(top)}" x2="${round(x)}" y2="${round(top + height)}" stroke="${color}" stroke-dasharray="4 4"/>`);
    parts.push(`<text x="${round(x + 4)}" y="${round(top + 12)}" fill="${color}">${escapeXml(options.markerLabel ?? '')}</text>`);
  }
  parts.push(`<rect x="${round(left)}" y="${round(top)}" width="${round(width)}" height="${round(height)}" fill="none" stroke="${grid}"/>`);
  parts.push('</svg>');
  return parts.join('\n');
}

type Values = uPlot.AlignedData[number];

function seriesPath(u: uPlot, xs: Values, ys: Values, left: number, top: number): string {
  const commands: string[] = [];
  let column = Number.NaN;
  let pending: { x: number; first: number; min: number; max: number; last: number } | undefined;
  const flush = () => {
    if (!pending) return;
    const { x, first, min, max, last } = pending;
    const points = first === last && min === max ? [first] : [first, min, max, last];
    for (const y of points) commands.push(`${commands.length ? 'L' : 'M'}${round(left + x)} ${round(top + y)}`);
    pending = undefined;
  };
  for (let i = 0; i < xs.length; i++) {
    const value = ys[i];
    const xValue = xs[i];
    if (value === null || value === undefined || xValue === null || xValue === undefined || !Number.isFinite(value)) continue;
    const x = u.valToPos(xValue, 'x');
    const y = u.valToPos(value, 'y');
    if (!Number.isFinite(y)) continue;
    const px = Math.round(x);
    if (pending && px === column) {
      pending.min = Math.min(pending.min, y);
      pending.max = Math.max(pending.max, y);
      pending.last = y;
      pending.x = x;
    } else {
      flush();
      column = px;
      pending = { x, first: y, min: y, max: y, last: y };
    }
  }
  flush();
  return commands.join('');
}
