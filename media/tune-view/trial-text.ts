import { formatValue } from './scales.js';
import type { TrialEntry } from './search-store.js';

/** `units=64, learning_rate=0.003162, batch_norm=true`. */
export function describePoint(trial: Pick<TrialEntry, 'point'>): string {
  return Object.entries(trial.point)
    .map(([name, value]) => `${name}=${formatValue(value)}`)
    .join(', ');
}

/** The epochs a trial trains: `1–2`, or `3–6` when it continues another trial. */
export function epochRange(trial: Pick<TrialEntry, 'epochs' | 'initialEpoch'>): string {
  return trial.epochs > trial.initialEpoch + 1 ? `${trial.initialEpoch + 1}–${trial.epochs}` : String(trial.epochs);
}
