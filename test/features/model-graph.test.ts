import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { analyzeText } from '../../language-server/src/analysis/analyze-file.js';
import { graphModel, modelGraph, type ModelGraph } from '../../language-server/src/features/model-graph.js';

const root = join(fileURLToPath(import.meta.url), '../../../..');

function graphOf(text: string, name?: string): ModelGraph {
  const analysis = analyzeText(text);
  const model = name === undefined ? analysis.models[0] : analysis.models.find((m) => m.name === name);
  assert.ok(model, `no model ${name ?? ''}`);
  const graph = modelGraph(analysis, model);
  assert.ok(graph, 'the model has a graph');
  return graph;
}

const names = (g: ModelGraph, id: string) => g.nodes.find((n) => n.id === id)?.name;
const pairs = (g: ModelGraph) => g.edges.map((e) => `${names(g, e.source)}>${names(g, e.target)}`);

test('a sequential model: the input, one node per layer with its type, key arguments, shape and parameters, one edge per layer', () => {
  const g = graphOf('model m {\n  input (28, 28, 1)\n  Conv2D(32, 3, strides=2, padding=same, activation=relu)\n  MaxPooling2D(2)\n  Flatten()\n  Dense(10, activation=softmax)\n}\n');
  assert.deepEqual(
    g.nodes.map((n) => [n.kind, n.type, n.details.join(' · '), n.shapeText, n.params]),
    [
      ['input', 'Input', '', '28×28×1', 0],
      // (3·3·1 + 1)·32 = 320; 'same' with stride 2: 14×14.
      ['layer', 'Conv2D', '32 filters · 3×3 · stride 2 · same · relu', '14×14×32', 320],
      ['layer', 'MaxPooling2D', '2×2 pool', '7×7×32', 0],
      ['layer', 'Flatten', '', '1568', 0],
      // (1568 + 1)·10
      ['layer', 'Dense', '10 units · softmax', '10', 15690],
    ],
  );
  assert.deepEqual(pairs(g), ['input>conv2d', 'conv2d>max_pooling2d', 'max_pooling2d>flatten', 'flatten>dense']);
  assert.deepEqual(g.totals, { params: 16010, trainable: 16010, nonTrainable: 0, macs: 28 * 28 * 0 + 14 * 14 * 9 * 32 + 1568 * 10, weightBytes: 16010 * 4, layers: 4, complete: true });
  // Lines and characters count from 0, as LSP does: Conv2D is on the third line, after two spaces.
  assert.deepEqual(g.nodes[1]?.range.start, { line: 2, character: 2 });
  assert.deepEqual(g.range, { start: { line: 0, character: 0 }, end: { line: 6, character: 1 } });
  assert.deepEqual(g.errors, []);
});

test('branches and merges: one edge per connection, written as the file reads (the residual fixture)', () => {
  const g = graphOf(readFileSync(join(root, 'test/fixtures/residual.model'), 'utf8'));
  assert.equal(g.nodes.length, 14);
  assert.deepEqual(pairs(g).sort(), [
    'add>block1',
    'add_1>merged',
    'block1>conv2d_2',
    'block1>conv2d_3',
    'block1>max_pooling2d',
    'concatenate>global_average_pooling2d',
    'conv2d>conv2d_1',
    'conv2d_1>add',
    'conv2d_2>main',
    'conv2d_3>add_1',
    'global_average_pooling2d>dense',
    'img>add',
    'img>conv2d',
    'main>add_1',
    'max_pooling2d>concatenate',
    'merged>concatenate',
  ]);
  const labelled = g.nodes.filter((n) => n.labelled).map((n) => n.name);
  assert.deepEqual(labelled, ['img', 'block1', 'main', 'merged']);
  assert.equal(g.nodes.find((n) => n.type === 'Concatenate')?.shapeText, '16×16×48');
});

test('repeat blocks: one group per block and enclosing repetition, nested ones inside their parent, with the types of one repetition', () => {
  const g = graphOf('model m {\n  input (8, 8, 1)\n  repeat 2 {\n    repeat 3 { Conv2D(2, 3, padding=same) }\n    ReLU()\n  }\n  Flatten()\n}\n');
  const outer = g.groups.find((x) => x.parent === undefined);
  assert.ok(outer);
  assert.equal(outer.count, 2);
  assert.equal(outer.nodes.length, 8);
  assert.deepEqual(outer.types, ['Conv2D', 'Conv2D', 'Conv2D', 'ReLU']);
  // First Conv2D: (3·3·1 + 1)·2 = 20; the five after it: (3·3·2 + 1)·2 = 38.
  assert.equal(outer.params, 20 + 5 * 38);
  const inner = g.groups.filter((x) => x.parent === outer.id);
  assert.deepEqual(inner.map((x) => [x.count, x.nodes.length, x.params]), [
    [3, 3, 20 + 38 + 38],
    [3, 3, 38 * 3],
  ]);
  assert.deepEqual(inner[0]?.range.start, { line: 3, character: 4 });
  const conv = g.nodes.filter((n) => n.type === 'Conv2D');
  assert.deepEqual(conv.map((n) => n.repetition), ['1/2, 1/3', '1/2, 2/3', '1/2, 3/3', '2/2, 1/3', '2/2, 2/3', '2/2, 3/3']);
  assert.deepEqual(conv.map((n) => n.group), [inner[0]?.id, inner[0]?.id, inner[0]?.id, inner[1]?.id, inner[1]?.id, inner[1]?.id]);
  assert.equal(g.nodes.find((n) => n.type === 'ReLU')?.group, outer.id);
  assert.equal(g.nodes.find((n) => n.type === 'Flatten')?.group, undefined);
});

test('an error marks its node, and the layers after it are drawn as not analysed, joined as the file reads', () => {
  const g = graphOf('model m {\n  input (4,)\n  Dense(8)\n  x = Conv2D(4, 3)\n  Dense(2)\n  from x\n  Dense(3)\n}\n');
  assert.deepEqual(
    g.nodes.map((n) => [n.kind, n.type, n.errors.length, n.affected]),
    [
      ['input', 'Input', 0, false],
      ['layer', 'Dense', 0, false],
      ['pending', 'Conv2D', 1, true],
      ['pending', 'Dense', 0, true],
      ['pending', 'Dense', 0, true],
    ],
  );
  assert.match(g.nodes[2]?.errors[0] ?? '', /Conv2D expects an input of rank 3/);
  assert.deepEqual(pairs(g), ['input>dense', 'dense>x', 'x>Dense', 'x>Dense']);
  assert.equal(g.totals.complete, false);
  assert.equal(g.totals.layers, 1);
  assert.equal(g.errors.length, 1);
});

test('a merge the analysis did not reach is still joined to the labels it names', () => {
  const g = graphOf('model m {\n  x = input (4,)\n  Conv2D(4, 3)\n  Add(x)\n  Activation(relu)\n}\n');
  assert.deepEqual(g.nodes.map((n) => `${n.kind} ${n.type}`), ['input Input', 'pending Conv2D', 'pending Add', 'pending Activation']);
  assert.deepEqual(pairs(g), ['x>Conv2D', 'Conv2D>Add', 'x>Add', 'Add>Activation']);
});

test('an error that leaves shapes known marks its node and the nodes downstream, not the others', () => {
  // Two layers named alike: Keras refuses it, every shape is still known.
  const g = graphOf('model m {\n  input (4,)\n  Dense(4, name="a")\n  Dense(2, name="a")\n  Dense(1)\n}\n');
  assert.deepEqual(
    g.nodes.map((n) => [n.id, n.errors.length > 0, n.affected]),
    [
      ['input', false, false],
      ['a', false, false],
      ['a#2', true, false],
      ['dense', false, true],
    ],
  );
});

test('blocks that run no body make no node: an `if` that is false, `repeat 0`', () => {
  const g = graphOf('model m(bn = false) {\n  input (4,)\n  Dense(8)\n  if bn { BatchNormalization() }\n  repeat 0 { Dense(3) }\n  Conv2D(4, 3)\n}\n');
  assert.deepEqual(g.nodes.map((n) => `${n.kind} ${n.type}`), ['input Input', 'layer Dense', 'pending Conv2D']);
});

test("a variant draws its base's body with its own values; an error only its values cause lands on the node that fails", () => {
  const text = 'model base(units = 8) {\n  input (6, 6, 1)\n  Conv2D(units, 3)\n  Conv2D(units, 3)\n  Flatten()\n}\nmodel small = base(units = 2)\nmodel broken = base(units = 0)\n';
  const small = graphOf(text, 'small');
  assert.equal(small.model, 'small');
  assert.deepEqual(small.nodes.map((n) => n.shapeText), ['6×6×1', '4×4×2', '2×2×2', '8']);
  const broken = graphOf(text, 'broken');
  const failing = broken.nodes.find((n) => n.errors.length > 0);
  assert.ok(failing, broken.nodes.map((n) => `${n.id}:${n.errors.join()}`).join(' | '));
  assert.equal(failing.type, 'Conv2D');
  assert.deepEqual(broken.bodyRange.start, { line: 0, character: 0 });
  assert.deepEqual(broken.range.start, { line: 7, character: 0 });
});

test('unused layers are drawn, marked, and not counted', () => {
  const g = graphOf('model m {\n  x = input (4,)\n  Dense(8)\n  from x\n  Dense(2)\n}\n');
  assert.deepEqual(g.nodes.map((n) => [n.name, n.discarded]), [
    ['x', false],
    ['dense', true],
    ['dense_1', false],
  ]);
  assert.equal(g.totals.layers, 1);
  assert.equal(g.totals.params, 10);
});

test('wrappers show the wrapped layer; the input shows its data set', () => {
  const g = graphOf('model m {\n  input mnist\n  Reshape((28, 28))\n  Bidirectional(LSTM(16, return_sequences=true))\n  GlobalAveragePooling1D()\n}\n');
  assert.deepEqual(g.nodes[0]?.details, ['mnist']);
  assert.deepEqual(g.nodes[1]?.details, ['to 28×28']);
  assert.deepEqual(g.nodes[2]?.details, ['LSTM', '16 units', 'sequences']);
});

test('the model a request means: by name, else the one at the cursor, else the first', () => {
  const analysis = analyzeText('model a {\n  input (4,)\n  Dense(2)\n}\nmodel b {\n  input (4,)\n  Dense(3)\n}\n');
  assert.equal(graphModel(analysis, 'b')?.name, 'b');
  assert.equal(graphModel(analysis, 'c'), undefined);
  assert.equal(graphModel(analysis, undefined, analysis.text.indexOf('Dense(3)'))?.name, 'b');
  assert.equal(graphModel(analysis)?.name, 'a');
  // The graph is plain data: it survives JSON as it is (the server and the webview send it as JSON).
  const graph = modelGraph(analysis, graphModel(analysis, 'b')!);
  assert.deepEqual(JSON.parse(JSON.stringify(graph)), graph);
});

test('several inputs: a node per input, and each layer joined to the input or the layer output it reads, states included', () => {
  const g = graphOf(
    'model seq2seq {\n  enc = input (None, 8)\n  out, h, c = LSTM(16, return_state=true)\n  dec = input (None, 6)\n  LSTM(16, return_sequences=true, initial_state=(h, c))\n  Dense(6, activation=softmax)\n}\n',
  );
  assert.deepEqual(
    g.nodes.filter((n) => n.kind === 'input').map((n) => [n.name, n.shapeText]),
    [
      ['enc', '?×8'],
      ['dec', '?×6'],
    ],
  );
  assert.equal(new Set(g.nodes.map((n) => n.id)).size, g.nodes.length, 'node ids are unique');
  // The decoder LSTM reads the decoder input and the encoder's two states.
  assert.deepEqual(pairs(g), ['enc>out', 'dec>lstm', 'out>lstm', 'out>lstm', 'lstm>dense']);
});
