import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TuneAnalysis } from '../analysis/analyze-file.js';
import { bestValues, tuneDir, type BestValues } from './store.js';

/** A search's saved result for a `tune` block (what features/tune-results.ts takes as its `TuneResultLookup`). */
export type BestValuesLookup = (tune: TuneAnalysis) => BestValues | undefined;

interface Cached {
  readonly stamp: string;
  readonly best: BestValues | undefined;
}

/**
 * The saved results of searches (`.layerlab/tune/<model>/` next to a .model
 * file), read again only when a trial has finished since the last read: the
 * editor asks for inlay hints on every scroll and edit.
 */
export class TuneResultCache {
  private readonly cache = new Map<string, Cached>();

  lookupFor(uri: string): BestValuesLookup {
    if (!uri.startsWith('file:')) return () => undefined;
    const baseDir = dirname(fileURLToPath(uri));
    return (tune: TuneAnalysis) => {
      for (const model of tune.models) {
        const best = this.read(tuneDir(baseDir, model.name));
        if (best) return best;
      }
      return undefined;
    };
  }

  clear(): void {
    this.cache.clear();
  }

  private read(dir: string): BestValues | undefined {
    const stamp = stampOf(dir);
    if (stamp === undefined) return undefined;
    const cached = this.cache.get(dir);
    if (cached?.stamp === stamp) return cached.best;
    const best = bestValues(dir);
    this.cache.set(dir, { stamp, best });
    return best;
  }
}

/** Changes whenever a trial is written (the trials folder gains entries, oracle.json is rewritten). */
function stampOf(dir: string): string | undefined {
  try {
    const oracle = statSync(join(dir, 'oracle.json'));
    const trials = statSync(join(dir, 'trials'), { throwIfNoEntry: false });
    return `${oracle.mtimeMs}:${trials?.mtimeMs ?? 0}`;
  } catch {
    return undefined;
  }
}
