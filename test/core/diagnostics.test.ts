import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeText } from '../../language-server/src/analysis/analyze-file.js';
import type { Diagnostic } from '../../language-server/src/analysis/diagnostics.js';
import { diagnostic as toProtocol } from '../../language-server/src/lsp/to-proto.js';
import { trainingConfig } from '../../language-server/src/training/config.js';

/** Diagnostics with the text each one points at, for readable assertions. */
function diagnose(text: string): (Diagnostic & { at: string; line: number })[] {
  const analysis = analyzeText(text);
  return analysis.diagnostics.map((d) => ({ ...d, at: text.slice(d.range.start, d.range.end), line: analysis.lines.positionAt(d.range.start).line + 1 }));
}

function evaluated(text: string) {
  return analyzeText(text).models.find((m) => m.name === 'm')?.evaluated;
}

function only(text: string, code: Diagnostic['code']): Diagnostic & { at: string; line: number } {
  const found = diagnose(text).filter((d) => d.code === code);
  assert.equal(found.length, 1, `expected one ${code} diagnostic, got ${JSON.stringify(diagnose(text), null, 1)}`);
  const first = found[0];
  assert.ok(first);
  return first;
}

test('a clean model has no diagnostics', () => {
  assert.deepEqual(diagnose('model m {\n input (28, 28, 1)\n Conv2D(8, 3)\n Flatten()\n Dense(10, activation=softmax)\n}\ntrain m { dataset = mnist }'), []);
});

test('unknown layer: did-you-mean, also across case', () => {
  const d = only('model m { input (8, 8, 1)\n Conv2d(4, 3) }', 'unknown-layer');
  assert.equal(d.at, 'Conv2d');
  assert.match(d.message, /did you mean `Conv2D`/);
  assert.deepEqual(d.replacements?.[0], 'Conv2D');
});

test('unknown argument: did-you-mean on the argument name', () => {
  const d = only('model m { input (4,)\n Dense(3, activaton=relu) }', 'unknown-argument');
  assert.equal(d.at, 'activaton');
  assert.match(d.message, /did you mean `activation`/);
});

test('wrong value types name the argument and what it needs', () => {
  const d = only("model m { input (4,)\n Dense('ten') }", 'argument-type');
  assert.match(d.message, /`units` must be a positive integer, got the string 'ten'/);
  const pad = only('model m { input (8, 8, 1)\n Conv2D(4, 3, padding=sme) }', 'argument-type');
  assert.match(pad.message, /did you mean `same`/);
  assert.equal(pad.at, 'sme');
});

test('an undefined parameter used as a number suggests the parameter', () => {
  const d = diagnose('model m(filters = 8) { input (8, 8, 1)\n Conv2D(filtres, 3) }').find((x) => x.code === 'argument-type');
  assert.ok(d);
  assert.match(d.message, /`filtres` is not a model parameter; did you mean `filters`/);
});

test('a spatial size that reaches zero is an error on that layer, with the sizes along the way', () => {
  const d = only('model m {\n input (5, 5, 1)\n Conv2D(4, 3)\n MaxPooling2D(2)\n Conv2D(4, 3)\n}', 'spatial-too-small');
  assert.equal(d.line, 5);
  assert.match(d.message, /input is 1×1, smaller than the 3×3 kernel/);
  assert.match(d.message, /5 → 3 → 1/);
});

test('inside repeat, the error names the repetition', () => {
  const text = 'model m {\n input (28, 28, 1)\n repeat 5 {\n  Conv2D(32, 3, activation=relu)\n  MaxPooling2D(2)\n }\n Flatten()\n}';
  const d = only(text, 'spatial-too-small');
  assert.equal(d.line, 4);
  assert.match(d.message, /repetition 4 of 5/);
  assert.match(d.message, /28 → 26 → 13 → 11 → 5 → 3 → 1/);
});

test('merging tensors of different shapes is an error at the merge', () => {
  const d = only('model m {\n input (8, 8, 3)\n a = Conv2D(4, 3, padding=same)\n Conv2D(4, 3)\n Add(a)\n}', 'merge');
  assert.equal(d.line, 5);
  assert.match(d.message, /incompatible shapes \(6, 6, 4\) and \(8, 8, 4\)/);
});

test('a rank a layer cannot take is reported, and RepeatVector after a conv suggests Flatten', () => {
  const conv = only('model m {\n input (28, 28, 1)\n Flatten()\n Conv2D(4, 3)\n}', 'rank');
  assert.match(conv.message, /Conv2D expects an input of rank 3 \(height, width, channels\).*gets \(784,\)/);
  const repeat = only('model m {\n input (4, 4, 2)\n RepeatVector(3)\n}', 'rank');
  assert.match(repeat.message, /insert `Flatten\(\)`/);
  assert.deepEqual(repeat.replacements, ['Flatten()']);
});

test('the output width must match the class count of the dataset it trains on', () => {
  const text = 'model m {\n input (28, 28, 1)\n Flatten()\n Dense(12, activation=softmax)\n}\ntrain m { dataset = fashion_mnist }';
  const d = only(text, 'output-width');
  // A warning, as the specification's examples have it; the trainer refuses the model before it starts.
  assert.equal(d.severity, 'warning');
  assert.equal(d.line, 4);
  assert.match(d.message, /12 units but dataset fashion_mnist has 10 classes/);
});

test('softmax output trained with from_logits=true warns on the loss', () => {
  const text = 'model m {\n input (4,)\n Dense(10, activation=softmax)\n}\ntrain m {\n dataset = mnist\n loss = SparseCategoricalCrossentropy(from_logits=true)\n}';
  const d = only(text, 'from-logits');
  assert.equal(d.line, 7);
  assert.equal(d.severity, 'warning');
});

test('a linear output with a probability loss warns on the last layer', () => {
  const d = only('model m {\n input mnist\n Flatten()\n Dense(10)\n}\ntrain m { dataset = mnist }', 'logits-without-softmax');
  assert.equal(d.line, 4);
});

test('a label is a layer name, as `name=` is in Keras: an unused one is no warning', () => {
  assert.deepEqual(diagnose('model m {\n input (4,)\n spare = Dense(4)\n Dense(2)\n}'), []);
  assert.deepEqual(diagnose('model m {\n input (4,)\n skip = Dense(4)\n Dense(4)\n Add(skip)\n}'), []);
  const model = evaluated('model m {\n input (4,)\n conv1 = Dense(4)\n Dense(2)\n}');
  assert.deepEqual(model?.layers.map((l) => l.name), ['conv1', 'dense']);
});

test('Keras 2 `lr=` on an optimizer: a deprecation warning, read as the learning rate', () => {
  const d = only('model m {\n input mnist\n Flatten()\n Dense(10, activation=softmax)\n}\ntrain m { dataset = mnist\n optimizer = SGD(lr=0.05) }', 'deprecated');
  assert.equal(d.severity, 'warning');
  assert.equal(d.at, 'lr');
  assert.equal(d.deprecated, true);
  // Editors strike it through.
  const analysis = analyzeText('model m {\n input (4,)\n Dense(8, input_shape=(4,))\n}');
  assert.deepEqual(analysis.diagnostics.map((x) => toProtocol(analysis, x).tags), [[2]]);
  assert.match(d.message, /`lr` is the Keras 2 name of `learning_rate`/);
  const settings = analyzeText('model m {\n input mnist\n Flatten()\n Dense(10, activation=softmax)\n}\ntrain m { dataset = mnist\n optimizer = SGD(lr=0.05) }').trainings[0]?.settings;
  assert.ok(settings);
  assert.equal(trainingConfig(settings, undefined).optimizer.args['learning_rate'], 0.05);
  const both = only('model m {\n input mnist\n Flatten()\n Dense(10, activation=softmax)\n}\ntrain m { dataset = mnist\n optimizer = Adam(lr=0.05, learning_rate=0.01) }', 'duplicate-argument');
  assert.equal(both.at, 'lr');
  const wrong = only('model m {\n input mnist\n Flatten()\n Dense(10, activation=softmax)\n}\ntrain m { dataset = mnist\n optimizer = Adam(lr=true) }', 'setting-type');
  assert.match(wrong.message, /`learning_rate` must be a number/);
});

test('Keras 2 `input_length=` on Embedding: accepted and ignored with a warning that says when it contradicts the input', () => {
  const ok = only('model m {\n input (20,)\n Embedding(100, 8, input_length=20)\n}', 'deprecated');
  assert.equal(ok.at, 'input_length');
  assert.doesNotMatch(ok.message, /says/);
  const wrong = only('model m {\n input (20,)\n Embedding(100, 8, input_length=10)\n}', 'deprecated');
  assert.match(wrong.message, /it says 10, but the input's length is 20/);
  assert.deepEqual(evaluated('model m {\n input (20,)\n Embedding(100, 8, input_length=10)\n}')?.layers[0]?.outputShape, [20, 8]);
  // Only Embedding took it in Keras 2.
  only('model m {\n input (20,)\n Dense(8, input_length=20)\n}', 'unknown-argument');
});

test('Keras 2 `input_shape=` / `batch_input_shape=`: the input of a model without one, else checked against it', () => {
  const text = 'model m {\n Conv2D(8, 3, input_shape=(28, 28, 1))\n Flatten()\n}';
  const d = only(text, 'deprecated');
  assert.equal(d.at, 'input_shape');
  assert.deepEqual(d.replacements, ['input (28, 28, 1)']);
  const model = evaluated(text);
  assert.deepEqual(model?.input?.shape, [28, 28, 1]);
  assert.deepEqual(model?.output?.outputShape, [26 * 26 * 8]);
  assert.equal(diagnose(text).filter((x) => x.severity === 'error').length, 0);
  const batch = evaluated('model m {\n Dense(8, batch_input_shape=(None, 4))\n}');
  assert.deepEqual(batch?.input?.shape, [4]);
  const agrees = only('model m {\n input (4,)\n Dense(8, input_shape=(4,))\n}', 'deprecated');
  assert.match(agrees.message, /the `input` statement already gives it; remove it/);
  const disagrees = only('model m {\n input (4,)\n Dense(8, input_shape=(5,))\n}', 'input');
  assert.equal(disagrees.severity, 'error');
  assert.match(disagrees.message, /`input_shape` says the input is \(5,\), but the model input is \(4,\)/);
  only('model m {\n Dense(8, input_shape=(4, 0))\n}', 'argument-type');
  // Keras 3 ignores it on a later layer; a `repeat` of the first layer reports once.
  const later = only('model m {\n input (4,)\n Dense(8)\n Dense(2, input_shape=(5,))\n}', 'deprecated');
  assert.match(later.message, /ignores it on a layer that does not take the model input/);
  const repeated = diagnose('model m {\n repeat 3 { Dense(4, input_shape=(4,)) }\n}');
  assert.deepEqual(repeated.map((x) => [x.severity, x.code, x.at]), [['warning', 'deprecated', 'input_shape']]);
  assert.deepEqual(evaluated('model m {\n repeat 3 { Dense(4, input_shape=(4,)) }\n}')?.totals.params, 3 * 20);
});

test('from an unknown label, and output dropped by from', () => {
  const unknown = only('model m {\n input (4,)\n a = Dense(4)\n from b\n}', 'label');
  assert.match(unknown.message, /no earlier layer is labelled `b`/);
  const dropped = only('model m {\n input (4,)\n a = Dense(4)\n Dense(3)\n from a\n Dense(2)\n}', 'discarded-output');
  assert.equal(dropped.line, 5);
});

test('layers before the input, and a second input', () => {
  assert.match(only('model m {\n Dense(4)\n}', 'input').message, /start the model with `input/);
  // Several inputs are allowed, each labelled: each unlabelled one is an error that offers a label.
  const unlabelled = diagnose('model m {\n input (4,)\n input (5,)\n Dense(1)\n}').filter((d) => d.code === 'input');
  assert.deepEqual(
    unlabelled.map((d) => [d.line, d.message, d.replacements]),
    [
      [2, 'this model has 2 inputs, so each needs a label to be named by: write `input_1 = input ...`', ['input_1 = input']],
      [3, 'this model has 2 inputs, so each needs a label to be named by: write `input_2 = input ...`', ['input_2 = input']],
    ],
  );
});

test('unknown dataset in input and in train, with suggestions', () => {
  assert.match(only('model m {\n input mnst\n Flatten()\n}', 'input').message, /did you mean `mnist`/);
  assert.match(only('model m { input mnist\n Flatten()\n Dense(10, activation=softmax) }\ntrain m { dataset = cifar100 }', 'setting-type').message, /did you mean `cifar10`/);
});

test('train blocks: unknown model, unknown setting, wrong setting types, optimizer arguments', () => {
  const text = 'model net { input (4,)\n Dense(10, activation=softmax) }\ntrain nett {\n epochs = 0\n bach_size = 3\n optimizer = Adamm()\n}\ntrain net { optimizer = SGD(momentun=0.9) }';
  const diagnostics = diagnose(text);
  const messages = diagnostics.map((d) => d.message).join('\n');
  assert.match(messages, /no model named `nett`; did you mean `net`/);
  assert.match(messages, /`epochs` must be at least 1/);
  assert.match(messages, /unknown setting `bach_size`; did you mean `batch_size`/);
  assert.match(messages, /unknown optimizer `Adamm`; did you mean `Adam`/);
  assert.match(messages, /SGD has no argument `momentun`; did you mean `momentum`/);
});

test('a model whose input does not fit the dataset', () => {
  const d = only('model m {\n input (32, 32, 3)\n Flatten()\n Dense(10, activation=softmax)\n}\ntrain m { dataset = mnist }', 'dataset-shape');
  assert.match(d.message, /takes input \(32, 32, 3\), but mnist yields images of \(28, 28, 1\)/);
  // (28, 28) is MNIST without the channel axis: accepted.
  assert.deepEqual(diagnose('model m {\n input (28, 28)\n Flatten()\n Dense(10, activation=softmax)\n}\ntrain m { dataset = mnist }'), []);
});

test('variants: unknown base, unknown parameter, and errors only the variant causes', () => {
  const text = 'model base(k = 3) {\n input (8, 8, 1)\n Conv2D(2, k)\n}\nmodel big = base(k = 9)\nmodel typo = base(kk = 2)\nmodel ghost = bsae()';
  const diagnostics = diagnose(text);
  const big = diagnostics.find((d) => d.at === 'big');
  assert.ok(big, JSON.stringify(diagnostics));
  assert.match(big.message, /with k = 9, line 3 of `base` fails: .*8×8, smaller than the 9×9 kernel/);
  assert.ok(diagnostics.some((d) => d.at === 'kk' && /has no parameter `kk`/.test(d.message)));
  assert.ok(diagnostics.some((d) => d.at === 'bsae' && /did you mean `base`/.test(d.message)));
});

test('a variant cycle is reported, not looped', () => {
  const diagnostics = diagnose('model a = b()\nmodel b = a()');
  assert.ok(diagnostics.some((d) => /variant of itself/.test(d.message)));
});

test('tune blocks: searched names must be model parameters or settings; ranges must be sane', () => {
  const text = 'model m(units = 8) { input (4,)\n Dense(units)\n Dense(10, activation=softmax) }\ntune m {\n unit in 1..4\n units in 5..2\n learning_rate in 0..1 log\n}';
  const messages = diagnose(text).map((d) => d.message).join('\n');
  assert.match(messages, /`unit` is neither a parameter of the model nor a training setting; did you mean `units`/);
  assert.match(messages, /the range 5..2 is empty/);
  assert.match(messages, /a `log` range must start above 0/);
});

test('a search space with invalid points warns with an example point', () => {
  const text = 'model m(depth = 1) {\n input (8, 8, 1)\n repeat depth { Conv2D(2, 3) }\n Flatten()\n Dense(10, activation=softmax)\n}\ntune m {\n dataset = mnist\n depth in 1..5\n}';
  const analysis = analyzeText(text.replace('input (8, 8, 1)', 'input (28, 28, 1)'));
  assert.ok(!analysis.diagnostics.some((d) => d.code === 'search-space'));
  const small = diagnose(text);
  const warning = small.find((d) => d.code === 'search-space');
  assert.ok(warning, JSON.stringify(small));
  assert.match(warning.message, /2 of 5 points checked give an invalid `m`; e.g. at depth = 4/);
});

test('repeat and if need the right kinds of values', () => {
  assert.match(only('model m(n = 1.5) { input (4,)\n repeat n { Dense(2) } }', 'argument-type').message, /whole number of repetitions/);
  assert.match(only('model m(flag = 3) { input (4,)\n if flag { Dense(2) } }', 'argument-type').message, /`if` needs a boolean/);
});

test('duplicate models, labels and arguments', () => {
  assert.match(only('model m { input (1,) }\nmodel m { input (2,) }', 'model').message, /already declared on line 1/);
  assert.match(only('model m { input (4,)\n a = Dense(2)\n a = Dense(2)\n Add(a) }', 'label').message, /already defined/);
  assert.match(only('model m { input (4,)\n Dense(2, units=3) }', 'duplicate-argument').message, /`units` is given twice/);
});

test('a model trained on a data set must give one value per class: an output of another rank is an error on the block, with its fix', () => {
  const errors = (body: string, block = 'train') =>
    analyzeText(`model m {\n  input mnist\n${body}\n}\n${block} m {\n  dataset = mnist\n${block === 'tune' ? '  epochs in [1, 2]\n' : ''}}\n`)
      .diagnostics.filter((d) => d.severity === 'error')
      .map((d) => `${d.code}: ${d.message}`);
  assert.deepEqual(errors('  Dense(10, activation=softmax)'), [
    'output-rank: `m` outputs (28, 28, 10) per image, but mnist has one label per image (labels of shape (None,) in Keras), so the output must be (10,), one value per class; insert Flatten() (or GlobalAveragePooling2D()) before the Dense on line 3, which gets the feature map (28, 28, 1)',
  ]);
  // No Dense on a feature map to put Flatten() before: the fix in general words.
  assert.match(errors('  Flatten()\n  Dense(10)\n  Reshape((2, 5))', 'tune').join('\n'), /output-rank: `m` outputs \(2, 5\) per image, .*; end the model with Flatten\(\) \(or a global pooling layer\) and Dense\(10, activation=softmax\)$/);
  assert.deepEqual(errors('  Flatten()\n  Dense(10, activation=softmax)'), []);
  // A model that no block trains may end as it likes.
  assert.deepEqual(analyzeText('model m {\n  input mnist\n  Dense(10)\n}\n').diagnostics.filter((d) => d.code === 'output-rank'), []);
});

test('the code travels with the layer\'s error, not read from its message', () => {
  const code = (body: string): string[] => diagnose(`model m {\n${body}\n}`).filter((d) => d.severity === 'error').map((d) => d.code);
  // A kernel or pool that no longer fits: spatial-too-small, also from inside a wrapper.
  assert.deepEqual(code(' input (2, 2, 1)\n Conv2D(4, 3)'), ['spatial-too-small']);
  assert.deepEqual(code(' input (2, 2, 1)\n MaxPooling2D(3)'), ['spatial-too-small']);
  assert.deepEqual(code(' input (4, 2, 2, 1)\n TimeDistributed(Conv2D(4, 3))'), ['spatial-too-small']);
  // "must be smaller than the stride" is an argument's shape problem, not a spatial size that reached zero.
  assert.deepEqual(code(' input (7, 7, 8)\n Conv2DTranspose(16, 3, strides=2, output_padding=2)'), ['shape']);
  // Other layer errors: shape, or merge on a merge layer.
  assert.deepEqual(code(' input (6, 4)\n Reshape((5, 5))'), ['shape']);
  assert.deepEqual(code(' input (8, 8, 3)\n a = Conv2D(4, 3, padding=same)\n Conv2D(4, 3)\n Add(a)'), ['merge']);
});
