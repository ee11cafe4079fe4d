/**
 * Layerlab's own WebAssembly SIMD training kernels (kernels/simd.c) on the wasm backend's
 * heap, split over the batch between the calling thread and worker threads that share
 * that heap (the threaded build's memory is a SharedArrayBuffer).
 *
 * The workers wait on an Atomics slot each, so a call costs no message passing: the
 * caller writes each part's arguments, wakes the workers, does its own part and waits
 * for theirs.
 */
import { Worker } from 'node:worker_threads';
import { SIMD_WASM } from './kernels/simd-wasm.js';

/** Byte offsets in the heap of the tensors, and the convolution's geometry. */
export interface FilterGradCall {
  readonly x: number;
  readonly dy: number;
  readonly batch: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly inChannels: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly outChannels: number;
  readonly filterHeight: number;
  readonly filterWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly dilationHeight: number;
  readonly dilationWidth: number;
  readonly padTop: number;
  readonly padLeft: number;
}

/** Byte offsets in the heap of the tensors, and the pooling's geometry (no dilation, as Keras pools). */
export interface MaxPoolGradCall {
  readonly x: number;
  readonly dy: number;
  readonly dx: number;
  readonly batch: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly channels: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly filterHeight: number;
  readonly filterWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly padTop: number;
  readonly padLeft: number;
}

export interface SimdKernels {
  /** Threads a call runs on (the caller included). */
  readonly threads: number;
  /** Whether conv2dFilterGrad covers these output channels (8 at a time). */
  coversFilterGrad(outChannels: number): boolean;
  /**
   * dw of a Conv2D into `outputs[0]`: byte offsets of one [kh, kw, cin, cout] float32 buffer
   * per thread, the caller's first, the others scratch (their contents are overwritten).
   */
  conv2dFilterGrad(call: FilterGradCall, outputs: readonly number[]): void;
  /** Whether maxPoolGrad covers this many channels (4 at a time). */
  coversMaxPoolGrad(channels: number): boolean;
  /** dx of a MaxPooling2D into `call.dx` (overwritten). */
  maxPoolGrad(call: MaxPoolGradCall): void;
  /** Stops the workers. */
  close(): void;
}

/** What is used of the WebAssembly API (the project's TypeScript libraries do not declare it). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
  Memory: abstract new (...args: never[]) => WasmMemory;
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

export function isWasmMemory(value: unknown): value is WasmMemory {
  return value instanceof wasmApi.Memory;
}

type KernelFunction = (...args: number[]) => void;

/** The module's functions, by the number a worker slot carries. */
const FUNCTIONS = ['conv2d_filter_grad', 'max_pool_grad'] as const;
type FunctionName = (typeof FUNCTIONS)[number];

const SLOT = 32;
const IDLE = 0;
const RUN = 1;
const DONE = 2;
const STOP = 3;

// Plain JavaScript, run by each worker (eval: no file to ship): instantiate the module on the
// shared heap, then run a call whenever the slot says RUN. Slot: state, function, arguments.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, slot, names } = workerData;
const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
const functions = names.map((name) => exports[name]);
const c = new Int32Array(control);
const base = slot * ${SLOT};
for (;;) {
  let state;
  while ((state = Atomics.load(c, base)) !== ${RUN} && state !== ${STOP}) Atomics.wait(c, base, state);
  if (state === ${STOP}) break;
  const count = c[base + 2];
  functions[c[base + 1]](...c.subarray(base + 3, base + 3 + count));
  Atomics.store(c, base, ${DONE});
  Atomics.notify(c, base);
}
`;

/**
 * The kernels on `memory` (the backend's heap): with `threads − 1` workers when the memory
 * is shared (the threaded build), on the calling thread alone otherwise.
 */
export function createSimdKernels(memory: WasmMemory, threads: number): SimdKernels {
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  const module = new wasmApi.Module(Buffer.from(shared ? SIMD_WASM.shared : SIMD_WASM.unshared, 'base64'));
  const own = new wasmApi.Instance(module, { env: { memory } }).exports;
  const ownFunction = (name: FunctionName): KernelFunction => own[name] as KernelFunction;
  const workerCount = shared ? Math.max(0, threads - 1) : 0;
  const control = new SharedArrayBuffer(Math.max(1, workerCount) * SLOT * 4);
  const slots = new Int32Array(control);
  const workers = Array.from({ length: workerCount }, (_, slot) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory, control, slot, names: [...FUNCTIONS] } });
    // A worker waiting for work must not keep the trainer alive.
    worker.unref();
    return worker;
  });

  /** Runs `name` once per part: part 0 here, the others on the workers; returns when all are done. */
  const runParts = (name: FunctionName, parts: readonly (readonly number[])[]): void => {
    for (let part = 1; part < parts.length; part++) {
      const base = (part - 1) * SLOT;
      const args = parts[part] ?? [];
      slots[base + 1] = FUNCTIONS.indexOf(name);
      slots[base + 2] = args.length;
      slots.set(args, base + 3);
      Atomics.store(slots, base, RUN);
      Atomics.notify(slots, base);
    }
    ownFunction(name)(...(parts[0] ?? []));
    for (let part = 1; part < parts.length; part++) {
      const base = (part - 1) * SLOT;
      while (Atomics.load(slots, base) !== DONE) Atomics.wait(slots, base, RUN);
      Atomics.store(slots, base, IDLE);
    }
  };

  /** Samples [from, to) of each of `count` parts of a batch. */
  const split = (batch: number, count: number): [number, number][] => Array.from({ length: count }, (_, part) => [Math.floor((part * batch) / count), Math.floor(((part + 1) * batch) / count)]);

  return {
    threads: workerCount + 1,
    coversFilterGrad: (outChannels) => outChannels % 8 === 0,
    conv2dFilterGrad(call, outputs) {
      const count = Math.max(1, Math.min(workerCount + 1, call.batch, outputs.length));
      const size = call.filterHeight * call.filterWidth * call.inChannels * call.outChannels;
      const view = (part: number): Float32Array => new Float32Array(memory.buffer, outputs[part] ?? 0, size);
      for (let part = 0; part < count; part++) view(part).fill(0);
      const geometry = [call.inHeight, call.inWidth, call.inChannels, call.outHeight, call.outWidth, call.outChannels, call.filterHeight, call.filterWidth, call.strideHeight, call.strideWidth, call.dilationHeight, call.dilationWidth, call.padTop, call.padLeft];
      runParts(
        'conv2d_filter_grad',
        split(call.batch, count).map(([from, to], part) => [call.x, call.dy, outputs[part] ?? 0, from, to, ...geometry]),
      );
      // Each part summed its samples into its own buffer.
      const total = view(0);
      for (let part = 1; part < count; part++) {
        const partial = view(part);
        for (let i = 0; i < size; i++) total[i] = (total[i] as number) + (partial[i] as number);
      }
    },
    coversMaxPoolGrad: (channels) => channels % 4 === 0,
    maxPoolGrad(call) {
      const count = Math.max(1, Math.min(workerCount + 1, call.batch));
      const geometry = [call.inHeight, call.inWidth, call.channels, call.outHeight, call.outWidth, call.filterHeight, call.filterWidth, call.strideHeight, call.strideWidth, call.padTop, call.padLeft];
      // Parts write the dx of their own samples only.
      runParts(
        'max_pool_grad',
        split(call.batch, count).map(([from, to]) => [call.x, call.dy, call.dx, from, to, ...geometry]),
      );
    },
    close() {
      for (let slot = 0; slot < workerCount; slot++) {
        Atomics.store(slots, slot * SLOT, STOP);
        Atomics.notify(slots, slot * SLOT);
      }
      for (const worker of workers) void worker.terminate();
    },
  };
}
