/**
 * Recurrent layers and wrappers, checked against the weights of the Keras 3 cells:
 *   SimpleRNN: kernel (F, U) + recurrent (U, U) + bias (U)            = U·(F + U + 1)
 *   LSTM:      kernel (F, 4U) + recurrent (U, 4U) + bias (4U)         = 4·U·(F + U + 1)
 *   GRU, reset_after=True (Keras 3 default): bias (2, 3U)             = 3·U·(F + U + 2)
 *   GRU, reset_after=False: bias (3U)                                 = 3·U·(F + U + 1)
 * Output: (U,) or (T, U) with return_sequences. Bidirectional holds two copies;
 * merge_mode=concat doubles the last axis. TimeDistributed shares one layer over T.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { errorOf, errorsOf, evaluateFormula, lastFigures, lastLayer, layersOf, trainable } from '../helpers/analyze.js';

describe('SimpleRNN', () => {
  test('U·(F + U + 1)', () => {
    // 8·(4 + 8 + 1) = 104
    assert.deepEqual(lastFigures('input (10, 4)\nSimpleRNN(8)'), trainable([8], 104));
  });

  test('return_sequences keeps the time axis', () => {
    assert.deepEqual(lastFigures('input (10, 4)\nSimpleRNN(8, return_sequences=true)'), trainable([10, 8], 104));
  });

  test('use_bias=false: U·(F + U)', () => {
    // 8·12 = 96
    assert.deepEqual(lastFigures('input (10, 4)\nSimpleRNN(8, use_bias=false)'), trainable([8], 96));
  });

  test('Keras order: return_sequences is the 16th positional argument, seed comes last', () => {
    // SimpleRNN(units, activation, use_bias, kernel_initializer, recurrent_initializer, bias_initializer,
    //           kernel_regularizer, recurrent_regularizer, bias_regularizer, activity_regularizer,
    //           kernel_constraint, recurrent_constraint, bias_constraint, dropout, recurrent_dropout,
    //           return_sequences, return_state, go_backwards, stateful, unroll, seed)
    const f = lastFigures(
      'input (10, 4)\nSimpleRNN(8, tanh, true, glorot_uniform, orthogonal, zeros, None, None, None, None, None, None, None, 0.0, 0.0, true)',
    );
    assert.deepEqual(f, trainable([10, 8], 104));
  });

  test('SimpleRNN takes no use_cudnn (only LSTM and GRU do)', () => {
    assert.equal(errorOf('input (10, 4)\nSimpleRNN(8, use_cudnn=auto)').code, 'unknown-argument');
  });
});

describe('LSTM', () => {
  test('4·U·(F + U + 1)', () => {
    // 4·8·(4 + 8 + 1) = 416
    assert.deepEqual(lastFigures('input (10, 4)\nLSTM(8)'), trainable([8], 416));
  });

  test('classic IMDB size: Embedding 128 → LSTM 64', () => {
    // 4·64·(128 + 64 + 1) = 49408
    assert.equal(lastLayer('input (100,)\nEmbedding(10000, 128)\nLSTM(64)').params, 49408);
  });

  test('the formula shown adds up to the count, for each cell', () => {
    for (const [layer, params] of [
      ['SimpleRNN(8)', 104],
      ['LSTM(8)', 416],
      ['GRU(8)', 336],
      ['GRU(8, reset_after=false)', 312],
      ['LSTM(8, use_bias=false)', 384],
    ] as const) {
      const instance = lastLayer(`input (10, 4)\n${layer}`);
      assert.equal(instance.params, params, layer);
      assert.ok(instance.formula, `${layer} has a formula`);
      assert.equal(evaluateFormula(instance.formula), params, `${layer}: ${instance.formula}`);
    }
  });

  test('use_bias=false: 4·U·(F + U)', () => {
    // 4·8·12 = 384
    assert.deepEqual(lastFigures('input (10, 4)\nLSTM(8, use_bias=false)'), trainable([8], 384));
  });

  test('stacked LSTMs need return_sequences on the first', () => {
    const layers = layersOf(`
      input (10, 4)
      LSTM(8, return_sequences=true)   # (10, 8); 416
      LSTM(4)                          # (4,); 4·4·(8 + 4 + 1) = 208
    `);
    assert.deepEqual(
      layers.map((l) => [[...l.outputShape], l.params]),
      [
        [[10, 8], 416],
        [[4], 208],
      ],
    );
  });

  test('stacking without return_sequences is a rank error', () => {
    assert.equal(errorOf('input (10, 4)\nLSTM(8)\nLSTM(4)').code, 'rank');
  });

  test('variable-length sequences', () => {
    assert.deepEqual(lastFigures('input (None, 4)\nLSTM(8, return_sequences=true)'), trainable([null, 8], 416));
  });

  test('unknown feature axis is an error', () => {
    assert.match(errorOf('input (10, None)\nLSTM(8)').message, /^LSTM needs the last axis of its input to be known, but the input is \(10, None\)/, 'shape');
  });

  test('LSTM on images is a rank error', () => {
    assert.equal(errorOf('input (28, 28, 1)\nLSTM(8)').code, 'rank');
  });

  test('Keras order: unit_forget_bias follows bias_initializer', () => {
    // LSTM(units, activation, recurrent_activation, use_bias, kernel_initializer,
    //      recurrent_initializer, bias_initializer, unit_forget_bias, kernel_regularizer, …)
    const layer = lastLayer('input (10, 4)\nLSTM(8, tanh, sigmoid, true, glorot_uniform, orthogonal, zeros, false)');
    assert.equal(layer.args.bool('unit_forget_bias'), false);
    assert.equal(layer.params, 416);
  });

  test('use_cudnn accepts true/false as well as auto', () => {
    assert.deepEqual(errorsOf('input (10, 4)\nLSTM(8, use_cudnn=false)'), []);
    assert.deepEqual(errorsOf("input (10, 4)\nLSTM(8, use_cudnn='auto')"), []);
  });

  test('return_state returns the output, then h and c, each (units,) (Keras 3 RNN.compute_output_shape)', () => {
    const layer = lastLayer('input (10, 4)\nseq, h, c = LSTM(8, return_sequences=true, return_state=true)');
    assert.deepEqual(layer.outputShape, [10, 8]);
    assert.deepEqual(layer.outputShapes, [[10, 8], [8], [8]]);
    // The states change no weight: 4·((4 + 8 + 1)·8).
    assert.equal(layer.params, 416);
    assert.deepEqual(lastLayer('input (10, 4)\nLSTM(8, return_state=true)').outputShapes, [[8], [8], [8]]);
    assert.equal(lastLayer('input (10, 4)\nLSTM(8)').outputShapes, undefined);
  });
});

describe('GRU', () => {
  test('Keras 3 default reset_after=True: 3·U·(F + U + 2)', () => {
    // 3·8·(4 + 8 + 2) = 336
    assert.deepEqual(lastFigures('input (10, 4)\nGRU(8)'), trainable([8], 336));
  });

  test('reset_after=false: 3·U·(F + U + 1)', () => {
    // 3·8·(4 + 8 + 1) = 312
    assert.deepEqual(lastFigures('input (10, 4)\nGRU(8, reset_after=false)'), trainable([8], 312));
  });

  test('use_bias=false: no bias either way', () => {
    // 3·8·12 = 288
    assert.deepEqual(lastFigures('input (10, 4)\nGRU(8, use_bias=false)'), trainable([8], 288));
  });

  test('larger: 3·64·(32 + 64 + 2)', () => {
    // 3·64·98 = 18816
    assert.deepEqual(lastFigures('input (50, 32)\nGRU(64, return_sequences=true)'), trainable([50, 64], 18816));
  });
});

describe('Bidirectional', () => {
  test('concat doubles the output width and the parameters', () => {
    // 2·416 = 832; 2·8 = 16
    assert.deepEqual(lastFigures('input (10, 4)\nBidirectional(LSTM(8))'), trainable([16], 832));
  });

  test('sum keeps the width, still two copies of the weights', () => {
    assert.deepEqual(lastFigures('input (10, 4)\nBidirectional(LSTM(8), merge_mode=sum)'), trainable([8], 832));
  });

  test('ave and mul keep the width', () => {
    assert.deepEqual(lastFigures("input (10, 4)\nBidirectional(GRU(8), merge_mode='ave')"), trainable([8], 672));
    assert.deepEqual(lastFigures('input (10, 4)\nBidirectional(GRU(8), merge_mode=mul)'), trainable([8], 672));
  });

  test('with return_sequences', () => {
    // (10, 2·8); 2·3·8·(4 + 8 + 2) = 672
    assert.deepEqual(lastFigures('input (10, 4)\nBidirectional(GRU(8, return_sequences=true))'), trainable([10, 16], 672));
  });

  test('stacked: the second sees 2·U features', () => {
    const layers = layersOf(`
      input (10, 4)
      Bidirectional(LSTM(8, return_sequences=true))   # (10, 16); 832
      Bidirectional(LSTM(4))                          # (8,); 2·4·4·(16 + 4 + 1) = 672
    `);
    assert.deepEqual(
      layers.map((l) => [[...l.outputShape], l.params]),
      [
        [[10, 16], 832],
        [[8], 672],
      ],
    );
  });

  test('SimpleRNN inside', () => {
    // 2·104 = 208
    assert.deepEqual(lastFigures('input (10, 4)\nBidirectional(SimpleRNN(8))'), trainable([16], 208));
  });

  test('trainable=false on the wrapper freezes both directions', () => {
    assert.deepEqual(lastFigures('input (10, 4)\nBidirectional(LSTM(8), trainable=false)'), { shape: [16], params: 832, trainable: 0, nonTrainable: 832 });
  });

  test(
    'trainable=false on the wrapped layer freezes both copies',
    () => {
      // Keras 3 Bidirectional rebuilds forward and backward layers from the wrapped layer's config, trainable=False included
      assert.deepEqual(lastFigures('input (10, 4)\nBidirectional(LSTM(8, trainable=false))'), { shape: [16], params: 832, trainable: 0, nonTrainable: 832 });
    },
  );

  test('wrapping a non-recurrent layer is an error', () => {
    assert.match(errorOf('input (10, 4)\nBidirectional(Dense(8))').message, /^Bidirectional wraps a recurrent layer \(SimpleRNN, LSTM, GRU\), not Dense/, 'shape');
  });

  test('a bad argument inside the wrapped layer is reported', () => {
    const error = errorOf('input (10, 4)\nBidirectional(LSTM(8, retrun_sequences=true))');
    assert.equal(error.code, 'unknown-argument');
    assert.match(error.message, /return_sequences/);
  });
});

describe('TimeDistributed', () => {
  test('Dense on every step', () => {
    // (16 + 1)·8 = 136, shared over the 10 steps
    assert.deepEqual(lastFigures('input (10, 16)\nTimeDistributed(Dense(8))'), trainable([10, 8], 136));
  });

  test('Conv2D on every frame', () => {
    // (3·3·1 + 1)·32 = 320
    assert.deepEqual(lastFigures('input (5, 28, 28, 1)\nTimeDistributed(Conv2D(32, 3))'), trainable([5, 26, 26, 32], 320));
  });

  test('Flatten on every frame', () => {
    assert.deepEqual(lastFigures('input (5, 4, 4, 2)\nTimeDistributed(Flatten())'), trainable([5, 32], 0));
  });

  test('after an LSTM with return_sequences', () => {
    const layers = layersOf(`
      input (20, 3)
      LSTM(16, return_sequences=true)   # 4·16·(3 + 16 + 1) = 1280
      TimeDistributed(Dense(1))         # (16 + 1)·1 = 17
    `);
    assert.deepEqual(
      layers.map((l) => [[...l.outputShape], l.params]),
      [
        [[20, 16], 1280],
        [[20, 1], 17],
      ],
    );
  });

  test('unknown number of steps', () => {
    assert.deepEqual(lastFigures('input (None, 16)\nTimeDistributed(Dense(8))'), trainable([null, 8], 136));
  });

  test('trainable=false on the wrapper', () => {
    assert.deepEqual(lastFigures('input (10, 16)\nTimeDistributed(Dense(8), trainable=false)'), { shape: [10, 8], params: 136, trainable: 0, nonTrainable: 136 });
  });

  test(
    'trainable=false on the wrapped layer',
    () => {
      // Keras: TimeDistributed.trainable_weights collects the inner layer's, which are [] when it is frozen
      assert.deepEqual(lastFigures('input (10, 16)\nTimeDistributed(Dense(8, trainable=false))'), { shape: [10, 8], params: 136, trainable: 0, nonTrainable: 136 });
    },
  );

  test('a wrapped layer that rejects the per-step rank is an error', () => {
    // each step is (16,), but Conv2D needs (h, w, c)
    assert.match(errorOf('input (10, 16)\nTimeDistributed(Conv2D(8, 3))').message, /^inside TimeDistributed: Conv2D expects an input of rank 3 \(height, width, channels\) \(batch/, 'shape');
  });
});

describe('Embedding + recurrent pipeline', () => {
  test('Embedding → Bidirectional(LSTM) → Dense', () => {
    const layers = layersOf(`
      input (200,)
      Embedding(20000, 128)        # 20000·128 = 2560000
      Bidirectional(LSTM(64))      # 2·4·64·(128 + 64 + 1) = 98816
      Dense(1, activation=sigmoid) # (128 + 1)·1 = 129
    `);
    assert.deepEqual(
      layers.map((l) => [[...l.outputShape], l.params]),
      [
        [[200, 128], 2560000],
        [[128], 98816],
        [[1], 129],
      ],
    );
  });
});
