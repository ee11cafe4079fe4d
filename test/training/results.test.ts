/** Run folders and records: nothing lost when runs meet, and a dead run is not shown as running. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { withLiveStatus } from '../../language-server/src/report/load-run.js';
import { createRunDir, type RunRecord } from '../../language-server/src/training/results.js';
import { writeFileAtomic, WriteError } from '../../language-server/src/common/atomic-write.js';

test('runs of one model started in the same second get folders of their own', () => {
  const base = mkdtempSync(join(tmpdir(), 'layerlab-runs-'));
  const now = new Date('2026-12-07T10:00:00.250Z');
  const dirs = [createRunDir(base, 'net', now), createRunDir(base, 'net', now), createRunDir(base, 'net', new Date('2026-12-07T10:00:00.900Z'))];
  assert.deepEqual(dirs.map((d) => basename(d)), ['2026-12-07_10-00-00-net', '2026-12-07_10-00-00-net-2', '2026-12-07_10-00-00-net-3']);
  assert.equal(readdirSync(join(base, '.layerlab', 'runs')).length, 3);
});

test('a record left running by a trainer that is gone reads as interrupted, with what is kept', () => {
  const record = { status: 'running', trainer: { pid: 4242, host: 'here' }, history: [{}, {}] } as unknown as RunRecord;
  const dead = withLiveStatus(record, () => false, 'here');
  assert.equal(dead.status, 'interrupted');
  assert.match(dead.message ?? '', /trainer stopped without finishing .* the 2 finished epochs are kept/);
  assert.equal(withLiveStatus(record, () => true, 'here').status, 'running', 'a live trainer');
  assert.equal(withLiveStatus(record, () => false, 'elsewhere').status, 'running', 'a run on another machine is not judged from here');
  assert.equal(withLiveStatus({ ...record, status: 'completed' } as RunRecord, () => false, 'here').status, 'completed');
  // This process is alive: the default check.
  assert.equal(withLiveStatus({ ...record, trainer: { pid: process.pid, host: 'here' } } as RunRecord, undefined, 'here').status, 'running');
});

test('a write on a full disk keeps the old file, leaves no temporary file and says the disk is full', (t) => {
  if (!existsSync('/dev/full')) {
    t.skip('no /dev/full on this system');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'layerlab-full-'));
  const path = join(dir, 'run.json');
  writeFileSync(path, 'the record so far');
  // The temporary file's name leads to /dev/full, where every write fails with ENOSPC, as on a full disk.
  symlinkSync('/dev/full', `${path}.${process.pid}.tmp`);
  assert.throws(
    () => writeFileAtomic(path, 'the next record'),
    (error: unknown) => error instanceof WriteError && error.code === 'ENOSPC' && error.message === `could not write ${path}: the disk is full; free some space and run it again`,
  );
  assert.deepEqual(readdirSync(dir), ['run.json']);
  assert.equal(readFileSync(path, 'utf8'), 'the record so far');
  writeFileAtomic(path, 'the next record');
  assert.equal(readFileSync(path, 'utf8'), 'the next record');
});
