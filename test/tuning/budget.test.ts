/**
 * A search's budget (`max_trials`, `max_time`), its `limit`, and quick searches:
 * with a trainer that needs no TensorFlow.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeText } from '../../language-server/src/analysis/analyze-file.js';
import { durationSeconds } from '../../language-server/src/catalog/training.js';
import type { EpochLogs } from '../../language-server/src/training/loop.js';
import { QUICK } from '../../language-server/src/training/quick.js';
import { budgetSpent, plannedTrials, runTuning, type TrialContext, type TrialTrainer, type TuneEvent } from '../../language-server/src/tuning/runner.js';
import { loadSearch } from '../../language-server/src/tuning/load-search.js';
import { SearchProgress } from '../../language-server/src/tuning/search-progress.js';
import { axesOf } from '../../language-server/src/tuning/space.js';
import type { TrialRecord } from '../../language-server/src/tuning/store.js';

const source = (settings: string) => `model net(units = 8) {
  input mnist
  Flatten()
  Dense(units, activation=relu)
  Dense(10, activation=softmax)
}

tune net {
  dataset = mnist
  units in 8..64 step 8
  search = RandomSearch(trials=6)
  epochs = 3
${settings}
}
`;

function project(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'layerlab-budget-'));
  const file = join(dir, 'net.model');
  writeFileSync(file, text);
  return file;
}

interface Seen {
  readonly id: string;
  readonly epochs: number;
  readonly limit: number | undefined;
}

function trainer(seen: Seen[]): TrialTrainer {
  return async (context: TrialContext) => {
    seen.push({ id: context.plan.id, epochs: context.config.epochs, limit: context.limit });
    const history: EpochLogs[] = [];
    for (let epoch = context.plan.initialEpoch + 1; epoch <= context.config.epochs; epoch++) {
      history.push({ epoch, loss: 1 / epoch, accuracy: 0.5, val_loss: 1 / epoch, val_accuracy: 0.5, learning_rate: 0.001, seconds: 0 });
    }
    return { history, stopReason: 'completed' };
  };
}

test('max_trials stops the search; raising it resumes the same search (the budget is not part of its identity)', async () => {
  const file = project(source('  max_trials = 2'));
  const seen: Seen[] = [];
  const first = await runTuning({ file, text: readFileSync(file, 'utf8') }, { trainTrial: trainer(seen), onEvent: () => {} });
  assert.equal(first[0]?.status, 'finished');
  assert.equal(first[0]?.trials.length, 2);
  assert.match(first[0]?.message ?? '', /stopped after 2 trials: max_trials = 2; raise it to go on/);
  // The same budget again: nothing more runs.
  await runTuning({ file, text: readFileSync(file, 'utf8') }, { trainTrial: trainer(seen), onEvent: () => {} });
  assert.equal(seen.length, 2);
  // A larger budget: the search goes on from trial 3, without --overwrite.
  writeFileSync(file, source('  max_trials = 4'));
  const more = await runTuning({ file, text: readFileSync(file, 'utf8') }, { trainTrial: trainer(seen), onEvent: () => {} });
  assert.equal(more[0]?.trials.length, 4);
  assert.deepEqual(seen.map((s) => s.id), ['0000', '0001', '0002', '0003']);
});

test('max_time counts the time trials took, earlier runs included', () => {
  const trial = (id: string, seconds: number): TrialRecord => ({
    version: 1,
    id,
    point: {},
    status: 'completed',
    history: [],
    epochs: 1,
    initialEpoch: 0,
    startedAt: new Date(0).toISOString(),
    finishedAt: new Date(seconds * 1000).toISOString(),
  });
  assert.equal(budgetSpent({ maxSeconds: 600 }, [trial('0000', 200), trial('0001', 300)]), undefined);
  assert.match(budgetSpent({ maxSeconds: 600 }, [trial('0000', 200), trial('0001', 300), trial('0002', 150)]) ?? '', /stopped after 10\.8 min of trials: max_time = 10 min/);
  assert.equal(budgetSpent({ maxTrials: 3 }, [trial('0000', 1), { ...trial('0001', 1), status: 'running' }]), undefined, 'an interrupted trial does not count');
});

test('max_time takes seconds or a text with a unit; anything else is an error at the setting', () => {
  assert.equal(durationSeconds('90s'), 90);
  assert.equal(durationSeconds('30m'), 1800);
  assert.equal(durationSeconds('1.5h'), 5400);
  assert.equal(durationSeconds('600'), 600);
  assert.equal(durationSeconds('soon'), undefined);
  assert.equal(durationSeconds('0m'), undefined);
  const errors = (settings: string) => analyzeText(source(settings)).diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
  assert.deepEqual(errors('  max_time = "30m"\n  max_trials = 3\n  limit = 500'), []);
  assert.deepEqual(errors('  max_time = 600'), []);
  assert.match(errors('  max_time = "soon"').join('\n'), /`max_time` must be a duration: seconds \(e\.g\. 600\) or a text such as "30m" or "2h"/);
  assert.match(errors('  max_trials = 0').join('\n'), /`max_trials` must be at least 1/);
  assert.match(errors('  limit = 2.5').join('\n'), /`limit` must be a whole number/);
  const trainErrors = analyzeText(`${source('')}\ntrain net {\n  dataset = mnist\n  max_trials = 3\n}\n`).diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
  assert.ok(trainErrors.some((m) => m.includes('max_trials')), `max_trials belongs to tune blocks: ${trainErrors.join('; ')}`);
});

test('the block\'s limit reaches every trial; --limit overrides it', async () => {
  const file = project(source('  limit = 500\n  max_trials = 1'));
  const seen: Seen[] = [];
  await runTuning({ file, text: readFileSync(file, 'utf8') }, { trainTrial: trainer(seen), onEvent: () => {} });
  assert.equal(seen[0]?.limit, 500);
  await runTuning({ file, text: readFileSync(file, 'utf8'), limit: 300, overwrite: true }, { trainTrial: trainer(seen), onEvent: () => {} });
  assert.equal(seen[1]?.limit, 300);
});

test('a quick search: a few random trials of one epoch on a limited subset, saved apart and started over each time', async () => {
  const file = project(source('  max_trials = 50'));
  const seen: Seen[] = [];
  const events: string[] = [];
  const summaries = await runTuning({ file, text: readFileSync(file, 'utf8'), quick: true }, { trainTrial: trainer(seen), onEvent: (e) => e.type === 'search' && events.push(e.strategy) });
  assert.equal(summaries[0]?.trials.length, QUICK.trials);
  assert.ok(seen.every((s) => s.epochs === QUICK.epochs && s.limit === QUICK.limit), JSON.stringify(seen));
  assert.match(events[0] ?? '', /random/i);
  assert.ok(summaries[0]?.dir.endsWith(join('.layerlab', 'tune', 'net.quick')));
  assert.ok(!existsSync(join(file, '..', '.layerlab', 'tune', 'net')), 'the full search is untouched');
  // Again: it starts over rather than resuming (or refusing).
  const again = await runTuning({ file, text: readFileSync(file, 'utf8'), quick: true }, { trainTrial: trainer(seen), onEvent: () => {} });
  assert.equal(again[0]?.trials.length, QUICK.trials);
  assert.equal(seen.length, 2 * QUICK.trials);
});

test('the planned trials: Keras Tuner\'s Hyperband schedule, a random or grid search over the space, capped by max_trials', () => {
  const axes = axesOf([], () => 1);
  // Hyperband(max_epochs=81, factor=3): brackets of 81/27/9/3/1, 34/12/4/2, 15/5/2, 8/3 and 5 trials.
  assert.equal(plannedTrials({ kind: 'hyperband', maxEpochs: 81, factor: 3, iterations: 1 }, axes, {}), 121 + 52 + 22 + 11 + 5);
  assert.equal(plannedTrials({ kind: 'hyperband', maxEpochs: 81, factor: 3, iterations: 2 }, axes, { maxTrials: 50 }), 50);
  const analysis = analyzeText(source(''));
  const dimensions = analysis.tunes[0]?.dimensions ?? [];
  const units = axesOf(dimensions, () => 1);
  assert.equal(plannedTrials({ kind: 'random', trials: 20 }, units, {}), 8, 'units in 8..64 step 8 has 8 points');
  assert.equal(plannedTrials({ kind: 'grid' }, units, { maxTrials: 5 }), 5);
});

test('search progress: the trial of how many, and the time left at this run\'s pace', () => {
  let now = 0;
  const progress = new SearchProgress(() => now);
  const objective = { name: 'val_loss', direction: 'min' as const };
  progress.update({ type: 'search', model: 'm', dir: '/d', strategy: 'random', objective, resumedTrials: 2, plannedTrials: 10 });
  progress.update({ type: 'trial-start', trial: { model: 'm', id: '0002', number: 3, point: {}, epochs: 1, initialEpoch: 0, rerun: false } });
  assert.equal(progress.describe(), 'trial 3 of 10');
  now = 60_000;
  progress.update({ type: 'trial-end', model: 'm', direction: 'min', trial: { version: 1, id: '0002', point: {}, status: 'completed', history: [], epochs: 1, initialEpoch: 0, startedAt: '' } });
  progress.update({ type: 'trial-start', trial: { model: 'm', id: '0003', number: 4, point: {}, epochs: 1, initialEpoch: 0, rerun: false } });
  // 7 trials left at a minute each.
  assert.equal(progress.describe(), 'trial 4 of 10, about 7 min left');
});

test('a random search over a continuous range plans its trials; it is not capped by a grid', () => {
  const analysis = analyzeText('model m {\n  input (4,)\n  Dense(2)\n}\ntune m {\n  dataset = mnist\n  learning_rate in 1e-4..1e-2 log\n}\n');
  const axes = axesOf(analysis.tunes[0]?.dimensions ?? [], () => 1);
  assert.equal(plannedTrials({ kind: 'random', trials: 30 }, axes, {}), 30);
  assert.equal(plannedTrials({ kind: 'grid' }, axes, {}), undefined);
});

test('the search event, the summary and the saved search carry the searched space (for the view\'s axes), and trials report their data set', async () => {
  const file = project(source('  max_trials = 1\n  learning_rate in 1e-4..1e-2 log'));
  const events: TuneEvent[] = [];
  const dataAware: TrialTrainer = async (context) => {
    context.onDataset?.({ name: 'mnist', train: 900, validation: 100, test: 0 });
    return trainer([])(context);
  };
  const [summary] = await runTuning({ file, text: readFileSync(file, 'utf8') }, { trainTrial: dataAware, onEvent: (e) => events.push(e) });
  const search = events.find((e) => e.type === 'search');
  assert.ok(search?.type === 'search');
  assert.deepEqual(search.space?.map((a) => [a.name, a.kind === 'range' ? a.log : 'choice']), [['units', false], ['learning_rate', true]]);
  assert.deepEqual(summary?.space, search.space);
  assert.ok(summary);
  assert.deepEqual(loadSearch(summary.dir).space, search.space, 'saved with the search, for a reopened view and the report');
  assert.ok(events.some((e) => e.type === 'dataset' && e.name === 'mnist' && e.train === 900 && e.validation === 100));
});

test('a search that ran its whole plan is done: running it again adds no trial, --extend goes on', async () => {
  const file = project(source('').replace('search = RandomSearch(trials=6)', 'search = Hyperband(max_epochs=3, factor=3)'));
  const seen: Seen[] = [];
  const first = await runTuning({ file, text: readFileSync(file, 'utf8') }, { trainTrial: trainer(seen), onEvent: () => {} });
  const planned = first[0]?.trials.length ?? 0;
  assert.ok(planned > 0);
  assert.equal(first[0]?.status, 'finished');
  const again = await runTuning({ file, text: readFileSync(file, 'utf8') }, { trainTrial: trainer(seen), onEvent: () => {} });
  assert.equal(again[0]?.trials.length, planned, 'no trial added');
  assert.equal(seen.length, planned);
  assert.match(again[0]?.message ?? '', /finished earlier: its \d+ trials are all it planned; --extend runs more, --overwrite starts over/);
  const extended = await runTuning({ file, text: readFileSync(file, 'utf8'), extend: true }, { trainTrial: trainer(seen), onEvent: () => {} });
  assert.ok((extended[0]?.trials.length ?? 0) > planned, 'Hyperband\'s next iteration');
});
