import assert from 'node:assert/strict';
import { test } from 'node:test';
import { complete } from '../../language-server/src/features/completion.js';
import { signatureHelp } from '../../language-server/src/features/signature-help.js';
import { sliceOf, withCursor } from '../fixture.js';

function labels(marked: string): string[] {
  const { analysis, offset } = withCursor(marked);
  return complete(analysis, offset).items.map((i) => i.label);
}

test('layer names at the start of a statement, with required arguments as a snippet', () => {
  const { analysis, offset, text } = withCursor('model m {\n  input (28, 28, 1)\n  Con<|>\n}');
  const result = complete(analysis, offset);
  assert.equal(sliceOf(text, result.replace), 'Con');
  const conv = result.items.find((i) => i.label === 'Conv2D');
  assert.ok(conv);
  assert.equal(conv.insertText, 'Conv2D(${1:filters}, ${2:kernel_size})$0');
  assert.equal(conv.snippet, true);
  const labelsHere = result.items.map((i) => i.label);
  assert.ok(labelsHere.includes('input') && labelsHere.includes('repeat') && labelsHere.includes('from'));
});

test('argument names inside a layer call, without those already given', () => {
  const items = labels('model m {\n  input (28, 28, 1)\n  Conv2D(32, 3, padding=same, <|>)\n}');
  assert.ok(items.includes('activation='));
  assert.ok(items.includes('strides='));
  assert.ok(!items.includes('padding='));
});

test('enum values after name=', () => {
  assert.deepEqual(labels('model m {\n  input (28, 28, 1)\n  Conv2D(32, 3, padding=<|>)\n}'), ['valid', 'same']);
  assert.ok(labels('model m {\n  input (4,)\n  Dense(3, activation=re<|>)\n}').includes('relu'));
  assert.deepEqual(labels('model m {\n  input (4,)\n  Dense(3, use_bias=<|>)\n}'), ['true', 'false']);
});

test('labels after from and inside merges', () => {
  const text = 'model m {\n  input (4,)\n  a = Dense(4)\n  b = Dense(4)\n  from <|>\n}';
  assert.deepEqual(labels(text), ['a', 'b']);
  const merge = labels('model m {\n  input (4,)\n  skip = Dense(4)\n  Dense(4)\n  Add(<|>)\n}');
  assert.equal(merge[0], 'skip');
});

test('dataset names after input and in train blocks', () => {
  assert.deepEqual(labels('model m {\n  input <|>\n}'), ['mnist', 'fashion_mnist', 'cifar10']);
  const data = labels('model m { input (4,) }\ntrain m {\n  dataset = <|>\n}');
  assert.ok(data.includes('cifar10') && data.includes('images') && data.includes('idx'));
});

test('model names in train and tune headers and for variants', () => {
  const text = 'model small { input (4,) }\nmodel big { input (8,) }\ntrain <|>';
  assert.deepEqual(labels(text), ['small', 'big']);
  assert.deepEqual(labels('model small { input (4,) }\nmodel wide = <|>'), ['small']);
});

test('settings and their values in train blocks', () => {
  const settings = labels('model m { input (4,) }\ntrain m {\n  <|>\n}');
  assert.ok(settings.includes('epochs') && settings.includes('optimizer') && !settings.includes('search'));
  assert.ok(labels('model m { input (4,) }\ntune m {\n  <|>\n}').includes('search'));
  assert.ok(labels('model m { input (4,) }\ntrain m {\n  optimizer = <|>\n}').includes('SGD'));
  const sgd = labels('model m { input (4,) }\ntrain m {\n  optimizer = SGD(<|>)\n}');
  assert.deepEqual(sgd, ['learning_rate=', 'momentum=', 'nesterov=']);
});

test('top level offers the declarations', () => {
  assert.deepEqual(labels('<|>'), ['model', 'train', 'tune']);
});

test('signature help: Keras order and the active argument', () => {
  const { analysis, offset } = withCursor('model m {\n  input (28, 28, 1)\n  Conv2D(32, <|>\n}');
  const help = signatureHelp(analysis, offset);
  assert.ok(help);
  assert.ok(help.label.startsWith('Conv2D(filters, kernel_size, strides=(1, 1), padding=valid'), help.label);
  assert.equal(help.activeParameter, 1);
  const [start, end] = help.parameters[1]?.label ?? [0, 0];
  assert.equal(help.label.slice(start, end), 'kernel_size');
  const named = withCursor('model m {\n  input (28, 28, 1)\n  Conv2D(32, 3, activation=<|>)\n}');
  const namedHelp = signatureHelp(named.analysis, named.offset);
  assert.equal(namedHelp && namedHelp.parameters[namedHelp.activeParameter]?.label.length, 2);
  assert.ok(namedHelp && namedHelp.label.slice(...(namedHelp.parameters[namedHelp.activeParameter]?.label ?? [0, 0])).startsWith('activation'));
});

test('signature help is absent outside calls', () => {
  const { analysis, offset } = withCursor('model m {\n  <|>input (4,)\n}');
  assert.equal(signatureHelp(analysis, offset), undefined);
});
