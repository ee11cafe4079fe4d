import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadSearch } from '../../language-server/src/tuning/load-search.js';
import { writeSearch, writeTrial } from '../../language-server/src/tuning/store.js';
import { bestRecord, records, searchRecord, strategyText } from './fixtures.js';

function searchFolder(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'layerlab-search-')), '.layerlab', 'tune', 'mnist_search');
  mkdirSync(dir, { recursive: true });
  return dir;
}

test('loadSearch reads oracle.json and every trial, in id order, with the best', () => {
  const dir = searchFolder();
  writeSearch(dir, searchRecord('finished'));
  // Written out of order: the summary lists them by id.
  for (const record of [...records].reverse()) writeTrial(dir, record);
  const search = loadSearch(dir);
  assert.equal(search.model, 'mnist_search');
  assert.equal(search.dir, dir);
  assert.equal(search.strategy, strategyText);
  assert.deepEqual(search.objective, { name: 'val_loss', direction: 'min' });
  assert.equal(search.status, 'finished');
  assert.deepEqual(search.trials, records);
  assert.deepEqual(search.best, { trialId: bestRecord.id, score: bestRecord.score, point: bestRecord.point });
});

test('a search without completed trials has no best; its message is kept', () => {
  const dir = searchFolder();
  writeSearch(dir, { ...searchRecord('failed'), message: '3 trials in a row failed' });
  writeTrial(dir, records.find((r) => r.status === 'failed')!);
  const search = loadSearch(dir);
  assert.equal(search.best, undefined);
  assert.equal(search.status, 'failed');
  assert.equal(search.message, '3 trials in a row failed');
  assert.equal(search.trials.length, 1);
});

test('a folder that is not a search is an error naming it', () => {
  const empty = searchFolder();
  assert.throws(() => loadSearch(empty), (error: Error) => error.message.startsWith(`${empty}: not a search folder`) && error.message.includes('oracle.json'));
  const missing = join(empty, 'nope');
  assert.throws(() => loadSearch(missing), (error: Error) => error.message === `${missing}: no such folder`);
  const file = join(empty, 'file.txt');
  writeFileSync(file, 'x');
  assert.throws(() => loadSearch(file), (error: Error) => error.message.startsWith(`${file}: not a folder`));
  const corrupt = searchFolder();
  writeFileSync(join(corrupt, 'oracle.json'), '{"version": 1,');
  assert.throws(() => loadSearch(corrupt), (error: Error) => error.message.includes(join(corrupt, 'oracle.json')));
  const wrong = searchFolder();
  writeFileSync(join(wrong, 'oracle.json'), JSON.stringify({ version: 2 }));
  assert.throws(() => loadSearch(wrong), (error: Error) => error.message.includes(wrong) && /unsupported search record version 2/.test(error.message));
});
