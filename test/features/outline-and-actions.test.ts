import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeText } from '../../language-server/src/analysis/analyze-file.js';
import { codeActions } from '../../language-server/src/features/code-actions.js';
import { kerasCode } from '../../language-server/src/features/keras-code.js';
import { foldingRanges, outline } from '../../language-server/src/features/outline.js';
import { semanticTokens } from '../../language-server/src/features/semantic-tokens.js';

/** Applies edits (non-overlapping) to text. */
function apply(text: string, edits: readonly { range: { start: number; end: number }; newText: string }[]): string {
  return [...edits].sort((a, b) => b.range.start - a.range.start).reduce((t, e) => t.slice(0, e.range.start) + e.newText + t.slice(e.range.end), text);
}

function fix(text: string, title: RegExp): string {
  const analysis = analyzeText(text);
  const actions = codeActions(analysis, { start: 0, end: text.length });
  const action = actions.find((a) => title.test(a.title));
  assert.ok(action, `no action ${title}; have ${actions.map((a) => a.title).join(' | ')}`);
  return apply(text, action.edits);
}

test('outline: models with layers and shapes, train blocks with settings', () => {
  const items = outline(analyzeText('model m {\n  input (4,)\n  h = Dense(8)\n  repeat 2 { Dense(8) }\n}\ntrain m { epochs = 3 }'));
  assert.deepEqual(
    items.map((i) => [i.name, i.detail, i.children.map((c) => `${c.name} ${c.detail}`.trim())]),
    [
      // (4 + 1)·8 = 40, then twice (8 + 1)·8 = 72
      ['m', '184 params', ['input 4', 'h = Dense 8', 'repeat 2']],
      ['train m', '', ['epochs 3']],
    ],
  );
  assert.deepEqual(items[0]?.children[2]?.children.map((c) => c.name), ['Dense']);
});

test('folding: declarations, blocks and comment runs', () => {
  const text = '# a\n# b\nmodel m {\n  input (4,)\n  repeat 2 {\n    Dense(2)\n  }\n}\n';
  assert.deepEqual(foldingRanges(analyzeText(text)), [
    { startLine: 0, endLine: 1, kind: 'comment' },
    { startLine: 2, endLine: 7 },
    { startLine: 4, endLine: 6 },
  ]);
});

test('semantic tokens tell layers, labels, parameters, argument names and values apart', () => {
  const text = 'model m(w = 2) {\n  input (4,)\n  s = Dense(w, activation=relu)\n  Add(s)\n}';
  const tokens = semanticTokens(analyzeText(text)).map((t) => `${text.slice(t.range.start, t.range.end)}:${t.type}${t.declaration ? '*' : ''}`);
  assert.deepEqual(tokens, ['m:type*', 'w:parameter*', 's:variable*', 'Dense:class', 'w:parameter', 'activation:property', 'relu:enumMember', 'Add:class', 's:variable']);
});

test('quick fix: did-you-mean for a layer and an argument', () => {
  assert.match(fix('model m {\n  input (4,)\n  Dnese(2)\n}', /Change to `Dense`/), /\n  Dense\(2\)/);
  assert.match(fix('model m {\n  input (4,)\n  Dense(2, activaton=relu)\n}', /activation/), /Dense\(2, activation=relu\)/);
});

test('quick fix: set the output width to the class count', () => {
  const text = 'model m {\n  input mnist\n  Flatten()\n  Dense(128, activation=softmax)\n}\ntrain m { dataset = mnist }';
  assert.match(fix(text, /Set the output width to 10/), /Dense\(10, activation=softmax\)/);
});

test('quick fix: drop from_logits when the model ends in softmax', () => {
  const text = 'model m {\n  input (4,)\n  Dense(10, activation=softmax)\n}\ntrain m {\n  dataset = mnist\n  loss = SparseCategoricalCrossentropy(from_logits=true)\n}';
  assert.match(fix(text, /Remove from_logits/), /loss = SparseCategoricalCrossentropy\(\)/);
});

test('quick fix: insert Flatten() where a rank error calls for it', () => {
  const text = 'model m {\n  input (4, 4, 2)\n  RepeatVector(3)\n}';
  const fixed = fix(text, /Insert Flatten/);
  assert.equal(fixed, 'model m {\n  input (4, 4, 2)\n  Flatten()\n  RepeatVector(3)\n}');
  assert.equal(analyzeText(fixed).diagnostics.filter((d) => d.severity === 'error').length, 0);
});

test('Keras code: a runnable functional definition with labels as variables', () => {
  const text = 'model tiny(width = 8) {\n  input (32, 32, 3)\n  stem = Conv2D(width, 3, padding=same, activation=relu)\n  Conv2D(width, 3, padding=same)\n  Add(stem)\n  GlobalAveragePooling2D()\n  Dense(10, activation=softmax)\n}';
  const analysis = analyzeText(text);
  const model = analysis.models[0];
  assert.ok(model);
  assert.equal(
    kerasCode(analysis, model),
    [
      'import keras',
      'from keras import layers',
      '',
      '',
      'def build_tiny():',
      '    inputs = keras.Input(shape=(32, 32, 3))',
      '    stem = layers.Conv2D(filters=8, kernel_size=(3, 3), padding="same", activation="relu", name="stem")(inputs)',
      '    x = layers.Conv2D(filters=8, kernel_size=(3, 3), padding="same")(stem)',
      '    x = layers.Add()([x, stem])',
      '    x = layers.GlobalAveragePooling2D()(x)',
      '    x = layers.Dense(units=10, activation="softmax")(x)',
      '    return keras.Model(inputs, x, name="tiny")',
      '',
      '',
      'model = build_tiny()',
      'model.summary()',
      '',
    ].join('\n'),
  );
});

test('quick fixes for Keras 2 arguments: rename lr, remove input_length, move input_shape to an input statement', () => {
  const training = 'model m {\n  input mnist\n  Flatten()\n  Dense(10, activation=softmax)\n}\ntrain m {\n  dataset = mnist\n  optimizer = SGD(lr=0.05, momentum=0.9)\n}\n';
  assert.equal(fix(training, /Rename `lr`/), training.replace('lr=', 'learning_rate='));
  assert.equal(fix('model m {\n  input (20,)\n  Embedding(100, 8, input_length=20)\n}\n', /Remove `input_length`/), 'model m {\n  input (20,)\n  Embedding(100, 8)\n}\n');
  const moved = fix('model m {\n  Conv2D(8, 3, input_shape=(28, 28, 1))\n  Flatten()\n}\n', /Move `input_shape`/);
  assert.equal(moved, 'model m {\n  input (28, 28, 1)\n  Conv2D(8, 3)\n  Flatten()\n}\n');
  assert.deepEqual(analyzeText(moved).diagnostics, []);
  assert.equal(fix('model m {\n  Flatten(batch_input_shape=(None, 4, 4))\n}\n', /Move `batch_input_shape`/), 'model m {\n  input (4, 4)\n  Flatten()\n}\n');
  assert.equal(fix('model m {\n  input (4,)\n  Dense(8, input_shape=(4,))\n}\n', /Remove `input_shape`/), 'model m {\n  input (4,)\n  Dense(8)\n}\n');
});
