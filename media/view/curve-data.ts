import type { BatchLogs, EpochLogs, RunRecord } from '../../language-server/src/protocol/views.js';

type Column = (number | null)[];

const finiteOrNull = (value: number): number | null => (Number.isFinite(value) ? value : null);

/** Batch rows kept for drawing; past this, every second one is dropped (and so on). */
export const maxBatchRows = 4096;

/**
 * Training curves as uPlot's aligned columns, append-only so a live run costs O(1) per
 * message. Batch points sit at x = epoch − 1 + batch / batches, epoch points at x = epoch;
 * the last batch of an epoch is at the epoch's own x, so both share that row.
 * Long histories keep every `stride`-th batch (and each epoch's last): a chart a few
 * hundred pixels wide cannot show 50,000 points, and drawing them would cost a frame.
 */
export class CurveData {
  readonly x: number[] = [];
  readonly batchLoss: Column = [];
  readonly batchAccuracy: Column = [];
  readonly loss: Column = [];
  readonly accuracy: Column = [];
  readonly valLoss: Column = [];
  readonly valAccuracy: Column = [];
  bestEpoch: number | undefined;
  epochs = 0;
  /** Batch messages taken in (drawn or not). */
  batchPoints = 0;
  /** Only every stride-th batch point is drawn. */
  stride = 1;
  /** Per row: the ordinal of its batch point, or −1 for a row with only an epoch point. */
  private readonly ordinals: number[] = [];
  private batchRows = 0;
  private lastBatchKey = -1;
  latestBatch: BatchLogs | undefined;
  latestEpoch: EpochLogs | undefined;

  static fromRecord(record: RunRecord): CurveData {
    const data = new CurveData();
    let batchIndex = 0;
    for (const epoch of record.history) {
      for (; batchIndex < record.batches.length && (record.batches[batchIndex]?.epoch ?? Infinity) <= epoch.epoch; batchIndex++) {
        const batch = record.batches[batchIndex];
        if (batch) data.addBatch(batch);
      }
      data.addEpoch(epoch, false);
    }
    for (; batchIndex < record.batches.length; batchIndex++) {
      const batch = record.batches[batchIndex];
      if (batch) data.addBatch(batch);
    }
    data.bestEpoch = record.bestEpoch;
    return data;
  }

  /** False when this batch is not after the last one (a replayed message): nothing changes. */
  addBatch(logs: BatchLogs): boolean {
    const key = logs.epoch * 1e7 + logs.batch;
    if (key <= this.lastBatchKey || logs.epoch <= this.epochs || logs.batches <= 0) return false;
    this.lastBatchKey = key;
    this.latestBatch = logs;
    const ordinal = this.batchPoints++;
    if (ordinal % this.stride !== 0 && logs.batch !== logs.batches) return true;
    this.ordinals.push(ordinal);
    this.batchRows++;
    this.x.push(logs.epoch - 1 + logs.batch / logs.batches);
    this.batchLoss.push(finiteOrNull(logs.loss));
    this.batchAccuracy.push(finiteOrNull(logs.accuracy));
    this.loss.push(null);
    this.accuracy.push(null);
    this.valLoss.push(null);
    this.valAccuracy.push(null);
    if (this.batchRows > maxBatchRows) this.thin();
    return true;
  }

  /** Doubles the stride: drops the batch rows that no longer fall on it, keeping epoch rows. */
  private thin(): void {
    this.stride *= 2;
    const keep: number[] = [];
    for (let row = 0; row < this.x.length; row++) {
      const ordinal = this.ordinals[row] ?? -1;
      const isEpochRow = this.loss[row] !== null || this.valLoss[row] !== null || this.accuracy[row] !== null || this.valAccuracy[row] !== null;
      if (ordinal < 0 || ordinal % this.stride === 0 || isEpochRow) keep.push(row);
    }
    compact(this.x, keep);
    compact(this.ordinals, keep);
    for (const column of [this.batchLoss, this.batchAccuracy, this.loss, this.accuracy, this.valLoss, this.valAccuracy]) compact(column, keep);
    this.batchRows = this.ordinals.filter((o) => o >= 0).length;
  }

  addEpoch(logs: EpochLogs, best: boolean): boolean {
    if (logs.epoch <= this.epochs) return false;
    const last = this.x.length - 1;
    if (last < 0 || this.x[last] !== logs.epoch) {
      this.x.push(logs.epoch);
      this.ordinals.push(-1);
      for (const column of [this.batchLoss, this.batchAccuracy, this.loss, this.accuracy, this.valLoss, this.valAccuracy]) column.push(null);
    }
    const row = this.x.length - 1;
    this.loss[row] = finiteOrNull(logs.loss);
    this.accuracy[row] = finiteOrNull(logs.accuracy);
    this.valLoss[row] = finiteOrNull(logs.val_loss);
    this.valAccuracy[row] = finiteOrNull(logs.val_accuracy);
    this.epochs = logs.epoch;
    this.latestEpoch = logs;
    if (best) this.bestEpoch = logs.epoch;
    return true;
  }
}

/** Keeps the rows listed (ascending) in place. */
function compact<T>(column: T[], rows: readonly number[]): void {
  rows.forEach((row, i) => {
    column[i] = column[row] as T;
  });
  column.length = rows.length;
}
