/**
 * Reshaping layers, checked against Keras 3 `compute_output_shape` of Flatten,
 * Reshape (`compute_reshape_output_shape`), Permute, RepeatVector, ZeroPadding1D/2D,
 * Cropping1D/2D and UpSampling1D/2D. None of them has parameters.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { errorOf, lastFigures, lastLayer } from '../helpers/analyze.js';

const noParams = (shape: readonly (number | null)[]) => ({ shape, params: 0, trainable: 0, nonTrainable: 0 });

describe('Flatten', () => {
  test('multiplies every non-batch axis', () => {
    // 7·7·64 = 3136
    assert.deepEqual(lastFigures('input (7, 7, 64)\nFlatten()'), noParams([3136]));
  });

  test('on a vector is a no-op', () => {
    assert.deepEqual(lastFigures('input (10,)\nFlatten()'), noParams([10]));
  });

  test('an unknown axis makes the size unknown', () => {
    assert.deepEqual(lastFigures('input (None, 8)\nFlatten()'), noParams([null]));
  });

  test('the next Dense grows with the flattened size', () => {
    // (3136 + 1)·10 = 31370
    assert.equal(lastLayer('input (7, 7, 64)\nFlatten()\nDense(10)').params, 31370);
  });
});

describe('Reshape', () => {
  test('explicit shape with the same number of elements', () => {
    assert.deepEqual(lastFigures('input (4, 6)\nReshape((2, 3, 4))'), noParams([2, 3, 4]));
  });

  test('-1 takes what is left: 24 / 4 = 6', () => {
    assert.deepEqual(lastFigures('input (24,)\nReshape((4, -1))'), noParams([4, 6]));
  });

  test('-1 first', () => {
    // 7·7·64 / 64 = 49
    assert.deepEqual(lastFigures('input (7, 7, 64)\nReshape((-1, 64))'), noParams([49, 64]));
  });

  test('keyword target_shape and a 1-tuple', () => {
    assert.deepEqual(lastFigures('input (2, 3, 4)\nReshape(target_shape=(24,))'), noParams([24]));
  });

  test('-1 that does not divide is an error', () => {
    // 24 is not divisible by 5
    assert.equal(errorOf('input (24,)\nReshape((5, -1))').code, 'shape');
  });

  test('a different number of elements is an error', () => {
    // 24 ≠ 4·5 = 20
    assert.equal(errorOf('input (24,)\nReshape((4, 5))').code, 'shape');
  });

  test('two -1 axes are an error', () => {
    assert.match(errorOf('input (24,)\nReshape((-1, -1))').message, /^Reshape: at most one axis of target_shape may be -1/, 'shape');
  });

  test('-1 with an unknown input axis stays unknown', () => {
    assert.deepEqual(lastFigures('input (None, 8)\nReshape((-1, 4))'), noParams([null, 4]));
  });
});

describe('Permute', () => {
  test('swap steps and features', () => {
    assert.deepEqual(lastFigures('input (10, 64)\nPermute((2, 1))'), noParams([64, 10]));
  });

  test('rank 3', () => {
    assert.deepEqual(lastFigures('input (2, 3, 4)\nPermute((3, 1, 2))'), noParams([4, 2, 3]));
  });

  test('not a permutation is an error', () => {
    assert.match(errorOf('input (10, 64)\nPermute((1, 1))').message, /^Permute: dims \(1, 1\) must be a permutation of 1…2 for an input of rank 2/, 'shape');
  });

  test('wrong length is an error', () => {
    assert.match(errorOf('input (2, 3, 4)\nPermute((2, 1))').message, /^Permute: dims \(2, 1\) must be a permutation of 1…3 for an input of rank 3/, 'shape');
  });

  test('0-based dims are an error (Keras dims start at 1)', () => {
    assert.match(errorOf('input (10, 64)\nPermute((1, 0))').message, /^Permute: dims \(1, 0\) must be a permutation of 1…2 for an input of rank 2/, 'shape');
  });
});

describe('RepeatVector', () => {
  test('(features,) → (n, features)', () => {
    assert.deepEqual(lastFigures('input (8,)\nRepeatVector(3)'), noParams([3, 8]));
  });

  test('on rank 3 suggests Flatten', () => {
    const error = errorOf('input (4, 4, 3)\nRepeatVector(3)');
    assert.equal(error.code, 'rank');
    assert.match(error.message, /Flatten\(\)/);
    assert.deepEqual(error.replacements, ['Flatten()']);
  });
});

describe('ZeroPadding', () => {
  test('ZeroPadding2D default pads 1 on every side', () => {
    assert.deepEqual(lastFigures('input (28, 28, 1)\nZeroPadding2D()'), noParams([30, 30, 1]));
  });

  test('ZeroPadding2D int', () => {
    // 28 + 2·2 = 32
    assert.deepEqual(lastFigures('input (28, 28, 1)\nZeroPadding2D(2)'), noParams([32, 32, 1]));
  });

  test('ZeroPadding2D (rows, cols) symmetric per axis', () => {
    // 28 + 2·1 = 30, 28 + 2·2 = 32
    assert.deepEqual(lastFigures('input (28, 28, 1)\nZeroPadding2D((1, 2))'), noParams([30, 32, 1]));
  });

  test('ZeroPadding2D ((top, bottom), (left, right))', () => {
    // 28 + 1 + 0 = 29, 28 + 2 + 3 = 33
    assert.deepEqual(lastFigures('input (28, 28, 1)\nZeroPadding2D(((1, 0), (2, 3)))'), noParams([29, 33, 1]));
  });

  test('ZeroPadding2D keyword padding', () => {
    assert.deepEqual(lastFigures('input (5, 5, 1)\nZeroPadding2D(padding=(0, 1))'), noParams([5, 7, 1]));
  });

  test('ZeroPadding1D int and (start, end)', () => {
    // 10 + 2·3 = 16; 10 + 1 + 2 = 13
    assert.deepEqual(lastFigures('input (10, 4)\nZeroPadding1D(3)'), noParams([16, 4]));
    assert.deepEqual(lastFigures('input (10, 4)\nZeroPadding1D((1, 2))'), noParams([13, 4]));
  });

  test('ZeroPadding1D default 1', () => {
    assert.deepEqual(lastFigures('input (10, 4)\nZeroPadding1D()'), noParams([12, 4]));
  });

  test('negative padding is an error', () => {
    assert.match(errorOf('input (28, 28, 1)\nZeroPadding2D(-1)').message, /^ZeroPadding2D: `padding` cannot be negative/, 'argument-type');
  });

  test('padding then conv restores the size (same by hand)', () => {
    // 28 + 2 = 30; 30 − 3 + 1 = 28
    assert.deepEqual(lastLayer('input (28, 28, 1)\nZeroPadding2D()\nConv2D(4, 3)').outputShape, [28, 28, 4]);
  });
});

describe('Cropping', () => {
  test('Cropping2D default crops nothing', () => {
    assert.deepEqual(lastFigures('input (28, 28, 3)\nCropping2D()'), noParams([28, 28, 3]));
  });

  test('Cropping2D int', () => {
    // 28 − 2·2 = 24
    assert.deepEqual(lastFigures('input (28, 28, 3)\nCropping2D(2)'), noParams([24, 24, 3]));
  });

  test('Cropping2D (rows, cols)', () => {
    // 28 − 2·1 = 26, 28 − 2·3 = 22
    assert.deepEqual(lastFigures('input (28, 28, 3)\nCropping2D((1, 3))'), noParams([26, 22, 3]));
  });

  test('Cropping2D ((top, bottom), (left, right))', () => {
    // 28 − 4 = 24, 28 − 8 = 20
    assert.deepEqual(lastFigures('input (28, 28, 3)\nCropping2D(((2, 2), (4, 4)))'), noParams([24, 20, 3]));
  });

  test('Cropping1D default crops 1 at each end', () => {
    assert.deepEqual(lastFigures('input (10, 4)\nCropping1D()'), noParams([8, 4]));
  });

  test('Cropping1D (start, end)', () => {
    // 10 − 2 − 3 = 5
    assert.deepEqual(lastFigures('input (10, 4)\nCropping1D((2, 3))'), noParams([5, 4]));
  });

  test('cropping the whole axis is an error', () => {
    // 28 − 2·14 = 0
    assert.match(errorOf('input (28, 28, 3)\nCropping2D(14)').message, /^Cropping2D: cropping 28 from an axis of length 28 leaves nothing; crop less/, 'shape');
  });

  test('cropping more than the axis is an error', () => {
    assert.match(errorOf('input (10, 4)\nCropping1D((6, 6))').message, /^Cropping1D: cropping 12 from an axis of length 10 leaves nothing; crop less/, 'shape');
  });
});

describe('UpSampling', () => {
  test('UpSampling2D default doubles', () => {
    assert.deepEqual(lastFigures('input (7, 7, 8)\nUpSampling2D()'), noParams([14, 14, 8]));
  });

  test('UpSampling2D per-axis size', () => {
    assert.deepEqual(lastFigures('input (7, 7, 8)\nUpSampling2D((2, 3))'), noParams([14, 21, 8]));
  });

  test('UpSampling2D interpolation does not change the shape', () => {
    assert.deepEqual(lastFigures("input (7, 7, 8)\nUpSampling2D(size=3, interpolation='bilinear')"), noParams([21, 21, 8]));
  });

  test('UpSampling1D default 2 and explicit 3', () => {
    assert.deepEqual(lastFigures('input (5, 4)\nUpSampling1D()'), noParams([10, 4]));
    assert.deepEqual(lastFigures('input (5, 4)\nUpSampling1D(3)'), noParams([15, 4]));
  });

  test('UpSampling2D on a vector is a rank error', () => {
    assert.equal(errorOf('input (8,)\nUpSampling2D()').code, 'rank');
  });
});
