import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../language-server/src/cli/main.js';

function cli(...args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const status = runCli(args, { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') });
  assert.ok(typeof status === 'number', 'import answers synchronously');
  return { code: status, out, err };
}

function fileWith(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'layerlab-import-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const code = `import keras
from keras import layers
cnn = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(8, 3), layers.RandomFlip(), layers.Flatten(), layers.Dense(10)])
`;

test('import writes the .model text on standard output, notes with file:line on standard error, and exits 0', () => {
  const file = fileWith('cnn.py', code);
  const { code: status, out, err } = cli('import', file);
  assert.equal(status, 0, err);
  assert.match(out, /^model cnn \{\n {2}input \(28, 28, 1\)\n {2}Conv2D\(8, 3\)\n {2}Flatten\(\)\n {2}Dense\(10\)\n\}$/m);
  assert.ok(err.includes(`${file}:3: note: RandomFlip is not a layer Layerlab knows; left out`), err);
  assert.match(err, /imported cnn from .*cnn\.py; 1 note above/);
});

test('import --out writes the file (creating its folder), which `summary` reads with Keras\'s total', () => {
  const file = fileWith('cnn.py', code);
  const out = join(file, '..', 'models', 'cnn.model');
  const imported = cli('import', file, '--out', out);
  assert.equal(imported.code, 0, imported.err);
  assert.equal(imported.out, '');
  assert.match(readFileSync(out, 'utf8'), /^model cnn \{/m);
  const summary = cli('summary', out);
  assert.equal(summary.code, 0, summary.err);
  // (9 + 1)·8 + 26·26·8·10 + 10
  assert.match(summary.out, /Total params: 54,170/);
});

test('import exits 1 when the code builds no model, and 2 for usage problems or a file that cannot be read', () => {
  assert.equal(cli('import', fileWith('none.py', 'print("hello")\n')).code, 1);
  assert.equal(cli('import').code, 2);
  assert.equal(cli('import', 'a.py', 'b.py').code, 2);
  assert.equal(cli('import', '/nonexistent/model.py').code, 2);
  assert.equal(cli('import', '--bogus', 'a.py').code, 2);
  const broken = cli('import', fileWith('broken.ipynb', '{"cells": 3'));
  assert.equal(broken.code, 2);
  assert.match(broken.err, /broken\.ipynb is not a notebook: it is not JSON/);
  assert.match(cli('import', '--help').out, /--out FILE/);
});
