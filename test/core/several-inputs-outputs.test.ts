// Several inputs (`a = input ...`), outputs (`output a, b`), layers with several outputs
// (`seq, h, c = LSTM(..., return_state=true)`) and initial states (`initial_state=(h, c)`):
// parsing, the evaluated graph, every error by its message, the summary against what
// Keras 3 prints, the Keras code, and the refusal to train.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzeText, type FileAnalysis } from '../../language-server/src/analysis/analyze-file.js';
import type { EvaluatedModel, LayerInstance, TensorSource } from '../../language-server/src/analysis/model-types.js';
import type { LayerStatement, ModelDeclaration, OutputStatement } from '../../language-server/src/syntax/ast.js';
import { parseModelText } from '../../language-server/src/syntax/parse.js';
import { kerasCode } from '../../language-server/src/features/keras-code.js';
import { summaryJson } from '../../language-server/src/features/summary-json.js';
import { summaryTable } from '../../language-server/src/features/summary-table.js';
import { outputMismatch } from '../../language-server/src/training/output-check.js';

const wideDeep = `model wide_deep {
  wide = input (8,)
  deep = input (16,)
  Dense(32, activation=relu)
  Dense(16, activation=relu)
  Concatenate(wide)
  Dense(1, activation=sigmoid)
}
`;

const seq2seq = `model seq2seq {
  source = input (None,)
  Embedding(1000, 32)
  enc, h, c = LSTM(64, return_state=true)
  target = input (None,)
  Embedding(1000, 32)
  LSTM(64, return_sequences=true, initial_state=(h, c))
  Dense(1000, activation=softmax)
}
`;

const twoHeads = `model two_heads {
  img = input (28, 28, 1)
  Conv2D(8, 3, activation=relu)
  features = Flatten()
  aux = Dense(1, activation=sigmoid)
  from features
  main = Dense(10, activation=softmax)
  output main, aux
}
`;

function evaluated(text: string, name?: string): { analysis: FileAnalysis; model: EvaluatedModel } {
  const analysis = analyzeText(text);
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((d) => d.message), [], 'no errors expected');
  const model = (name ? analysis.models.find((m) => m.name === name) : analysis.models[0])?.evaluated;
  assert.ok(model, 'the model is evaluated');
  return { analysis, model };
}

/** Errors and warnings as `line: message`. */
function problems(text: string): string[] {
  const analysis = analyzeText(text);
  return analysis.diagnostics.map((d) => `${analysis.lines.positionAt(d.range.start).line + 1}: ${d.message}`);
}

const describeSource = (s: TensorSource): string => (s.kind === 'input' ? `input ${s.input.name}` : `${s.layer.name}[${s.index}]`);
const layerNamed = (model: EvaluatedModel, name: string): LayerInstance => {
  const layer = model.layers.find((l) => l.name === name);
  assert.ok(layer, `a layer named ${name}`);
  return layer;
};

describe('parsing', () => {
  test('a label per output before `=`, and `output` with its labels', () => {
    const parsed = parseModelText('model m {\n  x = input (5, 2)\n  seq, h, c = LSTM(4, return_state=true)\n  output seq, c\n}\n');
    assert.deepEqual(parsed.errors, []);
    const body = (parsed.ast.declarations[0] as ModelDeclaration).body ?? [];
    const lstm = body[1] as LayerStatement;
    assert.equal(lstm.label?.name, 'seq');
    assert.deepEqual(lstm.moreLabels?.map((l) => l.name), ['h', 'c']);
    const output = body[2] as OutputStatement;
    assert.equal(output.kind, 'output');
    assert.deepEqual(output.names.map((n) => n.name), ['seq', 'c']);
    // A single label keeps the plain form: no list of further labels.
    assert.equal((parseModelText('model m {\n  x = input (3,)\n  y = Dense(2)\n}\n').ast.declarations[0] as ModelDeclaration).body?.[1]?.kind, 'layer');
    assert.equal(((parseModelText('model m {\n  x = input (3,)\n  y = Dense(2)\n}\n').ast.declarations[0] as ModelDeclaration).body?.[1] as LayerStatement).moreLabels, undefined);
  });

  test('syntax errors say what is missing', () => {
    assert.deepEqual(
      parseModelText('model m {\n  x = input (3,)\n  output\n}\n').errors.map((e) => e.message),
      ['expected a name after `output`, found `}`'],
    );
    assert.deepEqual(
      parseModelText('model m {\n  x = input (3,)\n  a, = Dense(2)\n}\n').errors.map((e) => e.message),
      ['expected a name in the labels (`seq, h, c = LSTM(...)`), found `=`'],
    );
  });

  test('`output` is a keyword: it cannot label a layer', () => {
    assert.ok(parseModelText('model m {\n  x = input (3,)\n  output = Dense(2)\n}\n').errors.length > 0);
  });
});

describe('the evaluated graph', () => {
  test('several inputs, in statement order; each starts a branch', () => {
    const { model } = evaluated(wideDeep);
    assert.deepEqual(model.inputs.map((i) => [i.name, i.index, [...i.shape]]), [
      ['wide', 0, [8]],
      ['deep', 1, [16]],
    ]);
    assert.equal(model.input, model.inputs[0]);
    // The first Dense takes `deep`, the input just before it; the merge takes the current tensor, then `wide`.
    assert.deepEqual(layerNamed(model, 'dense').inputs.map(describeSource), ['input deep']);
    assert.deepEqual(layerNamed(model, 'concatenate').inputs.map(describeSource), ['dense_1[0]', 'input wide']);
    assert.deepEqual(model.outputs.map(describeSource), ['dense_2[0]']);
    // By hand: Dense(32) on 16: 16·32 + 32 = 544; Dense(16) on 32: 528; Dense(1) on 16 + 8: 25.
    assert.equal(model.totals.params, 544 + 528 + 25);
    assert.equal(model.discarded.size, 0);
  });

  test('`output a, b` names the outputs in order; totals count every branch that leads to one', () => {
    const { model } = evaluated(twoHeads);
    assert.deepEqual(model.outputs.map(describeSource), ['main[0]', 'aux[0]']);
    assert.equal(model.output?.name, 'main');
    // Conv2D (3·3·1 + 1)·8 = 80; aux (26·26·8 + 1)·1 = 5,409; main (5,408 + 1)·10 = 54,090.
    assert.equal(model.totals.params, 80 + 5409 + 54090);
    assert.equal(model.discarded.size, 0);
    // Without `output`, the last statement's tensor is the output and the other head is discarded, as before.
    const { model: single } = evaluated(twoHeads.replace('  output main, aux\n', ''));
    assert.deepEqual(single.outputs.map(describeSource), ['main[0]']);
    assert.deepEqual([...single.discarded].map((l) => l.name), ['aux']);
    assert.equal(single.totals.params, 80 + 54090);
    // `output` with one label ends the model on a branch.
    const { model: onAux } = evaluated(twoHeads.replace('output main, aux', 'output aux'));
    assert.deepEqual([...onAux.discarded].map((l) => l.name), ['main']);
  });

  test('return_state: a label per output, the states as Keras 3 gives them', () => {
    const cases: [string, number[][]][] = [
      ['seq, h, c = LSTM(8, return_sequences=true, return_state=true)', [[10, 8], [8], [8]]],
      ['out, h = GRU(8, return_state=true)', [[8], [8]]],
      ['out, h = SimpleRNN(8, return_state=true)', [[8], [8]]],
      // Bidirectional: the merged output, the forward states, then the backward ones.
      ['seq, fh, fc, bh, bc = Bidirectional(LSTM(8, return_sequences=true, return_state=true))', [[10, 16], [8], [8], [8], [8]]],
      ['out, fh, bh = Bidirectional(GRU(8, return_state=true), merge_mode=sum)', [[8], [8], [8]]],
      ['out, fh, bh = Bidirectional(SimpleRNN(8, return_state=true))', [[16], [8], [8]]],
    ];
    for (const [statement, shapes] of cases) {
      const { model } = evaluated(`model m {\n  x = input (10, 4)\n  ${statement}\n}\n`);
      const layer = model.layers[0];
      assert.ok(layer);
      assert.deepEqual(layer.outputShapes?.map((s) => [...s]), shapes, statement);
      assert.deepEqual([...layer.outputShape], shapes[0], statement);
      // Each label names its tensor.
      const labels = statement.split(' = ')[0]?.split(', ') ?? [];
      labels.forEach((label, i) => {
        const source = model.labels.get(label);
        assert.ok(source?.kind === 'layer' && source.index === i && source.layer === layer, `${statement}: ${label}`);
      });
    }
    // One label names the first output, as before.
    const { model } = evaluated('model m {\n  x = input (10, 4)\n  seq = LSTM(8, return_state=true)\n  Dense(2)\n}\n');
    assert.deepEqual(model.layers.map((l) => [...l.outputShape]), [[8], [2]]);
  });

  test('initial states are inputs of the layer (after its sequence), not parameters', () => {
    const { model } = evaluated(seq2seq);
    const decoder = layerNamed(model, 'lstm');
    assert.deepEqual(decoder.inputs.map(describeSource), ['embedding_1[0]', 'enc[1]', 'enc[2]']);
    assert.deepEqual(decoder.inputShapes.map((s) => [...s]), [[null, 32], [64], [64]]);
    // 4·((32 + 64 + 1)·64) = 24,832, with or without initial states.
    assert.equal(decoder.params, 24832);
    assert.equal(layerNamed(model, 'enc').params, 24832);
    // The encoder leads to the output only through its states: it is kept, and so is `source`.
    assert.equal(model.discarded.size, 0);
    assert.equal(model.totals.params, 32000 + 24832 + 32000 + 24832 + 65000);
    // One state for GRU, written bare or as a tuple of one.
    for (const states of ['h', '(h,)', '[h]']) {
      evaluated(`model m {\n  x = input (10, 4)\n  out, h = GRU(8, return_state=true)\n  from x\n  GRU(8, initial_state=${states})\n}\n`);
    }
  });

  test('a branch that leads to no output is discarded and left out of the totals', () => {
    const text = 'model m {\n  a = input (4,)\n  b = input (3,)\n  side = Dense(100)\n  from b\n  Dense(4)\n  Add(a)\n  Dense(1)\n}\n';
    const analysis = analyzeText(text);
    const model = analysis.models[0]?.evaluated;
    assert.ok(model);
    assert.deepEqual([...model.discarded].map((l) => l.name), ['side']);
    assert.equal(model.totals.params, 16 + 5);
    assert.deepEqual(
      analysis.diagnostics.map((d) => d.message),
      [],
    );
  });
});

describe('errors, each with what to do', () => {
  test('inputs: several need labels, an input no output needs, labels and `repeat`', () => {
    assert.deepEqual(problems('model m {\n  input (4,)\n  b = input (5,)\n  Add(b)\n}\n'), [
      '2: this model has 2 inputs, so each needs a label to be named by: write `input_1 = input ...`',
    ]);
    assert.deepEqual(problems('model m {\n  image = input (8,)\n  meta = input (3,)\n  from image\n  Dense(2)\n}\n'), [
      '3: input `meta` is not connected to any output; use it in a layer that leads to an output (`from meta`, or merge it), or remove it',
    ]);
    assert.deepEqual(problems('model m {\n  a, b = input (3,)\n  Dense(2)\n}\n'), ['2: an input is one tensor, so it takes one label: `a = input ...`']);
    assert.deepEqual(problems('model m {\n  a = input (3,)\n  repeat 2 {\n    z = input (3,)\n  }\n  Add(a)\n}\n'), [
      '4: `input` inside `repeat` would give the model one input per repetition; move it before the block',
    ]);
    assert.deepEqual(problems('model m {\n  a = input (3,)\n  Dense(4)\n  b = input (3,)\n  Add(a)\n}\n'), [
      '4: `input` starts a new branch and drops the output of Dense on the line above, which nothing uses; label it or remove the layers that lead to it',
    ]);
  });

  test('output: last statement, known labels, each once', () => {
    assert.deepEqual(problems('model m {\n  x = input (3,)\n  a = Dense(2)\n  output a\n  Dense(3)\n}\n'), [
      "4: `output` must be the model's last statement; move it to the end of the model",
    ]);
    assert.deepEqual(problems('model m {\n  x = input (3,)\n  a = Dense(2)\n  if true {\n    output a\n  }\n}\n'), [
      "5: `output` must be the model's last statement, outside `repeat` and `if`; move it to the end of the model",
    ]);
    assert.deepEqual(problems('model m {\n  x = input (3,)\n  b = Dense(1)\n  output b, b, bb\n}\n'), [
      '4: `b` is already an output of this model; name each output once',
      '4: no earlier layer is labelled `bb`; did you mean `b`?; label the layer whose output this is, `bb = Layer(...)`',
    ]);
    assert.deepEqual(problems('model m {\n  x = input (3,)\n  Dense(4)\n  z = Dense(1)\n  Dense(7)\n  output z\n}\n'), [
      '6: `output` drops the output of Dense on the line above, which nothing uses; label it or remove the layers that lead to it',
    ]);
  });

  test('labels of a layer with several outputs: as many as it returns', () => {
    const wrap = (statement: string) => problems(`model m {\n  x = input (10, 4)\n  ${statement}\n}\n`);
    assert.deepEqual(wrap('seq, h = LSTM(8, return_state=true)'), [
      '3: 2 labels, but LSTM returns 3 tensors: the output, then h and c, each (None, 8); write 3 labels, `seq, h, c = ...`, or one for the output alone',
    ]);
    assert.deepEqual(wrap('c, d = LSTM(8)'), ['3: 2 labels, but LSTM returns one tensor (with `return_state=true` it also returns its states h, c); give it one label']);
    assert.deepEqual(wrap('a, b = Dense(3)'), ['3: 2 labels, but Dense returns one tensor; give it one label']);
    assert.deepEqual(wrap('a, b, c, d, e = Bidirectional(GRU(4, return_state=true))'), [
      '3: 5 labels, but Bidirectional(GRU) returns 3 tensors: the output, then forward_h and backward_h, each (None, 4); write 3 labels, `seq, forward_h, backward_h = ...`, or one for the output alone',
    ]);
  });

  test('initial_state: labels, as many as the states, each of the state shape', () => {
    const wrap = (statement: string) => problems(`model m {\n  x = input (10, 4)\n  s, h, c = LSTM(8, return_sequences=true, return_state=true)\n  ${statement}\n}\n`);
    assert.deepEqual(wrap('LSTM(8, initial_state=h)'), ['4: LSTM takes 2 initial states, h and c, each (None, 8); `initial_state` gives 1']);
    assert.deepEqual(wrap('LSTM(8, initial_state=(h, s))'), ['4: LSTM: the initial state `s` is (None, 10, 8), but its state c must be (None, 8)']);
    assert.deepEqual(wrap('LSTM(16, initial_state=(h, c))'), [
      '4: LSTM: the initial state `h` is (None, 8), but its state h must be (None, 16)',
      '4: LSTM: the initial state `c` is (None, 8), but its state c must be (None, 16)',
    ]);
    assert.deepEqual(wrap('Dense(3, initial_state=(h, c))'), ['4: Dense takes no `initial_state`: only recurrent layers (SimpleRNN, LSTM, GRU) and Bidirectional of them do; remove it']);
    assert.deepEqual(wrap('LSTM(8, initial_state=(1, 2))'), ['4: LSTM: `initial_state` takes the labels of the state tensors, e.g. `initial_state=(h, c)`; got the integer 1']);
    assert.deepEqual(wrap('LSTM(8, initial_state=(hh, c))'), ['4: no earlier layer is labelled `hh`; did you mean `h`?']);
    assert.deepEqual(wrap('Bidirectional(LSTM(8, initial_state=(h, c)))'), ['4: give `initial_state` to Bidirectional(...), not to the LSTM it wraps']);
    assert.deepEqual(wrap('Bidirectional(LSTM(8), initial_state=(h, c))'), [
      '4: Bidirectional(LSTM) takes 4 initial states, forward_h, forward_c, backward_h and backward_c, each (None, 8); `initial_state` gives 2',
    ]);
    assert.deepEqual(wrap('Bidirectional(LSTM(8), initial_state=(h, c, h, c))'), []);
  });

  test('training a model with several inputs or outputs is refused on the block, and by the trainer', () => {
    const text = `${twoHeads}\ntrain two_heads { dataset = mnist }\ntune two_heads { dataset = mnist }\n`;
    const expected =
      "`two_heads` has 1 input and 2 outputs (`main`, `aux`), but the data set mnist provides one image input and one label per sample, so Layerlab cannot train it; train a model with one input and one output (its editor features still work)";
    assert.deepEqual(problems(text), [`11: ${expected}`, `12: ${expected}`]);
    const inputs = problems(`${wideDeep}\ntrain wide_deep { dataset = mnist }\n`);
    assert.deepEqual(inputs, [
      "10: `wide_deep` has 2 inputs (`wide`, `deep`) and 1 output, but the data set mnist provides one image input and one label per sample, so Layerlab cannot train it; train a model with one input and one output (its editor features still work)",
    ]);
    const { model } = evaluated(twoHeads);
    assert.equal(outputMismatch(model, 'mnist', 10, undefined, 'heads.model'), `heads.model: ${expected}`);
  });
});

describe('the summary, as Keras 3 prints it', () => {
  // Keras 3.15.1's `model.summary()` of the same model (its column widths are fixed; ours fit the text):
  //   wide = keras.Input(shape=(8,), name="wide"); deep = keras.Input(shape=(16,), name="deep")
  //   x = Dense(32, activation="relu")(deep); x = Dense(16, activation="relu")(x)
  //   x = Concatenate()([x, wide]); x = Dense(1, activation="sigmoid")(x); keras.Model([wide, deep], x)
  // The InputLayers take their places by depth: `wide` joins at the Concatenate, so it comes after the first two Dense.
  const keras = `Model: "wide_deep"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓
┃ Layer (type)                  ┃ Output Shape              ┃         Param # ┃ Connected to               ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩
│ deep (InputLayer)             │ (None, 16)                │               0 │ -                          │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ dense (Dense)                 │ (None, 32)                │             544 │ deep[0][0]                 │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ dense_1 (Dense)               │ (None, 16)                │             528 │ dense[0][0]                │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ wide (InputLayer)             │ (None, 8)                 │               0 │ -                          │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ concatenate (Concatenate)     │ (None, 24)                │               0 │ dense_1[0][0], wide[0][0]  │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ dense_2 (Dense)               │ (None, 1)                 │              25 │ concatenate[0][0]          │
└───────────────────────────────┴───────────────────────────┴─────────────────┴────────────────────────────┘
 Total params: 1,097 (4.29 KB)
 Trainable params: 1,097 (4.29 KB)
 Non-trainable params: 0 (0.00 B)`;

  /** The cells of a box-drawn table and its totals lines. */
  const cells = (table: string): string[][] =>
    table
      .split('\n')
      .filter((line) => line.startsWith('│') || line.startsWith('┃') || line.startsWith(' Total') || line.startsWith(' Trainable') || line.startsWith(' Non-trainable'))
      .map((line) => (line.startsWith(' ') ? [line.trim()] : line.slice(1, -1).split(/[│┃]/).map((c) => c.trim())));

  test('a two-input Concatenate model: the rows, connections and totals Keras prints', () => {
    const { model } = evaluated(wideDeep);
    const ours = summaryTable(model);
    assert.deepEqual(cells(ours), cells(keras));
    assert.equal(
      ours,
      `Model: "wide_deep"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━┳━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━┓
┃ Layer (type)              ┃ Output Shape ┃ Param # ┃ Connected to              ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━╇━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━┩
│ deep (InputLayer)         │ (None, 16)   │       0 │ -                         │
├───────────────────────────┼──────────────┼─────────┼───────────────────────────┤
│ dense (Dense)             │ (None, 32)   │     544 │ deep[0][0]                │
├───────────────────────────┼──────────────┼─────────┼───────────────────────────┤
│ dense_1 (Dense)           │ (None, 16)   │     528 │ dense[0][0]               │
├───────────────────────────┼──────────────┼─────────┼───────────────────────────┤
│ wide (InputLayer)         │ (None, 8)    │       0 │ -                         │
├───────────────────────────┼──────────────┼─────────┼───────────────────────────┤
│ concatenate (Concatenate) │ (None, 24)   │       0 │ dense_1[0][0], wide[0][0] │
├───────────────────────────┼──────────────┼─────────┼───────────────────────────┤
│ dense_2 (Dense)           │ (None, 1)    │      25 │ concatenate[0][0]         │
└───────────────────────────┴──────────────┴─────────┴───────────────────────────┘
 Total params: 1,097 (4.29 KB)
 Trainable params: 1,097 (4.29 KB)
 Non-trainable params: 0 (0.00 B)
 Multiply-adds: 1.05K per sample (2.1K FLOPs)`,
    );
  });

  test('an encoder–decoder: the list of shapes of a layer with states, and connections to them (Keras 3.15.1)', () => {
    const { model } = evaluated(seq2seq);
    const rows = cells(summaryTable(model)).slice(1, -3);
    // Keras prints these rows (wrapping the long cells over two lines in its fixed widths).
    assert.deepEqual(rows, [
      ['source (InputLayer)', '(None, None)', '0', '-'],
      ['target (InputLayer)', '(None, None)', '0', '-'],
      ['embedding (Embedding)', '(None, None, 32)', '32,000', 'source[0][0]'],
      ['embedding_1 (Embedding)', '(None, None, 32)', '32,000', 'target[0][0]'],
      ['enc (LSTM)', '[(None, 64), (None, 64), (None, 64)]', '24,832', 'embedding[0][0]'],
      ['lstm (LSTM)', '(None, None, 64)', '24,832', 'embedding_1[0][0], enc[0][1], enc[0][2]'],
      ['dense (Dense)', '(None, None, 1000)', '65,000', 'lstm[0][0]'],
    ]);
    assert.match(summaryTable(model), / Total params: 178,664 \(697\.91 KB\)/);
  });

  test('a model Keras builds as Sequential keeps the Sequential table: no InputLayer, no connections', () => {
    const { model } = evaluated('model m {\n  x = input (4,)\n  Dense(8)\n  Dense(2)\n}\n');
    assert.deepEqual(cells(summaryTable(model))[0], ['Layer (type)', 'Output Shape', 'Param #']);
    assert.deepEqual(cells(summaryTable(model)).slice(1, 3).map((r) => r[0]), ['dense (Dense)', 'dense_1 (Dense)']);
  });

  test('two outputs on a chain: Keras finds it sequential-like, so InputLayer but no "Connected to" (Keras 3.15.1)', () => {
    const { model } = evaluated('model m {\n  x = input (4,)\n  h1 = Dense(8)\n  h2 = Dense(2)\n  output h1, h2\n}\n');
    assert.deepEqual(cells(summaryTable(model)).slice(0, 4), [
      ['Layer (type)', 'Output Shape', 'Param #'],
      ['x (InputLayer)', '(None, 4)', '0'],
      ['h1 (Dense)', '(None, 8)', '40'],
      ['h2 (Dense)', '(None, 2)', '18'],
    ]);
  });

  test('JSON: every input and output with its shape, and the shapes of a layer with several outputs', () => {
    const json = summaryJson('s.model', analyzeText(seq2seq)).models[0];
    assert.ok(json);
    assert.deepEqual(json.inputs, [
      { name: 'source', shape: [null] },
      { name: 'target', shape: [null] },
    ]);
    assert.deepEqual(json.outputs, [{ name: 'dense', index: 0, shape: [null, 1000] }]);
    assert.deepEqual(json.input_shape, [null]);
    const enc = json.layers.find((l) => l.name === 'enc');
    assert.deepEqual(enc?.output_shapes, [[64], [64], [64]]);
    assert.equal(json.layers.find((l) => l.name === 'dense')?.output_shapes, undefined);
  });
});

describe('Copy as Keras Code', () => {
  test('inputs in order, a name per output of a layer with states, initial_state=[h, c], the model of both inputs', () => {
    const analysis = analyzeText(seq2seq);
    const model = analysis.models[0];
    assert.ok(model);
    assert.equal(
      kerasCode(analysis, model),
      `import keras
from keras import layers


def build_seq2seq():
    source = keras.Input(shape=(None,), name="source")
    target = keras.Input(shape=(None,), name="target")
    x = layers.Embedding(input_dim=1000, output_dim=32)(source)
    enc, h, c = layers.LSTM(units=64, return_state=True, name="enc")(x)
    x = layers.Embedding(input_dim=1000, output_dim=32)(target)
    x = layers.LSTM(units=64, return_sequences=True)(x, initial_state=[h, c])
    x = layers.Dense(units=1000, activation="softmax")(x)
    return keras.Model([source, target], x, name="seq2seq")


model = build_seq2seq()
model.summary()
`,
    );
  });

  test('several outputs, and unlabelled states as `_`', () => {
    const analysis = analyzeText(`${twoHeads}\nmodel states {\n  x = input (5, 3)\n  LSTM(4, return_state=true)\n}\n`);
    const [heads, states] = analysis.models;
    assert.ok(heads && states);
    assert.match(kerasCode(analysis, heads), /\n {4}return keras\.Model\(img, \[main, aux\], name="two_heads"\)\n/);
    assert.match(kerasCode(analysis, states), /\n {4}x, _, _ = layers\.LSTM\(units=4, return_state=True\)\(x_\)\n/);
  });
});
