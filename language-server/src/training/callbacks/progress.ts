import type { BatchLogs, EpochLogs } from '../events.js';
import type { EpochEnd, TrainingCallback, TrainingContext } from './callback.js';

/**
 * Keras `History`: every batch's and every epoch's logs, in order. Batches come after the NaN guard,
 * so a batch that ended training is not recorded.
 */
export class History implements TrainingCallback {
  readonly epochs: EpochLogs[] = [];
  readonly batches: BatchLogs[] = [];

  onBatchEnd(logs: BatchLogs): void {
    this.batches.push(logs);
  }

  onEpochEnd(end: EpochEnd): void {
    this.epochs.push(end.logs);
  }
}

/**
 * Progress for whoever watches the run: a batch event at most every `intervalMs` (and always for an epoch's
 * last batch), an epoch event with whether it is the best so far, then the caller's save of the history.
 */
export class Progress implements TrainingCallback {
  private lastEvent = 0;

  constructor(
    private readonly history: History,
    private readonly intervalMs: number,
    private readonly onEpochSaved?: (history: readonly EpochLogs[]) => Promise<void> | void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  onBatchEnd(logs: BatchLogs, context: TrainingContext): void {
    const now = this.now();
    if (now - this.lastEvent >= this.intervalMs || logs.batch === logs.batches) {
      this.lastEvent = now;
      context.emit({ type: 'batch', logs });
    }
  }

  async onEpochEnd(end: EpochEnd, context: TrainingContext): Promise<void> {
    context.emit({ type: 'epoch', logs: end.logs, best: end.best });
    await this.onEpochSaved?.(this.history.epochs);
  }
}
