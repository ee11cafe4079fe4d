/**
 * Pooling layers, checked against Keras 3 `compute_pooling_output_shape`:
 *   valid: floor((n − pool) / strides) + 1      same: floor((n − 1) / strides) + 1
 *   strides=None means strides = pool_size. No parameters.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { errorOf, lastFigures, lastLayer } from '../helpers/analyze.js';

const noParams = (shape: readonly (number | null)[]) => ({ shape, params: 0, trainable: 0, nonTrainable: 0 });

describe('MaxPooling2D / AveragePooling2D', () => {
  test('default pool 2 halves an even size', () => {
    assert.deepEqual(lastFigures('input (28, 28, 1)\nMaxPooling2D()'), noParams([14, 14, 1]));
  });

  test('odd size rounds down with valid padding', () => {
    // floor((7 − 2)/2) + 1 = 3
    assert.deepEqual(lastFigures('input (7, 7, 5)\nMaxPooling2D(2)'), noParams([3, 3, 5]));
  });

  test('odd size rounds up with same padding', () => {
    // floor((7 − 1)/2) + 1 = 4
    assert.deepEqual(lastFigures('input (7, 7, 5)\nMaxPooling2D(2, padding=same)'), noParams([4, 4, 5]));
  });

  test('strides default to the pool size (pool 3 → stride 3)', () => {
    // floor((10 − 3)/3) + 1 = 3
    assert.deepEqual(lastFigures('input (10, 10, 2)\nAveragePooling2D(3)'), noParams([3, 3, 2]));
  });

  test('strides=None written out is the same as the default', () => {
    assert.deepEqual(lastFigures('input (10, 10, 2)\nAveragePooling2D(3, strides=None)'), noParams([3, 3, 2]));
  });

  test('overlapping pooling: pool 3, stride 2', () => {
    // floor((7 − 3)/2) + 1 = 3
    assert.deepEqual(lastFigures('input (7, 7, 1)\nMaxPooling2D(3, strides=2)'), noParams([3, 3, 1]));
  });

  test('overlapping pooling with same padding', () => {
    // floor((8 − 1)/2) + 1 = 4
    assert.deepEqual(lastFigures('input (8, 8, 1)\nMaxPooling2D(3, 2, same)'), noParams([4, 4, 1]));
  });

  test('rectangular pool: strides follow the pool per axis', () => {
    // h: floor((7 − 2)/2) + 1 = 3; w: floor((9 − 3)/3) + 1 = 3
    assert.deepEqual(lastFigures('input (7, 9, 1)\nMaxPooling2D((2, 3))'), noParams([3, 3, 1]));
  });

  test('stride 1 pooling', () => {
    // 5 − 2 + 1 = 4
    assert.deepEqual(lastFigures('input (5, 5, 3)\nMaxPooling2D(2, strides=1)'), noParams([4, 4, 3]));
  });

  test('unknown spatial axes stay unknown', () => {
    assert.deepEqual(lastFigures('input (None, None, 3)\nMaxPooling2D()'), noParams([null, null, 3]));
  });

  test('a pool larger than the input is a spatial-too-small error', () => {
    // floor((2 − 3)/3) + 1 = 0
    assert.equal(errorOf('input (2, 2, 1)\nMaxPooling2D(3)').code, 'spatial-too-small');
  });

  test('repeated pooling down to nothing reports the error with the shrinking sizes', () => {
    const error = errorOf(`
      input (8, 8, 1)
      repeat 4 { MaxPooling2D(2) }   # 8 → 4 → 2 → 1 → floor((1 − 2)/2) + 1 = 0
    `);
    assert.equal(error.code, 'spatial-too-small');
    assert.match(error.message, /repetition 4 of 4/);
    assert.match(error.message, /8 → 4 → 2 → 1/);
  });

  test('same padding never goes to zero', () => {
    // floor((1 − 1)/2) + 1 = 1
    assert.deepEqual(lastFigures('input (1, 1, 4)\nMaxPooling2D(2, padding=same)'), noParams([1, 1, 4]));
  });

  test('pooling a sequence with MaxPooling2D is a rank error', () => {
    assert.equal(errorOf('input (100, 8)\nMaxPooling2D()').code, 'rank');
  });
});

describe('1D and 3D pooling', () => {
  test('MaxPooling1D default pool 2 on an odd length', () => {
    // floor((9 − 2)/2) + 1 = 4
    assert.deepEqual(lastFigures('input (9, 4)\nMaxPooling1D()'), noParams([4, 4]));
  });

  test('AveragePooling1D with pool_size keyword, strides default', () => {
    // floor((10 − 3)/3) + 1 = 3
    assert.deepEqual(lastFigures('input (10, 4)\nAveragePooling1D(pool_size=3)'), noParams([3, 4]));
  });

  test('MaxPooling1D same', () => {
    // floor((9 − 1)/2) + 1 = 5
    assert.deepEqual(lastFigures('input (9, 4)\nMaxPooling1D(2, padding=same)'), noParams([5, 4]));
  });

  test('MaxPooling3D', () => {
    // floor((5 − 2)/2) + 1 = 2; 4; floor((9 − 2)/2) + 1 = 4
    assert.deepEqual(lastFigures('input (5, 8, 9, 2)\nMaxPooling3D()'), noParams([2, 4, 4, 2]));
  });

  test('AveragePooling3D with a tuple pool', () => {
    // (6/1, 6/3, 6/2) = (6, 2, 3)
    assert.deepEqual(lastFigures('input (6, 6, 6, 1)\nAveragePooling3D((1, 3, 2))'), noParams([6, 2, 3, 1]));
  });
});

describe('global pooling', () => {
  test('GlobalAveragePooling2D reduces to channels', () => {
    assert.deepEqual(lastFigures('input (7, 7, 32)\nGlobalAveragePooling2D()'), noParams([32]));
  });

  test('GlobalMaxPooling2D with keepdims keeps 1×1', () => {
    assert.deepEqual(lastFigures('input (7, 7, 32)\nGlobalMaxPooling2D(keepdims=true)'), noParams([1, 1, 32]));
  });

  test('GlobalAveragePooling1D and keepdims', () => {
    assert.deepEqual(lastFigures('input (10, 16)\nGlobalAveragePooling1D()'), noParams([16]));
    assert.deepEqual(lastFigures('input (10, 16)\nGlobalMaxPooling1D(keepdims=True)'), noParams([1, 16]));
  });

  test('GlobalAveragePooling3D keepdims', () => {
    assert.deepEqual(lastFigures('input (4, 5, 6, 3)\nGlobalAveragePooling3D(keepdims=true)'), noParams([1, 1, 1, 3]));
  });

  test('global pooling works on unknown spatial sizes', () => {
    assert.deepEqual(lastFigures('input (None, None, 3)\nGlobalMaxPooling2D()'), noParams([3]));
  });

  test('global 2D pooling on a vector is a rank error', () => {
    assert.equal(errorOf('input (10,)\nGlobalAveragePooling2D()').code, 'rank');
  });

  test('positional: data_format, keepdims', () => {
    assert.deepEqual(lastFigures('input (7, 7, 32)\nGlobalAveragePooling2D(channels_last, true)'), noParams([1, 1, 32]));
  });
});

describe('pooling receptive field', () => {
  test('pool 3 stride 2 then pool 2', () => {
    const layer = lastLayer(`
      input (32, 32, 1)
      MaxPooling2D(3, strides=2)   # r 3, j 2
      MaxPooling2D(2)              # r 3 + 1·2 = 5
    `);
    assert.deepEqual(layer.receptiveField, [5, 5]);
  });
});
