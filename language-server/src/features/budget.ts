import { performance } from 'node:perf_hooks';

/**
 * What one request may spend: milliseconds and, optionally, results. A feature that walks a
 * whole document takes one unit per result and stops when the budget is spent, so that the
 * server stays responsive whatever the file; the caller says what was left out.
 */
export class Budget {
  private readonly started: number;
  private taken = 0;
  private spent = false;

  constructor(
    readonly milliseconds: number,
    readonly maxItems: number = Number.POSITIVE_INFINITY,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.started = now();
  }

  /**
   * One more result, if the budget allows it. The clock is read on the first call and every
   * 64th after it, so that taking stays cheap in tight loops.
   */
  take(): boolean {
    if (this.spent) return false;
    this.taken++;
    if (this.taken > this.maxItems || ((this.taken & 63) === 1 && this.elapsed() >= this.milliseconds)) this.spent = true;
    return !this.spent;
  }

  /** Whether the time is spent (reads the clock): for loops whose steps are not results. */
  expired(): boolean {
    if (!this.spent && this.elapsed() >= this.milliseconds) this.spent = true;
    return this.spent;
  }

  /** Whether a `take` was refused or the time ran out: the result is partial. */
  get exhausted(): boolean {
    return this.spent;
  }

  /** Results taken so far (the refused one not counted). */
  get count(): number {
    return this.spent ? this.taken - 1 : this.taken;
  }

  elapsed(): number {
    return this.now() - this.started;
  }
}

/** Thrown by a feature whose result cannot be partial (formatting) when its budget is spent. */
export class BudgetSpent extends Error {
  constructor(readonly budget: Budget) {
    super(`stopped after ${Math.round(budget.elapsed())} ms, its budget is ${budget.milliseconds} ms`);
  }
}
