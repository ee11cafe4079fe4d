import { chartFrame, svgExports, type ExportFile } from './chart-frame.js';
import { svg, tableAlternative } from './dom.js';
import { formatPercent } from './format.js';
import type { Palette } from './theme.js';

export interface PerClassInput {
  readonly runName: string;
  readonly classNames: readonly string[];
  readonly precision: readonly number[];
  readonly recall: readonly number[];
  readonly accuracy: readonly number[];
}

const metrics = [
  { key: 'precision', label: 'Precision', className: 'bar-precision' },
  { key: 'recall', label: 'Recall', className: 'bar-recall' },
  { key: 'accuracy', label: 'Accuracy', className: 'bar-accuracy' },
] as const;

/** Precision, recall and accuracy of each class as grouped horizontal bars (SVG) and a table. */
export class PerClassPanel {
  readonly root: HTMLElement;
  private readonly body: HTMLElement;
  private readonly table: HTMLElement;
  private svgElement: SVGSVGElement | undefined;
  private runName = 'run';

  constructor(palette: () => Palette, exportFile: ExportFile) {
    const frame = chartFrame(
      'Per-class metrics (test set)',
      svgExports(
        () => `${this.runName}-per-class`,
        () => this.svgElement,
        palette,
      ),
      exportFile,
    );
    this.body = frame.body;
    this.table = frame.table;
    this.root = frame.root;
    this.root.classList.add('per-class');
  }

  render(input: PerClassInput): void {
    this.runName = input.runName;
    const n = input.classNames.length;
    const labelWidth = 140;
    const plotWidth = 360;
    const bar = 7;
    const group = bar * 3 + 8;
    const top = 28;
    const width = labelWidth + plotWidth + 60;
    const height = top + n * group + 24;
    const children: SVGElement[] = [];
    metrics.forEach((m, i) => {
      children.push(svg('rect', { class: m.className, x: labelWidth + i * 100, y: 6, width: 12, height: 8 }));
      children.push(svg('text', { class: 'axis-label', x: labelWidth + i * 100 + 16, y: 14 }, [m.label]));
    });
    for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
      const x = labelWidth + tick * plotWidth;
      children.push(svg('line', { class: 'grid-line', x1: x, x2: x, y1: top - 4, y2: height - 20 }));
      children.push(svg('text', { class: 'axis-label', x, y: height - 6, 'text-anchor': 'middle' }, [`${tick * 100}%`]));
    }
    input.classNames.forEach((name, c) => {
      const y = top + c * group;
      children.push(svg('text', { class: 'axis-label', x: labelWidth - 6, y: y + group / 2, 'text-anchor': 'end' }, [name]));
      metrics.forEach((m, i) => {
        const value = input[m.key][c] ?? 0;
        const rect = svg('rect', { class: m.className, x: labelWidth, y: y + i * bar, width: Math.max(0, value * plotWidth), height: bar - 1 }, [svg('title', {}, [`${name} ${m.label.toLowerCase()}: ${formatPercent(value)}`])]);
        children.push(rect);
      });
    });
    this.svgElement = svg('svg', { class: 'bars', viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': 'Per-class precision, recall and accuracy; the table below has the values' }, children);
    this.body.replaceChildren(this.svgElement);
    const rows = input.classNames.map((name, c) => [name, formatPercent(input.precision[c]), formatPercent(input.recall[c]), formatPercent(input.accuracy[c])]);
    const table = tableAlternative('Per-class metrics', ['Class', 'Precision', 'Recall', 'Accuracy'], rows);
    table.open = true;
    this.table.replaceChildren(table);
  }

  svg(): SVGSVGElement | undefined {
    return this.svgElement;
  }
}

