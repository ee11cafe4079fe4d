/**
 * A quick run, the smoke test before a long one (Train/Tune "Quick" in the editor,
 * `--quick` on the command line): few images, few epochs, a small search.
 */
export const QUICK = {
  /** Images of each split, drawn per class in proportion (or the block's `limit`, if smaller). */
  limit: 2000,
  /** Epochs of a quick training run, and at most of each quick trial. */
  epochs: 1,
  /** Trials of a quick search: a random search of this many points. */
  trials: 5,
} as const;

/** The limit of a quick run: QUICK.limit, or the block's own `limit` where that is smaller. */
export function quickLimit(blockLimit: number | undefined): number {
  return Math.min(QUICK.limit, blockLimit ?? QUICK.limit);
}
