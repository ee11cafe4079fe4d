import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildGallery } from '../../language-server/src/training/gallery.js';

// Four 2×2 grayscale test images whose pixels encode their index, so a sample can be traced back.
const images = Uint8Array.from({ length: 4 * 4 }, (_, i) => Math.floor(i / 4) * 10 + (i % 4));
const test4 = { images, labels: Uint8Array.from([0, 1, 1, 0]), count: 4 };

test('every test sample lands in the cell of its true and predicted class, least confident first', () => {
  const gallery = buildGallery(test4, [2, 2, 1], [0, 0, 1, 0], [0.9, 0.6, 0.8, 0.55], 2);
  assert.deepEqual(
    gallery.cells.map((c) => [c.trueClass, c.predictedClass, c.count, c.samples.map((s) => s.index)]),
    [
      [0, 0, 2, [3, 0]],
      [1, 0, 1, [1]],
      [1, 1, 1, [2]],
    ],
  );
  const sample = gallery.cells[1]?.samples[0];
  assert.deepEqual([...Buffer.from(sample?.pixels ?? '', 'base64')], [10, 11, 12, 13]);
  assert.equal(sample?.confidence, 0.6);
  assert.deepEqual([gallery.width, gallery.height, gallery.channels], [2, 2, 1]);
});

test('a cell keeps at most the requested number of samples but counts all of them', () => {
  const gallery = buildGallery(test4, [2, 2, 1], [1, 1, 1, 1], [0.5, 0.4, 0.3, 0.2], 2, 1);
  assert.deepEqual(
    gallery.cells.map((c) => [c.trueClass, c.predictedClass, c.count, c.samples.map((s) => s.index)]),
    [
      [0, 1, 2, [3]],
      [1, 1, 2, [2]],
    ],
  );
});

test('only the samples that were predicted are used (a --limit run tests a prefix of the test set)', () => {
  const gallery = buildGallery(test4, [2, 2, 1], [0, 1], [0.9, 0.9], 2);
  assert.equal(gallery.cells.reduce((n, c) => n + c.count, 0), 2);
});
