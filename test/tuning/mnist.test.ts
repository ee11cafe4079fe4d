import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type * as tfjs from '@tensorflow/tfjs';
import { loadDataset } from '../../language-server/src/training/data/load.js';
import { runTuning } from '../../language-server/src/tuning/runner.js';
import { trialDir } from '../../language-server/src/tuning/store.js';
import { tfTrialTrainer } from '../../language-server/src/tuning/tf-trainer.js';

const tf = createRequire(import.meta.url)('@tensorflow/tfjs') as typeof tfjs;
const backend = { name: 'cpu', device: 'CPU', notes: [], tf };
const trainer = () => tfTrialTrainer({ backend, loadDataset: (spec, baseDir, onProgress) => loadDataset(spec, { baseDir, onProgress }) });

const model = `model mlp(units = 32) {
  input mnist
  Flatten()
  Dense(units, activation=relu)
  Dense(10, activation=softmax)
}
`;

function project(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'layerlab-tune-mnist-'));
  const file = join(dir, 'search.model');
  writeFileSync(file, text);
  return file;
}

test('a random search on real MNIST finds a configuration better than its worst', async () => {
  const text = `${model}
tune mlp {
  dataset = mnist
  units in [1, 64]
  learning_rate in [0.01, 0.0003]
  search = RandomSearch(trials=4)
  epochs = 2
  batch_size = 64
  seed = 3
}
`;
  const file = project(text);
  const started = performance.now();
  const [summary] = await runTuning({ file, text, limit: 1500 }, { trainTrial: trainer(), onEvent: () => {} });
  const seconds = (performance.now() - started) / 1000;
  assert.ok(summary);
  assert.equal(summary.trials.length, 4);
  assert.ok(summary.trials.every((t) => t.status === 'completed' && t.history.length === 2));
  // Four trials over a space of four points: each point once.
  assert.equal(new Set(summary.trials.map((t) => JSON.stringify(t.point))).size, 4);
  const scores = summary.trials.map((t) => t.score ?? NaN);
  const best = summary.best;
  assert.ok(best);
  assert.equal(best.score, Math.min(...scores));
  assert.ok(best.score < Math.max(...scores) - 0.1, `scores ${scores.map((s) => s.toFixed(3)).join(', ')}`);
  // A bottleneck of one unit cannot separate ten digits as well as 64 units can.
  assert.deepEqual(best.point, { units: 64, learning_rate: 0.01 });
  assert.ok(best.score < 0.6, `best val_loss ${best.score}`);
  assert.ok(existsSync(join(trialDir(summary.dir, best.trialId), 'weights.bin')));
  console.log(`MNIST random search: ${summary.trials.map((t) => `${JSON.stringify(t.point)} → ${t.score?.toFixed(4)}`).join('; ')} in ${seconds.toFixed(1)} s`);
});

test('a tiny Hyperband on real MNIST continues promoted trials from their checkpoints', async () => {
  // Hyperband(max_epochs=3, factor=3): bracket 1 runs 3 trials for 1 epoch, promotes the best to epochs 2–3; bracket 0 runs 2 trials for 3 epochs.
  const text = `${model}
tune mlp {
  dataset = mnist
  units in 8..64 step 8
  search = Hyperband(max_epochs=3, factor=3)
  batch_size = 64
}
`;
  const file = project(text);
  const [summary] = await runTuning({ file, text, limit: 1000 }, { trainTrial: trainer(), onEvent: () => {} });
  assert.ok(summary);
  assert.deepEqual(summary.trials.map((t) => `${t.bracket}/${t.round}:${t.initialEpoch}->${t.epochs}`), ['1/0:0->1', '1/0:0->1', '1/0:0->1', '1/1:1->3', '0/0:0->3', '0/0:0->3']);
  const promoted = summary.trials[3];
  const parent = summary.trials.find((t) => t.id === promoted?.parentId);
  assert.ok(promoted && parent);
  assert.deepEqual(promoted.history.map((h) => h.epoch), [2, 3]);
  // Started from the parent's weights: its first epoch is already better than the parent's only one.
  assert.ok((promoted.history[0]?.val_loss ?? Infinity) < (parent.history[0]?.val_loss ?? 0), `${promoted.history[0]?.val_loss} vs ${parent.history[0]?.val_loss}`);
});

test('each trial stops early by the EarlyStopping of the block, and its record says so', async () => {
  // min_delta=10 is an improvement no loss makes: every trial stops after epoch 1 + patience.
  const text = `${model}
tune mlp {
  dataset = mnist
  units in [8, 16]
  search = RandomSearch(trials=2)
  epochs = 6
  batch_size = 64
  early_stopping = EarlyStopping(monitor=val_loss, patience=1, min_delta=10)
  seed = 5
}
`;
  const [summary] = await runTuning({ file: project(text), text, limit: 600 }, { trainTrial: trainer(), onEvent: () => {} });
  assert.ok(summary);
  assert.equal(summary.trials.length, 2);
  for (const trial of summary.trials) {
    assert.equal(trial.status, 'completed');
    assert.equal(trial.history.length, 2, `trial ${trial.id} ran ${trial.history.length} of 6 epochs`);
    assert.equal(trial.stopReason, 'early-stopped');
  }
});
