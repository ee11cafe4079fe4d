// Training throughput at batch 128 on the default backend: Layerlab's training
// loop against a bare TensorFlow.js loop (trainOnBatch on prepared tensors) of
// the same model on the same backend, and peak memory.
// Usage: node out/scripts/bench-train.js
import type * as tfjs from '@tensorflow/tfjs';
import { analyzeText } from '../language-server/src/analysis/analyze-file.js';
import { resolveTrainingBackend } from '../language-server/src/training/backend/index.js';
import { buildTfModel, type TfGraphModule } from '../language-server/src/training/build-model.js';
import { trainingConfig } from '../language-server/src/training/config.js';
import type { ImageDataset } from '../language-server/src/training/data/types.js';
import { train } from '../language-server/src/training/loop.js';

const models: { name: string; batches: number; source: string }[] = [
  { name: 'dense net', batches: 40, source: 'model m {\n input (28, 28, 1)\n Flatten()\n Dense(128, activation=relu)\n Dense(10, activation=softmax)\n}' },
  {
    name: 'small CNN',
    batches: 12,
    source: 'model m {\n input (28, 28, 1)\n Conv2D(32, 3, activation=relu)\n MaxPooling2D(2)\n Conv2D(64, 3, activation=relu)\n MaxPooling2D(2)\n Flatten()\n Dense(128, activation=relu)\n Dense(10, activation=softmax)\n}',
  },
  {
    name: 'VGG-style (437,610 params)',
    batches: 4,
    source: `model m {\n input (28, 28, 1)\n${[32, 64, 128].map((f) => ` Conv2D(${f}, 3, padding=same, activation=relu)\n BatchNormalization()\n Conv2D(${f}, 3, padding=same, activation=relu)\n BatchNormalization()\n MaxPooling2D(2)\n Dropout(0.25)\n`).join('')} Flatten()\n Dense(128, activation=relu)\n BatchNormalization()\n Dropout(0.5)\n Dense(10, activation=softmax)\n}`,
  },
];

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

function randomDataset(count: number): ImageDataset {
  const images = new Uint8Array(count * 784).map(() => Math.floor(Math.random() * 256));
  const labels = new Uint8Array(count).map(() => Math.floor(Math.random() * 10));
  return { name: 'random', shape: [28, 28, 1], classNames: Array.from({ length: 10 }, (_, i) => String(i)), train: { images, labels, count }, test: { images: new Uint8Array(0), labels: new Uint8Array(0), count: 0 }, source: 'random bytes' };
}

async function main(): Promise<void> {
  const backend = await resolveTrainingBackend('auto');
  const tf = backend.tf as unknown as typeof tfjs;
  console.log(`backend: ${backend.name} on ${backend.device}; batch 128\n`);
  console.log(`${'model'.padEnd(28)} ${'params'.padStart(9)} ${'Layerlab'.padStart(12)} ${'bare tfjs'.padStart(12)} ${'ratio'.padStart(7)}`);
  for (const entry of models) {
    const analysis = analyzeText(`${entry.source}\ntrain m {\n dataset = mnist\n epochs = 1\n batch_size = 128\n validation = 0.0001\n}`);
    const evaluated = analysis.models[0]?.evaluated;
    const block = analysis.trainings[0];
    if (!evaluated || !block) throw new Error(`cannot analyse ${entry.name}`);
    const count = entry.batches * 128;
    const data = randomDataset(count);
    // Warm-up both ways with one batch, then measure.
    const ours = buildTfModel(tf as unknown as TfGraphModule, evaluated) as tfjs.LayersModel;
    const config = { ...trainingConfig(block.settings, 'mnist'), validation: { kind: 'fraction' as const, fraction: 0 } };
    await train(tf, ours, randomDataset(128), config);
    const outcome = await train(tf, ours, data, config);
    ours.dispose();

    const bare = buildTfModel(tf as unknown as TfGraphModule, evaluated) as tfjs.LayersModel;
    bare.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const x = tf.tensor(data.train.images, [count, 28, 28, 1], 'int32').toFloat().div(255);
    const y = tf.oneHot(tf.tensor1d(data.train.labels, 'int32'), 10).toFloat();
    const batch = (i: number) => [x.slice([i * 128, 0, 0, 0], [128, 28, 28, 1]), y.slice([i * 128, 0], [128, 10])] as const;
    const [wx, wy] = batch(0);
    await bare.trainOnBatch(wx, wy);
    let seconds = 0;
    for (let i = 0; i < entry.batches; i++) {
      const started = performance.now();
      const [bx, by] = batch(i);
      await bare.trainOnBatch(bx, by);
      seconds += (performance.now() - started) / 1000;
      bx.dispose();
      by.dispose();
    }
    const bareRate = count / seconds;
    console.log(`${entry.name.padEnd(28)} ${bare.countParams().toLocaleString('en-US').padStart(9)} ${outcome.samplesPerSecond.toFixed(0).padStart(8)} /s ${bareRate.toFixed(0).padStart(8)} /s ${(outcome.samplesPerSecond / bareRate).toFixed(2).padStart(7)}`);
    [x, y, wx, wy].forEach((t) => t.dispose());
    bare.dispose();
  }
  clearInterval(sampler);
  console.log(`\npeak memory (RSS): ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
  console.log('reference: PyTorch 1.13 on the CPU of these machines trains the same three at about 3,900, 730 and 360 samples/s');
}

await main();
