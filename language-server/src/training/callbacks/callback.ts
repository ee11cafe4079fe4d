import type * as tfjs from '@tensorflow/tfjs';
import type { BatchLogs, EpochLogs, StopReason, TrainingEvent } from '../events.js';

/**
 * What the callbacks share with the training loop, as Keras' `self.model` and `model.stop_training`:
 * a callback that ends training sets `stopTraining` through `stop`, with the reason the outcome reports.
 */
export class TrainingContext {
  stopTraining = false;
  stopReason: StopReason = 'completed';
  stopMessage: string | undefined;

  constructor(
    readonly model: tfjs.LayersModel,
    readonly optimizer: tfjs.Optimizer,
    /** Sends an event to whoever watches the run. */
    readonly emit: (event: TrainingEvent) => void,
  ) {}

  stop(reason: StopReason, message: string): void {
    this.stopTraining = true;
    this.stopReason = reason;
    this.stopMessage = message;
  }

  /** The optimizer's learning rate now (Keras `optimizer.learning_rate`). */
  get learningRate(): number {
    return Number((this.optimizer as unknown as { learningRate: number }).learningRate);
  }

  set learningRate(value: number) {
    (this.optimizer as unknown as { learningRate: number }).learningRate = value;
  }
}

/** One finished epoch as the callbacks see it; the callback that judges improvement marks it `best`. */
export interface EpochEnd {
  readonly logs: EpochLogs;
  best: boolean;
}

/** A Keras-style training callback: each hook is optional. */
export interface TrainingCallback {
  onTrainBegin?(context: TrainingContext): void;
  onEpochBegin?(epoch: number, context: TrainingContext): void;
  /** After each batch's step; a callback that stops training here ends the batch for the callbacks after it. */
  onBatchEnd?(logs: BatchLogs, context: TrainingContext): void;
  /** After each epoch's validation; every callback sees the epoch, then the loop stops if one asked. */
  onEpochEnd?(epoch: EpochEnd, context: TrainingContext): void | Promise<void>;
  /** After the last epoch, unless an error ended training. */
  onTrainEnd?(context: TrainingContext): void;
  /** Frees what the callback holds (tensors); called however training ends. */
  dispose?(): void;
}

/** The callbacks of one run, called in order. */
export class CallbackList {
  constructor(private readonly callbacks: readonly TrainingCallback[]) {}

  onTrainBegin(context: TrainingContext): void {
    for (const c of this.callbacks) c.onTrainBegin?.(context);
  }

  onEpochBegin(epoch: number, context: TrainingContext): void {
    for (const c of this.callbacks) c.onEpochBegin?.(epoch, context);
  }

  onBatchEnd(logs: BatchLogs, context: TrainingContext): void {
    for (const c of this.callbacks) {
      c.onBatchEnd?.(logs, context);
      if (context.stopTraining) return;
    }
  }

  async onEpochEnd(epoch: EpochEnd, context: TrainingContext): Promise<void> {
    for (const c of this.callbacks) await c.onEpochEnd?.(epoch, context);
  }

  onTrainEnd(context: TrainingContext): void {
    for (const c of this.callbacks) c.onTrainEnd?.(context);
  }

  dispose(): void {
    for (const c of this.callbacks) c.dispose?.();
  }
}
