/**
 * Merge layers, checked against Keras 3 `Merge._compute_elemwise_op_output_shape`
 * (axes equal, or 1 broadcasting against any length; shorter shapes align to the
 * right), `Concatenate` (sum along `axis`, all other axes equal) and `Subtract`
 * (exactly two inputs). No parameters.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, errorOf, lastFigures, lastLayer, layersOf } from '../helpers/analyze.js';

const noParams = (shape: readonly (number | null)[]) => ({ shape, params: 0, trainable: 0, nonTrainable: 0 });

describe('elementwise merges', () => {
  test('Add of equal shapes (residual block)', () => {
    const f = lastFigures(`
      x = input (8, 8, 16)
      Conv2D(16, 3, padding=same)
      Conv2D(16, 3, padding=same)
      Add(x)
    `);
    assert.deepEqual(f, noParams([8, 8, 16]));
  });

  test('Multiply broadcasts a 1×1 gate (squeeze-and-excitation)', () => {
    const layers = layersOf(`
      x = input (8, 8, 16)
      GlobalAveragePooling2D(keepdims=true)   # (1, 1, 16)
      Dense(4, activation=relu)               # (1, 1, 4); (16 + 1)·4 = 68
      g = Dense(16, activation=sigmoid)       # (1, 1, 16); (4 + 1)·16 = 80
      from x
      Multiply(g)                             # (8, 8, 16) · (1, 1, 16) → (8, 8, 16)
    `);
    assert.deepEqual(
      layers.map((l) => [[...l.outputShape], l.params]),
      [
        [[1, 1, 16], 0],
        [[1, 1, 4], 68],
        [[1, 1, 16], 80],
        [[8, 8, 16], 0],
      ],
    );
  });

  test('1 broadcasts in both directions: (4, 1, 8) and (1, 4, 8) → (4, 4, 8)', () => {
    const f = lastFigures(`
      x = input (4, 4, 8)
      a = MaxPooling2D((1, 4))     # (4, 1, 8)
      from x
      MaxPooling2D((4, 1))         # (1, 4, 8)
      Add(a)
    `);
    assert.deepEqual(f, noParams([4, 4, 8]));
  });

  test('a shorter shape aligns to the right: (4, 4, 8) + (8,)', () => {
    const f = lastFigures(`
      x = input (4, 4, 8)
      v = GlobalAveragePooling2D()   # (8,)
      from x
      Add(v)
    `);
    assert.deepEqual(f, noParams([4, 4, 8]));
  });

  test('the current tensor may be the shorter one', () => {
    const f = lastFigures(`
      x = input (4, 4, 8)
      GlobalAveragePooling2D()   # (8,)
      Add(x)
    `);
    assert.deepEqual(f, noParams([4, 4, 8]));
  });

  test('unknown axes stay unknown', () => {
    const f = lastFigures(`
      x = input (None, 8)
      Dense(8)
      Add(x)
    `);
    assert.deepEqual(f, noParams([null, 8]));
  });

  test('three inputs', () => {
    const f = lastFigures(`
      x = input (10,)
      a = Dense(10)
      from x
      b = Dense(10)
      from x
      Average(a, b)
    `);
    assert.deepEqual(f, noParams([10]));
  });

  test('Maximum and Minimum', () => {
    assert.deepEqual(lastFigures('x = input (6,)\nDense(6)\nMaximum(x)'), noParams([6]));
    assert.deepEqual(lastFigures('x = input (6,)\nDense(6)\nMinimum(x)'), noParams([6]));
  });

  test('mismatched channels are a merge error', () => {
    const error = errorOf(`
      x = input (4, 4, 8)
      Conv2D(16, 1)          # (4, 4, 16)
      Add(x)                 # 16 vs 8
    `);
    assert.equal(error.code, 'merge');
  });

  test('mismatched spatial sizes are a merge error', () => {
    const error = errorOf(`
      x = input (8, 8, 4)
      Conv2D(4, 3)           # (6, 6, 4)
      Add(x)
    `);
    assert.equal(error.code, 'merge');
  });

  test('a merge needs another tensor', () => {
    assert.equal(errorOf('input (10,)\nAdd()').code, 'merge');
  });

  test('an unknown label is reported', () => {
    assert.equal(errorOf('x = input (10,)\nDense(10)\nAdd(y)').code, 'label');
  });

  test('a label used by a merge is not reported unused', () => {
    const diagnostics = analyze('x = input (10,)\nDense(10)\nAdd(x)').diagnostics;
    assert.deepEqual(diagnostics.map((d) => d.code), []);
    // …nor is an unused one: a label names its layer, as `name=` does in Keras
    const unused = analyze('input (10,)\ny = Dense(10)\nDense(4)').diagnostics;
    assert.deepEqual(unused.map((d) => [d.severity, d.code]), []);
  });
});

describe('Subtract', () => {
  test('exactly two inputs', () => {
    assert.deepEqual(lastFigures('x = input (10,)\nDense(10)\nSubtract(x)'), noParams([10]));
  });

  test('three inputs are an error', () => {
    const error = errorOf(`
      x = input (10,)
      a = Dense(10)
      from x
      Dense(10)
      Subtract(x, a)
    `);
    assert.equal(error.code, 'merge');
  });

  test('broadcasting applies to Subtract too', () => {
    assert.deepEqual(lastFigures('x = input (4, 4, 8)\nGlobalMaxPooling2D(keepdims=true)\nSubtract(x)'), noParams([4, 4, 8]));
  });
});

describe('Concatenate', () => {
  test('default axis -1 sums the channels', () => {
    const f = lastFigures(`
      x = input (4, 4, 8)
      a = Conv2D(16, 1)     # (4, 4, 16)
      from x
      Conv2D(8, 3, padding=same)   # (4, 4, 8)
      Concatenate(a)        # 8 + 16 = 24
    `);
    assert.deepEqual(f, noParams([4, 4, 24]));
  });

  test('axis=1 joins along the first axis (batch counts as axis 0)', () => {
    const f = lastFigures(`
      x = input (4, 4, 8)
      Conv2D(8, 1)
      Concatenate(x, axis=1)   # (4 + 4, 4, 8)
    `);
    assert.deepEqual(f, noParams([8, 4, 8]));
  });

  test('axis=-2', () => {
    const f = lastFigures(`
      x = input (10, 3)
      Dense(3)
      Concatenate(x, axis=-2)   # (20, 3)
    `);
    assert.deepEqual(f, noParams([20, 3]));
  });

  test('three inputs (Inception-style)', () => {
    const f = lastFigures(`
      x = input (8, 8, 3)
      a = Conv2D(4, 1)
      from x
      b = Conv2D(8, 3, padding=same)
      from x
      Conv2D(2, 5, padding=same)
      Concatenate(a, b)      # 2 + 4 + 8 = 14
    `);
    assert.deepEqual(f, noParams([8, 8, 14]));
  });

  test('an unknown length on the joined axis makes it unknown', () => {
    const f = lastFigures(`
      x = input (None, 4)
      Dense(4)
      Concatenate(x, axis=1)
    `);
    assert.deepEqual(f, noParams([null, 4]));
  });

  test('other axes differing is a merge error', () => {
    const error = errorOf(`
      x = input (8, 8, 4)
      Conv2D(4, 3)            # (6, 6, 4)
      Concatenate(x)
    `);
    assert.equal(error.code, 'merge');
  });

  test('different ranks are a merge error', () => {
    const error = errorOf(`
      x = input (4, 4, 8)
      GlobalAveragePooling2D()
      Concatenate(x)
    `);
    assert.equal(error.code, 'merge');
  });

  test('axis out of range is an error', () => {
    assert.match(errorOf('x = input (10,)\nDense(4)\nConcatenate(x, axis=2)').message, /^Concatenate: axis=2 is out of range for an input of rank 1 \(plus the batch axis\); use an a/, 'merge');
  });

  test('U-Net style skip: upsample then concatenate', () => {
    const layer = lastLayer(`
      s = input (16, 16, 8)
      MaxPooling2D()              # (8, 8, 8)
      Conv2D(16, 3, padding=same) # (8, 8, 16)
      UpSampling2D()              # (16, 16, 16)
      Concatenate(s)              # (16, 16, 24)
      Conv2D(8, 3, padding=same)  # (3·3·24 + 1)·8 = 1736
    `);
    assert.deepEqual([...layer.outputShape], [16, 16, 8]);
    assert.equal(layer.params, 1736);
  });
});
