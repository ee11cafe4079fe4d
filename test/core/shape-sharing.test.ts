/**
 * A long model repeats a few shapes thousands of times; layers whose output has the
 * axes of their input keep no shape of their own (shapes are readonly).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { layersOf } from '../helpers/analyze.js';

test('a layer whose output has its input axes shares the input shape', () => {
  const [conv, same, wider, dense] = layersOf('input (16, 16, 8)\nConv2D(8, 3, padding=same)\nConv2D(8, 3, padding=same)\nConv2D(16, 1)\nDense(16)');
  assert.ok(conv && same && wider && dense);
  assert.deepEqual(same.outputShape, [16, 16, 8]);
  assert.equal(same.outputShape, conv.outputShape, 'same padding and as many filters as channels: the same shape object');
  assert.deepEqual(wider.outputShape, [16, 16, 16]);
  assert.notEqual(wider.outputShape, same.outputShape);
  assert.deepEqual(dense.outputShape, [16, 16, 16]);
  assert.equal(dense.outputShape, wider.outputShape, 'Dense(16) on 16 channels keeps the axes');
  assert.equal(dense.params, 16 * 16 + 16);
});

test('a merge of equal shapes shares the shape of its first input', () => {
  const layers = layersOf('input (16, 16, 8)\nx = Conv2D(8, 3, padding=same)\nConv2D(8, 1)\nAdd(x)');
  const [, conv, add] = layers;
  assert.ok(conv && add);
  assert.deepEqual(add.outputShape, [16, 16, 8]);
  assert.equal(add.outputShape, conv.outputShape);
  assert.deepEqual(add.inputShapes, [[16, 16, 8], [16, 16, 8]]);
});
