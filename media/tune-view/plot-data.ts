import type { Objective, PointValue } from '../../language-server/src/protocol/views.js';
import { bestTrial, parameterNames, scoredTrials } from './ranking.js';
import { scaleOf, type Scale } from './scales.js';
import type { SearchEntry, TrialEntry } from './search-store.js';

/** One axis of the search plots: a searched parameter, or the objective. */
export interface PlotAxis {
  readonly name: string;
  readonly scale: Scale;
  readonly value: (trial: TrialEntry) => PointValue | undefined;
}

/** What the parallel-coordinates and scatter plots draw: completed trials, their axes, the best. */
export interface SearchPlotData {
  readonly model: string;
  readonly objective: Objective;
  readonly trials: readonly (TrialEntry & { score: number })[];
  readonly parameters: readonly PlotAxis[];
  readonly objectiveAxis: PlotAxis;
  readonly scoreRange: { readonly min: number; readonly max: number };
  readonly bestId: string | undefined;
}

export function plotDataOf(search: SearchEntry): SearchPlotData {
  const trials = scoredTrials(search);
  const parameters = parameterNames(search).map((name): PlotAxis => {
    const values = trials.flatMap((t) => (t.point[name] === undefined ? [] : [t.point[name] as PointValue]));
    return { name, scale: scaleOf(values, search.space?.get(name)), value: (t) => t.point[name] };
  });
  const scores = trials.map((t) => t.score);
  const objectiveAxis: PlotAxis = { name: search.objective.name, scale: scaleOf(scores), value: (t) => t.score };
  return {
    model: search.model,
    objective: search.objective,
    trials,
    parameters,
    objectiveAxis,
    scoreRange: { min: scores.length ? Math.min(...scores) : 0, max: scores.length ? Math.max(...scores) : 1 },
    bestId: bestTrial(search)?.id,
  };
}
