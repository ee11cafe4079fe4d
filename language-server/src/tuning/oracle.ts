import { compareScores, type Direction } from './objective.js';
import { pointKey, randomPoint, type Axis, type Point } from './space.js';

/** What the oracle asks the runner to train next. */
export interface TrialPlan {
  readonly id: string;
  readonly point: Point;
  /** Train up to this epoch (Keras Tuner's `tuner/epochs`). */
  readonly epochs: number;
  /** Start after this epoch, from the parent's checkpoint (`tuner/initial_epoch`); 0 for a fresh model. */
  readonly initialEpoch: number;
  /** Hyperband only: `tuner/bracket`, `tuner/round`, and the promoted trial (`tuner/trial_id`). */
  readonly bracket?: number;
  readonly round?: number;
  readonly parentId?: string;
}

export type TrialOutcome = { readonly status: 'completed'; readonly score: number } | { readonly status: 'failed' };

export interface OracleTrial extends TrialPlan {
  readonly status: 'running' | 'completed' | 'failed';
  readonly score?: number;
}

/** What every oracle keeps, as plain JSON (saved in oracle.json so a search resumes). */
export interface CoreState {
  readonly seed: number;
  seedState: number;
  triedSoFar: string[];
  trials: OracleTrial[];
  /** Ids in the order the trials ended. */
  endOrder: string[];
}

/** Keras Tuner's default `max_consecutive_failed_trials`. */
export const maxConsecutiveFailures = 3;
/** Keras Tuner's `_max_collisions` for drawing a point not tried before. */
export const maxCollisions = 20;

export function initialCore(seed: number): CoreState {
  return { seed, seedState: seed, triedSoFar: [], trials: [], endOrder: [] };
}

/** A search strategy, one trial at a time. */
export interface Oracle {
  /** The next trial, recorded as running; undefined when the search is over. */
  createTrial(): TrialPlan | undefined;
  endTrial(id: string, outcome: TrialOutcome): void;
  /** Trials created but not ended (an interrupted search has one); they run again on resume. */
  ongoing(): TrialPlan[];
  /** Failed trials at the end of the search, in a row. */
  consecutiveFailures(): number;
  /** JSON-serialisable state. */
  state(): unknown;
}

/** Trials, ids, random points without repeats, and failure counting, shared by the oracles. */
export class OracleCore {
  constructor(
    readonly core: CoreState,
    readonly axes: readonly Axis[],
    readonly direction: Direction,
  ) {}

  nextId(): string {
    return String(this.core.trials.length).padStart(4, '0');
  }

  trial(id: string): OracleTrial | undefined {
    return this.core.trials.find((t) => t.id === id);
  }

  add(plan: TrialPlan): TrialPlan {
    this.core.trials.push({ ...plan, status: 'running' });
    return plan;
  }

  end(id: string, outcome: TrialOutcome): void {
    const index = this.core.trials.findIndex((t) => t.id === id);
    const trial = this.core.trials[index];
    if (!trial || trial.status !== 'running') throw new Error(`trial ${id} is not running`);
    this.core.trials[index] = outcome.status === 'completed' ? { ...trial, status: 'completed', score: outcome.score } : { ...trial, status: 'failed' };
    this.core.endOrder.push(id);
  }

  ongoing(): TrialPlan[] {
    return this.core.trials.filter((t) => t.status === 'running');
  }

  /** Keras Tuner's `_random_values`: a point not tried before, or undefined after too many collisions. */
  randomValues(): Point | undefined {
    let collisions = 0;
    for (;;) {
      const { point, seedState } = randomPoint(this.axes, this.core.seedState);
      this.core.seedState = seedState;
      const key = pointKey(point);
      if (this.core.triedSoFar.includes(key)) {
        if (++collisions > maxCollisions) return undefined;
        continue;
      }
      this.core.triedSoFar.push(key);
      return point;
    }
  }

  /** Completed trials, best first; ties keep their order (Python's sort is stable, and so is ours). */
  bestFirst(trials: readonly OracleTrial[]): OracleTrial[] {
    return trials.filter((t) => t.status === 'completed' && t.score !== undefined).sort((a, b) => compareScores(a.score ?? 0, b.score ?? 0, this.direction));
  }

  /** The run of failures at the end of the search (Keras Tuner stops the search at 3). */
  consecutiveFailures(): number {
    let count = 0;
    for (let i = this.core.endOrder.length - 1; i >= 0; i--) {
      if (this.trial(this.core.endOrder[i] ?? '')?.status !== 'failed') break;
      count++;
    }
    return count;
  }
}

/** The bookkeeping every strategy shares; a strategy only decides what to train next. */
export abstract class StrategyOracle<State extends { readonly core: CoreState }> implements Oracle {
  protected readonly core: OracleCore;

  constructor(
    protected readonly saved: State,
    axes: readonly Axis[],
    direction: Direction,
  ) {
    this.core = new OracleCore(saved.core, axes, direction);
  }

  abstract createTrial(): TrialPlan | undefined;

  state(): State {
    return this.saved;
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
}
