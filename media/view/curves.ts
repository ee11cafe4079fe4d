import type { CurveData } from './curve-data.js';
import { chartFrame, type ExportFile } from './chart-frame.js';
import { el, LazyTable } from './dom.js';
import { fileBase } from './export.js';
import { formatDecimal, formatPercent } from './format.js';
import { LineChart, type LineChartOptions } from './line-chart.js';
import type { Palette } from './theme.js';

/** Loss and accuracy of one run: per-epoch train/validation lines over faint per-batch values. */
export class CurvesPanel {
  readonly root: HTMLElement;
  private readonly loss: LineChart;
  private readonly accuracy: LineChart;
  private readonly lossTable = new LazyTable();
  private readonly accuracyTable = new LazyTable();
  private readonly empty: HTMLElement;
  private readonly logToggle: HTMLInputElement;
  private curves: CurveData | undefined;
  private runName = 'run';
  private tableKey = '';
  private logScale: boolean;
  private palette: Palette;

  constructor(palette: Palette, logScale: boolean, onLogScale: (on: boolean) => void, exportFile: ExportFile) {
    this.palette = palette;
    this.logScale = logScale;
    this.logToggle = el('input', { attrs: { type: 'checkbox', id: 'log-scale' } });
    this.logToggle.checked = logScale;
    this.logToggle.addEventListener('change', () => onLogScale(this.logToggle.checked));
    this.empty = el('p', { className: 'empty', text: 'No training data yet.' });
    const lossFrame = chartFrame('Loss', { name: () => fileBase(`${this.runName}-loss`), svg: () => this.loss.toSvg(), png: () => this.loss.toPng() }, exportFile);
    const accuracyFrame = chartFrame('Accuracy', { name: () => fileBase(`${this.runName}-accuracy`), svg: () => this.accuracy.toSvg(), png: () => this.accuracy.toPng() }, exportFile);
    lossFrame.table.append(this.lossTable.root);
    accuracyFrame.table.append(this.accuracyTable.root);
    this.root = el('div', { className: 'curves' }, [
      el('div', { className: 'toolbar' }, [el('label', { className: 'checkbox' }, [this.logToggle, ' Logarithmic loss axis'])]),
      this.empty,
      el('div', { className: 'chart-grid' }, [lossFrame.root, accuracyFrame.root]),
    ]);
    this.loss = new LineChart(lossFrame.body, this.lossOptions(), palette);
    this.accuracy = new LineChart(accuracyFrame.body, this.accuracyOptions(), palette);
  }

  setLogScale(on: boolean): void {
    if (on === this.logScale) return;
    this.logScale = on;
    this.logToggle.checked = on;
    this.loss.configure(this.lossOptions(), this.palette);
  }

  setPalette(palette: Palette): void {
    this.palette = palette;
    this.loss.configure(this.lossOptions(), palette);
    this.accuracy.configure(this.accuracyOptions(), palette);
  }

  /** Shows these curves; called again after each change of a live run (cheap: no copies, no DOM). */
  show(curves: CurveData | undefined, runName: string): void {
    this.curves = curves;
    this.runName = runName;
    this.empty.hidden = curves !== undefined && curves.x.length > 0;
    const x = curves?.x ?? [];
    this.loss.setData([x, curves?.batchLoss ?? [], curves?.loss ?? [], curves?.valLoss ?? []]);
    this.accuracy.setData([x, curves?.batchAccuracy ?? [], curves?.accuracy ?? [], curves?.valAccuracy ?? []]);
    const key = `${runName}\n${curves?.epochs ?? 0}\n${curves?.bestEpoch ?? ''}`;
    if (key !== this.tableKey) {
      this.tableKey = key;
      this.renderTables();
    }
  }

  /** Charts in a tab that was hidden get their width when it shows. */
  fit(): void {
    this.loss.fitWidth();
    this.accuracy.fitWidth();
    this.show(this.curves, this.runName);
  }

  charts(): { loss: LineChart; accuracy: LineChart } {
    return { loss: this.loss, accuracy: this.accuracy };
  }

  private renderTables(): void {
    this.lossTable.set(() => {
      const { rows, best } = this.epochRows();
      return { caption: 'Loss per epoch', header: ['Epoch', 'Training loss', 'Validation loss'], rows: rows.map((r) => [best(r.epoch), formatDecimal(r.values[0]), formatDecimal(r.values[1])]) };
    });
    this.accuracyTable.set(() => {
      const { rows, best } = this.epochRows();
      return { caption: 'Accuracy per epoch', header: ['Epoch', 'Training accuracy', 'Validation accuracy'], rows: rows.map((r) => [best(r.epoch), formatPercent(r.values[2], 2), formatPercent(r.values[3], 2)]) };
    });
  }

  private epochRows(): { rows: { epoch: number; values: (number | null)[] }[]; best: (epoch: number) => string } {
    const curves = this.curves;
    const rows: { epoch: number; values: (number | null)[] }[] = [];
    if (curves) {
      curves.x.forEach((x, i) => {
        if (curves.loss[i] === null && curves.valLoss[i] === null && curves.accuracy[i] === null) return;
        rows.push({ epoch: x, values: [curves.loss[i] ?? null, curves.valLoss[i] ?? null, curves.accuracy[i] ?? null, curves.valAccuracy[i] ?? null] });
      });
    }
    const best = (epoch: number) => (epoch === curves?.bestEpoch ? `${epoch} (best)` : String(epoch));
    return { rows, best };
  }

  private lossOptions(): LineChartOptions {
    return this.options('Loss', this.logScale ? 'loss (log)' : 'loss', this.logScale);
  }

  private accuracyOptions(): LineChartOptions {
    return this.options('Accuracy', 'accuracy');
  }

  /** A chart of one metric: its batch values faded behind the training and validation epochs, the best epoch marked. */
  private options(title: string, yLabel: string, logScale?: boolean): LineChartOptions {
    return {
      title,
      xLabel: 'epoch',
      integerX: true,
      yLabel,
      ...(logScale !== undefined ? { logScale } : {}),
      series: [
        { label: 'training (batch)', colorIndex: 0, width: 1, alpha: 0.3 },
        { label: 'training', colorIndex: 0, width: 2 },
        { label: 'validation', colorIndex: 1, width: 2 },
      ],
      marker: () => this.curves?.bestEpoch,
      markerLabel: 'best',
    };
  }
}
