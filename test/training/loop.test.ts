import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import type * as tfjs from '@tensorflow/tfjs';
import { analyzeText } from '../../language-server/src/analysis/analyze-file.js';
import { buildTfModel, type TfGraphModule } from '../../language-server/src/training/build-model.js';
import { trainingConfig, type TrainingConfig } from '../../language-server/src/training/config.js';
import { augmentBatch, train } from '../../language-server/src/training/loop.js';
import { bandsDataset } from './synthetic.js';

const tf = createRequire(import.meta.url)('@tensorflow/tfjs') as typeof tfjs;

function setup(source: string): { model: tfjs.LayersModel; config: TrainingConfig } {
  const analysis = analyzeText(source);
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors, []);
  const evaluated = analysis.models[0]?.evaluated;
  const block = analysis.trainings[0];
  assert.ok(evaluated && block);
  return { model: buildTfModel(tf as unknown as TfGraphModule, evaluated) as tfjs.LayersModel, config: trainingConfig(block.settings, undefined) };
}

const dense = (settings: string) => `model m {\n  input (8, 8, 1)\n  Flatten()\n  Dense(16, activation=relu)\n  Dense(4, activation=softmax)\n}\ntrain m {\n${settings}\n}`;

test('a dense net learns the bands well above chance (25%)', async () => {
  const { model, config } = setup(dense('  epochs = 6\n  batch_size = 32\n  optimizer = Adam(learning_rate=0.01)\n  seed = 3'));
  const outcome = await train(tf, model, bandsDataset(), config);
  assert.equal(outcome.stopReason, 'completed');
  assert.equal(outcome.history.length, 6);
  assert.ok((outcome.test?.accuracy ?? 0) > 0.9, `test accuracy ${outcome.test?.accuracy}`);
  // Keras validation_split: the last 10% of 800 training samples.
  assert.equal(outcome.trainSamples, 720);
  assert.equal(outcome.validationSamples, 80);
  const total = outcome.test?.report.confusion.flat().reduce((a, b) => a + b, 0);
  assert.equal(total, 200);
  assert.ok((outcome.history[5]?.loss ?? 1) < (outcome.history[0]?.loss ?? 0), 'loss fell');
  model.dispose();
});

test('a conv net with augmentation and from_logits learns too', async () => {
  const source = `model c {\n  input (8, 8, 1)\n  Conv2D(8, 3, padding=same, activation=relu)\n  MaxPooling2D(2)\n  Flatten()\n  Dense(4)\n}\ntrain c {\n  epochs = 5\n  batch_size = 32\n  optimizer = Adam(learning_rate=0.01)\n  loss = SparseCategoricalCrossentropy(from_logits=true)\n  augment = Augment(brightness=0.05)\n  seed = 5\n}`;
  const { model, config } = setup(source);
  const outcome = await train(tf, model, bandsDataset(), config);
  assert.ok((outcome.test?.accuracy ?? 0) > 0.85, `test accuracy ${outcome.test?.accuracy}`);
  model.dispose();
});

test('the same seed gives the same history', async () => {
  const settings = '  epochs = 2\n  batch_size = 64\n  seed = 11';
  const a = setup(dense(settings));
  const first = await train(tf, a.model, bandsDataset(), a.config);
  const b = setup(dense(settings));
  // Same weights as the first model: initialisation is not what this test is about.
  b.model.setWeights(a.model.getWeights());
  const c = setup(dense(settings));
  c.model.setWeights(b.model.getWeights());
  const second = await train(tf, b.model, bandsDataset(), b.config);
  const third = await train(tf, c.model, bandsDataset(), c.config);
  assert.ok(first.history.length === 2);
  assert.deepEqual(second.history.map((h) => h.loss), third.history.map((h) => h.loss));
  [a, b, c].forEach((s) => s.model.dispose());
});

test('early stopping stops after `patience` epochs without improvement, and restores the best weights', async () => {
  // min_delta=0.5: after the first epoch no later one counts as an improvement.
  const settings = '  epochs = 30\n  batch_size = 16\n  optimizer = Adam(learning_rate=0.01)\n  early_stopping = EarlyStopping(monitor=val_loss, patience=2, min_delta=0.5, restore_best_weights=true)\n  seed = 2';
  const { model, config } = setup(dense(settings));
  const data = bandsDataset();
  const outcome = await train(tf, model, data, config);
  assert.equal(outcome.stopReason, 'early-stopped');
  // Keras: epoch 1 is best; epochs 2 and 3 do not improve; patience 2 → stop after epoch 3.
  assert.equal(outcome.history.length, 3);
  assert.equal(outcome.bestEpoch, 1);
  assert.ok((outcome.history[2]?.val_loss ?? 0) < (outcome.history[0]?.val_loss ?? 0), 'later epochs were better, yet within min_delta');
  // The model now has epoch 1's weights: it scores epoch 1's validation loss again.
  const x = tf.tensor(data.train.images.subarray(720 * 64, 800 * 64), [80, 8, 8, 1], 'int32').toFloat().div(255);
  const y = tf.oneHot(tf.tensor1d(data.train.labels.subarray(720, 800), 'int32'), 4).toFloat();
  const [loss] = model.evaluate(x, y) as tfjs.Scalar[];
  assert.ok(Math.abs(((await loss?.data())?.[0] ?? 0) - (outcome.history[0]?.val_loss ?? 1)) < 1e-4);
  model.dispose();
});

test('a diverging loss stops training with a clear message', async () => {
  const { model, config } = setup(dense('  epochs = 5\n  optimizer = SGD(learning_rate=1e30)\n  loss = mse'));
  const outcome = await train(tf, model, bandsDataset(), { ...config, loss: { name: 'SparseCategoricalCrossentropy', fromLogits: true } });
  assert.equal(outcome.stopReason, 'diverged');
  assert.match(outcome.stopMessage ?? '', /training diverged; lower the learning rate/);
  model.dispose();
});

test('cancelling stops between batches', async () => {
  const { model, config } = setup(dense('  epochs = 50\n  batch_size = 8'));
  const controller = new AbortController();
  let batches = 0;
  const outcome = await train(tf, model, bandsDataset(), config, {
    signal: controller.signal,
    batchEventIntervalMs: 0,
    onEvent: (e) => {
      if (e.type === 'batch' && ++batches === 5) controller.abort();
    },
  });
  assert.equal(outcome.stopReason, 'cancelled');
  assert.equal(outcome.history.length, 0);
  assert.equal(outcome.test, undefined);
  model.dispose();
});

test('--limit trains on the first N samples', async () => {
  const { model, config } = setup(dense('  epochs = 1\n  validation = test'));
  const outcome = await train(tf, model, bandsDataset(), config, { limit: 100 });
  assert.equal(outcome.trainSamples, 100);
  assert.equal(outcome.validationSamples, 100);
  assert.equal(outcome.testSamples, 100);
  model.dispose();
});

test('ReduceLROnPlateau lowers the learning rate after `patience` epochs without improvement', async () => {
  // min_delta=10: nothing ever counts as an improvement after the first epoch.
  const settings = '  epochs = 4\n  optimizer = Adam(learning_rate=0.01)\n  reduce_lr = ReduceLROnPlateau(monitor=val_loss, factor=0.5, patience=1, min_delta=10)\n  seed = 4';
  const { model, config } = setup(dense(settings));
  const messages: string[] = [];
  const outcome = await train(tf, model, bandsDataset(), config, { onEvent: (e) => e.type === 'message' && messages.push(e.text) });
  // Epoch 1 sets the reference; epochs 2, 3 and 4 each wait out patience 1 and halve the rate.
  assert.deepEqual(
    outcome.history.map((h) => Number(h.learning_rate.toPrecision(6))),
    [0.01, 0.01, 0.005, 0.0025],
  );
  assert.equal(messages.length, 3);
  model.dispose();
});

test('augmentation keeps shapes and flips really flip', async () => {
  const { model, config } = setup(dense('  epochs = 1\n  augment = Augment(rotation=15, width_shift=0.1, height_shift=0.1, zoom=0.1, horizontal_flip=true)\n  seed = 9'));
  const outcome = await train(tf, model, bandsDataset({ train: 200, test: 40 }), config);
  assert.equal(outcome.stopReason, 'completed');
  assert.ok(Number.isFinite(outcome.history[0]?.loss));
  model.dispose();
  // Layerlab's own augmentation: a band at column 1 moves to column 6 of 8 when the draw says flip,
  // stays when it does not; the vertical flip moves row 1 to row 6.
  const none = { rotation: 0, widthShift: 0, heightShift: 0, zoom: 0, horizontalFlip: false, verticalFlip: false, brightness: 0 };
  const column = tf.tensor4d(Array.from({ length: 64 }, (_, i) => (i % 8 === 1 ? 1 : 0)), [1, 8, 8, 1]);
  const flipped = await augmentBatch(tf, column, { ...none, horizontalFlip: true }, () => 0.1).data();
  assert.deepEqual([flipped[6], flipped[1]], [1, 0]);
  const kept = await augmentBatch(tf, column, { ...none, horizontalFlip: true }, () => 0.9).data();
  assert.deepEqual([kept[6], kept[1]], [0, 1]);
  const row = tf.tensor4d(Array.from({ length: 64 }, (_, i) => (Math.floor(i / 8) === 1 ? 1 : 0)), [1, 8, 8, 1]);
  const upsideDown = await augmentBatch(tf, row, { ...none, verticalFlip: true }, () => 0.1).data();
  assert.deepEqual([upsideDown[6 * 8], upsideDown[8]], [1, 0]);
  tf.dispose([column, row]);
});
