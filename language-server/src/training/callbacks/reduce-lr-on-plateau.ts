import type { ReduceLrConfig } from '../config.js';
import type { EpochEnd, TrainingCallback, TrainingContext } from './callback.js';
import { improved, logValue } from './monitor.js';

/**
 * Keras `ReduceLROnPlateau`: once `monitor` has not improved by more than `min_delta` for `patience` epochs
 * (outside the `cooldown` after a reduction), multiplies the learning rate by `factor`, not below `min_lr`,
 * and says so in a message event.
 */
export class ReduceLROnPlateau implements TrainingCallback {
  private best: number | undefined;
  private waited = 0;
  private cooldown = 0;

  constructor(private readonly config: ReduceLrConfig) {}

  onEpochEnd(end: EpochEnd, context: TrainingContext): void {
    const reduce = this.config;
    const value = logValue(end.logs, reduce.monitor);
    if (this.cooldown > 0) this.cooldown--;
    if (improved(value, this.best, reduce.mode, reduce.minDelta)) {
      this.best = value;
      this.waited = 0;
    } else if (this.cooldown === 0 && ++this.waited >= reduce.patience) {
      // The rate the epoch ran with, as its logs record it.
      const learningRate = end.logs.learning_rate;
      const next = Math.max(learningRate * reduce.factor, reduce.minLr);
      if (next < learningRate) {
        context.learningRate = next;
        context.emit({ type: 'message', text: `epoch ${end.logs.epoch}: learning rate reduced to ${next}` });
      }
      this.cooldown = reduce.cooldown;
      this.waited = 0;
    }
  }
}
