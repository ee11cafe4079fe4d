/** JSON in pieces is exactly JSON.stringify(value, null, 2), and the CLI writes a summary that way. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { analyzeText } from '../../language-server/src/analysis/analyze-file.js';
import { runCli } from '../../language-server/src/cli/main.js';
import { jsonChunks, writeJson } from '../../language-server/src/cli/json-stream.js';
import { summaryJson } from '../../language-server/src/features/summary-json.js';

const root = join(fileURLToPath(import.meta.url), '../../../..');

test('the pieces join to JSON.stringify(value, null, 2), odd values included', () => {
  const values: unknown[] = [
    { a: [1, [], {}, [[]], null, undefined, () => 1], b: undefined, c: 'é "quoted" \n', d: { e: { f: [true, false] } }, g: Number.NaN, h: -0, i: 1e300 },
    [],
    {},
    'text',
    42,
    null,
    [{ x: new Date(0) }],
  ];
  for (const value of values) assert.equal([...jsonChunks(value)].join(''), JSON.stringify(value, null, 2));
  const file = join(root, 'examples', 'mnist_cnn.model');
  const summary = summaryJson(file, analyzeText(readFileSync(file, 'utf8')));
  let written = '';
  writeJson(summary, (text) => (written += text), 64);
  assert.equal(written, `${JSON.stringify(summary, null, 2)}\n`);
});

test('summary --json goes out in pieces (blocks of 1 MiB) when the output can take them', () => {
  const pieces: string[] = [];
  const body = Array.from({ length: 8000 }, () => '  Dense(4)').join('\n');
  const file = join(mkdtempSync(join(tmpdir(), 'layerlab-json-')), 'long.model');
  writeFileSync(file, `model long {\n  input (4,)\n${body}\n}\n`);
  const status = runCli(['summary', file, '--json'], { out: () => assert.fail('not through out'), err: () => {}, write: (text) => pieces.push(text) });
  assert.equal(status, 0);
  assert.ok(pieces.length > 1, `${pieces.length} pieces`);
  const parsed = JSON.parse(pieces.join('')) as { models: { layers: unknown[] }[] };
  assert.equal(parsed.models[0]?.layers.length, 8000);
});
