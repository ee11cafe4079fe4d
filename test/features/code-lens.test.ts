import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { analyzeText } from '../../language-server/src/analysis/analyze-file.js';
import { codeLenses } from '../../language-server/src/features/code-lens.js';

const root = join(fileURLToPath(import.meta.url), '../../../..');

test('above each model: totals, FLOPs, weight memory and a Summary action', () => {
  const text = 'model m {\n  input (8, 8, 3)\n  Conv2D(4, 3)\n  BatchNormalization()\n  Flatten()\n  Dense(2)\n}';
  const lenses = codeLenses(analyzeText(text), 'file:///m.model');
  // Conv (3·3·3 + 1)·4 = 112; BN 16 (8 non-trainable); Dense (144 + 1)·2 = 290 → 418.
  // MACs: 6·6·27·4 = 3,888 + 144·2 = 288 → 4,176 → 8.35K FLOPs.
  assert.deepEqual(
    lenses.map((l) => l.title),
    ['418 params (8 non-trainable) · 8.35K FLOPs · 1.63 KB', 'Summary'],
  );
  assert.deepEqual(lenses[1]?.command, { id: 'layerlab.showSummary', arguments: ['file:///m.model', 'm'] });
});

test('Train appears once training is available', () => {
  const lenses = codeLenses(analyzeText('model m { input (4,)\n Dense(2) }'), 'file:///m.model', { trainAvailable: true });
  assert.deepEqual(lenses.map((l) => l.title).slice(1), ['Summary', 'Train']);
});

test('Graph appears where the client shows graphs (the VS Code extension), after Summary, for each model', () => {
  const lenses = codeLenses(analyzeText('model m { input (4,)\n Dense(2) }\nmodel n = m()'), 'file:///m.model', { trainAvailable: false, graphAvailable: true });
  assert.deepEqual(
    lenses.filter((l) => l.command).map((l) => [l.title, ...(l.command?.arguments ?? [])]),
    [
      ['Summary', 'file:///m.model', 'm'],
      ['Graph', 'file:///m.model', 'm'],
      ['Summary', 'file:///m.model', 'n'],
      ['Graph', 'file:///m.model', 'n'],
    ],
  );
  assert.equal(lenses.find((l) => l.title === 'Graph')?.command?.id, 'layerlab.showModelGraph');
});

test('a searched model shows the range of totals over its space', () => {
  const text = readFileSync(join(root, 'test/fixtures/search.model'), 'utf8');
  const titles = codeLenses(analyzeText(text), 'file:///s.model').map((l) => l.title);
  // depth 1..3, units 8..32 step 8 on (16,) inputs, output Dense(10):
  // min depth 1 units 8: 16·8+8 + 8·10+10 = 226; max depth 3 units 32: 544 + 2·1,056 + 330 = 2,986
  assert.ok(titles.includes('search space: 226–2,986 params'), titles.join('\n'));
});

test('a model that cannot be analysed says so', () => {
  const titles = codeLenses(analyzeText('model m {\n  Dense(2)\n}'), 'file:///m.model').map((l) => l.title);
  assert.deepEqual(titles, ['1 error: no figures', 'Summary']);
});

test('a model with errors never shows zeros that look real: no figures, or partial ones marked as such', () => {
  const title = (text: string) => codeLenses(analyzeText(text), 'file:///m.model')[0]?.title;
  // The first layer fails: nothing to count.
  assert.equal(title('model m {\n  input (4,)\n  Conv2D(4, 3)\n  Dense(2)\n}'), '1 error: no figures');
  assert.equal(title('model m {\n  input (4,)\n  Dense(2, activaton=relu)\n  Dense(2, unit=3)\n}'), '2 errors: no figures');
  // Dense (4 + 1)·8 = 40 before the failing Conv2D: partial figures, said to be.
  assert.equal(title('model m {\n  input (4,)\n  Dense(8)\n  Conv2D(4, 3)\n  Dense(2)\n}'), '1 error · partial, 1 layer: 40 params · 64 FLOPs · 160.00 B');
  // Every shape known, but Keras refuses two layers named alike: the figures, and the error.
  assert.equal(title('model m {\n  input (4,)\n  Dense(4, name="a")\n  Dense(2, name="a")\n}'), '30 params · 48 FLOPs · 120.00 B · 1 error');
  // No error: zeros are real.
  assert.equal(title('model m {\n  input (4,)\n}'), '0 params · 0 FLOPs · 0.00 B');
});

test('a tune block gets a Tune action per model when training is available, none otherwise', () => {
  const text = 'model a(units = 8) { input (4,)\n Dense(units)\n Dense(2) }\nmodel b = a(units = 4)\ntune a, b {\n  dataset = mnist\n  units in 2..16 step 2\n}\n';
  const tuneLenses = (trainAvailable: boolean) => codeLenses(analyzeText(text), 'file:///t.model', { trainAvailable }).filter((l) => l.command?.id === 'layerlab.tune');
  assert.deepEqual(
    tuneLenses(true).map((l) => [l.title, ...(l.command?.arguments ?? [])]),
    [
      ['Tune a', 'file:///t.model', 'a'],
      ['Tune b', 'file:///t.model', 'b'],
    ],
  );
  assert.deepEqual(tuneLenses(false), []);
});
