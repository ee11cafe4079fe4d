import type { BatchLogs, EpochLogs } from '../../language-server/src/training/loop.js';
import type { FromTrainer } from '../../language-server/src/protocol/trainer.js';
import type { HostToTuneView } from '../../language-server/src/protocol/views.js';
import { initialHyperbandState } from '../../language-server/src/tuning/hyperband.js';
import type { Objective } from '../../language-server/src/tuning/objective.js';
import type { TuneEvent, TuneSummary } from '../../language-server/src/tuning/runner.js';
import type { Point } from '../../language-server/src/tuning/space.js';
import type { SearchRecord, TrialRecord } from '../../language-server/src/tuning/store.js';

/**
 * A recorded Hyperband(max_epochs=6, factor=3) search over four parameters, as
 * the trainer streams it: bracket 1 trains five trials for 2 epochs (one fails:
 * its model is invalid at that point), promotes the best two to 6 epochs from
 * their checkpoints, then bracket 0 trains three fresh trials for 6 epochs.
 */

export const searchModel = 'mnist_search';
export const searchDir = '/work/project/.layerlab/tune/mnist_search';
export const objective: Objective = { name: 'val_loss', direction: 'min' };
export const strategyText = 'Hyperband(max_epochs=6, factor=3, iterations=1)';
export const parameters = ['units', 'learning_rate', 'batch_norm', 'activation'] as const;
export const batchesPerEpoch = 4;

export interface PlannedTrial {
  readonly id: string;
  readonly point: Point;
  readonly epochs: number;
  readonly initialEpoch: number;
  readonly bracket: number;
  readonly round: number;
  readonly parentId?: string;
  /** How good the point is, 0..1: sets its curves. */
  readonly quality: number;
  readonly failure?: string;
}

const point = (units: number, learning_rate: number, batch_norm: boolean, activation: string): Point => ({ units, learning_rate, batch_norm, activation });

const p0 = point(64, 0.003162, true, 'relu');
const p4 = point(32, 0.0012, false, 'relu');
const failedPoint = point(16, 0.0912, false, 'gelu');

export const plan: readonly PlannedTrial[] = [
  { id: '0000', point: p0, epochs: 2, initialEpoch: 0, bracket: 1, round: 0, quality: 0.8 },
  { id: '0001', point: point(208, 0.0451, false, 'tanh'), epochs: 2, initialEpoch: 0, bracket: 1, round: 0, quality: 0.45 },
  {
    id: '0002',
    point: failedPoint,
    epochs: 2,
    initialEpoch: 0,
    bracket: 1,
    round: 0,
    quality: 0,
    failure: 'search.model:14: at units=16, learning_rate=0.0912, batch_norm=false, activation=gelu: Conv2D(units / 2, 5): the kernel (5, 5) is larger than its input (4, 4)',
  },
  { id: '0003', point: point(128, 0.00021, true, 'gelu'), epochs: 2, initialEpoch: 0, bracket: 1, round: 0, quality: 0.35 },
  { id: '0004', point: p4, epochs: 2, initialEpoch: 0, bracket: 1, round: 0, quality: 0.6 },
  { id: '0005', point: p0, epochs: 6, initialEpoch: 2, bracket: 1, round: 1, parentId: '0000', quality: 0.8 },
  { id: '0006', point: p4, epochs: 6, initialEpoch: 2, bracket: 1, round: 1, parentId: '0004', quality: 0.6 },
  { id: '0007', point: point(256, 0.00071, true, 'tanh'), epochs: 6, initialEpoch: 0, bracket: 0, round: 0, quality: 0.7 },
  { id: '0008', point: point(96, 0.0219, true, 'relu'), epochs: 6, initialEpoch: 0, bracket: 0, round: 0, quality: 0.4 },
  { id: '0009', point: point(176, 0.00018, false, 'gelu'), epochs: 6, initialEpoch: 0, bracket: 0, round: 0, quality: 0.3 },
];

export const completedIds = plan.filter((t) => !t.failure).map((t) => t.id);
export const failedTrial = plan.find((t) => t.failure !== undefined)!;

/** A dense MNIST model: 784 → units → 10, batch norm adding 4 per unit. */
function paramsOf(p: Point): number {
  const units = Number(p['units']);
  return 784 * units + units + units * 10 + 10 + (p['batch_norm'] === true ? 4 * units : 0);
}

function valLossAt(trial: PlannedTrial, epoch: number): number {
  return 0.28 + 0.9 * (1 - trial.quality) + 1.2 * Math.exp(-0.6 * epoch);
}

/** Epoch logs of the trial's own epochs (initialEpoch+1..epochs). */
export function trialHistory(trial: PlannedTrial): EpochLogs[] {
  if (trial.failure) return [];
  const epochs: EpochLogs[] = [];
  for (let epoch = trial.initialEpoch + 1; epoch <= trial.epochs; epoch++) {
    const valLoss = valLossAt(trial, epoch);
    epochs.push({ epoch, loss: valLoss - 0.04, accuracy: Math.min(0.99, 1.02 - valLoss / 2.4), val_loss: valLoss, val_accuracy: Math.min(0.99, 1 - valLoss / 2.4), learning_rate: Number(trial.point['learning_rate']), seconds: 3.2 + epoch / 10 });
  }
  return epochs;
}

function batchesOf(trial: PlannedTrial, epoch: number): BatchLogs[] {
  return Array.from({ length: batchesPerEpoch }, (_, i) => {
    const t = epoch - 1 + (i + 1) / batchesPerEpoch;
    return { epoch, batch: i + 1, batches: batchesPerEpoch, loss: valLossAt(trial, t) - 0.02, accuracy: 1 - valLossAt(trial, t) / 2.4, samplesPerSecond: 5200 + 10 * i };
  });
}

const startedAt = (index: number): string => new Date(Date.UTC(2025, 5, 3, 9, 0, index * 30)).toISOString();

export function trialRecord(trial: PlannedTrial): TrialRecord {
  const index = plan.indexOf(trial);
  const base = {
    version: 1 as const,
    id: trial.id,
    point: trial.point,
    epochs: trial.epochs,
    initialEpoch: trial.initialEpoch,
    bracket: trial.bracket,
    round: trial.round,
    ...(trial.parentId !== undefined ? { parentId: trial.parentId } : {}),
    startedAt: startedAt(index),
    finishedAt: startedAt(index + 1),
  };
  if (trial.failure) return { ...base, status: 'failed', reason: trial.failure, history: [] };
  const history = trialHistory(trial);
  let best = history[0]!;
  for (const logs of history) if (logs.val_loss < best.val_loss) best = logs;
  return { ...base, status: 'completed', history, score: best.val_loss, bestEpoch: best.epoch, params: paramsOf(trial.point), stopReason: 'completed', checkpoint: `trials/${trial.id}/checkpoint/model.json` };
}

export const records: readonly TrialRecord[] = plan.map(trialRecord);

/** The completed trial with the lowest val_loss. */
export const bestRecord: TrialRecord = records.filter((r) => r.status === 'completed').reduce((a, b) => ((b.score ?? Infinity) < (a.score ?? Infinity) ? b : a));

export function summary(status: TuneSummary['status'] = 'finished', trials: readonly TrialRecord[] = records): TuneSummary {
  const completed = trials.filter((t) => t.status === 'completed' && t.score !== undefined);
  const best = completed.reduce<TrialRecord | undefined>((a, b) => (a === undefined || (b.score ?? Infinity) < (a.score ?? Infinity) ? b : a), undefined);
  return {
    model: searchModel,
    dir: searchDir,
    strategy: strategyText,
    objective,
    status,
    trials,
    ...(best?.score !== undefined ? { best: { trialId: best.id, score: best.score, point: best.point } } : {}),
  };
}

const tune = (event: TuneEvent): HostToTuneView => ({ type: 'trainer', message: { type: 'tune-event', event } satisfies FromTrainer });

export interface StreamOptions {
  /** Stop the stream inside this trial, after this many epochs and batches of the next epoch. */
  readonly stopIn?: { readonly trialId: string; readonly epochs: number; readonly batches: number };
}

/** The messages a live search sends the view, from the backend to tune-done. */
export function tuneStream(options: StreamOptions = {}): HostToTuneView[] {
  const messages: HostToTuneView[] = [{ type: 'trainer', message: { type: 'backend', name: 'tensorflow', device: 'CPU (8 threads)', notes: [] } }];
  messages.push(tune({ type: 'search', model: searchModel, dir: searchDir, strategy: strategyText, objective, resumedTrials: 0 }));
  messages.push(tune({ type: 'data', stage: 'loading mnist', done: 30000, total: 60000 }), tune({ type: 'data', stage: 'loading mnist', done: 60000, total: 60000 }));
  let best: TrialRecord | undefined;
  for (const [index, trial] of plan.entries()) {
    messages.push(tune({ type: 'trial-start', trial: { model: searchModel, id: trial.id, number: index + 1, point: trial.point, epochs: trial.epochs, initialEpoch: trial.initialEpoch, bracket: trial.bracket, round: trial.round, ...(trial.parentId ? { parentId: trial.parentId } : {}), rerun: false } }));
    const stop = options.stopIn?.trialId === trial.id ? options.stopIn : undefined;
    const history = trialHistory(trial);
    for (const [e, logs] of history.entries()) {
      const batches = batchesOf(trial, logs.epoch);
      for (const [b, batch] of batches.entries()) {
        if (stop && e === stop.epochs && b === stop.batches) return messages;
        messages.push(tune({ type: 'training', model: searchModel, trialId: trial.id, event: { type: 'batch', logs: batch } }));
      }
      messages.push(tune({ type: 'training', model: searchModel, trialId: trial.id, event: { type: 'epoch', logs, best: e === 0 || logs.val_loss < (history[e - 1]?.val_loss ?? Infinity) } }));
    }
    if (trial.id === '0005') messages.push(tune({ type: 'training', model: searchModel, trialId: trial.id, event: { type: 'message', text: 'continuing from trial 0000 at epoch 3' } }));
    const record = trialRecord(trial);
    messages.push(tune({ type: 'trial-end', model: searchModel, direction: 'min', trial: record }));
    if (record.score !== undefined && (best === undefined || record.score < (best.score ?? Infinity))) {
      best = record;
      messages.push(tune({ type: 'best', model: searchModel, trialId: record.id, score: record.score, point: record.point }));
    }
  }
  const finished = summary();
  messages.push(tune({ type: 'finished', summary: finished }));
  messages.push({ type: 'trainer', message: { type: 'tune-done', summaries: [finished], cancelled: false } });
  return messages;
}

/** An oracle.json for the search (its oracle state is a fresh Hyperband state: the view does not read it). */
export function searchRecord(status: SearchRecord['status'] = 'finished'): SearchRecord {
  return {
    version: 1,
    name: searchModel,
    file: '/work/project/search.model',
    fingerprint: '0123456789abcdef0123456789abcdef',
    strategy: { kind: 'hyperband', maxEpochs: 6, factor: 3, iterations: 1 },
    objective,
    oracle: initialHyperbandState({ maxEpochs: 6, factor: 3, iterations: 1 }, 7),
    status,
    startedAt: startedAt(0),
    updatedAt: startedAt(plan.length),
  };
}
