import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Expression, ModelDeclaration, Statement } from '../../language-server/src/syntax/ast.js';
import { parseModelText } from '../../language-server/src/syntax/parse.js';
import { Lexer } from 'chevrotain';
import { ModelParser } from '../../language-server/src/syntax/parser.js';
import { allTokens } from '../../language-server/src/syntax/tokens.js';
import { analyzeText } from '../../language-server/src/analysis/analyze-file.js';

const root = join(fileURLToPath(import.meta.url), '../../../..');

function firstModel(text: string): ModelDeclaration {
  const model = parseModelText(text).ast.declarations.find((d): d is ModelDeclaration => d.kind === 'model');
  assert.ok(model, 'expected a model declaration');
  return model;
}

function layerArgs(text: string, index = 0): readonly Expression[] {
  const statement = firstModel(text).body?.filter((s) => s.kind === 'layer')[index];
  assert.ok(statement && statement.kind === 'layer');
  return statement.call.args.map((a) => a.value);
}

test('the grammar passes chevrotain self-validation (no ambiguities)', () => {
  assert.doesNotThrow(() => new ModelParser({ validate: true }));
});

test('the tokens pass chevrotain’s lexer validations and first-character optimizations', () => {
  // The shipped lexer skips validations at start-up; here they run, with `ensureOptimizations` as there.
  const lexer = new Lexer(allTokens, { positionTracking: 'onlyOffset', ensureOptimizations: true });
  assert.deepEqual(lexer.lexerDefinitionErrors, []);
});

test('one file using every construct parses without errors, and the parse result’s tokens are the lexer’s', () => {
  const text =
    'model m(w = 2) {\n  x = input (28, 28)\n  repeat w { if true { Dense(w * 2 + -1) } }\n  from x\n  Bidirectional(LSTM(4, return_sequences=true), merge_mode=sum)\n  Add(x, )\n}\nmodel v = m(w = 3)\n' +
    'tune m {\n  w in 1..4 step 1\n  lr in 1e-4..1e-2 log\n  bn in [true, false]\n  batch_size = 32 // 2, drop = None\n}\n';
  const result = parseModelText(text);
  assert.deepEqual(result.errors, []);
  assert.equal(result.ast.declarations.length, 3);
  const images = result.tokens.map((t) => t.image);
  assert.equal(images.join(''), text.replace(/\s+/g, ''));
  for (const t of result.tokens) assert.equal(text.slice(t.startOffset, t.startOffset + t.image.length), t.image);
});

test('every project example parses without errors', () => {
  const dir = join(root, 'examples');
  const files = readdirSync(dir).filter((f) => f.endsWith('.model'));
  assert.ok(files.length > 0);
  for (const file of files) {
    const result = parseModelText(readFileSync(join(dir, file), 'utf8'));
    assert.deepEqual(result.errors, [], file);
  }
});

test('tuples, groupings, negative numbers and exponents', () => {
  const [tuple, single, grouped, negative, exponent] = layerArgs('model m { input (4,)\n F((3, 3), (5,), (7), -0.4, 1e-3) }');
  assert.equal(tuple?.kind, 'tuple');
  assert.equal(tuple?.kind === 'tuple' && tuple.items.length, 2);
  assert.equal(single?.kind === 'tuple' && single.items.length, 1);
  assert.equal(grouped?.kind, 'paren');
  assert.equal(negative?.kind === 'number' && negative.value, -0.4);
  assert.equal(exponent?.kind === 'number' && exponent.value, 0.001);
});

test('arithmetic follows the usual precedence, with // as floor division', () => {
  const analysis = analyzeText('model m(units = 10) { input (4,)\n Dense(2 + units * 3 // 4 - (1 + 1)) }');
  const dense = analysis.models[0]?.evaluated?.layers[0];
  // 2 + floor(30 / 4) - 2 = 7
  assert.deepEqual(dense?.outputShape, [7]);
});

test('keywords are not taken from longer names: input_dim, from_logits, stepper', () => {
  const result = parseModelText('model m { input (4,)\n Embedding(input_dim=10, output_dim=3)\n stepper = Dense(1) }\ntrain m { loss = SparseCategoricalCrossentropy(from_logits=true) }');
  assert.deepEqual(result.errors, []);
});

test('ranges with steps and log, choices, and settings in a tune block', () => {
  const result = parseModelText('tune m {\n depth in 2..5\n lr in 1e-4..1e-2 log\n slope in -1.0..0.0 step 0.1\n bn in [true, false]\n batch_size = 32\n}');
  assert.deepEqual(result.errors, []);
  const tune = result.ast.declarations[0];
  assert.ok(tune?.kind === 'tune');
  assert.deepEqual(
    tune.searchParameters.map((p) => [p.name.name, p.domain.kind, p.domain.kind === 'range' ? p.domain.log : null]),
    [
      ['depth', 'range', false],
      ['lr', 'range', true],
      ['slope', 'range', false],
      ['bn', 'choice', null],
    ],
  );
  assert.deepEqual(tune.settings.map((s) => s.name.name), ['batch_size']);
});

test('labels, from, repeat, if, merges and layer-valued arguments', () => {
  const model = firstModel(`model m(bn = true) {
  img = input (32, 32, 3)
  a = Conv2D(8, 3)
  repeat 2 { if bn { BatchNormalization() } }
  from img
  Bidirectional(LSTM(4, return_sequences=true))
  Add(a)
}`);
  const kinds = (statements: readonly Statement[]): string[] => statements.map((s) => s.kind);
  assert.deepEqual(kinds(model.body ?? []), ['input', 'layer', 'repeat', 'from', 'layer', 'layer']);
  const wrapped = model.body?.[4];
  assert.ok(wrapped?.kind === 'layer');
  assert.equal(wrapped.call.args[0]?.value.kind, 'call');
});

test('a variant declaration', () => {
  const result = parseModelText('model b = a(filters = 48)');
  const model = result.ast.declarations[0];
  assert.ok(model?.kind === 'model');
  assert.equal(model.variantOf?.base.name, 'a');
  assert.equal(model.variantOf?.args[0]?.name?.name, 'filters');
});

test('a missing ) names the call it should close and where it opened', () => {
  const text = 'model a {\n  input (28, 28, 1)\n  Conv2D(32, 3, activation=relu\n  Dense(10)\n}\n';
  const result = parseModelText(text);
  assert.equal(result.errors.length, 1);
  const error = result.errors[0];
  assert.ok(error);
  assert.match(error.message, /expected `\)` to close `Conv2D\(` opened on line 3/);
  // Reported at the end of line 3, where the `)` belongs, not on the next line.
  assert.equal(text.slice(error.range.start, error.range.end), 'relu');
});

test('one typo does not hide the rest of the file', () => {
  const text = `model broken {
  input (28, 28, 1)
  Conv2D(32, 3 activation=relu))
  Flatten()
}

model fine {
  input (8,)
  Dense(4)
}
`;
  const analysis = analyzeText(text);
  assert.ok(analysis.diagnostics.some((d) => d.code === 'syntax'));
  const fine = analysis.models.find((m) => m.name === 'fine');
  assert.equal(fine?.evaluated?.totals.params, 36);
});

test('an unmatched closer is called out as such', () => {
  const result = parseModelText('model a { input (2,) }\n)');
  assert.ok(result.errors.some((e) => /unmatched `\)`/.test(e.message)), JSON.stringify(result.errors));
});

test('an unexpected character is reported at its place and parsing goes on', () => {
  const text = 'model a {\n  input (4,)\n  Dense(2) @\n  Dense(3)\n}';
  const analysis = analyzeText(text);
  const error = analysis.diagnostics.find((d) => d.message.includes('unexpected character'));
  assert.ok(error);
  assert.equal(text.slice(error.range.start, error.range.end), '@');
  assert.deepEqual(analysis.models[0]?.evaluated?.layers.map((l) => l.outputShape), [[2], [3]]);
});

test('every AST node range lies inside the text and slices to its source', () => {
  const text = readFileSync(join(root, 'examples', 'mnist_cnn.model'), 'utf8');
  const ast = parseModelText(text).ast;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    const range = record['range'] as { start: number; end: number } | undefined;
    if (range) {
      assert.ok(range.start >= 0 && range.start <= range.end && range.end <= text.length, JSON.stringify(record));
      if (record['kind'] === 'identifier') assert.equal(text.slice(range.start, range.end), record['name']);
    }
    Object.values(record).forEach(visit);
  };
  visit(ast);
});

test('composite nodes span their whole source text', () => {
  const text = 'model m {\n  input (4,)\n  x = Dense(3, activation=relu)\n  repeat 2 { Dense(3) }\n}\ntrain m { epochs = 2 * 3 }';
  const ast = parseModelText(text).ast;
  const [model, train] = ast.declarations;
  assert.ok(model?.kind === 'model' && train?.kind === 'train');
  const slice = (r: { start: number; end: number }) => text.slice(r.start, r.end);
  assert.equal(slice(model.range), text.slice(0, text.indexOf('}\ntrain') + 1));
  const [input, layer, repeat] = model.body ?? [];
  assert.equal(slice(input?.range ?? { start: 0, end: 0 }), 'input (4,)');
  assert.ok(layer?.kind === 'layer');
  assert.equal(slice(layer.range), 'x = Dense(3, activation=relu)');
  assert.equal(slice(layer.call.range), 'Dense(3, activation=relu)');
  assert.equal(slice(layer.call.args[1]?.range ?? { start: 0, end: 0 }), 'activation=relu');
  assert.equal(slice(repeat?.range ?? { start: 0, end: 0 }), 'repeat 2 { Dense(3) }');
  assert.equal(slice(train.settings[0]?.value.range ?? { start: 0, end: 0 }), '2 * 3');
});

test('comments are kept for tools and ignored by the parser', () => {
  const result = parseModelText('# top\nmodel m { # inline\n input (1,) }');
  assert.deepEqual(result.errors, []);
  assert.deepEqual(result.comments.map((c) => c.image), ['# top', '# inline']);
});

test('a UTF-8 byte-order mark at the start of a file is read as a space, offsets unchanged', () => {
  const text = '\uFEFFmodel m {\n  input (4,)\n  Dense(2)\n}\n';
  const analysis = analyzeText(text);
  assert.deepEqual(analysis.diagnostics.map((d) => d.message), []);
  assert.equal(analysis.models[0]?.evaluated?.totals.params, 10);
  assert.equal(analysis.models[0]?.declaration.range.start, 1, 'the model starts after the mark');
});
