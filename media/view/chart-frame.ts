import { button, el } from './dom.js';

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
