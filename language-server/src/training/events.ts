/** What the training loop reports, per batch and per epoch: shared by the loop and its callbacks. */

export interface EpochLogs {
  readonly epoch: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly val_loss: number;
  readonly val_accuracy: number;
  readonly learning_rate: number;
  readonly seconds: number;
}

export interface BatchLogs {
  readonly epoch: number;
  readonly batch: number;
  readonly batches: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly samplesPerSecond: number;
}

export type TrainingEvent =
  | { readonly type: 'batch'; readonly logs: BatchLogs }
  | { readonly type: 'epoch'; readonly logs: EpochLogs; readonly best: boolean }
  | { readonly type: 'message'; readonly text: string };

export type StopReason = 'completed' | 'early-stopped' | 'cancelled' | 'diverged';
