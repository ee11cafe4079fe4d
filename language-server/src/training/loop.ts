import type * as tfjs from '@tensorflow/tfjs';
import type { AugmentConfig, TrainingConfig } from './config.js';
import type { ImageDataset, ImageSplit } from './data/types.js';
import { classReport, type ClassReport } from './metrics.js';
import { seededRandom, shuffledIndices } from '../common/random.js';

type Tf = typeof tfjs;

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

export interface TestResults {
  readonly loss: number;
  readonly accuracy: number;
  readonly report: ClassReport;
  /** Softmax confidence of the predicted class, per test sample (for galleries). */
  readonly confidence: number[];
  readonly predicted: number[];
}

export type TrainingEvent =
  | { readonly type: 'batch'; readonly logs: BatchLogs }
  | { readonly type: 'epoch'; readonly logs: EpochLogs; readonly best: boolean }
  | { readonly type: 'message'; readonly text: string };

export type StopReason = 'completed' | 'early-stopped' | 'cancelled' | 'diverged';

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

function improved(value: number, best: number | undefined, mode: 'min' | 'max', minDelta: number): boolean {
  if (best === undefined) return true;
  return mode === 'min' ? value < best - minDelta : value > best + minDelta;
}

function logValue(logs: EpochLogs, monitor: string): number {
  const value = (logs as unknown as Record<string, number>)[monitor === 'acc' ? 'accuracy' : monitor === 'val_acc' ? 'val_accuracy' : monitor];
  return value ?? Number.NaN;
}

/** Images per split as the loop takes them: `validation` of the training images held out, or the test set. */
export function splitCounts(train: number, test: number, config: TrainingConfig): { train: number; validation: number; test: number } {
  if (config.validation.kind === 'test') return { train, validation: test, test };
  const validation = Math.floor(train * config.validation.fraction);
  return { train: train - validation, validation, test };
}

/**
 * Trains `model` (compiled here) on the data set with the block's settings:
 * seeded shuffling, augmentation in the data path, early stopping with best
 * weights, learning-rate reduction, NaN detection, cancellation between batches.
 */
export async function train(tf: Tf, model: tfjs.LayersModel, dataset: ImageDataset, config: TrainingConfig, options: TrainingOptions = {}): Promise<TrainingOutcome> {
  const started = performance.now();
  const classes = dataset.classNames.length;
  const imageSize = dataset.shape[0] * dataset.shape[1] * dataset.shape[2];
  const inputShape = (model.inputs[0]?.shape ?? []).slice(1);
  const limit = options.limit;
  const trainCount = Math.min(dataset.train.count, limit ?? Infinity);
  const testCount = Math.min(dataset.test.count, limit ?? Infinity);
  const heldOut = config.validation.kind === 'fraction' ? splitCounts(trainCount, testCount, config).validation : 0;
  const fitCount = trainCount - heldOut;
  if (fitCount <= 0) throw new Error(`no training samples left: ${trainCount} samples and validation = ${config.validation.kind === 'fraction' ? config.validation.fraction : 'test'}`);

  // Keras' validation_split: the last fraction of the training data, taken before shuffling.
  const fit: Split = { x: toTensor(tf, dataset.train, 0, fitCount, imageSize, inputShape), labels: dataset.train.labels.subarray(0, fitCount), count: fitCount };
  const validation: Split =
    config.validation.kind === 'test'
      ? { x: toTensor(tf, dataset.test, 0, testCount, imageSize, inputShape), labels: dataset.test.labels.subarray(0, testCount), count: testCount }
      : { x: toTensor(tf, dataset.train, fitCount, heldOut, imageSize, inputShape), labels: dataset.train.labels.subarray(fitCount, trainCount), count: heldOut };
  const oneHot = (labels: Uint8Array) => tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), classes).toFloat());
  const fitLabels = oneHot(fit.labels);
  const validationLabels = validation.count ? oneHot(validation.labels) : undefined;

  const opt = optimizer(tf, config);
  model.compile({ optimizer: opt, loss: lossFunction(tf, config), metrics: ['categoricalAccuracy'] });

  const random = seededRandom(config.seed);
  const history: EpochLogs[] = [];
  const batchLog: BatchLogs[] = [];
  let stopReason: StopReason = 'completed';
  let stopMessage: string | undefined;
  let bestValue: number | undefined;
  let bestEpoch: number | undefined;
  let bestWeights: tfjs.Tensor[] | undefined;
  let waited = 0;
  let lrBest: number | undefined;
  let lrWaited = 0;
  let cooldown = 0;
  let samples = 0;
  let trainingSeconds = 0;
  const batches = Math.ceil(fit.count / config.batchSize);
  const interval = options.batchEventIntervalMs ?? 100;
  let lastEvent = 0;

  const evaluate = async (x: tfjs.Tensor, y: tfjs.Tensor): Promise<[number, number]> => {
    const result = model.evaluate(x, y, { batchSize: Math.max(config.batchSize, 256) });
    const [loss, accuracy] = Array.isArray(result) ? result : [result];
    const values = [await (loss?.data() ?? Promise.resolve([Number.NaN])), await (accuracy?.data() ?? Promise.resolve([Number.NaN]))];
    (Array.isArray(result) ? result : [result]).forEach((t) => t.dispose());
    return [values[0]?.[0] ?? Number.NaN, values[1]?.[0] ?? Number.NaN];
  };

  try {
    epochs: for (let epoch = (options.initialEpoch ?? 0) + 1; epoch <= config.epochs; epoch++) {
      const epochStart = performance.now();
      const order = config.shuffle ? shuffledIndices(fit.count, random) : Int32Array.from({ length: fit.count }, (_, i) => i);
      let lossSum = 0;
      let accuracySum = 0;
      let seen = 0;
      for (let b = 0; b < batches; b++) {
        if (options.signal?.aborted) {
          stopReason = 'cancelled';
          stopMessage = `cancelled during epoch ${epoch}`;
          break epochs;
        }
        // Throughput counts the whole batch: gathering, augmentation and the step.
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
        trainingSeconds += (performance.now() - batchStart) / 1000;
        x.dispose();
        y.dispose();
        const [loss, accuracy] = Array.isArray(result) ? result : [result, Number.NaN];
        const lossValue = loss ?? Number.NaN;
        if (!Number.isFinite(lossValue)) {
          stopReason = 'diverged';
          stopMessage = `the loss became ${lossValue} in epoch ${epoch}, batch ${b + 1}: training diverged; lower the learning rate (now ${opt.getConfig()['learningRate'] ?? '?'}), check the data scaling, or add BatchNormalization`;
          break epochs;
        }
        lossSum += lossValue * size;
        accuracySum += (accuracy ?? 0) * size;
        seen += size;
        samples += size;
        const logs: BatchLogs = { epoch, batch: b + 1, batches, loss: lossValue, accuracy: accuracy ?? Number.NaN, samplesPerSecond: samples / Math.max(trainingSeconds, 1e-9) };
        batchLog.push(logs);
        const now = performance.now();
        if (now - lastEvent >= interval || b === batches - 1) {
          lastEvent = now;
          options.onEvent?.({ type: 'batch', logs });
        }
        // Let a cancel message in between batches.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      const [valLoss, valAccuracy] = validationLabels ? await evaluate(validation.x, validationLabels) : [Number.NaN, Number.NaN];
      const learningRate = Number((opt as unknown as { learningRate: number }).learningRate);
      const logs: EpochLogs = { epoch, loss: lossSum / seen, accuracy: accuracySum / seen, val_loss: valLoss, val_accuracy: valAccuracy, learning_rate: learningRate, seconds: (performance.now() - epochStart) / 1000 };
      history.push(logs);

      let best = false;
      const early = config.earlyStopping;
      if (early) {
        const value = logValue(logs, early.monitor);
        if (epoch > early.startFromEpoch && Number.isFinite(value)) {
          if (improved(value, bestValue, early.mode, early.minDelta)) {
            bestValue = value;
            bestEpoch = epoch;
            best = true;
            waited = 0;
            if (early.restoreBestWeights) {
              bestWeights?.forEach((w) => w.dispose());
              bestWeights = model.getWeights().map((w) => w.clone());
            }
          } else waited++;
        }
      } else {
        const value = Number.isFinite(logs.val_loss) ? logs.val_loss : logs.loss;
        if (improved(value, bestValue, 'min', 0)) {
          bestValue = value;
          bestEpoch = epoch;
          best = true;
        }
      }
      options.onEvent?.({ type: 'epoch', logs, best });
      await options.onEpochSaved?.(history);

      const reduce = config.reduceLr;
      if (reduce) {
        const value = logValue(logs, reduce.monitor);
        if (cooldown > 0) cooldown--;
        if (improved(value, lrBest, reduce.mode, reduce.minDelta)) {
          lrBest = value;
          lrWaited = 0;
        } else if (cooldown === 0 && ++lrWaited >= reduce.patience) {
          const next = Math.max(learningRate * reduce.factor, reduce.minLr);
          if (next < learningRate) {
            (opt as unknown as { learningRate: number }).learningRate = next;
            options.onEvent?.({ type: 'message', text: `epoch ${epoch}: learning rate reduced to ${next}` });
          }
          cooldown = reduce.cooldown;
          lrWaited = 0;
        }
      }
      // Keras: stop once `wait` reaches `patience` epochs without improvement.
      if (early && !best && waited >= early.patience && epoch > 1) {
        stopReason = 'early-stopped';
        stopMessage = `early stopping after epoch ${epoch}: ${early.monitor} did not improve by more than ${early.minDelta} for ${waited} epoch${waited === 1 ? '' : 's'} (best ${bestValue?.toFixed(4)} at epoch ${bestEpoch})`;
        break;
      }
    }
    // Keras restores the best weights only when it stops early; Layerlab also does when training runs to the end.
    if (bestWeights && config.earlyStopping?.restoreBestWeights && stopReason !== 'cancelled') model.setWeights(bestWeights);

    let test: TestResults | undefined;
    if (stopReason !== 'cancelled' && stopReason !== 'diverged' && testCount > 0) {
      const x = config.validation.kind === 'test' ? validation.x : toTensor(tf, dataset.test, 0, testCount, imageSize, inputShape);
      const y = config.validation.kind === 'test' && validationLabels ? validationLabels : oneHot(dataset.test.labels.subarray(0, testCount));
      const [loss, accuracy] = await evaluate(x, y);
      const predictions = model.predict(x, { batchSize: 256 }) as tfjs.Tensor;
      const predicted = Array.from(await predictions.argMax(-1).data());
      const confidence = Array.from(await predictions.max(-1).data());
      predictions.dispose();
      if (config.validation.kind !== 'test') {
        x.dispose();
        y.dispose();
      }
      test = { loss, accuracy, report: classReport(dataset.test.labels.subarray(0, testCount), predicted, classes), confidence, predicted };
    }
    const last = history[history.length - 1];
    const gap = last ? last.accuracy - last.val_accuracy : Number.NaN;
    return {
      history,
      batches: batchLog,
      stopReason,
      ...(stopMessage ? { stopMessage } : {}),
      ...(bestEpoch !== undefined ? { bestEpoch } : {}),
      ...(test ? { test } : {}),
      samplesPerSecond: samples / Math.max(trainingSeconds, 1e-9),
      seconds: (performance.now() - started) / 1000,
      trainSamples: fit.count,
      validationSamples: validation.count,
      testSamples: testCount,
      ...(last && Number.isFinite(gap) && gap > 0.1 ? { overfitting: { trainAccuracy: last.accuracy, validationAccuracy: last.val_accuracy, gap } } : {}),
    };
  } finally {
    fit.x.dispose();
    fitLabels.dispose();
    validation.x.dispose();
    validationLabels?.dispose();
    bestWeights?.forEach((w) => w.dispose());
    opt.dispose();
  }
}
