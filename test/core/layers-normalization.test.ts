/**
 * Normalisation layers, checked against the weights Keras 3 creates in `build`:
 *   BatchNormalization: gamma, beta (trainable) + moving_mean, moving_variance (non-trainable), each of shape C
 *   LayerNormalization: gamma, beta over `axis`; rms_scaling keeps gamma only
 *   Normalization: mean, variance of shape C and a scalar count, all non-trainable; none when mean/variance are given
 *   trainable=False on any layer makes every weight non-trainable.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { errorOf, lastFigures, lastLayer, layersOf } from '../helpers/analyze.js';

describe('BatchNormalization', () => {
  test('2·C trainable + 2·C non-trainable on the channels', () => {
    // C = 16: gamma 16 + beta 16 trainable, moving mean 16 + variance 16 non-trainable
    assert.deepEqual(lastFigures('input (8, 8, 16)\nBatchNormalization()'), { shape: [8, 8, 16], params: 64, trainable: 32, nonTrainable: 32 });
  });

  test('after Dense: features are the channels', () => {
    // C = 128: 4·128 = 512
    assert.deepEqual(lastFigures('input (784,)\nDense(128)\nBatchNormalization()'), { shape: [128], params: 512, trainable: 256, nonTrainable: 256 });
  });

  test('center=false drops beta', () => {
    // gamma 16 trainable; 32 non-trainable
    assert.deepEqual(lastFigures('input (8, 8, 16)\nBatchNormalization(center=false)'), { shape: [8, 8, 16], params: 48, trainable: 16, nonTrainable: 32 });
  });

  test('scale=false drops gamma', () => {
    assert.deepEqual(lastFigures('input (8, 8, 16)\nBatchNormalization(scale=false)'), { shape: [8, 8, 16], params: 48, trainable: 16, nonTrainable: 32 });
  });

  test('center=false and scale=false keep only the moving statistics', () => {
    assert.deepEqual(lastFigures('input (8, 8, 16)\nBatchNormalization(center=false, scale=false)'), { shape: [8, 8, 16], params: 32, trainable: 0, nonTrainable: 32 });
  });

  test('axis=1 normalises the first axis (batch counts as axis 0)', () => {
    // (10, 4, 3): C = 10 → 4·10 = 40
    assert.deepEqual(lastFigures('input (10, 4, 3)\nBatchNormalization(axis=1)'), { shape: [10, 4, 3], params: 40, trainable: 20, nonTrainable: 20 });
  });

  test('axis=-2', () => {
    // (10, 4, 3): C = 4 → 16
    assert.deepEqual(lastFigures('input (10, 4, 3)\nBatchNormalization(axis=-2)'), { shape: [10, 4, 3], params: 16, trainable: 8, nonTrainable: 8 });
  });

  test('positional axis', () => {
    assert.deepEqual(lastFigures('input (10, 4, 3)\nBatchNormalization(1)'), { shape: [10, 4, 3], params: 40, trainable: 20, nonTrainable: 20 });
  });

  test('axis out of range is an error', () => {
    assert.match(errorOf('input (10, 4, 3)\nBatchNormalization(axis=4)').message, /^BatchNormalization: axis=4 is out of range for an input of rank 3 \(plus the batch axis\); u/, 'shape');
  });

  test('axis 0 (the batch axis) is an error', () => {
    assert.match(errorOf('input (10, 4, 3)\nBatchNormalization(axis=0)').message, /^BatchNormalization: axis=0 is out of range for an input of rank 3 \(plus the batch axis\); u/, 'shape');
  });

  test('an unknown normalised axis is an error', () => {
    assert.match(errorOf('input (4, None)\nBatchNormalization()').message, /^BatchNormalization normalises axis 2, whose length is unknown in \(4, None\)/, 'shape');
  });

  test('trainable=false makes all four vectors non-trainable', () => {
    assert.deepEqual(lastFigures('input (8, 8, 16)\nBatchNormalization(trainable=false)'), { shape: [8, 8, 16], params: 64, trainable: 0, nonTrainable: 64 });
  });

  test('model totals add up trainable and non-trainable parts', () => {
    const layers = layersOf(`
      input (28, 28, 1)
      Conv2D(8, 3)             # (9 + 1)·8 = 80
      BatchNormalization()     # 16 trainable + 16 non-trainable
      Flatten()                # 26·26·8 = 5408
      Dense(10)                # (5408 + 1)·10 = 54090
    `);
    const trainableSum = layers.reduce((a, l) => a + l.trainableParams, 0);
    const nonTrainableSum = layers.reduce((a, l) => a + l.nonTrainableParams, 0);
    assert.equal(trainableSum, 80 + 16 + 54090);
    assert.equal(nonTrainableSum, 16);
  });
});

describe('LayerNormalization', () => {
  test('gamma and beta over the last axis', () => {
    // 2·16 = 32, all trainable
    assert.deepEqual(lastFigures('input (10, 16)\nLayerNormalization()'), { shape: [10, 16], params: 32, trainable: 32, nonTrainable: 0 });
  });

  test('several axes: weights span (10, 16)', () => {
    // 2·10·16 = 320
    assert.deepEqual(lastFigures('input (10, 16)\nLayerNormalization(axis=(1, 2))'), { shape: [10, 16], params: 320, trainable: 320, nonTrainable: 0 });
  });

  test('center=false keeps gamma only', () => {
    assert.deepEqual(lastFigures('input (10, 16)\nLayerNormalization(center=false)'), { shape: [10, 16], params: 16, trainable: 16, nonTrainable: 0 });
  });

  test('center=false, scale=false has no weights', () => {
    assert.deepEqual(lastFigures('input (10, 16)\nLayerNormalization(center=false, scale=false)'), { shape: [10, 16], params: 0, trainable: 0, nonTrainable: 0 });
  });

  test('rms_scaling keeps gamma only', () => {
    assert.deepEqual(lastFigures('input (10, 16)\nLayerNormalization(rms_scaling=true)'), { shape: [10, 16], params: 16, trainable: 16, nonTrainable: 0 });
  });

  test('trainable=false', () => {
    assert.deepEqual(lastFigures('input (10, 16)\nLayerNormalization(trainable=false)'), { shape: [10, 16], params: 32, trainable: 0, nonTrainable: 32 });
  });

  test('keeps the receptive field of a conv stack', () => {
    const layer = lastLayer('input (16, 16, 1)\nConv2D(4, 3)\nLayerNormalization()');
    assert.deepEqual(layer.receptiveField, [3, 3]);
  });
});

describe('Normalization (preprocessing)', () => {
  test('Keras 3: mean (C) + variance (C) + count (1), all non-trainable', () => {
    // 2·5 + 1 = 11
    assert.deepEqual(lastFigures('input (5,)\nNormalization()'), { shape: [5], params: 11, trainable: 0, nonTrainable: 11 });
  });

  test('on images: per channel', () => {
    // 2·3 + 1 = 7
    assert.deepEqual(lastFigures('input (32, 32, 3)\nNormalization()'), { shape: [32, 32, 3], params: 7, trainable: 0, nonTrainable: 7 });
  });

  test('axis=None: one scalar mean and variance', () => {
    // 1 + 1 + 1 = 3
    assert.deepEqual(lastFigures('input (5,)\nNormalization(axis=None)'), { shape: [5], params: 3, trainable: 0, nonTrainable: 3 });
  });

  test('several axes', () => {
    // axis (1, 2) on (4, 3): 2·12 + 1 = 25
    assert.deepEqual(lastFigures('input (4, 3)\nNormalization(axis=(1, 2))'), { shape: [4, 3], params: 25, trainable: 0, nonTrainable: 25 });
  });

  test('fixed mean and variance create no weights', () => {
    assert.deepEqual(lastFigures('input (5,)\nNormalization(mean=3.0, variance=2.0)'), { shape: [5], params: 0, trainable: 0, nonTrainable: 0 });
  });

  test('mean without variance is an error (Keras Normalization.__init__)', () => {
    assert.match(errorOf('input (5,)\nNormalization(mean=3.0)').message, /^Normalization needs both `mean` and `variance`, or neither/, 'shape');
  });
});

describe('trainable=false on layers with weights', () => {
  test('Dense', () => {
    // (5 + 1)·10 = 60, all non-trainable
    assert.deepEqual(lastFigures('input (5,)\nDense(10, trainable=false)'), { shape: [10], params: 60, trainable: 0, nonTrainable: 60 });
  });

  test('Conv2D', () => {
    assert.deepEqual(lastFigures('input (28, 28, 1)\nConv2D(32, 3, trainable=False)'), { shape: [26, 26, 32], params: 320, trainable: 0, nonTrainable: 320 });
  });

  test('LSTM', () => {
    // 4·8·(4 + 8 + 1) = 416
    assert.deepEqual(lastFigures('input (10, 4)\nLSTM(8, trainable=false)'), { shape: [8], params: 416, trainable: 0, nonTrainable: 416 });
  });
});
