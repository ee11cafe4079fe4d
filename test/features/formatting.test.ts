import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { formatDocument, formatText, type FormattingOptions, type TextEdit } from '../../language-server/src/features/formatting.js';
import { parseModelText } from '../../language-server/src/syntax/parse.js';

const root = join(fileURLToPath(import.meta.url), '../../../..');
const twoSpaces: FormattingOptions = { tabSize: 2, insertSpaces: true };

function format(text: string, options: FormattingOptions = twoSpaces): string {
  return formatDocument(text, options);
}

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.range.start - a.range.start)) {
    result = result.slice(0, edit.range.start) + edit.newText + result.slice(edit.range.end);
  }
  return result;
}

/** Token and comment images in source order; commas right before `)`/`]` left out when asked. */
function tokenImages(text: string, dropTrailingCommas = false): string[] {
  const parsed = parseModelText(text);
  assert.deepEqual(parsed.errors, [], `unexpected syntax errors in:\n${text}`);
  const all = [...parsed.tokens, ...parsed.comments].sort((a, b) => a.startOffset - b.startOffset);
  const images = all.map((t) => (t.image.startsWith('#') ? t.image.trimEnd() : t.image));
  if (!dropTrailingCommas) return images;
  return images.filter((image, i) => !(image === ',' && (images[i + 1] === ')' || images[i + 1] === ']')));
}

/** The invariants every formatting must keep: idempotent, same tokens, edits that produce the same text. */
function checkInvariants(text: string, options: FormattingOptions = twoSpaces, dropsCommas = false): string {
  const formatted = format(text, options);
  assert.equal(format(formatted, options), formatted, `not idempotent for:\n${text}`);
  if (dropsCommas) {
    assert.deepEqual(tokenImages(formatted, true), tokenImages(text, true));
  } else {
    assert.deepEqual(tokenImages(formatted), tokenImages(text), `token sequence changed for:\n${text}`);
  }
  const edits = formatText(text, options);
  assert.ok(edits, 'edits expected for a file without syntax errors');
  const sorted = [...edits].sort((a, b) => a.range.start - b.range.start);
  sorted.forEach((edit, i) => {
    assert.ok(edit.range.start <= edit.range.end);
    const next = sorted[i + 1];
    if (next) assert.ok(edit.range.end <= next.range.start, 'edits overlap');
  });
  assert.equal(applyEdits(text, edits), formatted);
  assert.deepEqual(formatText(formatted, options), [], 'formatted text should need no edits');
  if (formatted.length > 0) {
    assert.ok(formatted.endsWith('\n') && !formatted.endsWith('\n\n'), 'ends with exactly one newline');
    assert.doesNotMatch(formatted, /[ \t]+\n/, 'no trailing whitespace');
    assert.doesNotMatch(formatted, /\n[ \t]*\n[ \t]*\n/, 'at most one blank line in a row');
  }
  return formatted;
}

function exampleFiles(): { name: string; text: string }[] {
  const files: { name: string; text: string }[] = [];
  for (const dir of [join(root, 'examples'), join(root, '../shared/examples')]) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).filter((f) => f.endsWith('.model')).sort()) {
      files.push({ name: `${dir.endsWith('shared/examples') ? 'shared/' : ''}examples/${name}`, text: readFileSync(join(dir, name), 'utf8') });
    }
  }
  return files;
}

/** A small deterministic generator, so that scrambled examples are the same on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * Rewrites the whitespace between tokens. `keepLines` keeps every line break
 * (dropping indentation and spacing), otherwise breaks are added and removed at random.
 */
function scramble(text: string, seed: number, keepLines: boolean): string {
  const parsed = parseModelText(text);
  const all = [...parsed.tokens, ...parsed.comments].sort((a, b) => a.startOffset - b.startOffset);
  const next = random(seed);
  const pick = <V>(choices: readonly V[]): V => choices[Math.floor(next() * choices.length)] as V;
  let out = '';
  let previousEnd = 0;
  let previousImage = '';
  for (const token of all) {
    const old = text.slice(previousEnd, token.startOffset);
    const isComment = token.image.startsWith('#');
    const wordJoin = /[\w.]$/.test(previousImage) && /^[\w.]/.test(token.image);
    let gap: string;
    if (previousImage.startsWith('#')) {
      gap = keepLines ? '\n'.repeat(Math.max(1, (old.match(/\n/g) ?? []).length)) + pick(['', ' ', '\t', '      ']) : pick(['\n', '\n\n', '\n   \n\n\t']);
    } else if (keepLines) {
      const lines = (old.match(/\n/g) ?? []).length;
      if (lines > 0) gap = pick([' ', '', '\t']) + '\n'.repeat(lines) + pick(['', ' ', '\t\t', '     ']);
      else if (isComment) gap = old;
      else gap = wordJoin ? pick([' ', '   ', '\t']) : pick(['', ' ', '  ']);
    } else {
      gap = pick(wordJoin ? [' ', '  ', '\n', ' \n\n\n '] : ['', ' ', '\n', '\t', '\n\n\n', ' \n  ']);
    }
    out += (previousImage === '' ? pick(['', '\n\n', '  ']) : gap) + token.image;
    previousEnd = token.startOffset + token.image.length;
    previousImage = token.image;
  }
  return out + pick(['', '\n', '\n\n\n', '  ']);
}

describe('formatting the examples', () => {
  const files = exampleFiles();
  test('there are examples to check', () => assert.ok(files.length > 0));
  for (const { name, text } of files) {
    test(`${name}: idempotent and token-preserving, with 2, 4 and tab indents`, () => {
      checkInvariants(text);
      checkInvariants(text, { tabSize: 4, insertSpaces: true });
      checkInvariants(text, { tabSize: 4, insertSpaces: false });
    });
    test(`${name}: already in canonical form (no edits)`, () => {
      assert.deepEqual(formatText(text, twoSpaces), []);
    });
    test(`${name}: indentation and spacing removed, formatting restores the file`, () => {
      for (let seed = 1; seed <= 5; seed++) {
        const scrambled = scramble(text, seed, true);
        assert.equal(checkInvariants(scrambled), text, `seed ${seed}`);
      }
    });
    test(`${name}: line breaks scrambled, formatting is still idempotent and token-preserving`, () => {
      for (let seed = 1; seed <= 10; seed++) checkInvariants(scramble(text, seed, false));
    });
  }
});

interface Case {
  readonly name: string;
  readonly input: string;
  readonly expected: string;
  readonly options?: FormattingOptions;
  /** The case drops a trailing comma, so the token sequence differs by those commas. */
  readonly dropsCommas?: boolean;
}

const cases: readonly Case[] = [
  // One statement per line.
  {
    name: 'two layers on one line are split',
    input: 'model m {\n  input (4,)\n  Dense(1) Dense(2)\n}\n',
    expected: 'model m {\n  input (4,)\n  Dense(1)\n  Dense(2)\n}\n',
  },
  {
    name: 'an input and a layer on one line are split',
    input: 'model m {\n  input (4,) Dense(2)\n}\n',
    expected: 'model m {\n  input (4,)\n  Dense(2)\n}\n',
  },
  {
    name: 'a whole model on one line is laid out',
    input: 'model m { input (4,) s = Dense(2) from s Dense(1) }',
    expected: 'model m {\n  input (4,)\n  s = Dense(2)\n  from s\n  Dense(1)\n}\n',
  },
  {
    name: 'commas between statements are kept, each statement on its own line',
    input: 'model m {\n  input (4,), Dense(2),Dense(1)\n}\n',
    expected: 'model m {\n  input (4,),\n  Dense(2),\n  Dense(1)\n}\n',
  },
  {
    name: 'settings on one line are split',
    input: 'train m { dataset = mnist epochs = 3 }\n',
    expected: 'train m {\n  dataset = mnist\n  epochs  = 3\n}\n',
  },
  {
    name: 'two declarations on one line are split, with a blank line',
    input: 'model a { input (4,) } model b = a()',
    expected: 'model a { input (4,) }\n\nmodel b = a()\n',
  },
  // Braces.
  {
    name: '`{` moves onto its header line',
    input: 'model m\n{\n  input (4,)\n  repeat 2\n  {\n    Dense(2)\n  }\n}\n',
    expected: 'model m {\n  input (4,)\n  repeat 2 {\n    Dense(2)\n  }\n}\n',
  },
  {
    name: 'a `{` kept off its header by a comment lines up with the header',
    input: 'model m # the model\n    {\n  input (4,)\n}\n',
    expected: 'model m # the model\n{\n  input (4,)\n}\n',
  },
  {
    name: '`}` goes on its own line',
    input: 'model m {\n  input (4,)\n  Dense(2) }\n',
    expected: 'model m {\n  input (4,)\n  Dense(2)\n}\n',
  },
  {
    name: 'a one-line block with one statement stays on one line',
    input: 'model m {\n  input (4,)\n  if bn {BatchNormalization()}\n  repeat 2 {   repeat 2 { Dense(2) }   }\n}\n',
    expected: 'model m {\n  input (4,)\n  if bn { BatchNormalization() }\n  repeat 2 { repeat 2 { Dense(2) } }\n}\n',
  },
  {
    name: 'a one-line block with two statements is laid out',
    input: 'model m {\n  input (4,)\n  if bn { BatchNormalization() Dense(3) }\n}\n',
    expected: 'model m {\n  input (4,)\n  if bn {\n    BatchNormalization()\n    Dense(3)\n  }\n}\n',
  },
  {
    name: 'a block written on several lines stays on several lines',
    input: 'model m {\n  input (4,)\n  if bn {\n  Dense(3) }\n}\n',
    expected: 'model m {\n  input (4,)\n  if bn {\n    Dense(3)\n  }\n}\n',
  },
  {
    name: 'a one-line train block stays on one line',
    input: 'train m {dataset=mnist}',
    expected: 'train m { dataset = mnist }\n',
  },
  {
    name: 'empty blocks',
    input: 'model m { }\nmodel n {\n\n}\n',
    expected: 'model m {}\n\nmodel n {\n}\n',
  },
  // Indentation.
  {
    name: 'indentation follows block depth',
    input: 'model m {\ninput (4,)\n      repeat 2 {\nif bn {\nDense(2)\n}\n}\n}\n',
    expected: 'model m {\n  input (4,)\n  repeat 2 {\n    if bn {\n      Dense(2)\n    }\n  }\n}\n',
  },
  {
    name: 'indentation with four spaces',
    input: 'model m {\n input (4,)\n repeat 2 {\n Dense(2)\n }\n}\n',
    expected: 'model m {\n    input (4,)\n    repeat 2 {\n        Dense(2)\n    }\n}\n',
    options: { tabSize: 4, insertSpaces: true },
  },
  {
    name: 'indentation with tabs',
    input: 'model m {\n input (4,)\n repeat 2 {\n Dense(2)\n }\n}\ntrain m {\n  dataset = mnist\n  epochs = 1\n}\n',
    expected: 'model m {\n\tinput (4,)\n\trepeat 2 {\n\t\tDense(2)\n\t}\n}\n\ntrain m {\n\tdataset = mnist\n\tepochs  = 1\n}\n',
    options: { tabSize: 4, insertSpaces: false },
  },
  {
    name: 'continuation lines inside brackets get one more level; the closer lines up with its opener line',
    input: 'model m {\ninput (4,)\nDense(\n4,\n      activation=softmax\n      )\nDense(2,\nactivation=relu)\n}\n',
    expected: 'model m {\n  input (4,)\n  Dense(\n    4,\n    activation=softmax\n  )\n  Dense(2,\n    activation=relu)\n}\n',
  },
  {
    name: 'brackets opened on one line add a single level',
    input: 'model m {\n  input (8, 4)\n  Bidirectional(LSTM(\n  8,\n  return_sequences=true))\n}\ntrain m {\n  augment = Augment(\n  rotation=10,\n      zoom=0.2\n  )\n}\n',
    expected:
      'model m {\n  input (8, 4)\n  Bidirectional(LSTM(\n    8,\n    return_sequences=true))\n}\n\ntrain m {\n  augment = Augment(\n    rotation=10,\n    zoom=0.2\n  )\n}\n',
  },
  {
    name: 'nested brackets opened on separate lines add a level each',
    input: 'model m {\n  input (8, 4)\n  Bidirectional(\n  LSTM(\n  8,\n  return_sequences=true\n  )\n  )\n}\n',
    expected: 'model m {\n  input (8, 4)\n  Bidirectional(\n    LSTM(\n      8,\n      return_sequences=true\n    )\n  )\n}\n',
  },
  {
    name: 'line breaks inside a statement are joined, except after `(`, `[`, `,` and before the `)`, `]` of brackets that span lines',
    input:
      'model m\n(w = 2) {\n  input (4,)\n  stem =\n  Dense(2\n  * w\n  , activation\n  = relu)\n  Dense(1,\n  use_bias=false\n  )\n  Dense(3, use_bias=false\n  )\n  from\n  stem\n}\ntrain m,\n  n {\n  epochs\n  = 3\n}\ntune m {\n  depth in 2\n  ..5\n  step 1\n  bn in [\n  true, false]\n}\n',
    expected:
      'model m(w = 2) {\n  input (4,)\n  stem = Dense(2 * w, activation=relu)\n  Dense(1,\n    use_bias=false\n  )\n  Dense(3, use_bias=false)\n  from stem\n}\n\ntrain m, n {\n  epochs = 3\n}\n\ntune m {\n  depth in 2..5 step 1\n  bn    in [\n    true, false]\n}\n',
  },
  {
    name: 'a statement that a comment breaks outside brackets is indented one more level',
    input: 'model m {\n  input (4,)\n  stem = # the stem\n  Dense(2)\n}\n',
    expected: 'model m {\n  input (4,)\n  stem = # the stem\n    Dense(2)\n}\n',
  },
  // Spaces.
  {
    name: 'one space after a comma, none before, none inside brackets',
    input: 'model m {\n  input ( 28 ,28,1 )\n  Conv2D( 32 ,( 3,3 ) )\n}\ntune m {\n  bn in [ true ,false ]\n}\n',
    expected: 'model m {\n  input (28, 28, 1)\n  Conv2D(32, (3, 3))\n}\n\ntune m {\n  bn in [true, false]\n}\n',
  },
  {
    name: 'no space between a callee and its `(`; one after keywords',
    input: 'model m {\n  input(4,)\n  Dense  (2)\n  repeat(2) { Dense (1) }\n  if(bn) { Dense(1) }\n}\n',
    expected: 'model m {\n  input (4,)\n  Dense(2)\n  repeat (2) { Dense(1) }\n  if (bn) { Dense(1) }\n}\n',
  },
  {
    name: 'keyword arguments without spaces around `=`',
    input: 'model m {\n  input (4,)\n  Dense(2, activation = relu, use_bias =false)\n}\n',
    expected: 'model m {\n  input (4,)\n  Dense(2, activation=relu, use_bias=false)\n}\n',
  },
  {
    name: '`=` spaced in labels, model parameters, variants and settings; keyword arguments inside them unspaced',
    input:
      'model m(filters=32,units =8) {\n  input (4,)\n  stem=Dense(units)\n  x= input (4,)\n}\nmodel v=m(filters=48)\ntrain m {\n  optimizer=Adam( learning_rate = 1e-3 )\n}\nmodel w = m(filters = Foo(a = 1))\n',
    expected:
      'model m(filters = 32, units = 8) {\n  input (4,)\n  stem = Dense(units)\n  x = input (4,)\n}\n\nmodel v = m(filters = 48)\n\ntrain m {\n  optimizer = Adam(learning_rate=1e-3)\n}\n\nmodel w = m(filters = Foo(a=1))\n',
  },
  {
    name: 'binary operators spaced, unary minus attached',
    input:
      'model m(w = 2) {\n  input (4,)\n  Dense(2*w)\n  Dense(w//2+1)\n  Dense((w+16)/2 -1)\n  LeakyReLU(- 0.4)\n  Dense(w - -1)\n  Dense(w*-1)\n}\ntrain m {\n  seed = - 1\n}\n',
    expected:
      'model m(w = 2) {\n  input (4,)\n  Dense(2 * w)\n  Dense(w // 2 + 1)\n  Dense((w + 16) / 2 - 1)\n  LeakyReLU(-0.4)\n  Dense(w - -1)\n  Dense(w * -1)\n}\n\ntrain m {\n  seed = -1\n}\n',
  },
  {
    name: 'range syntax: `..` unspaced, `step` and `log` spaced',
    input: 'tune m {\n  depth in 2 .. 5 step 1\n  slope in - 1.0..0.0 step 0.1\n  learning_rate in 1e-4 ..1e-2   log\n}\n',
    expected: 'tune m {\n  depth in 2..5 step 1\n  slope in -1.0..0.0 step 0.1\n  learning_rate in 1e-4..1e-2 log\n}\n',
  },
  {
    name: 'trailing commas dropped except in 1-tuples',
    input:
      'model m {\n  input (5 , )\n  Conv2D(32, (3, 3,),)\n  Reshape(((5,),))\n  Dense(1,)\n}\ntune m {\n  bn in [true, false,]\n}\n',
    expected: 'model m {\n  input (5,)\n  Conv2D(32, (3, 3))\n  Reshape(((5,),))\n  Dense(1)\n}\n\ntune m {\n  bn in [true, false]\n}\n',
    dropsCommas: true,
  },
  {
    name: 'strings and numbers kept exactly as written',
    input: "model m {\n  input (28,28,1)\n  Conv2D(32,3,padding='same',activation=\"relu\")\n  Dropout(0.250)\n  Dense(1E3)\n  Dense(.5e-2)\n}\n",
    expected: "model m {\n  input (28, 28, 1)\n  Conv2D(32, 3, padding='same', activation=\"relu\")\n  Dropout(0.250)\n  Dense(1E3)\n  Dense(.5e-2)\n}\n",
  },
  // Comments.
  {
    name: 'own-line comments re-indented, including before `}` and at the end of the file',
    input: '# header\nmodel m {\n# first\n  input (4,)\n        # second\n  Dense(2)\n      # last\n}\n    # end of file\n',
    expected: '# header\nmodel m {\n  # first\n  input (4,)\n  # second\n  Dense(2)\n  # last\n}\n\n# end of file\n',
  },
  {
    name: 'trailing comments keep their spacing (at least one space), and lose trailing whitespace',
    input: 'model m {\n  input (4,)      # aligned\n  Dense(2)#tight   \n  Dense(1)\t# tab\n}\n',
    expected: 'model m {\n  input (4,)      # aligned\n  Dense(2) #tight\n  Dense(1)\t# tab\n}\n',
  },
  {
    name: 'trailing comments stay with their token when statements are split',
    input: 'model m { # the model\n  input (4,) Dense(2) # two\n} # end\n',
    expected: 'model m { # the model\n  input (4,)\n  Dense(2) # two\n} # end\n',
  },
  {
    name: 'comments inside a call keep their lines',
    input: 'model m {\n  input (4,)\n  Dense(\n  2, # units\n  # the activation\n  activation=relu\n  )\n}\n',
    expected: 'model m {\n  input (4,)\n  Dense(\n    2, # units\n    # the activation\n    activation=relu\n  )\n}\n',
  },
  {
    name: 'consecutive comments stay together',
    input: '# one\n   # two\nmodel m { input (4,) }\n# three\n# four\n',
    expected: '# one\n# two\nmodel m { input (4,) }\n\n# three\n# four\n',
  },
  {
    name: 'a file of consecutive comments only',
    input: '# one\n# two',
    expected: '# one\n# two\n',
  },
  {
    name: 'a file of comments only',
    input: '\n\n   # one\n\n\n# two   \n\n',
    expected: '# one\n\n# two\n',
  },
  // Blank lines.
  {
    name: 'at most one blank line; none after `{` or before `}`; single blank lines kept',
    input: 'model m {\n\n\n  input (4,)\n\n\n\n  Dense(2)\n\n  Dense(1)\n\n}\n',
    expected: 'model m {\n  input (4,)\n\n  Dense(2)\n\n  Dense(1)\n}\n',
  },
  {
    name: 'exactly one blank line between top-level declarations',
    input: 'model a {\n  input (4,)\n}\nmodel b = a()\n\n\n\ntrain a {\n  dataset = mnist\n}\ntune a { bn in [true, false] }',
    expected: 'model a {\n  input (4,)\n}\n\nmodel b = a()\n\ntrain a {\n  dataset = mnist\n}\n\ntune a { bn in [true, false] }\n',
  },
  {
    name: 'a comment before a declaration: the blank line goes above it, the user decides below it',
    input: 'model a { input (4,) }\n# about b\nmodel b = a()\n# about c\n\nmodel c = a()\n',
    expected: 'model a { input (4,) }\n\n# about b\nmodel b = a()\n\n# about c\n\nmodel c = a()\n',
  },
  {
    name: 'no leading blank lines, no trailing whitespace, exactly one final newline',
    input: '\n\n  model m {   \n  input (4,)   \n}   \n\n\n\n',
    expected: 'model m {\n  input (4,)\n}\n',
  },
  {
    name: 'a missing final newline is added',
    input: 'model m {\n  input (4,)\n}',
    expected: 'model m {\n  input (4,)\n}\n',
  },
  {
    name: 'an empty file stays empty',
    input: '',
    expected: '',
  },
  {
    name: 'a whitespace-only file becomes empty',
    input: ' \n\n\t\n',
    expected: '',
  },
  // Settings.
  {
    name: 'the `=` and `in` of consecutive settings are aligned',
    input: 'tune m {\n  dataset = mnist\n  depth in 2..5\n  units in 16..512 step 32\n  batch_size = 128\n  objective = val_loss\n}\n',
    expected: 'tune m {\n  dataset    = mnist\n  depth      in 2..5\n  units      in 16..512 step 32\n  batch_size = 128\n  objective  = val_loss\n}\n',
  },
  {
    name: 'alignment: a blank line starts a new group; long names keep one space',
    input: 'train m {\n  dataset        = mnist\n  epochs = 3\n\n  batch_size = 128\n  seed=1\n  early_stopping=EarlyStopping(patience=3)\n}\n',
    expected: 'train m {\n  dataset = mnist\n  epochs  = 3\n\n  batch_size = 128\n  seed       = 1\n  early_stopping = EarlyStopping(patience=3)\n}\n',
  },
  {
    name: 'alignment is kept across own-line comments',
    input: 'train m {\n  dataset = mnist\n  # longer\n  batch_size = 128 # trailing\n}\n',
    expected: 'train m {\n  dataset    = mnist\n  # longer\n  batch_size = 128 # trailing\n}\n',
  },
  // Line endings.
  {
    name: 'CRLF line endings are kept',
    input: 'model m {\r\n input (4,)  \r\n\r\n\r\n Dense(2) Dense(1)\r\n}\r\nmodel n = m()',
    expected: 'model m {\r\n  input (4,)\r\n\r\n  Dense(2)\r\n  Dense(1)\r\n}\r\n\r\nmodel n = m()\r\n',
  },
];

describe('formatting rules', () => {
  for (const c of cases) {
    test(c.name, () => {
      const options = c.options ?? twoSpaces;
      assert.equal(format(c.input, options), c.expected);
      checkInvariants(c.input, options, c.dropsCommas ?? false);
    });
  }
});

describe('formatText', () => {
  test('returns undefined for a file with syntax errors, and formatDocument leaves it alone', () => {
    for (const broken of ['model m {\n  Dense(2\n}\n', 'model m {\n  input (4,)\n  Dense(2) $\n}\n', 'model {', 'train m { epochs = }']) {
      assert.ok(parseModelText(broken).errors.length > 0);
      assert.equal(formatText(broken, twoSpaces), undefined);
      assert.equal(formatDocument(broken, twoSpaces), broken);
    }
  });

  test('returns no edits for formatted text', () => {
    assert.deepEqual(formatText('model m {\n  input (4,)\n}\n', twoSpaces), []);
    assert.deepEqual(formatText('', twoSpaces), []);
  });

  test('returns small edits touching only the whitespace that changes', () => {
    const text = 'model m {\n  input (4,)\n  Dense(2,activation = relu)\n    Dense(1)\n}\n';
    const edits = formatText(text, twoSpaces);
    assert.deepEqual(edits, [
      { range: { start: 33, end: 33 }, newText: ' ' },
      { range: { start: 43, end: 44 }, newText: '' },
      { range: { start: 45, end: 46 }, newText: '' },
      { range: { start: 54, end: 56 }, newText: '' },
    ]);
    assert.equal(applyEdits(text, edits ?? []), 'model m {\n  input (4,)\n  Dense(2, activation=relu)\n  Dense(1)\n}\n');
  });

  test('edits are offsets into the original text, in order and without overlap', () => {
    const text = '\n\nmodel m{input(4,) Dense(2) }   \n\n\n\ntrain m{dataset=mnist}';
    const edits = formatText(text, twoSpaces) ?? [];
    assert.ok(edits.length > 1);
    for (let i = 1; i < edits.length; i++) assert.ok((edits[i - 1]?.range.end ?? 0) <= (edits[i]?.range.start ?? 0));
    assert.equal(applyEdits(text, edits), 'model m {\n  input (4,)\n  Dense(2)\n}\n\ntrain m { dataset = mnist }\n');
  });
});
