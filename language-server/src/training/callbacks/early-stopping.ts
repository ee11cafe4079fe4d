import type * as tfjs from '@tensorflow/tfjs';
import type { EarlyStoppingConfig } from '../config.js';
import type { EpochEnd, TrainingCallback, TrainingContext } from './callback.js';
import { improved, logValue } from './monitor.js';

/** A callback that knows the best epoch so far (the run record names it). */
export interface BestEpochTracker extends TrainingCallback {
  readonly bestEpoch: number | undefined;
}

/**
 * Keras `EarlyStopping`: watches `monitor` from epoch `start_from_epoch + 1`, marks an epoch that improves on the
 * best by more than `min_delta` as best, and stops once `patience` epochs in a row have not (never after epoch 1).
 * With `restore_best_weights`, keeps a copy of the best epoch's weights and puts them back when training ends,
 * unless it was cancelled: Keras only when it stops early, Layerlab also when training runs to the end.
 */
export class EarlyStopping implements BestEpochTracker {
  private bestValue: number | undefined;
  private best: number | undefined;
  private bestWeights: tfjs.Tensor[] | undefined;
  private waited = 0;

  constructor(private readonly config: EarlyStoppingConfig) {}

  get bestEpoch(): number | undefined {
    return this.best;
  }

  onEpochEnd(end: EpochEnd, context: TrainingContext): void {
    const early = this.config;
    const epoch = end.logs.epoch;
    const value = logValue(end.logs, early.monitor);
    if (epoch > early.startFromEpoch && Number.isFinite(value)) {
      if (improved(value, this.bestValue, early.mode, early.minDelta)) {
        this.bestValue = value;
        this.best = epoch;
        end.best = true;
        this.waited = 0;
        if (early.restoreBestWeights) {
          this.bestWeights?.forEach((w) => w.dispose());
          this.bestWeights = context.model.getWeights().map((w) => w.clone());
        }
      } else this.waited++;
    }
    // Keras: stop once `wait` reaches `patience` epochs without improvement.
    const waited = this.waited;
    if (!end.best && waited >= early.patience && epoch > 1) {
      context.stop(
        'early-stopped',
        `early stopping after epoch ${epoch}: ${early.monitor} did not improve by more than ${early.minDelta} for ${waited} epoch${waited === 1 ? '' : 's'} (best ${this.bestValue?.toFixed(4)} at epoch ${this.best})`,
      );
    }
  }

  onTrainEnd(context: TrainingContext): void {
    if (this.bestWeights && this.config.restoreBestWeights && context.stopReason !== 'cancelled') context.model.setWeights(this.bestWeights);
  }

  dispose(): void {
    this.bestWeights?.forEach((w) => w.dispose());
    this.bestWeights = undefined;
  }
}

/** Without early stopping: the best epoch is the one with the lowest validation loss (the training loss without validation data). */
export class BestEpoch implements BestEpochTracker {
  private bestValue: number | undefined;
  private best: number | undefined;

  get bestEpoch(): number | undefined {
    return this.best;
  }

  onEpochEnd(end: EpochEnd): void {
    const value = Number.isFinite(end.logs.val_loss) ? end.logs.val_loss : end.logs.loss;
    if (improved(value, this.bestValue, 'min', 0)) {
      this.bestValue = value;
      this.best = end.logs.epoch;
      end.best = true;
    }
  }
}
