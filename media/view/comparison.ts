import type { RunRecord } from '../../language-server/src/protocol/views.js';
import { chartFrame, type ExportFile } from './chart-frame.js';
import { el, tableAlternative } from './dom.js';
import { formatCompact, formatDecimal, formatInteger, formatPercent, formatPointDelta, formatSignedInteger } from './format.js';
import { LineChart, type LineChartOptions } from './line-chart.js';
import type { Palette } from './theme.js';

export interface ComparedRun {
  readonly id: string;
  readonly label: string;
  readonly record: RunRecord;
}

export function bestValidationAccuracy(record: RunRecord): number | undefined {
  const values = record.history.map((h) => h.val_accuracy).filter(Number.isFinite);
  return values.length ? Math.max(...values) : undefined;
}

/** Validation curves of several runs overlaid, and a table against a chosen baseline. */
export class ComparisonPanel {
  readonly root: HTMLElement;
  private readonly accuracy: LineChart;
  private readonly loss: LineChart;
  private readonly tableSlot = el('div', { className: 'comparison-table' });
  private readonly accuracyTable: HTMLElement;
  private readonly lossTable: HTMLElement;
  private readonly baselineSelect = el('select', { attrs: { id: 'baseline' } });
  private runs: readonly ComparedRun[] = [];
  private seriesKey = '';
  private palette: Palette;

  constructor(palette: Palette, onBaseline: (id: string) => void, exportFile: ExportFile) {
    this.palette = palette;
    this.baselineSelect.addEventListener('change', () => onBaseline(this.baselineSelect.value));
    const accuracyFrame = chartFrame('Validation accuracy by run', { name: () => 'comparison-val-accuracy', svg: () => this.accuracy.toSvg(), png: () => this.accuracy.toPng() }, exportFile);
    const lossFrame = chartFrame('Validation loss by run', { name: () => 'comparison-val-loss', svg: () => this.loss.toSvg(), png: () => this.loss.toPng() }, exportFile);
    this.accuracyTable = accuracyFrame.table;
    this.lossTable = lossFrame.table;
    this.root = el('div', { className: 'comparison' }, [
      el('div', { className: 'toolbar' }, [el('label', { attrs: { for: 'baseline' }, text: 'Baseline ' }), this.baselineSelect]),
      this.tableSlot,
      el('div', { className: 'chart-grid' }, [accuracyFrame.root, lossFrame.root]),
    ]);
    this.accuracy = new LineChart(accuracyFrame.body, this.options('Validation accuracy', 'accuracy'), palette);
    this.loss = new LineChart(lossFrame.body, this.options('Validation loss', 'loss'), palette);
  }

  setPalette(palette: Palette): void {
    this.palette = palette;
    this.accuracy.configure(this.options('Validation accuracy', 'accuracy'), palette);
    this.loss.configure(this.options('Validation loss', 'loss'), palette);
    this.setChartData();
  }

  fit(): void {
    this.accuracy.fitWidth();
    this.loss.fitWidth();
    this.setChartData();
  }

  render(runs: readonly ComparedRun[], baselineId: string | undefined): void {
    this.runs = runs;
    const baseline = runs.find((r) => r.id === baselineId) ?? runs[0];
    this.baselineSelect.replaceChildren(...runs.map((r) => el('option', { text: r.label, attrs: { value: r.id } })));
    if (baseline) this.baselineSelect.value = baseline.id;
    const key = runs.map((r) => `${r.id}:${r.record.history.length}`).join('\n');
    if (key !== this.seriesKey) {
      this.seriesKey = key;
      this.accuracy.configure(this.options('Validation accuracy', 'accuracy'), this.palette);
      this.loss.configure(this.options('Validation loss', 'loss'), this.palette);
    }
    this.setChartData();
    this.accuracyTable.replaceChildren(this.epochTable('Validation accuracy per epoch', (h) => formatPercent(h.val_accuracy, 2)));
    this.lossTable.replaceChildren(this.epochTable('Validation loss per epoch', (h) => formatDecimal(h.val_loss)));
    this.tableSlot.replaceChildren(baseline ? this.table(runs, baseline) : el('p', { className: 'empty', text: 'No runs to compare.' }));
  }

  charts(): { accuracy: LineChart; loss: LineChart } {
    return { accuracy: this.accuracy, loss: this.loss };
  }

  private setChartData(): void {
    const epochs = Math.max(0, ...this.runs.map((r) => r.record.history.length));
    const x = Array.from({ length: epochs }, (_, i) => i + 1);
    const column = (record: RunRecord, pick: (h: RunRecord['history'][number]) => number) => x.map((_, i) => {
      const h = record.history[i];
      return h && Number.isFinite(pick(h)) ? pick(h) : null;
    });
    this.accuracy.setData([x, ...this.runs.map((r) => column(r.record, (h) => h.val_accuracy))]);
    this.loss.setData([x, ...this.runs.map((r) => column(r.record, (h) => h.val_loss))]);
  }

  private epochTable(caption: string, value: (h: RunRecord['history'][number]) => string): HTMLDetailsElement {
    const epochs = Math.max(0, ...this.runs.map((r) => r.record.history.length));
    const rows = Array.from({ length: epochs }, (_, i) => [String(i + 1), ...this.runs.map((r) => {
      const h = r.record.history[i];
      return h ? value(h) : '–';
    })]);
    return tableAlternative(caption, ['Epoch', ...this.runs.map((r) => r.label)], rows);
  }

  private options(title: string, yLabel: string): LineChartOptions {
    return { title, xLabel: 'epoch', integerX: true, yLabel, series: this.runs.map((r, i) => ({ label: r.label, colorIndex: i, width: 2 })) };
  }

  private table(runs: readonly ComparedRun[], baseline: ComparedRun): HTMLTableElement {
    const base = baseline.record;
    const baseTest = base.test?.accuracy;
    const baseBest = bestValidationAccuracy(base);
    const delta = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? undefined : a - b);
    const header = ['Run', 'Parameters', 'FLOPs', 'Epochs', 'Best val. accuracy', 'Test accuracy', 'Δ test accuracy', 'Δ best val. accuracy', 'Δ parameters'];
    const rows = runs.map((run) => {
      const r = run.record;
      const isBaseline = run.id === baseline.id;
      const best = bestValidationAccuracy(r);
      const cells = [
        formatInteger(r.model.params),
        r.model.flops === null ? '–' : formatCompact(r.model.flops),
        String(r.history.length),
        formatPercent(best, 2),
        formatPercent(r.test?.accuracy, 2),
        isBaseline ? 'baseline' : formatPointDelta(delta(r.test?.accuracy, baseTest)),
        isBaseline ? 'baseline' : formatPointDelta(delta(best, baseBest)),
        isBaseline ? 'baseline' : formatSignedInteger(r.model.params - base.model.params),
      ];
      return el('tr', { className: isBaseline ? 'baseline' : '', attrs: { 'data-run': run.id } }, [el('th', { text: run.label, attrs: { scope: 'row' } }), ...cells.map((c) => el('td', { text: c }))]);
    });
    return el('table', { className: 'data-table comparison-runs' }, [
      el('caption', { text: `Runs compared with ${baseline.label}` }),
      el('thead', {}, [el('tr', {}, header.map((h) => el('th', { text: h, attrs: { scope: 'col' } })))]),
      el('tbody', {}, rows),
    ]);
  }
}
