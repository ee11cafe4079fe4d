import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../language-server/src/cli/main.js';
import type { EpochLogs } from '../../language-server/src/training/loop.js';
import { runTuning, type TrialTrainer } from '../../language-server/src/tuning/runner.js';
import { makeRun } from '../view/fixtures.js';

function cli(...args: string[]): { code: number; err: string } {
  let err = '';
  const status = runCli(args, { out: () => {}, err: (t) => (err += t + '\n') });
  assert.ok(typeof status === 'number');
  return { code: status, err };
}

/** The data a report carries, read back from its JSON block. */
function reportData(file: string): { title: string; runs?: { id: string }[]; searches?: { model: string; trials: unknown[] }[] } {
  const html = readFileSync(file, 'utf8');
  const json = /<script type="application\/json" id="layerlab-data">(.*?)<\/script>/s.exec(html)?.[1];
  assert.ok(json, 'the report embeds its data');
  assert.doesNotMatch(html, /(src|href)="https?:/, 'nothing remote');
  return JSON.parse(json) as ReturnType<typeof reportData>;
}

function runFolder(parent: string, id: string, seed: number): string {
  const run = makeRun({ id, model: `model_${seed}`, epochs: 4, batches: 10, seed, skill: 0.8 });
  const dir = join(parent, id);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ ...run.record, gallery: 'gallery.json' }));
  writeFileSync(join(dir, 'gallery.json'), JSON.stringify(run.gallery));
  return dir;
}

test('layerlab report: saved runs become one comparison report', () => {
  const parent = mkdtempSync(join(tmpdir(), 'layerlab-report-'));
  const a = runFolder(parent, 'run-a', 1);
  const b = runFolder(parent, 'run-b', 2);
  const out = join(parent, 'out', 'report.html');
  const { code, err } = cli('report', a, b, '--out', out);
  assert.equal(code, 0, err);
  assert.match(err, /2 runs/);
  const data = reportData(out);
  assert.deepEqual(data.runs?.map((r) => r.id), [a, b]);
  assert.equal(data.title, '2 runs');
});

test('layerlab report: a search folder becomes the search view', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'layerlab-report-search-'));
  const file = join(dir, 'net.model');
  const text = 'model net(units = 8) {\n  input mnist\n  Flatten()\n  Dense(units)\n  Dense(10, activation=softmax)\n}\ntune net {\n  dataset = mnist\n  units in 8..24 step 8\n  search = GridSearch()\n  epochs = 1\n}\n';
  writeFileSync(file, text);
  const trainer: TrialTrainer = async (context) => {
    const logs: EpochLogs = { epoch: 1, loss: 1, accuracy: 0.5, val_loss: 1 / Number(context.plan.point['units']), val_accuracy: 0.5, learning_rate: 0.001, seconds: 0 };
    return { history: [logs], stopReason: 'completed' };
  };
  const [summary] = await runTuning({ file, text }, { trainTrial: trainer, onEvent: () => {} });
  assert.ok(summary);
  const out = join(dir, 'search.html');
  const { code, err } = cli('report', summary.dir, '--out', out);
  assert.equal(code, 0, err);
  const data = reportData(out);
  assert.equal(data.searches?.[0]?.model, 'net');
  assert.equal(data.searches?.[0]?.trials.length, 3);
});

test('layerlab report: usage errors and unreadable folders', () => {
  const parent = mkdtempSync(join(tmpdir(), 'layerlab-report-bad-'));
  assert.equal(cli('report').code, 2);
  assert.match(cli('report', parent).err, /--out/);
  const missing = cli('report', join(parent, 'nothing'), '--out', join(parent, 'x.html'));
  assert.equal(missing.code, 1);
  assert.match(missing.err, /nothing.*run\.json/);
  mkdirSync(join(parent, 'search'));
  writeFileSync(join(parent, 'search', 'oracle.json'), '{}');
  assert.match(cli('report', join(parent, 'search'), runFolder(parent, 'run', 3), '--out', join(parent, 'y.html')).err, /not both/);
});
