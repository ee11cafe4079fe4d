import type { BatchLogs } from '../events.js';
import type { TrainingCallback, TrainingContext } from './callback.js';

/** Keras `TerminateOnNaN`: a batch whose loss is not finite ends training as diverged, with what to try. */
export class TerminateOnNaN implements TrainingCallback {
  onBatchEnd(logs: BatchLogs, context: TrainingContext): void {
    if (Number.isFinite(logs.loss)) return;
    context.stop(
      'diverged',
      `the loss became ${logs.loss} in epoch ${logs.epoch}, batch ${logs.batch}: training diverged; lower the learning rate (now ${context.optimizer.getConfig()['learningRate'] ?? '?'}), check the data scaling, or add BatchNormalization`,
    );
  }
}
