// Per-kernel wall time of TensorFlow.js work on one backend, for bench:train's
// profile of a training step: every registered kernel of the backend is wrapped
// with a timer while `profile` runs. Kernels run synchronously on the wasm and
// cpu backends, so the time around a kernel function is the kernel's time.
// Only outermost kernels are counted: a kernel composed of others (Layerlab's
// Conv2DBackpropFilter) is timed whole.
import type * as TfModule from '@tensorflow/tfjs';

type Tf = typeof TfModule;
type TensorInfo = TfModule.TensorInfo;

export interface KernelTiming {
  readonly name: string;
  readonly calls: number;
  readonly ms: number;
  /** Floating-point operations done, for the kernels whose count is known (convolutions, matrix products). */
  readonly flops?: number;
}

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function info(inputs: Record<string, unknown>, name: string): TensorInfo | undefined {
  const value = inputs[name];
  return typeof value === 'object' && value !== null && 'shape' in value ? (value as TensorInfo) : undefined;
}

function firstOutput(result: unknown): TensorInfo | undefined {
  const out = Array.isArray(result) ? result[0] : result;
  return typeof out === 'object' && out !== null && 'shape' in out ? (out as TensorInfo) : undefined;
}

/** Multiply-adds × 2 of the kernels whose cost is a known formula; undefined for the rest. */
function flopsOf(name: string, inputs: Record<string, unknown>, attrs: Record<string, unknown>, result: unknown): number | undefined {
  const out = firstOutput(result);
  switch (name) {
    case 'Conv2D':
    case 'FusedConv2D': {
      const filter = info(inputs, 'filter');
      if (!filter || !out) return undefined;
      const [kh = 1, kw = 1, c = 1] = filter.shape;
      return 2 * size(out.shape) * kh * kw * c;
    }
    case 'Conv2DBackpropFilter': {
      const dy = info(inputs, 'dy');
      const filterShape = attrs['filterShape'] as number[] | undefined;
      if (!dy || !filterShape) return undefined;
      const [kh = 1, kw = 1, c = 1] = filterShape;
      return 2 * size(dy.shape) * kh * kw * c;
    }
    case 'Conv2DBackpropInput': {
      const dy = info(inputs, 'dy');
      const filter = info(inputs, 'filter');
      if (!dy || !filter) return undefined;
      const [kh = 1, kw = 1, c = 1] = filter.shape;
      return 2 * size(dy.shape) * kh * kw * c;
    }
    case 'BatchMatMul':
    case '_FusedMatMul': {
      const a = info(inputs, 'a');
      if (!a || !out) return undefined;
      const transposeA = attrs['transposeA'] === true;
      const k = transposeA ? a.shape[a.shape.length - 2] : a.shape[a.shape.length - 1];
      return 2 * size(out.shape) * (k ?? 1);
    }
    default:
      return undefined;
  }
}

/** Runs `work` with every kernel of `backendName` timed; returns the kernels by total time, largest first. */
export async function profileKernels(tf: Tf, backendName: string, work: () => Promise<void>): Promise<KernelTiming[]> {
  const totals = new Map<string, { calls: number; ms: number; flops: number; flopsKnown: boolean }>();
  const originals = tf.getKernelsForBackend(backendName);
  let depth = 0;
  // LAYERLAB_PROFILE_TRACE=Sum,Mean prints each call of those kernels.
  const traced = new Set((process.env['LAYERLAB_PROFILE_TRACE'] ?? '').split(',').filter(Boolean));
  for (const kernel of originals) {
    const inner = kernel.kernelFunc;
    tf.unregisterKernel(kernel.kernelName, backendName);
    tf.registerKernel({
      ...kernel,
      kernelFunc: (args) => {
        if (depth > 0) return inner(args);
        depth++;
        const started = performance.now();
        try {
          const result = inner(args);
          const ms = performance.now() - started;
          const entry = totals.get(kernel.kernelName) ?? { calls: 0, ms: 0, flops: 0, flopsKnown: true };
          const flops = flopsOf(kernel.kernelName, args.inputs as Record<string, unknown>, (args.attrs ?? {}) as Record<string, unknown>, result);
          if (traced.has(kernel.kernelName)) console.log(`${kernel.kernelName} ${Object.entries(args.inputs).map(([k, v]) => `${k}[${(v as TensorInfo).shape.join(',')}]`).join(' ')} ${JSON.stringify(args.attrs)} ${ms.toFixed(2)} ms`);
          entry.calls++;
          entry.ms += ms;
          if (flops === undefined) entry.flopsKnown = false;
          else entry.flops += flops;
          totals.set(kernel.kernelName, entry);
          return result;
        } finally {
          depth--;
        }
      },
    });
  }
  try {
    await work();
  } finally {
    for (const kernel of originals) {
      tf.unregisterKernel(kernel.kernelName, backendName);
      tf.registerKernel(kernel);
    }
  }
  return [...totals.entries()]
    .map(([name, t]) => ({ name, calls: t.calls, ms: t.ms, ...(t.flopsKnown && t.flops > 0 ? { flops: t.flops } : {}) }))
    .sort((a, b) => b.ms - a.ms);
}
