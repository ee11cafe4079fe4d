import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeText } from '../../language-server/src/analysis/analyze-file.js';
import { exportUsage } from '../../language-server/src/cli/export.js';
import { runCli } from '../../language-server/src/cli/main.js';
import { usage } from '../../language-server/src/cli/usage.js';
import { kerasScript } from '../../language-server/src/features/keras-script.js';

function cli(...args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const status = runCli(args, { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n'), write: (t) => (out += t) });
  assert.ok(typeof status === 'number', 'export answers synchronously');
  return { code: status, out, err };
}

const text = 'model small {\n  input mnist\n  Flatten()\n  Dense(10, activation=softmax)\n}\nmodel other {\n  input (3,)\n  Dense(2)\n}\ntrain small {\n  dataset = idx("data/images", "data/labels")\n  epochs = 2\n}\n';

function fileWith(content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'layerlab-export-'));
  const file = join(dir, 'nets.model');
  writeFileSync(file, content);
  return file;
}

test('export writes the script to standard output: the first trained model by default, and says which', () => {
  const file = fileWith(text);
  const { code, out, err } = cli('export', file);
  assert.equal(code, 0, err);
  const analysis = analyzeText(text);
  const small = analysis.models[0];
  assert.ok(small);
  // What the writer gives, with the .model file's folder seen from the working folder.
  assert.match(out, /^# small, exported by Layerlab from .*nets\.model: the model, its data and its training/);
  assert.ok(out.includes('model = build_small()\nmodel.summary()\n'));
  assert.ok(out.includes('    epochs=2,\n'));
  assert.match(err, /exported small; --model NAME exports another: small, other/);
});

test('--model picks a model; --out writes the file, with data paths relative to the .model file from the script', () => {
  const file = fileWith(text);
  const outDir = join(file, '..', 'scripts');
  const out = join(outDir, 'small.py');
  const result = cli('export', file, '--model', 'small', '--out', out);
  assert.equal(result.code, 0, result.err);
  assert.equal(result.out, '');
  assert.match(result.err, /^export: .*small\.py \(small, trained as the train block on line 10 sets it\)$/m);
  const script = readFileSync(out, 'utf8');
  const analysis = analyzeText(text);
  const model = analysis.models[0];
  assert.ok(model);
  const expected = kerasScript(analysis, model, { source: '../nets.model', modelFolder: { relativeToScript: '..' } });
  assert.equal(script, expected.kind === 'script' ? expected.code : '');
  assert.match(script, /MODEL_FOLDER = os\.path\.join\(.*, "\.\."\)/);

  const other = cli('export', file, '--model', 'other', '--out', join(outDir, 'other.py'));
  assert.equal(other.code, 0, other.err);
  assert.match(other.err, /\(other, the model only: no train block trains it\)/);
  assert.match(readFileSync(join(outDir, 'other.py'), 'utf8'), /model = build_other\(\)\nmodel\.summary\(\)\n$/);
});

test('an unknown model is a usage error naming the file\'s models; a model with errors exits 1 with file:line', () => {
  const file = fileWith(text);
  const unknown = cli('export', file, '--model', 'nope');
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /has no model named nope; it has small, other/);
  const broken = fileWith('model m {\n  input mnist\n  Flatten()\n  Dense(10, activaton=softmax)\n}\n');
  const refused = cli('export', broken);
  assert.equal(refused.code, 1);
  assert.equal(refused.out, '');
  assert.match(refused.err, new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4: error: Dense has no argument \`activaton\``));
});

test('usage problems: no FILE, an unreadable one, an unknown flag; --help prints the usage', () => {
  assert.equal(cli('export').code, 2);
  assert.match(cli('export', '/nonexistent/x.model').err, /cannot read \/nonexistent\/x\.model: no such file/);
  assert.equal(cli('export', fileWith(text), '--json').code, 2);
  const help = cli('export', '--help');
  assert.equal(help.code, 0);
  assert.equal(help.out.trim(), exportUsage);
  assert.match(usage, /^ {2}export FILE \[--model NAME\] \[--out FILE\.py\]$/m);
});

test('a file without models says so', () => {
  const dir = mkdtempSync(join(tmpdir(), 'layerlab-export-'));
  mkdirSync(join(dir, 'x'));
  const file = join(dir, 'x', 'empty.model');
  writeFileSync(file, '# nothing yet\n');
  const result = cli('export', file);
  assert.equal(result.code, 2);
  assert.match(result.err, /has no model to export/);
});
