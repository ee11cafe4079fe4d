import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeText } from '../../language-server/src/analysis/analyze-file.js';
import { inlayHints } from '../../language-server/src/features/inlay-hints.js';

/** Hints rendered as `line text  <hint>` to read like the editor shows them. */
function render(text: string, config = { shapes: true, parameters: true }, range = { start: 0, end: text.length }): string[] {
  const analysis = analyzeText(text);
  const byLine = new Map<number, string[]>();
  for (const hint of inlayHints(analysis, range, config)) {
    const line = analysis.lines.positionAt(hint.offset).line;
    byLine.set(line, [...(byLine.get(line) ?? []), hint.label]);
  }
  return text.split('\n').map((line, i) => (byLine.has(i) ? `${line.trim()}  ${byLine.get(i)?.join(' ')}` : line.trim())).filter((l) => l.includes('→'));
}

const cnn = 'model m {\n  input (28, 28, 1)\n  Conv2D(32, 3, activation=relu)\n  MaxPooling2D(2)\n  Flatten()\n  Dense(10, activation=softmax)\n}';

test('after each layer: shape and parameters, as the spec shows them', () => {
  assert.deepEqual(render(cnn), [
    'input (28, 28, 1)  → 28×28×1',
    'Conv2D(32, 3, activation=relu)  → 26×26×32 · 320 params',
    'MaxPooling2D(2)  → 13×13×32 · 0 params',
    'Flatten()  → 5408 · 0 params',
    // (5408 + 1)·10
    'Dense(10, activation=softmax)  → 10 · 54,090 params',
  ]);
});

test('settings turn shapes or parameters off', () => {
  assert.deepEqual(render(cnn, { shapes: false, parameters: true })[0], 'Conv2D(32, 3, activation=relu)  → 320 params');
  assert.deepEqual(render(cnn, { shapes: true, parameters: false })[1], 'Conv2D(32, 3, activation=relu)  → 26×26×32');
  assert.deepEqual(render(cnn, { shapes: false, parameters: false }), []);
});

test('the requested range is honoured', () => {
  const start = cnn.indexOf('Flatten');
  const lines = render(cnn, { shapes: true, parameters: true }, { start, end: start + 5 });
  assert.deepEqual(lines, ['Flatten()  → 5408 · 0 params']);
});

test('a repeat line summarises its block; its layers show first … last', () => {
  const text = 'model m {\n  input (28, 28, 1)\n  repeat 2 {\n    Conv2D(8, 3)\n    MaxPooling2D(2)\n  }\n}';
  assert.deepEqual(render(text), [
    'input (28, 28, 1)  → 28×28×1',
    // Conv 80 + 584 params; after the block: 28 → 26 → 13 → 11 → 5
    'repeat 2 {  → 5×5×8 · 664 params',
    'Conv2D(8, 3)  → 26×26×8 … 11×11×8 · 664 params in 2',
    'MaxPooling2D(2)  → 13×13×8 … 5×5×8 · 0 params ×2',
  ]);
});

test('an if block that is off says so', () => {
  const text = 'model m(bn = false) {\n  input (4,)\n  if bn { BatchNormalization() }\n  Dense(2)\n}';
  assert.ok(render(text).includes('if bn { BatchNormalization() }  → skipped'));
});

test('no hints after an error stopped the shapes', () => {
  const text = 'model m {\n  input (4,)\n  Conv2D(4, 3)\n  Dense(2)\n}';
  assert.deepEqual(render(text), ['input (4,)  → 4']);
});
