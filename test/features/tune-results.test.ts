import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeText } from '../../language-server/src/analysis/analyze-file.js';
import type { TuneAnalysis } from '../../language-server/src/analysis/analyze-file.js';
import { applyBestValuesEdits, tuneAt, tuneResultHints, type TuneBest } from '../../language-server/src/features/tune-results.js';
import type { TextEdit } from '../../language-server/src/features/navigation.js';

const source = `model mlp(depth = 2, units = 128, dropout) {
  input mnist
  Flatten()
  repeat depth {
    Dense(units, activation=relu)
    Dropout(dropout)
  }
  Dense(10, activation=softmax)
}

model mlp_wide = mlp(units = 512, dropout = 0.1)

tune mlp {
  dataset = mnist
  depth in 1..3
  units in 32..256 step 32
  dropout in [0.0, 0.25, 0.5]
  learning_rate in 1e-4..1e-2 log
  search = RandomSearch(trials=4)
}

train mlp {
  dataset = mnist
  epochs = 3
}
`;

const best: TuneBest = { values: { depth: 3, units: 224, dropout: 0.25, learning_rate: 0.00123 }, objective: 'val_loss', score: 0.1834, trials: 4 };

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  return [...edits].sort((a, b) => b.range.start - a.range.start).reduce((t, e) => t.slice(0, e.range.start) + e.newText + t.slice(e.range.end), text);
}

const tuneOf = (text: string): { analysis: ReturnType<typeof analyzeText>; tune: TuneAnalysis } => {
  const analysis = analyzeText(text);
  const tune = analysis.tunes[0];
  assert.ok(tune, 'the fixture has a tune block');
  return { analysis, tune };
};

test('after a search every searched parameter shows its best value', () => {
  const { analysis } = tuneOf(source);
  const hints = tuneResultHints(analysis, () => best, { start: 0, end: source.length });
  const shown = hints.map((h) => `${source.slice(source.lastIndexOf('\n', h.offset - 1) + 1, h.offset).trim()} ${h.label}`);
  assert.deepEqual(shown, ['depth in 1..3 best: 3', 'units in 32..256 step 32 best: 224', 'dropout in [0.0, 0.25, 0.5] best: 0.25', 'learning_rate in 1e-4..1e-2 log best: 0.00123']);
  assert.match(hints[0]?.tooltip ?? '', /Best of 4 trials \(val_loss = 0\.1834\)/);
});

test('no hints without a saved search, nor outside the requested range', () => {
  const { analysis } = tuneOf(source);
  assert.deepEqual(tuneResultHints(analysis, () => undefined, { start: 0, end: source.length }), []);
  assert.deepEqual(tuneResultHints(analysis, () => best, { start: 0, end: 20 }), []);
});

test('Apply best values writes model defaults (adding a missing one) and the train block setting', () => {
  const { analysis, tune } = tuneOf(source);
  const result = applyEdits(source, applyBestValuesEdits(analysis, tune, best));
  assert.match(result, /^model mlp\(depth = 3, units = 224, dropout = 0\.25\) \{/);
  assert.match(result, /train mlp \{\n  dataset = mnist\n  epochs = 3\n  learning_rate = 0\.00123\n\}/);
  // The variant keeps its own settings; the tune block is left as it was.
  assert.match(result, /model mlp_wide = mlp\(units = 512, dropout = 0\.1\)/);
  assert.match(result, /units in 32\.\.256 step 32/);
  const after = analyzeText(result);
  assert.deepEqual(after.diagnostics.filter((d) => d.severity === 'error'), []);
  assert.equal(after.models.find((m) => m.name === 'mlp')?.evaluated?.layers.filter((l) => l.spec.name === 'Dense').length, 4);
});

test('a tuned variant gets the values in its own arguments', () => {
  const text = source.replace('tune mlp {', 'tune mlp_wide {');
  const { analysis, tune } = tuneOf(text);
  const result = applyEdits(text, applyBestValuesEdits(analysis, tune, { ...best, values: { units: 96, depth: 1 } }));
  assert.match(result, /model mlp_wide = mlp\(units = 96, dropout = 0\.1\)/);
  assert.match(result, /^model mlp\(depth = 1, units = 128, dropout\)/);
});

test('the tune block is found from any position inside it', () => {
  const { analysis } = tuneOf(source);
  const inside = source.indexOf('units in');
  assert.equal(tuneAt(analysis, { start: inside, end: inside })?.declaration.kind, 'tune');
  assert.equal(tuneAt(analysis, { start: 5, end: 5 }), undefined);
});
