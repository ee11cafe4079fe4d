import type { Direction } from './objective.js';
import { initialCore, OracleCore, type CoreState, type Oracle, type TrialOutcome, type TrialPlan } from './oracle.js';
import { gridCount, gridPoint, pointKey, type Axis } from './space.js';

export interface GridSearchState {
  readonly kind: 'grid';
  readonly core: CoreState;
  /** `GridSearch(trials=N)` stops after N trials; undefined: the whole grid. */
  readonly maxTrials?: number;
  readonly epochs: number;
}

export function initialGridSearchState(maxTrials: number | undefined, epochs: number, seed: number): GridSearchState {
  return { kind: 'grid', core: initialCore(seed), ...(maxTrials !== undefined ? { maxTrials } : {}), epochs };
}

/** Every point of the grid in order, the last axis changing fastest (Keras Tuner's GridSearchOracle). */
export class GridSearchOracle implements Oracle {
  private readonly core: OracleCore;
  private readonly total: number;

  constructor(
    private readonly search: GridSearchState,
    private readonly axes: readonly Axis[],
    direction: Direction,
  ) {
    this.core = new OracleCore(search.core, axes, direction);
    // Throws a SpaceError naming the continuous range when the grid is not finite.
    this.total = gridCount(axes);
  }

  state(): GridSearchState {
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
    const index = this.search.core.trials.length;
    if (index >= this.total || (this.search.maxTrials !== undefined && index >= this.search.maxTrials)) return undefined;
    const point = gridPoint(this.axes, index);
    this.search.core.triedSoFar.push(pointKey(point));
    return this.core.add({ id: this.core.nextId(), point, epochs: this.search.epochs, initialEpoch: 0 });
  }
}
