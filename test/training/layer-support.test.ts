/**
 * The check that the models to train can train on the active backend, before any
 * data loads: it passes trainable models, and names the layer and line of one that
 * cannot train (a gradient TensorFlow.js lacks; a kernel the backend lacks).
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import type * as TfModule from '@tensorflow/tfjs';
import { analyzeText } from '../../language-server/src/analysis/analyze-file.js';
import { layerThatCannotTrain, unsupportedLayerCheck } from '../../language-server/src/training/layer-support.js';

const tf = createRequire(import.meta.url)('@tensorflow/tfjs') as typeof TfModule;

function check(body: string): string | undefined {
  const analysis = analyzeText(`model m {\n${body}\n}\n`);
  const model = analysis.models[0]?.evaluated;
  assert.ok(model && model.errorCount === 0, body);
  return layerThatCannotTrain(tf, model, analysis.lines, 'cpu');
}

describe('layerThatCannotTrain', () => {
  before(async () => {
    assert.ok(await tf.setBackend('cpu'));
  });
  after(() => tf.disposeVariables());

  it('passes models that train, and leaves no tensor behind', () => {
    const before = tf.memory().numTensors;
    assert.equal(check('  input (8, 8, 1)\n  Conv2D(4, 3)\n  MaxPooling2D()\n  Flatten()\n  Dense(3, activation=softmax)'), undefined);
    assert.equal(tf.memory().numTensors, before);
    // (LSTM's unit_forget_bias initialiser keeps 4 tensors in TensorFlow.js itself: see the oracle test.)
    assert.equal(check('  input (5,)\n  Embedding(10, 4)\n  LSTM(3)\n  Dense(2)'), undefined);
  });

  it('names a layer whose gradient TensorFlow.js lacks, with its line (Conv3DTranspose on any backend)', () => {
    const message = check('  input (4, 4, 4, 1)\n  Conv3D(2, 2)\n  Conv3DTranspose(2, 2)\n  Flatten()\n  Dense(2)');
    assert.ok(message);
    assert.match(message, /^Conv3DTranspose `conv3d_transpose` \(line 4\) of model m cannot train on the cpu backend: Cannot compute gradient: gradient function not found for Conv3DBackpropInputV2\.$/);
  });

  it('names the layer whose kernel the backend lacks', () => {
    const kernel = tf.getKernel('MaxPoolGrad', 'cpu');
    assert.ok(kernel);
    tf.unregisterKernel('MaxPoolGrad', 'cpu');
    try {
      const message = check('  input (8, 8, 1)\n  Conv2D(4, 3)\n  pool = MaxPooling2D()\n  Flatten()\n  Dense(3)');
      assert.ok(message);
      assert.match(message, /^MaxPooling2D `pool` \(line 4\) of model m cannot train on the cpu backend: .*MaxPoolGrad/);
    } finally {
      tf.registerKernel(kernel);
    }
  });

  it('checks the named model, else the models of the first train (or tune) block, and no other', async () => {
    const models = 'model good {\n  input (3,)\n  Dense(2)\n}\nmodel bad {\n  input (2, 2, 2, 1)\n  Conv3DTranspose(1, 2)\n  Flatten()\n  Dense(2)\n}\n';
    const text = `${models}train good {\n  dataset = mnist\n}\ntune bad {\n  dataset = mnist\n}\n`;
    assert.equal(await unsupportedLayerCheck(text, 'train', 'good')(tf, 'cpu'), undefined);
    assert.equal(await unsupportedLayerCheck(text, 'train')(tf, 'cpu'), undefined, 'bad is in no train block');
    assert.match((await unsupportedLayerCheck(text, 'tune')(tf, 'cpu')) ?? '', /Conv3DTranspose `conv3d_transpose` \(line 7\) of model bad/);
    assert.match((await unsupportedLayerCheck(text, 'train', 'bad')(tf, 'cpu')) ?? '', /of model bad cannot train on the cpu backend/);
  });
});
