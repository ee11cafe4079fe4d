/**
 * Kernels that let the WebAssembly backend of TensorFlow.js 4.22 train.
 *
 * As shipped, `@tensorflow/tfjs-backend-wasm` cannot train a convolutional
 * network: `Conv2DBackpropFilter`, `DepthwiseConv2dNativeBackpropFilter`,
 * `DepthwiseConv2dNativeBackpropInput` and `UnsortedSegmentSum` (the gradient of
 * `gather`, so of Embedding) are not registered for it. Each is built here from
 * forward ops the backend runs fast (XNNPACK convolutions, transposes, pads).
 *
 * A few registered kernels are also replaced by faster compositions, falling back
 * to the shipped kernel outside the cases they cover:
 * - `Conv2DBackpropInput` (strides up to 3) as a forward convolution of the
 *   zero-spread gradient with the flipped kernel;
 * - `Tile` as a broadcast add (the BatchNormalization gradient tiles its statistics);
 * - `BatchMatMul` with `transposeA` or `transposeB` through explicit transposes, and with int32
 *   operands through float32 (the shipped kernel is float32 only, which breaks
 *   `tf.math.confusionMatrix`).
 *
 * Every kernel is checked against the cpu backend in test/training/backend-wasm-kernels.test.ts;
 * scripts/bench-kernels.ts prints the timings.
 *
 * Nothing here loads TensorFlow.js: the module is passed in.
 */
import type * as TfModule from '@tensorflow/tfjs';
import { filterGradientOnHeap, HEAP_KERNELS, heapKernels } from './wasm-heap-kernels.js';

export type Tf = typeof TfModule;
type Tensor = TfModule.Tensor;
type Tensor4D = TfModule.Tensor4D;
type KernelConfig = TfModule.KernelConfig;
type KernelFunc = TfModule.KernelFunc;
type NamedTensorInfoMap = TfModule.NamedTensorInfoMap;
type Conv2DInfo = TfModule.backend_util.Conv2DInfo;
type PadAttr = 'valid' | 'same' | number | TfModule.backend_util.ExplicitPadding;
type RoundingMode = 'floor' | 'round' | 'ceil' | undefined;
type Pair = [number, number];

const WASM = 'wasm';

/** The kernels this module adds (missing from the wasm backend) and those it replaces (faster compositions). */
export const ADDED_KERNELS = [
  'Conv2DBackpropFilter',
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
  'UnsortedSegmentSum',
] as const;
export const REPLACED_KERNELS = ['Conv2DBackpropInput', 'Tile', 'BatchMatMul', ...HEAP_KERNELS] as const;
/**
 * Shipped kernels that compute wrong results, run by the cpu backend's kernel instead:
 * in 4.22, the wasm `Conv3DBackpropInputV2`, `MaxPool3D` and `MaxPool3DGrad` differ from the cpu and
 * WebGPU backends by up to 96% of the largest value (the Conv3D and MaxPooling3D gradients;
 * found by test/training/backend-webgpu.test.ts, checked in backend-wasm-kernels.test.ts).
 */
export const CORRECTED_KERNELS = ['Conv3DBackpropInputV2', 'MaxPool3D', 'MaxPool3DGrad'] as const;

export interface WasmKernelOptions {
  /**
   * Also replace the shipped `Conv2DBackpropInput`, `Tile` and `BatchMatMul` by the
   * faster compositions (default true). The added kernels are always registered.
   */
  readonly fastPaths?: boolean;
}

export interface WasmKernelRegistration {
  /** Kernel names registered because the wasm backend lacked them. */
  readonly added: readonly string[];
  /** Kernel names whose shipped wasm implementation was wrapped by a faster one. */
  readonly replaced: readonly string[];
  /** Kernel names whose shipped wasm implementation is wrong, run by the cpu backend's kernel instead. */
  readonly corrected: readonly string[];
  /** Puts the shipped kernels back and removes the added ones (for benchmarks and tests). */
  restore(): void;
}

// The kernel registry is global to a tfjs-core instance, whose engine is a singleton.
const registrations = new WeakMap<object, WasmKernelRegistration>();

/**
 * Registers the training kernels for the 'wasm' backend of this TensorFlow.js
 * module. Idempotent; call before or after `tf.setBackend('wasm')`.
 */
export function registerWasmTrainingKernels(tf: Tf, options: WasmKernelOptions = {}): WasmKernelRegistration {
  const key = tf.engine();
  const existing = registrations.get(key);
  if (existing) {
    const wantFast = options.fastPaths ?? true;
    if (wantFast === existing.replaced.length > 0) return existing;
    existing.restore();
  }
  const added: string[] = [];
  const replaced: { name: string; original: KernelConfig }[] = [];
  const corrected: { name: string; original: KernelConfig }[] = [];

  const add = (kernelName: string, kernelFunc: KernelFunc): void => {
    if (tf.getKernel(kernelName, WASM)) return; // a later tfjs that ships it: keep the real one
    tf.registerKernel({ kernelName, backendName: WASM, kernelFunc });
    added.push(kernelName);
  };
  const replace = (kernelName: string, make: (original: KernelFunc) => KernelFunc): void => {
    const original = tf.getKernel(kernelName, WASM);
    if (!original) return;
    tf.unregisterKernel(kernelName, WASM);
    // Keep the shipped setupFunc: the fallback needs the wasm function it binds at backend start.
    tf.registerKernel({ ...original, kernelFunc: make(original.kernelFunc) });
    replaced.push({ name: kernelName, original });
  };

  for (const kernelName of CORRECTED_KERNELS) {
    const original = tf.getKernel(kernelName, WASM);
    if (!original) continue;
    tf.unregisterKernel(kernelName, WASM);
    tf.registerKernel({ kernelName, backendName: WASM, kernelFunc: onCpuBackend(tf, kernelName) });
    corrected.push({ name: kernelName, original });
  }
  add('Conv2DBackpropFilter', conv2dBackpropFilter(tf));
  add('DepthwiseConv2dNativeBackpropFilter', depthwiseBackpropFilter(tf));
  add('DepthwiseConv2dNativeBackpropInput', depthwiseBackpropInput(tf));
  add('UnsortedSegmentSum', unsortedSegmentSum(tf));
  if (options.fastPaths ?? true) {
    replace('Conv2DBackpropInput', (original) => conv2dBackpropInput(tf, original));
    replace('Tile', (original) => tile(tf, original));
    replace('BatchMatMul', (original) => batchMatMul(tf, original));
    for (const [name, make] of Object.entries(heapKernels(tf))) replace(name, make);
  }

  const registration: WasmKernelRegistration = {
    added,
    replaced: replaced.map((r) => r.name),
    corrected: corrected.map((r) => r.name),
    restore() {
      for (const name of added) tf.unregisterKernel(name, WASM);
      for (const { name, original } of [...replaced, ...corrected]) {
        tf.unregisterKernel(name, WASM);
        tf.registerKernel(original);
      }
      registrations.delete(key);
    },
  };
  registrations.set(key, registration);
  return registration;
}

// ---------------------------------------------------------------------------
// Helpers

/**
 * A kernel that runs the cpu backend's implementation on copies of its inputs and hands
 * the result back to the wasm backend: JavaScript speed, the cpu backend's results.
 */
function onCpuBackend(tf: Tf, kernelName: string): KernelFunc {
  return ({ inputs, attrs, backend: owner }) => {
    const backend = owner as TfModule.KernelBackend;
    const kernel = tf.getKernel(kernelName, 'cpu');
    const cpu = tf.findBackend('cpu');
    if (!kernel || !cpu) throw new Error(`wasm training kernel ${kernelName}: the cpu backend's kernel is not available`);
    const copies: NamedTensorInfoMap = {};
    for (const [name, info] of Object.entries(inputs)) {
      if (!info) continue;
      const values = backend.readSync(info.dataId) as TfModule.backend_util.BackendValues;
      copies[name] = { dataId: cpu.write(values, info.shape, info.dtype), shape: info.shape, dtype: info.dtype };
    }
    try {
      const result = kernel.kernelFunc({ inputs: copies, attrs: attrs ?? {}, backend: cpu });
      if (Array.isArray(result)) throw new Error(`wasm training kernel ${kernelName}: several outputs are not supported`);
      const values = cpu.readSync(result.dataId) as TfModule.backend_util.BackendValues;
      cpu.disposeData(result.dataId, true);
      return { dataId: backend.write(values, result.shape, result.dtype), shape: result.shape, dtype: result.dtype };
    } finally {
      for (const info of Object.values(copies)) if (info) cpu.disposeData(info.dataId, true);
    }
  };
}

function input(tf: Tf, inputs: NamedTensorInfoMap, name: string): Tensor {
  const info = inputs[name];
  // The engine hands registered kernels the op's tensors; only those can feed ops.
  if (!(info instanceof tf.Tensor)) throw new Error(`wasm training kernel: input '${name}' is not a tensor`);
  return info;
}

function as4D(t: Tensor): Tensor4D {
  if (t.rank !== 4) throw new Error(`wasm training kernel: expected a rank-4 tensor, got shape [${t.shape.join(', ')}]`);
  return t as Tensor4D;
}

function pair(value: number | readonly number[]): Pair {
  if (typeof value === 'number') return [value, value];
  return [value[0] ?? 1, value[1] ?? value[0] ?? 1];
}

/**
 * Pads (or, where an amount is negative, crops) the two spatial axes of an NHWC
 * tensor. Returns the cropped tensor and the non-negative padding left for the
 * convolution to apply itself, so no padded copy is made.
 */
function cropForPadding(tf: Tf, x: Tensor4D, rows: Pair, cols: Pair): { x: Tensor4D; pad: TfModule.backend_util.ExplicitPadding } {
  const [n, h, w, c] = x.shape;
  const cropTop = Math.max(0, -rows[0]);
  const cropBottom = Math.max(0, -rows[1]);
  const cropLeft = Math.max(0, -cols[0]);
  const cropRight = Math.max(0, -cols[1]);
  const cropped =
    cropTop + cropBottom + cropLeft + cropRight > 0
      ? tf.slice(x, [0, cropTop, cropLeft, 0], [n, h - cropTop - cropBottom, w - cropLeft - cropRight, c])
      : x;
  return {
    x: cropped,
    pad: [
      [0, 0],
      [Math.max(0, rows[0]), Math.max(0, rows[1])],
      [Math.max(0, cols[0]), Math.max(0, cols[1])],
      [0, 0],
    ],
  };
}

/** Puts `stride − 1` zeros after every row and column of an NHWC tensor (the transposed convolution's input). */
function spreadByStride(tf: Tf, dy: Tensor4D, [sh, sw]: Pair): Tensor4D {
  if (sh === 1 && sw === 1) return dy;
  const [n, oh, ow, c] = dy.shape;
  const spread = tf.pad(tf.reshape(dy, [n, oh, 1, ow, 1, c]), [
    [0, 0],
    [0, 0],
    [0, sh - 1],
    [0, 0],
    [0, sw - 1],
    [0, 0],
  ]);
  return tf.reshape(spread, [n, oh * sh, ow * sw, c]);
}

/**
 * Padding (before, after) of the input along one axis for the kernel-gradient
 * correlation: exactly the positions the forward convolution read, which were
 * (outLength − 1)·stride + (taps − 1)·dilation + 1 padded ones starting `padBefore`
 * before the input. A negative `after` means rows it never read: cropped.
 */
function filterGradientPadding(inLength: number, padBefore: number, taps: number, outLength: number, stride: number, dilation: number): Pair {
  const needed = (taps - 1) * dilation + (outLength - 1) * stride + 1;
  return [padBefore, needed - padBefore - inLength];
}

function convInfo(tf: Tf, xShape: number[], filterShape: number[], strides: number | Pair, dilations: number | Pair, pad: PadAttr, rounding: RoundingMode, depthwise: boolean): Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    dilations,
    pad,
    rounding,
    depthwise,
  );
}

function checkOutputShape(info: Conv2DInfo, dy: Tensor4D): void {
  if (dy.shape[1] !== info.outHeight || dy.shape[2] !== info.outWidth) {
    throw new Error(`wasm training kernel: gradient shape [${dy.shape.join(', ')}] does not match the convolution output ${info.outHeight}×${info.outWidth}`);
  }
}

// ---------------------------------------------------------------------------
// Gradients of the convolutions
//
// With stride s, dilation d and top padding p, a forward convolution reads
// x[i·s + a·d − p] for output row i and kernel row a. So:
// - the kernel gradient Σ_i x[a·d + i·s − p]·dy[i] is a correlation of x with dy
//   at stride d and dilation s, the batch axis acting as the channels;
// - the input gradient is a correlation of dy, spread by s and padded by
//   (k − 1)·d − p, with the spatially flipped kernel, at stride 1 and dilation d.

interface ConvGeometry {
  readonly info: Conv2DInfo;
  readonly strides: Pair;
  readonly dilations: Pair;
}

function geometry(info: Conv2DInfo): ConvGeometry {
  return { info, strides: [info.strideHeight, info.strideWidth], dilations: [info.dilationHeight, info.dilationWidth] };
}

/** Kernel gradient of a Conv2D, [kh, kw, inC, outC], from x [N, H, W, inC] and dy [N, oh, ow, outC]. */
function convFilterGradient(tf: Tf, x: Tensor4D, dy: Tensor4D, { info, strides, dilations }: ConvGeometry): Tensor4D {
  const rows = filterGradientPadding(info.inHeight, info.padInfo.top, info.filterHeight, info.outHeight, strides[0], dilations[0]);
  const cols = filterGradientPadding(info.inWidth, info.padInfo.left, info.filterWidth, info.outWidth, strides[1], dilations[1]);
  // Input channels become the batch, the batch becomes the channels.
  const xt = tf.transpose(x, [3, 1, 2, 0]);
  const { x: source, pad } = cropForPadding(tf, xt, rows, cols);
  const kernel = tf.transpose(dy, [1, 2, 0, 3]);
  const g = tf.conv2d(source, kernel, dilations, pad, 'NHWC', strides);
  return tf.transpose(g, [1, 2, 0, 3]);
}

/** Kernel gradient of a DepthwiseConv2D, [kh, kw, C, M], from x [N, H, W, C] and dy [N, oh, ow, C·M]. */
function depthwiseFilterGradient(tf: Tf, x: Tensor4D, dy: Tensor4D, { info, strides, dilations }: ConvGeometry): Tensor4D {
  const [n, h, w, c] = x.shape;
  const m = info.outChannels / info.inChannels;
  const rows = filterGradientPadding(info.inHeight, info.padInfo.top, info.filterHeight, info.outHeight, strides[0], dilations[0]);
  const cols = filterGradientPadding(info.inWidth, info.padInfo.left, info.filterWidth, info.outWidth, strides[1], dilations[1]);
  // One image whose channel c·N + n is channel c of sample n: a depthwise
  // correlation then pairs each sample's channel with its own gradient only.
  const xt = tf.reshape(tf.transpose(x, [1, 2, 3, 0]), [1, h, w, c * n]) as Tensor4D;
  const { x: source, pad } = cropForPadding(tf, xt, rows, cols);
  const [, oh, ow] = dy.shape;
  const kernel = tf.reshape(tf.transpose(tf.reshape(dy, [n, oh, ow, c, m]), [1, 2, 3, 0, 4]), [oh, ow, c * n, m]);
  const g = tf.depthwiseConv2d(source, kernel as Tensor4D, dilations, pad, 'NHWC', strides);
  // g: [1, kh, kw, (c·N + n)·M + m] → sum over the samples.
  return tf.sum(tf.reshape(g, [info.filterHeight, info.filterWidth, c, n, m]), 3) as Tensor4D;
}

/** Padding of the spread dy that makes the flipped-kernel correlation return the input's height and width. */
function inputGradientPadding(info: Conv2DInfo, spread: Tensor4D): { rows: Pair; cols: Pair } {
  const rowsBefore = (info.filterHeight - 1) * info.dilationHeight - info.padInfo.top;
  const colsBefore = (info.filterWidth - 1) * info.dilationWidth - info.padInfo.left;
  return {
    rows: [rowsBefore, info.inHeight + (info.filterHeight - 1) * info.dilationHeight - rowsBefore - spread.shape[1]],
    cols: [colsBefore, info.inWidth + (info.filterWidth - 1) * info.dilationWidth - colsBefore - spread.shape[2]],
  };
}

/** Input gradient of a Conv2D, [N, H, W, inC], from dy and the kernel [kh, kw, inC, outC]. */
function convInputGradient(tf: Tf, dy: Tensor4D, filter: Tensor4D, { info, strides, dilations }: ConvGeometry): Tensor4D {
  const spread = spreadByStride(tf, dy, strides);
  const { rows, cols } = inputGradientPadding(info, spread);
  const { x: source, pad } = cropForPadding(tf, spread, rows, cols);
  const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]);
  return tf.conv2d(source, flipped, 1, pad, 'NHWC', dilations);
}

/** Input gradient of a DepthwiseConv2D, [N, H, W, C], from dy and the kernel [kh, kw, C, M]. */
function depthwiseInputGradient(tf: Tf, dy: Tensor4D, filter: Tensor4D, { info, strides, dilations }: ConvGeometry): Tensor4D {
  const [kh, kw, c, m] = filter.shape;
  const spread = spreadByStride(tf, dy, strides);
  const { rows, cols } = inputGradientPadding(info, spread);
  const { x: source, pad } = cropForPadding(tf, spread, rows, cols);
  const flipped = tf.reshape(tf.reverse(filter, [0, 1]), [kh, kw, c * m, 1]) as Tensor4D;
  const g = tf.depthwiseConv2d(source, flipped, 1, pad, 'NHWC', dilations);
  if (m === 1) return g;
  const [n, h, w] = g.shape;
  return tf.sum(tf.reshape(g, [n, h, w, c, m]), 4) as Tensor4D;
}

// ---------------------------------------------------------------------------
// Kernels

interface Conv2DBackpropFilterAttrs {
  strides: number | Pair;
  pad: PadAttr;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: RoundingMode;
  filterShape: [number, number, number, number];
}

interface Conv2DBackpropInputAttrs {
  strides: number | Pair;
  pad: PadAttr;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: RoundingMode;
  inputShape: [number, number, number, number];
}

interface DepthwiseBackpropFilterAttrs {
  strides: number | Pair;
  dilations: number | Pair;
  pad: PadAttr;
  dimRoundingMode?: RoundingMode;
  filterShape: [number, number, number, number];
}

interface DepthwiseBackpropInputAttrs {
  strides: number | Pair;
  dilations: number | Pair;
  pad: PadAttr;
  dimRoundingMode?: RoundingMode;
  inputShape: [number, number, number, number];
}

function toNHWC(tf: Tf, t: Tensor4D, dataFormat: string): Tensor4D {
  return dataFormat === 'NCHW' ? tf.transpose(t, [0, 2, 3, 1]) : t;
}

function conv2dBackpropFilter(tf: Tf): KernelFunc {
  return ({ inputs, attrs, backend }) => {
    const a = attrs as unknown as Conv2DBackpropFilterAttrs;
    const x0 = as4D(input(tf, inputs, 'x'));
    const dy0 = as4D(input(tf, inputs, 'dy'));
    if (a.dataFormat !== 'NCHW') {
      const info = convInfo(tf, x0.shape, a.filterShape, a.strides, 1, a.pad, a.dimRoundingMode, false);
      checkOutputShape(info, dy0);
      const direct = filterGradientOnHeap(backend, x0, dy0, info);
      if (direct) return direct;
    }
    return tf.tidy(() => {
      const x = toNHWC(tf, x0, a.dataFormat);
      const dy = toNHWC(tf, dy0, a.dataFormat);
      const info = convInfo(tf, x.shape, a.filterShape, a.strides, 1, a.pad, a.dimRoundingMode, false);
      checkOutputShape(info, dy);
      return convFilterGradient(tf, x, dy, geometry(info));
    });
  };
}

function conv2dBackpropInput(tf: Tf, original: KernelFunc): KernelFunc {
  return (args) => {
    const a = args.attrs as unknown as Conv2DBackpropInputAttrs;
    const [sh, sw] = pair(a.strides);
    // Measured (scripts/bench-kernels.ts): the correlation of the zero-spread dy wins
    // 6–10× at stride 1, 2–3× at stride 2, 1.9× at 3, and loses at 4.
    if (sh > 3 || sw > 3 || a.dataFormat === 'NCHW') return original(args);
    const dy = as4D(input(tf, args.inputs, 'dy'));
    const filter = as4D(input(tf, args.inputs, 'filter'));
    return tf.tidy(() => {
      const info = convInfo(tf, a.inputShape, filter.shape, a.strides, 1, a.pad, a.dimRoundingMode, false);
      checkOutputShape(info, dy);
      return convInputGradient(tf, dy, filter, geometry(info));
    });
  };
}

function depthwiseBackpropFilter(tf: Tf): KernelFunc {
  return ({ inputs, attrs }) => {
    const a = attrs as unknown as DepthwiseBackpropFilterAttrs;
    const x = as4D(input(tf, inputs, 'x'));
    const dy = as4D(input(tf, inputs, 'dy'));
    return tf.tidy(() => {
      const info = convInfo(tf, x.shape, a.filterShape, a.strides, a.dilations, a.pad, a.dimRoundingMode, true);
      checkOutputShape(info, dy);
      return depthwiseFilterGradient(tf, x, dy, geometry(info));
    });
  };
}

function depthwiseBackpropInput(tf: Tf): KernelFunc {
  return ({ inputs, attrs }) => {
    const a = attrs as unknown as DepthwiseBackpropInputAttrs;
    const dy = as4D(input(tf, inputs, 'dy'));
    const filter = as4D(input(tf, inputs, 'filter'));
    return tf.tidy(() => {
      const info = convInfo(tf, a.inputShape, filter.shape, a.strides, a.dilations, a.pad, a.dimRoundingMode, true);
      checkOutputShape(info, dy);
      return depthwiseInputGradient(tf, dy, filter, geometry(info));
    });
  };
}

/**
 * `Tile` as x plus zeros: x gets a length-1 axis before each tiled axis, the zeros
 * the repetitions there, and the backend's broadcasting does the copying.
 */
function tile(tf: Tf, original: KernelFunc): KernelFunc {
  return (args) => {
    const x = input(tf, args.inputs, 'x');
    const { reps } = args.attrs as unknown as { reps: number[] };
    if ((x.dtype !== 'float32' && x.dtype !== 'int32') || reps.length !== x.rank) return original(args);
    const xShape: number[] = [];
    const zerosShape: number[] = [];
    let merged = 1; // run of untiled axes, kept as one axis
    x.shape.forEach((size, axis) => {
      const r = reps[axis] ?? 1;
      if (r === 1) {
        merged *= size;
        return;
      }
      if (merged > 1) {
        xShape.push(merged);
        zerosShape.push(1);
        merged = 1;
      }
      if (size > 1) {
        xShape.push(1, size);
        zerosShape.push(r, 1);
      } else {
        xShape.push(1);
        zerosShape.push(r);
      }
    });
    if (merged > 1 || xShape.length === 0) {
      xShape.push(merged);
      zerosShape.push(1);
    }
    // XNNPACK's broadcasting binary ops stop at 6 dimensions.
    if (xShape.length > 6) return original(args);
    const outShape = x.shape.map((size, axis) => size * (reps[axis] ?? 1));
    return tf.tidy(() => tf.reshape(tf.add(tf.reshape(x, xShape), tf.zeros(zerosShape, x.dtype)), outShape));
  };
}

function batchMatMul(tf: Tf, original: KernelFunc): KernelFunc {
  return (args) => {
    const a = input(tf, args.inputs, 'a');
    const b = input(tf, args.inputs, 'b');
    const { transposeA, transposeB } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
    if (a.dtype === 'int32' || b.dtype === 'int32') {
      // Exact while every sum stays below 2^24 in magnitude (counts, one-hot products).
      return tf.tidy(() => tf.cast(tf.matMul(tf.cast(a, 'float32'), tf.cast(b, 'float32'), transposeA, transposeB), 'int32'));
    }
    if (!transposeA && !transposeB) return original(args);
    // The shipped kernel runs 4–15× slower with either operand transposed than on a
    // transposed copy (the Dense gradients are xᵀ·dy and dy·Wᵀ).
    return tf.tidy(() => tf.matMul(transposeA ? swapLastAxes(tf, a) : a, transposeB ? swapLastAxes(tf, b) : b, false, false));
  };
}

function swapLastAxes(tf: Tf, t: Tensor): Tensor {
  const perm = t.shape.map((_, i) => i);
  const last = perm.length - 1;
  perm[last] = last - 1;
  perm[last - 1] = last;
  return tf.transpose(t, perm);
}

/** Sum of the rows of x into `numSegments` rows by segment id, as a scatter (which adds duplicates). */
function unsortedSegmentSum(tf: Tf): KernelFunc {
  return ({ inputs, attrs }) => {
    const x = input(tf, inputs, 'x');
    const ids = input(tf, inputs, 'segmentIds');
    const { numSegments } = attrs as unknown as { numSegments: number };
    return tf.tidy(() => {
      const count = ids.size;
      const rest = x.shape.slice(ids.rank);
      const flatIds = tf.cast(tf.reshape(ids, [count]), 'int32');
      const rows = tf.reshape(x, [count, ...rest]);
      // Ids outside [0, numSegments) are dropped, as TensorFlow does.
      const valid = tf.logicalAnd(tf.greaterEqual(flatIds, 0), tf.less(flatIds, numSegments));
      const safeIds = tf.where(valid, flatIds, tf.zerosLike(flatIds));
      const safeRows = tf.where(tf.reshape(valid, [count, ...rest.map(() => 1)]), rows, tf.zerosLike(rows));
      return tf.scatterND(tf.reshape(safeIds, [count, 1]), safeRows, [numSegments, ...rest]);
    });
  };
}

/** The input gradient of a Conv2D as the replacement kernel computes it, at any stride; for scripts/bench-kernels.ts. */
export function conv2dInputGradientByCorrelation(tf: Tf, dy: Tensor4D, filter: Tensor4D, inputShape: [number, number, number, number], strides: number | Pair, pad: 'valid' | 'same'): Tensor4D {
  return tf.tidy(() => convInputGradient(tf, dy, filter, geometry(convInfo(tf, inputShape, filter.shape, strides, 1, pad, undefined, false))));
}
