/**
 * Argument resolution: Keras positional order, keywords and aliases, the forms a
 * Keras user types out of habit (`'same'`, `(3, 3)`), and one precise diagnostic
 * for each kind of mistake.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, errorOf, errorsOf, lastFigures, lastLayer, trainable } from '../helpers/analyze.js';

describe('positional arguments follow Keras order', () => {
  test('Conv2D(filters, kernel_size, strides, padding)', () => {
    // Conv2D(16, (3, 3), (2, 2), 'same') on 7×7×3: ceil(7/2) = 4; (3·3·3 + 1)·16 = 448
    assert.deepEqual(lastFigures("input (7, 7, 3)\nConv2D(16, (3, 3), (2, 2), 'same')"), trainable([4, 4, 16], 448));
  });

  test('Conv2D(…, data_format, dilation_rate, groups, activation, use_bias)', () => {
    // 5th positional data_format, 6th dilation_rate 1, 7th groups 2, 8th activation, 9th use_bias false:
    // kernel 3·3·(4/2)·8 = 144, no bias
    const layer = lastLayer('input (10, 10, 4)\nConv2D(8, 3, 1, valid, channels_last, 1, 2, relu, false)');
    assert.deepEqual([...layer.outputShape], [8, 8, 8]);
    assert.equal(layer.params, 144);
    assert.equal(layer.args.text('activation'), 'relu');
  });

  test('Dense(units, activation, use_bias)', () => {
    const layer = lastLayer('input (4,)\nDense(3, softmax, false)');
    assert.equal(layer.params, 12); // 4·3
    assert.equal(layer.args.text('activation'), 'softmax');
  });

  test('MaxPooling2D(pool_size, strides, padding)', () => {
    // floor((8 − 1)/2) + 1 = 4
    assert.deepEqual(lastFigures('input (8, 8, 1)\nMaxPooling2D(3, 2, same)').shape, [4, 4, 1]);
  });

  test('Conv2DTranspose(filters, kernel_size, strides, padding, output_padding)', () => {
    // (7 − 1)·2 + 3 − 0 + 1 = 16
    assert.deepEqual(lastFigures('input (7, 7, 8)\nConv2DTranspose(16, 3, 2, valid, 1)').shape, [16, 16, 16]);
  });

  test('Embedding(input_dim, output_dim)', () => {
    assert.deepEqual(lastFigures('input (5,)\nEmbedding(50, 4)'), trainable([5, 4], 200));
  });

  test('positional and keyword mixed', () => {
    assert.deepEqual(lastFigures('input (28, 28, 1)\nConv2D(32, kernel_size=3, activation=relu)'), trainable([26, 26, 32], 320));
  });

  test('all keywords, any order', () => {
    assert.deepEqual(lastFigures('input (28, 28, 1)\nConv2D(padding=same, kernel_size=(3, 3), filters=32)'), trainable([28, 28, 32], 320));
  });

  test('GRU positional: reset_after is Keras argument 23', () => {
    // GRU(units, activation, recurrent_activation, use_bias, kernel_initializer, recurrent_initializer,
    //     bias_initializer, kernel_regularizer, recurrent_regularizer, bias_regularizer, activity_regularizer,
    //     kernel_constraint, recurrent_constraint, bias_constraint, dropout, recurrent_dropout, seed,
    //     return_sequences, return_state, go_backwards, stateful, unroll, reset_after)
    // reset_after=False: 3·8·(4 + 8 + 1) = 312
    const layer = lastLayer(
      'input (10, 4)\nGRU(8, tanh, sigmoid, true, glorot_uniform, orthogonal, zeros, None, None, None, None, None, None, None, 0.0, 0.0, None, false, false, false, false, false, false)',
    );
    assert.equal(layer.params, 312);
  });
});

describe('forms a Keras user types out of habit', () => {
  test("'same' and same are the same", () => {
    const quoted = lastFigures("input (28, 28, 1)\nConv2D(32, 3, padding='same')");
    const bare = lastFigures('input (28, 28, 1)\nConv2D(32, 3, padding=same)');
    assert.deepEqual(quoted, bare);
    assert.deepEqual(bare.shape, [28, 28, 32]);
  });

  test('double quotes work too', () => {
    assert.deepEqual(lastFigures('input (28, 28, 1)\nConv2D(32, 3, padding="same")').shape, [28, 28, 32]);
  });

  test("'SAME' is lower-cased as Keras standardize_padding does", () => {
    assert.deepEqual(lastFigures("input (28, 28, 1)\nConv2D(32, 3, padding='SAME')").shape, [28, 28, 32]);
  });

  test('(3, 3) and 3 are the same kernel', () => {
    assert.deepEqual(lastFigures('input (28, 28, 1)\nConv2D(32, (3, 3))'), lastFigures('input (28, 28, 1)\nConv2D(32, 3)'));
  });

  test('strides=(2, 2) and strides=2 are the same', () => {
    assert.deepEqual(lastFigures('input (9, 9, 1)\nConv2D(4, 3, strides=(2, 2))'), lastFigures('input (9, 9, 1)\nConv2D(4, 3, strides=2)'));
  });

  test('a list [3, 3] works like a tuple', () => {
    assert.deepEqual(lastFigures('input (28, 28, 1)\nConv2D(32, [3, 3])').shape, [26, 26, 32]);
  });

  test("activation='relu' and activation=relu", () => {
    assert.equal(lastLayer("input (4,)\nDense(3, activation='relu')").args.text('activation'), 'relu');
    assert.equal(lastLayer('input (4,)\nDense(3, activation=relu)').args.text('activation'), 'relu');
  });

  test('True/False and None in Python spelling', () => {
    assert.deepEqual(lastFigures('input (28, 28, 1)\nConv2D(32, 3, use_bias=False, activation=None)'), trainable([26, 26, 32], 288));
  });

  test('arithmetic on model parameters', () => {
    const analysis = analyze(`
      model m(width = 16) {
        input (28, 28, 1)
        Conv2D(2 * width, 3)        # 32 filters: 320
        Dense(width // 2)           # (32 + 1)·8 = 264
      }
    `);
    const layers = analysis.models[0]?.evaluated?.layers ?? [];
    assert.deepEqual(
      layers.map((l) => l.params),
      [320, 264],
    );
  });

  test('a LeakyReLU slope from a model parameter, through the alpha alias', () => {
    const analysis = analyze(`
      model m(slope = 0.05) {
        input (4,)
        LeakyReLU(alpha=slope)
      }
    `);
    assert.equal(analysis.models[0]?.evaluated?.layers[0]?.args.float('negative_slope'), 0.05);
  });
});

describe('unknown arguments', () => {
  test('a misspelt keyword gets a did-you-mean with a quick fix', () => {
    const error = errorOf('input (4,)\nDense(10, activaton=relu)');
    assert.equal(error.code, 'unknown-argument');
    assert.match(error.message, /activaton/);
    assert.match(error.message, /did you mean `activation`\?/);
    assert.ok(error.replacements?.includes('activation'));
  });

  test('the diagnostic lands on the argument name', () => {
    const text = 'model m {\n  input (4,)\n  Dense(10, activaton=relu)\n}\n';
    const [error] = analyze(text).diagnostics.filter((d) => d.severity === 'error');
    assert.ok(error);
    assert.equal(text.slice(error.range.start, error.range.end), 'activaton');
  });

  test('an argument of another layer is unknown here', () => {
    const error = errorOf('input (28, 28, 1)\nMaxPooling2D(2, filters=3)');
    assert.equal(error.code, 'unknown-argument');
  });

  test('an unknown layer gets a did-you-mean', () => {
    const error = errorOf('input (28, 28, 1)\nConv2d(32, 3)');
    assert.equal(error.code, 'unknown-layer');
    assert.match(error.message, /Conv2D/);
  });
});

describe('wrong value types', () => {
  test('filters as a string', () => {
    const error = errorOf("input (28, 28, 1)\nConv2D('32', 3)");
    assert.equal(error.code, 'argument-type');
    assert.match(error.message, /filters/);
  });

  test('units as a float', () => {
    const error = errorOf('input (4,)\nDense(10.5)');
    assert.equal(error.code, 'argument-type');
    assert.match(error.message, /units/);
  });

  test('a kernel tuple of the wrong length', () => {
    const error = errorOf('input (28, 28, 1)\nConv2D(32, (3, 3, 3))');
    assert.equal(error.code, 'argument-type');
    assert.match(error.message, /kernel_size/);
  });

  test('a zero kernel', () => {
    assert.equal(errorOf('input (28, 28, 1)\nConv2D(32, 0)').code, 'argument-type');
    assert.equal(errorOf('input (28, 28, 1)\nConv2D(32, (3, 0))').code, 'argument-type');
  });

  test('an unknown padding gets a suggestion', () => {
    const error = errorOf('input (28, 28, 1)\nConv2D(32, 3, padding=sme)');
    assert.equal(error.code, 'argument-type');
    assert.ok(error.replacements?.includes('same'));
  });

  test('an unknown activation gets a suggestion', () => {
    const error = errorOf('input (4,)\nDense(10, activation=softmx)');
    assert.equal(error.code, 'argument-type');
    assert.ok(error.replacements?.includes('softmax'));
  });

  test('a number where a boolean is needed', () => {
    const error = errorOf('input (4,)\nDense(10, use_bias=1)');
    assert.equal(error.code, 'argument-type');
    assert.match(error.message, /use_bias/);
  });

  test('None where a value is required', () => {
    assert.equal(errorOf('input (4,)\nDense(None)').code, 'argument-type');
  });

  test('a bare name that is not a model parameter', () => {
    const error = errorOf(`
      model m(units = 8) {
        input (4,)
        Dense(unit)
      }
    `);
    assert.equal(error.code, 'argument-type');
    assert.match(error.message, /units/);
  });

  test('the error lands on the value', () => {
    const text = 'model m {\n  input (4,)\n  Dense(10, use_bias=1)\n}\n';
    const [error] = analyze(text).diagnostics.filter((d) => d.severity === 'error');
    assert.ok(error);
    assert.equal(text.slice(error.range.start, error.range.end), '1');
  });
});

describe('missing, extra and duplicate arguments', () => {
  test('missing filters', () => {
    const error = errorOf('input (28, 28, 1)\nConv2D(kernel_size=3)');
    assert.equal(error.code, 'missing-argument');
    assert.match(error.message, /filters/);
  });

  test('missing kernel_size', () => {
    const error = errorOf('input (28, 28, 1)\nConv2D(32)');
    assert.equal(error.code, 'missing-argument');
    assert.match(error.message, /kernel_size/);
  });

  test('missing units', () => {
    assert.equal(errorOf('input (4,)\nDense()').code, 'missing-argument');
  });

  test('a misspelt required keyword gives both the did-you-mean and the missing argument', () => {
    const errors = errorsOf('input (28, 28, 1)\nConv2D(32, kernal_size=3)');
    assert.deepEqual(errors.map((e) => e.code).sort(), ['missing-argument', 'unknown-argument']);
    assert.match(errors.find((e) => e.code === 'unknown-argument')?.message ?? '', /kernel_size/);
  });

  test('too many positional arguments', () => {
    // Flatten takes only data_format positionally
    assert.equal(errorOf('input (4, 4)\nFlatten(channels_last, 3)').code, 'too-many-arguments');
    // Dropout(rate, noise_shape, seed)
    assert.equal(errorOf('input (4,)\nDropout(0.5, None, 1, 2)').code, 'too-many-arguments');
    // name/trainable/dtype are keyword-only in Keras
    assert.equal(errorOf('input (4, 4)\nFlatten(channels_last, my_flatten)').code, 'too-many-arguments');
  });

  test('a merge takes labels positionally, not values', () => {
    assert.equal(errorOf('x = input (4,)\nDense(4)\nConcatenate(x, -1)').code, 'merge');
  });

  test('a positional argument after a keyword', () => {
    assert.equal(errorOf('input (28, 28, 1)\nConv2D(filters=32, kernel_size=3, same)').code, 'too-many-arguments');
  });

  test('the same argument by position and by keyword', () => {
    const error = errorOf('input (4,)\nDense(10, units=20)');
    assert.equal(error.code, 'duplicate-argument');
    assert.match(error.message, /units/);
  });

  test('the same keyword twice', () => {
    assert.equal(errorOf('input (4,)\nDense(10, activation=relu, activation=tanh)').code, 'duplicate-argument');
  });

  test('an alias and its name together', () => {
    assert.equal(errorOf('input (4,)\nLeakyReLU(0.1, alpha=0.2)').code, 'duplicate-argument');
  });

  test('one typo does not hide the other layers', () => {
    const errors = errorsOf(`
      input (28, 28, 1)
      Conv2D(32, 3, activaton=relu)
      Dense(10, use_bias=1)
    `);
    assert.deepEqual(
      errors.map((e) => e.code),
      ['unknown-argument', 'argument-type'],
    );
  });
});

describe('base arguments', () => {
  test('name and dtype are accepted', () => {
    const layer = lastLayer("input (4,)\nDense(3, name='head', dtype=float32)");
    assert.equal(layer.name, 'head');
  });

  test('Keras-style default names count per class', () => {
    const analysis = analyze('input (4,)\nDense(3)\nDense(3)\nDropout(0.1)\nDense(2)');
    assert.deepEqual(
      analysis.models[0]?.evaluated?.layers.map((l) => l.name),
      ['dense', 'dense_1', 'dropout', 'dense_2'],
    );
  });

  test(
    'an explicit name does not use up an automatic name',
    () => {
      // Keras Operation.__init__ calls auto_name (and so get_uid) only when name is None
      const analysis = analyze("input (4,)\nDense(3, name='head')\nDense(2)");
      assert.deepEqual(
        analysis.models[0]?.evaluated?.layers.map((l) => l.name),
        ['head', 'dense'],
      );
    },
  );

  test(
    'two layers with the same explicit name are an error',
    () => {
      assert.equal(errorsOf("input (28, 28, 1)\nConv2D(4, 3, name='c')\nConv2D(4, 3, name='c')").length, 1);
    },
  );

  test('a wrapped layer takes its automatic name first, as Keras builds it before its wrapper', () => {
    const names = (text: string) => analyze(text).models[0]?.evaluated?.layers.map((l) => l.name);
    // Keras 3: TimeDistributed(Dense(8)) builds `dense`, so the next Dense is `dense_1` (checked with Keras 3.15).
    assert.deepEqual(names('input (5, 4)\nTimeDistributed(Dense(8))\nFlatten()\nDense(1)'), ['time_distributed', 'flatten', 'dense_1']);
    assert.deepEqual(names('input (5, 4)\nBidirectional(LSTM(3, return_sequences=true))\nLSTM(2)'), ['bidirectional', 'lstm_1']);
    // A wrapped layer named by the user takes no automatic name.
    assert.deepEqual(names("input (5, 4)\nTimeDistributed(Dense(8, name='inner'))\nFlatten()\nDense(1)"), ['time_distributed', 'flatten', 'dense']);
  });

  test('automatic names skip names already given, and given names may not take automatic ones', () => {
    const names = (text: string) => analyze(text).models[0]?.evaluated?.layers.map((l) => l.name);
    // `dense_1` is given before the second automatic Dense: that one becomes `dense_2`.
    assert.deepEqual(names("input (4,)\nDense(3)\nDense(3, name='dense_1')\nDense(3)"), ['dense', 'dense_1', 'dense_2']);
    // A given `dense` before any automatic one: the first automatic Dense is `dense_1`.
    assert.deepEqual(names("input (4,)\nDense(3, name='dense')\nDense(3)\nDense(3)"), ['dense', 'dense_1', 'dense_2']);
    // Labels name their layers and take the same names; `dense_01` is not an automatic name.
    assert.deepEqual(names("input (4,)\ndense_1 = Dense(3)\nDense(3)\nDense(3)\nDense(3, name='dense_01')"), ['dense_1', 'dense', 'dense_2', 'dense_01']);
    // A given name equal to an automatic name already produced is used twice.
    assert.equal(errorsOf("input (4,)\nDense(3)\nDense(3)\nDense(3, name='dense_1')").length, 1);
    assert.equal(errorsOf("input (4,)\nDense(3)\nDense(3, name='dense')").length, 1);
    assert.equal(errorsOf("input (4,)\nDense(3)\nDense(3, name='dense_2')").length, 0);
  });

  test('trainable must be a boolean', () => {
    assert.equal(errorOf('input (4,)\nDense(3, trainable=0)').code, 'argument-type');
  });
});
