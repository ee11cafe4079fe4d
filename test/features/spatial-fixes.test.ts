import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeText } from '../../language-server/src/analysis/analyze-file.js';
import { codeActions, type CodeAction } from '../../language-server/src/features/code-actions.js';

/** Applies edits (non-overlapping) to text. */
function apply(text: string, edits: CodeAction['edits']): string {
  return [...edits].sort((a, b) => b.range.start - a.range.start).reduce((t, e) => t.slice(0, e.range.start) + e.newText + t.slice(e.range.end), text);
}

function errors(text: string): string[] {
  return analyzeText(text)
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => `[${d.code}] ${d.message}`);
}

/** The quick fixes for the spatial-size error of `text` (which must have exactly that one error). */
function fixesOf(text: string): CodeAction[] {
  const analysis = analyzeText(text);
  const spatial = analysis.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(
    spatial.map((d) => d.code),
    ['spatial-too-small'],
  );
  return codeActions(analysis, spatial[0]!.range).filter((a) => a.diagnostic.code === 'spatial-too-small');
}

/** Applies the action titled `title` and returns the new text, which must analyse without errors. */
function fixWith(text: string, title: string): string {
  const actions = fixesOf(text);
  const action = actions.find((a) => a.title === title);
  assert.ok(action, `no action "${title}"; have ${actions.map((a) => a.title).join(' | ')}`);
  const fixed = apply(text, action.edits);
  assert.deepEqual(errors(fixed), [], fixed);
  return fixed;
}

test('Use padding=same: added to a convolution that has no padding argument, and the error is gone', () => {
  // 5 → 3 → 1: the second Conv2D's 3×3 kernel does not fit.
  const text = 'model m {\n  input (5, 5, 1)\n  Conv2D(4, 3)\n  MaxPooling2D(2)\n  Conv2D(4, 3, activation=relu)\n  Flatten()\n}';
  const fixed = fixWith(text, 'Use padding=same');
  assert.equal(fixed, text.replace('Conv2D(4, 3, activation=relu)', 'Conv2D(4, 3, activation=relu, padding=same)'));
});

test('Use padding=same replaces padding=valid, and fits a pooling layer given no arguments', () => {
  const conv = 'model m {\n  input (4, 4, 3)\n  Conv2D(8, 5, padding=valid, activation=relu)\n}';
  assert.equal(fixWith(conv, 'Use padding=same'), conv.replace('padding=valid', 'padding=same'));
  const pool = 'model m {\n  input (1, 1, 3)\n  MaxPooling2D()\n}';
  assert.equal(fixWith(pool, 'Use padding=same'), pool.replace('MaxPooling2D()', 'MaxPooling2D(padding=same)'));
});

test('Use a smaller kernel: the largest that fits, as an int or a tuple as written', () => {
  const int = 'model m {\n  input (4, 4, 3)\n  Conv2D(8, 7)\n}';
  // 4×4 input: a 4×4 kernel is the largest with a non-empty output.
  assert.equal(fixWith(int, 'Use a smaller kernel: kernel_size=4'), int.replace('Conv2D(8, 7)', 'Conv2D(8, 4)'));
  const tuple = 'model m {\n  input (6, 3, 1)\n  Conv2D(8, kernel_size=(5, 5))\n}';
  assert.equal(fixWith(tuple, 'Use a smaller kernel: kernel_size=(3, 3)'), tuple.replace('(5, 5)', '(3, 3)'));
  const pool = 'model m {\n  input (3, 3, 2)\n  AveragePooling2D(5)\n}';
  assert.equal(fixWith(pool, 'Use a smaller pool size: pool_size=3'), pool.replace('(5)', '(3)'));
});

test('no smaller kernel is offered when none fits, nor one that is a model parameter', () => {
  // 1×1 input: only a 1×1 kernel fits; a 2×2 pool has nothing smaller worth offering.
  const titles = fixesOf('model m {\n  input (1, 1, 3)\n  MaxPooling2D(2)\n}').map((a) => a.title);
  assert.ok(!titles.some((t) => t.startsWith('Use a smaller')), titles.join(' | '));
  const parameter = fixesOf('model m(k = 7) {\n  input (4, 4, 3)\n  Conv2D(8, k)\n}').map((a) => a.title);
  assert.ok(!parameter.some((t) => t.startsWith('Use a smaller')), parameter.join(' | '));
});

test('Remove this pooling layer: a pool larger than its input goes, with its line', () => {
  const text = 'model m {\n  input (3, 3, 8)\n  MaxPooling2D(4)   # too big\n  Flatten()\n  Dense(2)\n}';
  assert.equal(fixWith(text, 'Remove this pooling layer'), 'model m {\n  input (3, 3, 8)\n  Flatten()\n  Dense(2)\n}');
});

test('a convolution starved by pooling in a repeat: removing that pooling layer fixes it, and is the preferred fix', () => {
  // mistakes.model: 28 → 26 → 13 → 11 → 5 → 3 → 1, the Conv2D of repetition 4 of 5 fails.
  const text = 'model pooled_to_nothing {\n  input (28, 28, 1)\n  repeat 5 {\n    Conv2D(32, 3, activation=relu)\n    MaxPooling2D(2)                  # the feature map shrinks below 1x1\n  }\n  Flatten()\n  Dense(10, activation=softmax)\n}\n';
  const actions = fixesOf(text);
  const remove = actions.find((a) => a.title === 'Remove the pooling layer MaxPooling2D(2) on line 5');
  assert.ok(remove?.preferred, actions.map((a) => `${a.title}${a.preferred ? ' (preferred)' : ''}`).join(' | '));
  // Without pooling: 28 → 26 → 24 → 22 → 20 → 18, no error left.
  assert.equal(fixWith(text, 'Remove the pooling layer MaxPooling2D(2) on line 5'), text.replace('    MaxPooling2D(2)                  # the feature map shrinks below 1x1\n', ''));
  // padding=same also fixes this Conv2D, though then MaxPooling2D of repetition 5 runs out (its own quick fixes follow).
  const same = actions.find((a) => a.title === 'Use padding=same');
  assert.ok(same && !same.preferred);
  const after = errors(apply(text, same.edits));
  assert.equal(after.length, 1);
  assert.match(after[0] ?? '', /^\[spatial-too-small\] MaxPooling2D \(repetition 5 of 5\)/);
});

test('a fix that would add errors is not offered', () => {
  // Removing the labelled pool would leave `Add(p)` without its input.
  const text = 'model m {\n  input (4, 4, 2)\n  p = MaxPooling2D(2)\n  Conv2D(2, 3)\n  Add(p)\n}';
  const titles = fixesOf(text).map((a) => a.title);
  assert.ok(!titles.some((t) => t.startsWith('Remove')), titles.join(' | '));
  assert.ok(titles.includes('Use padding=same'));
});
