import type { TrainingSettings } from '../analysis/training-checks.js';
import type { Value } from '../catalog/values.js';
import { searchStrategies } from '../catalog/training.js';
import { GridSearchOracle, initialGridSearchState, type GridSearchState } from './grid-search.js';
import { HyperbandOracle, initialHyperbandState, type HyperbandState } from './hyperband.js';
import type { Direction } from './objective.js';
import type { Oracle } from './oracle.js';
import { initialRandomSearchState, RandomSearchOracle, type RandomSearchState } from './random-search.js';
import type { Axis } from './space.js';

/** The `search = …` setting of a tune block. */
export type Strategy =
  | { readonly kind: 'hyperband'; readonly maxEpochs: number; readonly factor: number; readonly iterations: number }
  | { readonly kind: 'random'; readonly trials: number }
  | { readonly kind: 'grid'; readonly trials?: number };

export type OracleState = HyperbandState | RandomSearchState | GridSearchState;

/** A strategy the trainer cannot run (the analysis checks names and types, not these limits). */
export class StrategyError extends Error {}

function defaults(name: string): Record<string, number> {
  const args = searchStrategies.find((s) => s.name === name)?.args ?? {};
  return Object.fromEntries(Object.entries(args).flatMap(([k, v]) => (Number.isNaN(Number(v)) ? [] : [[k, Number(v)]])));
}

function argsOf(value: Value | undefined): { name: string; args: Record<string, number> } {
  if (value?.kind === 'call') {
    const args = defaults(value.callee);
    for (const a of value.args) if (a.name && a.value.kind === 'number') args[a.name] = a.value.value;
    return { name: value.callee, args };
  }
  const name = value?.kind === 'symbol' ? value.name : value?.kind === 'string' ? value.value : 'Hyperband';
  return { name, args: defaults(name) };
}

export function strategyOf(settings: TrainingSettings): Strategy {
  const { name, args } = argsOf(settings.settings.get('search')?.value);
  const whole = (key: string, min: number): number | undefined => {
    const value = args[key];
    if (value === undefined) return undefined;
    if (!Number.isInteger(value) || value < min) throw new StrategyError(`${name}(${key}=${value}): \`${key}\` must be a whole number of at least ${min}`);
    return value;
  };
  if (name === 'RandomSearch') return { kind: 'random', trials: whole('trials', 1) ?? 10 };
  if (name === 'GridSearch') {
    const trials = whole('trials', 1);
    return trials === undefined ? { kind: 'grid' } : { kind: 'grid', trials };
  }
  // Keras Tuner: "factor needs to be a int larger than 1".
  return { kind: 'hyperband', maxEpochs: whole('max_epochs', 1) ?? 30, factor: whole('factor', 2) ?? 3, iterations: whole('iterations', 1) ?? 1 };
}

export function describeStrategy(strategy: Strategy): string {
  switch (strategy.kind) {
    case 'hyperband':
      return `Hyperband(max_epochs=${strategy.maxEpochs}, factor=${strategy.factor}, iterations=${strategy.iterations})`;
    case 'random':
      return `RandomSearch(trials=${strategy.trials})`;
    case 'grid':
      return `GridSearch(${strategy.trials !== undefined ? `trials=${strategy.trials}` : ''})`;
  }
}

/** A fresh oracle state; `epochs` is the block's, used by RandomSearch and GridSearch. */
export function initialOracleState(strategy: Strategy, epochs: number, seed: number): OracleState {
  switch (strategy.kind) {
    case 'hyperband':
      return initialHyperbandState(strategy, seed);
    case 'random':
      return initialRandomSearchState(strategy.trials, epochs, seed);
    case 'grid':
      return initialGridSearchState(strategy.trials, epochs, seed);
  }
}

export function oracleFor(state: OracleState, axes: readonly Axis[], direction: Direction): Oracle {
  switch (state.kind) {
    case 'hyperband':
      return new HyperbandOracle(state, axes, direction);
    case 'random':
      return new RandomSearchOracle(state, axes, direction);
    case 'grid':
      return new GridSearchOracle(state, axes, direction);
  }
}
