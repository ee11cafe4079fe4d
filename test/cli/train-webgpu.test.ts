/**
 * `layerlab train --backend webgpu` from the built CLI on real MNIST, against the
 * same run on wasm: 1 epoch on 640 images with the same seed must end within 2 %
 * of wasm's training loss. On this machine the adapter is Mesa's llvmpipe; without
 * an adapter the test is skipped, unless LAYERLAB_REQUIRE_WEBGPU=1 (CI).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadWebGpuAdapter } from '../../language-server/src/training/backend/webgpu.js';
import type { RunRecord } from '../../language-server/src/training/results.js';

const root = join(fileURLToPath(import.meta.url), '../../../..');
const cliPath = join(root, 'dist/layerlab.mjs');

const smallCnn = `model small_cnn {
  input mnist
  Conv2D(8, 3, activation=relu)
  MaxPooling2D(2)
  Conv2D(16, 3, activation=relu)
  MaxPooling2D(2)
  Flatten()
  Dense(10, activation=softmax)
}

train small_cnn {
  dataset    = mnist
  epochs     = 1
  batch_size = 64
  optimizer  = Adam(learning_rate=1e-3)
  seed       = 4
}
`;

function train(file: string, backend: string): Promise<{ records: RunRecord[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [cliPath, 'train', file, '--backend', backend, '--limit', '640', '--json'], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`layerlab train --backend ${backend} failed: ${error.message}\n${stderr}`));
      else resolve({ records: JSON.parse(stdout) as RunRecord[], stderr });
    });
  });
}

test('layerlab train --backend webgpu ends within 2% of the wasm run on 640 MNIST images', async (t) => {
  try {
    await loadWebGpuAdapter({ userFolders: [] });
  } catch (error) {
    const why = `no WebGPU adapter: ${error instanceof Error ? error.message : String(error)}`;
    if (process.env.LAYERLAB_REQUIRE_WEBGPU === '1') assert.fail(`LAYERLAB_REQUIRE_WEBGPU=1 but ${why}`);
    t.skip(why);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'layerlab-webgpu-'));
  try {
    const file = join(dir, 'small.model');
    writeFileSync(file, smallCnn);
    const wasm = (await train(file, 'wasm')).records[0];
    const gpu = (await train(file, 'webgpu')).records[0];
    assert.ok(wasm && gpu);
    assert.equal(wasm.backend.name, 'wasm');
    assert.equal(gpu.backend.name, 'webgpu');
    assert.match(gpu.backend.device, /via WebGPU on (Vulkan|Metal|Direct3D 12)/);
    assert.equal(gpu.status, 'completed');
    assert.equal(gpu.dataset.train, wasm.dataset.train);
    const [a, b] = [wasm.history.at(-1)?.loss, gpu.history.at(-1)?.loss];
    assert.ok(a !== undefined && b !== undefined && Number.isFinite(a) && Number.isFinite(b), `losses ${a} and ${b}`);
    const relative = Math.abs(b - a) / a;
    t.diagnostic(`training loss: wasm ${a.toFixed(6)}, webgpu ${b.toFixed(6)} (relative ${relative.toExponential(2)}); test accuracy ${wasm.test?.accuracy} vs ${gpu.test?.accuracy}; ${gpu.backend.device}`);
    assert.ok(relative <= 0.02, `training loss ${b} on webgpu vs ${a} on wasm: ${(relative * 100).toFixed(2)}% apart`);
    // The test set's confusion matrix was read back asynchronously from the GPU, whole.
    assert.equal(gpu.test?.confusion.flat().reduce((x, y) => x + y, 0), wasm.test?.confusion.flat().reduce((x, y) => x + y, 0));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
