/**
 * The wasm training kernels against the cpu backend: every added or replaced
 * kernel on seeded random inputs, several shapes, strides 1 and 2, padding same
 * and valid; the gradients of the ops that use them; and a small conv net whose
 * loss over a few steps must match the cpu backend's.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { before, describe, it, type TestContext } from 'node:test';
import type * as TfModule from '@tensorflow/tfjs';
import { defaultLoaders } from '../../language-server/src/training/backend/resolve.js';
import { ADDED_KERNELS, CORRECTED_KERNELS, REPLACED_KERNELS, registerWasmTrainingKernels } from '../../language-server/src/training/backend/wasm-kernels.js';
import { seededRandom } from '../../language-server/src/common/random.js';

type Tf = typeof TfModule;
type Tensor = TfModule.Tensor;
type NamedAttrMap = TfModule.NamedAttrMap;

const tf = createRequire(import.meta.url)('@tensorflow/tfjs') as Tf;

const random = seededRandom;

function values(shape: readonly number[], seed: number): Float32Array {
  const next = random(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: size }, () => next() * 2 - 1);
}

interface Outcome {
  readonly shapes: number[][];
  readonly data: Float32Array[] | Int32Array[];
}

/** Runs `make` on a backend and reads its tensors back; nothing stays allocated. */
async function runOn(backend: 'cpu' | 'wasm', make: () => Tensor | Tensor[]): Promise<Outcome> {
  assert.ok(await tf.setBackend(backend));
  const before = tf.memory().numTensors;
  const out = tf.tidy(make);
  const list = Array.isArray(out) ? out : [out];
  const result: Outcome = { shapes: list.map((t) => [...t.shape]), data: list.map((t) => t.dataSync() as Float32Array) };
  tf.dispose(list);
  assert.equal(tf.memory().numTensors, before, `${backend}: tensors leaked`);
  return result;
}

const worst = new Map<string, { abs: number; rel: number }>();

/** Max |wasm − cpu| over all outputs; fails above `tolerance` (scaled by the largest cpu value when that exceeds 1). */
async function compare(t: TestContext, label: string, make: () => Tensor | Tensor[], tolerance = 1e-4): Promise<number> {
  const cpu = await runOn('cpu', make);
  return check(t, label, cpu, await runOn('wasm', make), tolerance);
}

function check(t: TestContext, label: string, expected: Outcome, wasm: Outcome, tolerance: number): number {
  assert.deepEqual(wasm.shapes, expected.shapes, `${label}: shapes`);
  let maxDiff = 0;
  let scale = 1;
  expected.data.forEach((c, i) => {
    const w = wasm.data[i];
    assert.ok(w, `${label}: output ${i}`);
    for (let k = 0; k < c.length; k++) {
      const a = c[k] ?? 0;
      const b = w[k] ?? 0;
      assert.ok(Number.isFinite(b), `${label}: non-finite value at ${k}`);
      maxDiff = Math.max(maxDiff, Math.abs(a - b));
      scale = Math.max(scale, Math.abs(a));
    }
  });
  assert.ok(maxDiff <= tolerance * scale, `${label}: max |wasm − expected| = ${maxDiff} (scale ${scale})`);
  const kernel = label.split(' ')[0] ?? label;
  const seen = worst.get(kernel) ?? { abs: 0, rel: 0 };
  worst.set(kernel, { abs: Math.max(seen.abs, maxDiff), rel: Math.max(seen.rel, maxDiff / scale) });
  t.diagnostic(`${label}: max abs diff ${maxDiff.toExponential(2)} (largest |value| ${scale.toPrecision(3)})`);
  return maxDiff;
}

/**
 * The depthwise gradients for dilation > 1, from the forward op on cpu: the cpu
 * gradient kernels ignore dilations (tfjs's gradient refuses them before they get
 * there), so the reference is the adjoint: the gradient's entry k is
 * Σ dy · depthwiseConv2d(one-hot k). Exact up to float32 summation order.
 */
async function depthwiseAdjoint(kind: 'filter' | 'input', x: Shape4, f: Shape4, dy: Shape4, xs: Float32Array, fs: Float32Array, dys: Float32Array, stride: number, dilation: number, pad: 'same' | 'valid'): Promise<Outcome> {
  return runOn('cpu', () => {
    const dyT = tf.tensor(dys, dy);
    if (kind === 'filter') {
      const xT = tf.tensor(xs, x) as TfModule.Tensor4D;
      const size = f.reduce((a, b) => a * b, 1);
      const out = new Float32Array(size);
      for (let k = 0; k < size; k++) {
        out[k] = tf.tidy(() => {
          const basis = tf.reshape(tf.oneHot(tf.tensor1d([k], 'int32'), size).toFloat(), f) as TfModule.Tensor4D;
          return tf.sum(tf.mul(dyT, tf.depthwiseConv2d(xT, basis, stride, pad, 'NHWC', dilation))).dataSync()[0] ?? NaN;
        });
      }
      return tf.tensor(out, f);
    }
    const fT = tf.tensor(fs, f) as TfModule.Tensor4D;
    const [n, h, w, c] = x;
    const per = h * w * c;
    const basis = tf.reshape(tf.eye(per), [per, h, w, c]) as TfModule.Tensor4D;
    const responses = tf.reshape(tf.depthwiseConv2d(basis, fT, stride, pad, 'NHWC', dilation), [per, -1]);
    const rows = tf.reshape(dyT, [n, -1]);
    return tf.reshape(tf.matMul(rows, responses, false, true), x);
  });
}

function runKernel(name: string, inputs: Record<string, Tensor>, attrs: object): Tensor {
  const out = tf.engine().runKernel(name, inputs, attrs as unknown as NamedAttrMap);
  assert.ok(!Array.isArray(out));
  return out as Tensor;
}

type Shape4 = [number, number, number, number];

function outSize(inSize: number, k: number, s: number, d: number, pad: 'same' | 'valid'): number {
  const effective = (k - 1) * d + 1;
  return pad === 'same' ? Math.ceil(inSize / s) : Math.ceil((inSize - effective + 1) / s);
}

const convCases: { x: Shape4; f: Shape4 }[] = [
  { x: [2, 7, 7, 3], f: [3, 3, 3, 4] },
  { x: [3, 8, 6, 2], f: [2, 3, 2, 5] },
  { x: [1, 5, 9, 4], f: [1, 1, 4, 3] },
  { x: [2, 9, 9, 1], f: [5, 5, 1, 2] },
  // Output channels in blocks of 8: the filter gradient runs Layerlab's SIMD kernel (input
  // channels 4 at a time, the rest one by one).
  { x: [3, 10, 10, 2], f: [3, 3, 2, 16] },
  { x: [2, 7, 7, 6], f: [3, 3, 6, 8] },
  { x: [2, 9, 9, 4], f: [3, 3, 4, 8] },
  { x: [3, 8, 7, 8], f: [2, 3, 8, 16] },
  { x: [1, 6, 6, 12], f: [5, 5, 12, 8] },
];
const settings = [1, 2].flatMap((stride) => (['same', 'valid'] as const).map((pad) => ({ stride, pad })));

before(async () => {
  // Makes the engine check every kernel call for leaked tensor data (the kernels here run ops inside).
  tf.env().set('IS_TEST', true);
  // The real loader: sets the .wasm paths from the installed package and registers the kernels.
  const loaded = await defaultLoaders().wasm();
  assert.equal(loaded.tf, tf, 'the loader and the test share one TensorFlow.js');
});

describe('wasm training kernels', () => {
  it('are registered for the wasm backend, once', () => {
    for (const name of [...ADDED_KERNELS, ...REPLACED_KERNELS]) assert.ok(tf.getKernel(name, 'wasm'), name);
    const again = registerWasmTrainingKernels(tf);
    assert.deepEqual([...again.added].sort(), [...ADDED_KERNELS].sort());
    assert.deepEqual([...again.replaced].sort(), [...REPLACED_KERNELS].sort());
    assert.deepEqual([...again.corrected].sort(), [...CORRECTED_KERNELS].sort());
  });

  it('restore() puts the shipped kernels back, and registering again re-adds them', async (t) => {
    const registration = registerWasmTrainingKernels(tf);
    registration.restore();
    assert.equal(tf.getKernel('Conv2DBackpropFilter', 'wasm'), undefined);
    assert.ok(tf.getKernel('Tile', 'wasm'), 'the shipped Tile is back');
    // The shipped kernels still work after the swap (their wasm bindings were set up at backend start).
    await compare(t, 'Tile(shipped)', () => runKernel('Tile', { x: tf.tensor(values([1, 3], 11), [1, 3]) }, { reps: [4, 2] }), 0);
    registerWasmTrainingKernels(tf);
    assert.ok(tf.getKernel('Conv2DBackpropFilter', 'wasm'));
  });

  it('Conv2DBackpropFilter matches cpu (shapes × strides 1, 2 × same, valid)', async (t) => {
    let seed = 100;
    for (const { x, f } of convCases) {
      for (const { stride, pad } of settings) {
        const oh = outSize(x[1], f[0], stride, 1, pad);
        const ow = outSize(x[2], f[1], stride, 1, pad);
        if (oh < 1 || ow < 1) continue;
        const dy: Shape4 = [x[0], oh, ow, f[3]];
        const xs = values(x, seed++);
        const dys = values(dy, seed++);
        await compare(t, `Conv2DBackpropFilter x${x} f${f} s${stride} ${pad}`, () =>
          runKernel('Conv2DBackpropFilter', { x: tf.tensor(xs, x), dy: tf.tensor(dys, dy) }, { strides: [stride, stride], pad, dataFormat: 'NHWC', filterShape: f }),
        );
      }
    }
  });

  it('Conv2DBackpropFilter with NCHW data matches cpu', async (t) => {
    const x = [2, 3, 7, 6];
    const dy = [2, 4, 4, 3];
    const xs = values(x, 5);
    const dys = values(dy, 6);
    await compare(t, 'Conv2DBackpropFilter NCHW', () =>
      runKernel('Conv2DBackpropFilter', { x: tf.tensor(xs, x), dy: tf.tensor(dys, dy) }, { strides: [2, 2], pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 3, 4] }),
    );
  });

  it('Conv2DBackpropFilter with explicit padding and unequal strides matches cpu', async (t) => {
    const x: Shape4 = [2, 8, 7, 3];
    const f: Shape4 = [3, 2, 3, 2];
    const pad = [[0, 0], [1, 2], [0, 1], [0, 0]];
    const dy: Shape4 = [2, Math.floor((8 + 3 - 3) / 2) + 1, Math.floor((7 + 1 - 2) / 1) + 1, 2];
    const xs = values(x, 7);
    const dys = values(dy, 8);
    await compare(t, 'Conv2DBackpropFilter explicit', () =>
      runKernel('Conv2DBackpropFilter', { x: tf.tensor(xs, x), dy: tf.tensor(dys, dy) }, { strides: [2, 1], pad, dataFormat: 'NHWC', filterShape: f }),
    );
  });

  it('Conv2DBackpropInput matches cpu (strides 1–3: forward correlation; 4: shipped kernel)', async (t) => {
    let seed = 200;
    for (const { x, f } of convCases) {
      for (const { stride, pad } of [...settings, { stride: 3, pad: 'same' as const }, { stride: 3, pad: 'valid' as const }, { stride: 4, pad: 'same' as const }]) {
        const oh = outSize(x[1], f[0], stride, 1, pad);
        const ow = outSize(x[2], f[1], stride, 1, pad);
        if (oh < 1 || ow < 1) continue;
        const dy: Shape4 = [x[0], oh, ow, f[3]];
        const fs = values(f, seed++);
        const dys = values(dy, seed++);
        await compare(t, `Conv2DBackpropInput x${x} f${f} s${stride} ${pad}`, () =>
          runKernel('Conv2DBackpropInput', { dy: tf.tensor(dys, dy), filter: tf.tensor(fs, f) }, { strides: [stride, stride], pad, dataFormat: 'NHWC', inputShape: x }),
        );
      }
    }
  });

  const depthwiseCases: { x: Shape4; f: Shape4 }[] = [
    { x: [2, 7, 7, 3], f: [3, 3, 3, 2] },
    { x: [3, 6, 8, 2], f: [3, 2, 2, 1] },
    { x: [1, 9, 9, 4], f: [5, 5, 4, 3] },
  ];
  const depthwiseSettings = [...settings.map((s) => ({ ...s, dilation: 1 })), { stride: 1, pad: 'same' as const, dilation: 2 }, { stride: 1, pad: 'valid' as const, dilation: 2 }];

  for (const kind of ['filter', 'input'] as const) {
    const kernel = kind === 'filter' ? 'DepthwiseConv2dNativeBackpropFilter' : 'DepthwiseConv2dNativeBackpropInput';
    it(`${kernel} matches cpu (strides 1, 2, same, valid), and the adjoint for dilation 2`, async (t) => {
      let seed = kind === 'filter' ? 300 : 400;
      for (const { x, f } of depthwiseCases) {
        for (const { stride, pad, dilation } of depthwiseSettings) {
          const oh = outSize(x[1], f[0], stride, dilation, pad);
          const ow = outSize(x[2], f[1], stride, dilation, pad);
          if (oh < 1 || ow < 1) continue;
          const dy: Shape4 = [x[0], oh, ow, f[2] * f[3]];
          const xs = values(x, seed++);
          const fs = values(f, seed++);
          const dys = values(dy, seed++);
          const attrs = { strides: [stride, stride], dilations: [dilation, dilation], pad };
          const make = (): Tensor =>
            kind === 'filter'
              ? runKernel(kernel, { x: tf.tensor(xs, x), dy: tf.tensor(dys, dy) }, { ...attrs, filterShape: f })
              : runKernel(kernel, { dy: tf.tensor(dys, dy), filter: tf.tensor(fs, f) }, { ...attrs, inputShape: x });
          const label = `${kernel} x${x} f${f} s${stride} d${dilation} ${pad}`;
          if (dilation === 1) await compare(t, label, make);
          else check(t, `${label} (adjoint)`, await depthwiseAdjoint(kind, x, f, dy, xs, fs, dys, stride, dilation, pad), await runOn('wasm', make), 1e-4);
        }
      }
    });
  }

  it('Tile matches cpu exactly (float32, int32, broadcast-only and interleaved axes; bool falls back)', async (t) => {
    const cases: { shape: number[]; reps: number[] }[] = [
      { shape: [1, 1, 1, 5], reps: [4, 3, 3, 1] },
      { shape: [2, 3], reps: [3, 2] },
      { shape: [2, 1, 3], reps: [1, 4, 2] },
      { shape: [3], reps: [1] },
      { shape: [2, 3, 2], reps: [2, 2, 3] },
      { shape: [2, 2, 2, 2], reps: [2, 2, 2, 2] }, // 8 broadcast axes: the shipped kernel
      { shape: [2, 4, 1, 3, 5], reps: [1, 1, 6, 1, 1] },
    ];
    let seed = 500;
    for (const { shape, reps } of cases) {
      const xs = values(shape, seed++);
      await compare(t, `Tile float32 ${shape} × ${reps}`, () => runKernel('Tile', { x: tf.tensor(xs, shape) }, { reps }), 0);
      const ints = Int32Array.from(xs, (v) => Math.round(v * 100));
      await compare(t, `Tile int32 ${shape} × ${reps}`, () => runKernel('Tile', { x: tf.tensor(ints, shape, 'int32') }, { reps }), 0);
    }
    await compare(t, 'Tile bool', () => tf.cast(runKernel('Tile', { x: tf.tensor([true, false, true], [3], 'bool') }, { reps: [2] }), 'int32'), 0);
  });

  it('BatchMatMul matches cpu (transposeA/B, batched, int32)', async (t) => {
    let seed = 600;
    const shapes: { a: number[]; b: number[]; ta: boolean; tb: boolean }[] = [
      { a: [7, 5], b: [7, 4], ta: true, tb: false },
      { a: [7, 5], b: [4, 7], ta: true, tb: true },
      { a: [5, 7], b: [7, 4], ta: false, tb: false },
      { a: [5, 7], b: [4, 7], ta: false, tb: true },
      { a: [3, 6, 5], b: [3, 6, 2], ta: true, tb: false },
      { a: [3, 6, 5], b: [1, 2, 6], ta: true, tb: true },
      { a: [3, 5, 6], b: [3, 2, 6], ta: false, tb: true },
      { a: [2, 3, 4, 5], b: [2, 3, 6, 5], ta: false, tb: true },
    ];
    for (const { a, b, ta, tb } of shapes) {
      const as = values(a, seed++);
      const bs = values(b, seed++);
      await compare(t, `BatchMatMul a${a} b${b} tA=${ta} tB=${tb}`, () => tf.matMul(tf.tensor(as, a), tf.tensor(bs, b), ta, tb), 1e-5);
      const ai = Int32Array.from(as, (v) => Math.round(v * 50));
      const bi = Int32Array.from(bs, (v) => Math.round(v * 50));
      await compare(t, `BatchMatMul int32 a${a} b${b} tA=${ta} tB=${tb}`, () => tf.matMul(tf.tensor(ai, a, 'int32'), tf.tensor(bi, b, 'int32'), ta, tb), 0);
    }
  });

  it('tf.math.confusionMatrix works on wasm (int32 through BatchMatMul) and matches cpu', async (t) => {
    const next = random(700);
    const labels = Int32Array.from({ length: 200 }, () => Math.floor(next() * 10));
    const predictions = Int32Array.from(labels, (l) => (next() < 0.7 ? l : Math.floor(next() * 10)));
    await compare(t, 'confusionMatrix int32', () => tf.math.confusionMatrix(tf.tensor1d(labels, 'int32'), tf.tensor1d(predictions, 'int32'), 10), 0);
    await compare(t, 'confusionMatrix float32 labels', () => tf.math.confusionMatrix(tf.tensor1d(Float32Array.from(labels)), tf.tensor1d(Float32Array.from(predictions)), 10), 0);
  });

  it('UnsortedSegmentSum matches cpu (duplicate ids, out-of-range ids dropped, 2-D ids)', async (t) => {
    const x = values([6, 3], 800);
    const ids = [0, 2, 2, 5, -1, 0];
    await compare(t, 'UnsortedSegmentSum 1-D', () => tf.unsortedSegmentSum(tf.tensor(x, [6, 3]), tf.tensor1d(ids, 'int32'), 4), 1e-6);
    // tfjs's cpu kernel takes 1-D ids only; the reference flattens them.
    const x3 = values([2, 3, 4], 801);
    const ids2 = [1, 0, 1, 3, 3, 0];
    const expected = await runOn('cpu', () => tf.unsortedSegmentSum(tf.tensor(x3, [6, 4]), tf.tensor1d(ids2, 'int32'), 5));
    const got = await runOn('wasm', () => runKernel('UnsortedSegmentSum', { x: tf.tensor(x3, [2, 3, 4]), segmentIds: tf.tensor(ids2, [2, 3], 'int32') }, { numSegments: 5 }));
    check(t, 'UnsortedSegmentSum 2-D ids', expected, got, 1e-6);
    const xi = Int32Array.from(x, (v) => Math.round(v * 10));
    await compare(t, 'UnsortedSegmentSum int32', () => tf.unsortedSegmentSum(tf.tensor(xi, [6, 3], 'int32'), tf.tensor1d(ids, 'int32'), 4), 0);
  });
});

describe('kernels on the wasm heap', () => {
  // The shapes a training step reduces: batch-norm statistics and gradients (leading axes, pooled),
  // bias gradients of Dense, losses (everything), global pooling (middle axes), odd sizes, batch 1.
  const reductions: { shape: number[]; axis: number | number[] | null; keepDims?: boolean }[] = [
    { shape: [8, 28, 28, 32], axis: [0, 1, 2] },
    { shape: [1, 7, 9, 5], axis: [0, 1, 2], keepDims: true },
    { shape: [16, 13, 11, 12], axis: [-4, -3, -2] },
    { shape: [37, 10], axis: 0 },
    { shape: [37, 10], axis: -1 },
    { shape: [4, 9, 9, 130], axis: [1, 2] },
    { shape: [4, 130, 140], axis: [1, 2] },
    { shape: [2, 3, 5, 7], axis: null },
    { shape: [300, 400], axis: [0, 1] },
  ];

  it('Sum and Mean match cpu over adjacent axes (pooled, streamed and whole), keepDims, negative axes', async (t) => {
    for (const [i, r] of reductions.entries()) {
      const data = values(r.shape, 1500 + i);
      for (const op of ['sum', 'mean'] as const) {
        await compare(t, `${op === 'sum' ? 'Sum' : 'Mean'} [${r.shape}] axis ${JSON.stringify(r.axis)}`, () => tf[op](tf.tensor(data, r.shape), r.axis ?? undefined, r.keepDims ?? false), 1e-5);
      }
    }
  });

  it('Sum over axes that are not adjacent, and of int32, falls back to the shipped kernel', async (t) => {
    await compare(t, 'Sum(fallback) [3,4,5] axis [0,2]', () => tf.sum(tf.tensor(values([3, 4, 5], 1600), [3, 4, 5]), [0, 2]), 1e-5);
    await compare(t, 'Sum(int32)', () => tf.sum(tf.tensor([[1, 2], [3, 4]], [2, 2], 'int32'), 0), 0);
  });

  it('MaxPoolGrad matches cpu (2×2 and 3×3 windows, strides 1–3, same and valid, odd sizes, batch 1)', async (t) => {
    const cases: { x: Shape4; size: number; stride: number; pad: 'same' | 'valid' }[] = [
      { x: [4, 28, 28, 8], size: 2, stride: 2, pad: 'valid' },
      { x: [1, 7, 7, 3], size: 2, stride: 2, pad: 'valid' },
      { x: [2, 7, 9, 5], size: 2, stride: 2, pad: 'same' },
      { x: [2, 9, 9, 4], size: 3, stride: 2, pad: 'same' },
      { x: [3, 6, 6, 2], size: 3, stride: 1, pad: 'valid' },
      { x: [1, 10, 11, 3], size: 3, stride: 3, pad: 'same' },
    ];
    for (const [i, c] of cases.entries()) {
      const x = values(c.x, 1700 + i);
      await compare(t, `MaxPoolGrad x [${c.x}] ${c.size}×${c.size} stride ${c.stride} ${c.pad}`, () => tf.grad((xt: Tensor) => tf.sum(tf.mul(tf.maxPool(xt as TfModule.Tensor4D, c.size, c.stride, c.pad), tf.tensor(values(outShapeOf(c), 1800 + i), outShapeOf(c)))))(tf.tensor(x, c.x)), 1e-6);
    }
  });

  it('MaxPoolGrad routes a tie to the first maximum of the window, as TensorFlow does', async (t) => {
    // Every window of a ReLU's zeros is a tie: 1 channel (the JavaScript kernel) and 4 (the SIMD one).
    await compare(t, 'MaxPoolGrad ties', () => tf.grad((xt: Tensor) => tf.sum(tf.mul(tf.maxPool(xt as TfModule.Tensor4D, 2, 2, 'valid'), tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]))))(tf.zeros([1, 4, 4, 1])), 0);
    await compare(t, 'MaxPoolGrad ties ×4', () => tf.grad((xt: Tensor) => tf.sum(tf.mul(tf.maxPool(xt as TfModule.Tensor4D, 2, 2, 'valid'), tf.range(1, 17).reshape([1, 2, 2, 4]))))(tf.zeros([1, 4, 4, 4])), 0);
  });

  it('FusedBatchNorm matches cpu with and without scale and offset', async (t) => {
    const shape = [4, 6, 6, 5];
    const x = values(shape, 1900);
    const channel = (seed: number, positive = false) => tf.tensor1d(Array.from(values([5], seed), (v) => (positive ? Math.abs(v) + 0.1 : v)));
    await compare(t, 'FusedBatchNorm full', () => tf.batchNorm(tf.tensor(x, shape), channel(1901), channel(1902, true), channel(1903), channel(1904), 1e-3));
    await compare(t, 'FusedBatchNorm bare', () => tf.batchNorm(tf.tensor(x, shape), channel(1905), channel(1906, true), undefined, undefined, 1e-3));
  });

  it('Identity and a same-dtype Cast share the data; values stay right after the input is freed', async () => {
    assert.ok(await tf.setBackend('wasm'));
    const x = tf.tensor1d([1, 2, 3]);
    const copy = tf.clone(x);
    const cast = tf.cast(x, 'float32');
    const toInt = tf.cast(x, 'int32');
    x.dispose();
    assert.deepEqual([...copy.dataSync()], [1, 2, 3]);
    assert.deepEqual([...cast.dataSync()], [1, 2, 3]);
    assert.equal(toInt.dtype, 'int32');
    tf.dispose([copy, cast, toInt]);
  });
});

function outShapeOf(c: { x: Shape4; size: number; stride: number; pad: 'same' | 'valid' }): Shape4 {
  return [c.x[0], outSize(c.x[1], c.size, c.stride, 1, c.pad), outSize(c.x[2], c.size, c.stride, 1, c.pad), c.x[3]];
}

describe('shipped wasm kernels that compute wrong results, run by the cpu backend\'s kernel', () => {
  type Shape5 = [number, number, number, number, number];
  const cases: { x: Shape5; f: Shape5; stride: number; pad: 'same' | 'valid' }[] = [
    { x: [2, 6, 6, 6, 2], f: [3, 3, 3, 2, 3], stride: 1, pad: 'same' },
    { x: [2, 6, 6, 6, 2], f: [3, 3, 3, 2, 3], stride: 2, pad: 'valid' },
    { x: [1, 5, 7, 4, 3], f: [2, 3, 2, 3, 2], stride: 2, pad: 'same' },
    { x: [3, 4, 4, 4, 1], f: [2, 2, 2, 1, 4], stride: 1, pad: 'valid' },
  ];
  const conv3dInputGradient = (c: (typeof cases)[number], seed: number) => () =>
    tf.grad((x: Tensor) => tf.sum(tf.square(tf.conv3d(x as TfModule.Tensor5D, tf.tensor(values(c.f, seed + 1), c.f) as TfModule.Tensor5D, c.stride, c.pad))))(tf.tensor(values(c.x, seed), c.x));
  const maxPool3d = (c: (typeof cases)[number], seed: number) => () => {
    const x = tf.tensor(values(c.x, seed), c.x) as TfModule.Tensor5D;
    return [tf.maxPool3d(x, 2, c.stride, c.pad), tf.grad((v: Tensor) => tf.sum(tf.square(tf.maxPool3d(v as TfModule.Tensor5D, 2, c.stride, c.pad))))(x)];
  };

  it('the shipped Conv3DBackpropInputV2 and MaxPool3D are wrong (so the correction is needed)', async (t) => {
    const registration = registerWasmTrainingKernels(tf);
    const cpuConv = await runOn('cpu', conv3dInputGradient(cases[0]!, 300));
    const cpuPool = await runOn('cpu', maxPool3d(cases[0]!, 310));
    registration.restore();
    try {
      const shippedConv = await runOn('wasm', conv3dInputGradient(cases[0]!, 300));
      const shippedPool = await runOn('wasm', maxPool3d(cases[0]!, 310));
      assert.throws(() => check(t, 'Conv3DBackpropInputV2(shipped)', cpuConv, shippedConv, 1e-2), /max \|wasm − expected\|/);
      assert.throws(() => check(t, 'MaxPool3D(shipped)', cpuPool, shippedPool, 1e-2), /max \|wasm − expected\|/);
    } finally {
      registerWasmTrainingKernels(tf);
    }
  });

  it('Conv3D: the input gradient matches cpu (strides 1, 2; same, valid)', async (t) => {
    let seed = 320;
    for (const c of cases) await compare(t, `Conv3DBackpropInputV2 x=${c.x} f=${c.f} s=${c.stride} ${c.pad}`, conv3dInputGradient(c, (seed += 2)));
  });

  it('MaxPool3D and its gradient match cpu', async (t) => {
    let seed = 340;
    for (const c of cases) await compare(t, `MaxPool3D x=${c.x} s=${c.stride} ${c.pad}`, maxPool3d(c, (seed += 1)));
  });
});

describe('gradients of the ops that use them', () => {
  it('conv2d: d/dx and d/dfilter match cpu', async (t) => {
    let seed = 900;
    for (const { x, f } of convCases.slice(0, 2)) {
      for (const { stride, pad } of settings) {
        const xs = values(x, seed++);
        const fs = values(f, seed++);
        await compare(t, `grad(conv2d) x${x} f${f} s${stride} ${pad}`, () => {
          const g = tf.grads((a: Tensor, b: Tensor) => tf.sum(tf.square(tf.conv2d(a as TfModule.Tensor4D, b as TfModule.Tensor4D, stride, pad))));
          return g([tf.tensor(xs, x), tf.tensor(fs, f)]);
        });
      }
    }
  });

  it('depthwiseConv2d and separableConv2d: all gradients match cpu', async (t) => {
    const x: Shape4 = [2, 8, 8, 3];
    const dw: Shape4 = [3, 3, 3, 2];
    const pw: Shape4 = [1, 1, 6, 4];
    const xs = values(x, 1000);
    const dws = values(dw, 1001);
    const pws = values(pw, 1002);
    for (const { stride, pad } of settings) {
      await compare(t, `grad(depthwiseConv2d) s${stride} ${pad}`, () => {
        const g = tf.grads((a: Tensor, b: Tensor) => tf.sum(tf.square(tf.depthwiseConv2d(a as TfModule.Tensor4D, b as TfModule.Tensor4D, stride, pad))));
        return g([tf.tensor(xs, x), tf.tensor(dws, dw)]);
      });
      await compare(t, `grad(separableConv2d) s${stride} ${pad}`, () => {
        const g = tf.grads((a: Tensor, b: Tensor, c: Tensor) =>
          tf.sum(tf.square(tf.separableConv2d(a as TfModule.Tensor4D, b as TfModule.Tensor4D, c as TfModule.Tensor4D, stride, pad))),
        );
        return g([tf.tensor(xs, x), tf.tensor(dws, dw), tf.tensor(pws, pw)]);
      });
    }
  });

  it('gather (Embedding): the gradient matches cpu', async (t) => {
    const table = values([10, 4], 1100);
    const ids = [[1, 3, 3], [9, 0, 1]];
    await compare(t, 'grad(gather)', () => {
      const g = tf.grad((tableT: Tensor) => tf.sum(tf.square(tf.gather(tableT, tf.tensor(ids, [2, 3], 'int32')))));
      return g(tf.tensor(table, [10, 4]));
    }, 1e-6);
  });

  it('batchNorm: the gradient (through Tile) matches cpu', async (t) => {
    const x = values([4, 5, 5, 3], 1200);
    await compare(t, 'grad(batchNorm)', () => {
      const g = tf.grads((xt: Tensor, scale: Tensor, offset: Tensor) => {
        const { mean, variance } = tf.moments(xt, [0, 1, 2]);
        return tf.sum(tf.square(tf.batchNorm(xt, mean, variance, offset, scale, 1e-3)));
      });
      return g([tf.tensor(x, [4, 5, 5, 3]), tf.tensor1d([1, 0.5, 2]), tf.tensor1d([0, 0.1, -0.2])]);
    });
  });
});

/**
 * Trains the same model (same initial weights, same batch) for `steps` SGD steps
 * on cpu and on wasm; returns the losses and the largest weight difference.
 */
async function trainOnBoth(
  t: TestContext,
  layers: () => TfModule.layers.Layer[],
  input: { shape: number[]; values: Float32Array; dtype?: 'int32' },
  labels: number[],
  classes: number,
  steps = 4,
): Promise<{ cpu: number[]; wasm: number[]; lossDiff: number; weightDiff: number }> {
  // The leak check misreads tfjs's own custom-gradient ops on wasm (their saved clones are copies there).
  tf.env().set('IS_TEST', false);
  t.after(() => tf.env().set('IS_TEST', true));
  const build = (weights?: Float32Array[]): TfModule.Sequential => {
    const model = tf.sequential({ layers: layers() });
    model.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' });
    if (weights) model.setWeights(model.getWeights().map((w, i) => tf.tensor(weights[i] ?? new Float32Array(w.size), w.shape)));
    return model;
  };
  assert.ok(await tf.setBackend('cpu'));
  const initial = tf.tidy(() => {
    const model = build();
    const weights = model.getWeights().map((w) => w.dataSync() as Float32Array);
    model.dispose();
    return weights;
  });
  const run = async (backend: 'cpu' | 'wasm'): Promise<{ losses: number[]; weights: Float32Array[] }> => {
    assert.ok(await tf.setBackend(backend));
    const model = build(initial);
    const x = input.dtype === 'int32' ? tf.tensor(Int32Array.from(input.values), input.shape, 'int32') : tf.tensor(input.values, input.shape);
    const y = tf.oneHot(tf.tensor1d(labels, 'int32'), classes);
    const losses: number[] = [];
    for (let step = 0; step < steps; step++) {
      const loss = await model.trainOnBatch(x, y);
      losses.push(typeof loss === 'number' ? loss : (loss[0] ?? NaN));
    }
    const weights = model.getWeights().map((w) => w.dataSync() as Float32Array);
    tf.dispose([x, y]);
    model.dispose();
    return { losses, weights };
  };
  const cpu = await run('cpu');
  const wasm = await run('wasm');
  let lossDiff = 0;
  cpu.losses.forEach((l, i) => (lossDiff = Math.max(lossDiff, Math.abs(l - (wasm.losses[i] ?? NaN)))));
  let weightDiff = 0;
  cpu.weights.forEach((w, i) => w.forEach((v, k) => (weightDiff = Math.max(weightDiff, Math.abs(v - (wasm.weights[i]?.[k] ?? NaN))))));
  t.diagnostic(`losses cpu ${cpu.losses.map((l) => l.toFixed(6)).join(' ')} | wasm ${wasm.losses.map((l) => l.toFixed(6)).join(' ')}`);
  t.diagnostic(`max |loss diff| ${lossDiff.toExponential(2)}, max |weight diff| after ${steps} steps ${weightDiff.toExponential(2)}`);
  assert.ok(lossDiff < 1e-4, `loss differs by ${lossDiff}`);
  assert.ok(weightDiff < 1e-3, `weights differ by ${weightDiff}`);
  return { cpu: cpu.losses, wasm: wasm.losses, lossDiff, weightDiff };
}

function classLabels(count: number, classes: number, seed: number): number[] {
  const next = random(seed);
  return Array.from({ length: count }, () => Math.floor(next() * classes));
}

describe('small networks train on wasm as on cpu', () => {
  it('Conv2D → MaxPooling2D → BatchNormalization → Flatten → Dense: the loss of 4 SGD steps matches cpu', async (t) => {
    const { cpu } = await trainOnBoth(
      t,
      () => [
        tf.layers.conv2d({ inputShape: [12, 12, 1], filters: 6, kernelSize: 3, activation: 'relu', padding: 'same' }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.batchNormalization(),
        tf.layers.flatten(),
        tf.layers.dense({ units: 5, activation: 'softmax' }),
      ],
      { shape: [16, 12, 12, 1], values: values([16, 12, 12, 1], 1300) },
      classLabels(16, 5, 1301),
      5,
    );
    assert.ok((cpu[3] ?? 0) < (cpu[0] ?? 0), 'the loss goes down');
  });

  it('SeparableConv2D → Conv2D (stride 2) → Conv2DTranspose (stride 2) → DepthwiseConv2D → Dense matches cpu', async (t) => {
    await trainOnBoth(
      t,
      () => [
        tf.layers.separableConv2d({ inputShape: [10, 10, 2], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
        tf.layers.conv2d({ filters: 6, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
        tf.layers.conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' }),
        tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 4, activation: 'softmax' }),
      ],
      { shape: [8, 10, 10, 2], values: values([8, 10, 10, 2], 1400) },
      classLabels(8, 4, 1401),
      4,
    );
  });

  it('Embedding → Flatten → Dense matches cpu', async (t) => {
    const next = random(1500);
    const ids = Float32Array.from({ length: 12 * 6 }, () => Math.floor(next() * 20));
    await trainOnBoth(
      t,
      () => [tf.layers.embedding({ inputShape: [6], inputDim: 20, outputDim: 4 }), tf.layers.flatten(), tf.layers.dense({ units: 3, activation: 'softmax' })],
      { shape: [12, 6], values: ids, dtype: 'int32' },
      classLabels(12, 3, 1501),
      3,
    );
  });
});

describe('summary', () => {
  it('reports the worst difference per kernel', (t) => {
    for (const [kernel, { abs, rel }] of [...worst.entries()].sort()) {
      t.diagnostic(`${kernel}: max abs diff vs reference ${abs.toExponential(2)}, relative to the largest |value| ${rel.toExponential(2)}`);
    }
    assert.ok(worst.size > 0);
  });
});
