/** The quick run's subset: at most N images of each split, per class in proportion, the same for the same seed. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { limitDataset } from '../../language-server/src/training/data/subset.js';
import type { ImageDataset } from '../../language-server/src/training/data/types.js';

/** 1,000 train and 300 test images of 2×2×1; class k is 10 % + k·… of the data; the pixel value encodes the index. */
function dataset(): ImageDataset {
  const split = (count: number, offset: number) => {
    const labels = Uint8Array.from({ length: count }, (_, i) => (i % 10 < 5 ? 0 : i % 10 < 8 ? 1 : 2));
    const images = new Uint8Array(count * 4);
    for (let i = 0; i < count; i++) images.fill((i + offset) % 256, i * 4, i * 4 + 4);
    return { images, labels, count };
  };
  return { name: 'toy', shape: [2, 2, 1], classNames: ['a', 'b', 'c'], train: split(1000, 0), test: split(300, 7), source: 'memory' };
}

const counts = (labels: Uint8Array) => [0, 1, 2].map((k) => labels.filter((l) => l === k).length);

test('keeps the classes in proportion, at most the limit, labels and pixels together', () => {
  const data = dataset();
  const limited = limitDataset(data, 200, 1);
  assert.equal(limited.train.count, 200);
  assert.equal(limited.test.count, 200);
  assert.deepEqual(counts(limited.train.labels), [100, 60, 40]);
  assert.deepEqual(counts(limited.test.labels), [100, 60, 40]);
  // Each chosen image still carries its own label: the pixel is the original index.
  for (let k = 0; k < limited.train.count; k++) {
    const original = limited.train.images[k * 4] ?? 0;
    const candidates = [original, original + 256, original + 512, original + 768].filter((i) => i < 1000);
    assert.ok(candidates.some((i) => data.train.labels[i] === limited.train.labels[k]), `image ${k}`);
  }
});

test('mixes the classes, draws the same images for the same seed and others for another', () => {
  const data = dataset();
  const a = limitDataset(data, 100, 3);
  const b = limitDataset(data, 100, 3);
  const c = limitDataset(data, 100, 4);
  assert.deepEqual(a.train.images, b.train.images);
  assert.notDeepEqual(a.train.images, c.train.images);
  const firstHalf = counts(a.train.labels.subarray(0, 50));
  assert.ok(firstHalf.every((n) => n > 0), `classes mixed: ${firstHalf}`);
});

test('a limit above a split leaves it as it is', () => {
  const data = dataset();
  const limited = limitDataset(data, 500, 1);
  assert.equal(limited.train.count, 500);
  assert.equal(limited.test, data.test);
  assert.equal(limitDataset(data, 5000, 1), data);
});
