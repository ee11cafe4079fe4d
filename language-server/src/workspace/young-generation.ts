import { getHeapSpaceStatistics } from 'node:v8';

/**
 * Bytes an analysis allocates per character of its text: 30 MB for the 254 KB of the generated
 * 10,000-layer model in `npm run bench` (about 120), rounded up. A file whose `repeat`s expand
 * to many layers allocates more than its length says; it is then collected as before, mid-analysis.
 */
export const allocationPerCharacter = 128;

/** What `makeRoomForAnalysis` needs of the heap: V8's in a process started with `--expose-gc`. */
export interface YoungGeneration {
  /** Bytes the young generation can still allocate before its next collection. */
  available(): number;
  /** A scavenge: copies what is alive out of the young generation and frees the rest. */
  collect(): void;
}

type ExposedGc = (options: { type: 'minor' | 'major' }) => void;

/** V8's young generation, or undefined when this process cannot collect it on demand (no `--expose-gc`). */
export function v8YoungGeneration(): YoungGeneration | undefined {
  const gc = (globalThis as { gc?: ExposedGc }).gc;
  if (typeof gc !== 'function') return undefined;
  return {
    available: () => getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_available_size ?? Infinity,
    collect: () => gc({ type: 'minor' }),
  };
}

/**
 * Before analysing `textLength` characters: when the analysis will not fit in what the young
 * generation has left, collects it now. The scavenge that would otherwise come mid-analysis
 * copies the analysis built so far and promotes it to the old generation; now it finds the
 * previous version's analysis, which the edit released, already dead. Returns whether it collected.
 */
export function makeRoomForAnalysis(textLength: number, young: YoungGeneration | undefined): boolean {
  if (!young || young.available() >= textLength * allocationPerCharacter) return false;
  young.collect();
  return true;
}
