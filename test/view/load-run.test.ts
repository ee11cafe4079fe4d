import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadViewRun } from '../../language-server/src/report/load-run.js';
import { makeGallery, makeRecord, runOptions } from './fixtures.js';

const options = runOptions[0]!;

function runFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'layerlab-run-'));
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

test('loadViewRun reads run.json and gallery.json of a run folder, the folder as id', () => {
  const record = makeRecord(options);
  const gallery = makeGallery(record);
  const dir = runFolder({ 'run.json': JSON.stringify(record), 'gallery.json': JSON.stringify(gallery) });
  const run = loadViewRun(dir);
  assert.equal(run.id, dir);
  assert.deepEqual(run.record, record);
  assert.deepEqual(run.gallery, gallery);
});

test('a run without gallery.json loads without a gallery', () => {
  const { gallery: _, ...record } = makeRecord(options);
  const run = loadViewRun(runFolder({ 'run.json': JSON.stringify(record) }));
  assert.equal(run.gallery, undefined);
  assert.equal(run.record.model.name, options.model);
});

test('a missing or corrupt run.json is an error naming the file', () => {
  const empty = runFolder({});
  assert.throws(() => loadViewRun(empty), (error: Error) => error.message.includes(join(empty, 'run.json')) && /no run record/.test(error.message));
  const corrupt = runFolder({ 'run.json': '{"version": 1, "model":' });
  assert.throws(() => loadViewRun(corrupt), (error: Error) => error.message.includes(join(corrupt, 'run.json')) && /not valid JSON/.test(error.message));
  const wrong = runFolder({ 'run.json': JSON.stringify({ version: 2 }) });
  assert.throws(() => loadViewRun(wrong), /unsupported run record version 2/);
});

test('a corrupt gallery.json is an error naming the file', () => {
  const record = makeRecord(options);
  const dir = runFolder({ 'run.json': JSON.stringify(record), 'gallery.json': JSON.stringify({ width: 28, height: 28, channels: 2, cells: [] }) });
  assert.throws(() => loadViewRun(dir), (error: Error) => error.message.includes(join(dir, 'gallery.json')) && /channels must be 1 or 3/.test(error.message));
});
