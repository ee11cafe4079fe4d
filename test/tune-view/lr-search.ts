import type { EpochLogs } from '../../language-server/src/training/loop.js';
import type { HostToTuneView } from '../../language-server/src/protocol/views.js';
import type { TuneEvent, TuneSummary } from '../../language-server/src/tuning/runner.js';
import type { Axis, Point } from '../../language-server/src/tuning/space.js';
import type { TrialRecord } from '../../language-server/src/tuning/store.js';

/**
 * A random search of 15 trials over `learning_rate in 1e-4..1e-2 log`,
 * `depth in 1..4` and `optimizer in [sgd, adam]`, whose sampled learning rates
 * happen to span a little over one decade (so the values alone do not say
 * "log") and whose depths are only 2 and 3.
 */

export const model = 'lr_search';
export const dir = '/work/project/.layerlab/tune/lr_search';
export const objective = { name: 'val_loss', direction: 'min' } as const;
export const strategy = 'RandomSearch(trials=15)';
export const trialCount = 15;
/** The space as the runner's axes hold it (choices as analysis Values), as the host sends it. */
export const space: readonly Axis[] = [
  { kind: 'range', name: 'learning_rate', target: 'training', line: 5, low: 1e-4, high: 1e-2, log: true, integer: false },
  { kind: 'range', name: 'depth', target: 'model', line: 6, low: 1, high: 4, step: 1, log: false, integer: true },
  { kind: 'choice', name: 'optimizer', target: 'training', line: 7, choices: [{ kind: 'symbol', name: 'sgd' }, { kind: 'symbol', name: 'adam' }] },
];

export const learningRate = (i: number): number => Number((3e-4 * 13.3 ** (i / (trialCount - 1))).toPrecision(4));
export const pointOf = (i: number): Point => ({ learning_rate: learningRate(i), depth: 2 + (i % 2), optimizer: 'adam' });

export function historyOf(i: number): EpochLogs[] {
  const quality = 0.3 + 0.6 * Math.abs(Math.sin(i * 1.7));
  return [1, 2, 3, 4].map((epoch) => {
    const valLoss = 0.25 + 0.8 * (1 - quality) + 0.9 * Math.exp(-0.7 * epoch);
    return { epoch, loss: valLoss - 0.03, accuracy: 1 - valLoss / 2.5, val_loss: valLoss, val_accuracy: 1 - valLoss / 2.4, learning_rate: learningRate(i), seconds: 2 };
  });
}

export const id = (i: number): string => String(i).padStart(4, '0');

export function trialRecord(i: number): TrialRecord {
  const history = historyOf(i);
  const best = history.reduce((a, b) => (b.val_loss < a.val_loss ? b : a));
  return { version: 1, id: id(i), point: pointOf(i), status: 'completed', history, score: best.val_loss, bestEpoch: best.epoch, epochs: 4, initialEpoch: 0, params: 10_000 + i, stopReason: 'completed', startedAt: '2025-06-03T09:00:00.000Z', finishedAt: '2025-06-03T09:01:00.000Z' };
}

export const records = Array.from({ length: trialCount }, (_, i) => trialRecord(i));

/** A saved search, with the space (as a host that sends it does) or without (as older hosts). */
export function savedSearch(withSpace: boolean): TuneSummary {
  const best = records.reduce((a, b) => ((b.score ?? Infinity) < (a.score ?? Infinity) ? b : a));
  const summary: TuneSummary = { model, dir, strategy, objective, status: 'finished', trials: records, best: { trialId: best.id, score: best.score ?? 0, point: best.point } };
  const withAxes = { ...summary, space };
  return withSpace ? withAxes : summary;
}

export const init: HostToTuneView = { type: 'init', title: 'Learning-rate search', capabilities: { stop: true, openRun: true } };
export const saved = (withSpace: boolean): HostToTuneView[] => [init, { type: 'searches', searches: [savedSearch(withSpace)] }];
export const tune = (event: unknown): HostToTuneView => ({ type: 'trainer', message: { type: 'tune-event', event: event as TuneEvent } });

/** A live search: the search event (with the space), data loading, then every trial, then the end. */
export function liveSearch({ dataset = false, finish = true, trials = trialCount }: { dataset?: boolean; finish?: boolean; trials?: number } = {}): HostToTuneView[] {
  const messages: HostToTuneView[] = [
    init,
    { type: 'trainer', message: { type: 'backend', name: 'wasm', device: 'CPU (4 threads)', notes: [] } },
    tune({ type: 'search', model, dir, strategy, objective, resumedTrials: 0, space }),
  ];
  records.slice(0, trials).forEach((record, i) => {
    messages.push(tune({ type: 'trial-start', trial: { model, id: record.id, number: i + 1, point: record.point, epochs: 4, initialEpoch: 0, rerun: false } }));
    if (i === 0) {
      messages.push(tune({ type: 'data', stage: 'reading MNIST', done: 0 }));
      if (dataset) messages.push(tune({ type: 'dataset', name: 'mnist', train: 60_000, test: 10_000 }));
    }
    for (const logs of record.history) messages.push(tune({ type: 'training', model, trialId: record.id, event: { type: 'epoch', logs, best: false } }));
    messages.push(tune({ type: 'trial-end', model, direction: 'min', trial: record }));
  });
  if (finish) {
    const summary = savedSearch(true);
    messages.push(tune({ type: 'finished', summary }), { type: 'trainer', message: { type: 'tune-done', summaries: [summary], cancelled: false } });
  }
  return messages;
}

