import { seededRandom } from '../../common/random.js';

/** The project's seeded PRNG (mulberry32), under the name the data code uses. */
export const mulberry32 = seededRandom;

/** Fisher–Yates, in place. */
export function shuffleInPlace(values: Uint32Array, random: () => number): Uint32Array {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = values[i] ?? 0;
    values[i] = values[j] ?? 0;
    values[j] = tmp;
  }
  return values;
}

/** Sample indices of a split, in a fixed shuffled order. */
export interface SplitIndices {
  readonly train: Uint32Array;
  readonly test: Uint32Array;
}

/**
 * Splits samples per class: for a class of n samples, `testCount(n)` chosen at
 * random (seeded) go to test, the rest to train. Both index lists are then
 * shuffled so classes are mixed, as a trainer that does not shuffle expects.
 */
export function stratifiedSplit(labels: Uint8Array, testCount: (n: number) => number, seed: number): SplitIndices {
  const random = mulberry32(seed);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] ?? 0;
    let list = byClass.get(label);
    if (!list) byClass.set(label, (list = []));
    list.push(i);
  }
  const train: number[] = [];
  const test: number[] = [];
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    const members = shuffleInPlace(Uint32Array.from(byClass.get(label) ?? []), random);
    const nTest = testCount(members.length);
    for (let k = 0; k < members.length; k++) (k < nTest ? test : train).push(members[k] ?? 0);
  }
  return { train: shuffleInPlace(Uint32Array.from(train), random), test: shuffleInPlace(Uint32Array.from(test), random) };
}

/** Copies the chosen samples (each `sampleSize` bytes) into a new split. */
export function gather(images: Uint8Array, labels: Uint8Array, sampleSize: number, indices: Uint32Array): { images: Uint8Array; labels: Uint8Array; count: number } {
  const outImages = new Uint8Array(indices.length * sampleSize);
  const outLabels = new Uint8Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k] ?? 0;
    outImages.set(images.subarray(i * sampleSize, (i + 1) * sampleSize), k * sampleSize);
    outLabels[k] = labels[i] ?? 0;
  }
  return { images: outImages, labels: outLabels, count: indices.length };
}
