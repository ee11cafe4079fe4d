/**
 * Kernels for the WebAssembly backend that read and write its heap directly:
 * the memory-bound steps of a training step that the shipped kernels do slowly.
 *
 * - `Sum` and `Mean` over a run of adjacent axes (batch normalisation's
 *   statistics and gradients, bias gradients, losses): the last two reduced axes
 *   by XNNPACK's average pooling (SIMD, on every thread), the rest in one streaming
 *   pass with float64 accumulators. The shipped kernels first transpose the reduced
 *   axes to the end, which costs more than the reduction (26–34 ms for a
 *   128×28×28×32 batch-norm sum, against about 2 ms).
 * - `MaxPoolGrad`: routes each gradient to the first maximum of its window in
 *   one pass, as TensorFlow does (Layerlab's SIMD kernel on every thread, 4 channels
 *   at a time; otherwise in JavaScript); the shipped kernel is generic and slow.
 * - `FusedBatchNorm`: one multiply and one add by per-channel vectors.
 * - `Identity`, and `Cast` to the same dtype: share the input's memory (as the cpu
 *   and WebGL backends do) instead of copying it; the optimizers and gradients call
 *   them hundreds of times a step.
 *
 * Each falls back to the shipped kernel outside the cases it covers, and each
 * is checked against the cpu backend in test/training/backend-wasm-kernels.test.ts.
 */
import type * as TfModule from '@tensorflow/tfjs';
import { createSimdKernels, isWasmMemory, type SimdKernels } from './simd-kernels.js';

type Tf = typeof TfModule;
type TensorInfo = TfModule.TensorInfo;
type DataId = TensorInfo['dataId'];
type KernelFunc = TfModule.KernelFunc;
type NamedTensorInfoMap = TfModule.NamedTensorInfoMap;

/** What these kernels use of tfjs-backend-wasm's BackendWasm (public members, not in its typings here). */
interface WasmHeap {
  makeOutput(shape: number[], dtype: TfModule.DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  incRef(dataId: DataId): void;
  disposeData(dataId: DataId): boolean;
  /** The emscripten module: its heap is `wasmMemory` (threaded build) or `asm.memory`. */
  readonly wasm?: { readonly wasmMemory?: unknown; readonly asm?: { readonly memory?: unknown }; readonly tfjs?: { getThreadsCount?(): number } };
}

function heapOf(backend: unknown): WasmHeap | undefined {
  if (typeof backend !== 'object' || backend === null) return undefined;
  const candidate = backend as Partial<Record<keyof WasmHeap, unknown>>;
  return typeof candidate.makeOutput === 'function' && typeof candidate.typedArrayFromHeap === 'function' && typeof candidate.incRef === 'function' && typeof candidate.disposeData === 'function'
    ? (backend as WasmHeap)
    : undefined;
}

function tensorInfo(inputs: NamedTensorInfoMap, name: string): TensorInfo | undefined {
  return inputs[name];
}

function floats(heap: WasmHeap, info: TensorInfo): Float32Array {
  const array = heap.typedArrayFromHeap(info);
  if (!(array instanceof Float32Array)) throw new Error(`wasm heap kernel: expected float32 data, got ${info.dtype}`);
  return array;
}

function product(shape: readonly number[], from = 0, to = shape.length): number {
  let n = 1;
  for (let i = from; i < to; i++) n *= shape[i] ?? 1;
  return n;
}

// ---------------------------------------------------------------------------
// Reductions

/** The reduced axes as [first, last] when they are adjacent (after normalising negatives), else undefined. */
export function adjacentAxes(axis: number | readonly number[] | null | undefined, rank: number): [number, number] | undefined {
  // No axis: every axis, as tf.sum(x) means.
  const given = axis === null || axis === undefined ? Array.from({ length: rank }, (_, i) => i) : typeof axis === 'number' ? [axis] : [...axis];
  const list = given.map((a) => (a < 0 ? a + rank : a));
  if (list.length === 0) return undefined;
  const sorted = [...new Set(list)].sort((a, b) => a - b);
  const first = sorted[0] ?? 0;
  const last = sorted[sorted.length - 1] ?? 0;
  if (first < 0 || last >= rank || last - first + 1 !== sorted.length) return undefined;
  return [first, last];
}

/**
 * Sums x viewed as [outer, reduced, inner] over its middle axis into out [outer, inner],
 * with float64 accumulators (the input is read once, in order).
 */
export function reduceMiddle(x: Float32Array, outer: number, reduced: number, inner: number, out: Float32Array, scale: number): void {
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      const base = o * reduced;
      const end = base + reduced;
      let i = base;
      for (; i + 3 < end; i += 4) {
        s0 += x[i] as number;
        s1 += x[i + 1] as number;
        s2 += x[i + 2] as number;
        s3 += x[i + 3] as number;
      }
      for (; i < end; i++) s0 += x[i] as number;
      out[o] = (s0 + s1 + s2 + s3) * scale;
    }
    return;
  }
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    acc.fill(0);
    let at = o * reduced * inner;
    for (let r = 0; r < reduced; r++) {
      for (let i = 0; i < inner; i++) acc[i] = (acc[i] as number) + (x[at + i] as number);
      at += inner;
    }
    const outBase = o * inner;
    for (let i = 0; i < inner; i++) out[outBase + i] = (acc[i] as number) * scale;
  }
}

function reduction(tf: Tf, original: KernelFunc, mean: boolean): KernelFunc {
  return (args) => {
    const heap = heapOf(args.backend);
    const x = tensorInfo(args.inputs, 'x');
    const { axis, keepDims } = args.attrs as unknown as { axis: number | number[] | null | undefined; keepDims: boolean };
    if (!heap || !x || x.dtype !== 'float32' || !(x instanceof tf.Tensor)) return original(args);
    const rank = x.shape.length;
    const span = rank === 0 ? undefined : adjacentAxes(axis, rank);
    if (!span) return original(args);
    const [first, last] = span;
    const outer = product(x.shape, 0, first);
    const reduced = product(x.shape, first, last + 1);
    const inner = product(x.shape, last + 1);
    if (reduced === 0) return original(args);
    const outShape = keepDims ? x.shape.map((size: number, i: number) => (i >= first && i <= last ? 1 : size)) : [...x.shape.slice(0, first), ...x.shape.slice(last + 1)];
    const scale = mean ? 1 / reduced : 1;
    if (reduced * inner >= POOLED_REDUCTION_MIN && inner > 1 && last > first) {
      // The last two reduced axes by XNNPACK's average pooling (SIMD, on every thread), the rest here.
      const rows = x.shape[last - 1] ?? 1;
      const cols = x.shape[last] ?? 1;
      const rest = reduced / (rows * cols);
      const pooled = tf.tidy(() => tf.avgPool(tf.reshape(x, [outer * rest, rows, cols, inner]) as TfModule.Tensor4D, [rows, cols], [rows, cols], 'valid'));
      const out = heap.makeOutput(outShape, 'float32');
      reduceMiddle(floats(heap, pooled), outer, rest, inner, floats(heap, out), scale * rows * cols);
      pooled.dispose();
      return out;
    }
    const out = heap.makeOutput(outShape, 'float32');
    // Views after the allocation: it may have grown (and so replaced) the heap.
    reduceMiddle(floats(heap, x), outer, reduced, inner, floats(heap, out), scale);
    return out;
  };
}

// ---------------------------------------------------------------------------
// MaxPoolGrad

interface MaxPoolGradAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | TfModule.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * dx of a 2-D max pooling (NHWC, no dilation, as Keras pools): each output gradient
 * goes to the first maximum (row-major) of its window among the input positions the
 * window covers. The channels are the inner loop, so every read is sequential.
 */
export function maxPoolGradInto(x: Float32Array, dy: Float32Array, dx: Float32Array, info: TfModule.backend_util.Conv2DInfo): void {
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth, strideHeight, strideWidth, effectiveFilterHeight, effectiveFilterWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  dx.fill(0);
  const rowStride = inWidth * channels;
  const imageStride = inHeight * rowStride;
  const best = new Float32Array(channels);
  const where = new Int32Array(channels);
  let dyAt = 0;
  for (let n = 0; n < batchSize; n++) {
    const image = n * imageStride;
    for (let oy = 0; oy < outHeight; oy++) {
      const yStart = oy * strideHeight - top;
      const yFrom = Math.max(0, yStart);
      const yTo = Math.min(inHeight, yStart + effectiveFilterHeight);
      for (let ox = 0; ox < outWidth; ox++, dyAt += channels) {
        const xStart = ox * strideWidth - left;
        const xFrom = Math.max(0, xStart);
        const xTo = Math.min(inWidth, xStart + effectiveFilterWidth);
        best.fill(Number.NEGATIVE_INFINITY);
        where.fill(-1);
        for (let y = yFrom; y < yTo; y++) {
          for (let xx = xFrom; xx < xTo; xx++) {
            const at = image + y * rowStride + xx * channels;
            for (let c = 0; c < channels; c++) {
              const value = x[at + c] as number;
              if (value > (best[c] as number)) {
                best[c] = value;
                where[c] = at + c;
              }
            }
          }
        }
        for (let c = 0; c < channels; c++) {
          const target = where[c] as number;
          if (target >= 0) dx[target] = (dx[target] as number) + (dy[dyAt + c] as number);
        }
      }
    }
  }
}

function maxPoolGrad(tf: Tf, original: KernelFunc): KernelFunc {
  return (args) => {
    const heap = heapOf(args.backend);
    const dy = tensorInfo(args.inputs, 'dy');
    const input = tensorInfo(args.inputs, 'input');
    const a = args.attrs as unknown as MaxPoolGradAttrs;
    if (!heap || !dy || !input || input.dtype !== 'float32' || dy.dtype !== 'float32' || input.shape.length !== 4) return original(args);
    const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
    if (dy.shape[1] !== info.outHeight || dy.shape[2] !== info.outWidth) return original(args);
    const out = heap.makeOutput([...input.shape], 'float32');
    const kernels = simdKernelsOf(heap);
    if (kernels && kernels.coversMaxPoolGrad(info.inChannels) && info.dilationHeight === 1 && info.dilationWidth === 1) {
      kernels.maxPoolGrad({
        x: offsetOf(heap, input),
        dy: offsetOf(heap, dy),
        dx: offsetOf(heap, out),
        batch: info.batchSize,
        inHeight: info.inHeight,
        inWidth: info.inWidth,
        channels: info.inChannels,
        outHeight: info.outHeight,
        outWidth: info.outWidth,
        filterHeight: info.effectiveFilterHeight,
        filterWidth: info.effectiveFilterWidth,
        strideHeight: info.strideHeight,
        strideWidth: info.strideWidth,
        padTop: info.padInfo.top,
        padLeft: info.padInfo.left,
      });
    } else maxPoolGradInto(floats(heap, input), floats(heap, dy), floats(heap, out), info);
    return out;
  };
}

// ---------------------------------------------------------------------------
// FusedBatchNorm

/**
 * y = (x − mean)·scale/√(variance + ε) + offset as one multiply and one add of x by
 * per-channel vectors (XNNPACK's broadcasting ops), the vectors computed first; the
 * shipped kernel does the whole formula per element.
 */
function fusedBatchNorm(tf: Tf, original: KernelFunc): KernelFunc {
  return (args) => {
    const float = (name: string): TfModule.Tensor | undefined => {
      const info = args.inputs[name];
      return info instanceof tf.Tensor && info.dtype === 'float32' ? info : undefined;
    };
    const [x, mean, variance, scale, offset] = ['x', 'mean', 'variance', 'scale', 'offset'].map(float);
    const { varianceEpsilon } = args.attrs as unknown as { varianceEpsilon: number };
    const channels = x?.shape[x.shape.length - 1];
    const perChannel = (t: TfModule.Tensor | undefined): boolean => t !== undefined && t.shape.length === 1 && t.shape[0] === channels;
    // Per-channel statistics only (what BatchNormalization passes); anything else the shipped kernel broadcasts.
    const optionalOk = (name: string, t: TfModule.Tensor | undefined): boolean => (args.inputs[name] === undefined ? true : perChannel(t));
    if (!x || !mean || !variance || !perChannel(mean) || !perChannel(variance) || !optionalOk('scale', scale) || !optionalOk('offset', offset)) return original(args);
    return tf.tidy(() => {
      let factor = tf.rsqrt(tf.add(variance, varianceEpsilon));
      if (scale) factor = tf.mul(factor, scale);
      let shift = tf.neg(tf.mul(mean, factor));
      if (offset) shift = tf.add(shift, offset);
      return tf.add(tf.mul(x, factor), shift);
    });
  };
}

// ---------------------------------------------------------------------------
// Identity

function identity(original: KernelFunc): KernelFunc {
  return (args) => {
    const heap = heapOf(args.backend);
    const x = tensorInfo(args.inputs, 'x');
    if (!heap || !x || x.dtype === 'string' || x.dtype === 'complex64') return original(args);
    heap.incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
}

/** Below this many elements per output row the pass here beats an extra kernel call. */
const POOLED_REDUCTION_MIN = 1 << 14;

// ---------------------------------------------------------------------------
// Conv2DBackpropFilter by Layerlab's SIMD kernel

const simdKernels = new WeakMap<WasmHeap, SimdKernels | null>();

/** The backend's SIMD kernels, made on first use (their workers share the heap); null where the heap cannot be reached. */
function simdKernelsOf(heap: WasmHeap): SimdKernels | null {
  let kernels = simdKernels.get(heap);
  if (kernels === undefined) {
    const memory = heap.wasm?.wasmMemory ?? heap.wasm?.asm?.memory;
    kernels = isWasmMemory(memory) ? createSimdKernels(memory, heap.wasm?.tfjs?.getThreadsCount?.() ?? 1) : null;
    simdKernels.set(heap, kernels);
  }
  return kernels;
}

/** A tensor's byte offset in the heap. Read after every allocation: one may grow (and so replace) the heap's buffer. */
function offsetOf(heap: WasmHeap, t: TensorInfo): number {
  return heap.typedArrayFromHeap(t).byteOffset;
}

/**
 * dw of a Conv2D (NHWC, float32) by the SIMD kernel, or undefined where it does not apply
 * (channel counts it does not block, the heap out of reach): the caller then composes it.
 */
export function filterGradientOnHeap(backend: unknown, x: TensorInfo, dy: TensorInfo, info: TfModule.backend_util.Conv2DInfo): TensorInfo | undefined {
  const heap = heapOf(backend);
  if (!heap || x.dtype !== 'float32' || dy.dtype !== 'float32') return undefined;
  const kernels = simdKernelsOf(heap);
  if (!kernels || !kernels.coversFilterGrad(info.outChannels)) return undefined;
  const shape = [info.filterHeight, info.filterWidth, info.inChannels, info.outChannels];
  const outputs = Array.from({ length: Math.min(kernels.threads, info.batchSize) }, () => heap.makeOutput(shape, 'float32'));
  kernels.conv2dFilterGrad(
    {
      x: offsetOf(heap, x),
      dy: offsetOf(heap, dy),
      batch: info.batchSize,
      inHeight: info.inHeight,
      inWidth: info.inWidth,
      inChannels: info.inChannels,
      outHeight: info.outHeight,
      outWidth: info.outWidth,
      outChannels: info.outChannels,
      filterHeight: info.filterHeight,
      filterWidth: info.filterWidth,
      strideHeight: info.strideHeight,
      strideWidth: info.strideWidth,
      dilationHeight: info.dilationHeight,
      dilationWidth: info.dilationWidth,
      padTop: info.padInfo.top,
      padLeft: info.padInfo.left,
    },
    outputs.map((t) => offsetOf(heap, t)),
  );
  for (const scratch of outputs.slice(1)) heap.disposeData(scratch.dataId);
  return outputs[0];
}

export const HEAP_KERNELS = ['Sum', 'Mean', 'MaxPoolGrad', 'FusedBatchNorm', 'Identity', 'Cast'] as const;

/** A cast to the dtype the tensor already has shares its memory, as the cpu backend does; the shipped kernel copies. */
function cast(original: KernelFunc): KernelFunc {
  const share = identity(original);
  return (args) => {
    const x = tensorInfo(args.inputs, 'x');
    const { dtype } = args.attrs as unknown as { dtype: TfModule.DataType };
    return x && x.dtype === dtype ? share(args) : original(args);
  };
}

/** Kernel name → the replacement, given the shipped kernel to fall back on. */
export function heapKernels(tf: Tf): Record<(typeof HEAP_KERNELS)[number], (original: KernelFunc) => KernelFunc> {
  return {
    Sum: (original) => reduction(tf, original, false),
    Mean: (original) => reduction(tf, original, true),
    MaxPoolGrad: (original) => maxPoolGrad(tf, original),
    FusedBatchNorm: (original) => fusedBatchNorm(tf, original),
    Identity: (original) => identity(original),
    Cast: (original) => cast(original),
  };
}
