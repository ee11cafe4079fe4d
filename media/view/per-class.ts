import { chartFrame, svgExports, type ExportFile } from './chart-frame.js';
import { svg, tableAlternative } from './dom.js';
import { formatInteger, formatPercent } from './format.js';
import type { Palette } from './theme.js';

export interface PerClassInput {
  readonly runName: string;
  readonly classNames: readonly string[];
  /** The test set's confusion matrix (true class down, predicted across): support, and precision and recall where the record lacks them. */
  readonly confusion: readonly (readonly number[])[];
  readonly precision?: readonly number[];
  readonly recall?: readonly number[];
}

/** One class's line of the classification report (as Keras and scikit-learn print it). */
export interface ClassScores {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Test samples of the class. */
  readonly support: number;
}

/** The classification report: precision, recall, F1 and support of each class, from the confusion matrix. */
export function classScores(input: Pick<PerClassInput, 'confusion' | 'precision' | 'recall'>): ClassScores[] {
  const { confusion } = input;
  return confusion.map((row, c) => {
    const correct = row[c] ?? 0;
    const support = row.reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((sum, r) => sum + (r[c] ?? 0), 0);
    const precision = input.precision?.[c] ?? (predicted ? correct / predicted : 0);
    const recall = input.recall?.[c] ?? (support ? correct / support : 0);
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { precision, recall, f1, support };
  });
}

/** The report's average lines: unweighted over the classes, and weighted by support. */
export function averageScores(scores: readonly ClassScores[]): { macro: ClassScores; weighted: ClassScores } {
  const support = scores.reduce((n, s) => n + s.support, 0);
  const mean = (key: 'precision' | 'recall' | 'f1', weighted: boolean) =>
    weighted ? (support ? scores.reduce((sum, s) => sum + s[key] * s.support, 0) / support : 0) : scores.length ? scores.reduce((sum, s) => sum + s[key], 0) / scores.length : 0;
  const line = (weighted: boolean): ClassScores => ({ precision: mean('precision', weighted), recall: mean('recall', weighted), f1: mean('f1', weighted), support });
  return { macro: line(false), weighted: line(true) };
}

const metrics = [
  { key: 'precision', label: 'Precision', noun: 'precision', className: 'bar-precision' },
  { key: 'recall', label: 'Recall', noun: 'recall', className: 'bar-recall' },
  { key: 'f1', label: 'F1', noun: 'F1', className: 'bar-f1' },
] as const;

/** Precision, recall and F1 of each class as grouped horizontal bars (SVG), and the classification report as a table (with support). */
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
    const scores = classScores(input);
    const n = scores.length;
    const name = (c: number) => input.classNames[c] ?? String(c);
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
    scores.forEach((score, c) => {
      const y = top + c * group;
      children.push(svg('text', { class: 'axis-label', x: labelWidth - 6, y: y + group / 2, 'text-anchor': 'end' }, [name(c)]));
      metrics.forEach((m, i) => {
        const value = score[m.key];
        const rect = svg('rect', { class: m.className, x: labelWidth, y: y + i * bar, width: Math.max(0, value * plotWidth), height: bar - 1 }, [svg('title', {}, [`${name(c)} ${m.noun}: ${formatPercent(value)}`])]);
        children.push(rect);
      });
    });
    this.svgElement = svg('svg', { class: 'bars', viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': 'Per-class precision, recall and F1; the table below has the values and each class’s support' }, children);
    this.body.replaceChildren(this.svgElement);
    const line = (label: string, s: ClassScores) => [label, formatPercent(s.precision), formatPercent(s.recall), formatPercent(s.f1), formatInteger(s.support)];
    const { macro, weighted } = averageScores(scores);
    const rows = [...scores.map((s, c) => line(name(c), s)), ...(n > 0 ? [line('Macro average', macro), line('Weighted average', weighted)] : [])];
    const table = tableAlternative('Per-class metrics: precision, recall, F1 and support (test images of the class)', ['Class', 'Precision', 'Recall', 'F1', 'Support'], rows);
    table.open = true;
    table.querySelectorAll('tbody tr').forEach((row, i) => {
      if (i >= n) row.classList.add('average');
    });
    this.table.replaceChildren(table);
  }

  svg(): SVGSVGElement | undefined {
    return this.svgElement;
  }
}
