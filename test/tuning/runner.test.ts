import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { EpochLogs } from '../../language-server/src/training/loop.js';
import { runTuning, TuneError, type TrialContext, type TrialTrainer, type TuneEvent } from '../../language-server/src/tuning/runner.js';
import { bestValues, readSearch, readTrials } from '../../language-server/src/tuning/store.js';

const source = (search: string, space = '  units in 8..64 step 8\n  pools in 1..2') => `model net(units = 8, pools = 1) {
  input mnist
  repeat pools {
    MaxPooling2D(2)
  }
  Flatten()
  Dense(units, activation=relu)
  Dense(4, activation=softmax)
}

tune net {
  dataset = mnist
${space}
  search = ${search}
  objective = val_loss
}
`;

function project(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'layerlab-tune-'));
  const file = join(dir, 'net.model');
  writeFileSync(file, text);
  return file;
}

/** A trainer without TensorFlow: val_loss falls with epochs and is lowest for units = 40. */
function fakeTrainer(log: string[], cancelAt?: { trial: string; controller: AbortController }): TrialTrainer {
  return async (context: TrialContext) => {
    log.push(`${context.plan.id}:${context.plan.initialEpoch}->${context.plan.epochs}`);
    const units = Number(context.plan.point['units']);
    const history: EpochLogs[] = [];
    for (let epoch = context.plan.initialEpoch + 1; epoch <= context.config.epochs; epoch++) {
      if (cancelAt?.trial === context.plan.id && epoch === 2) {
        cancelAt.controller.abort();
        return { history, stopReason: 'cancelled' };
      }
      const loss = (1 + Math.abs(units - 40) / 8) / epoch;
      history.push({ epoch, loss, accuracy: 0.5, val_loss: loss, val_accuracy: 0.5, learning_rate: 0.001, seconds: 0 });
      context.onTraining({ type: 'epoch', logs: history[history.length - 1] as EpochLogs, best: true });
    }
    return { history, stopReason: 'completed', params: context.evaluated.totals.params };
  };
}

test('a cancelled search resumes: finished trials never run again, the interrupted one does', async () => {
  const file = project(source('RandomSearch(trials=5)').replace('objective = val_loss', 'objective = val_loss\n  epochs = 3'));
  const text = readFileSync(file, 'utf8');
  const first: string[] = [];
  const controller = new AbortController();
  const summaries = await runTuning({ file, text }, { trainTrial: fakeTrainer(first, { trial: '0002', controller }), onEvent: () => {}, signal: controller.signal });
  assert.equal(summaries[0]?.status, 'cancelled');
  assert.deepEqual(first, ['0000:0->3', '0001:0->3', '0002:0->3']);
  const dir = summaries[0]?.dir ?? '';
  assert.deepEqual(readTrials(dir).map((t) => t.status), ['completed', 'completed', 'running']);

  const second: string[] = [];
  const events: TuneEvent[] = [];
  const resumed = await runTuning({ file, text }, { trainTrial: fakeTrainer(second), onEvent: (e) => events.push(e) });
  assert.deepEqual(second, ['0002:0->3', '0003:0->3', '0004:0->3']);
  assert.equal(resumed[0]?.status, 'finished');
  assert.equal(resumed[0]?.trials.length, 5);
  assert.ok(events.some((e) => e.type === 'trial-start' && e.trial.id === '0002' && e.trial.rerun));
  assert.ok(events.some((e) => e.type === 'search' && e.resumedTrials === 2));
  // A finished search runs nothing more.
  const third: string[] = [];
  await runTuning({ file, text }, { trainTrial: fakeTrainer(third), onEvent: () => {} });
  assert.deepEqual(third, []);
  const best = bestValues(dir);
  assert.ok(best);
  assert.equal(best.objective, 'val_loss');
  assert.equal(best.trials, 5);
  assert.equal(best.finished, true);
  assert.equal(best.score, Math.min(...(resumed[0]?.trials.map((t) => t.score ?? Infinity) ?? [])));
});

test('a point where the model is invalid becomes a failed trial with the reason; the search goes on', async () => {
  // 28×28 input: four poolings leave 1×1, a fifth leaves nothing.
  const file = project(source('GridSearch()', '  pools in 3..5\n  units in [8, 16]'));
  const summaries = await runTuning({ file, text: readFileSync(file, 'utf8') }, { trainTrial: fakeTrainer([]), onEvent: () => {} });
  const trials = summaries[0]?.trials ?? [];
  assert.deepEqual(trials.map((t) => `${t.point['pools']}/${t.point['units']}:${t.status}`), ['3/8:completed', '3/16:completed', '4/8:completed', '4/16:completed', '5/8:failed', '5/16:failed']);
  assert.match(trials[4]?.reason ?? '', /net\.model:4: at pools=5, units=8: /);
  assert.equal(summaries[0]?.status, 'finished');
  assert.equal(summaries[0]?.best?.point['units'], 16);
});

test('three failed trials in a row stop the search, as Keras Tuner does', async () => {
  const file = project(source('GridSearch()', '  pools in 5..10'));
  const summaries = await runTuning({ file, text: readFileSync(file, 'utf8') }, { trainTrial: fakeTrainer([]), onEvent: () => {} });
  assert.equal(summaries[0]?.status, 'failed');
  assert.equal(summaries[0]?.trials.length, 3);
  assert.match(summaries[0]?.message ?? '', /3 trials in a row failed/);
});

test('Hyperband continues promoted trials from their parents, saving the oracle as it goes', async () => {
  const file = project(source('Hyperband(max_epochs=9, factor=3)', '  units in 8..256 step 8'));
  const log: string[] = [];
  const summaries = await runTuning({ file, text: readFileSync(file, 'utf8') }, { trainTrial: fakeTrainer(log), onEvent: () => {} });
  assert.equal(summaries[0]?.trials.length, log.length);
  assert.ok(log.includes('0009:1->3'), log.join(' '));
  const promoted = summaries[0]?.trials.find((t) => t.id === '0009');
  const parent = summaries[0]?.trials.find((t) => t.id === promoted?.parentId);
  assert.equal(parent?.round, 0);
  assert.deepEqual(promoted?.history.map((h) => h.epoch), [2, 3]);
  const saved = readSearch(summaries[0]?.dir ?? '');
  assert.equal(saved?.oracle.kind, 'hyperband');
  assert.equal(saved?.status, 'finished');
});

test('a changed tune block is not resumed without --overwrite', async () => {
  const file = project(source('RandomSearch(trials=2)'));
  await runTuning({ file, text: readFileSync(file, 'utf8') }, { trainTrial: fakeTrainer([]), onEvent: () => {} });
  const changed = readFileSync(file, 'utf8').replace('8..64 step 8', '8..128 step 8');
  await assert.rejects(runTuning({ file, text: changed }, { trainTrial: fakeTrainer([]), onEvent: () => {} }), (error: unknown) => error instanceof TuneError && /pass --overwrite/.test(error.message));
  const log: string[] = [];
  await runTuning({ file, text: changed, overwrite: true }, { trainTrial: fakeTrainer(log), onEvent: () => {} });
  assert.equal(log.length, 2);
});

test('user errors name the problem', async () => {
  const noTune = 'model m {\n  input (8, 8, 1)\n  Flatten()\n  Dense(4, activation=softmax)\n}\n';
  await assert.rejects(runTuning({ file: project(noTune), text: noTune }, { trainTrial: fakeTrainer([]), onEvent: () => {} }), /no `tune` block/);
  const file = project(source('RandomSearch(trials=2)'));
  await assert.rejects(runTuning({ file, text: readFileSync(file, 'utf8'), model: 'other' }, { trainTrial: fakeTrainer([]), onEvent: () => {} }), /no model named other/);
});
