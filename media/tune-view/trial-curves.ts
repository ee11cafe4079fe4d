import type { EpochLogs } from '../../language-server/src/protocol/views.js';
import { chartFrame, type ExportFile } from '../view/chart-frame.js';
import { el, LazyTable } from '../view/dom.js';
import { fileBase } from '../view/export.js';
import { formatDecimal, formatPercent } from '../view/format.js';
import { LineChart, type LineChartOptions } from '../view/line-chart.js';
import type { Palette } from '../view/theme.js';
import type { TrialEntry } from './search-store.js';
import { describePoint, epochRange } from './trial-text.js';

type Metric = 'loss' | 'val_loss' | 'accuracy' | 'val_accuracy';

const column = (history: readonly EpochLogs[], metric: Metric): (number | null)[] => history.map((logs) => (Number.isFinite(logs[metric]) ? logs[metric] : null));

/** One trial's loss and accuracy per epoch (training and validation), from its history. */
export class TrialCurves {
  readonly root: HTMLElement;
  private readonly heading = el('h2', { attrs: { id: 'trial-curves-heading' }, text: 'Trial curves' });
  private readonly description = el('p', { className: 'note' });
  private readonly empty = el('p', { className: 'empty', text: 'Select a trial in the table to see its curves.' });
  private readonly grid: HTMLElement;
  private readonly loss: LineChart;
  private readonly accuracy: LineChart;
  private readonly lossTable = new LazyTable();
  private readonly accuracyTable = new LazyTable();
  private trial: TrialEntry | undefined;
  private model = 'search';
  private palette: Palette;

  constructor(palette: Palette, exportFile: ExportFile) {
    this.palette = palette;
    const name = (what: string) => fileBase(`${this.model}-trial-${this.trial?.id ?? 'none'}-${what}`);
    const lossFrame = chartFrame('Loss', { name: () => name('loss'), svg: () => this.loss.toSvg(), png: () => this.loss.toPng() }, exportFile);
    const accuracyFrame = chartFrame('Accuracy', { name: () => name('accuracy'), svg: () => this.accuracy.toSvg(), png: () => this.accuracy.toPng() }, exportFile);
    lossFrame.table.append(this.lossTable.root);
    accuracyFrame.table.append(this.accuracyTable.root);
    this.grid = el('div', { className: 'chart-grid' }, [lossFrame.root, accuracyFrame.root]);
    this.root = el('section', { className: 'trial-curves', attrs: { 'aria-labelledby': 'trial-curves-heading' } }, [this.heading, this.description, this.empty, this.grid]);
    this.loss = new LineChart(lossFrame.body, this.options('Loss', 'loss', ['loss', 'val_loss']), palette);
    this.accuracy = new LineChart(accuracyFrame.body, this.options('Accuracy', 'accuracy', ['accuracy', 'val_accuracy']), palette);
  }

  setPalette(palette: Palette): void {
    this.palette = palette;
    this.loss.configure(this.options('Loss', 'loss', ['loss', 'val_loss']), palette);
    this.accuracy.configure(this.options('Accuracy', 'accuracy', ['accuracy', 'val_accuracy']), palette);
  }

  show(trial: TrialEntry | undefined, model: string, objective: string): void {
    this.trial = trial;
    this.model = model;
    this.heading.textContent = trial ? `Trial ${trial.id}` : 'Trial curves';
    this.empty.hidden = trial !== undefined && trial.history.length > 0;
    this.empty.textContent = trial === undefined ? 'Select a trial in the table to see its curves.' : trial.status === 'failed' ? `Trial ${trial.id} failed before training an epoch${trial.reason ? `: ${trial.reason}` : ''}.` : 'No epoch finished yet.';
    this.grid.hidden = this.empty.hidden === false;
    this.description.textContent = trial
      ? `${describePoint(trial)}; epochs ${epochRange(trial)}${trial.parentId !== undefined ? ` (continues trial ${trial.parentId}, whose epochs are not repeated here)` : ''}${trial.bestEpoch !== undefined ? `; best ${objective} at epoch ${trial.bestEpoch}` : ''}.`
      : '';
    const history = trial?.history ?? [];
    const x = history.map((logs) => logs.epoch);
    this.loss.setData([x, column(history, 'loss'), column(history, 'val_loss')]);
    this.accuracy.setData([x, column(history, 'accuracy'), column(history, 'val_accuracy')]);
    const rows = (metrics: readonly [Metric, Metric], format: (v: number | null) => string) => history.map((logs, i) => [logs.epoch === trial?.bestEpoch ? `${logs.epoch} (best)` : String(logs.epoch), ...metrics.map((m) => format(column(history, m)[i] ?? null))]);
    this.lossTable.set(() => ({ caption: `Loss per epoch of trial ${trial?.id ?? ''}`, header: ['Epoch', 'Training loss', 'Validation loss'], rows: rows(['loss', 'val_loss'], (v) => formatDecimal(v)) }));
    this.accuracyTable.set(() => ({ caption: `Accuracy per epoch of trial ${trial?.id ?? ''}`, header: ['Epoch', 'Training accuracy', 'Validation accuracy'], rows: rows(['accuracy', 'val_accuracy'], (v) => formatPercent(v, 2)) }));
  }

  charts(): Record<string, LineChart> {
    return { trialLoss: this.loss, trialAccuracy: this.accuracy };
  }

  private options(title: string, yLabel: string, metrics: readonly [Metric, Metric]): LineChartOptions {
    return {
      title,
      xLabel: 'epoch',
      integerX: true,
      yLabel,
      series: [
        { label: metrics[0] === 'loss' ? 'training loss' : 'training accuracy', colorIndex: 0, width: 2 },
        { label: metrics[1] === 'val_loss' ? 'validation loss' : 'validation accuracy', colorIndex: 1, width: 2 },
      ],
      marker: () => this.trial?.bestEpoch,
      markerLabel: 'best',
    };
  }
}
