/**
 * Convolution layers, checked against Keras 3 (`keras.src.ops.operation_utils`
 * `compute_conv_output_shape` / `compute_conv_transpose_output_shape` and the
 * weights created in `BaseConv.build`, `BaseConvTranspose.build`,
 * `BaseDepthwiseConv.build`, `BaseSeparableConv.build`).
 *
 *   valid: out = floor((n − d·(k − 1) − 1) / s) + 1
 *   same / causal: out = floor((n − 1) / s) + 1          (= ceil(n / s))
 *   kernel (k…, C_in / groups, filters) + bias (filters)
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { errorOf, errorsOf, lastFigures, lastLayer, layersOf, trainable } from '../helpers/analyze.js';

describe('Conv2D', () => {
  test('valid padding shrinks by k − 1', () => {
    const f = lastFigures(`
      input (28, 28, 1)
      Conv2D(32, 3)            # 28 − 3 + 1 = 26; (3·3·1 + 1)·32 = 320
    `);
    assert.deepEqual(f, trainable([26, 26, 32], 320));
  });

  test('same padding keeps the size at stride 1', () => {
    const f = lastFigures(`
      input (28, 28, 1)
      Conv2D(32, 3, padding=same)   # 28; (3·3·1 + 1)·32 = 320
    `);
    assert.deepEqual(f, trainable([28, 28, 32], 320));
  });

  test('formula is written with the user numbers', () => {
    const layer = lastLayer(`
      input (28, 28, 1)
      Conv2D(32, 3)
    `);
    assert.equal(layer.formula, '(3·3·1 + 1)·32');
  });

  test('multiply-adds: out_h·out_w·k_h·k_w·C_in·filters', () => {
    const layer = lastLayer(`
      input (28, 28, 1)
      Conv2D(32, 3)            # 26·26·3·3·1·32 = 194688
    `);
    assert.equal(layer.macs, 194688);
  });

  test('stride 2, valid, odd size rounds down', () => {
    const f = lastFigures(`
      input (7, 7, 3)
      Conv2D(16, 3, strides=2)      # floor((7 − 3)/2) + 1 = 3; (3·3·3 + 1)·16 = 448
    `);
    assert.deepEqual(f, trainable([3, 3, 16], 448));
  });

  test('stride 2, same, odd size rounds up (ceil(7/2) = 4)', () => {
    const f = lastFigures(`
      input (7, 7, 3)
      Conv2D(16, 3, strides=2, padding=same)   # floor((7 − 1)/2) + 1 = 4
    `);
    assert.deepEqual(f, trainable([4, 4, 16], 448));
  });

  test('stride 2 with an even kernel on an odd size', () => {
    const f = lastFigures(`
      input (9, 9, 1)
      Conv2D(8, 4, strides=2)       # floor((9 − 4)/2) + 1 = 3; (4·4·1 + 1)·8 = 136
    `);
    assert.deepEqual(f, trainable([3, 3, 8], 136));
  });

  test('rectangular kernel and per-axis strides', () => {
    const f = lastFigures(`
      input (10, 11, 2)
      Conv2D(8, (3, 5), strides=(1, 2))   # h: 10 − 3 + 1 = 8; w: floor((11 − 5)/2) + 1 = 4; (3·5·2 + 1)·8 = 248
    `);
    assert.deepEqual(f, trainable([8, 4, 8], 248));
  });

  test('dilation widens the kernel to d·(k − 1) + 1 without adding parameters', () => {
    const f = lastFigures(`
      input (10, 10, 1)
      Conv2D(8, 3, dilation_rate=2)   # effective 5: 10 − 5 + 1 = 6; (3·3·1 + 1)·8 = 80
    `);
    assert.deepEqual(f, trainable([6, 6, 8], 80));
  });

  test('dilation with same padding keeps the size', () => {
    const f = lastFigures(`
      input (10, 10, 1)
      Conv2D(8, 3, dilation_rate=(2, 3), padding=same)   # 10×10; 80
    `);
    assert.deepEqual(f, trainable([10, 10, 8], 80));
  });

  test('groups split the input channels: kernel (k, k, C/groups, filters)', () => {
    const f = lastFigures(`
      input (10, 10, 4)
      Conv2D(8, 3, groups=2)     # (3·3·(4/2) + 1)·8 = 152
    `);
    assert.deepEqual(f, trainable([8, 8, 8], 152));
  });

  test('depthwise-style groups (groups = channels)', () => {
    const f = lastFigures(`
      input (10, 10, 4)
      Conv2D(4, 3, groups=4)     # (3·3·1 + 1)·4 = 40
    `);
    assert.deepEqual(f, trainable([8, 8, 4], 40));
  });

  test('use_bias=false drops the bias', () => {
    const f = lastFigures(`
      input (28, 28, 1)
      Conv2D(32, 3, use_bias=false)   # 3·3·1·32 = 288
    `);
    assert.deepEqual(f, trainable([26, 26, 32], 288));
  });

  test('unknown spatial axes stay unknown; parameters do not depend on them', () => {
    const f = lastFigures(`
      input (None, None, 3)
      Conv2D(8, 3, strides=2)     # (None, None, 8); (3·3·3 + 1)·8 = 224
    `);
    assert.deepEqual(f, trainable([null, null, 8], 224));
  });

  test('input channels not divisible by groups is an error (Keras BaseConv.build)', () => {
    const error = errorOf(`
      input (10, 10, 4)
      Conv2D(6, 3, groups=3)
    `);
    assert.match(error.message, /groups/);
  });

  test('filters not divisible by groups is an error (Keras BaseConv.__init__)', () => {
    const error = errorOf(`
      input (10, 10, 4)
      Conv2D(6, 3, groups=4)
    `);
    assert.match(error.message, /groups/);
  });

  test('strides > 1 together with dilation_rate > 1 is an error (Keras BaseConv.__init__)', () => {
    const error = errorOf(`
      input (32, 32, 3)
      Conv2D(8, 3, strides=2, dilation_rate=2)
    `);
    assert.match(error.message, /dilation/);
  });

  test('causal padding is only for Conv1D', () => {
    const error = errorOf(`
      input (28, 28, 1)
      Conv2D(8, 3, padding=causal)
    `);
    assert.equal(error.code, 'argument-type');
  });

  test('a kernel larger than the input is a spatial-too-small error', () => {
    const error = errorOf(`
      input (4, 4, 1)
      Conv2D(8, 5)       # 4 − 5 + 1 = 0
    `);
    assert.equal(error.code, 'spatial-too-small');
  });

  test('dilation can make the kernel too large', () => {
    const error = errorOf(`
      input (6, 6, 1)
      Conv2D(8, 3, dilation_rate=3)   # effective 7 > 6
    `);
    assert.equal(error.code, 'spatial-too-small');
  });

  test('a kernel exactly the input size gives 1×1', () => {
    const f = lastFigures(`
      input (5, 5, 2)
      Conv2D(3, 5)        # 5 − 5 + 1 = 1; (5·5·2 + 1)·3 = 153
    `);
    assert.deepEqual(f, trainable([1, 1, 3], 153));
  });

  test('Conv2D after Flatten is a rank error', () => {
    const error = errorOf(`
      input (28, 28, 1)
      Flatten()
      Conv2D(8, 3)
    `);
    assert.equal(error.code, 'rank');
    assert.match(error.message, /\(784,\)/);
    assert.match(error.message, /Flatten/);
  });

  test('Conv2D on a sequence (rank 2) is a rank error', () => {
    const error = errorOf(`
      input (100, 8)
      Conv2D(8, 3)
    `);
    assert.equal(error.code, 'rank');
  });
});

describe('Conv1D', () => {
  test('valid', () => {
    const f = lastFigures(`
      input (100, 8)
      Conv1D(16, 5)            # 100 − 5 + 1 = 96; (5·8 + 1)·16 = 656
    `);
    assert.deepEqual(f, trainable([96, 16], 656));
  });

  test('causal keeps the length', () => {
    const f = lastFigures(`
      input (100, 8)
      Conv1D(16, 5, padding=causal)   # 100; 656
    `);
    assert.deepEqual(f, trainable([100, 16], 656));
  });

  test('causal with stride 2 rounds up like same', () => {
    const f = lastFigures(`
      input (99, 8)
      Conv1D(16, 5, strides=2, padding=causal)   # floor((99 − 1)/2) + 1 = 50
    `);
    assert.deepEqual(f, trainable([50, 16], 656));
  });

  test('causal with dilation keeps the length (WaveNet style)', () => {
    const f = lastFigures(`
      input (10, 1)
      Conv1D(4, 3, padding=causal, dilation_rate=2)   # 10; (3·1 + 1)·4 = 16
    `);
    assert.deepEqual(f, trainable([10, 4], 16));
  });

  test('variable-length sequences', () => {
    const f = lastFigures(`
      input (None, 8)
      Conv1D(16, 3)     # (None, 16); (3·8 + 1)·16 = 400
    `);
    assert.deepEqual(f, trainable([null, 16], 400));
  });

  test('a kernel_size tuple must have one value', () => {
    const error = errorOf(`
      input (100, 8)
      Conv1D(16, (3, 3))
    `);
    assert.equal(error.code, 'argument-type');
  });
});

describe('Conv3D', () => {
  test('valid', () => {
    const f = lastFigures(`
      input (16, 16, 16, 1)
      Conv3D(8, 3)        # 14×14×14; (3·3·3·1 + 1)·8 = 224
    `);
    assert.deepEqual(f, trainable([14, 14, 14, 8], 224));
  });

  test('per-axis kernel and strides with same padding', () => {
    const f = lastFigures(`
      input (5, 9, 9, 2)
      Conv3D(4, (1, 3, 3), strides=(1, 2, 2), padding=same)   # 5, ceil(9/2) = 5, 5; (1·3·3·2 + 1)·4 = 76
    `);
    assert.deepEqual(f, trainable([5, 5, 5, 4], 76));
  });
});

describe('Conv2DTranspose / Conv1DTranspose / Conv3DTranspose', () => {
  // Keras deconv_output_length, with k' = k + (k − 1)(d − 1):
  //   no output_padding: valid → n·s + max(k' − s, 0); same → n·s
  //   output_padding p:  (n − 1)·s + k' − 2·pad + p, pad = k'//2 for same, 0 for valid
  // kernel (k…, filters, C_in) + bias (filters)

  test('stride 1, valid grows by k − 1', () => {
    const f = lastFigures(`
      input (7, 7, 8)
      Conv2DTranspose(16, 3)    # 7·1 + max(3 − 1, 0) = 9; (3·3·8 + 1)·16 = 1168
    `);
    assert.deepEqual(f, trainable([9, 9, 16], 1168));
  });

  test('stride 2, same doubles', () => {
    const f = lastFigures(`
      input (7, 7, 8)
      Conv2DTranspose(16, 3, strides=2, padding=same)   # 7·2 = 14
    `);
    assert.deepEqual(f, trainable([14, 14, 16], 1168));
  });

  test('stride 2, valid', () => {
    const f = lastFigures(`
      input (7, 7, 8)
      Conv2DTranspose(16, 3, strides=2)   # 7·2 + max(3 − 2, 0) = 15
    `);
    assert.deepEqual(f, trainable([15, 15, 16], 1168));
  });

  test('kernel equal to stride doubles exactly', () => {
    const f = lastFigures(`
      input (7, 7, 8)
      Conv2DTranspose(4, 2, strides=2)   # 7·2 + max(2 − 2, 0) = 14; (2·2·8 + 1)·4 = 132
    `);
    assert.deepEqual(f, trainable([14, 14, 4], 132));
  });

  test('output_padding with same', () => {
    const f = lastFigures(`
      input (7, 7, 8)
      Conv2DTranspose(16, 3, strides=2, padding=same, output_padding=1)   # (7 − 1)·2 + 3 − 2·1 + 1 = 14
    `);
    assert.deepEqual(f, trainable([14, 14, 16], 1168));
  });

  test('output_padding with valid', () => {
    const f = lastFigures(`
      input (7, 7, 8)
      Conv2DTranspose(16, 3, strides=2, output_padding=1)   # (7 − 1)·2 + 3 − 0 + 1 = 16
    `);
    assert.deepEqual(f, trainable([16, 16, 16], 1168));
  });

  test('output_padding 0 differs from no output_padding', () => {
    const f = lastFigures(`
      input (7, 7, 8)
      Conv2DTranspose(16, 4, strides=2, padding=same, output_padding=0)   # (7 − 1)·2 + 4 − 2·2 + 0 = 12
    `);
    assert.deepEqual(f, trainable([12, 12, 16], (4 * 4 * 8 + 1) * 16));
  });

  test('output_padding must be smaller than the stride (Keras BaseConvTranspose)', () => {
    const error = errorOf(`
      input (7, 7, 8)
      Conv2DTranspose(16, 3, strides=2, output_padding=2)
    `);
    assert.match(error.message, /output_padding/);
  });

  test('strides > 1 with dilation_rate > 1 is an error (Keras BaseConvTranspose)', () => {
    const errors = errorsOf(`
      input (7, 7, 8)
      Conv2DTranspose(16, 3, strides=2, dilation_rate=2)
    `);
    assert.equal(errors.length, 1);
    assert.match(errors[0]?.message ?? '', /dilation/);
  });

  test('dilation at stride 1', () => {
    const f = lastFigures(`
      input (7, 7, 8)
      Conv2DTranspose(16, 3, dilation_rate=2)   # k' = 5: 7 + max(5 − 1, 0) = 11
    `);
    assert.deepEqual(f, trainable([11, 11, 16], 1168));
  });

  test('Conv1DTranspose, stride 2, valid', () => {
    const f = lastFigures(`
      input (10, 4)
      Conv1DTranspose(8, 3, strides=2)    # 10·2 + max(3 − 2, 0) = 21; (3·4 + 1)·8 = 104
    `);
    assert.deepEqual(f, trainable([21, 8], 104));
  });

  test('Conv1DTranspose, stride 2, same', () => {
    const f = lastFigures(`
      input (10, 4)
      Conv1DTranspose(8, 3, strides=2, padding=same)   # 20
    `);
    assert.deepEqual(f, trainable([20, 8], 104));
  });

  test('Conv1DTranspose with output_padding', () => {
    const f = lastFigures(`
      input (10, 4)
      Conv1DTranspose(8, 3, strides=2, output_padding=1)   # (10 − 1)·2 + 3 + 1 = 22
    `);
    assert.deepEqual(f, trainable([22, 8], 104));
  });

  test('Conv3DTranspose', () => {
    const f = lastFigures(`
      input (4, 4, 4, 2)
      Conv3DTranspose(4, 3, strides=2, padding=same)   # 8×8×8; (3·3·3·2 + 1)·4 = 220
    `);
    assert.deepEqual(f, trainable([8, 8, 8, 4], 220));
  });

  test('Conv2DTranspose without bias', () => {
    const f = lastFigures(`
      input (7, 7, 8)
      Conv2DTranspose(16, 3, use_bias=false)   # 3·3·16·8 = 1152
    `);
    assert.deepEqual(f, trainable([9, 9, 16], 1152));
  });

  test('encoder–decoder round trip restores the size', () => {
    const layers = layersOf(`
      input (28, 28, 1)
      Conv2D(16, 3, strides=2, padding=same)            # 14
      Conv2D(32, 3, strides=2, padding=same)            # 7
      Conv2DTranspose(16, 3, strides=2, padding=same)   # 14
      Conv2DTranspose(1, 3, strides=2, padding=same)    # 28
    `);
    assert.deepEqual(
      layers.map((l) => [...l.outputShape]),
      [
        [14, 14, 16],
        [7, 7, 32],
        [14, 14, 16],
        [28, 28, 1],
      ],
    );
    // (3·3·1 + 1)·16 = 160; (3·3·16 + 1)·32 = 4640; (3·3·32 + 1)·16 = 4624; (3·3·16 + 1)·1 = 145
    assert.deepEqual(
      layers.map((l) => l.params),
      [160, 4640, 4624, 145],
    );
  });
});

describe('DepthwiseConv2D', () => {
  test('one kernel per channel: k·k·C + C', () => {
    const f = lastFigures(`
      input (28, 28, 8)
      DepthwiseConv2D(3)    # 3·3·8·1 + 8 = 80
    `);
    assert.deepEqual(f, trainable([26, 26, 8], 80));
  });

  test('depth_multiplier multiplies the output channels', () => {
    const f = lastFigures(`
      input (28, 28, 8)
      DepthwiseConv2D(3, depth_multiplier=2)    # 3·3·8·2 + 8·2 = 160
    `);
    assert.deepEqual(f, trainable([26, 26, 16], 160));
  });

  test('positional order: kernel_size, strides, padding, depth_multiplier', () => {
    const f = lastFigures(`
      input (28, 28, 8)
      DepthwiseConv2D(3, 2, same, 3)     # ceil(28/2) = 14; 3·3·8·3 + 24 = 240
    `);
    assert.deepEqual(f, trainable([14, 14, 24], 240));
  });

  test('without bias', () => {
    const f = lastFigures(`
      input (28, 28, 8)
      DepthwiseConv2D(3, use_bias=false)    # 3·3·8 = 72
    `);
    assert.deepEqual(f, trainable([26, 26, 8], 72));
  });

  test('strides > 1 with dilation_rate > 1 is an error (Keras BaseDepthwiseConv)', () => {
    const errors = errorsOf(`
      input (28, 28, 8)
      DepthwiseConv2D(3, strides=2, dilation_rate=2)
    `);
    assert.equal(errors.length, 1);
    assert.match(errors[0]?.message ?? '', /dilation/);
  });
});

describe('SeparableConv2D', () => {
  test('depthwise k·k·C·m + pointwise C·m·filters + bias', () => {
    const f = lastFigures(`
      input (28, 28, 8)
      SeparableConv2D(16, 3)    # 3·3·8 + 8·16 + 16 = 72 + 128 + 16 = 216
    `);
    assert.deepEqual(f, trainable([26, 26, 16], 216));
  });

  test('depth_multiplier', () => {
    const f = lastFigures(`
      input (28, 28, 8)
      SeparableConv2D(16, 3, depth_multiplier=2, padding=same)   # 3·3·8·2 + 16·16 + 16 = 144 + 256 + 16 = 416
    `);
    assert.deepEqual(f, trainable([28, 28, 16], 416));
  });

  test('without bias', () => {
    const f = lastFigures(`
      input (28, 28, 8)
      SeparableConv2D(16, 3, use_bias=false)   # 72 + 128 = 200
    `);
    assert.deepEqual(f, trainable([26, 26, 16], 200));
  });

  test('strides > 1 with dilation_rate > 1 is an error (Keras BaseSeparableConv)', () => {
    const errors = errorsOf(`
      input (28, 28, 8)
      SeparableConv2D(16, 3, strides=2, dilation_rate=2)
    `);
    assert.equal(errors.length, 1);
    assert.match(errors[0]?.message ?? '', /dilation/);
  });
});

describe('receptive field', () => {
  // r_out = r_in + (k − 1)·d·j_in ; j_out = j_in·s
  test('conv/pool stack', () => {
    const layers = layersOf(`
      input (32, 32, 3)
      Conv2D(8, 3)                    # r 1 + 2·1 = 3, j 1
      Conv2D(8, 3)                    # r 3 + 2·1 = 5
      MaxPooling2D(2)                 # r 5 + 1·1 = 6, j 2
      Conv2D(8, 3)                    # r 6 + 2·2 = 10
      Conv2D(8, 3, dilation_rate=2)   # r 10 + 2·2·2 = 18
      BatchNormalization()            # unchanged: 18
    `);
    assert.deepEqual(
      layers.map((l) => l.receptiveField),
      [
        [3, 3],
        [5, 5],
        [6, 6],
        [10, 10],
        [18, 18],
        [18, 18],
      ],
    );
  });

  test('strided convolution then rectangular kernel', () => {
    const layers = layersOf(`
      input (64, 64, 1)
      Conv2D(4, 7, strides=2, padding=same)   # r 7, j 2
      Conv2D(4, (3, 1))                       # r (7 + 2·2, 7 + 0) = (11, 7)
    `);
    assert.deepEqual(
      layers.map((l) => l.receptiveField),
      [
        [7, 7],
        [11, 7],
      ],
    );
  });

  test('Conv1D stack with causal dilations (1, 2, 4)', () => {
    const layers = layersOf(`
      input (64, 1)
      Conv1D(4, 2, padding=causal)                    # 1 + 1 = 2
      Conv1D(4, 2, padding=causal, dilation_rate=2)   # 2 + 2 = 4
      Conv1D(4, 2, padding=causal, dilation_rate=4)   # 4 + 4 = 8
    `);
    assert.deepEqual(
      layers.map((l) => l.receptiveField),
      [[2], [4], [8]],
    );
  });
});
