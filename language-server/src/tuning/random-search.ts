import type { Direction } from './objective.js';
import { initialCore, OracleCore, type CoreState, type Oracle, type TrialOutcome, type TrialPlan } from './oracle.js';
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
export class RandomSearchOracle implements Oracle {
  private readonly core: OracleCore;

  constructor(
    private readonly search: RandomSearchState,
    axes: readonly Axis[],
    direction: Direction,
  ) {
    this.core = new OracleCore(search.core, axes, direction);
  }

  state(): RandomSearchState {
    return this.search;
  }

  ongoing(): TrialPlan[] {
    return this.core.ongoing();
  }

  endTrial(id: string, outcome: TrialOutcome): void {
    this.core.end(id, outcome);
  }

  consecutiveFailures(): number {
    return this.core.consecutiveFailures();
  }

  createTrial(): TrialPlan | undefined {
    if (this.search.core.trials.length >= this.search.maxTrials) return undefined;
    const id = this.core.nextId();
    const point = this.core.randomValues();
    return point && this.core.add({ id, point, epochs: this.search.epochs, initialEpoch: 0 });
  }
}
