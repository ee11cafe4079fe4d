import type { Axis } from './space.js';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { EpochLogs, StopReason } from '../training/loop.js';
import { writeFileAtomic } from '../common/atomic-write.js';
import { compareScores, type Direction } from './objective.js';
import type { Point, PointValue } from './space.js';
import type { OracleState, Strategy } from './strategy.js';

/** `oracle.json`: the search as a whole. */
export interface SearchRecord {
  readonly version: 1;
  /** The folder's name: the tuned model. */
  readonly name: string;
  readonly file: string;
  /** Hash of the tune block, the model and --limit: a changed search is not resumed. */
  readonly fingerprint: string;
  readonly strategy: Strategy;
  readonly objective: { readonly name: string; readonly direction: Direction };
  readonly oracle: OracleState;
  readonly status: 'running' | 'finished' | 'cancelled' | 'failed';
  readonly message?: string;
  /** Why a finished search ended: it ran its whole plan, or its budget (max_trials, max_time) was spent. */
  readonly endedBy?: 'plan' | 'budget';
  /** The searched parameters (ranges with their scale, choices), for the search view's axes. */
  readonly space?: readonly Axis[];
  readonly startedAt: string;
  readonly updatedAt: string;
}

/** `trials/<id>/trial.json`: one trial, rewritten when it starts and when it ends. */
export interface TrialRecord {
  readonly version: 1;
  readonly id: string;
  readonly point: Point;
  /** `running` after an interrupt: the trial runs again when the search resumes. */
  readonly status: 'running' | 'completed' | 'failed';
  /** Why a trial failed: the model's error at this point, or the training error. */
  readonly reason?: string;
  /** This trial's epochs (numbered from initialEpoch + 1 for a Hyperband continuation). */
  readonly history: readonly EpochLogs[];
  /** The best objective value over the epochs. */
  readonly score?: number;
  readonly bestEpoch?: number;
  readonly epochs: number;
  readonly initialEpoch: number;
  readonly bracket?: number;
  readonly round?: number;
  /** The trial whose checkpoint this one continues. */
  readonly parentId?: string;
  readonly params?: number;
  readonly stopReason?: StopReason;
  /** The checkpoint of the best epoch (TensorFlow.js format), for promotion and for use. */
  readonly checkpoint?: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
}

/** The search folder cannot be used as it is (changed tune block, unreadable file). */
export class TuneStoreError extends Error {}

/** `.layerlab/tune/<name>/` next to the .model file. */
export function tuneDir(baseDir: string, name: string): string {
  return join(baseDir, '.layerlab', 'tune', name);
}

export function trialDir(dir: string, id: string): string {
  return join(dir, 'trials', id);
}

/** Same text up to spacing: reformatting a file does not invalidate its search. */
export function searchFingerprint(parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part.replace(/\s+/g, ' ').trim() + '\n');
  return hash.digest('hex').slice(0, 32);
}

function readJson<T>(path: string): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (error) {
    throw new TuneStoreError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}; delete the folder or pass --overwrite to start the search over`);
  }
}

export function readSearch(dir: string): SearchRecord | undefined {
  const path = join(dir, 'oracle.json');
  return existsSync(path) ? readJson<SearchRecord>(path) : undefined;
}

/**
 * The saved search to resume, or undefined to start afresh. `overwrite`
 * deletes the folder; a search saved for another tune block is refused.
 */
export function openSearch(dir: string, fingerprint: string, overwrite: boolean): SearchRecord | undefined {
  if (overwrite) rmSync(dir, { recursive: true, force: true });
  const saved = readSearch(dir);
  if (saved && saved.fingerprint !== fingerprint) {
    throw new TuneStoreError(`${dir} holds a search of a different tune block, model or --limit (${saved.oracle.core.trials.length} trials); pass --overwrite to delete it and start over, or undo the change to resume it`);
  }
  mkdirSync(join(dir, 'trials'), { recursive: true });
  return saved;
}

export function writeSearch(dir: string, record: SearchRecord): void {
  writeFileAtomic(join(dir, 'oracle.json'), JSON.stringify(record, null, 1) + '\n');
}

export function writeTrial(dir: string, record: TrialRecord): void {
  const folder = trialDir(dir, record.id);
  mkdirSync(folder, { recursive: true });
  writeFileAtomic(join(folder, 'trial.json'), JSON.stringify(record, null, 1) + '\n');
}

export function readTrial(dir: string, id: string): TrialRecord | undefined {
  const path = join(trialDir(dir, id), 'trial.json');
  return existsSync(path) ? readJson<TrialRecord>(path) : undefined;
}

/** Every saved trial, in id order. */
export function readTrials(dir: string): TrialRecord[] {
  const folder = join(dir, 'trials');
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .sort()
    .flatMap((id) => readTrial(dir, id) ?? []);
}

/** Completed trials, best first. */
export function rankTrials(trials: readonly TrialRecord[], direction: Direction): TrialRecord[] {
  return trials.filter((t) => t.status === 'completed' && t.score !== undefined).sort((a, b) => compareScores(a.score ?? 0, b.score ?? 0, direction));
}

/** The outcome of a search for the editor: the best point and its score. */
export interface BestValues {
  /** Searched parameter → its value in the best trial. */
  readonly values: Readonly<Record<string, PointValue>>;
  /** The objective's metric name, e.g. `val_loss`. */
  readonly objective: string;
  readonly direction: Direction;
  readonly score: number;
  /** Completed trials, the best among them giving `values`. */
  readonly trials: number;
  readonly trialId: string;
  /** Whether the search ran to its end (else it was interrupted or is still running). */
  readonly finished: boolean;
}

/**
 * The best trial of the search saved in `dir` (a `.layerlab/tune/<name>/`
 * folder), or undefined when there is no search or no completed trial yet.
 * Never throws: unreadable files count as no result.
 */
export function bestValues(dir: string): BestValues | undefined {
  try {
    const search = readSearch(dir);
    if (!search) return undefined;
    const ranked = rankTrials(readTrials(dir), search.objective.direction);
    const best = ranked[0];
    if (!best || best.score === undefined) return undefined;
    return { values: best.point, objective: search.objective.name, direction: search.objective.direction, score: best.score, trials: ranked.length, trialId: best.id, finished: search.status === 'finished' };
  } catch {
    return undefined;
  }
}
