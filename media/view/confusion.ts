import { chartFrame, svgExports, type ExportFile } from './chart-frame.js';
import { el, svg, tableAlternative } from './dom.js';
import { formatInteger, formatPercent } from './format.js';
import type { MatrixCell } from './state.js';
import type { Palette } from './theme.js';

export interface ConfusionInput {
  readonly runName: string;
  readonly confusion: readonly (readonly number[])[];
  readonly classNames: readonly string[];
  readonly normalized: boolean;
  readonly selected: MatrixCell | undefined;
}

const cellSize = 44;

/** Row-normalised matrix: each row divided by its total (the class's recall on the diagonal). */
export function normalizeRows(confusion: readonly (readonly number[])[]): number[][] {
  return confusion.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((v) => (total > 0 ? v / total : 0));
  });
}

/**
 * The confusion matrix as an SVG heat map (true class down, predicted across).
 * Cells are buttons: click, Enter or Space selects one; arrow keys move between them.
 */
export class ConfusionPanel {
  readonly root: HTMLElement;
  private readonly body: HTMLElement;
  private readonly table: HTMLElement;
  private readonly toggle: HTMLInputElement;
  private input: ConfusionInput | undefined;
  private svgElement: SVGSVGElement | undefined;

  constructor(
    private readonly onSelect: (cell: MatrixCell) => void,
    onNormalized: (on: boolean) => void,
    private readonly palette: () => Palette,
    exportFile: ExportFile,
  ) {
    this.toggle = el('input', { attrs: { type: 'checkbox', id: 'normalize-rows' } });
    this.toggle.addEventListener('change', () => onNormalized(this.toggle.checked));
    const frame = chartFrame(
      'Confusion matrix (test set)',
      svgExports(
        () => `${this.input?.runName ?? 'run'}-confusion`,
        () => this.svgElement,
        () => this.palette(),
      ),
      exportFile,
    );
    this.body = frame.body;
    this.table = frame.table;
    this.root = el('div', { className: 'confusion' }, [el('div', { className: 'toolbar' }, [el('label', { className: 'checkbox' }, [this.toggle, ' Normalise rows'])]), frame.root]);
  }

  render(input: ConfusionInput): void {
    this.input = input;
    this.toggle.checked = input.normalized;
    const { confusion, classNames, normalized, selected } = input;
    const n = confusion.length;
    const fractions = normalizeRows(confusion);
    const counts = confusion.flat();
    const maxCount = Math.max(1, ...counts);
    const name = (i: number) => classNames[i] ?? String(i);
    const labelWidth = Math.min(160, 16 + 7 * Math.max(4, ...classNames.map((c) => c.length)));
    const top = labelWidth + 8;
    const left = labelWidth + 24;
    // The column labels slant up to the right (60°): the last ones reach past the matrix by half their length.
    const overhang = Math.max(0, ...classNames.slice(0, n).map((c, i) => (i + 0.5) * cellSize + 0.5 * 7 * c.length - n * cellSize));
    const width = left + n * cellSize + 8 + Math.ceil(overhang);
    const height = top + n * cellSize + 8;
    const cells: SVGGElement[] = [];
    const focusIndex = selected && selected.trueClass < n && selected.predictedClass < n ? selected.trueClass * n + selected.predictedClass : 0;
    for (let t = 0; t < n; t++) {
      for (let p = 0; p < n; p++) {
        const count = confusion[t]?.[p] ?? 0;
        const fraction = fractions[t]?.[p] ?? 0;
        const intensity = normalized ? fraction : count / maxCount;
        const isSelected = selected?.trueClass === t && selected.predictedClass === p;
        const cell = svg(
          'g',
          {
            class: `cell${isSelected ? ' selected' : ''}${t === p ? ' diagonal' : ''}`,
            role: 'button',
            tabindex: t * n + p === focusIndex ? 0 : -1,
            'aria-label': `true ${name(t)}, predicted ${name(p)}: ${formatInteger(count)} (${formatPercent(fraction)} of the row)`,
            'aria-pressed': String(isSelected),
            'data-true': t,
            'data-predicted': p,
            transform: `translate(${left + p * cellSize} ${top + t * cellSize})`,
          },
          [
            svg('rect', { class: 'cell-fill', width: cellSize - 2, height: cellSize - 2, 'fill-opacity': (0.06 + 0.94 * intensity).toFixed(3) }),
            svg('text', { class: `cell-text${intensity > 0.55 ? ' strong' : ''}`, x: (cellSize - 2) / 2, y: cellSize / 2 + 3, 'text-anchor': 'middle' }, [normalized ? (fraction * 100).toFixed(fraction >= 0.995 || fraction === 0 ? 0 : 1) : String(count)]),
          ],
        );
        cell.addEventListener('click', () => this.onSelect({ trueClass: t, predictedClass: p }));
        cell.addEventListener('keydown', (event) => this.onKey(event, t, p, n));
        cells.push(cell);
      }
    }
    const rowLabels = classNames.slice(0, n).map((c, i) => svg('text', { class: 'axis-label', x: left - 6, y: top + i * cellSize + cellSize / 2 + 3, 'text-anchor': 'end' }, [c]));
    const columnLabels = classNames.slice(0, n).map((c, i) => {
      const x = left + i * cellSize + cellSize / 2;
      return svg('text', { class: 'axis-label', transform: `translate(${x} ${top - 6}) rotate(-60)`, 'text-anchor': 'start' }, [c]);
    });
    this.svgElement = svg(
      'svg',
      { class: 'matrix', viewBox: `0 0 ${width} ${height}`, width, height, role: 'group', 'aria-label': `Confusion matrix, ${n} classes; ${normalized ? 'row-normalised percentages' : 'counts'}` },
      [
        svg('text', { class: 'axis-title', x: 4, y: top + (n * cellSize) / 2, transform: `rotate(-90 10 ${top + (n * cellSize) / 2})`, 'text-anchor': 'middle' }, ['true class']),
        svg('text', { class: 'axis-title', x: left + (n * cellSize) / 2, y: 12, 'text-anchor': 'middle' }, ['predicted class']),
        ...rowLabels,
        ...columnLabels,
        ...cells,
      ],
    );
    this.body.replaceChildren(this.svgElement);
    const header = ['True \\ predicted', ...classNames.slice(0, n)];
    const rows = confusion.map((row, t) => [name(t), ...row.map((count, p) => (normalized ? formatPercent(fractions[t]?.[p] ?? 0) : String(count)))]);
    this.table.replaceChildren(tableAlternative(normalized ? 'Confusion matrix, row-normalised' : 'Confusion matrix, counts', header, rows));
  }

  svg(): SVGSVGElement | undefined {
    return this.svgElement;
  }

  private onKey(event: KeyboardEvent, t: number, p: number, n: number): void {
    const moves: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      this.onSelect({ trueClass: t, predictedClass: p });
      return;
    }
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    const nt = Math.min(n - 1, Math.max(0, t + move[0]));
    const np = Math.min(n - 1, Math.max(0, p + move[1]));
    const target = this.svgElement?.querySelector<SVGGElement>(`g.cell[data-true="${nt}"][data-predicted="${np}"]`);
    if (!target) return;
    this.svgElement?.querySelectorAll('g.cell[tabindex="0"]').forEach((c) => c.setAttribute('tabindex', '-1'));
    target.setAttribute('tabindex', '0');
    target.focus();
  }
}
