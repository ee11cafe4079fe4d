import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Budget, BudgetSpent } from '../../language-server/src/features/budget.js';
import { formatText } from '../../language-server/src/features/formatting.js';
import { inlayHints } from '../../language-server/src/features/inlay-hints.js';
import { outline } from '../../language-server/src/features/outline.js';
import { semanticTokens } from '../../language-server/src/features/semantic-tokens.js';
import { analyzeText } from '../../language-server/src/analysis/analyze-file.js';

test('a budget refuses once its items are taken, and counts what it gave', () => {
  const budget = new Budget(1000, 3, () => 0);
  assert.deepEqual([1, 2, 3, 4, 5].map(() => budget.take()), [true, true, true, false, false]);
  assert.equal(budget.exhausted, true);
  assert.equal(budget.count, 3);
});

test('a budget refuses once its time is spent, reading the clock on the first take and every 64th', () => {
  let now = 0;
  const budget = new Budget(10, Number.POSITIVE_INFINITY, () => now);
  assert.equal(budget.take(), true);
  now = 11;
  // The clock is not read again until the 65th take.
  for (let i = 2; i <= 64; i++) assert.equal(budget.take(), true, `take ${i}`);
  assert.equal(budget.exhausted, false);
  assert.equal(budget.take(), false);
  assert.equal(budget.exhausted, true);
  assert.equal(budget.count, 64);
});

test('an outline within a budget is the start of the whole outline', () => {
  const analysis = analyzeText('model a {\n  input (4,)\n  Dense(3)\n  Dense(2)\n}\nmodel b {\n  input (2,)\n  Dense(1)\n}\n');
  const names = (items: readonly ReturnType<typeof outline>[number][]): string[] => items.flatMap((i) => [i.name, ...names(i.children)]);
  assert.deepEqual(names(outline(analysis)), ['a', 'input', 'Dense', 'Dense', 'b', 'input', 'Dense']);
  assert.deepEqual(names(outline(analysis, new Budget(1000, 3))), ['a', 'input', 'Dense']);
  assert.deepEqual(names(outline(analysis, new Budget(1000, 5))), ['a', 'input', 'Dense', 'Dense', 'b']);
});

test('a formatting whose budget is spent throws instead of returning half the edits', () => {
  const text = 'model a {\n  input (4,)\n  Dense( 3 )\n}\n';
  const options = { tabSize: 2, insertSpaces: true };
  assert.ok((formatText(text, options, { budget: new Budget(60_000) }) ?? []).length > 0);
  assert.throws(() => formatText(text, options, { budget: new Budget(60_000, 5) }), BudgetSpent);
  assert.throws(() => formatText(text, options, { budget: new Budget(0) }), /^Error: stopped after \d+ ms, its budget is 0 ms$/);
});

test('semantic tokens and inlay hints within a budget are the start of the whole result', () => {
  const analysis = analyzeText('model a {\n  input (4,)\n  Dense(3, activation=relu)\n  Dense(2)\n}\n');
  const all = semanticTokens(analysis);
  assert.ok(all.length >= 5);
  assert.deepEqual(semanticTokens(analysis, new Budget(0)), all, 'no time: the first declaration is coloured still');
  assert.deepEqual(semanticTokens(analysis, new Budget(60_000)), all);
  const two = analyzeText('model a {\n  input (4,)\n  Dense(3)\n}\nmodel b {\n  input (2,)\n  Dense(1)\n}\n');
  const second = two.text.indexOf('model b');
  const both = semanticTokens(two);
  assert.ok(both.some((t) => t.range.start >= second));
  assert.deepEqual(semanticTokens(two, new Budget(0)), both.filter((t) => t.range.start < second), 'no time: the first declaration only');
  const range = { start: 0, end: analysis.text.length };
  const hints = inlayHints(analysis, range);
  assert.equal(hints.length, 3);
  assert.deepEqual(inlayHints(analysis, range, undefined, new Budget(60_000, 2)), hints.slice(0, 2));
});
