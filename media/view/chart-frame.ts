import { button, el } from './dom.js';
import { fileBase, serializeSvg, svgToPng } from './export.js';
import type { Palette } from './theme.js';

export type ExportFile = (fileName: string, data: string, encoding: 'utf8' | 'base64') => void;

export interface ChartExports {
  /** File name without extension. */
  readonly name: () => string;
  readonly svg: () => string | undefined;
  readonly png: () => string | undefined | Promise<string | undefined>;
}

/** A titled figure with PNG / SVG export buttons, the chart, and a slot for its table. */
export function chartFrame(title: string, exports: ChartExports, exportFile: ExportFile): { root: HTMLElement; body: HTMLElement; table: HTMLElement } {
  const body = el('div', { className: 'chart-body' });
  const table = el('div', { className: 'chart-table' });
  const exportPng = async () => {
    const data = await exports.png();
    if (data) exportFile(`${exports.name()}.png`, data, 'base64');
  };
  const exportSvg = () => {
    const data = exports.svg();
    if (data) exportFile(`${exports.name()}.svg`, data, 'utf8');
  };
  const root = el('figure', { className: 'chart-frame' }, [
    el('figcaption', {}, [
      el('span', { className: 'chart-title', text: title }),
      el('span', { className: 'chart-exports' }, [button('PNG', () => void exportPng(), 'secondary small'), button('SVG', exportSvg, 'secondary small')]),
    ]),
    body,
    table,
  ]);
  root.querySelectorAll('.chart-exports button').forEach((b, i) => b.setAttribute('aria-label', `Export ${title} as ${i === 0 ? 'PNG' : 'SVG'}`));
  return { root, body, table };
}

/** The exports of an SVG chart: its file name, the SVG with the theme's background written in, and that as PNG. */
export function svgExports(name: () => string, element: () => SVGSVGElement | undefined, palette: () => Palette): ChartExports {
  const svg = (): string | undefined => {
    const source = element();
    return source ? serializeSvg(source, palette().background) : undefined;
  };
  return {
    name: () => fileBase(name()),
    svg,
    png: async () => {
      const text = svg();
      return text === undefined ? undefined : svgToPng(text);
    },
  };
}
