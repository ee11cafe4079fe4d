/** The metric a search optimises, with Keras Tuner's direction inference and per-trial scoring. */

export type Direction = 'min' | 'max';

export interface Objective {
  readonly name: string;
  readonly direction: Direction;
}

/** Epoch logs as the trainer reports them: metric name → value. */
export type MetricLogs = Readonly<Record<string, number>>;

/** A problem with the `objective` setting. */
export class ObjectiveError extends Error {}

/** Keras' short names for the metrics of the epoch logs. */
const aliases: Readonly<Record<string, string>> = { acc: 'accuracy', val_acc: 'val_accuracy' };

/**
 * Keras Tuner's `infer_metric_direction`: strip `val_`, then losses and
 * cross-entropies are minimised and accuracies maximised; anything else cannot
 * be inferred.
 */
export function objectiveFor(name: string): Objective {
  const metric = (name.startsWith('val_') ? name.slice(4) : name).replace(/^weighted_/, '');
  if (metric === 'loss' || metric === 'crossentropy' || metric === 'ce' || metric.endsWith('_loss') || metric.endsWith('error')) return { name: aliases[name] ?? name, direction: 'min' };
  if (metric === 'acc' || metric.endsWith('accuracy')) return { name: aliases[name] ?? name, direction: 'max' };
  throw new ObjectiveError(`cannot tell whether to minimise or maximise the objective \`${name}\`; use val_loss, val_accuracy, loss or accuracy`);
}

export function isBetter(candidate: number, best: number | undefined, direction: Direction): boolean {
  if (!Number.isFinite(candidate)) return false;
  return best === undefined || (direction === 'min' ? candidate < best : candidate > best);
}

/**
 * A trial's score, as Keras Tuner's `MetricHistory.get_best_value`: the best
 * value of the objective over the trial's epochs (non-finite values ignored).
 * Undefined when no epoch reported a finite value.
 */
export function bestOf(history: readonly MetricLogs[], objective: Objective): { score: number; epoch: number } | undefined {
  let best: { score: number; epoch: number } | undefined;
  history.forEach((logs, index) => {
    const value = logs[objective.name];
    if (value !== undefined && isBetter(value, best?.score, objective.direction)) best = { score: value, epoch: logs['epoch'] ?? index + 1 };
  });
  return best;
}

/** Orders scores best first for the objective's direction. */
export function compareScores(a: number, b: number, direction: Direction): number {
  return direction === 'min' ? a - b : b - a;
}
