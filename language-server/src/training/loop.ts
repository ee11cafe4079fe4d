import type * as tfjs from '@tensorflow/tfjs';
import type { AugmentConfig, TrainingConfig } from './config.js';
import type { ImageDataset, ImageSplit } from './data/types.js';
import { classReport, type ClassReport } from './metrics.js';
import { seededRandom, shuffledIndices } from '../common/random.js';
import { CallbackList, TrainingContext, type TrainingCallback } from './callbacks/callback.js';
import { BestEpoch, EarlyStopping, type BestEpochTracker } from './callbacks/early-stopping.js';
import { History, Progress } from './callbacks/progress.js';
import { ReduceLROnPlateau } from './callbacks/reduce-lr-on-plateau.js';
import { TerminateOnNaN } from './callbacks/terminate-on-nan.js';

import type { BatchLogs, EpochLogs, StopReason, TrainingEvent } from './events.js';

export type { BatchLogs, EpochLogs, StopReason, TrainingEvent } from './events.js';

type Tf = typeof tfjs;

export interface TestResults {
  readonly loss: number;
  readonly accuracy: number;
  readonly report: ClassReport;
  /** Softmax confidence of the predicted class, per test sample (for galleries). */
  readonly confidence: number[];
  readonly predicted: number[];
}

export interface TrainingOutcome {
  readonly history: readonly EpochLogs[];
  readonly batches: readonly BatchLogs[];
  readonly stopReason: StopReason;
  readonly stopMessage?: string;
  readonly bestEpoch?: number;
  readonly test?: TestResults;
  readonly samplesPerSecond: number;
  readonly seconds: number;
  readonly trainSamples: number;
  readonly validationSamples: number;
  readonly testSamples: number;
  readonly overfitting?: { readonly trainAccuracy: number; readonly validationAccuracy: number; readonly gap: number };
}

export interface TrainingOptions {
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: TrainingEvent) => void;
  /** Called after every finished epoch, to save the run record. */
  readonly onEpochSaved?: (history: readonly EpochLogs[]) => Promise<void> | void;
  /** Train on the first N samples only (test set: the first N too). */
  readonly limit?: number;
  /** Minimum time between batch events. */
  readonly batchEventIntervalMs?: number;
  /** Keras `fit(initial_epoch=…)`: epochs already done elsewhere; training runs epochs initialEpoch+1..config.epochs. */
  readonly initialEpoch?: number;
}

interface Split {
  readonly x: tfjs.Tensor;
  readonly labels: Uint8Array;
  readonly count: number;
}

/** Pixels as a float tensor in [0, 1], reshaped to the model's input. */
function toTensor(tf: Tf, split: ImageSplit, start: number, count: number, imageSize: number, inputShape: readonly (number | null)[]): tfjs.Tensor {
  const bytes = split.images.subarray(start * imageSize, (start + count) * imageSize);
  return tf.tidy(() => tf.tensor(bytes, [count, imageSize], 'int32').toFloat().div(255).reshape([count, ...inputShape.map((d) => d ?? -1)]));
}

function lossFunction(tf: Tf, config: TrainingConfig): (yTrue: tfjs.Tensor, yPred: tfjs.Tensor) => tfjs.Tensor {
  const { name, fromLogits } = config.loss;
  const epsilon = 1e-7;
  return (yTrue, yPred) =>
    tf.tidy(() => {
      switch (name) {
        case 'SparseCategoricalCrossentropy':
        case 'CategoricalCrossentropy': {
          if (fromLogits) return tf.losses.softmaxCrossEntropy(yTrue, yPred);
          // Keras: normalise, clip, then -Σ y·log(p).
          const probabilities = yPred.div(yPred.sum(-1, true)).clipByValue(epsilon, 1 - epsilon);
          return yTrue.mul(probabilities.log()).sum(-1).neg().mean();
        }
        case 'BinaryCrossentropy': {
          if (fromLogits) return tf.losses.sigmoidCrossEntropy(yTrue, yPred);
          const p = yPred.clipByValue(epsilon, 1 - epsilon);
          return yTrue.mul(p.log()).add(tf.scalar(1).sub(yTrue).mul(tf.scalar(1).sub(p).log())).neg().mean();
        }
        case 'MeanAbsoluteError':
          return yTrue.sub(yPred).abs().mean();
        default:
          return yTrue.sub(yPred).square().mean();
      }
    });
}

function optimizer(tf: Tf, config: TrainingConfig): tfjs.Optimizer {
  const a = config.optimizer.args;
  const n = (key: string, fallback: number) => (typeof a[key] === 'number' ? (a[key] as number) : fallback);
  const b = (key: string) => a[key] === true;
  const lr = n('learning_rate', 0.001);
  switch (config.optimizer.name) {
    case 'SGD':
      return n('momentum', 0) > 0 ? tf.train.momentum(n('learning_rate', 0.01), n('momentum', 0), b('nesterov')) : tf.train.sgd(n('learning_rate', 0.01));
    case 'RMSprop':
      return tf.train.rmsprop(lr, n('rho', 0.9), n('momentum', 0), n('epsilon', 1e-7), b('centered'));
    case 'Adagrad':
      return tf.train.adagrad(lr, n('initial_accumulator_value', 0.1));
    case 'Adadelta':
      return tf.train.adadelta(lr, n('rho', 0.95), n('epsilon', 1e-7));
    case 'Adamax':
      return tf.train.adamax(lr, n('beta_1', 0.9), n('beta_2', 0.999), n('epsilon', 1e-7));
    default:
      return tf.train.adam(lr, n('beta_1', 0.9), n('beta_2', 0.999), n('epsilon', 1e-7));
  }
}

/** Random image transformations as tensor ops on a batch (NHWC), as Keras ImageDataGenerator. */
export function augmentBatch(tf: Tf, x: tfjs.Tensor4D, augment: AugmentConfig, random: () => number): tfjs.Tensor4D {
  return tf.tidy(() => {
    let images = x;
    const [count, height, width] = x.shape;
    if (augment.horizontalFlip && random() < 0.5) images = tf.image.flipLeftRight(images);
    if (augment.verticalFlip && random() < 0.5) images = images.reverse(1);
    if (augment.rotation || augment.widthShift || augment.heightShift || augment.zoom) {
      // One affine transform per batch keeps this to a single projective warp.
      const angle = ((random() * 2 - 1) * augment.rotation * Math.PI) / 180;
      const zoom = 1 + (random() * 2 - 1) * augment.zoom;
      const tx = (random() * 2 - 1) * augment.widthShift * width;
      const ty = (random() * 2 - 1) * augment.heightShift * height;
      const cos = Math.cos(angle) / zoom;
      const sin = Math.sin(angle) / zoom;
      const cx = width / 2;
      const cy = height / 2;
      const transform = [cos, -sin, cx - cos * cx + sin * cy + tx, sin, cos, cy - sin * cx - cos * cy + ty, 0, 0];
      images = tf.image.transform(images, tf.tensor2d([transform], [1, 8]).tile([count, 1]) as tfjs.Tensor2D, 'bilinear', 'constant', 0);
    }
    if (augment.brightness) images = images.add((random() * 2 - 1) * augment.brightness).clipByValue(0, 1) as tfjs.Tensor4D;
    return images;
  });
}

/** Images per split as the loop takes them: `validation` of the training images held out, or the test set. */
export function splitCounts(train: number, test: number, config: TrainingConfig): { train: number; validation: number; test: number } {
  if (config.validation.kind === 'test') return { train, validation: test, test };
  const validation = Math.floor(train * config.validation.fraction);
  return { train: train - validation, validation, test };
}

/** The fit and validation images as tensors (Keras' validation_split: the last fraction of the training data, taken before shuffling). */
interface Splits {
  readonly fit: Split;
  readonly fitLabels: tfjs.Tensor;
  readonly validation: Split;
  readonly validationLabels: tfjs.Tensor | undefined;
  readonly testCount: number;
  /** The pixels of `count` images from `start` of a split, as the model's input. */
  readonly images: (split: ImageSplit, start: number, count: number) => tfjs.Tensor;
  readonly oneHot: (labels: Uint8Array) => tfjs.Tensor;
}

function prepareSplits(tf: Tf, model: tfjs.LayersModel, dataset: ImageDataset, config: TrainingConfig, limit: number | undefined): Splits {
  const classes = dataset.classNames.length;
  const imageSize = dataset.shape[0] * dataset.shape[1] * dataset.shape[2];
  const inputShape = (model.inputs[0]?.shape ?? []).slice(1);
  const trainCount = Math.min(dataset.train.count, limit ?? Infinity);
  const testCount = Math.min(dataset.test.count, limit ?? Infinity);
  const heldOut = config.validation.kind === 'fraction' ? splitCounts(trainCount, testCount, config).validation : 0;
  const fitCount = trainCount - heldOut;
  if (fitCount <= 0) throw new Error(`no training samples left: ${trainCount} samples and validation = ${config.validation.kind === 'fraction' ? config.validation.fraction : 'test'}`);
  const images = (split: ImageSplit, start: number, count: number) => toTensor(tf, split, start, count, imageSize, inputShape);
  const oneHot = (labels: Uint8Array) => tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), classes).toFloat());

  const fit: Split = { x: images(dataset.train, 0, fitCount), labels: dataset.train.labels.subarray(0, fitCount), count: fitCount };
  const validation: Split =
    config.validation.kind === 'test'
      ? { x: images(dataset.test, 0, testCount), labels: dataset.test.labels.subarray(0, testCount), count: testCount }
      : { x: images(dataset.train, fitCount, heldOut), labels: dataset.train.labels.subarray(fitCount, trainCount), count: heldOut };
  const fitLabels = oneHot(fit.labels);
  const validationLabels = validation.count ? oneHot(validation.labels) : undefined;
  return { fit, fitLabels, validation, validationLabels, testCount, images, oneHot };
}

/** Loss and accuracy of `model` on `x`, read asynchronously. */
async function evaluateOn(model: tfjs.LayersModel, x: tfjs.Tensor, y: tfjs.Tensor, batchSize: number): Promise<[number, number]> {
  const result = model.evaluate(x, y, { batchSize: Math.max(batchSize, 256) });
  const [loss, accuracy] = Array.isArray(result) ? result : [result];
  const values = [await (loss?.data() ?? Promise.resolve([Number.NaN])), await (accuracy?.data() ?? Promise.resolve([Number.NaN]))];
  (Array.isArray(result) ? result : [result]).forEach((t) => t.dispose());
  return [values[0]?.[0] ?? Number.NaN, values[1]?.[0] ?? Number.NaN];
}

/** The callbacks of a run, in the order they are called: NaN guard, history, best epoch (early stopping), progress, learning-rate reduction. */
function callbacksFor(config: TrainingConfig, options: TrainingOptions): { list: CallbackList; history: History; tracker: BestEpochTracker } {
  const history = new History();
  const tracker: BestEpochTracker = config.earlyStopping ? new EarlyStopping(config.earlyStopping) : new BestEpoch();
  const callbacks: TrainingCallback[] = [new TerminateOnNaN(), history, tracker, new Progress(history, options.batchEventIntervalMs ?? 100, options.onEpochSaved)];
  if (config.reduceLr) callbacks.push(new ReduceLROnPlateau(config.reduceLr));
  return { list: new CallbackList(callbacks), history, tracker };
}

/** Samples and seconds spent on batches so far: throughput counts the whole batch (gathering, augmentation and the step). */
interface Throughput {
  samples: number;
  seconds: number;
}

/**
 * One epoch: the batches in a (seeded) shuffled order, each gathered, augmented and trained on, then the
 * validation. Returns the epoch's logs, or undefined when it was cancelled or a callback stopped training mid-epoch.
 */
async function runEpoch(
  tf: Tf,
  model: tfjs.LayersModel,
  splits: Splits,
  config: TrainingConfig,
  epoch: number,
  random: () => number,
  run: { readonly callbacks: CallbackList; readonly context: TrainingContext; readonly throughput: Throughput; readonly signal: AbortSignal | undefined },
): Promise<EpochLogs | undefined> {
  const { fit, fitLabels } = splits;
  const { callbacks, context, throughput } = run;
  const epochStart = performance.now();
  const batches = Math.ceil(fit.count / config.batchSize);
  const order = config.shuffle ? shuffledIndices(fit.count, random) : Int32Array.from({ length: fit.count }, (_, i) => i);
  let lossSum = 0;
  let accuracySum = 0;
  let seen = 0;
  for (let b = 0; b < batches; b++) {
    if (run.signal?.aborted) {
      context.stop('cancelled', `cancelled during epoch ${epoch}`);
      return undefined;
    }
    const batchStart = performance.now();
    const from = b * config.batchSize;
    const size = Math.min(config.batchSize, fit.count - from);
    const indices = tf.tensor1d(order.subarray(from, from + size), 'int32');
    let x = tf.gather(fit.x, indices);
    const y = tf.gather(fitLabels, indices);
    indices.dispose();
    if (config.augment && x.rank === 4) {
      const augmented = augmentBatch(tf, x as tfjs.Tensor4D, config.augment, random);
      x.dispose();
      x = augmented;
    }
    const result = await model.trainOnBatch(x, y);
    throughput.seconds += (performance.now() - batchStart) / 1000;
    x.dispose();
    y.dispose();
    const [loss, accuracy] = Array.isArray(result) ? result : [result, Number.NaN];
    const lossValue = loss ?? Number.NaN;
    const logs: BatchLogs = { epoch, batch: b + 1, batches, loss: lossValue, accuracy: accuracy ?? Number.NaN, samplesPerSecond: (throughput.samples + size) / Math.max(throughput.seconds, 1e-9) };
    callbacks.onBatchEnd(logs, context);
    if (context.stopTraining) return undefined;
    lossSum += lossValue * size;
    accuracySum += (accuracy ?? 0) * size;
    seen += size;
    throughput.samples += size;
    // Let a cancel message in between batches.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const [valLoss, valAccuracy] = splits.validationLabels ? await evaluateOn(model, splits.validation.x, splits.validationLabels, config.batchSize) : [Number.NaN, Number.NaN];
  return { epoch, loss: lossSum / seen, accuracy: accuracySum / seen, val_loss: valLoss, val_accuracy: valAccuracy, learning_rate: context.learningRate, seconds: (performance.now() - epochStart) / 1000 };
}

/** The test set's loss, accuracy, per-class report and predictions (the validation tensors when validation is the test set). */
async function testModel(model: tfjs.LayersModel, dataset: ImageDataset, config: TrainingConfig, splits: Splits): Promise<TestResults> {
  const testCount = splits.testCount;
  const x = config.validation.kind === 'test' ? splits.validation.x : splits.images(dataset.test, 0, testCount);
  const y = config.validation.kind === 'test' && splits.validationLabels ? splits.validationLabels : splits.oneHot(dataset.test.labels.subarray(0, testCount));
  const [loss, accuracy] = await evaluateOn(model, x, y, config.batchSize);
  const predictions = model.predict(x, { batchSize: 256 }) as tfjs.Tensor;
  const predicted = Array.from(await predictions.argMax(-1).data());
  const confidence = Array.from(await predictions.max(-1).data());
  predictions.dispose();
  if (config.validation.kind !== 'test') {
    x.dispose();
    y.dispose();
  }
  return { loss, accuracy, report: classReport(dataset.test.labels.subarray(0, testCount), predicted, dataset.classNames.length), confidence, predicted };
}

/**
 * Trains `model` (compiled here) on the data set with the block's settings:
 * seeded shuffling, augmentation in the data path, cancellation between batches, and Keras-style
 * callbacks (training/callbacks): NaN detection, early stopping with best weights, learning-rate
 * reduction, progress events.
 */
export async function train(tf: Tf, model: tfjs.LayersModel, dataset: ImageDataset, config: TrainingConfig, options: TrainingOptions = {}): Promise<TrainingOutcome> {
  const started = performance.now();
  const splits = prepareSplits(tf, model, dataset, config, options.limit);
  const opt = optimizer(tf, config);
  model.compile({ optimizer: opt, loss: lossFunction(tf, config), metrics: ['categoricalAccuracy'] });

  const random = seededRandom(config.seed);
  const context = new TrainingContext(model, opt, (event) => options.onEvent?.(event));
  const { list: callbacks, history, tracker } = callbacksFor(config, options);
  const throughput: Throughput = { samples: 0, seconds: 0 };
  try {
    callbacks.onTrainBegin(context);
    for (let epoch = (options.initialEpoch ?? 0) + 1; epoch <= config.epochs; epoch++) {
      callbacks.onEpochBegin(epoch, context);
      const logs = await runEpoch(tf, model, splits, config, epoch, random, { callbacks, context, throughput, signal: options.signal });
      if (!logs) break;
      await callbacks.onEpochEnd({ logs, best: false }, context);
      if (context.stopTraining) break;
    }
    callbacks.onTrainEnd(context);

    const stopReason = context.stopReason;
    const test = stopReason !== 'cancelled' && stopReason !== 'diverged' && splits.testCount > 0 ? await testModel(model, dataset, config, splits) : undefined;
    const last = history.epochs[history.epochs.length - 1];
    const gap = last ? last.accuracy - last.val_accuracy : Number.NaN;
    const bestEpoch = tracker.bestEpoch;
    return {
      history: history.epochs,
      batches: history.batches,
      stopReason,
      ...(context.stopMessage ? { stopMessage: context.stopMessage } : {}),
      ...(bestEpoch !== undefined ? { bestEpoch } : {}),
      ...(test ? { test } : {}),
      samplesPerSecond: throughput.samples / Math.max(throughput.seconds, 1e-9),
      seconds: (performance.now() - started) / 1000,
      trainSamples: splits.fit.count,
      validationSamples: splits.validation.count,
      testSamples: splits.testCount,
      ...(last && Number.isFinite(gap) && gap > 0.1 ? { overfitting: { trainAccuracy: last.accuracy, validationAccuracy: last.val_accuracy, gap } } : {}),
    };
  } finally {
    splits.fit.x.dispose();
    splits.fitLabels.dispose();
    splits.validation.x.dispose();
    splits.validationLabels?.dispose();
    callbacks.dispose();
    opt.dispose();
  }
}
