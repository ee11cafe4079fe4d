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

/** The labels an editor shows first: those that start with what is typed, in sortText order (the label without one). */
function ordered(marked: string): string[] {
  const { analysis, offset, text } = withCursor(marked);
  const result = complete(analysis, offset);
  const typed = sliceOf(text, result.replace);
  return result.items
    .filter((i) => i.label.startsWith(typed))
    .sort((a, b) => ((a.sortText ?? a.label) < (b.sortText ?? b.label) ? -1 : (a.sortText ?? a.label) > (b.sortText ?? b.label) ? 1 : 0))
    .map((i) => i.label);
}

test('layers that take the current input come first: 2D convolutions after a 2D image, Conv1D after a sequence', () => {
  assert.deepEqual(ordered('model m {\n  input (28, 28, 1)\n  Conv<|>\n}'), ['Conv2D', 'Conv2DTranspose', 'Conv1D', 'Conv1DTranspose', 'Conv3D', 'Conv3DTranspose']);
  assert.deepEqual(ordered('model m {\n  input (100, 8)\n  Conv<|>\n}').slice(0, 2), ['Conv1D', 'Conv1DTranspose']);
  // Every rank-3 layer (DepthwiseConv2D, SeparableConv2D…) before Conv1D and Conv3D.
  const all = ordered('model m {\n  input (28, 28, 1)\n  <|>\n}');
  for (const fits of ['Conv2D', 'DepthwiseConv2D', 'SeparableConv2D', 'MaxPooling2D', 'Flatten', 'Dense']) assert.ok(all.indexOf(fits) < all.indexOf('Conv1D'), `${fits} before Conv1D`);
  assert.ok(all.indexOf('Conv3D') > all.indexOf('SeparableConv2D'));
});

test('the input is read where the cursor is: after Flatten, after a repeat block, after from', () => {
  const afterFlatten = ordered('model m {\n  input (28, 28, 1)\n  Flatten()\n  <|>\n}');
  assert.ok(afterFlatten.indexOf('Dense') < afterFlatten.indexOf('Conv2D'));
  const afterRepeat = ordered('model m {\n  input (100, 8)\n  repeat 2 {\n    Conv1D(4, 3)\n  }\n  x = Conv<|>\n}');
  assert.equal(afterRepeat[0], 'Conv1D');
  const afterFrom = ordered('model m {\n  input (28, 28, 1)\n  image = Conv2D(4, 3)\n  Flatten()\n  from image\n  Conv<|>\n}');
  assert.equal(afterFrom[0], 'Conv2D');
  // Unknown input (an error before): no order imposed.
  const unknown = withCursor('model m {\n  input (4,)\n  Conv2D(4, 3)\n  Conv<|>\n}');
  assert.ok(complete(unknown.analysis, unknown.offset).items.every((i) => i.sortText === undefined));
});

test('typing ( or , in a call leaves the arguments to signature help; letters, = and invoking still complete', () => {
  const at = (marked: string, trigger?: string) => {
    const { analysis, offset } = withCursor(marked);
    return { items: complete(analysis, offset, trigger).items.map((i) => i.label), help: signatureHelp(analysis, offset) };
  };
  const open = at('model m {\n  input (28, 28, 1)\n  Conv2D(<|>\n}', '(');
  assert.deepEqual(open.items, []);
  assert.ok(open.help, 'signature help shows instead');
  assert.deepEqual(at('model m {\n  input (28, 28, 1)\n  Conv2D(32,<|>)\n}', ',').items, []);
  assert.deepEqual(at('model m {\n  input (28, 28, 1)\n  Conv2D(32, <|>)\n}', ' ').items, []);
  assert.deepEqual(at('model m {\n  input (28, 28, 1)\n  TimeDistributed(<|>)\n}', '(').items, []);
  // Asked for (Ctrl+Space) or while typing a name: argument names and values, never layer names.
  const invoked = at('model m {\n  input (28, 28, 1)\n  Conv2D(32, <|>)\n}').items;
  assert.ok(invoked.includes('padding=') && !invoked.includes('Dense'));
  assert.ok(at('model m {\n  input (28, 28, 1)\n  Conv2D(32, 3, pa<|>)\n}').items.includes('padding='));
  assert.deepEqual(at('model m {\n  input (28, 28, 1)\n  Conv2D(32, 3, padding=<|>)\n}', '=').items, ['valid', 'same']);
  // Outside calls the trigger characters still complete.
  assert.deepEqual(at('model a { input (4,) }\nmodel b { input (4,) }\ntrain a,<|>', ',').items, ['a', 'b']);
  assert.ok(at('model m {\n  input <|>\n}', ' ').items.includes('mnist'));
});

test('inside a tuple argument: no layer names, and signature help still names the call and its argument', () => {
  for (const marked of ['model m {\n  input (28, 28, 1)\n  Conv2D(32, (3, <|>\n}', 'model m {\n  input (28, 28, 1)\n  Conv2D(32, kernel_size=(<|>\n}']) {
    const { analysis, offset } = withCursor(marked);
    const items = complete(analysis, offset).items.map((i) => i.label);
    assert.ok(!items.includes('Dense') && !items.includes('Conv2D'), items.join(', '));
    assert.deepEqual(complete(analysis, offset, '(').items, []);
    const help = signatureHelp(analysis, offset);
    assert.ok(help && help.label.startsWith('Conv2D('));
    assert.equal(help.label.slice(...(help.parameters[help.activeParameter]?.label ?? [0, 0])), 'kernel_size');
  }
  // An input shape offers the model's parameters, not layers; a searched list offers no settings.
  assert.deepEqual(labels('model m(size = 28) {\n  input (<|>\n}'), ['size']);
  assert.deepEqual(labels('model m(units = 3) { input (4,) }\ntune m {\n  units in [16, <|>\n}'), []);
});
