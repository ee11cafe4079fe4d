import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TuneSummary } from './runner.js';
import { rankTrials, readSearch, readTrials, type SearchRecord } from './store.js';
import { describeStrategy } from './strategy.js';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

function checkRecord(record: unknown, dir: string): SearchRecord {
  const path = join(dir, 'oracle.json');
  if (!isObject(record)) throw new Error(`${path}: not a Layerlab search record (expected a JSON object)`);
  if (record['version'] !== 1) throw new Error(`${path}: unsupported search record version ${JSON.stringify(record['version'])} (expected 1)`);
  const objective = record['objective'];
  if (!isObject(objective) || typeof objective['name'] !== 'string' || (objective['direction'] !== 'min' && objective['direction'] !== 'max')) throw new Error(`${path}: the search record has no valid "objective"`);
  if (!isObject(record['strategy']) || typeof record['strategy']['kind'] !== 'string') throw new Error(`${path}: the search record has no valid "strategy"`);
  if (typeof record['name'] !== 'string') throw new Error(`${path}: the search record has no model "name"`);
  return record as unknown as SearchRecord;
}

/**
 * A saved search folder (`.layerlab/tune/<model>/`) as the runner summarises a
 * search: its record (`oracle.json`), every trial in id order, and the best.
 * Throws an error naming the folder when it is not a search folder.
 */
export function loadSearch(dir: string): TuneSummary {
  if (!existsSync(dir)) throw new Error(`${dir}: no such folder`);
  if (!statSync(dir).isDirectory()) throw new Error(`${dir}: not a folder; pick a search folder under .layerlab/tune/`);
  // readSearch and readTrials name the file they cannot parse.
  const found = readSearch(dir);
  if (found === undefined) throw new Error(`${dir}: not a search folder (it has no oracle.json); searches are saved under .layerlab/tune/<model>/`);
  const search = checkRecord(found, dir);
  const trials = readTrials(dir);
  const best = rankTrials(trials, search.objective.direction)[0];
  return {
    model: search.name,
    dir,
    strategy: describeStrategy(search.strategy),
    objective: { name: search.objective.name, direction: search.objective.direction },
    status: search.status,
    ...(search.message !== undefined ? { message: search.message } : {}),
    ...(Array.isArray(search.space) ? { space: search.space } : {}),
    trials,
    ...(best?.score !== undefined ? { best: { trialId: best.id, score: best.score, point: best.point } } : {}),
  };
}
