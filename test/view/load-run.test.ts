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

test('a corrupt gallery.json costs the run its gallery, not the run; the problem names the file', () => {
  const record = makeRecord(options);
  const dir = runFolder({ 'run.json': JSON.stringify(record), 'gallery.json': JSON.stringify({ width: 28, height: 28, channels: 2, cells: [] }) });
  const problems: string[] = [];
  const run = loadViewRun(dir, (problem) => problems.push(problem));
  assert.deepEqual(run.record, record);
  assert.equal(run.gallery, undefined);
  assert.equal(problems.length, 1);
  assert.ok(problems[0]?.includes(join(dir, 'gallery.json')) && /channels must be 1 or 3.*shown without its gallery/.test(problems[0]), problems[0]);
  const truncated = runFolder({ 'run.json': JSON.stringify(record), 'gallery.json': '{"width": 28, "cel' });
  assert.equal(loadViewRun(truncated).gallery, undefined);
});

test('wrong inner types in run.json are errors naming the file and the field, before any page draws them', () => {
  const record = makeRecord(options) as unknown as Record<string, unknown>;
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['a null history entry', { ...record, history: [null] }, /history entry 1 is not an epoch/],
    ['an empty test section', { ...record, test: {} }, /"test" has no accuracy and loss/],
    ['class names that are null', { ...record, dataset: { ...(record['dataset'] as object), classNames: null } }, /"dataset\.classNames" is not a list of names/],
    ['a confusion matrix of the wrong size', { ...record, test: { ...(record['test'] as object), confusion: [[1]] } }, /"test\.confusion" is not a \d+×\d+ table of counts/],
  ];
  for (const [what, value, message] of cases) {
    const dir = runFolder({ 'run.json': JSON.stringify(value) });
    assert.throws(() => loadViewRun(dir), (error: Error) => error.message.includes(join(dir, 'run.json')) && message.test(error.message), what);
  }
  // A run that diverged wrote NaN losses as null: still a valid record.
  const history = (record['history'] as Record<string, unknown>[]).map((h, i) => (i === 0 ? { ...h, loss: null } : h));
  assert.doesNotThrow(() => loadViewRun(runFolder({ 'run.json': JSON.stringify({ ...record, history }) })));
});
