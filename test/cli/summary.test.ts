import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../language-server/src/cli/main.js';
import type { SummaryJson } from '../../language-server/src/features/summary-json.js';

const root = join(fileURLToPath(import.meta.url), '../../../..');
const bin = join(root, 'out/language-server/src/cli/bin.js');

function cli(...args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const status = runCli(args, { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') });
  assert.ok(typeof status === 'number', 'summary and usage errors answer synchronously');
  return { code: status, out, err };
}

function fileWith(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'layerlab-cli-'));
  const file = join(dir, 'test.model');
  writeFileSync(file, text);
  return file;
}

const cnn = 'model small {\n  input (28, 28, 1)\n  c = Conv2D(32, 3, activation=relu)\n  MaxPooling2D(2)\n  Flatten()\n  Dense(10, activation=softmax)\n}\nmodel other {\n  input (3,)\n  Dense(2)\n}\n';

test('summary prints a Keras-style table with totals and exits 0', () => {
  const { code, out, err } = cli('summary', fileWith(cnn));
  assert.equal(code, 0, err);
  assert.match(out, /Model: "small"/);
  assert.match(out, /┃ Layer \(type\)\s+┃ Output Shape\s+┃\s+Param # ┃/);
  assert.match(out, /│ c \(Conv2D\)\s+│ \(None, 26, 26, 32\)\s+│\s+320 │/);
  assert.match(out, /│ max_pooling2d \(MaxPooling2D\)\s+│ \(None, 13, 13, 32\)/);
  // 13·13·32 = 5408 → (5408 + 1)·10 = 54,090; total 320 + 54,090 = 54,410.
  assert.match(out, /Total params: 54,410 \(212\.54 KB\)/);
  assert.match(out, /Non-trainable params: 0 \(0\.00 B\)/);
});

test('--json follows the documented contract', () => {
  const file = fileWith(cnn);
  const { code, out } = cli('summary', file, '--json');
  assert.equal(code, 0);
  const json = JSON.parse(out) as SummaryJson;
  assert.equal(json.file, file);
  // The label `c` only names its layer: no diagnostic.
  assert.deepEqual(json.diagnostics.map((d) => [d.severity, d.code, d.line]), []);
  const small = json.models.find((m) => m.name === 'small');
  assert.ok(small);
  assert.deepEqual(small.input_shape, [28, 28, 1]);
  assert.equal(small.total_params, 54410);
  assert.equal(small.trainable_params, 54410);
  assert.equal(small.non_trainable_params, 0);
  // Conv: 26·26·(3·3·1)·32 = 194,688; Dense: 5408·10 = 54,080.
  assert.equal(small.macs, 194688 + 54080);
  assert.deepEqual(
    small.layers.map((l) => [l.label, l.type, l.line, l.output_shape, l.params]),
    [
      ['c', 'Conv2D', 3, [26, 26, 32], 320],
      [null, 'MaxPooling2D', 4, [13, 13, 32], 0],
      [null, 'Flatten', 5, [5408], 0],
      [null, 'Dense', 6, [10], 54090],
    ],
  );
});

test('--model selects one model; an unknown one is a usage error', () => {
  const file = fileWith(cnn);
  const json = JSON.parse(cli('summary', file, '--json', '--model', 'other').out) as SummaryJson;
  assert.deepEqual(json.models.map((m) => m.name), ['other']);
  const missing = cli('summary', file, '--model', 'nope');
  assert.equal(missing.code, 2);
  assert.match(missing.err, /has no model named nope; it has small, other/);
});

test('errors print as file:line:col: severity: message and exit 1', () => {
  const file = fileWith('model m {\n  input (4,)\n  Dense(3, activaton=relu)\n}\n');
  const { code, err } = cli('summary', file);
  assert.equal(code, 1);
  assert.ok(err.includes(`${file}:3:12: error: Dense has no argument \`activaton\`; did you mean \`activation\`?`), err);
  const json = JSON.parse(cli('summary', file, '--json').out) as SummaryJson;
  assert.deepEqual(
    json.diagnostics.map((d) => [d.severity, d.line, d.column]),
    [['error', 3, 12]],
  );
});

test('warnings alone exit 0; unknown axes are null in JSON', () => {
  // A Keras 2 argument that agrees with the input: a deprecation warning.
  const file = fileWith('model seq {\n  input (None, 8)\n  LSTM(4, return_sequences=true, input_shape=(None, 8))\n  LSTM(2)\n}\n');
  const { code, out } = cli('summary', file, '--json');
  assert.equal(code, 0);
  const json = JSON.parse(out) as SummaryJson;
  assert.deepEqual(json.models[0]?.input_shape, [null, 8]);
  assert.deepEqual(json.models[0]?.layers[0]?.output_shape, [null, 4]);
  assert.deepEqual(json.diagnostics.map((d) => [d.severity, d.code]), [['warning', 'deprecated']]);
});

test('usage errors exit 2 with a message', () => {
  assert.equal(cli().code, 2);
  assert.equal(cli('frobnicate').code, 2);
  assert.equal(cli('summary').code, 2);
  const missing = cli('summary', join(tmpdir(), 'no-such-file.model'));
  assert.equal(missing.code, 2);
  assert.match(missing.err, /cannot read .*no such file/);
  assert.equal(cli('summary', 'a.model', '--bogus').code, 2);
  assert.equal(cli('--help').code, 0);
  const lsp = cli('lsp');
  assert.equal(lsp.code, 2);
  assert.match(lsp.err, /choose a transport: --stdio/);
});

test('the executable sets the exit status', () => {
  const ok = spawnSync(process.execPath, [bin, 'summary', fileWith(cnn)], { encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  const bad = spawnSync(process.execPath, [bin, 'summary', fileWith('model m { Dense(2) }')], { encoding: 'utf8' });
  assert.equal(bad.status, 1);
  const usage = spawnSync(process.execPath, [bin], { encoding: 'utf8' });
  assert.equal(usage.status, 2);
});

test('a device, a folder or an oversized file is refused before it is read, in words', { skip: process.platform === 'win32' }, () => {
  const zero = cli('summary', '/dev/zero');
  assert.equal(zero.code, 2);
  assert.match(zero.err, /cannot read \/dev\/zero: it is not a regular file \(a device or a pipe\)/);
  const folder = cli('summary', tmpdir());
  assert.equal(folder.code, 2);
  assert.match(folder.err, /it is a folder/);
});
