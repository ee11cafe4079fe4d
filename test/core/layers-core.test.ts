/**
 * Core layers (Dense, Embedding), the Dropout family and the activation layers,
 * checked against Keras 3:
 *   Dense: kernel (F, U) + bias (U) on the last axis only, any rank ≥ 1
 *   Embedding: (input_dim, output_dim); output = input shape + (output_dim,)
 *   Dropout / SpatialDropout / GaussianNoise / activations: shape unchanged, no weights
 *   PReLU: alpha of the input shape with shared axes set to 1
 *   LeakyReLU: `negative_slope` (default 0.3), `alpha` accepted as the old name
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { errorOf, errorsOf, evaluateFormula, lastFigures, lastLayer, layersOf, trainable } from '../helpers/analyze.js';

const noParams = (shape: readonly (number | null)[]) => ({ shape, params: 0, trainable: 0, nonTrainable: 0 });

describe('Dense', () => {
  test('(F + 1)·U', () => {
    // (784 + 1)·128 = 100480
    assert.deepEqual(lastFigures('input (784,)\nDense(128)'), trainable([128], 100480));
  });

  test('formula and multiply-adds', () => {
    const layer = lastLayer('input (784,)\nDense(128)');
    assert.equal(layer.formula, '(784 + 1)·128');
    assert.equal(layer.macs, 784 * 128);
  });

  test('use_bias=false: F·U', () => {
    assert.deepEqual(lastFigures('input (784,)\nDense(10, use_bias=false)'), trainable([10], 7840));
  });

  test('rank 2: acts on the last axis only', () => {
    // (10, 16) → (10, 8); (16 + 1)·8 = 136, independent of the 10 steps
    assert.deepEqual(lastFigures('input (10, 16)\nDense(8)'), trainable([10, 8], 136));
  });

  test('rank 3: acts on the last axis only', () => {
    // (2, 3, 4) → (2, 3, 5); (4 + 1)·5 = 25
    assert.deepEqual(lastFigures('input (2, 3, 4)\nDense(5)'), trainable([2, 3, 5], 25));
  });

  test('multiply-adds on rank 2 count every position', () => {
    // 10·16·8 = 1280
    assert.equal(lastLayer('input (10, 16)\nDense(8)').macs, 1280);
  });

  test('unknown leading axis is fine, unknown last axis is not', () => {
    assert.deepEqual(lastFigures('input (None, 16)\nDense(8)'), trainable([null, 8], 136));
    assert.match(errorOf('input (16, None)\nDense(8)').message, /^Dense needs the last axis of its input to be known, but the input is \(16, None\)/, 'shape');
  });

  test('lora_rank: kernel frozen, two trainable low-rank factors', () => {
    // kernel 16·8 = 128 non-trainable; bias 8 + A 16·2 + B 2·8 = 8 + 32 + 16 = 56 trainable
    assert.deepEqual(lastFigures('input (16,)\nDense(8, lora_rank=2)'), { shape: [8], params: 184, trainable: 56, nonTrainable: 128 });
  });

  test('the classic MNIST MLP', () => {
    const layers = layersOf(`
      input (28, 28)
      Flatten()                        # 784
      Dense(512, activation=relu)      # (784 + 1)·512 = 401920
      Dropout(0.2)
      Dense(10, activation=softmax)    # (512 + 1)·10 = 5130
    `);
    assert.deepEqual(
      layers.map((l) => l.params),
      [0, 401920, 0, 5130],
    );
    assert.equal(
      layers.reduce((a, l) => a + l.params, 0),
      407050,
    );
  });

  test('units must be a positive integer', () => {
    assert.equal(errorOf('input (4,)\nDense(0)').code, 'argument-type');
    assert.equal(errorOf('input (4,)\nDense(2.5)').code, 'argument-type');
  });

  test('formulas add up for conv-family layers too', () => {
    for (const [input, layer] of [
      ['(28, 28, 1)', 'Conv2D(32, 3)'],
      ['(28, 28, 1)', 'Conv2D(32, 3, use_bias=false)'],
      ['(10, 10, 4)', 'Conv2D(8, 3, groups=2)'],
      ['(100, 8)', 'Conv1D(16, 5)'],
      ['(7, 7, 8)', 'Conv2DTranspose(16, 3, strides=2)'],
      ['(28, 28, 8)', 'DepthwiseConv2D(3, depth_multiplier=2)'],
      ['(28, 28, 8)', 'SeparableConv2D(16, 3, depth_multiplier=2)'],
      ['(28, 28, 8)', 'SeparableConv2D(16, 3, use_bias=false)'],
      ['(10, 16)', 'Dense(8, use_bias=false)'],
      ['(20,)', 'Embedding(1000, 64)'],
    ] as const) {
      const instance = lastLayer(`input ${input}\n${layer}`);
      assert.ok(instance.formula, `${layer} has a formula`);
      assert.equal(evaluateFormula(instance.formula), instance.params, `${layer}: ${instance.formula}`);
    }
  });
});

describe('Embedding', () => {
  test('input_dim·output_dim; appends an axis', () => {
    // 1000·64 = 64000; (20,) → (20, 64)
    assert.deepEqual(lastFigures('input (20,)\nEmbedding(1000, 64)'), trainable([20, 64], 64000));
  });

  test('variable-length input', () => {
    assert.deepEqual(lastFigures('input (None,)\nEmbedding(5000, 16, mask_zero=true)'), trainable([null, 16], 80000));
  });

  test('rank-2 input of ids', () => {
    // (4, 5) → (4, 5, 8); 100·8 = 800
    assert.deepEqual(lastFigures('input (4, 5)\nEmbedding(100, 8)'), trainable([4, 5, 8], 800));
  });

  test('keyword arguments', () => {
    assert.deepEqual(lastFigures('input (20,)\nEmbedding(input_dim=10, output_dim=3)'), trainable([20, 3], 30));
  });

  test('then GlobalAveragePooling1D and Dense', () => {
    const layers = layersOf(`
      input (100,)
      Embedding(10000, 16)         # 160000
      GlobalAveragePooling1D()     # (16,)
      Dense(1)                     # 17
    `);
    assert.deepEqual(
      layers.map((l) => [[...l.outputShape], l.params]),
      [
        [[100, 16], 160000],
        [[16], 0],
        [[1], 17],
      ],
    );
  });

  test('output_dim is required', () => {
    assert.equal(errorOf('input (20,)\nEmbedding(1000)').code, 'missing-argument');
  });
});

describe('Dropout family', () => {
  test('Dropout keeps shape and has no weights', () => {
    assert.deepEqual(lastFigures('input (7, 7, 32)\nDropout(0.25)'), noParams([7, 7, 32]));
  });

  test('Dropout rate 0 is allowed', () => {
    assert.deepEqual(lastFigures('input (10,)\nDropout(0)'), noParams([10]));
  });

  test('Dropout rate above 1 or below 0 is an error', () => {
    assert.equal(errorOf('input (10,)\nDropout(1.5)').code, 'argument-type');
    assert.equal(errorOf('input (10,)\nDropout(-0.1)').code, 'argument-type');
  });

  test('Dropout needs a rate', () => {
    assert.equal(errorOf('input (10,)\nDropout()').code, 'missing-argument');
  });

  test('Dropout with noise_shape and seed', () => {
    assert.deepEqual(lastFigures('input (10, 8)\nDropout(0.5, noise_shape=(1, 8), seed=42)'), noParams([10, 8]));
  });

  test('SpatialDropout2D on feature maps', () => {
    assert.deepEqual(lastFigures('input (8, 8, 3)\nSpatialDropout2D(0.2)'), noParams([8, 8, 3]));
  });

  test('SpatialDropout1D on sequences, and its rank is checked', () => {
    assert.deepEqual(lastFigures('input (10, 16)\nSpatialDropout1D(0.2)'), noParams([10, 16]));
    assert.equal(errorOf('input (8, 8, 3)\nSpatialDropout1D(0.2)').code, 'rank');
  });

  test('GaussianNoise', () => {
    assert.deepEqual(lastFigures('input (10,)\nGaussianNoise(0.1)'), noParams([10]));
  });

  test('Dropout keeps the receptive field', () => {
    assert.deepEqual(lastLayer('input (16, 16, 1)\nConv2D(4, 5)\nDropout(0.5)').receptiveField, [5, 5]);
  });
});

describe('activation layers', () => {
  test('Activation(relu) keeps the shape', () => {
    assert.deepEqual(lastFigures('input (4, 4, 2)\nActivation(relu)'), noParams([4, 4, 2]));
  });

  test("Activation('softmax') as a string", () => {
    assert.deepEqual(lastFigures("input (10,)\nActivation('softmax')"), noParams([10]));
  });

  test('Activation with a misspelt name suggests the right one', () => {
    const error = errorOf('input (10,)\nActivation(rellu)');
    assert.equal(error.code, 'argument-type');
    assert.match(error.message, /did you mean `relu`/);
    assert.ok(error.replacements?.includes('relu'));
  });

  test('LeakyReLU default negative_slope 0.3', () => {
    const layer = lastLayer('input (10,)\nLeakyReLU()');
    assert.equal(layer.args.float('negative_slope'), 0.3);
    assert.deepEqual(lastFigures('input (10,)\nLeakyReLU()'), noParams([10]));
  });

  test('LeakyReLU positional slope', () => {
    assert.equal(lastLayer('input (10,)\nLeakyReLU(0.2)').args.float('negative_slope'), 0.2);
  });

  test('LeakyReLU accepts alpha, the Keras 2 name of negative_slope', () => {
    const layers = layersOf('input (10,)\nLeakyReLU(alpha=0.1)');
    assert.equal(layers[0]?.args.float('negative_slope'), 0.1);
  });

  test('LeakyReLU with both alpha and negative_slope is a duplicate', () => {
    assert.equal(errorOf('input (10,)\nLeakyReLU(negative_slope=0.1, alpha=0.2)').code, 'duplicate-argument');
  });

  test('PReLU: one slope per input element', () => {
    // 8·8·3 = 192
    assert.deepEqual(lastFigures('input (8, 8, 3)\nPReLU()'), trainable([8, 8, 3], 192));
  });

  test('PReLU shared_axes=(1, 2): one slope per channel', () => {
    // alpha shape (1, 1, 3) = 3
    assert.deepEqual(lastFigures('input (8, 8, 3)\nPReLU(shared_axes=(1, 2))'), trainable([8, 8, 3], 3));
  });

  test('PReLU shared_axes as a single int', () => {
    // alpha shape (1, 8, 3) = 24
    assert.deepEqual(lastFigures('input (8, 8, 3)\nPReLU(shared_axes=1)'), trainable([8, 8, 3], 24));
  });

  test('PReLU on Dense output', () => {
    assert.deepEqual(lastFigures('input (4,)\nDense(10)\nPReLU()'), trainable([10], 10));
  });

  test('PReLU on an unknown axis needs that axis shared', () => {
    assert.match(errorOf('input (None, 8)\nPReLU()').message, /^PReLU needs every unshared axis to have a known length; share the unknown axis with `share/, 'shape');
    // sharing the unknown time axis: alpha (1, 8) = 8
    assert.deepEqual(lastFigures('input (None, 8)\nPReLU(shared_axes=(1,))'), trainable([null, 8], 8));
  });

  test('PReLU trainable=false', () => {
    assert.deepEqual(lastFigures('input (8, 8, 3)\nPReLU(shared_axes=(1, 2), trainable=false)'), { shape: [8, 8, 3], params: 3, trainable: 0, nonTrainable: 3 });
  });

  test('ReLU, ELU, Softmax keep the shape', () => {
    assert.deepEqual(lastFigures('input (4, 5)\nReLU(max_value=6)'), noParams([4, 5]));
    assert.deepEqual(lastFigures('input (4, 5)\nELU(alpha=0.5)'), noParams([4, 5]));
    assert.deepEqual(lastFigures('input (4, 5)\nSoftmax(axis=1)'), noParams([4, 5]));
  });

  test('Softmax axis out of range is an error', () => {
    assert.match(errorOf('input (4, 5)\nSoftmax(axis=3)').message, /^Softmax: axis=3 is out of range for an input of rank 2 \(plus the batch axis\); use an axis /, 'shape');
  });

  test('activation layers keep the receptive field', () => {
    assert.deepEqual(lastLayer('input (16, 16, 1)\nConv2D(4, 3)\nLeakyReLU()\nPReLU(shared_axes=(1, 2))').receptiveField, [3, 3]);
  });

  test('no errors for a typical conv block with activation layers', () => {
    assert.deepEqual(
      errorsOf(`
        input (32, 32, 3)
        Conv2D(16, 3, padding=same, use_bias=false)
        BatchNormalization()
        ReLU()
        MaxPooling2D()
      `),
      [],
    );
  });
});
