/**
 * Layerlab's SIMD kernels (backend/kernels/simd.c): the filter gradient against a plain
 * JavaScript loop of the definition, on shared memory split over threads and on unshared
 * memory on one; and the committed module against what its source compiles to.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createSimdKernels, type FilterGradCall, type WasmMemory } from '../../language-server/src/training/backend/simd-kernels.js';
import { seededRandom } from '../../language-server/src/common/random.js';
import { maxPoolGradInto } from '../../language-server/src/training/backend/wasm-heap-kernels.js';

const root = join(fileURLToPath(import.meta.url), '../../../..');
const Memory = (globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory } }).WebAssembly.Memory;

interface Case {
  readonly n: number;
  readonly h: number;
  readonly w: number;
  readonly cin: number;
  readonly cout: number;
  readonly k: [number, number];
  readonly stride: [number, number];
  readonly dilation: [number, number];
  readonly pad: [number, number];
}

function geometry(c: Case): FilterGradCall & { size: number } {
  const out = (inSize: number, k: number, s: number, d: number, p: number) => Math.floor((inSize + 2 * p - ((k - 1) * d + 1)) / s) + 1;
  const outHeight = out(c.h, c.k[0], c.stride[0], c.dilation[0], c.pad[0]);
  const outWidth = out(c.w, c.k[1], c.stride[1], c.dilation[1], c.pad[1]);
  return {
    x: 0,
    dy: 0,
    batch: c.n,
    inHeight: c.h,
    inWidth: c.w,
    inChannels: c.cin,
    outHeight,
    outWidth,
    outChannels: c.cout,
    filterHeight: c.k[0],
    filterWidth: c.k[1],
    strideHeight: c.stride[0],
    strideWidth: c.stride[1],
    dilationHeight: c.dilation[0],
    dilationWidth: c.dilation[1],
    padTop: c.pad[0],
    padLeft: c.pad[1],
    size: c.k[0] * c.k[1] * c.cin * c.cout,
  };
}

function reference(x: Float32Array, dy: Float32Array, g: ReturnType<typeof geometry>): Float64Array {
  const dw = new Float64Array(g.size);
  for (let n = 0; n < g.batch; n++)
    for (let i = 0; i < g.outHeight; i++)
      for (let j = 0; j < g.outWidth; j++)
        for (let a = 0; a < g.filterHeight; a++)
          for (let b = 0; b < g.filterWidth; b++) {
            const y = i * g.strideHeight + a * g.dilationHeight - g.padTop;
            const xx = j * g.strideWidth + b * g.dilationWidth - g.padLeft;
            if (y < 0 || y >= g.inHeight || xx < 0 || xx >= g.inWidth) continue;
            for (let ci = 0; ci < g.inChannels; ci++)
              for (let co = 0; co < g.outChannels; co++)
                dw[((a * g.filterWidth + b) * g.inChannels + ci) * g.outChannels + co]! += (x[((n * g.inHeight + y) * g.inWidth + xx) * g.inChannels + ci] ?? 0) * (dy[((n * g.outHeight + i) * g.outWidth + j) * g.outChannels + co] ?? 0);
          }
  return dw;
}

function check(c: Case, shared: boolean, threads: number): void {
  const memory = new Memory({ initial: 64, maximum: 65536, ...(shared ? { shared: true } : {}) });
  const g = geometry(c);
  const next = seededRandom(c.n * 1000 + c.cin * 10 + c.cout);
  const xSize = c.n * c.h * c.w * c.cin;
  const dySize = c.n * g.outHeight * g.outWidth * c.cout;
  const heap = new Float32Array(memory.buffer);
  // x at 1 KiB, dy after it, then one output buffer per thread (byte offsets, 16-aligned).
  const xAt = 1024;
  const dyAt = xAt + Math.ceil((xSize * 4) / 16) * 16;
  const outAt = Array.from({ length: threads }, (_, t) => dyAt + Math.ceil((dySize * 4) / 16) * 16 + t * Math.ceil((g.size * 4) / 16) * 16);
  const x = heap.subarray(xAt / 4, xAt / 4 + xSize);
  const dy = heap.subarray(dyAt / 4, dyAt / 4 + dySize);
  x.forEach((_, i) => (x[i] = next() * 2 - 1));
  dy.forEach((_, i) => (dy[i] = next() * 2 - 1));
  // Garbage where the outputs go: the kernel must overwrite, not add to, them.
  heap.fill(7, (outAt[0] ?? 0) / 4, (outAt[0] ?? 0) / 4 + threads * g.size);
  const kernel = createSimdKernels(memory, threads);
  try {
    assert.equal(kernel.threads, shared ? threads : 1);
    kernel.conv2dFilterGrad({ ...g, x: xAt, dy: dyAt }, outAt);
    const got = heap.subarray((outAt[0] ?? 0) / 4, (outAt[0] ?? 0) / 4 + g.size);
    const want = reference(x, dy, g);
    let worst = 0;
    want.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - (got[i] ?? NaN)) / Math.max(1, Math.abs(v)))));
    assert.ok(worst < 1e-5, `${JSON.stringify(c)}: worst relative difference ${worst}`);
  } finally {
    kernel.close();
  }
}

const cases: Case[] = [
  { n: 5, h: 9, w: 9, cin: 4, cout: 8, k: [3, 3], stride: [1, 1], dilation: [1, 1], pad: [1, 1] },
  { n: 3, h: 10, w: 7, cin: 6, cout: 16, k: [3, 2], stride: [2, 1], dilation: [1, 1], pad: [1, 0] },
  { n: 4, h: 11, w: 11, cin: 1, cout: 8, k: [5, 5], stride: [2, 2], dilation: [1, 1], pad: [2, 2] },
  { n: 2, h: 12, w: 12, cin: 8, cout: 24, k: [3, 3], stride: [1, 1], dilation: [2, 2], pad: [2, 2] },
  { n: 1, h: 5, w: 6, cin: 3, cout: 8, k: [1, 1], stride: [1, 1], dilation: [1, 1], pad: [0, 0] },
];

describe('the SIMD kernels', () => {
  it('conv2d_filter_grad matches the definition on one thread (unshared memory, as the single-threaded backend has it)', () => {
    for (const c of cases) check(c, false, 1);
  });

  it('conv2d_filter_grad matches the definition split over 3 threads on shared memory (the threaded backend), more threads than samples included', () => {
    for (const c of cases) check(c, true, 3);
  });

  it('max_pool_grad matches the JavaScript kernel on 3 threads and on one, ties to the first maximum', () => {
    for (const shared of [true, false]) {
      const memory = new Memory({ initial: 64, maximum: 65536, ...(shared ? { shared: true } : {}) });
      const heap = new Float32Array(memory.buffer);
      const next = seededRandom(31);
      for (const c of [
        { n: 5, h: 8, w: 9, ch: 8, k: 2, s: 2, pad: 0 },
        { n: 3, h: 7, w: 7, ch: 4, k: 3, s: 2, pad: 1 },
        { n: 2, h: 6, w: 5, ch: 12, k: 3, s: 1, pad: 0 },
      ]) {
        const oh = Math.floor((c.h + 2 * c.pad - c.k) / c.s) + 1;
        const ow = Math.floor((c.w + 2 * c.pad - c.k) / c.s) + 1;
        const xSize = c.n * c.h * c.w * c.ch;
        const dySize = c.n * oh * ow * c.ch;
        const [xAt, dyAt, dxAt] = [1024, 1024 + xSize * 4, 1024 + (xSize + dySize) * 4];
        const x = heap.subarray(xAt / 4, xAt / 4 + xSize);
        // Values on a coarse grid: many windows hold ties.
        x.forEach((_, i) => (x[i] = Math.floor(next() * 4)));
        const dy = heap.subarray(dyAt / 4, dyAt / 4 + dySize);
        dy.forEach((_, i) => (dy[i] = next() * 2 - 1));
        const dx = heap.subarray(dxAt / 4, dxAt / 4 + xSize);
        dx.fill(9);
        const kernels = createSimdKernels(memory, 3);
        try {
          kernels.maxPoolGrad({ x: xAt, dy: dyAt, dx: dxAt, batch: c.n, inHeight: c.h, inWidth: c.w, channels: c.ch, outHeight: oh, outWidth: ow, filterHeight: c.k, filterWidth: c.k, strideHeight: c.s, strideWidth: c.s, padTop: c.pad, padLeft: c.pad });
        } finally {
          kernels.close();
        }
        const expected = new Float32Array(xSize);
        maxPoolGradInto(x, dy, expected, { batchSize: c.n, inHeight: c.h, inWidth: c.w, inChannels: c.ch, outHeight: oh, outWidth: ow, strideHeight: c.s, strideWidth: c.s, effectiveFilterHeight: c.k, effectiveFilterWidth: c.k, padInfo: { top: c.pad, left: c.pad } } as unknown as Parameters<typeof maxPoolGradInto>[3]);
        expected.forEach((v, i) => assert.ok(Math.abs(v - (dx[i] ?? NaN)) < 1e-6, `${JSON.stringify(c)} shared ${shared}: dx[${i}] ${dx[i]} ≠ ${v}`));
      }
    }
  });

  it('the committed module is what kernels/simd.c compiles to', (t) => {
    try {
      execFileSync('clang', ['--version'], { stdio: 'ignore' });
    } catch {
      t.skip('no clang here (Debian: apt-get install clang lld)');
      return;
    }
    execFileSync(process.execPath, [join(root, 'scripts/build-kernels.mjs'), '--check'], { cwd: root, stdio: 'pipe' });
  });
});
