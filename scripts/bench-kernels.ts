// Timings of the wasm training kernels (language-server/src/training/backend/wasm-kernels.ts):
// each faster composition against the kernel tfjs-backend-wasm 4.22 ships, the added
// kernels against the cpu backend, and one training step of a small MNIST CNN.
// Medians after warm-up, single-threaded wasm (as in Node). Not run by the tests.
// Usage: node out/scripts/bench-kernels.js [--quick] [--cpu]
//   --cpu  also times one training step on the pure-JS cpu backend (minutes)
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import type * as TfModule from '@tensorflow/tfjs';
import { defaultLoaders } from '../language-server/src/training/backend/resolve.js';
import { conv2dInputGradientByCorrelation, registerWasmTrainingKernels } from '../language-server/src/training/backend/wasm-kernels.js';

type Tf = typeof TfModule;
type Tensor = TfModule.Tensor;
type Tensor4D = TfModule.Tensor4D;

const tf = createRequire(import.meta.url)('@tensorflow/tfjs') as Tf;
const quick = process.argv.includes('--quick');
const withCpuStep = process.argv.includes('--cpu');
const runs = quick ? 3 : 7;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** Median ms of `f` (its result read back, then freed), after one warm-up run unless `warm` is false. */
function time(f: () => Tensor | Tensor[], count = runs, warm = true): number {
  const once = (): number => {
    const start = performance.now();
    const out = tf.tidy(f);
    const list = Array.isArray(out) ? out : [out];
    for (const t of list) t.dataSync();
    const ms = performance.now() - start;
    tf.dispose(list);
    return ms;
  };
  if (warm) once();
  return median(Array.from({ length: count }, once));
}

function fmt(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  return ms >= 100 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`;
}

function line(label: string, before: number, after: number, beforeName: string, afterName: string): void {
  console.log(`${label.padEnd(58)} ${beforeName} ${fmt(before).padStart(9)}  ${afterName} ${fmt(after).padStart(9)}  ${(before / after).toFixed(1)}×`);
}

function rand(shape: number[]): Tensor {
  return tf.randomUniform(shape, -1, 1, 'float32', 7);
}

/** Runs `f` with the shipped wasm kernels where `fast` is false (the added ones stay: without them nothing trains). */
async function withKernels<T>(fast: boolean, f: () => T | Promise<T>): Promise<T> {
  registerWasmTrainingKernels(tf).restore();
  registerWasmTrainingKernels(tf, { fastPaths: fast });
  try {
    return await f();
  } finally {
    registerWasmTrainingKernels(tf).restore();
    registerWasmTrainingKernels(tf);
  }
}

const loaded = await defaultLoaders().wasm();
console.log(`tfjs ${tf.version.tfjs}, wasm backend: ${loaded.simd ? 'SIMD' : 'no SIMD'}, ${loaded.threads} thread(s), Node ${process.versions.node}`);
console.log('');

// --- Conv2DBackpropInput: shipped vs forward correlation with the flipped kernel
console.log('Conv2DBackpropInput (wasm shipped → composition)');
const inputCases: { x: [number, number, number, number]; f: [number, number, number, number]; s: number; pad: 'same' | 'valid' }[] = [
  { x: [64, 28, 28, 32], f: [3, 3, 32, 32], s: 1, pad: 'same' },
  { x: [64, 26, 26, 32], f: [3, 3, 32, 64], s: 1, pad: 'valid' },
  { x: [64, 14, 14, 64], f: [3, 3, 64, 64], s: 1, pad: 'same' },
  { x: [64, 28, 28, 32], f: [3, 3, 32, 32], s: 2, pad: 'same' },
  { x: [64, 28, 28, 32], f: [3, 3, 32, 32], s: 2, pad: 'valid' },
  { x: [64, 28, 28, 16], f: [4, 4, 16, 16], s: 2, pad: 'same' },
  { x: [64, 27, 27, 16], f: [3, 3, 16, 16], s: 3, pad: 'same' },
  { x: [64, 28, 28, 16], f: [5, 5, 16, 16], s: 4, pad: 'valid' },
];
for (const { x, f, s, pad } of inputCases) {
  const info = tf.backend_util.computeConv2DInfo(x, f, s, 1, pad);
  const dy = rand(info.outShape) as Tensor4D;
  const filter = rand(f) as Tensor4D;
  const attrs = { strides: s, pad, dataFormat: 'NHWC', inputShape: x };
  const shipped = await withKernels(false, () => time(() => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, attrs as unknown as TfModule.NamedAttrMap) as Tensor));
  const composed = time(() => conv2dInputGradientByCorrelation(tf, dy, filter, x, s, pad));
  line(`  x ${x.join('×')} k ${f.join('×')} stride ${s} ${pad}`, shipped, composed, 'shipped', 'composed');
  tf.dispose([dy, filter]);
}

// --- Tile: the BatchNormalization gradient's tile of per-channel statistics
console.log('\nTile (wasm shipped → broadcast add)');
for (const [n, h, w, c] of [[64, 28, 28, 32], [64, 14, 14, 64], [128, 7, 7, 128]] as const) {
  const stat = rand([1, 1, 1, c]);
  const reps = [n, h, w, 1];
  const shipped = await withKernels(false, () => time(() => tf.tile(stat, reps)));
  const composed = time(() => tf.tile(stat, reps));
  line(`  [1,1,1,${c}] × [${reps.join(',')}]`, shipped, composed, 'shipped', 'composed');
  stat.dispose();
}
{
  const c = 3;
  const x = rand([4, 64, 64, c]);
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  const grad = (): Tensor[] => tf.grads((a: Tensor) => tf.sum(tf.square(tf.batchNorm(a, mean, variance, tf.zeros([c]), tf.ones([c]), 1e-3))))([x]);
  const shipped = await withKernels(false, () => time(grad));
  const composed = time(grad);
  line('  gradient of batchNorm, x 4×64×64×3', shipped, composed, 'shipped', 'composed');
  tf.dispose([x, mean, variance]);
}
{
  const c = 32;
  const x = rand([64, 28, 28, c]);
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  const grad = (): Tensor[] => tf.grads((a: Tensor) => tf.sum(tf.square(tf.batchNorm(a, mean, variance, tf.zeros([c]), tf.ones([c]), 1e-3))))([x]);
  const shipped = await withKernels(false, () => time(grad, 3));
  const composed = time(grad, 3);
  line('  gradient of batchNorm, x 64×28×28×32', shipped, composed, 'shipped', 'composed');
  tf.dispose([x, mean, variance]);
}

// --- BatchMatMul with a transposed operand: the Dense gradients xᵀ·dy and dy·Wᵀ
console.log('\nBatchMatMul with transposeA / transposeB (wasm shipped → explicit transpose)');
for (const [batch, inputs, units] of [[128, 784, 128], [64, 3136, 128], [64, 1600, 128], [128, 128, 10]] as const) {
  const x = rand([batch, inputs]);
  const dy = rand([batch, units]);
  const w = rand([inputs, units]);
  const shippedA = await withKernels(false, () => time(() => tf.matMul(x, dy, true, false)));
  const composedA = time(() => tf.matMul(x, dy, true, false));
  line(`  xᵀ·dy  [${batch}×${inputs}]ᵀ · [${batch}×${units}]`, shippedA, composedA, 'shipped', 'composed');
  const shippedB = await withKernels(false, () => time(() => tf.matMul(dy, w, false, true)));
  const composedB = time(() => tf.matMul(dy, w, false, true));
  line(`  dy·Wᵀ  [${batch}×${units}] · [${inputs}×${units}]ᵀ`, shippedB, composedB, 'shipped', 'composed');
  tf.dispose([x, dy, w]);
}

// --- Added kernels: no shipped wasm kernel; compare with the cpu backend
console.log('\nAdded kernels (cpu backend → wasm composition)');
const added: { label: string; make: () => Tensor }[] = [
  {
    label: 'Conv2DBackpropFilter x 32×28×28×1 k 3×3×1×32 same',
    make: () => tf.engine().runKernel('Conv2DBackpropFilter', { x: rand([32, 28, 28, 1]), dy: rand([32, 28, 28, 32]) }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 1, 32] } as unknown as TfModule.NamedAttrMap) as Tensor,
  },
  {
    label: 'Conv2DBackpropFilter x 8×13×13×32 k 3×3×32×64 same',
    make: () => tf.engine().runKernel('Conv2DBackpropFilter', { x: rand([8, 13, 13, 32]), dy: rand([8, 13, 13, 64]) }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 32, 64] } as unknown as TfModule.NamedAttrMap) as Tensor,
  },
  {
    label: 'DepthwiseConv2dNativeBackpropFilter x 16×28×28×32 k 3×3',
    make: () => tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x: rand([16, 28, 28, 32]), dy: rand([16, 28, 28, 32]) }, { strides: 1, dilations: 1, pad: 'same', filterShape: [3, 3, 32, 1] } as unknown as TfModule.NamedAttrMap) as Tensor,
  },
  {
    label: 'DepthwiseConv2dNativeBackpropInput x 16×28×28×32 k 3×3',
    make: () => tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy: rand([16, 28, 28, 32]), filter: rand([3, 3, 32, 1]) }, { strides: 1, dilations: 1, pad: 'same', inputShape: [16, 28, 28, 32] } as unknown as TfModule.NamedAttrMap) as Tensor,
  },
  {
    label: 'UnsortedSegmentSum (Embedding grad) 2048 ids → 1000×32',
    make: () => tf.unsortedSegmentSum(rand([2048, 32]), tf.randomUniform([2048], 0, 1000, 'int32', 3), 1000),
  },
];
for (const { label, make } of added) {
  await tf.setBackend('cpu');
  const cpu = time(make, 1, false);
  await tf.setBackend('wasm');
  const wasm = time(make);
  line(`  ${label}`, cpu, wasm, 'cpu', 'wasm');
}

// --- One training step of a small MNIST CNN (batch 64)
console.log('\nTraining step, MNIST CNN Conv(32,3)→Pool→BN→Conv(64,3)→Pool→Flatten→Dense(128)→Dense(10), batch 64');
const stepTime = async (backend: 'cpu' | 'wasm', count: number): Promise<number> => {
  await tf.setBackend(backend);
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.batchNormalization(),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 128, activation: 'relu' }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  const x = rand([64, 28, 28, 1]);
  const y = tf.oneHot(tf.randomUniform([64], 0, 10, 'int32', 5), 10);
  if (backend !== 'cpu') await model.trainOnBatch(x, y); // warm-up (the cpu backend has no compile step to amortise)
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await model.trainOnBatch(x, y);
    times.push(performance.now() - start);
  }
  tf.dispose([x, y]);
  model.dispose();
  return median(times);
};
const cpuStep = withCpuStep ? await stepTime('cpu', 1) : NaN;
const wasmSlow = await withKernels(false, () => stepTime('wasm', runs));
const wasmFast = await stepTime('wasm', runs);
/** 60,000 images in steps of 64. */
const epoch = (ms: number): string => {
  const minutes = ((60000 / 64) * ms) / 60000;
  return minutes >= 120 ? `${(minutes / 60).toFixed(1)} h/epoch` : `${minutes.toFixed(1)} min/epoch`;
};
console.log(`  cpu backend                                ${fmt(cpuStep).padStart(9)}  ${withCpuStep ? `(${epoch(cpuStep)} of 60,000 images)` : '(run with --cpu: about a minute a step)'}`);
console.log(`  wasm, added kernels only                   ${fmt(wasmSlow).padStart(9)}  (${epoch(wasmSlow)})`);
console.log(`  wasm, added + faster kernels               ${fmt(wasmFast).padStart(9)}  (${epoch(wasmFast)})`);
