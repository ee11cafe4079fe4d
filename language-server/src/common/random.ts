/** mulberry32: a small, fast, seedable PRNG, so shuffles and splits repeat exactly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle of 0..n-1. */
export function shuffledIndices(n: number, random: () => number): Int32Array {
  const indices = new Int32Array(n);
  for (let i = 0; i < n; i++) indices[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = indices[i] ?? 0;
    indices[i] = indices[j] ?? 0;
    indices[j] = t;
  }
  return indices;
}

/**
 * Seeds the trainer process's `Math.random`, from which TensorFlow.js draws the
 * seeds of unseeded random ops: weight initializers, dropout masks. Like Keras's
 * `set_random_seed`, it makes a run repeat exactly on the same backend. Only the
 * trainer process calls it; it owns its global state.
 */
export function seedGlobalRandom(seed: number): void {
  Math.random = seededRandom(seed ^ 0x9e3779b9);
}
