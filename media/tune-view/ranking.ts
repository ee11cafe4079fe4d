import { compareScores, type PointValue } from '../../language-server/src/protocol/views.js';
import type { SearchEntry, TrialEntry } from './search-store.js';
import type { SortColumn } from './state.js';

const hasScore = (trial: TrialEntry): trial is TrialEntry & { score: number } => trial.status === 'completed' && trial.score !== undefined && Number.isFinite(trial.score);

/** Completed trials with a score, in id order. */
export function scoredTrials(search: SearchEntry): (TrialEntry & { score: number })[] {
  return [...search.trials.values()].filter(hasScore).sort((a, b) => a.id.localeCompare(b.id));
}

/** The best completed trial (ties: the earlier one, as the runner keeps the first best). */
export function bestTrial(search: SearchEntry): TrialEntry | undefined {
  let best: (TrialEntry & { score: number }) | undefined;
  for (const trial of scoredTrials(search)) if (!best || compareScores(trial.score, best.score, search.objective.direction) < 0) best = trial;
  return best;
}

/** The searched parameters, in the order the trials' points list them. */
export function parameterNames(search: SearchEntry): string[] {
  const names: string[] = [];
  for (const trial of search.trials.values()) for (const name of Object.keys(trial.point)) if (!names.includes(name)) names.push(name);
  return names;
}

type SortKey = number | string | undefined;

function keyOf(trial: TrialEntry, column: SortColumn): SortKey {
  if (column.startsWith('param:')) {
    const value: PointValue | undefined = trial.point[column.slice('param:'.length)];
    return typeof value === 'boolean' ? Number(value) : value;
  }
  switch (column) {
    case 'status':
      return trial.status;
    case 'epochs':
      return trial.epochs;
    case 'params':
      return trial.params;
    case 'score':
      return hasScore(trial) ? trial.score : undefined;
    default:
      return trial.id;
  }
}

function compareKeys(a: SortKey, b: SortKey): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), 'en', { numeric: true });
}

/** Trials ordered by a column; those without a value (no score yet, failed) always last, then by id. */
export function sortTrials(trials: readonly TrialEntry[], column: SortColumn | undefined, descending: boolean): TrialEntry[] {
  const byId = (a: TrialEntry, b: TrialEntry) => a.id.localeCompare(b.id);
  if (column === undefined) return [...trials].sort(byId);
  return [...trials].sort((a, b) => {
    const ka = keyOf(a, column);
    const kb = keyOf(b, column);
    if (ka === undefined || kb === undefined) return ka === kb ? byId(a, b) : ka === undefined ? 1 : -1;
    const order = compareKeys(ka, kb);
    return order === 0 ? byId(a, b) : descending ? -order : order;
  });
}
