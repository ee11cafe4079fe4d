/**
 * A Dense stack on a feature map, trained on one label per image: the error sits on the `train` (or
 * `tune`) block where it names the model, and its quick fixes, applied and analysed again, give a
 * model of one value per class and no error.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeText } from '../../language-server/src/analysis/analyze-file.js';
import { codeActions, type CodeAction } from '../../language-server/src/features/code-actions.js';

function apply(text: string, action: CodeAction): string {
  return [...action.edits].sort((a, b) => b.range.start - a.range.start).reduce((t, e) => t.slice(0, e.range.start) + e.newText + t.slice(e.range.end), text);
}

function rankError(text: string) {
  const analysis = analyzeText(text);
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  assert.equal(errors.length, 1, JSON.stringify(errors.map((d) => d.message)));
  const [error] = errors;
  assert.ok(error);
  assert.equal(error.code, 'output-rank');
  return { analysis, error, actions: codeActions(analysis, error.range).filter((a) => a.diagnostic === error) };
}

/** The file after `title`'s fix: analysed again, no diagnostics of any kind, and the model's output. */
function fixed(text: string, title: RegExp, model = 'm'): { text: string; output: readonly (number | null)[] | undefined } {
  const { actions } = rankError(text);
  const action = actions.find((a) => title.test(a.title));
  assert.ok(action, `no fix ${title}; have ${actions.map((a) => a.title).join(' | ')}`);
  const after = apply(text, action);
  const analysis = analyzeText(after);
  assert.deepEqual(analysis.diagnostics.map((d) => `${d.code}: ${d.message}`), [], after);
  return { text: after, output: analysis.models.find((m) => m.name === model)?.evaluated?.output?.outputShape };
}

const featureMap = 'model m {\n  input mnist\n  Conv2D(32, 3, activation=relu)\n  Dense(64, activation=relu)\n  Dense(10, activation=softmax)\n}\n\ntrain m {\n  dataset = mnist\n  epochs  = 2\n}\n';

test('the error is on the model\'s name in the train block, and names the output, the labels and the Dense to fix', () => {
  const { analysis, error } = rankError(featureMap);
  assert.equal(featureMap.slice(error.range.start, error.range.end), 'm');
  assert.equal(analysis.lines.positionAt(error.range.start).line + 1, 8, 'line 8: `train m {`');
  assert.equal(
    error.message,
    '`m` outputs (26, 26, 10) per image, but mnist has one label per image (labels of shape (None,) in Keras), so the output must be (10,), one value per class; insert Flatten() (or GlobalAveragePooling2D()) before the Dense on line 4, which gets the feature map (26, 26, 32)',
  );
  // The layers themselves carry no error: the model alone is fine, only its training is not.
  assert.deepEqual(analyzeText(featureMap.slice(0, featureMap.indexOf('train'))).diagnostics, []);
});

test('Insert Flatten() (preferred) before the first Dense on the feature map: re-analysed, the output is (10,) and nothing is reported', () => {
  const { actions } = rankError(featureMap);
  assert.deepEqual(actions.map((a) => [a.title, a.preferred]), [
    ['Insert Flatten() before the Dense on line 4', true],
    ['Insert GlobalAveragePooling2D() before the Dense on line 4', false],
  ]);
  const flatten = fixed(featureMap, /Flatten/);
  assert.equal(flatten.text, featureMap.replace('  Dense(64', '  Flatten()\n  Dense(64'));
  assert.deepEqual(flatten.output, [10]);
  const pooling = fixed(featureMap, /GlobalAveragePooling2D/);
  assert.equal(pooling.text, featureMap.replace('  Dense(64', '  GlobalAveragePooling2D()\n  Dense(64'));
  assert.deepEqual(pooling.output, [10]);
});

test('the inserted line takes the Dense line\'s indentation, tabs or spaces, also inside repeat', () => {
  const tabs = 'model m {\n\tinput mnist\n\tConv2D(8, 3)\n\tDense(10, activation=softmax)\n}\ntrain m {\n\tdataset = mnist\n}\n';
  assert.equal(fixed(tabs, /Flatten/).text, tabs.replace('\tDense', '\tFlatten()\n\tDense'));
  const nested = 'model m {\n    input mnist\n    Conv2D(8, 3)\n    repeat 2 {\n        Dense(16, activation=relu)\n    }\n    Dense(10, activation=softmax)\n}\ntrain m {\n    dataset = mnist\n}\n';
  const inRepeat = fixed(nested, /Flatten/);
  assert.equal(inRepeat.text, nested.replace('        Dense(16', '        Flatten()\n        Dense(16'));
  assert.deepEqual(inRepeat.output, [10]);
});

test('a tune block, a variant and a block without `dataset` (the input\'s data set) get the same error and fix', () => {
  const tune = 'model m(units = 16) {\n  input mnist\n  Conv2D(8, 3)\n  Dense(units)\n  Dense(10, activation=softmax)\n}\ntune m {\n  dataset = mnist\n  units in [16, 32]\n}\n';
  const { analysis, error } = rankError(tune);
  assert.equal(analysis.lines.positionAt(error.range.start).line + 1, 7);
  assert.deepEqual(fixed(tune, /Flatten/).output, [10]);

  const variant = 'model base(filters = 8) {\n  input cifar10\n  Conv2D(filters, 3)\n  MaxPooling2D(2)\n  Dense(10, activation=softmax)\n}\nmodel wide = base(filters = 32)\ntrain wide {\n  dataset = cifar10\n}\n';
  const fromVariant = rankError(variant);
  assert.match(fromVariant.error.message, /^`wide` outputs \(15, 15, 10\) per image, but cifar10 has one label per image/);
  // The fix goes into the body the variant evaluates: the base model's.
  assert.deepEqual(fixed(variant, /Flatten/, 'wide').output, [10]);

  const noDataset = 'model m {\n  input fashion_mnist\n  Conv2D(8, 3)\n  Dense(10, activation=softmax)\n}\ntrain m {\n  epochs = 1\n}\n';
  assert.match(rankError(noDataset).error.message, /but fashion_mnist has one label per image/);
  assert.deepEqual(fixed(noDataset, /Flatten/).output, [10]);
});

test('a sequence model gets GlobalAveragePooling1D as the second fix', () => {
  const sequence = 'model m {\n  input (28, 28)\n  LSTM(16, return_sequences=true)\n  Dense(10, activation=softmax)\n}\ntrain m {\n  dataset = mnist\n}\n';
  const { actions } = rankError(sequence);
  assert.deepEqual(actions.map((a) => a.title), ['Insert Flatten() before the Dense on line 4', 'Insert GlobalAveragePooling1D() before the Dense on line 4']);
  assert.deepEqual(fixed(sequence, /GlobalAveragePooling1D/).output, [10]);
});

test('no fix is offered where inserting it would not give one value per class', () => {
  // Flatten() before the Dense still leaves the Reshape's (2, 5): the model needs rethinking, not a layer.
  const { actions, error } = rankError('model m {\n  input mnist\n  Conv2D(8, 3)\n  Dense(10)\n  Flatten()\n  Dense(10)\n  Reshape((2, 5))\n}\ntrain m {\n  dataset = mnist\n}\n');
  assert.deepEqual(actions, []);
  assert.match(error.message, /insert Flatten\(\) \(or GlobalAveragePooling2D\(\)\) before the Dense on line 4/);
});
