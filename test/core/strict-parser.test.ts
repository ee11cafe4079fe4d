import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Lexer, type IToken } from 'chevrotain';
import { lex, lexCompact } from '../../language-server/src/syntax/lexer.js';
import { ModelParser } from '../../language-server/src/syntax/parser.js';
import { parseStrict } from '../../language-server/src/syntax/strict-parser.js';
import * as T from '../../language-server/src/syntax/tokens.js';
import { seededRandom } from '../../language-server/src/common/random.js';

const root = join(fileURLToPath(import.meta.url), '../../../..');
const chevrotainLexer = new Lexer(T.allTokens, { positionTracking: 'full' });
const parser = new ModelParser();

const sources = readdirSync(join(root, 'examples'))
  .filter((f) => f.endsWith('.model'))
  .map((f) => readFileSync(join(root, 'examples', f), 'utf8'));
sources.push('model m(w = 2) {\n  x = input (28, 28)\n  repeat w { if true { Dense(w * 2 + -1) } }\n  from x\n  Bidirectional(LSTM(4, return_sequences=true), merge_mode=sum)\n  Add(x, )\n}\nmodel v = m(w = 3)\ntune m {\n  w in 1..4 step 1\n  lr in 1e-4..1e-2 log\n  bn in [true, false]\n  batch_size = 32\n}\n');

/** Mutations of the sources: every one must parse the same way on both paths. */
function variants(count: number): string[] {
  const random = seededRandom(42);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const source = sources[i % sources.length] ?? '';
    const tokens = lex(source).tokens;
    const a = Math.floor(random() * tokens.length);
    const token = tokens[a];
    if (!token) continue;
    const end = token.startOffset + token.image.length;
    const kind = i % 3;
    out.push(kind === 0 ? source.slice(0, token.startOffset) + source.slice(end) : kind === 1 ? source.slice(0, end) + ' ' + token.image + source.slice(end) : source.slice(0, Math.floor(random() * source.length)));
  }
  return out;
}

test('the hand-written lexer yields exactly chevrotain’s tokens', () => {
  for (const text of [...sources, ...variants(400)]) {
    const fields = (t: IToken) => [t.tokenType.name, t.image, t.startOffset, t.endOffset, t.startLine, t.endLine, t.startColumn, t.endColumn];
    const ours = lex(text).tokens.map(fields);
    const theirs = chevrotainLexer.tokenize(text).tokens.map(fields);
    assert.deepEqual(ours, theirs, JSON.stringify(text));
  }
});

test('the strict parser accepts only what chevrotain accepts, and builds the same AST', () => {
  let accepted = 0;
  for (const text of [...sources, ...variants(1500)]) {
    const tokens = lexCompact(text).tokens;
    const strict = parseStrict(tokens, text.length);
    const full = parser.parse(tokens.toTokens(), text.length);
    const fullErrors = parser.errors.length;
    if (strict) {
      accepted++;
      assert.equal(fullErrors, 0, `strict accepted what chevrotain rejects: ${JSON.stringify(text)}`);
      assert.deepEqual(strict, full, JSON.stringify(text));
    } else assert.ok(fullErrors > 0, `strict rejected a valid file: ${JSON.stringify(text)}`);
  }
  assert.ok(accepted >= sources.length, `only ${accepted} accepted`);
});
