import { chartFrame, svgExports, type ChartExports, type ExportFile } from '../view/chart-frame.js';
import { el } from '../view/dom.js';
import type { Palette } from '../view/theme.js';

/** A titled SVG chart with PNG and SVG export, and a slot for its table alternative. */
export class SvgFigure {
  readonly root: HTMLElement;
  readonly body: HTMLElement;
  readonly table: HTMLElement;
  private svgElement: SVGSVGElement | undefined;
  private readonly exports: ChartExports;

  constructor(
    title: string,
    name: () => string,
    palette: () => Palette,
    exportFile: ExportFile,
  ) {
    this.exports = svgExports(name, () => this.svgElement, palette);
    const frame = chartFrame(title, this.exports, exportFile);
    this.root = frame.root;
    this.body = frame.body;
    this.table = frame.table;
  }

  show(svg: SVGSVGElement | undefined, table: HTMLElement | undefined, emptyText: string): void {
    this.svgElement = svg;
    this.body.replaceChildren(svg ?? el('p', { className: 'empty', text: emptyText }));
    this.table.replaceChildren(...(table ? [table] : []));
    this.root.querySelectorAll<HTMLButtonElement>('.chart-exports button').forEach((b) => (b.disabled = svg === undefined));
  }

  get svg(): SVGSVGElement | undefined {
    return this.svgElement;
  }

  /** A standalone SVG file: the theme's colours written into it. */
  svgText(): string | undefined {
    return this.exports.svg();
  }
}
