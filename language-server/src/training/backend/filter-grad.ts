/**
 * The kernel gradient of a 2-D convolution by Layerlab's own WebAssembly SIMD kernel
 * (kernels/filter-grad.c), on the wasm backend's own heap, split over the batch
 * between the calling thread and worker threads that share that heap.
 *
 * Each thread sums its samples into its own [kh, kw, cin, cout] buffer; the caller
 * adds them up. The workers wait on an Atomics slot each, so a call costs no message
 * passing: the caller writes the arguments, wakes the workers, does its own share and
 * waits for theirs.
 */
import { Worker } from 'node:worker_threads';
import { FILTER_GRAD_WASM } from './kernels/filter-grad-wasm.js';

/** Where the tensors are in the heap (byte offsets) and the convolution's geometry. */
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

export interface FilterGradKernel {
  /** Threads a call runs on (the caller included). */
  readonly threads: number;
  /** Whether the kernel covers these channel counts (output channels 8 at a time). */
  covers(inChannels: number, outChannels: number): boolean;
  /**
   * Computes dw into `outputs[0]`: byte offsets in the heap of one [kh, kw, cin, cout] float32
   * buffer per thread, the caller's first, the others scratch (their contents are overwritten).
   */
  run(call: FilterGradCall, outputs: readonly number[]): void;
  /** Stops the workers. */
  close(): void;
}

type KernelFunction = (...args: number[]) => void;

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

const SLOT = 32;
const IDLE = 0;
const RUN = 1;
const DONE = 2;
const STOP = 3;

// Plain JavaScript, run by each worker (eval: no file to ship): instantiate the kernel on the
// shared heap, then run a call whenever the slot says RUN.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, slot } = workerData;
const run = new WebAssembly.Instance(module, { env: { memory } }).exports.conv2d_filter_grad;
const c = new Int32Array(control);
const base = slot * ${SLOT};
for (;;) {
  let state;
  while ((state = Atomics.load(c, base)) !== ${RUN} && state !== ${STOP}) Atomics.wait(c, base, state);
  if (state === ${STOP}) break;
  const a = c.subarray(base + 1, base + 20);
  run(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13], a[14], a[15], a[16], a[17], a[18]);
  Atomics.store(c, base, ${DONE});
  Atomics.notify(c, base);
}
`;

function argsFor(call: FilterGradCall, output: number, from: number, to: number): number[] {
  return [
    call.x,
    call.dy,
    output,
    from,
    to,
    call.inHeight,
    call.inWidth,
    call.inChannels,
    call.outHeight,
    call.outWidth,
    call.outChannels,
    call.filterHeight,
    call.filterWidth,
    call.strideHeight,
    call.strideWidth,
    call.dilationHeight,
    call.dilationWidth,
    call.padTop,
    call.padLeft,
  ];
}

/**
 * The kernel on `memory` (the backend's heap): with `threads − 1` workers when the memory
 * is shared (the threaded build), on the calling thread alone otherwise.
 */
export function createFilterGradKernel(memory: WasmMemory, threads: number): FilterGradKernel {
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  const module = new wasmApi.Module(Buffer.from(shared ? FILTER_GRAD_WASM.shared : FILTER_GRAD_WASM.unshared, 'base64'));
  const own = new wasmApi.Instance(module, { env: { memory } }).exports['conv2d_filter_grad'] as KernelFunction;
  const workerCount = shared ? Math.max(0, threads - 1) : 0;
  const control = new SharedArrayBuffer(Math.max(1, workerCount) * SLOT * 4);
  const slots = new Int32Array(control);
  const workers = Array.from({ length: workerCount }, (_, slot) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory, control, slot } });
    // A worker waiting for work must not keep the trainer alive.
    worker.unref();
    return worker;
  });

  return {
    threads: workerCount + 1,
    covers: (_inChannels, outChannels) => outChannels % 8 === 0,
    run(call, outputs) {
      const parts = Math.max(1, Math.min(workerCount + 1, call.batch, outputs.length));
      const size = call.filterHeight * call.filterWidth * call.inChannels * call.outChannels;
      const view = (part: number): Float32Array => new Float32Array(memory.buffer, outputs[part] ?? 0, size);
      for (let part = 0; part < parts; part++) view(part).fill(0);
      const share = (part: number): [number, number] => [Math.floor((part * call.batch) / parts), Math.floor(((part + 1) * call.batch) / parts)];
      for (let part = 1; part < parts; part++) {
        const base = (part - 1) * SLOT;
        const [from, to] = share(part);
        slots.set(argsFor(call, outputs[part] ?? 0, from, to), base + 1);
        Atomics.store(slots, base, RUN);
        Atomics.notify(slots, base);
      }
      const [from, to] = share(0);
      own(...argsFor(call, outputs[0] ?? 0, from, to));
      for (let part = 1; part < parts; part++) {
        const base = (part - 1) * SLOT;
        while (Atomics.load(slots, base) !== DONE) Atomics.wait(slots, base, RUN);
        Atomics.store(slots, base, IDLE);
      }
      if (parts > 1) {
        const total = view(0);
        for (let part = 1; part < parts; part++) {
          const partial = view(part);
          for (let i = 0; i < size; i++) total[i] = (total[i] as number) + (partial[i] as number);
        }
      }
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
