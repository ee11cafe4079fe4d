import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classReport } from '../../language-server/src/training/metrics.js';

test('classReport: per-class accuracy is one-vs-rest, (TP + TN) / N, not recall', () => {
  // 3 classes, 10 samples. Class 0: 4 samples, 3 right, 1 taken for class 1; class 1: 3 samples, all right;
  // class 2: 3 samples, 1 right, 2 taken for class 0.
  const truth = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2];
  const predicted = [0, 0, 0, 1, 1, 1, 1, 2, 0, 0];
  const report = classReport(truth, predicted, 3);
  assert.deepEqual(report.confusion, [
    [3, 1, 0],
    [0, 3, 0],
    [2, 0, 1],
  ]);
  assert.deepEqual(report.recall, [3 / 4, 3 / 3, 1 / 3]);
  assert.deepEqual(report.precision, [3 / 5, 3 / 4, 1 / 1]);
  // Class 0: wrong about 1 of its own (FN) and 2 others (FP): 7 of 10 right. Class 1: 1 FP: 9 of 10. Class 2: 2 FN: 8 of 10.
  assert.deepEqual(report.accuracy, [7 / 10, 9 / 10, 8 / 10]);
  assert.notDeepEqual(report.accuracy, report.recall);
  assert.deepEqual(report.misclassified, [3, 8, 9]);
});

test('classReport: a class with no samples and none predicted is right about every sample', () => {
  const report = classReport([0, 1, 0], [0, 1, 1], 3);
  assert.deepEqual(report.accuracy, [2 / 3, 2 / 3, 1]);
  assert.deepEqual(report.recall, [1 / 2, 1, 0]);
  assert.deepEqual(report.precision, [1, 1 / 2, 0]);
});

test('classReport: no samples at all', () => {
  const report = classReport([], [], 2);
  assert.deepEqual(report.accuracy, [0, 0]);
  assert.deepEqual(report.confusion, [
    [0, 0],
    [0, 0],
  ]);
});
