/**
 * Ctrl+C in a terminal signals the whole process group (the CLI and its trainer):
 * the run stops after the current batch, saved as cancelled with its weights.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { RunRecord } from '../../language-server/src/training/results.js';

const root = join(fileURLToPath(import.meta.url), '../../../..');

test('SIGINT to the process group cancels after the current batch: the run is saved as cancelled, weights and all', { skip: process.platform === 'win32' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'layerlab-sigint-'));
  const file = join(dir, 'net.model');
  writeFileSync(file, 'model net {\n  input mnist\n  Flatten()\n  Dense(32, activation=relu)\n  Dense(10, activation=softmax)\n}\ntrain net {\n  dataset = mnist\n  epochs = 200\n  batch_size = 32\n}\n');
  // Its own process group, as a shell gives a command it runs.
  const cli = spawn(process.execPath, [join(root, 'dist/layerlab.mjs'), 'train', file, '--limit', '3000', '--backend', 'wasm'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const firstEpoch = new Promise<void>((resolve) => {
    cli.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (/epoch 1:/.test(stderr)) resolve();
    });
  });
  const exited = new Promise<number | null>((resolve) => cli.on('exit', (code) => resolve(code)));
  await firstEpoch;
  process.kill(-(cli.pid ?? 0), 'SIGINT');
  const code = await exited;
  assert.equal(code, 0, stderr);
  assert.match(stderr, /training cancelled; finished epochs are saved/);
  const runs = readdirSync(join(dir, '.layerlab', 'runs'));
  assert.equal(runs.length, 1);
  const runDir = join(dir, '.layerlab', 'runs', runs[0] ?? '');
  const record = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as RunRecord;
  assert.equal(record.status, 'cancelled');
  assert.ok(record.history.length >= 1 && record.history.length < 200, `${record.history.length} epochs`);
  assert.ok(existsSync(join(runDir, 'weights.bin')), 'the weights are saved');
  assert.deepEqual(readdirSync(runDir).filter((f) => f.endsWith('.tmp')), [], 'no temporary files left');
});
