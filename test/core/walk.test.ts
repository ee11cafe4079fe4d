import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Expression, ModelDeclaration, Statement } from '../../language-server/src/syntax/ast.js';
import { parseModelText } from '../../language-server/src/syntax/parse.js';
import { allStatements, blockHead, forEachDeclarationExpression, isBlock, statementExpression, walkExpression, walkModelStatements, walkStatements } from '../../language-server/src/syntax/walk.js';

const text = `model m(n = 2, deep = true) {
  a = input (8, 8, 1)
  repeat n {
    Conv2D(4 * n, (3, 3), padding=same)
    if deep {
      Dense(-n)
    }
  }
  from a
  Add([a, (n)])
}
train m { dataset = mnist }
model other { input (4,)
  Dense(2) }
`;

const declarations = parseModelText(text).ast.declarations;
const body = (declarations[0] as ModelDeclaration).body ?? [];
const describe = (s: Statement) => (s.kind === 'layer' ? s.call.callee.name : s.kind);
const source = (e: Expression) => text.slice(e.range.start, e.range.end);

test('statements come in source order, block bodies after their block', () => {
  assert.deepEqual(allStatements(body).map(describe), ['input', 'repeat', 'Conv2D', 'if', 'Dense', 'from', 'Add']);
  const seen: string[] = [];
  walkModelStatements(declarations, (s) => {
    seen.push(describe(s));
  });
  assert.deepEqual(seen, ['input', 'repeat', 'Conv2D', 'if', 'Dense', 'from', 'Add', 'input', 'Dense']);
});

test('skip leaves a block\'s body out; stop ends the walk', () => {
  const skipped: string[] = [];
  assert.equal(walkStatements(body, (s) => (skipped.push(describe(s)), s.kind === 'if' ? 'skip' : undefined)), true);
  assert.deepEqual(skipped, ['input', 'repeat', 'Conv2D', 'if', 'from', 'Add']);
  const stopped: string[] = [];
  assert.equal(walkStatements(body, (s) => (stopped.push(describe(s)), s.kind === 'if' ? 'stop' : undefined)), false);
  assert.deepEqual(stopped, ['input', 'repeat', 'Conv2D', 'if']);
});

test('blocks, their heads and the expression of each statement', () => {
  const blocks = allStatements(body).filter(isBlock);
  assert.deepEqual(blocks.map((b) => source(blockHead(b))), ['n', 'deep']);
  assert.deepEqual(allStatements(body).map((s) => { const e = statementExpression(s); return e ? source(e) : undefined; }), [
    '(8, 8, 1)', 'n', 'Conv2D(4 * n, (3, 3), padding=same)', 'deep', 'Dense(-n)', undefined, 'Add([a, (n)])',
  ]);
});

test('expressions: each node before its parts, left to right', () => {
  const conv = allStatements(body).find((s) => s.kind === 'layer');
  assert.ok(conv?.kind === 'layer');
  const kinds: string[] = [];
  walkExpression(conv.call, (e) => {
    kinds.push(`${e.kind}:${source(e)}`);
  });
  assert.deepEqual(kinds, ['call:Conv2D(4 * n, (3, 3), padding=same)', 'binary:4 * n', 'number:4', 'name:n', 'tuple:(3, 3)', 'number:3', 'number:3', 'name:same']);
  const add = allStatements(body).at(-1);
  assert.ok(add?.kind === 'layer');
  const names: string[] = [];
  walkExpression(add.call, (e) => (e.kind === 'list' ? 'skip' : void (e.kind === 'name' && names.push(e.name))));
  assert.deepEqual(names, []);
  const all: string[] = [];
  assert.equal(walkExpression(add.call, (e) => (e.kind === 'paren' ? 'stop' : void (e.kind === 'name' && all.push(e.name)))), false);
  assert.deepEqual(all, ['a']);
});

test('the outermost expressions of each declaration, in source order', () => {
  const source = 'model b(x = f(y=1)) { input (4,)\n Dense(x) }\nmodel v = b(x = 2)\ntune b {\n  x in [1, 2]\n  optimizer = Adam(learning_rate=0.1)\n  y in 1..9 step 2\n}\n';
  const parsed = parseModelText(source).ast.declarations;
  const seen = parsed.map((d) => {
    const out: string[] = [];
    forEachDeclarationExpression(d, (e) => void out.push(source.slice(e.range.start, e.range.end)));
    return out;
  });
  assert.deepEqual(seen, [['f(y=1)', '(4,)', 'Dense(x)'], ['2'], ['1', '2', 'Adam(learning_rate=0.1)', '1', '9', '2']]);
});
