import type { Direction } from './objective.js';
import { initialCore, StrategyOracle, type CoreState, type TrialPlan } from './oracle.js';
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
export class GridSearchOracle extends StrategyOracle<GridSearchState> {
  private readonly total: number;

  constructor(
    search: GridSearchState,
    private readonly axes: readonly Axis[],
    direction: Direction,
  ) {
    super(search, axes, direction);
    // Throws a SpaceError naming the continuous range when the grid is not finite.
    this.total = gridCount(axes);
  }

  createTrial(): TrialPlan | undefined {
    const index = this.saved.core.trials.length;
    if (index >= this.total || (this.saved.maxTrials !== undefined && index >= this.saved.maxTrials)) return undefined;
    const point = gridPoint(this.axes, index);
    this.saved.core.triedSoFar.push(pointKey(point));
    return this.core.add({ id: this.core.nextId(), point, epochs: this.saved.epochs, initialEpoch: 0 });
  }
}
