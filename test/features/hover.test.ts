import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hover } from '../../language-server/src/features/hover.js';
import { sliceOf, withCursor } from '../fixture.js';

function hoverText(marked: string): string {
  const { analysis, offset } = withCursor(marked);
  const result = hover(analysis, offset);
  assert.ok(result, 'expected a hover');
  return result.contents;
}

const cnn = (cursorLayer: string) => `model m {\n  input (28, 28, 1)\n  ${cursorLayer}\n  MaxPooling2D(2)\n  Flatten()\n  Dense(10, activation=softmax)\n}`;

test('a layer: Keras output shape, parameters with the formula in the user numbers, MACs, memory, receptive field', () => {
  const text = hoverText(cnn('Con<|>v2D(32, 3, activation=relu)'));
  assert.match(text, /\*\*Conv2D\*\* · `conv2d`/);
  assert.match(text, /Output shape:\*\* `\(None, 26, 26, 32\)`/);
  assert.match(text, /Parameters:\*\* 320 \(all trainable\)/);
  assert.match(text, /`\(3·3·1 \+ 1\)·32 = 320`/);
  // 26·26·9·32 = 194,688
  assert.match(text, /Multiply-adds:\*\* 194,688/);
  // 26·26·32·4 bytes = 86,528 B = 84.50 KB
  assert.match(text, /Activation memory:\*\* 84\.50 KB per sample/);
  assert.match(text, /Receptive field:\*\* 3×3/);
  assert.match(text, /slides `filters` learned kernels/);
});

test('BatchNormalization splits trainable and non-trainable', () => {
  const text = hoverText('model m {\n  input (8, 8, 16)\n  Batch<|>Normalization()\n}');
  assert.match(text, /Parameters:\*\* 64 \(32 trainable, 32 non-trainable\)/);
});

test('a layer inside repeat lists every repetition', () => {
  const text = hoverText('model m {\n  input (28, 28, 1)\n  repeat 2 {\n    Con<|>v2D(8, 3)\n  }\n}');
  assert.match(text, /Repeated 2 times/);
  assert.match(text, /\| 1\/2 \| `26×26×8` \| 80 \|/);
  // (3·3·8 + 1)·8 = 584
  assert.match(text, /\| 2\/2 \| `24×24×8` \| 584 \|/);
  assert.match(text, /Parameters in all repetitions:\*\* 664/);
});

test('a layer inside repeat gives the real count, also when an error stops the later repetitions', () => {
  // 28 → 26 → 13 → 11 → 5 → 3 → 1: repetition 4 of 5 fails, so only 3 repetitions have figures.
  const text = hoverText('model m {\n  input (28, 28, 1)\n  repeat 5 {\n    Con<|>v2D(32, 3, activation=relu)\n    MaxPooling2D(2)\n  }\n}');
  assert.match(text, /Repeated 5 times; only the first 3 could be analysed \(an error stops the rest\)/);
  assert.doesNotMatch(text, /Repeated 3 times/);
  assert.match(text, /\| 3\/5 \| `3×3×32` \| 9,248 \|/);
  // 320 + 9,248 + 9,248
  assert.match(text, /Parameters in the 3 analysed repetitions:\*\* 18,816/);
});

test('a layer in nested repeats is repeated the product of their counts', () => {
  const text = hoverText('model m {\n  input (4,)\n  repeat 2 {\n    repeat 3 { De<|>nse(4) }\n  }\n}');
  assert.match(text, /Repeated 6 times \(2 × 3\):/);
  assert.match(text, /Parameters in all repetitions:\*\* 120/);
});

test('an argument: meaning, type, default and allowed values', () => {
  const text = hoverText(cnn('Conv2D(32, 3, pad<|>ding=same)'));
  assert.match(text, /`padding` · default `valid`/);
  assert.match(text, /Allowed: `valid`, `same`/);
});

test('an aliased argument documents the Keras 3 name', () => {
  const text = hoverText('model m {\n  input (4,)\n  LeakyReLU(al<|>pha=0.1)\n}');
  assert.match(text, /`negative_slope` \(also `alpha`\) · default `0\.3`/);
});

test('a model name shows its totals first, then its layers as a markdown table (no code block to colour `#` as a comment)', () => {
  const text = hoverText(cnn('Conv2D(32, 3)').replace('model m', 'model m<|>y'));
  assert.match(text, /^\*\*my\*\*\n\n\*\*54,410 parameters\*\* · 54,410 trainable · 0 non-trainable/);
  assert.match(text, /\| Layer \(type\) \| Output shape \| Param # \|\n\| :-- \| :-- \| --: \|/);
  assert.match(text, /\| conv2d \(Conv2D\) \| `\(None, 26, 26, 32\)` \| 320 \|/);
  assert.ok(!text.includes('```'), 'no code block');
  assert.ok(text.indexOf('54,410 parameters') < text.indexOf('| Layer'), 'the totals come first');
});

test('a long model\'s hover is capped: the totals, 40 rows, and how many more', () => {
  const body = Array.from({ length: 1000 }, () => '  Dense(4)').join('\n');
  const text = hoverText(`model lo<|>ng {\n  input (4,)\n${body}\n}`);
  const rows = text.split('\n').filter((line) => line.startsWith('| dense'));
  assert.equal(rows.length, 40);
  assert.match(text, /\*\*20,000 parameters\*\* · 20,000 trainable/);
  assert.match(text, /… and 960 more layers: \*\*Layerlab: Show Model Summary\*\* opens the whole table\./);
});

test('a dataset name, an optimizer and a training setting', () => {
  assert.match(hoverText('model m {\n  input mn<|>ist\n  Flatten()\n}'), /\(None, 28, 28, 1\)`, 10 classes/);
  assert.match(hoverText('train m {\n  optimizer = Ad<|>am(learning_rate=1e-3)\n}'), /\*\*Adam\*\*\(learning_rate=0\.001/);
  assert.match(hoverText('train m {\n  ep<|>ochs = 3\n}'), /\*\*epochs\*\* · default 10/);
});

test('labels and parameters', () => {
  const { analysis, offset, text } = withCursor('model m(width = 8) {\n  input (4,)\n  skip = Dense(width)\n  Dense(8)\n  Add(sk<|>ip)\n}');
  const result = hover(analysis, offset);
  assert.ok(result);
  assert.equal(sliceOf(text, result.range), 'skip');
  assert.match(result.contents, /output of Dense: `\(None, 8\)`/);
  assert.match(hoverText('model m(width = 8) {\n  input (4,)\n  Dense(wid<|>th)\n}'), /parameter of `m` = `8`/);
});

test('nothing to say on whitespace or punctuation', () => {
  const { analysis, offset } = withCursor('model m {\n<|>\n  input (4,)\n}');
  assert.equal(hover(analysis, offset), undefined);
});

test('hover works on a half-typed file', () => {
  const text = hoverText('model m {\n  input (28, 28, 1)\n  Con<|>v2D(32, 3, activation=\n}');
  assert.match(text, /\*\*Conv2D\*\*/);
});

test('on the tune keyword: the size of the space and the parameter range of the tuned model, with its first invalid point', () => {
  const text = hoverText(`model net(units = 8, pools = 1) {
  input (8, 8, 1)
  repeat pools { MaxPooling2D(2) }
  Flatten()
  Dense(units)
}
tu<|>ne net {
  dataset = mnist
  units in [4, 16]
  pools in 1..4
}`);
  assert.match(text, /^\*\*tune\*\* — 2 searched parameters, 8 points/);
  // Smallest: 3 pools take 8 → 4 → 2 → 1, so Dense(4) sees 1 input: 1·4 + 4 = 8.
  // Largest: 1 pool leaves 4·4·1 = 16 inputs for Dense(16): 16·16 + 16 = 272. Four pools reach 0: invalid.
  assert.match(text, /`net`: 8 \(units=4, pools=3\) – 272 \(units=16, pools=1\) parameters \(8 points checked, 2 invalid\)/);
  assert.match(text, /invalid at units=4, pools=4: /);
});
