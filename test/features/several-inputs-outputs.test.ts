// The editor features on models with several inputs and outputs, states and initial states:
// completion, hovers, inlay hints, outline, rename, semantic tokens and formatting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeText } from '../../language-server/src/analysis/analyze-file.js';
import { complete } from '../../language-server/src/features/completion.js';
import { formatDocument } from '../../language-server/src/features/formatting.js';
import { hover } from '../../language-server/src/features/hover.js';
import { inlayHints } from '../../language-server/src/features/inlay-hints.js';
import { rename } from '../../language-server/src/features/navigation.js';
import { outline } from '../../language-server/src/features/outline.js';
import { semanticTokens } from '../../language-server/src/features/semantic-tokens.js';
import { withCursor } from '../fixture.js';

const encoderDecoder = `model ed {
  enc_in = input (10, 8)
  seq, h, c = LSTM(16, return_sequences=true, return_state=true)
  dec_in = input (None, 8)
  dec = LSTM(16, initial_state=(h, c))
  aux = Dense(1)
  from dec
  main = Dense(4, activation=softmax)
  output main, aux
}
`;

function labels(marked: string): string[] {
  const { analysis, offset } = withCursor(marked);
  return complete(analysis, offset).items.map((i) => i.label);
}

/** The text of the hover at the first occurrence of `at` in the model above (its `nth` character). */
function hoverAt(text: string, at: string, nth = 0): string {
  const analysis = analyzeText(text);
  const offset = text.indexOf(at);
  assert.ok(offset >= 0, at);
  return hover(analysis, offset + nth)?.contents ?? '';
}

test('completion: labels after `output` and between its commas, and in `initial_state=`', () => {
  const body = 'model m {\n  x = input (10, 4)\n  s, h, c = LSTM(8, return_sequences=true, return_state=true)\n  y = Dense(2)\n';
  assert.deepEqual(labels(`${body}  output <|>\n}`), ['x', 's', 'h', 'c', 'y']);
  assert.deepEqual(labels(`${body}  output y, <|>\n}`), ['x', 's', 'h', 'c', 'y']);
  const items = complete(withCursor(`${body}  output <|>\n}`).analysis, withCursor(`${body}  output <|>\n}`).offset).items;
  assert.equal(items.find((i) => i.label === 'h')?.detail, 'model output · 8');
  assert.deepEqual(labels(`${body}  from s\n  LSTM(8, initial_state=<|>)\n}`), ['x', 's', 'h', 'c', 'y']);
  assert.deepEqual(labels(`${body}  from s\n  LSTM(8, initial_state=(h, <|>))\n}`), ['x', 's', 'h', 'c', 'y']);
  // Recurrent layers offer the argument; others do not.
  assert.ok(labels(`${body}  from s\n  LSTM(8, <|>)\n}`).includes('initial_state='));
  assert.ok(!labels(`${body}  Dense(8, <|>)\n}`).includes('initial_state='));
  // `output` is offered as a statement; after `output y ` (no comma) no label is.
  assert.ok(labels(`${body}  <|>\n}`).includes('output'));
  assert.ok(!labels(`${body}  output y <|>\n}`).includes('h'));
});

test('hovers: each input, the states of a layer, the outputs', () => {
  assert.match(hoverAt(encoderDecoder, 'input (None'), /^\*\*Input\*\* `\(None, None, 8\)` · input 2 of 2/);
  assert.match(hoverAt(encoderDecoder, 'LSTM(16, return'), /\*\*Output shapes:\*\* `\(None, 10, 16\)`, `\(None, 16\)`, `\(None, 16\)` \(the output, then the states\)/);
  // A state's label, where it is defined and where initial_state uses it.
  assert.equal(hoverAt(encoderDecoder, 'c = LSTM'), '**c** — output 3 of 3 of LSTM `seq` (a state): `(None, 16)`');
  assert.equal(hoverAt(encoderDecoder, 'h, c))', 0), '**h** — output 2 of 3 of LSTM `seq` (a state): `(None, 16)`');
  assert.equal(hoverAt(encoderDecoder, 'dec_in ='), '**dec_in** — input 2 of 2 of the model: `(None, None, 8)`');
  assert.equal(hoverAt(encoderDecoder, 'output'), '**Outputs** of `ed`, in order:\n\n1. `main` (Dense): `(None, 4)`\n2. `aux` (Dense): `(None, 1)`');
  assert.equal(hoverAt(encoderDecoder, 'main, aux'), '**main** — output of Dense: `(None, 4)`');
  // The model's hover table shows the InputLayers and the connections.
  const table = hoverAt(encoderDecoder, 'ed');
  assert.match(table, /\| Layer \(type\) \| Output shape \| Param # \| Connected to \|\n\| :-- \| :-- \| --: \| :-- \|/);
  assert.match(table, /\| dec \(LSTM\) \| `\(None, 16\)` \| 1,600 \| dec_in\[0\]\[0\], seq\[0\]\[1\], seq\[0\]\[2\] \|/);
});

test('inlay hints: every input, every output of a layer with states, the outputs', () => {
  const analysis = analyzeText(encoderDecoder);
  const hints = inlayHints(analysis, { start: 0, end: encoderDecoder.length }).map((h) => `${analysis.lines.positionAt(h.offset).line + 1}: ${h.label}`);
  assert.deepEqual(hints, [
    '2: → 10×8',
    // 4·((8 + 16 + 1)·16) = 1,600
    '3: → 10×16, 16, 16 · 1,600 params',
    '4: → ?×8',
    '5: → 16 · 1,600 params',
    '6: → 1 · 17 params',
    '8: → 4 · 68 params',
    '9: → 4, 1',
  ]);
});

test('outline: inputs, the labels of a layer with states, the output statement', () => {
  const items = outline(analyzeText(encoderDecoder))[0]?.children ?? [];
  assert.deepEqual(
    items.map((i) => [i.name, i.detail, i.kind]),
    [
      ['enc_in = input', '10×8', 'input'],
      ['seq, h, c = LSTM', '10×16, 16, 16', 'layer'],
      ['dec_in = input', '?×8', 'input'],
      ['dec = LSTM', '16', 'layer'],
      ['aux = Dense', '1', 'layer'],
      ['main = Dense', '4', 'layer'],
      ['output main, aux', '4, 1', 'output'],
    ],
  );
});

test('rename: a state label, where it is defined, in initial_state and in output', () => {
  const text = 'model m {\n  x = input (5, 3)\n  s, h = GRU(4, return_state=true)\n  from x\n  GRU(4, initial_state=h)\n  y = Dense(2)\n  output y, h\n}\n';
  const analysis = analyzeText(text);
  const result = rename(analysis, text.indexOf('h = GRU') + 0, 'state');
  assert.ok('edits' in result);
  const renamed = [...result.edits].sort((a, b) => b.range.start - a.range.start).reduce((t, e) => t.slice(0, e.range.start) + e.newText + t.slice(e.range.end), text);
  assert.equal(renamed, text.replace('s, h = GRU', 's, state = GRU').replace('initial_state=h', 'initial_state=state').replace('output y, h', 'output y, state'));
  assert.deepEqual(analyzeText(renamed).diagnostics.map((d) => d.message), []);
});

test('semantic tokens: the labels of a layer with states, in initial_state and in output, are variables', () => {
  const analysis = analyzeText(encoderDecoder);
  const variables = semanticTokens(analysis)
    .filter((t) => t.type === 'variable')
    .map((t) => encoderDecoder.slice(t.range.start, t.range.end));
  assert.deepEqual(variables, ['enc_in', 'seq', 'h', 'c', 'dec_in', 'dec', 'h', 'c', 'aux', 'dec', 'main', 'main', 'aux']);
});

test('formatting: labels and output lists are spaced like arguments', () => {
  const messy = 'model m {\n  x = input (5, 3)\n    s ,h=GRU(4, return_state=true)\n  from x\n  GRU(4,initial_state=( h, ))\n  y=Dense(2)\n  output   y ,h\n}\n';
  assert.equal(formatDocument(messy, { tabSize: 2, insertSpaces: true }), 'model m {\n  x = input (5, 3)\n  s, h = GRU(4, return_state=true)\n  from x\n  GRU(4, initial_state=(h,))\n  y = Dense(2)\n  output y, h\n}\n');
});
