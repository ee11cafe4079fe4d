import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as tfjs from '@tensorflow/tfjs';
import { CallbackList, TrainingContext, type EpochEnd, type TrainingCallback } from '../../language-server/src/training/callbacks/callback.js';
import { BestEpoch, EarlyStopping } from '../../language-server/src/training/callbacks/early-stopping.js';
import { improved, logValue } from '../../language-server/src/training/callbacks/monitor.js';
import { History, Progress } from '../../language-server/src/training/callbacks/progress.js';
import { ReduceLROnPlateau } from '../../language-server/src/training/callbacks/reduce-lr-on-plateau.js';
import { TerminateOnNaN } from '../../language-server/src/training/callbacks/terminate-on-nan.js';
import type { EarlyStoppingConfig, ReduceLrConfig } from '../../language-server/src/training/config.js';
import type { BatchLogs, EpochLogs, TrainingEvent } from '../../language-server/src/training/loop.js';

/** A stand-in for a weight tensor: a number, with the clone and dispose the callbacks use. */
class FakeTensor {
  disposed = false;
  constructor(readonly value: number) {}
  clone(): FakeTensor {
    return new FakeTensor(this.value);
  }
  dispose(): void {
    this.disposed = true;
  }
}

/** A model whose one weight is a number, and an optimizer with a learning rate: all the callbacks touch. */
function fakeRun(learningRate = 0.01): { context: TrainingContext; events: TrainingEvent[]; weights: { value: number }; optimizer: { learningRate: number } } {
  const weights = { value: 0 };
  const model = { getWeights: () => [new FakeTensor(weights.value)], setWeights: (w: FakeTensor[]) => (weights.value = w[0]?.value ?? Number.NaN) };
  const optimizer = { learningRate, getConfig: () => ({ learningRate: optimizer.learningRate }) };
  const events: TrainingEvent[] = [];
  const context = new TrainingContext(model as unknown as tfjs.LayersModel, optimizer as unknown as tfjs.Optimizer, (e) => events.push(e));
  return { context, events, weights, optimizer };
}

function epoch(n: number, values: Partial<EpochLogs> = {}): EpochEnd {
  return { logs: { epoch: n, loss: 1, accuracy: 0.5, val_loss: 1, val_accuracy: 0.5, learning_rate: 0.01, seconds: 1, ...values }, best: false };
}

function batch(n: number, of: number, loss = 0.5): BatchLogs {
  return { epoch: 1, batch: n, batches: of, loss, accuracy: 0.5, samplesPerSecond: 100 };
}

const early = (config: Partial<EarlyStoppingConfig>): EarlyStoppingConfig => ({ monitor: 'val_loss', mode: 'min', patience: 0, minDelta: 0, restoreBestWeights: false, startFromEpoch: 0, ...config });
const reduce = (config: Partial<ReduceLrConfig>): ReduceLrConfig => ({ monitor: 'val_loss', mode: 'min', factor: 0.1, patience: 10, minDelta: 0.0001, cooldown: 0, minLr: 0, ...config });

test('monitor: improvement by more than min_delta, in either direction; acc and val_acc as Keras\' old names', () => {
  assert.equal(improved(5, undefined, 'min', 0), true);
  assert.equal(improved(0.9, 1, 'min', 0.1), false);
  assert.equal(improved(0.89, 1, 'min', 0.1), true);
  assert.equal(improved(1.2, 1, 'max', 0.1), true);
  const logs = epoch(1, { accuracy: 0.7, val_accuracy: 0.6 }).logs;
  assert.equal(logValue(logs, 'acc'), 0.7);
  assert.equal(logValue(logs, 'val_acc'), 0.6);
  assert.ok(Number.isNaN(logValue(logs, 'auc')));
});

test('EarlyStopping: stops after patience epochs without improvement, never after epoch 1, and restores the best weights', () => {
  const { context, weights } = fakeRun();
  const stopping = new EarlyStopping(early({ patience: 2, minDelta: 0.5, restoreBestWeights: true }));
  const losses = [1, 0.8, 0.7];
  const ends = losses.map((loss, i) => {
    weights.value = i + 1;
    const end = epoch(i + 1, { val_loss: loss });
    stopping.onEpochEnd(end, context);
    return end;
  });
  assert.deepEqual(ends.map((e) => e.best), [true, false, false]);
  assert.equal(stopping.bestEpoch, 1);
  assert.equal(context.stopTraining, true);
  assert.equal(context.stopReason, 'early-stopped');
  assert.equal(context.stopMessage, 'early stopping after epoch 3: val_loss did not improve by more than 0.5 for 2 epochs (best 1.0000 at epoch 1)');
  stopping.onTrainEnd(context);
  assert.equal(weights.value, 1);
  stopping.dispose();
});

test('EarlyStopping: patience 0 still trains two epochs; start_from_epoch and NaN values are not judged', () => {
  const first = fakeRun();
  const zero = new EarlyStopping(early({ patience: 0 }));
  zero.onEpochEnd(epoch(1, { val_loss: 1 }), first.context);
  assert.equal(first.context.stopTraining, false);
  zero.onEpochEnd(epoch(2, { val_loss: 2 }), first.context);
  assert.equal(first.context.stopTraining, true);

  const second = fakeRun();
  const late = new EarlyStopping(early({ patience: 1, startFromEpoch: 2 }));
  for (const n of [1, 2]) late.onEpochEnd(epoch(n, { val_loss: 10 - n }), second.context);
  assert.equal(late.bestEpoch, undefined);
  late.onEpochEnd(epoch(3, { val_loss: Number.NaN }), second.context);
  assert.equal(late.bestEpoch, undefined);
  const third = epoch(4, { val_loss: 3 });
  late.onEpochEnd(third, second.context);
  assert.equal(third.best, true);
  assert.equal(second.context.stopTraining, false);
});

test('EarlyStopping: a cancelled run keeps its last weights; dispose frees the copy', () => {
  const { context, weights } = fakeRun();
  const stopping = new EarlyStopping(early({ patience: 5, restoreBestWeights: true }));
  stopping.onEpochEnd(epoch(1, { val_loss: 1 }), context);
  weights.value = 7;
  context.stop('cancelled', 'cancelled during epoch 2');
  stopping.onTrainEnd(context);
  assert.equal(weights.value, 7);
  stopping.dispose();
});

test('BestEpoch: the lowest validation loss, or the training loss without validation data', () => {
  const best = new BestEpoch();
  const ends = [epoch(1, { val_loss: 2 }), epoch(2, { val_loss: 1 }), epoch(3, { val_loss: 1 })];
  for (const end of ends) best.onEpochEnd(end);
  assert.deepEqual(ends.map((e) => e.best), [true, true, false]);
  assert.equal(best.bestEpoch, 2);
  const training = new BestEpoch();
  const noValidation = [epoch(1, { val_loss: Number.NaN, loss: 3 }), epoch(2, { val_loss: Number.NaN, loss: 4 })];
  for (const end of noValidation) training.onEpochEnd(end);
  assert.equal(training.bestEpoch, 1);
});

test('ReduceLROnPlateau: multiplies the rate by factor after patience, not below min_lr, then waits out the cooldown', () => {
  const { context, events, optimizer } = fakeRun(0.01);
  const plateau = new ReduceLROnPlateau(reduce({ factor: 0.5, patience: 1, minDelta: 10, cooldown: 2, minLr: 0.004 }));
  const rates: number[] = [];
  for (let n = 1; n <= 6; n++) {
    plateau.onEpochEnd(epoch(n, { learning_rate: optimizer.learningRate }), context);
    rates.push(optimizer.learningRate);
  }
  // Epoch 1 sets the reference; 2 reduces; 3 is cooldown (as in Keras, the epoch that ends it already counts); 4 reduces to
  // min_lr; 5 is cooldown; 6 would go below min_lr, so no message.
  assert.deepEqual(rates, [0.01, 0.005, 0.005, 0.004, 0.004, 0.004]);
  assert.deepEqual(events, [
    { type: 'message', text: 'epoch 2: learning rate reduced to 0.005' },
    { type: 'message', text: 'epoch 4: learning rate reduced to 0.004' },
  ]);
  assert.equal(context.stopTraining, false);
});

test('TerminateOnNaN: a loss that is not finite ends training as diverged, naming the learning rate', () => {
  const { context } = fakeRun(0.5);
  const guard = new TerminateOnNaN();
  guard.onBatchEnd(batch(1, 4, 0.3), context);
  assert.equal(context.stopTraining, false);
  guard.onBatchEnd(batch(2, 4, Number.POSITIVE_INFINITY), context);
  assert.equal(context.stopReason, 'diverged');
  assert.equal(context.stopMessage, 'the loss became Infinity in epoch 1, batch 2: training diverged; lower the learning rate (now 0.5), check the data scaling, or add BatchNormalization');
});

test('Progress: batch events at most every interval and always for the last batch; the epoch event, then the save', async () => {
  const { context, events } = fakeRun();
  const history = new History();
  let clock = 0;
  const saved: number[] = [];
  const progress = new Progress(history, 100, (h) => void saved.push(h.length), () => clock);
  for (const [n, at] of [[1, 100], [2, 150], [3, 250], [4, 260]] as const) {
    clock = at;
    history.onBatchEnd(batch(n, 4));
    progress.onBatchEnd(batch(n, 4), context);
  }
  assert.deepEqual(events.map((e) => (e.type === 'batch' ? e.logs.batch : e.type)), [1, 3, 4]);
  assert.equal(history.batches.length, 4);
  const end = { ...epoch(1), best: true };
  history.onEpochEnd(end);
  await progress.onEpochEnd(end, context);
  assert.deepEqual(events.at(-1), { type: 'epoch', logs: end.logs, best: true });
  assert.deepEqual(saved, [1]);
});

test('CallbackList: in order; a callback that stops a batch ends it for the ones after it; every callback sees the epoch', async () => {
  const { context } = fakeRun();
  const calls: string[] = [];
  const named = (name: string, stopsBatch = false): TrainingCallback => ({
    onTrainBegin: () => void calls.push(`${name}:begin`),
    onBatchEnd: (logs, c) => {
      calls.push(`${name}:batch${logs.batch}`);
      if (stopsBatch && logs.batch === 2) c.stop('diverged', 'stop');
    },
    onEpochEnd: async (end, c) => {
      calls.push(`${name}:epoch${end.logs.epoch}`);
      c.stopTraining = true;
    },
    onTrainEnd: () => void calls.push(`${name}:end`),
    dispose: () => void calls.push(`${name}:dispose`),
  });
  const list = new CallbackList([named('a', true), named('b')]);
  list.onTrainBegin(context);
  list.onBatchEnd(batch(1, 2), context);
  list.onBatchEnd(batch(2, 2), context);
  await list.onEpochEnd(epoch(1), context);
  list.onTrainEnd(context);
  list.dispose();
  assert.deepEqual(calls, ['a:begin', 'b:begin', 'a:batch1', 'b:batch1', 'a:batch2', 'a:epoch1', 'b:epoch1', 'a:end', 'b:end', 'a:dispose', 'b:dispose']);
});
