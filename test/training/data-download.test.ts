import assert from 'node:assert/strict';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaultCacheDir, downloadFailureCause, fetchToCache } from '../../language-server/src/training/data/download.js';
import { ProgressText } from '../../language-server/src/training/data/progress-text.js';
import { DatasetError, type LoadProgress } from '../../language-server/src/training/data/types.js';
import { hex, sendAndDrop, sendWithRange, serve, tempDir } from './data-fixtures.js';

const payload = Uint8Array.from({ length: 600 * 1024 }, (_, i) => (i * 7 + (i >> 10)) & 0xff);

test('fetchToCache streams the file into the cache, checks it, and reuses it next time', async (t) => {
  const dir = await tempDir(t);
  const server = await serve(t, (req, res) => sendWithRange(req, res, payload));
  const progress: LoadProgress[] = [];
  const file = join(dir, 'sub', 'data.bin');
  const result = await fetchToCache(`${server.url}data.bin`, file, { sha256: hex('sha256', payload), md5: hex('md5', payload), onProgress: (p) => progress.push(p) });
  assert.equal(result, file);
  assert.deepEqual(new Uint8Array(await readFile(file)), payload);
  assert.deepEqual(await readdir(join(dir, 'sub')), ['data.bin'], 'no partial file is left');
  const downloads = progress.filter((p) => p.stage === 'downloading data.bin');
  assert.ok(downloads.length >= 2);
  assert.deepEqual(downloads.at(-1), { stage: 'downloading data.bin', done: payload.length, total: payload.length });
  assert.ok(progress.some((p) => p.stage === 'verifying data.bin'));
  await fetchToCache(`${server.url}data.bin`, file, { sha256: hex('sha256', payload) });
  assert.equal(server.ranges.length, 1, 'a cached file is not downloaded again');
});

test('a dropped connection keeps the partial file, and the next call resumes it with a Range request', async (t) => {
  const dir = await tempDir(t);
  const half = payload.length / 2;
  const server = await serve(t, (req, res, index) => (index === 0 ? sendAndDrop(res, payload, half) : sendWithRange(req, res, payload)));
  const file = join(dir, 'data.bin');
  const url = `${server.url}data.bin`;
  await assert.rejects(fetchToCache(url, file, { retries: 0, sha256: hex('sha256', payload) }), (e: unknown) => {
    assert.ok(e instanceof DatasetError);
    assert.equal(e.file, file);
    assert.match(e.message, /^Could not download http:\/\/127\.0\.0\.1:\d+\/data\.bin: the connection (broke|closed) after/);
    assert.match(e.message, /received are kept in .*data\.bin\.partial; the next try resumes from there/);
    return true;
  });
  const kept = (await stat(`${file}.partial`)).size;
  assert.ok(kept > 0 && kept <= half, `kept ${kept} bytes`);
  await assert.rejects(stat(file), 'nothing is in place yet');
  await fetchToCache(url, file, { retries: 0, sha256: hex('sha256', payload) });
  assert.deepEqual(server.ranges, ['', `bytes=${kept}-`]);
  assert.deepEqual(new Uint8Array(await readFile(file)), payload);
  assert.deepEqual(await readdir(dir), ['data.bin']);
});

test('within one call an interrupted download resumes by itself', async (t) => {
  const dir = await tempDir(t);
  const server = await serve(t, (req, res, index) => (index < 2 ? sendAndDrop(res, payload, (index + 1) * 100_000) : sendWithRange(req, res, payload)));
  const file = join(dir, 'data.bin');
  await fetchToCache(`${server.url}data.bin`, file, { md5: hex('md5', payload) });
  assert.equal(server.ranges.length, 3);
  assert.match(server.ranges[2] ?? '', /^bytes=\d+-$/);
  assert.deepEqual(new Uint8Array(await readFile(file)), payload);
});

test('a server that ignores Range gets the whole file again, written from the start', async (t) => {
  const dir = await tempDir(t);
  const server = await serve(t, (_req, res) => res.writeHead(200, { 'Content-Length': payload.length }).end(payload));
  const file = join(dir, 'data.bin');
  await writeFile(`${file}.partial`, new Uint8Array(1000).fill(0xee));
  await fetchToCache(`${server.url}data.bin`, file, { sha256: hex('sha256', payload) });
  assert.deepEqual(server.ranges, ['bytes=1000-']);
  assert.deepEqual(new Uint8Array(await readFile(file)), payload);
});

test('a checksum mismatch deletes the download and says so; nothing is left half-written', async (t) => {
  const dir = await tempDir(t);
  const server = await serve(t, (req, res) => sendWithRange(req, res, payload));
  const file = join(dir, 'data.bin');
  await assert.rejects(fetchToCache(`${server.url}data.bin`, file, { sha256: 'ab'.repeat(32) }), (e: unknown) => {
    assert.ok(e instanceof DatasetError);
    assert.match(e.message, new RegExp(`its sha256 is ${hex('sha256', payload)}, expected ${'ab'.repeat(32)}\\. The download was deleted; try again`));
    return true;
  });
  assert.deepEqual(await readdir(dir), []);
});

test('HTTP errors and unreachable servers give clear errors', async (t) => {
  const dir = await tempDir(t);
  const server = await serve(t, (_req, res) => res.writeHead(404, 'Not Found').end('no'));
  const file = join(dir, 'data.bin');
  await assert.rejects(fetchToCache(`${server.url}x`, file), (e: unknown) => e instanceof DatasetError && /^Downloading http:\/\/127\.0\.0\.1:\d+\/x failed: HTTP 404 Not Found\. To work offline, put the file at .*data\.bin yourself\.$/.test(e.message));
  assert.equal(server.ranges.length, 1, 'a 404 is not retried');
  const flaky = await serve(t, (_req, res) => res.writeHead(503, 'Service Unavailable').end());
  await assert.rejects(fetchToCache(`${flaky.url}x`, file, { retries: 1 }), (e: unknown) => e instanceof DatasetError && /HTTP 503 Service Unavailable/.test(e.message));
  assert.equal(flaky.ranges.length, 2, 'a 5xx is retried');
  const closed = await serve(t, () => undefined);
  await closed.close();
  await assert.rejects(fetchToCache(closed.url, file, { retries: 0 }), (e: unknown) => e instanceof DatasetError && /^Could not download .*: fetch failed.*ECONNREFUSED.* Check the internet connection, or put the file at/.test(e.message));
  assert.deepEqual(await readdir(dir), []);
});

test('an aborted download stops with the abort, not a DatasetError', async (t) => {
  const dir = await tempDir(t);
  const server = await serve(t, (req, res) => sendWithRange(req, res, payload));
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(fetchToCache(`${server.url}x`, join(dir, 'x'), { signal: controller.signal }), (e: unknown) => !(e instanceof DatasetError) && e instanceof Error && e.name === 'AbortError');
});

test('the cache folder: LAYERLAB_CACHE, else XDG_CACHE_HOME/layerlab, else ~/.cache/layerlab', () => {
  assert.equal(defaultCacheDir({ LAYERLAB_CACHE: '/data/cache', XDG_CACHE_HOME: '/xdg' }), '/data/cache');
  assert.equal(defaultCacheDir({ XDG_CACHE_HOME: '/xdg' }), '/xdg/layerlab');
  assert.equal(defaultCacheDir({ XDG_CACHE_HOME: 'relative' }), join(homedir(), '.cache', 'layerlab'));
  assert.equal(defaultCacheDir({}), join(homedir(), '.cache', 'layerlab'));
});

test('a download that fails for want of a network is told in a few words, with no address', () => {
  assert.equal(downloadFailureCause(['Could not download https://a/x.gz: fetch failed: getaddrinfo ENOTFOUND a. Check the internet connection']), 'no network (the download servers cannot be found)');
  assert.equal(downloadFailureCause(['Could not download https://a/x.gz: fetch failed: connect ECONNREFUSED 1.2.3.4:443.']), 'the connection to the download servers failed');
  assert.equal(downloadFailureCause(['Cannot create the cache folder /x: EACCES. Set LAYERLAB_CACHE to a folder you can write to.']), 'the cache folder cannot be created (set LAYERLAB_CACHE to a folder you can write to)');
  assert.equal(downloadFailureCause(['Downloading https://a failed: HTTP 403 Forbidden', 'Downloading https://b failed: HTTP 403 Forbidden']), 'the servers answered HTTP 403');
});

test('download progress: size, speed and time left, measured afresh for each file', () => {
  let now = 0;
  const text = new ProgressText(() => now);
  const MB = 1024 * 1024;
  assert.equal(text.describe({ stage: 'downloading a.gz', done: 0, total: 10 * MB }), 'downloading a.gz: 0.0 MB of 10 MB (0%)');
  now = 2000;
  assert.equal(text.describe({ stage: 'downloading a.gz', done: 4 * MB, total: 10 * MB }), 'downloading a.gz: 4.0 MB of 10 MB (40%), 2.0 MB/s, 3 s left');
  now = 2100;
  assert.equal(text.describe({ stage: 'downloading b.gz', done: 0 }), 'downloading b.gz: 0.0 MB');
  assert.equal(text.describe({ stage: 'unpacking', done: 5, total: 10 }), 'unpacking 50%');
});
