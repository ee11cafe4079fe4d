/**
 * The wasm backend's threads under Node: how many the trainer asks for, the
 * build-time transform of tfjs-backend-wasm's Node bundle, and the built trainer
 * (dist/trainer.cjs, as users run it) training the same numbers on one thread
 * and on every core.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Script } from 'node:vm';
import { planWasmThreads, WASM_THREAD_FILES } from '../../language-server/src/training/backend/resolve.js';
import type { RunRecord } from '../../language-server/src/training/results.js';

const require = createRequire(import.meta.url);
const root = join(fileURLToPath(import.meta.url), '../../../..');
const packageDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
const nodeBundle = readFileSync(join(packageDir, 'dist/tf-backend-wasm.node.js'), 'utf8');
// The transform is build tooling (plain JavaScript, run by scripts/build.mjs), so it is not compiled to out/.
const transform = (await import(pathToFileURL(join(root, 'scripts/wasm-node-threads.mjs')).href)) as typeof import('../../scripts/wasm-node-threads.mjs');
const { MAIN_SCRIPT, NODE_THREADS_MARKER, WORKER_SCRIPT, nodeThreadFiles, patchWasmBackendForNode } = transform;

describe('planWasmThreads', () => {
  const ready = { logicalCores: 8, patched: true, filesPresent: true, simd: true };

  it('every logical core by default, with no note', () => {
    assert.deepEqual(planWasmThreads(ready), { threads: 8 });
    assert.deepEqual(planWasmThreads({ ...ready, requested: 0 }), { threads: 8 });
  });

  it('fewer when the setting says so, and says so', () => {
    const plan = planWasmThreads({ ...ready, requested: 3 });
    assert.equal(plan.threads, 3);
    assert.match(plan.note ?? '', /3 of 8 logical cores, as set/);
    const one = planWasmThreads({ ...ready, requested: 1 });
    assert.equal(one.threads, 1);
    assert.match(one.note ?? '', /1 thread, as set/);
  });

  it('one thread, with the reason, where threads cannot start', () => {
    assert.match(planWasmThreads({ ...ready, patched: false }).note ?? '', /keeps its threads off under Node\.js/);
    assert.equal(planWasmThreads({ ...ready, patched: false }).threads, 1);
    assert.match(planWasmThreads({ ...ready, filesPresent: false }).note ?? '', /worker\.cjs.*missing.*npm run build/);
    assert.match(planWasmThreads({ ...ready, simd: false }).note ?? '', /no WebAssembly SIMD/);
  });

  it('a small model runs on one thread unless the setting asks for more', () => {
    const small = planWasmThreads({ ...ready, macsPerSample: 101_632 });
    assert.equal(small.threads, 1);
    assert.match(small.note ?? '', /the model is small \(101,632 multiply-adds per sample\).*--threads/);
    assert.equal(planWasmThreads({ ...ready, macsPerSample: 101_632, requested: 4 }).threads, 4);
    assert.equal(planWasmThreads({ ...ready, macsPerSample: 2_500_000 }).threads, 8);
  });

  it('a one-core machine runs one thread without a note', () => {
    assert.deepEqual(planWasmThreads({ ...ready, logicalCores: 1 }), { threads: 1 });
  });
});

describe('the build-time transform of tfjs-backend-wasm', () => {
  it('applies to the installed package: workers load files under Node, the pool has the asked size, a marker is exported', () => {
    const patched = patchWasmBackendForNode(nodeBundle);
    assert.ok(patched.includes(`exports.${NODE_THREADS_MARKER} = true;`));
    assert.ok(patched.includes(`'${WORKER_SCRIPT}'`));
    assert.ok(patched.includes(`'${MAIN_SCRIPT}'`));
    assert.ok(patched.includes('return 2 * require$$4.cpus().length;'));
    // Browsers keep the package's own Blob path.
    assert.ok(patched.includes('new Blob(["var WasmBackendModuleThreadedSimd = "'));
    assert.doesNotThrow(() => new Script(patched, { filename: 'tf-backend-wasm.node.js' }));
  });

  it('fails the build, naming the edit, when the package no longer matches', () => {
    assert.throws(() => patchWasmBackendForNode(nodeBundle.replace('var pthreadPoolSize = 8;', 'var pthreadPoolSize = 4;')), /'pool of the requested size' does not match .* exactly once; was @tensorflow\/tfjs-backend-wasm upgraded\?/);
    assert.throws(() => patchWasmBackendForNode(nodeBundle + '\nexports.setThreadsCount = setThreadsCount;'), /'marker export' does not match/);
  });

  it('the two scripts the workers load are valid JavaScript, the main one defining the module factory', () => {
    const files = nodeThreadFiles(packageDir, require);
    const worker = files[WORKER_SCRIPT] ?? '';
    const main = files[MAIN_SCRIPT] ?? '';
    assert.doesNotThrow(() => new Script(worker, { filename: WORKER_SCRIPT }));
    assert.match(worker, /worker_threads/);
    assert.doesNotThrow(() => new Script(main, { filename: MAIN_SCRIPT }));
    assert.match(main, /^\s*var WasmBackendModuleThreadedSimd = /);
    // The trainer looks for the same files the build writes.
    assert.ok(WASM_THREAD_FILES.includes(WORKER_SCRIPT) && WASM_THREAD_FILES.includes(MAIN_SCRIPT), WASM_THREAD_FILES.join(', '));
  });
});

function run(args: readonly string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(root, 'dist/layerlab.mjs'), ...args], { cwd, timeout: 240_000, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const smallCnn = `model net {
  input mnist
  Conv2D(16, 3, activation=relu)
  MaxPooling2D(2)
  Conv2D(32, 3, padding=same, activation=relu)
  BatchNormalization()
  MaxPooling2D(2)
  Dropout(0.25)
  Flatten()
  Dense(10, activation=softmax)
}

train net {
  dataset    = mnist
  epochs     = 1
  batch_size = 64
  seed       = 7
}
`;

describe('the built trainer on every core', () => {
  it('trains a small CNN on real MNIST to the same losses on one thread and on all, says how many threads run, and exits', { skip: availableParallelism() < 2 ? 'one logical core' : false }, async () => {
    assert.ok(existsSync(join(root, 'dist/trainer.cjs')), 'dist/trainer.cjs is missing: npm run build');
    const dir = mkdtempSync(join(tmpdir(), 'layerlab-threads-'));
    writeFileSync(join(dir, 'net.model'), smallCnn);
    const cores = availableParallelism();
    const [single, all] = [await run(['train', 'net.model', '--limit', '640', '--threads', '1', '--json'], dir), await run(['train', 'net.model', '--limit', '640', '--json'], dir)];
    for (const result of [single, all]) assert.equal(result.code, 0, result.stderr);
    const [one, many] = [single, all].map((r) => (JSON.parse(r.stdout) as RunRecord[])[0]);
    assert.ok(one && many);
    assert.equal(one.backend.device, 'CPU (wasm SIMD, 1 thread)');
    assert.equal(many.backend.device, `CPU (wasm SIMD, ${Math.min(cores, 8)} threads)`);
    assert.ok(one.batches.length >= 5, `${one.batches.length} batches recorded`);
    assert.equal(many.batches.length, one.batches.length);
    one.batches.forEach((batch, i) => {
      const other = many.batches[i]?.loss ?? Number.NaN;
      assert.ok(Math.abs(batch.loss - other) <= 1e-5, `batch ${i + 1}: loss ${batch.loss} on 1 thread, ${other} on ${cores}`);
    });
    assert.ok(Math.abs((one.test?.loss ?? 0) - (many.test?.loss ?? 1)) <= 1e-5, 'test loss');
  });
});
