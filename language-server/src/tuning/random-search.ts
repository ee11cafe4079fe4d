import type { Direction } from './objective.js';
import { initialCore, StrategyOracle, type CoreState, type TrialPlan } from './oracle.js';
import type { Axis } from './space.js';

export interface RandomSearchState {
  readonly kind: 'random';
  readonly core: CoreState;
  /** Keras Tuner's `max_trials`: every trial counts, failed ones too. */
  readonly maxTrials: number;
  /** Epochs of every trial: the block's `epochs`. */
  readonly epochs: number;
}

export function initialRandomSearchState(maxTrials: number, epochs: number, seed: number): RandomSearchState {
  return { kind: 'random', core: initialCore(seed), maxTrials, epochs };
}

/** Keras Tuner's RandomSearchOracle: random points never tried before, up to `trials` of them. */
export class RandomSearchOracle extends StrategyOracle<RandomSearchState> {

  createTrial(): TrialPlan | undefined {
    if (this.saved.core.trials.length >= this.saved.maxTrials) return undefined;
    const id = this.core.nextId();
    const point = this.core.randomValues();
    return point && this.core.add({ id, point, epochs: this.saved.epochs, initialEpoch: 0 });
  }
}
