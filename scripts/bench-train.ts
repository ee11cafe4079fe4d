// Training throughput, in one run: per model, Layerlab's training loop on every
// core and on one thread, a bare TensorFlow.js loop (trainOnBatch on prepared
// tensors) on the same backend, and PyTorch on the CPU with the same
// architecture and core count (scripts/bench_train_torch.py, when python3 can
// import torch); the loop's per-batch overhead at Keras's default batch size;
// Conv2D alone on one thread and on all; and a per-kernel profile of one
// VGG-style step.
//
// It runs bundled (dist/bench-train.cjs, built by scripts/build.mjs) because the
// wasm backend's threads work only in Layerlab's build of it.
// Usage: npm run bench:train   (node dist/bench-train.cjs [--quick] [--profile-only])
import { execFile, execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import { analyzeText } from '../language-server/src/analysis/analyze-file.js';
import { defaultLoaders, NoAdapterError, resolveBackend, resolveTrainingBackend, SMALL_MODEL_MACS } from '../language-server/src/training/backend/index.js';
import { buildTfModel, type TfGraphModule } from '../language-server/src/training/build-model.js';
import { trainingConfig, type TrainingConfig } from '../language-server/src/training/config.js';
import type { ImageDataset } from '../language-server/src/training/data/types.js';
import { train } from '../language-server/src/training/loop.js';
import { seededRandom } from '../language-server/src/common/random.js';
import { profileKernels, type KernelTiming } from './kernel-profile.js';

const quick = process.argv.includes('--quick');
const profileOnly = process.argv.includes('--profile-only');
const childWebGpu = process.argv.includes('--child-webgpu');
const childThreads = (() => {
  const at = process.argv.indexOf('--child-threads');
  return at >= 0 ? Number(process.argv[at + 1]) : undefined;
})();

const BATCH = 128;

interface BenchModel {
  readonly name: string;
  readonly batches: number;
  readonly source: string;
}

const vggSource = `model m {\n input (28, 28, 1)\n${[32, 64, 128].map((f) => ` Conv2D(${f}, 3, padding=same, activation=relu)\n BatchNormalization()\n Conv2D(${f}, 3, padding=same, activation=relu)\n BatchNormalization()\n MaxPooling2D(2)\n Dropout(0.25)\n`).join('')} Flatten()\n Dense(128, activation=relu)\n BatchNormalization()\n Dropout(0.5)\n Dense(10, activation=softmax)\n}`;

// Names match scripts/bench_train_torch.py, which builds the same three in PyTorch.
const models: readonly BenchModel[] = [
  { name: 'dense net', batches: 40, source: 'model m {\n input (28, 28, 1)\n Flatten()\n Dense(128, activation=relu)\n Dense(10, activation=softmax)\n}' },
  {
    name: 'small CNN',
    batches: 12,
    source: 'model m {\n input (28, 28, 1)\n Conv2D(32, 3, activation=relu)\n MaxPooling2D(2)\n Conv2D(64, 3, activation=relu)\n MaxPooling2D(2)\n Flatten()\n Dense(128, activation=relu)\n Dense(10, activation=softmax)\n}',
  },
  { name: 'VGG-style', batches: 4, source: vggSource },
];

function randomDataset(count: number, seed: number): ImageDataset {
  const random = seededRandom(seed);
  const images = new Uint8Array(count * 784).map(() => Math.floor(random() * 256));
  const labels = new Uint8Array(count).map(() => Math.floor(random() * 10));
  return { name: 'random', shape: [28, 28, 1], classNames: Array.from({ length: 10 }, (_, i) => String(i)), train: { images, labels, count }, test: { images: new Uint8Array(0), labels: new Uint8Array(0), count: 0 }, source: 'random bytes' };
}

function prepare(source: string, batchSize: number): { evaluated: NonNullable<ReturnType<typeof analyzeText>['models'][number]['evaluated']>; config: TrainingConfig } {
  const analysis = analyzeText(`${source}\ntrain m {\n dataset = mnist\n epochs = 1\n batch_size = ${batchSize}\n validation = 0.0001\n}`);
  const evaluated = analysis.models[0]?.evaluated;
  const block = analysis.trainings[0];
  if (!evaluated || !block) throw new Error('cannot analyse a benchmark model');
  return { evaluated, config: { ...trainingConfig(block.settings, 'mnist'), validation: { kind: 'fraction', fraction: 0 } } };
}

function build(tf: typeof tfjs, evaluated: ReturnType<typeof prepare>['evaluated']): tfjs.LayersModel {
  return buildTfModel(tf as unknown as TfGraphModule, evaluated) as tfjs.LayersModel;
}

/** Samples per second of Layerlab's loop (gathering, the step, events) after a one-batch warm-up. */
async function layerlabRate(tf: typeof tfjs, entry: BenchModel, batchSize = BATCH, batches = entry.batches): Promise<number> {
  const { evaluated, config } = prepare(entry.source, batchSize);
  const model = build(tf, evaluated);
  await train(tf, model, randomDataset(batchSize, 1), config);
  const outcome = await train(tf, model, randomDataset(batches * batchSize, 2), config);
  model.dispose();
  return outcome.samplesPerSecond;
}

/** Samples per second of trainOnBatch on prepared batches: what the loop costs on top is the difference. */
async function bareRate(tf: typeof tfjs, entry: BenchModel, batchSize = BATCH, batches = entry.batches): Promise<number> {
  const { evaluated } = prepare(entry.source, batchSize);
  const model = build(tf, evaluated);
  model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const data = randomDataset(batches * batchSize, 2);
  const count = batches * batchSize;
  const x = tf.tidy(() => tf.tensor(data.train.images, [count, 28, 28, 1], 'int32').toFloat().div(255));
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(data.train.labels, 'int32'), 10).toFloat());
  const batch = (i: number) => [x.slice([i * batchSize, 0, 0, 0], [batchSize, 28, 28, 1]), y.slice([i * batchSize, 0], [batchSize, 10])] as const;
  const [wx, wy] = batch(0);
  await model.trainOnBatch(wx, wy);
  let seconds = 0;
  for (let i = 0; i < batches; i++) {
    const [bx, by] = batch(i);
    const started = performance.now();
    await model.trainOnBatch(bx, by);
    seconds += (performance.now() - started) / 1000;
    bx.dispose();
    by.dispose();
  }
  tf.dispose([x, y, wx, wy]);
  model.dispose();
  return count / seconds;
}

/**
 * Median ms of one Conv2D (batch 128, 28×28, 32 → 32 channels, 3×3, same), after 2 s of
 * warm-up. The CPU backends run a kernel synchronously, so it has finished when the op returns;
 * reading the 12.8 MB result back would time a one-thread copy too. Each thread count is
 * measured first thing in a fresh process of its own (see runChild), so the two see the same heap.
 */
function conv2dMs(tf: typeof tfjs): number {
  const x = tf.randomUniform([128, 28, 28, 32]) as tfjs.Tensor4D;
  const w = tf.randomUniform([3, 3, 32, 32]) as tfjs.Tensor4D;
  // V8 first runs WebAssembly in its baseline compiler and tiers hot functions up later: warm up for 2 s.
  for (const until = performance.now() + 2000; performance.now() < until; ) tf.conv2d(x, w, 1, 'same').dispose();
  const times: number[] = [];
  for (let i = 0; i < (quick ? 5 : 15); i++) {
    const started = performance.now();
    const y = tf.conv2d(x, w, 1, 'same');
    times.push(performance.now() - started);
    y.dispose();
  }
  tf.dispose([x, w]);
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

/** The kernels of one VGG-style training step at batch 128 (after a warm-up step). */
async function vggStepProfile(tf: typeof tfjs): Promise<{ total: number; kernels: KernelTiming[] }> {
  const entry = models[2];
  if (!entry) throw new Error('no VGG model');
  const { evaluated } = prepare(entry.source, BATCH);
  const model = build(tf, evaluated);
  model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy' });
  const data = randomDataset(BATCH, 3);
  const x = tf.tidy(() => tf.tensor(data.train.images, [BATCH, 28, 28, 1], 'int32').toFloat().div(255));
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(data.train.labels, 'int32'), 10).toFloat());
  await model.trainOnBatch(x, y);
  let total = 0;
  const kernels = await profileKernels(tf, tf.getBackend(), async () => {
    const started = performance.now();
    await model.trainOnBatch(x, y);
    total = performance.now() - started;
  });
  tf.dispose([x, y]);
  model.dispose();
  return { total, kernels };
}

interface ChildResult {
  readonly device: string;
  readonly rates: Record<string, number>;
  readonly conv2dMs: number;
}

/** A fresh process on `threads` threads: Conv2D first, then (unless `convOnly`) the training rates. */
function runChild(threads: number, convOnly = false): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [process.argv[1] ?? '', '--child-threads', String(threads), ...(convOnly ? ['--conv-only'] : []), ...(quick ? ['--quick'] : [])], { maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`the ${threads}-thread run failed: ${stderr || error.message}`));
      else resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as ChildResult);
    });
  });
}

interface TorchResult {
  readonly torch: string;
  readonly threads: number;
  readonly models: Record<string, number>;
}

/** PyTorch on the same architectures, or why not: python3 on PATH first, then Debian's /usr/bin/python3. */
function torchRates(threads: number): TorchResult | string {
  const script = join(process.cwd(), 'scripts', 'bench_train_torch.py');
  const reasons: string[] = [];
  for (const python of ['python3', '/usr/bin/python3']) {
    try {
      execFileSync(python, ['-c', 'import torch'], { stdio: 'ignore' });
    } catch {
      reasons.push(`${python} cannot import torch`);
      continue;
    }
    const out = execFileSync(python, [script, '--threads', String(threads), ...(quick ? ['--batches-scale', '0.5'] : [])], { encoding: 'utf8' });
    return JSON.parse(out.trim().split('\n').pop() ?? '{}') as TorchResult;
  }
  return `${reasons.join('; ')} (Debian: apt-get install python3-torch)`;
}

function scaled(entry: BenchModel): BenchModel {
  return quick ? { ...entry, batches: Math.max(2, Math.round(entry.batches / 2)) } : entry;
}

function fmtRate(rate: number | undefined): string {
  return rate === undefined || !Number.isFinite(rate) ? '–' : `${Math.round(rate).toLocaleString('en-US')}/s`;
}

function ratio(a: number | undefined, b: number | undefined): string {
  return a === undefined || b === undefined || !Number.isFinite(a / b) ? '–' : `${(a / b).toFixed(2)}×`;
}

function printProfile(profile: { total: number; kernels: KernelTiming[] }): void {
  const kernelMs = profile.kernels.reduce((sum, k) => sum + k.ms, 0);
  console.log(`\nprofile of one VGG-style training step, batch ${BATCH}: ${profile.total.toFixed(0)} ms, of which kernels ${kernelMs.toFixed(0)} ms (the rest is JavaScript between kernels)`);
  console.log(`${'kernel'.padEnd(30)} ${'calls'.padStart(6)} ${'ms'.padStart(8)} ${'share'.padStart(7)} ${'GFLOP/s'.padStart(8)}`);
  for (const k of profile.kernels.filter((k) => k.ms >= profile.total * 0.005)) {
    const gflops = k.flops ? (k.flops / (k.ms / 1000) / 1e9).toFixed(1) : '';
    console.log(`${k.name.padEnd(30)} ${String(k.calls).padStart(6)} ${k.ms.toFixed(1).padStart(8)} ${`${((100 * k.ms) / profile.total).toFixed(1)}%`.padStart(7)} ${gflops.padStart(8)}`);
  }
}

async function child(threads: number): Promise<void> {
  const backend = await resolveTrainingBackend('wasm', { threads });
  const tf = backend.tf as unknown as typeof tfjs;
  const convolution = conv2dMs(tf);
  const rates: Record<string, number> = {};
  if (!process.argv.includes('--conv-only')) for (const entry of models.map(scaled)) rates[entry.name] = await layerlabRate(tf, entry);
  const result: ChildResult = { device: backend.device, rates, conv2dMs: convolution };
  console.log(JSON.stringify(result));
}

interface WebGpuResult {
  readonly device: string;
  readonly software: boolean;
  readonly rates: Record<string, number>;
  readonly batches: number;
}

/** Training rates on WebGPU, in a process of its own (Dawn holds the process open; a software adapter gets 2 batches a model). */
async function webgpuChild(): Promise<void> {
  const backend = await resolveTrainingBackend('webgpu');
  const tf = backend.tf as unknown as typeof tfjs;
  const software = backend.notes.some((n) => n.startsWith('This adapter is not a GPU'));
  const rates: Record<string, number> = {};
  for (const entry of models.map(scaled)) rates[entry.name] = await layerlabRate(tf, software ? { ...entry, batches: 2 } : entry);
  const result: WebGpuResult = { device: backend.device, software, rates, batches: software ? 2 : -1 };
  console.log(JSON.stringify(result));
}

/** The WebGPU row, or why there is none (no package, no adapter). */
function runWebGpu(): Promise<WebGpuResult | string> {
  return new Promise((resolve) => {
    execFile(process.execPath, [process.argv[1] ?? '', '--child-webgpu', ...(quick ? ['--quick'] : [])], { maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      if (error) resolve((stderr.split('\n').find((line) => /Error|webgpu/.test(line)) ?? error.message).trim());
      else resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as WebGpuResult);
    });
  });
}

async function main(): Promise<void> {
  const cores = availableParallelism();
  // Every core for every model: the table compares the threads (the trainer would give the dense net one).
  // The CPU backends only: WebGPU gets its own row below, against this one.
  const cpuOnly = { ...defaultLoaders({ threads: availableParallelism() }), webgpu: () => Promise.reject(new NoAdapterError('WebGPU is measured in its own row', 'Vulkan')) };
  const backend = await resolveBackend('auto', cpuOnly);
  const tf = backend.tf as unknown as typeof tfjs;
  console.log(`backend: ${backend.name} on ${backend.device}; batch ${BATCH}; ${cores} logical cores`);
  if (profileOnly) {
    printProfile(await vggStepProfile(tf));
    return;
  }

  const ours: Record<string, number> = {};
  const bare: Record<string, number> = {};
  for (const entry of models.map(scaled)) {
    ours[entry.name] = await layerlabRate(tf, entry);
    bare[entry.name] = await bareRate(tf, entry);
  }
  const single = backend.name === 'wasm' ? await runChild(1) : undefined;
  const conv2dAll = backend.name === 'wasm' ? (await runChild(cores, true)).conv2dMs : conv2dMs(tf);
  const torch = torchRates(cores);
  const webgpu = await runWebGpu();

  const torchNote = typeof torch === 'string' ? `PyTorch: not run: ${torch}` : `PyTorch ${torch.torch} on the CPU, ${torch.threads} threads`;
  console.log(torchNote);
  // "as trained": the rate at the thread count the trainer picks for the model (one below SMALL_MODEL_MACS); the ratio to PyTorch uses it.
  console.log(`\n${'model'.padEnd(12)} ${'as trained'.padStart(14)} ${`${cores} threads`.padStart(10)} ${'1 thread'.padStart(10)} ${'bare tfjs'.padStart(10)} ${'PyTorch'.padStart(10)}   ${'vs PyTorch'.padStart(10)} ${'vs bare'.padStart(8)} ${'all/1t'.padStart(7)}`);
  for (const entry of models) {
    const torchRate = typeof torch === 'string' ? undefined : torch.models[entry.name];
    const oneThread = single?.rates[entry.name];
    const macs = prepare(entry.source, BATCH).evaluated.totals.macs ?? 0;
    const trainedOnOne = single !== undefined && macs < SMALL_MODEL_MACS;
    const trained = trainedOnOne ? oneThread : ours[entry.name];
    console.log(
      `${entry.name.padEnd(12)} ${`${fmtRate(trained)} ${trainedOnOne ? '1t' : `${cores}t`}`.padStart(14)} ${fmtRate(ours[entry.name]).padStart(10)} ${fmtRate(oneThread).padStart(10)} ${fmtRate(bare[entry.name]).padStart(10)} ${fmtRate(torchRate).padStart(10)}   ${ratio(trained, torchRate).padStart(10)} ${ratio(ours[entry.name], bare[entry.name]).padStart(8)} ${ratio(ours[entry.name], oneThread).padStart(7)}`,
    );
  }
  if (typeof webgpu === 'string') console.log(`\nwebgpu: no row: ${webgpu}`);
  else {
    console.log(`\nwebgpu on ${webgpu.device}${webgpu.software ? ' (a software adapter: 2 batches a model)' : ''}`);
    for (const entry of models) {
      const rate = webgpu.rates[entry.name];
      console.log(`${entry.name.padEnd(12)} ${fmtRate(rate).padStart(14)}   vs wasm on ${cores} threads ${ratio(rate, ours[entry.name]).padStart(7)}`);
    }
  }
  if (single) console.log(`\nConv2D (128×28×28×32 → 32, 3×3, same): ${conv2dAll.toFixed(1)} ms on ${cores} threads, ${single.conv2dMs.toFixed(1)} ms on 1 thread: ${ratio(single.conv2dMs, conv2dAll)}`);

  // Keras's default batch size: what the loop adds per batch on top of trainOnBatch.
  const dense = models[0];
  if (dense) {
    const small = { ...dense, batches: quick ? 60 : 150 };
    const loop = await layerlabRate(tf, small, 32);
    const step = await bareRate(tf, small, 32);
    const overheadMs = (32 / loop - 32 / step) * 1000;
    console.log(`batch 32, dense net: Layerlab ${fmtRate(loop)}, bare ${fmtRate(step)}; the loop adds ${overheadMs.toFixed(2)} ms per batch (${((100 * overheadMs) / ((32 / step) * 1000)).toFixed(0)}% of a step)`);
  }

  printProfile(await vggStepProfile(tf));
}

// Bundled as CommonJS (no top-level await). The wasm backend's worker threads would keep the process alive.
(childWebGpu ? webgpuChild() : childThreads !== undefined ? child(childThreads) : main()).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
