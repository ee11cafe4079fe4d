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

test('a repeat line sums its block over all repetitions; its layers show one repetition ×N, shapes first … last', () => {
  const text = 'model m {\n  input (28, 28, 1)\n  repeat 2 {\n    Conv2D(8, 3)\n    MaxPooling2D(2)\n  }\n}';
  assert.deepEqual(render(text), [
    'input (28, 28, 1)  → 28×28×1',
    // Conv (3·3·1 + 1)·8 = 80, then (3·3·8 + 1)·8 = 584: 664 in all; after the block: 28 → 26 → 13 → 11 → 5
    'repeat 2 {  → 5×5×8 · 664 params in all 2 repetitions',
    'Conv2D(8, 3)  → 26×26×8 … 11×11×8 · 80–584 params ×2',
    'MaxPooling2D(2)  → 13×13×8 … 5×5×8 · 0 params ×2',
  ]);
  const conv = inlayHints(analyzeText(text), { start: 0, end: text.length }).find((h) => h.label.includes('80–584'));
  assert.equal(conv?.tooltip, 'Parameters per repetition: 80, 584; 664 params in all 2 repetitions.');
});

test('inside repeat the layers and the repeat line agree: per repetition × count adds up to the block total', () => {
  // The block of the report: 64 → 64 channels each time, so every repetition has the same figures.
  const text = 'model m {\n  input (8, 8, 64)\n  repeat 3 {\n    Conv2D(64, 2, padding=same)\n    Dropout(0.1)\n  }\n}';
  const lines = render(text);
  // (2·2·64 + 1)·64 = 16,448 per repetition; ×3 = 49,344
  assert.deepEqual(lines.slice(1), [
    'repeat 3 {  → 8×8×64 · 49,344 params in all 3 repetitions',
    'Conv2D(64, 2, padding=same)  → 8×8×64 · 16,448 params ×3',
    'Dropout(0.1)  → 8×8×64 · 0 params ×3',
  ]);
});

test('a repeat stopped by an error counts the repetitions it could analyse out of the real count', () => {
  const text = 'model m {\n  input (28, 28, 1)\n  repeat 5 {\n    Conv2D(32, 3, activation=relu)\n    MaxPooling2D(2)\n  }\n}';
  // 28 → 26 → 13 → 11 → 5 → 3 → 1: the Conv2D of repetition 4 has a 1×1 input. Conv 320, then 9,248 twice.
  assert.deepEqual(render(text).slice(1), [
    'repeat 5 {  → 1×1×32 · 18,816 params in 3 of 5 repetitions',
    'Conv2D(32, 3, activation=relu)  → 26×26×32 … 3×3×32 · 320–9,248 params ×3 of 5',
    'MaxPooling2D(2)  → 13×13×32 … 1×1×32 · 0 params ×3 of 5',
  ]);
});

test('nested repeats and an if inside a repeat count every run of their body', () => {
  const text = 'model m(bn = true) {\n  input (8, 8, 4)\n  repeat 2 {\n    repeat 3 {\n      Conv2D(4, 3, padding=same)\n    }\n    if bn { BatchNormalization() }\n  }\n}';
  // Conv (3·3·4 + 1)·4 = 148, 6 times = 888; BatchNormalization 4·4 = 16, twice = 32; 920 in all.
  assert.deepEqual(render(text).slice(1), [
    'repeat 2 {  → 8×8×4 · 920 params in all 2 repetitions',
    'repeat 3 {  → 8×8×4 · 888 params in all 6 repetitions',
    'Conv2D(4, 3, padding=same)  → 8×8×4 · 148 params ×6',
    'if bn { BatchNormalization() }  → 8×8×4 · 32 params in all 2 repetitions → 8×8×4 · 16 params ×2',
  ]);
});

test('a trailing comment stays next to the code: the hint goes after it, at the end of the line', () => {
  const text = 'model m {\n  input (28, 28, 1)   # MNIST-sized\n  Conv2D(32, 3)   # 3×3 filters  \n  repeat 2 {  # twice\n    Dense(4)\n  }\n  Flatten() # then flat\n}';
  const analysis = analyzeText(text);
  const hints = inlayHints(analysis, { start: 0, end: text.length });
  const lineEnd = (needle: string) => {
    const start = text.indexOf(needle);
    return start + text.slice(start).split('\n')[0]!.trimEnd().length;
  };
  assert.deepEqual(
    hints.map((h) => [h.offset, h.label]),
    [
      [lineEnd('input'), '→ 28×28×1'],
      [lineEnd('Conv2D'), '→ 26×26×32 · 320 params'],
      [lineEnd('repeat'), '→ 26×26×4 · 152 params in all 2 repetitions'],
      // (32 + 1)·4 = 132, then (4 + 1)·4 = 20
      [text.indexOf('Dense(4)') + 'Dense(4)'.length, '→ 26×26×4 · 20–132 params ×2'],
      [lineEnd('Flatten'), '→ 2704 · 0 params'],
    ].sort((a, b) => Number(a[0]) - Number(b[0])),
  );
  // Without a comment the hint stays right after the statement, also when another statement follows on the line.
  const inline = 'model m {\n  input (4,)\n  repeat 2 { Dense(4) Dense(4) }\n}';
  const offsets = inlayHints(analyzeText(inline), { start: 0, end: inline.length }).map((h) => inline.slice(0, h.offset).split('\n').pop());
  assert.deepEqual(offsets, ['  input (4,)', '  repeat 2', '  repeat 2 { Dense(4)', '  repeat 2 { Dense(4) Dense(4)']);
});

test('an if block that is off says so', () => {
  const text = 'model m(bn = false) {\n  input (4,)\n  if bn { BatchNormalization() }\n  Dense(2)\n}';
  assert.ok(render(text).includes('if bn { BatchNormalization() }  → skipped'));
});

test('no hints after an error stopped the shapes', () => {
  const text = 'model m {\n  input (4,)\n  Conv2D(4, 3)\n  Dense(2)\n}';
  assert.deepEqual(render(text), ['input (4,)  → 4']);
});
