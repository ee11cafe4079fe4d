import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { loadIdxDataset, pairIdx, parseIdx, readIdx, readIdxPair } from '../../language-server/src/training/data/idx.js';
import { DatasetError } from '../../language-server/src/training/data/types.js';
import { idxBytes, tempDir } from './data-fixtures.js';

function rejects(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (error: unknown) => error instanceof DatasetError && pattern.test(error.message));
}

test('parseIdx reads the big-endian header and the unsigned bytes after it', () => {
  const data = Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => i * 10);
  const parsed = parseIdx(idxBytes([2, 3, 4], data), 'x.idx3-ubyte');
  assert.deepEqual(parsed.dims, [2, 3, 4]);
  assert.deepEqual([...parsed.data], [...data]);
  // A dimension over 255 needs the big-endian bytes read in order.
  assert.deepEqual(parseIdx(idxBytes([300], new Uint8Array(300)), 'l').dims, [300]);
});

test('parseIdx names the file and says what is wrong', () => {
  rejects(() => parseIdx(Uint8Array.from([0x50, 0x4b, 3, 4, 0, 0]), '/d/images.idx3-ubyte'), /^images\.idx3-ubyte is not an IDX file: it starts with 0x504b0304/);
  rejects(() => parseIdx(new Uint8Array(2), 'a.idx'), /a\.idx is not an IDX file: it has only 2 bytes/);
  const floats = idxBytes([1], [0, 0, 0, 0]);
  floats[2] = 0x0d;
  rejects(() => parseIdx(floats, 'f.idx'), /f\.idx holds 32-bit floats; only IDX files of unsigned bytes/);
  rejects(() => parseIdx(idxBytes([5, 28, 28], new Uint8Array(28 * 28)).subarray(0, 10), 'i.idx'), /i\.idx is truncated: its header needs 16 bytes for 3 dimensions, the file has 10/);
  const truncated = idxBytes([5, 28, 28], new Uint8Array(5 * 28 * 28)).subarray(0, 16 + 1000);
  rejects(() => parseIdx(truncated, 'i.idx'), /i\.idx is truncated: its header promises 5 × 28 × 28 = 3,920 bytes of data, the file has 1,000/);
  rejects(() => parseIdx(idxBytes([2], [1, 2, 3]), 'l.idx'), /l\.idx has 1 byte more than its header's 2 = 2 bytes/);
  const error = (() => {
    try {
      parseIdx(new Uint8Array(3), '/somewhere/labels.idx1-ubyte');
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  assert.ok(error instanceof DatasetError);
  assert.equal(error.file, '/somewhere/labels.idx1-ubyte');
});

test('pairIdx checks images against labels: counts, ranges, and swapped files', () => {
  const images = parseIdx(idxBytes([3, 2, 2], new Uint8Array(12)), 'images');
  const labels = parseIdx(idxBytes([3], [0, 1, 2]), 'labels');
  const pair = pairIdx(images, 'images', labels, 'labels', 3);
  assert.equal(pair.count, 3);
  assert.deepEqual(pair.shape, [2, 2, 1]);
  assert.deepEqual(pairIdx(parseIdx(idxBytes([1, 2, 2, 3], new Uint8Array(12)), 'rgb'), 'rgb', parseIdx(idxBytes([1], [0]), 'l'), 'l').shape, [2, 2, 3]);
  rejects(() => pairIdx(images, 'images', parseIdx(idxBytes([2], [0, 1]), 'labels'), 'labels'), /images has 3 images but labels has 2 labels; they must match one to one/);
  rejects(() => pairIdx(images, 'images', labels, 'labels', 2), /labels: label 2 at index 2 is out of range; there are 2 classes \(0–1\)/);
  rejects(() => pairIdx(labels, 'labels.idx1', images, 'images.idx3'), /labels\.idx1 holds labels and images\.idx3 holds images: the images file comes first/);
  rejects(() => pairIdx(images, 'images', images, 'more-images'), /more-images has 3 dimensions \(3 × 2 × 2\); a labels file has 1/);
});

test('IDX files are read from disk, gzip-compressed or not, with the file named in errors', async (t) => {
  const dir = await tempDir(t);
  const data = Uint8Array.from({ length: 4 * 3 * 3 }, (_, i) => i);
  await writeFile(join(dir, 'images.idx3-ubyte.gz'), gzipSync(idxBytes([4, 3, 3], data)));
  await writeFile(join(dir, 'labels.idx1-ubyte'), idxBytes([4], [1, 0, 1, 0]));
  const pair = await readIdxPair(join(dir, 'images.idx3-ubyte.gz'), join(dir, 'labels.idx1-ubyte'), 2);
  assert.deepEqual([...pair.images], [...data]);
  assert.deepEqual([...pair.labels], [1, 0, 1, 0]);
  await assert.rejects(readIdx(join(dir, 'missing.idx')), (e: unknown) => e instanceof DatasetError && /IDX file .*missing\.idx does not exist/.test(e.message));
  await writeFile(join(dir, 'cut.gz'), gzipSync(idxBytes([4], [1, 2, 3, 4])).subarray(0, 15));
  await assert.rejects(readIdx(join(dir, 'cut.gz')), (e: unknown) => e instanceof DatasetError && /cut\.gz is gzip-compressed but cannot be decompressed/.test(e.message));
});

test("a user's idx(...) pair is split 80/20 per class with a fixed seed, images staying with their labels", async (t) => {
  const dir = await tempDir(t);
  // 50 images of 2×2; class 0 has 30, class 1 has 20; each image's pixels hold its index.
  const count = 50;
  const labels = Uint8Array.from({ length: count }, (_, i) => (i % 5 < 3 ? 0 : 1));
  const images = Uint8Array.from({ length: count * 4 }, (_, k) => Math.floor(k / 4));
  await writeFile(join(dir, 'img.idx3-ubyte'), idxBytes([count, 2, 2], images));
  await writeFile(join(dir, 'lab.idx1-ubyte'), idxBytes([count], labels));
  const dataset = await loadIdxDataset(join(dir, 'img.idx3-ubyte'), join(dir, 'lab.idx1-ubyte'));
  assert.deepEqual(dataset.shape, [2, 2, 1]);
  assert.deepEqual(dataset.classNames, ['0', '1']);
  assert.equal(dataset.train.count, 40);
  assert.equal(dataset.test.count, 10);
  assert.match(dataset.splitNote ?? '', /80% train \/ 20% test with a fixed seed/);
  const testClasses = [...dataset.test.labels].filter((l) => l === 0).length;
  assert.equal(testClasses, 6, '20% of class 0 (30) is 6');
  const seen = new Set<number>();
  for (const split of [dataset.train, dataset.test]) {
    for (let k = 0; k < split.count; k++) {
      const index = split.images[k * 4] ?? -1;
      assert.equal(split.labels[k], labels[index], `image ${index} keeps its label`);
      seen.add(index);
    }
  }
  assert.equal(seen.size, count, 'train and test partition the images');
  const again = await loadIdxDataset(join(dir, 'img.idx3-ubyte'), join(dir, 'lab.idx1-ubyte'));
  assert.deepEqual(again.train.images, dataset.train.images);
  assert.deepEqual(again.test.labels, dataset.test.labels);
});
