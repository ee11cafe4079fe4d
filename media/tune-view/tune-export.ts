import type { SearchEntry, TrialEntry } from './search-store.js';
import { bestTrial, parameterNames } from './ranking.js';

/** The search's files for the exports: the trials table as CSV, the whole search as JSON. */

function csvCell(value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'number' && !Number.isFinite(value)) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function trialsCsv(search: SearchEntry, trials: readonly TrialEntry[]): string {
  const names = parameterNames(search);
  const header = ['trial', 'status', ...names, 'epochs', 'initial_epoch', 'params', search.objective.name, 'best_epoch', 'bracket', 'round', 'parent', 'reason'];
  const rows = trials.map((t) =>
    [t.id, t.status, ...names.map((n) => t.point[n]), t.epochs, t.initialEpoch, t.params, t.score, t.bestEpoch, t.bracket, t.round, t.parentId, t.reason].map(csvCell).join(','),
  );
  return [header.map(csvCell).join(','), ...rows].join('\n') + '\n';
}

/** The search as the runner summarises it (TuneSummary), trials still running included as they stand. */
export function searchJson(search: SearchEntry): string {
  const best = bestTrial(search);
  const trials = [...search.trials.values()]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((t) => t.record ?? { version: 1, id: t.id, point: t.point, status: t.status, history: t.history, epochs: t.epochs, initialEpoch: t.initialEpoch, bracket: t.bracket, round: t.round, parentId: t.parentId });
  const summary = {
    model: search.model,
    dir: search.dir,
    strategy: search.strategy,
    objective: search.objective,
    status: search.status,
    ...(search.message !== undefined ? { message: search.message } : {}),
    trials,
    ...(best?.score !== undefined ? { best: { trialId: best.id, score: best.score, point: best.point } } : {}),
  };
  return JSON.stringify(summary, null, 1) + '\n';
}
