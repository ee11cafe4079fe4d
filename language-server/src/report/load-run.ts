import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import type { RunRecord } from '../training/results.js';
import type { Gallery, ViewRun } from '../protocol/views.js';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = isObject(error) && typeof error['code'] === 'string' ? error['code'] : '';
    throw new Error(code === 'ENOENT' ? `${path}: no ${what} here` : `${path}: cannot read the ${what} (${error instanceof Error ? error.message : String(error)})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`${path}: the ${what} is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

function checkRecord(value: unknown, path: string): RunRecord {
  if (!isObject(value)) throw new Error(`${path}: not a Layerlab run record (expected a JSON object)`);
  if (value['version'] !== 1) throw new Error(`${path}: unsupported run record version ${JSON.stringify(value['version'])} (expected 1)`);
  for (const field of ['model', 'dataset', 'backend', 'settings'] as const) {
    if (!isObject(value[field])) throw new Error(`${path}: the run record has no "${field}" object`);
  }
  if (!Array.isArray(value['history'])) throw new Error(`${path}: the run record has no "history" list`);
  if (!Array.isArray(value['batches'])) throw new Error(`${path}: the run record has no "batches" list`);
  const bad = (what: string) => new Error(`${path}: ${what}; the file is damaged (rerun the model, or delete this run folder)`);
  // A metric is a number, or null where JSON wrote a NaN (a run that diverged).
  const metric = (v: unknown) => typeof v === 'number' || v === null;
  value['history'].forEach((entry: unknown, i: number) => {
    if (!isObject(entry) || typeof entry['epoch'] !== 'number' || !metric(entry['loss'])) throw bad(`history entry ${i + 1} is not an epoch with a number and a loss`);
  });
  value['batches'].forEach((entry: unknown, i: number) => {
    if (!isObject(entry) || !metric(entry['loss'])) throw bad(`batch entry ${i + 1} has no loss`);
  });
  const dataset = value['dataset'] as Record<string, unknown>;
  const classNames = dataset['classNames'];
  if (!Array.isArray(classNames) || !classNames.every((c) => typeof c === 'string')) throw bad('"dataset.classNames" is not a list of names');
  for (const count of ['train', 'validation', 'test'] as const) if (typeof dataset[count] !== 'number') throw bad(`"dataset.${count}" is not a number`);
  if (typeof value['status'] !== 'string') throw bad('"status" is not a string');
  const test = value['test'];
  if (test !== undefined) {
    if (!isObject(test) || !metric(test['accuracy']) || !metric(test['loss'])) throw bad('"test" has no accuracy and loss');
    const confusion = test['confusion'];
    const square = Array.isArray(confusion) && confusion.length === classNames.length && confusion.every((row) => Array.isArray(row) && row.length === classNames.length && row.every((n) => typeof n === 'number'));
    if (!square) throw bad(`"test.confusion" is not a ${classNames.length}×${classNames.length} table of counts`);
    for (const list of ['precision', 'recall', 'predicted', 'confidence'] as const) {
      if (test[list] !== undefined && !(Array.isArray(test[list]) && (test[list] as unknown[]).every((n) => typeof n === 'number' || n === null))) throw bad(`"test.${list}" is not a list of numbers`);
    }
  }
  return value as unknown as RunRecord;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A record still `running` whose trainer is gone on this machine (killed, crashed, the disk
 * full) reads as `interrupted`, with what is kept; a run on another machine is left as it is.
 */
export function withLiveStatus(record: RunRecord, alive: (pid: number) => boolean = processAlive, host: string = hostname()): RunRecord {
  if (record.status !== 'running' || !record.trainer || record.trainer.host !== host || alive(record.trainer.pid)) return record;
  const epochs = record.history.length;
  return {
    ...record,
    status: 'interrupted',
    message: `its trainer stopped without finishing (killed, crashed, or the disk was full); ${epochs === 0 ? 'no epoch had finished' : `the ${epochs} finished epoch${epochs === 1 ? ' is' : 's are'} kept`}`,
  };
}

function checkGallery(value: unknown, path: string): Gallery {
  if (!isObject(value)) throw new Error(`${path}: not a gallery (expected a JSON object)`);
  const { width, height, channels, cells } = value;
  if (typeof width !== 'number' || typeof height !== 'number' || width <= 0 || height <= 0) throw new Error(`${path}: the gallery has no valid width and height`);
  if (channels !== 1 && channels !== 3) throw new Error(`${path}: the gallery's channels must be 1 or 3, not ${JSON.stringify(channels)}`);
  if (!Array.isArray(cells) || !cells.every((c) => isObject(c) && typeof c['trueClass'] === 'number' && typeof c['predictedClass'] === 'number' && Array.isArray(c['samples']))) {
    throw new Error(`${path}: the gallery's "cells" are not a list of cells with trueClass, predictedClass and samples`);
  }
  return value as unknown as Gallery;
}

/**
 * A run folder as the training view shows it: `run.json`, and its gallery
 * (`gallery.json`, or the file the record names) when there is one.
 */
export function loadViewRun(runDir: string, onProblem: (message: string) => void = () => {}): ViewRun {
  const recordPath = join(runDir, 'run.json');
  const record = withLiveStatus(checkRecord(readJson(recordPath, 'run record (run.json)'), recordPath));
  // Only a file name: a record cannot point outside its folder.
  const galleryPath = join(runDir, basename(record.gallery ?? 'gallery.json'));
  if (!existsSync(galleryPath)) return { id: runDir, record };
  // The gallery is optional: a damaged one costs the run its gallery, not the run.
  try {
    return { id: runDir, record, gallery: checkGallery(readJson(galleryPath, 'gallery'), galleryPath) };
  } catch (error) {
    onProblem(`${error instanceof Error ? error.message : String(error)}; the run is shown without its gallery of test images`);
    return { id: runDir, record };
  }
}
