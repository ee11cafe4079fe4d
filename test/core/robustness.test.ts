/**
 * Robustness of `analyzeText`: whatever the user has typed (half a file, a paste
 * of binary junk, a typo that unbalances every bracket), analysis must return
 * diagnostics with sane ranges and messages and never throw.
 *
 * The fuzz loop is deterministic: input `i` is generated from its own seed
 * (`seedOf(i)`), from the sources embedded below plus `examples/*.model`.
 * Reproduce one input with `LAYERLAB_FUZZ_INDEX=<i> node --test out/test/core/robustness.test.js`
 * (it prints the input); change the number of inputs with `LAYERLAB_FUZZ_COUNT=<n>`, the number of distinct
 * failures listed with `LAYERLAB_FUZZ_GROUPS=<n>`; `LAYERLAB_FUZZ_PROFILE=1` prints where the time goes.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { analyzeText, MAX_ANALYSED_LENGTH, type FileAnalysis } from '../../language-server/src/analysis/analyze-file.js';
import { builtInDatasets } from '../../language-server/src/catalog/datasets.js';
import { layerCatalog } from '../../language-server/src/catalog/layers.js';
import { losses, optimizers, trainSettings } from '../../language-server/src/catalog/training.js';
import type { ArgSpec, LayerSpec } from '../../language-server/src/catalog/types.js';
import { seededRandom } from '../../language-server/src/common/random.js';

const root = join(fileURLToPath(import.meta.url), '../../../..');

// ---------------------------------------------------------------------------
// Deterministic randomness

const mulberry32 = seededRandom;

class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  /** Integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
  /** Picks by weight: `[[weight, value], ...]`. */
  weighted<T>(choices: readonly (readonly [number, T])[]): T {
    const total = choices.reduce((s, [w]) => s + w, 0);
    let x = this.next() * total;
    for (const [w, v] of choices) {
      x -= w;
      if (x < 0) return v;
    }
    const last = choices[choices.length - 1];
    if (!last) throw new Error('weighted pick from an empty list');
    return last[1];
  }
}

const baseSeed = 0x1a7e_2024;
/** Each input has its own seed, so any one of them can be regenerated alone. */
function seedOf(index: number): number {
  return (baseSeed + Math.imul(index + 1, 0x9e3779b9)) >>> 0;
}

// ---------------------------------------------------------------------------
// Sources to mutate: embedded (so the test does not depend on ../shared) plus examples/*.model

const embeddedSources: readonly string[] = [
  `# A small residual network: labels, merges and branches.

model tiny_resnet(width = 32) {
  input cifar10
  stem = Conv2D(width, 3, padding=same, activation=relu)

  Conv2D(width, 3, padding=same, activation=relu)
  Conv2D(width, 3, padding=same)
  Add(stem)
  block1 = Activation(relu)

  Conv2D(2 * width, 3, strides=2, padding=same, activation=relu)
  Conv2D(2 * width, 3, padding=same)
  main = BatchNormalization()
  from block1
  Conv2D(2 * width, 1, strides=2)
  Add(main)
  Activation(relu)

  GlobalAveragePooling2D()
  Dense(10, activation=softmax)
}

train tiny_resnet {
  dataset = cifar10
  epochs  = 10
}
`,
  `# MNIST with dense layers only: search depth, width, activation slope,
# batch normalisation and dropout with Hyperband, then train the winner.
# (A smaller space than the shared example's: every point is analysed, and the fuzz loop must stay fast.)

model tunable_mlp(depth = 2, units = 208, slope = 0.4, bn = true, dropout = 0.3) {
  input mnist
  Flatten()
  repeat depth {
    if bn { BatchNormalization() }
    Dense(units)
    LeakyReLU(slope)
    Dropout(dropout)
  }
  Dense(10, activation=softmax)
}

tune tunable_mlp {
  dataset    = mnist
  depth      in 2..3
  units      in 16..512 step 248
  slope      in 0.0..1.0 step 0.5
  bn         in [true, false]
  dropout    in 0.0..0.5 log
  search     = Hyperband(max_epochs=30, factor=3, iterations=3)
  objective  = val_loss
  batch_size = 128
  early_stopping = EarlyStopping(monitor=val_loss, patience=3)
}

train tunable_mlp {
  dataset    = mnist
  epochs     = 100
  batch_size = 128
  validation = 0.1
  early_stopping = EarlyStopping(monitor=val_loss, patience=10, restore_best_weights=true)
}
`,
  `# Mistakes from real homework notebooks, each caught before training.

model output_too_wide {
  input cifar10
  Conv2D(32, 3, activation=relu)
  Flatten()
  Dense(128, activation=relu)
  Dense(128, activation=softmax)     # 128 outputs for a 10-class dataset
}

model pooled_to_nothing {
  input (28, 28, 1)
  repeat 5 {
    Conv2D(32, 3, activation=relu)
    MaxPooling2D(2)                  # the feature map shrinks below 1x1
  }
  Flatten()
  Dense(10, activation=softmax)
}

train output_too_wide {
  dataset = cifar10
  loss    = SparseCategoricalCrossentropy(from_logits=true)   # but the output is softmax
}
`,
  `# CIFAR-10: a baseline and the architecture changes tried against it.

model cifar_baseline(filters = 32, units = 128) {
  input cifar10
  Conv2D(filters, (3, 3), activation=relu)
  Flatten()
  Dense(units, activation=relu)
  Dense(10, activation=softmax)
}

model cifar_48_filters = cifar_baseline(filters = 48)
model cifar_64_wide = cifar_48_filters(units = 256)

model cifar_four_convs {
  input cifar10
  repeat 4 { Conv2D(32, 3, activation=relu) }
  Flatten()
  Dense(128, activation=relu)
  Dense(10, activation=softmax)
}

train cifar_baseline, cifar_48_filters, cifar_four_convs {
  dataset    = cifar10
  epochs     = 5
  batch_size = 32
  optimizer  = Adam()
  augment    = Augment(rotation=10, width_shift=0.1, height_shift=0.1, zoom=0.2, horizontal_flip=true)
  validation = test
}
`,
  `model seq(units = 64, bidi = true) {
  tokens = input (None, 20)
  Embedding(input_dim=1000, output_dim=units)
  if bidi { Bidirectional(LSTM(units, return_sequences=true)) }
  TimeDistributed(Dense(8))
  GRU(units // 2)
  Reshape((4, -1))
  Permute((2, 1))
  Flatten()
  Dense(1, activation=sigmoid)
}

model seq_small = seq(32, bidi = false)

model images {
  input (64, 64, 3)
  ZeroPadding2D(((1, 2), (3, 4)))
  Cropping2D(1)
  SeparableConv2D(16, (3, 3), dilation_rate=2)
  DepthwiseConv2D(3, strides=(2, 2), padding='same')
  AveragePooling2D(pool_size=2)
  UpSampling2D(2)
  GlobalMaxPooling2D()
  Dense(10, activation='softmax')
}

train seq, seq_small { dataset = images("data/reviews", size=(64, 64)), loss = BinaryCrossentropy(), metrics = [accuracy] }
tune images { learning_rate in 1e-4..1e-2 log, optimizer = SGD(momentum=0.9, nesterov=true), search = RandomSearch(trials=5) }
`,
];

function exampleSources(): string[] {
  const dir = join(root, 'examples');
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.model'))
      .sort()
      .map((f) => readFileSync(join(dir, f), 'utf8'));
  } catch {
    return [];
  }
}

const sources: readonly string[] = [...embeddedSources, ...exampleSources()];

// ---------------------------------------------------------------------------
// Vocabulary

const layerSpecs: readonly LayerSpec[] = [...layerCatalog.values()];
const layerNames: readonly string[] = [...layerCatalog.keys()];
const argNames: readonly string[] = [...new Set(layerSpecs.flatMap((s) => s.args.map((a) => a.name)))];
const datasetNames: readonly string[] = [...builtInDatasets.keys()];
const keywords = ['model', 'input', 'from', 'repeat', 'if', 'train', 'tune', 'in', 'step', 'log', 'true', 'false', 'True', 'False', 'none', 'None'];
const punctuation = ['(', ')', '{', '}', '[', ']', '=', '..', ',', '+', '-', '*', '/', '//', '.'];
const trickyNames = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype', 'valueOf', 'length', 'then', '_', '__', 'a', 'x1', 'inputs', 'from_', 'modelx', 'repeat_', 'iff', 'input_dim', 'stepper', 'logits'];
const interestingNumbers = [
  '0', '1', '2', '3', '-1', '-0', '0.5', '-0.5', '1.5', '0.1', '1e9', '1e300', '1e309', '-1e300', '1e-300', '1e-9', '9007199254740993',
  // Not 10000: a repeat count at the limit is analysed in full, and in a search space many times over; slow by design.
  '4294967296', '65536', '1000', '10001', '100000000', '1e6', '00', '007', '.5', '2.', '1e', '1e+', '0x10', '1_000', '28', '32', '128',
];
const numberTexts = interestingNumbers.filter((n) => /^-?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(n));
const snippets = [
  'model', 'repeat', 'if', 'from', 'input', 'train', 'tune', '(', ')', '{', '}', '=', '..', ',', '[', ']', '#', "'", '"',
  'repeat 100000000 {', 'repeat 1e300 {', 'repeat -1 { Dense(1) }', 'repeat 2.5 { Flatten() }', 'repeat 0 {}', 'if 1 {', 'if true { Dense(3) }',
  'model x = ', 'model x { input mnist }', 'model m = m()', 'Dense(', 'Dense(1)', 'Add(', 'Add()', 'Add(x, x)', 'Concatenate(axis=-5)', 'x = ', 'from x',
  'input (28, 28, 1)', 'input (None,)', 'input ()', 'input (0,)', 'input mnist', 'input 1e300', 'Flatten()', 'Reshape((-1,))', 'Dropout(1)',
  'Conv2D(1e9, 1e9)', 'MaxPooling2D(1e300)', 'Dense(1e300)', 'Dense(1 / 0)', 'Dense(0 // 0)', 'Dense(-1)', 'Bidirectional(Dense(2))', 'TimeDistributed(Add(x))',
  'train m { dataset = mnist }', 'tune m { x in 1..1e300 step 1e-300 }', 'tune m { x in [] }', 'units in 1..0', 'learning_rate in 0..1 log',
  '\r\n', '\n', '\r', '\t', ' ', '\u00a0', '\ufeff', '\u2028', '\u0000', '\ud800', '\udfff', '😀', 'é', 'λ', '中文',
];
const unicodeChars = ['\u0000', '\u0001', '\u0007', '\u001b', '\u007f', '\u0085', '\u00a0', '\u00e9', 'e\u0301', '\u03bb', '\u2028', '\u2029', '\u200b', '\ufeff', '\ufffd', '\ud800', '\udc00', '\ud83d\ude00', '\u4e2d', '\r', '\n', '\r\n', '\t', '\f', '\v', '\\', '`', '$', '@', '!', '?', ';', ':', '%', '^', '&', '|', '~', '<', '>'];

function randomIdentifier(r: Rng): string {
  return r.weighted<() => string>([
    [3, () => r.pick(layerNames)],
    [2, () => r.pick(argNames)],
    [1, () => r.pick(datasetNames)],
    [1, () => r.pick(keywords)],
    [1, () => r.pick(trickyNames)],
    [1, () => r.pick(['relu', 'softmax', 'sigmoid', 'same', 'valid', 'causal', 'glorot_uniform', 'val_loss', 'accuracy', 'test'])],
    [2, () => {
      const first = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_';
      const rest = first + '0123456789';
      let s = first[r.int(0, first.length - 1)] ?? 'a';
      const n = r.int(0, 12);
      for (let i = 0; i < n; i++) s += rest[r.int(0, rest.length - 1)] ?? '_';
      return s;
    }],
    [1, () => {
      // A near miss of a real name, for did-you-mean.
      const name = r.pick(layerNames);
      const i = r.int(0, name.length - 1);
      return r.chance(0.5) ? name.slice(0, i) + name.slice(i + 1) || 'D' : name.slice(0, i) + 'x' + name.slice(i);
    }],
    [0.2, () => 'w'.repeat(r.int(64, 400))],
  ])();
}

function randomToken(r: Rng): string {
  return r.weighted<() => string>([
    [4, () => randomIdentifier(r)],
    [3, () => r.pick(punctuation)],
    [2, () => r.pick(interestingNumbers)],
    [2, () => r.pick(keywords)],
    [1, () => r.pick(["'same'", '"relu"', "'", '"', "''", "'unterminated", '# comment', '#', "'a\nb'"])],
    [1, () => r.pick(['\n', '\r\n', '\r', '\t', ' '])],
  ])();
}

// ---------------------------------------------------------------------------
// Mutations of existing text

const tokenPattern = /\s+|#[^\r\n]*|[A-Za-z_][A-Za-z0-9_]*|(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?|\.\.|\/\/|'[^'\r\n]*'|"[^"\r\n]*"|[\s\S]/g;

function tokenize(text: string): string[] {
  return text.match(tokenPattern) ?? [];
}

/** Indices of the tokens that are not whitespace. */
function solidIndices(tokens: readonly string[]): number[] {
  const result: number[] = [];
  tokens.forEach((t, i) => {
    if (!/^\s+$/.test(t)) result.push(i);
  });
  return result;
}

function isIdentifier(t: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(t);
}

function isNumber(t: string): boolean {
  return /^(?:\d|\.\d)/.test(t);
}

function mutateTokens(r: Rng, text: string, operations: number): string {
  const tokens = tokenize(text);
  for (let op = 0; op < operations; op++) {
    const solid = solidIndices(tokens);
    if (solid.length === 0) {
      tokens.push(randomToken(r));
      continue;
    }
    const i = r.pick(solid);
    const t = tokens[i] ?? '';
    const sep = () => r.pick([' ', '', '\n', ' ']);
    r.weighted<() => void>([
      [3, () => tokens.splice(i, 1)],
      [2, () => tokens.splice(i, 0, t, sep())],
      [2, () => {
        const j = r.pick(solid);
        tokens[i] = tokens[j] ?? '';
        tokens[j] = t;
      }],
      [1, () => {
        // Swap with the next solid token.
        const k = solid.indexOf(i);
        const j = solid[k + 1];
        if (j === undefined) return;
        tokens[i] = tokens[j] ?? '';
        tokens[j] = t;
      }],
      [3, () => tokens.splice(i, 0, r.pick(snippets), sep())],
      [2, () => tokens.splice(i, 0, randomToken(r), sep())],
      [3, () => {
        const ids = solid.filter((k) => isIdentifier(tokens[k] ?? ''));
        if (ids.length > 0) tokens[r.pick(ids)] = randomIdentifier(r);
      }],
      [3, () => {
        const numbers = solid.filter((k) => isNumber(tokens[k] ?? ''));
        if (numbers.length > 0) tokens[r.pick(numbers)] = r.pick(interestingNumbers);
      }],
      [1, () => {
        // Replace a value with an arithmetic expression or a nested structure.
        const values = solid.filter((k) => isNumber(tokens[k] ?? '') || isIdentifier(tokens[k] ?? ''));
        if (values.length > 0) tokens[r.pick(values)] = randomExpression(r, ['units', 'filters', 'width', 'depth', 'x'], 2);
      }],
      [1, () => {
        // Delete a run of tokens.
        const k = solid.indexOf(i);
        const end = solid[Math.min(solid.length - 1, k + r.int(1, 8))] ?? i;
        tokens.splice(i, end - i + 1);
      }],
      [1, () => {
        // Splice in a run of tokens from another source (crossover).
        const other = tokenize(r.pick(sources));
        const start = r.int(0, Math.max(0, other.length - 1));
        tokens.splice(i, 0, ...other.slice(start, start + r.int(1, 20)));
      }],
      [0.5, () => {
        // Deep nesting of an opener, closed or not.
        const open = r.pick(['(', '[', 'f(', 'repeat 1 {', 'if true {', '-']);
        const close = open === '(' || open === 'f(' ? ')' : open === '[' ? ']' : open === '-' ? '' : '}';
        const depth = r.int(10, 1200);
        tokens.splice(i, 0, open.repeat(depth), '1', r.chance(0.5) ? close.repeat(depth) : '');
      }],
    ])();
  }
  return tokens.join('');
}

function mutateLines(r: Rng, text: string, operations: number): string {
  const lines = text.split('\n');
  for (let op = 0; op < operations; op++) {
    if (lines.length === 0) {
      lines.push(r.pick(snippets));
      continue;
    }
    const i = r.int(0, lines.length - 1);
    const line = lines[i] ?? '';
    r.weighted<() => void>([
      [3, () => lines.splice(i, 1)],
      [2, () => lines.splice(i, 0, line)],
      [2, () => {
        const j = r.int(0, lines.length - 1);
        lines[i] = lines[j] ?? '';
        lines[j] = line;
      }],
      [1, () => lines.splice(i, 0, r.pick(snippets))],
      [1, () => (lines[i] = line.slice(0, r.int(0, line.length)))],
      [1, () => lines.splice(i, 0, ...r.pick(sources).split('\n').slice(0, r.int(1, 10)))],
    ])();
  }
  const eol = r.weighted([
    [6, '\n'],
    [2, '\r\n'],
    [1, '\r'],
  ]);
  return lines.join(eol);
}

function insertCharacters(r: Rng, text: string): string {
  let result = text;
  const n = r.int(1, 6);
  for (let k = 0; k < n; k++) {
    const at = r.int(0, result.length);
    const piece = r.weighted<() => string>([
      [3, () => r.pick(unicodeChars)],
      [2, () => String.fromCharCode(r.int(32, 126))],
      [1, () => String.fromCharCode(r.int(0, 0xffff))],
      [2, () => r.pick(snippets)],
      [1, () => r.pick(interestingNumbers)],
    ])();
    result = result.slice(0, at) + piece + result.slice(at);
  }
  return result;
}

function truncate(r: Rng, text: string): string {
  const at = r.int(0, text.length);
  // Sometimes keep the tail instead, or cut both ends.
  return r.weighted([
    [6, text.slice(0, at)],
    [2, text.slice(at)],
    [2, text.slice(Math.min(at, r.int(0, text.length)), Math.max(at, r.int(0, text.length)))],
  ]);
}

// ---------------------------------------------------------------------------
// Random programs built from the layer catalog (they reach shape inference, not just the parser)

function randomNumberText(r: Rng): string {
  return r.weighted<() => string>([
    [6, () => String(r.int(0, 64))],
    [2, () => r.pick(['1', '2', '3', '4', '8', '16', '32', '128'])],
    [2, () => r.pick(interestingNumbers.filter((n) => numberTexts.includes(n)))],
    [1, () => `-${r.int(0, 5)}`],
    [1, () => (r.float() * 2).toFixed(r.int(1, 3))],
  ])();
}

function randomExpression(r: Rng, params: readonly string[], depth: number): string {
  const leaf = (): string =>
    r.weighted<() => string>([
      [5, () => randomNumberText(r)],
      [params.length > 0 ? 3 : 0, () => r.pick(params)],
      [1, () => randomIdentifier(r)],
      [1, () => r.pick(['true', 'false', 'None', "'same'", '"x"'])],
    ])();
  if (depth <= 0) return leaf();
  return r.weighted<() => string>([
    [6, leaf],
    [2, () => `${randomExpression(r, params, depth - 1)} ${r.pick(['+', '-', '*', '/', '//'])} ${randomExpression(r, params, depth - 1)}`],
    [1, () => `-${randomExpression(r, params, depth - 1)}`],
    [1, () => `(${randomExpression(r, params, depth - 1)})`],
    [2, () => `(${Array.from({ length: r.int(0, 4) }, () => randomExpression(r, params, depth - 1)).join(', ')}${r.chance(0.3) ? ',' : ''})`],
    [0.5, () => `[${Array.from({ length: r.int(0, 3) }, () => randomExpression(r, params, depth - 1)).join(', ')}]`],
    [1, () => randomCall(r, params, depth - 1)],
  ])();
}

function argumentValue(r: Rng, spec: ArgSpec, params: readonly string[], depth: number): string {
  if (r.chance(0.15)) return randomExpression(r, params, 1);
  const type = spec.type;
  const int = () => r.weighted<() => string>([
    [6, () => String(r.int(1, 64))],
    [1, () => r.pick(['0', '-1', '2.5', '1e9', '1e300', '1000'])],
    [params.length > 0 ? 2 : 0, () => r.pick(params)],
    [1, () => `${params.length > 0 ? r.pick(params) : 2} ${r.pick(['*', '//', '+', '-', '/'])} ${r.pick(['2', '0', '3'])}`],
  ])();
  switch (type.kind) {
    case 'int':
      return int();
    case 'float':
      return r.pick(['0', '0.5', '0.25', '1', '1.0', '-0.1', '2', '1e-3', '1e300', ...params]);
    case 'bool':
      return r.pick(['true', 'false', 'True', 'False', '1', "'yes'", ...params]);
    case 'enum':
      return r.chance(0.8) ? (r.chance(0.7) ? r.pick(type.values) : `'${r.pick(type.values)}'`) : randomIdentifier(r);
    case 'activation':
      return r.pick(['relu', 'softmax', 'sigmoid', 'tanh', 'linear', "'relu'", 'Relu', 'rleu', 'None', 'gelu']);
    case 'ints': {
      if (r.chance(0.5)) return int();
      const n = r.chance(0.8) ? type.length : r.int(0, 4);
      return `(${Array.from({ length: n }, int).join(', ')}${n === 1 ? ',' : ''})`;
    }
    case 'intList': {
      const n = r.int(0, 4);
      return `(${Array.from({ length: n }, () => (r.chance(0.2) ? r.pick(['-1', 'None']) : int())).join(', ')}${n === 1 ? ',' : ''})`;
    }
    case 'padding':
      return r.weighted<() => string>([
        [2, int],
        [1, () => `(${int()}, ${int()})`],
        [1, () => `((${int()}, ${int()}), (${int()}, ${int()}))`],
        [1, () => `(${Array.from({ length: type.axes }, () => `(${int()}, ${int()})`).join(', ')})`],
      ])();
    case 'object':
      return r.pick(['glorot_uniform', 'zeros', "'he_normal'", 'L2(0.01)', 'None', 'MaxNorm(3)']);
    case 'layer':
      return depth > 0 ? randomCall(r, params, depth - 1) : 'Dense(2)';
    case 'string':
      return r.pick(["'name'", 'name', "'a b'", "''"]);
  }
}

function randomCall(r: Rng, params: readonly string[], depth: number, labels: readonly string[] = []): string {
  const spec = r.chance(0.9) ? r.pick(layerSpecs) : undefined;
  if (!spec) return `${randomIdentifier(r)}(${r.chance(0.5) ? randomExpression(r, params, 1) : ''})`;
  const parts: string[] = [];
  if (spec.merge) {
    const n = r.int(0, 3);
    for (let k = 0; k < n; k++) parts.push(labels.length > 0 && r.chance(0.8) ? r.pick(labels) : randomIdentifier(r));
  }
  const candidates = spec.args.filter((a) => a.name !== 'name' && a.name !== 'dtype');
  const positional = spec.merge ? 0 : r.int(0, Math.min(3, candidates.length));
  for (let k = 0; k < positional; k++) {
    const a = candidates[k];
    if (a) parts.push(argumentValue(r, a, params, depth));
  }
  const keywordCount = r.int(0, 3);
  for (let k = 0; k < keywordCount; k++) {
    const a = candidates.length > 0 && r.chance(0.9) ? r.pick(candidates) : undefined;
    if (a) parts.push(`${a.name}=${argumentValue(r, a, params, depth)}`);
    else parts.push(`${randomIdentifier(r)}=${randomExpression(r, params, 1)}`);
  }
  if (r.chance(0.05)) parts.push(randomExpression(r, params, 1)); // positional after keywords
  return `${spec.name}(${parts.join(', ')}${r.chance(0.1) ? ',' : ''})`;
}

function randomInputValue(r: Rng, params: readonly string[]): string {
  return r.weighted<() => string>([
    [4, () => r.pick(datasetNames)],
    [4, () => r.pick(['(28, 28, 1)', '(32, 32, 3)', '(10,)', '(None, 10)', '(20, 8)', '(16, 16, 16, 2)', '(4,)'])],
    [1, () => r.pick(['()', '(0,)', '(-1, 3)', '(None,)', '(2.5,)', '((2,),)', '(1e9, 1e9, 1e9)', '(1e300,)', '(1e200, 1e200)', 'mnst', "'mnist'", '7', 'None', 'true'])],
    [1, () => randomExpression(r, params, 2)],
  ])();
}

function randomBlock(r: Rng, params: readonly string[], labels: string[], depth: number): string[] {
  const lines: string[] = [];
  const n = r.int(0, 6);
  for (let k = 0; k < n; k++) {
    const kind = r.weighted([
      [10, 'layer'],
      [2, 'labelled'],
      [1, 'from'],
      [depth > 0 ? 1.5 : 0, 'repeat'],
      [depth > 0 ? 1 : 0, 'if'],
      [0.3, 'input'],
    ]);
    switch (kind) {
      case 'layer':
        lines.push(randomCall(r, params, 1, labels));
        break;
      case 'labelled': {
        const label = r.chance(0.8) ? `l${r.int(0, 5)}` : randomIdentifier(r);
        lines.push(`${label} = ${randomCall(r, params, 1, labels)}`);
        labels.push(label);
        break;
      }
      case 'from':
        lines.push(`from ${labels.length > 0 && r.chance(0.8) ? r.pick(labels) : randomIdentifier(r)}`);
        break;
      case 'repeat': {
        const count = r.weighted<() => string>([
          [8, () => String(r.int(0, 4))],
          [params.length > 0 ? 2 : 0, () => r.pick(params)],
          // Counts over the limit are refused at once; 10000 itself would be analysed in full, which is slow by design.
          [1, () => r.pick(['-1', '2.5', '10001', '100000000', '1e300', '1e309', 'true', 'x', '(2,)', '1 / 0', "'3'"])],
        ])();
        lines.push(`repeat ${count} {`, ...randomBlock(r, params, labels, depth - 1).map((l) => `  ${l}`), '}');
        break;
      }
      case 'if':
        lines.push(`if ${r.pick([...params, 'true', 'false', '1', 'None', 'bn'])} {`, ...randomBlock(r, params, labels, depth - 1).map((l) => `  ${l}`), '}');
        break;
      case 'input':
        lines.push(`input ${randomInputValue(r, params)}`);
        break;
    }
  }
  return lines;
}

function randomSettingValue(r: Rng, name: string): string {
  switch (name) {
    case 'dataset':
      return r.pick([...datasetNames, 'images("data/x", size=(64, 64))', "idx('a', 'b')", 'imagess("x")', 'bogus', '1', 'images()', 'images("x", size=(0, -1))']);
    case 'optimizer':
      return `${r.pick([...optimizers.map((o) => o.name), 'Adamm', 'adam'])}(${r.chance(0.6) ? `learning_rate=${r.pick(['1e-3', '0', '-1', '1e300', 'x'])}` : ''})`;
    case 'loss':
      return r.chance(0.5)
        ? `${r.pick([...losses.map((l) => l.name), 'Bogus'])}(${r.chance(0.5) ? `from_logits=${r.pick(['true', 'false', '1'])}` : ''})`
        : r.pick(['sparse_categorical_crossentropy', 'categorical_crossentropy', 'mse', 'binary_crossentropy', 'hinge']);
    case 'validation':
      return r.pick(['0.1', '0', '1', '1.5', '-0.1', 'test', 'train', '1e300']);
    case 'early_stopping':
      return r.pick(['EarlyStopping(monitor=val_loss, patience=3)', 'EarlyStopping(patience=-1)', 'EarlyStopping(bogus=1)', 'ReduceLROnPlateau()', 'None']);
    case 'reduce_lr':
      return r.pick(['ReduceLROnPlateau(factor=0.1, patience=10)', 'ReduceLROnPlateau(factor=2)', 'EarlyStopping()']);
    case 'augment':
      return r.pick(['Augment(rotation=10, zoom=0.2, horizontal_flip=true)', 'Augment(rotation=-1e300)', 'Augment(bogus=1)', 'Augment()', 'augment']);
    case 'metrics':
      return r.pick(['[accuracy]', '[]', 'accuracy', '[accuracy, auc, bogus]', '(accuracy,)']);
    case 'search':
      return r.pick(['Hyperband(max_epochs=30, factor=3, iterations=3)', 'RandomSearch(trials=20)', 'GridSearch()', 'Hyperband(factor=0)', 'RandomSearch(trials=-1)', 'Bogus()']);
    case 'objective':
      return r.pick(['val_loss', 'val_accuracy', 'loss', 'bogus', '1']);
    default:
      return r.pick(['1', '0', '-1', '32', '1e300', '0.5', 'true', 'x', '1 / 0', "'10'"]);
  }
}

function randomSearchDomain(r: Rng): string {
  return r.weighted<() => string>([
    [4, () => `${r.int(0, 4)}..${r.int(0, 8)}${r.chance(0.5) ? ` step ${r.pick(['1', '2', '0.5', '0', '-1', '1e-300', '32'])}` : ''}${r.chance(0.1) ? ' log' : ''}`],
    [2, () => `[${Array.from({ length: r.int(0, 4) }, () => r.pick(['true', 'false', '1', '16', '0.5', 'relu', 'None'])).join(', ')}]`],
    [1, () => r.pick(['1e-4..1e-2 log', '0..1 log', '1..1e300', '1..1e300 step 1', '5..1', '0.0..1.0 step 0.1', '-1.0..0.0 step 0.1', 'x..y', '1..', '..2', '16..512 step 32'])],
  ])();
}

const parameterNames = ['filters', 'units', 'depth', 'bn', 'rate', 'k', 'width', 'n'];

function randomProgram(r: Rng): string {
  const parts: string[] = [];
  const models: { name: string; params: string[] }[] = [];
  const modelCount = r.int(1, 3);
  for (let m = 0; m < modelCount; m++) {
    const name = r.chance(0.9) ? `m${m}` : randomIdentifier(r);
    const params: string[] = [];
    const paramCount = r.weighted([
      [4, 0],
      [3, 1],
      [2, 2],
      [1, 4],
    ]);
    const declared: string[] = [];
    for (let p = 0; p < paramCount; p++) {
      const param = r.pick(parameterNames);
      params.push(param);
      const value = param === 'bn' ? r.pick(['true', 'false', '1']) : param === 'rate' ? r.pick(['0.5', '0.25', '1.5']) : randomExpression(r, params.slice(0, p), 1);
      declared.push(r.chance(0.95) ? `${param} = ${value}` : param);
    }
    models.push({ name, params });
    const labels: string[] = [];
    const body: string[] = [];
    if (r.chance(0.9)) body.push(`${r.chance(0.15) ? 'img = ' : ''}input ${randomInputValue(r, params)}`);
    if (body[0]?.startsWith('img')) labels.push('img');
    body.push(...randomBlock(r, params, labels, 2));
    if (r.chance(0.5)) body.push(`Dense(${r.pick(['10', '1', '128', 'units', '0'])}${r.chance(0.7) ? `, activation=${r.pick(['softmax', 'relu', 'sigmoid'])}` : ''})`);
    const head = paramCount > 0 || r.chance(0.1) ? `model ${name}(${declared.join(', ')})` : `model ${name}`;
    parts.push(`${head} {\n${body.map((l) => `  ${l}`).join('\n')}\n}`);
  }
  const variantCount = r.weighted([
    [5, 0],
    [3, 1],
    [1, 3],
  ]);
  for (let v = 0; v < variantCount; v++) {
    const base = r.chance(0.85) ? r.pick(models) : { name: r.chance(0.5) ? `v${r.int(0, 3)}` : randomIdentifier(r), params: [] as string[] };
    const args: string[] = [];
    const n = r.int(0, 3);
    for (let k = 0; k < n; k++) {
      const value = randomExpression(r, [], 1);
      args.push(base.params.length > 0 && r.chance(0.7) ? `${r.pick(base.params)} = ${value}` : r.chance(0.5) ? value : `${randomIdentifier(r)} = ${value}`);
    }
    parts.push(`model v${v} = ${base.name}(${args.join(', ')})`);
  }
  const names = [...models.map((m) => m.name), ...Array.from({ length: variantCount }, (_, v) => `v${v}`)];
  const blocks = r.weighted([
    [4, 0],
    [3, 1],
    [1, 2],
  ]);
  for (let b = 0; b < blocks; b++) {
    const isTune = r.chance(0.4);
    const targets = Array.from({ length: r.int(1, 2) }, () => (r.chance(0.9) ? r.pick(names) : randomIdentifier(r)));
    const lines: string[] = [];
    const settingCount = r.int(0, 5);
    for (let s = 0; s < settingCount; s++) {
      const setting = r.chance(0.9) ? r.pick(trainSettings).name : randomIdentifier(r);
      lines.push(`${setting} = ${randomSettingValue(r, setting)}`);
    }
    if (isTune) {
      const modelParams = models.flatMap((m) => m.params);
      const searchCount = r.int(0, 4);
      for (let s = 0; s < searchCount; s++) {
        const name = modelParams.length > 0 && r.chance(0.7) ? r.pick(modelParams) : r.pick(['learning_rate', 'batch_size', 'epochs', 'bogus']);
        lines.push(`${name} in ${randomSearchDomain(r)}`);
      }
    }
    parts.push(`${isTune ? 'tune' : 'train'} ${targets.join(', ')} {\n${lines.map((l) => `  ${l}`).join('\n')}\n}`);
  }
  return parts.join('\n\n') + '\n';
}

// ---------------------------------------------------------------------------
// Wholly random input

function tokenSoup(r: Rng): string {
  const n = r.int(0, 80);
  let text = '';
  for (let k = 0; k < n; k++) text += randomToken(r) + r.pick([' ', ' ', '', '\n', '\r\n', '\t']);
  return text;
}

function randomCodeUnits(r: Rng): string {
  const n = r.int(0, 200);
  const units: string[] = [];
  for (let k = 0; k < n; k++) {
    units.push(
      r.weighted<() => string>([
        [4, () => String.fromCharCode(r.int(32, 126))],
        [2, () => r.pick(unicodeChars)],
        [1, () => String.fromCharCode(r.int(0, 31))],
        [1, () => String.fromCharCode(r.int(0, 0xffff))],
        [1, () => String.fromCodePoint(r.int(0x10000, 0x10ffff))],
      ])(),
    );
  }
  return units.join('');
}

/** Random bytes decoded as UTF-8 (invalid sequences become U+FFFD, as when a binary file is opened). */
function randomBytes(r: Rng): string {
  const bytes = new Uint8Array(r.int(0, 300));
  for (let k = 0; k < bytes.length; k++) bytes[k] = r.int(0, 255);
  return Buffer.from(bytes).toString('utf8');
}

// ---------------------------------------------------------------------------

type Category = 'truncate' | 'tokens' | 'lines' | 'characters' | 'program' | 'program-mutated' | 'soup' | 'code-units' | 'bytes';

function generate(index: number): { category: Category; text: string } {
  const r = new Rng(seedOf(index));
  const category = r.weighted<Category>([
    [10, 'truncate'],
    [24, 'tokens'],
    [10, 'lines'],
    [8, 'characters'],
    [22, 'program'],
    [10, 'program-mutated'],
    [8, 'soup'],
    [5, 'code-units'],
    [3, 'bytes'],
  ]);
  const source = () => r.pick(sources);
  switch (category) {
    case 'truncate':
      return { category, text: r.chance(0.3) ? mutateTokens(r, truncate(r, source()), 1) : truncate(r, source()) };
    case 'tokens':
      return { category, text: mutateTokens(r, source(), r.int(1, 5)) };
    case 'lines':
      return { category, text: mutateLines(r, source(), r.int(1, 4)) };
    case 'characters':
      return { category, text: insertCharacters(r, source()) };
    case 'program':
      return { category, text: randomProgram(r) };
    case 'program-mutated': {
      const program = randomProgram(r);
      return { category, text: r.chance(0.6) ? mutateTokens(r, program, r.int(1, 3)) : r.chance(0.5) ? truncate(r, program) : insertCharacters(r, program) };
    }
    case 'soup':
      return { category, text: tokenSoup(r) };
    case 'code-units':
      return { category, text: randomCodeUnits(r) };
    case 'bytes':
      return { category, text: randomBytes(r) };
  }
}

// ---------------------------------------------------------------------------
// The properties every analysis must have

const severities = new Set(['error', 'warning', 'information', 'hint']);

function isCount(n: unknown): boolean {
  return typeof n === 'number' && Number.isFinite(n) && Number.isInteger(n) && n >= 0;
}

/** Words that betray a bug when they appear in a message (unless the user typed them). */
const suspectWords = ['internal error', 'undefined', 'NaN', '[object Object]'];

function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

/** Returns the problems found, empty when the analysis of `text` is sound. */
function check(text: string, analysis?: FileAnalysis): string[] {
  let result: FileAnalysis;
  try {
    result = analysis ?? analyzeText(text);
  } catch (error) {
    return [`analyzeText threw: ${describeError(error)}`];
  }
  const problems: string[] = [];
  if (!result || !Array.isArray(result.diagnostics)) return [`diagnostics is not an array: ${typeof result?.diagnostics}`];
  for (const d of result.diagnostics) {
    const where = `diagnostic ${JSON.stringify(d)}`;
    if (typeof d !== 'object' || d === null || typeof d.range !== 'object' || d.range === null) {
      problems.push(`malformed ${where}`);
      continue;
    }
    const { start, end } = d.range;
    if (!Number.isInteger(start) || !Number.isInteger(end) || !(0 <= start && start <= end && end <= text.length)) {
      problems.push(`range [${start}, ${end}) outside 0..${text.length}: ${where}`);
    }
    if (typeof d.message !== 'string' || d.message.trim() === '') problems.push(`empty message: ${where}`);
    else {
      for (const word of suspectWords) {
        if (d.message.includes(word) && !text.includes(word)) problems.push(`message contains "${word}": ${where}`);
      }
    }
    if (!severities.has(d.severity)) problems.push(`bad severity: ${where}`);
    const replacements: unknown = d.replacements;
    if (replacements !== undefined && (!Array.isArray(replacements) || replacements.some((x: unknown) => typeof x !== 'string'))) problems.push(`bad replacements: ${where}`);
  }
  for (const model of result.models ?? []) {
    const evaluated = model.evaluated;
    if (!evaluated) continue;
    const t = evaluated.totals;
    for (const key of ['params', 'trainable', 'nonTrainable', 'weightBytes'] as const) {
      if (!isCount(t[key])) problems.push(`model \`${model.name}\`: totals.${key} is ${t[key]}, not a finite non-negative integer`);
    }
    for (const key of ['macs', 'activationBytes'] as const) {
      const v = t[key];
      if (v !== null && !isCount(v)) problems.push(`model \`${model.name}\`: totals.${key} is ${v}, not null or a finite non-negative integer`);
    }
    for (const layer of evaluated.layers) {
      for (const key of ['params', 'trainableParams', 'nonTrainableParams'] as const) {
        if (!isCount(layer[key])) problems.push(`model \`${model.name}\`, layer ${layer.name}: ${key} is ${layer[key]}, not a finite non-negative integer`);
      }
      if (layer.outputShape.some((dim) => dim !== null && !isCount(dim))) {
        problems.push(`model \`${model.name}\`, layer ${layer.name}: output shape ${JSON.stringify(layer.outputShape.map(String))} has an axis that is not a non-negative integer or None`);
      }
    }
  }
  for (const tune of result.tunes ?? []) {
    for (const [name, range] of tune.ranges) {
      if (range.firstInvalid) continue;
      if (!isCount(range.min.total) || !isCount(range.max.total)) problems.push(`tune range of \`${name}\`: ${range.min.total}..${range.max.total} is not finite non-negative integers`);
    }
  }
  return problems;
}

/** A short key grouping failures with the same cause: the first problem without its numbers and names. */
function signature(problem: string): string {
  // A throw is grouped by its error alone: the same overflow is reached through many stacks.
  const first = problem.split('\n')[0] ?? '';
  // A bad diagnostic is grouped by what is wrong with it and its code.
  const diagnostic = /^(.*?):? diagnostic \{.*"code":"([^"]*)"/.exec(first);
  if (diagnostic) return `${(diagnostic[1] ?? '').replace(/\d+/g, '#')} (${diagnostic[2] ?? ''})`;
  return first
    .replace(/"range":\{[^}]*\}/g, '')
    .replace(/`[^`]*`/g, '`…`')
    .replace(/\d+/g, '#')
    .slice(0, 200);
}

// ---------------------------------------------------------------------------
// Targeted cases

function expectSound(text: string): FileAnalysis {
  const analysis = analyzeText(text);
  const problems = check(text, analysis);
  assert.deepEqual(problems, [], `input ${JSON.stringify(text.length > 2000 ? `${text.slice(0, 1000)}…${text.slice(-1000)}` : text)}`);
  return analysis;
}

function messages(analysis: FileAnalysis): string[] {
  return analysis.diagnostics.map((d) => d.message);
}

test('robustness: an empty file has nothing to report', () => {
  assert.deepEqual(messages(expectSound('')), []);
});

test('robustness: a file of only comments and blank lines', () => {
  assert.deepEqual(messages(expectSound('# just a comment\n\n   # another\r\n#\r\n\t\n#last line without newline')), []);
});

test('robustness: `model` alone is a syntax error, not a crash', () => {
  const analysis = expectSound('model');
  assert.ok(analysis.diagnostics.length > 0);
  const again = expectSound('model ');
  assert.ok(again.diagnostics.length > 0);
});

test('robustness: an unclosed `model m {`', () => {
  const analysis = expectSound('model m {');
  assert.ok(messages(analysis).some((m) => m.includes('}')), messages(analysis).join('\n'));
  expectSound('model m {\n  input mnist\n  Dense(10');
  expectSound('model m(');
  expectSound('model m(units = ');
  expectSound('model m = ');
  expectSound('model m = n(');
  expectSound('train');
  expectSound('tune m { x in ');
});

function nestedInputs(depth: number): Record<string, string> {
  return {
    'unclosed parens': `model m {\n  input (4,)\n  Dense(${'('.repeat(depth)}`,
    'balanced parens': `model m {\n  input (4,)\n  Dense(${'('.repeat(depth)}1${')'.repeat(depth)})\n}`,
    'nested calls': `model m {\n  input (4,)\n  Dense(${'f('.repeat(depth)}1${')'.repeat(depth)})\n}`,
    'nested lists': `model m {\n  input (4,)\n  Dense(${'['.repeat(depth)}1${']'.repeat(depth)})\n}`,
    'nested blocks': `model m {\n  input (4,)\n  ${'if true { '.repeat(depth)}Dense(1)${' }'.repeat(depth)}\n}`,
    'chained minus': `model m {\n  input (4,)\n  Dense(${'-'.repeat(depth)}1)\n}`,
    'parens alone': '('.repeat(depth),
  };
}

test('robustness: 10,000-deep nesting of `(` and other brackets', () => {
  for (const [name, text] of Object.entries(nestedInputs(10000))) {
    try {
      const analysis = expectSound(text);
      assert.ok(analysis.diagnostics.length > 0 || name === 'chained minus', name);
    } catch (error) {
      assert.fail(`${name}: ${describeError(error)}`);
    }
  }
});

test('robustness: moderately deep nesting (100 levels) gets a clear message, not a crash', () => {
  for (const text of Object.values(nestedInputs(100))) expectSound(text);
  const analysis = expectSound(`model m {\n  input (4,)\n  Dense(${'('.repeat(100)}1${')'.repeat(100)})\n}`);
  assert.ok(messages(analysis).some((m) => m.includes('nest more than')), messages(analysis).join('\n'));
});

test('robustness: `repeat 100000000 { Dense(1) }` is refused, not run', () => {
  const analysis = expectSound('model m {\n  input (4,)\n  repeat 100000000 { Dense(1) }\n}');
  // Refused before it runs: no repetition was evaluated, and the message says why.
  assert.ok((analysis.models[0]?.evaluated?.layers.length ?? 0) < 10, `${analysis.models[0]?.evaluated?.layers.length} layers were evaluated`);
  assert.ok(messages(analysis).includes('`repeat 100000000` is more than the 10000 repetitions Layerlab analyses; is the count right?'), messages(analysis).join('\n'));
});

test('robustness: `repeat 1e300 {}` and other impossible counts', () => {
  for (const count of ['1e300', '1e309', '-1', '2.5', '-0', '1 / 0', 'None', "'3'", '(2,)', 'true', 'x']) {
    expectSound(`model m {\n  input (4,)\n  repeat ${count} {}\n}`);
    expectSound(`model m {\n  input (4,)\n  repeat ${count} { Dense(1) }\n  Dense(2)\n}`);
  }
  const analysis = expectSound('model m {\n  input (4,)\n  repeat 1e300 {}\n}');
  assert.ok(messages(analysis).some((m) => m.includes('repeat')), messages(analysis).join('\n'));
});

/** Runs `analyzeText` in a worker so that a hang can be cut off: resolves with the diagnostics count, or rejects. */
function analyzeInWorker(text: string, timeoutMs: number): Promise<number> {
  const moduleUrl = new URL('../../language-server/src/analysis/analyze-file.js', import.meta.url).href;
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    import(workerData.url).then((m) => parentPort.postMessage(m.analyzeText(workerData.text).diagnostics.length));`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: { url: moduleUrl, text } });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`analysis still running after ${timeoutMs} ms`));
    }, timeoutMs);
    worker.once('message', (n: number) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(n);
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

test('robustness: nested repeats cannot multiply past the repetition limit', async () => {
  const text = 'model m {\n  input (4,)\n  repeat 10000 { repeat 10000 { Dense(1) } }\n}';
  // Generous: this guards against a hang (1e8 layers), not a slow machine.
  await analyzeInWorker(text, 15000);
});

test('robustness: nested repeats of bodies that add no layer stop at the limit of passes (found by test/core/fuzz.test.ts)', async () => {
  // Before the limit, 63 nested `repeat 2 { }` looped 2^63 times; the layer limit never triggered.
  for (const text of [
    'model m {\n  input (4,)\n  repeat 10000 { repeat 10000 { repeat 10000 { } } }\n  Dense(2)\n}\n',
    'model m(bn = false) {\n  input (4,)\n  repeat 10000 { repeat 10000 { if bn { Dense(2) } } }\n  Dense(2)\n}\n',
    `model m {\n  input (4,)\n${'  repeat 2 {\n'.repeat(60)}${'  }\n'.repeat(60)}  Dense(2)\n}\n`,
  ]) {
    await analyzeInWorker(text, 15000);
    const errors = analyzeText(text).diagnostics.filter((d) => d.severity === 'error');
    assert.deepEqual(errors.map((e) => e.message), ['the `repeat`s of this model run their bodies more than 200,000 times; Layerlab stops analysing it here']);
  }
});

test('robustness: division by zero in arguments, defaults, variants and search ranges', () => {
  const cases = [
    'model m {\n  input (4,)\n  Dense(10 / 0)\n}',
    'model m {\n  input (4,)\n  Dense(10 // 0)\n}',
    'model m {\n  input (4,)\n  Dense(0 / 0)\n}',
    'model m {\n  input (4,)\n  Dense(1 / (1 - 1))\n}',
    'model m {\n  input (4,)\n  Dense(units=1 // 0, activation=relu)\n  Dropout(1 / 0)\n}',
    'model m(units = 1 / 0) {\n  input (4,)\n  Dense(units)\n}',
    'model m(units = 8) {\n  input (4,)\n  Dense(units // (units - 8))\n}',
    'model m(units = 8) {\n  input (4,)\n  Dense(units)\n}\nmodel v = m(units = 3 / 0)',
    'model m {\n  input (1 / 0, 1)\n  Flatten()\n}',
    'model m(units = 8) {\n  input (4,)\n  Dense(units)\n}\ntune m { units in 1 / 0..8 step 0 / 0 }',
  ];
  for (const text of cases) {
    const analysis = expectSound(text);
    assert.ok(analysis.diagnostics.length > 0, `no diagnostic for ${JSON.stringify(text)}`);
  }
  assert.ok(messages(expectSound(cases[0] ?? '')).some((m) => m.includes('division by zero')));
});

test('robustness: a variant of itself, `model a = a()`', () => {
  const analysis = expectSound('model a = a()');
  assert.ok(messages(analysis).some((m) => /variant of itself|cycle/.test(m)), messages(analysis).join('\n'));
  expectSound('model a = a(units = 3)\ntrain a { dataset = mnist }\ntune a { units in 1..3 }');
});

test('robustness: two variants that cycle, and longer cycles', () => {
  const two = expectSound('model a = b()\nmodel b = a()');
  assert.ok(messages(two).some((m) => /variant of itself|cycle/.test(m)), messages(two).join('\n'));
  expectSound('model a = b(x = 1)\nmodel b = c()\nmodel c = a(2)\ntrain a, b, c { dataset = mnist }\ntune c { x in 1..4 }');
  expectSound('model base(x = 1) {\n  input (4,)\n  Dense(x)\n}\nmodel a = b()\nmodel b = a()\nmodel c = base(x = 2)\nmodel d = c(3)');
  expectSound('model a = a()\nmodel a = a()\nmodel a { input (4,) }');
});

test('robustness: huge sizes keep totals finite, and no message says NaN', () => {
  const failures: string[] = [];
  for (const text of [
    'model m {\n  input (1e300,)\n  Dense(1e300)\n}',
    'model m {\n  input (1e200, 1e200)\n  Dense(10)\n}',
    'model m {\n  input (28, 28, 1)\n  Conv2D(1, 1e300, padding=same)\n}',
    'model m {\n  input (4,)\n  Embedding(1e300, 1e300)\n}',
    'model m {\n  input (4,)\n  Dense(1e309 * 0)\n}',
  ]) {
    const problems = check(text);
    if (problems.length > 0) failures.push(`${JSON.stringify(text)}: ${problems.join('; ')}`);
  }
  assert.deepEqual(failures, []);
});

test('robustness: names that are also Object.prototype properties', () => {
  expectSound(
    'model __proto__(constructor = 1) {\n  input __proto__\n  toString = Dense(constructor, __proto__=1)\n  from hasOwnProperty\n  Add(valueOf)\n}\n' +
      'model constructor = __proto__(constructor = 2)\ntrain __proto__, constructor { __proto__ = 1, dataset = toString }\ntune constructor { constructor in 1..2, valueOf in [1] }',
  );
});

// ---------------------------------------------------------------------------
// The fuzz loop

const defaultCount = 12_000;

test(`robustness: ${defaultCount} generated inputs never crash analyzeText or produce bad diagnostics`, () => {
  const only = process.env['LAYERLAB_FUZZ_INDEX'];
  const count = Number(process.env['LAYERLAB_FUZZ_COUNT'] ?? defaultCount);
  const indices = only !== undefined ? only.split(',').map(Number) : Array.from({ length: count }, (_, i) => i);
  assert.ok(sources.length >= embeddedSources.length);
  interface Failure {
    index: number;
    category: Category;
    text: string;
    problems: string[];
  }
  const failures: Failure[] = [];
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  let slowest = { ms: 0, index: -1 };
  let totalChars = 0;
  const profile = process.env['LAYERLAB_FUZZ_PROFILE'] !== undefined;
  const timeByCategory = new Map<Category, number>();
  const timings: { ms: number; index: number; category: Category; length: number }[] = [];
  for (const index of indices) {
    const { category, text } = generate(index);
    totalChars += text.length;
    if (only !== undefined) console.log(`input ${index} (${category}, seed 0x${seedOf(index).toString(16)}): ${JSON.stringify(text)}`);
    const t0 = performance.now();
    const problems = check(text);
    const ms = performance.now() - t0;
    if (ms > slowest.ms) slowest = { ms, index };
    if (profile) {
      timeByCategory.set(category, (timeByCategory.get(category) ?? 0) + ms);
      timings.push({ ms, index, category, length: text.length });
    }
    if (problems.length > 0) failures.push({ index, category, text, problems });
  }
  const elapsed = performance.now() - started;
  const cpu = process.cpuUsage(cpuStarted);
  console.log(
    `robustness: ${indices.length} inputs (${Math.round(totalChars / Math.max(1, indices.length))} chars on average) in ${(elapsed / 1000).toFixed(1)} s ` +
      `(${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU); ` +
      `slowest input ${slowest.index} took ${slowest.ms.toFixed(0)} ms; ${failures.length} failed`,
  );
  if (profile) {
    console.log('time by category (ms):', Object.fromEntries([...timeByCategory].map(([k, v]) => [k, Math.round(v)])));
    console.log('slowest inputs:', timings.sort((a, b) => b.ms - a.ms).slice(0, 15));
  }
  if (failures.length === 0) return;

  const groups = new Map<string, Failure[]>();
  for (const f of failures) {
    const key = signature(f.problems[0] ?? '');
    const group = groups.get(key);
    if (group) group.push(f);
    else groups.set(key, [f]);
  }
  const shown = [...groups.values()]
    .sort((a, b) => b.length - a.length)
    .slice(0, Number(process.env['LAYERLAB_FUZZ_GROUPS'] ?? 6))
    .map((group, k) => {
      // Show the shortest input of each kind of failure: the easiest to reproduce.
      const f = group.reduce((best, x) => (x.text.length < best.text.length ? x : best));
      const input = JSON.stringify(f.text);
      return [
        `#${k + 1}: ${group.length} input(s) like index ${f.index} (seed 0x${seedOf(f.index).toString(16)}, ${f.category}; other indices: ${group.slice(0, 8).map((g) => g.index).join(', ')})`,
        ...f.problems.slice(0, 3).map((p) => `    ${p.split('\n').slice(0, 6).join('\n      ')}`),
        `    input (${f.text.length} chars): ${input}`,
      ].join('\n');
    });
  assert.fail(
    `${failures.length} of ${indices.length} generated inputs failed, ${groups.size} distinct problem(s); ` +
      `reproduce one with LAYERLAB_FUZZ_INDEX=<index>.\n${shown.join('\n\n')}`,
  );
});

test('robustness: a file larger than Layerlab analyses gets one diagnostic and nothing else', () => {
  const model = 'model m {\n  input (4,)\n  Dense(2)\n}\n';
  const huge = model.repeat(Math.ceil((MAX_ANALYSED_LENGTH + 1) / model.length));
  const analysis = analyzeText(huge);
  assert.deepEqual(analysis.models, []);
  assert.equal(analysis.diagnostics.length, 1);
  assert.match(analysis.diagnostics[0]?.message ?? '', /^too large to analyse: 2\.0 MB, the limit is 2\.0 MB; is this a \.model file\?$/);
});

test('robustness: a 100,000-term `1+1+…` is a clear message at the place, not a stack overflow', () => {
  const analysis = expectSound(`model m {\n  input (4,)\n  Dense(${'1+'.repeat(100000)}1)\n}\n`);
  assert.ok(messages(analysis).some((m) => m.startsWith('an expression of more than 1000 operators here')), messages(analysis).join('\n'));
  assert.ok(!messages(analysis).some((m) => m.includes('internal error')), messages(analysis).join('\n'));
  // 1,000 operators are still an expression like any other.
  const long = analyzeText(`model m {\n  input (4,)\n  Dense(${'1+'.repeat(999)}1)\n}\n`);
  assert.equal(long.models[0]?.evaluated?.totals.params, 5 * 1000);
});

test('robustness: 10,000 variants declared before their base are analysed without deep recursion, the values of every one merged', () => {
  const n = 10_000;
  const variants = Array.from({ length: n }, (_, i) => `model w${n - i} = w${n - i - 1}(${n - i === n ? 'units = 7' : ''})\n`).join('');
  const analysis = expectSound(`${variants}model w0(units = 3) {\n  input (4,)\n  Dense(units)\n}\n`);
  assert.deepEqual(messages(analysis), []);
  const deepest = analysis.models.find((m) => m.name === `w${n}`);
  assert.equal(deepest?.evaluated?.totals.params, 4 * 7 + 7, 'the last variant sets units = 7');
  assert.equal(analysis.models.find((m) => m.name === `w${n - 1}`)?.evaluated?.totals.params, 4 * 3 + 3, 'the others keep the default');
  // A search evaluates the model again with other values: straight from the base, not through 10,000 calls.
  const again = deepest?.evaluateWith?.(new Map([['units', { kind: 'number', value: 5, isInt: true }]]));
  assert.equal(again?.totals.params, 4 * 5 + 5);
});

test('robustness: a cycle of variants is reported on the variant that closes it', () => {
  const analysis = analyzeText('model a = b()\nmodel b = a()\n');
  assert.deepEqual(messages(analysis), ['`b` is a variant of itself through `a`; break the cycle']);
});
