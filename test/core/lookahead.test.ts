import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { lexModelText } from '../../language-server/src/syntax/lexer.js';
import { ModelParser } from '../../language-server/src/syntax/parser.js';
import { seededRandom } from '../../language-server/src/common/random.js';

const root = join(fileURLToPath(import.meta.url), '../../../..');

const sources = readdirSync(join(root, 'examples'))
  .filter((f) => f.endsWith('.model'))
  .map((f) => readFileSync(join(root, 'examples', f), 'utf8'));
sources.push(
  'model m(w = 2) {\n  x = input (28, 28)\n  repeat w { if true { Dense(w * 2 + -1) } }\n  from x\n  Bidirectional(LSTM(4, return_sequences=true), merge_mode=sum)\n  Add(x, )\n}\nmodel v = m(w = 3)\ntune m {\n  w in 1..4 step 1\n  lr in 1e-4..1e-2 log\n  bn in [true, false]\n  batch_size = 32\n}\n',
);

/** Mutations of the sources (a token dropped, a token doubled, the text cut): valid and broken files alike. */
function variants(count: number): string[] {
  const random = seededRandom(42);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const source = sources[i % sources.length] ?? '';
    const tokens = lexModelText(source).tokens;
    const token = tokens[Math.floor(random() * tokens.length)];
    if (!token) continue;
    const end = token.startOffset + token.image.length;
    const kind = i % 3;
    out.push(kind === 0 ? source.slice(0, token.startOffset) + source.slice(end) : kind === 1 ? source.slice(0, end) + ' ' + token.image + source.slice(end) : source.slice(0, Math.floor(random() * source.length)));
  }
  return out;
}

test('the indexed lookahead decides as chevrotain’s LL(k) lookahead: the same trees and the same errors', () => {
  const indexed = new ModelParser({ lookahead: 'indexed' });
  const llk = new ModelParser({ lookahead: 'llk' });
  let broken = 0;
  for (const text of [...sources, ...variants(1500)]) {
    const tokens = lexModelText(text).tokens;
    const ours = indexed.parse(tokens, text.length);
    const theirs = llk.parse(tokens, text.length);
    assert.deepEqual(ours.ast, theirs.ast, JSON.stringify(text));
    const summary = (errors: typeof ours.errors) => errors.map((e) => [e.name, e.message, e.token.startOffset, e.context.ruleStack.join('/')]);
    assert.deepEqual(summary(ours.errors), summary(theirs.errors), JSON.stringify(text));
    if (ours.errors.length > 0) broken++;
  }
  assert.ok(broken > 500, `only ${broken} variants had syntax errors`);
});
