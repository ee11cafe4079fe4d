/**
 * The WebGPU backend against the wasm backend on a real adapter: one training
 * step (loss and every gradient) of a model per layer family the catalog can
 * build, from the same weights and data, must agree within 1e-4 relative (the
 * loss to its value, the gradients to the step's largest gradient).
 *
 * Here the adapter is Mesa's llvmpipe (software Vulkan, from bookworm-backports;
 * .ci installs it). Without an adapter the suite is skipped, unless
 * LAYERLAB_REQUIRE_WEBGPU=1 (CI sets it) makes that a failure.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import type * as TfModule from '@tensorflow/tfjs';
import { analyzeText } from '../../language-server/src/analysis/analyze-file.js';
import { layerCatalog } from '../../language-server/src/catalog/layers.js';
import { BackendError, defaultLoaders, resolveBackend } from '../../language-server/src/training/backend/resolve.js';
import { layerThatCannotTrain, unsupportedLayerCheck } from '../../language-server/src/training/layer-support.js';
import { loadWebGpuAdapter, type WebGpuAdapter } from '../../language-server/src/training/backend/webgpu.js';
import { buildTfModel, type TfGraphModule } from '../../language-server/src/training/build-model.js';
import { seededRandom, seedGlobalRandom } from '../../language-server/src/common/random.js';

type Tf = typeof TfModule;
const tf = createRequire(import.meta.url)('@tensorflow/tfjs') as Tf;

/** One model per layer family; together they build every layer the catalog can build. */
export const FAMILY_MODELS: Readonly<Record<string, string>> = {
  'core and activations': `
    input (12,)
    Dense(8)
    PReLU()
    Dense(8, activation=tanh)
    LeakyReLU()
    ELU()
    Activation(sigmoid)
    Dense(6)
    ReLU()
    Dense(4)
    Softmax()`,
  'convolution 2D, normalisation, pooling 2D, reshaping 2D': `
    input (10, 10, 2)
    Rescaling(0.5, offset=0.1)
    Conv2D(4, 3, padding=same, activation=relu)
    BatchNormalization()
    DepthwiseConv2D(3, padding=same)
    SeparableConv2D(4, 3, padding=valid)
    MaxPooling2D()
    ZeroPadding2D(1)
    AveragePooling2D(2, strides=1)
    UpSampling2D(2)
    Cropping2D(1)
    Conv2DTranspose(3, 3, strides=2)
    Dropout(0.25)
    GlobalMaxPooling2D()
    Dense(4, activation=softmax)`,
  'global average pooling 2D, layer normalisation': `
    input (6, 6, 3)
    Conv2D(4, 2, strides=2)
    LayerNormalization()
    GlobalAveragePooling2D()
    GaussianNoise(0.1)
    Dense(4, activation=softmax)`,
  'convolution and pooling 1D': `
    input (16, 3)
    Conv1D(4, 3, padding=same, activation=relu)
    MaxPooling1D()
    AveragePooling1D()
    SpatialDropout1D(0.2)
    Conv1D(4, 2, dilation_rate=1)
    GlobalMaxPooling1D()
    RepeatVector(3)
    GlobalAveragePooling1D()
    Dense(4, activation=softmax)`,
  'convolution and pooling 3D': `
    input (6, 6, 6, 1)
    Conv3D(2, 3, padding=same)
    MaxPooling3D()
    Conv3D(2, 2, padding=same)
    AveragePooling3D()
    Flatten()
    Dense(4, activation=softmax)`,
  'recurrent and wrappers': `
    input (7,)
    Embedding(20, 5)
    LSTM(6, return_sequences=true)
    GRU(5, return_sequences=true, reset_after=false)
    Bidirectional(SimpleRNN(4, return_sequences=true))
    TimeDistributed(Dense(3))
    Permute((2, 1))
    Reshape((21,))
    Dense(4, activation=softmax)`,
  merging: `
    input (8,)
    a = Dense(6, activation=relu)
    b = Dense(6)
    Add(a)
    c = Multiply(a)
    from b
    d = Average(c)
    from a
    e = Maximum(d)
    f = Minimum(b)
    Concatenate(e)
    Dense(4, activation=softmax)`,
};

interface Step {
  readonly loss: number;
  readonly gradients: Float32Array[];
  readonly names: string[];
}

const BATCH = 4;

/** Seeded inputs for a model: integers below 20 for an Embedding, else values in [-1, 1). */
function inputOf(shape: readonly number[], integers: boolean, seed: number): TfModule.Tensor {
  const next = seededRandom(seed);
  const size = BATCH * shape.reduce((a, b) => a * b, 1);
  const values = Float32Array.from({ length: size }, () => (integers ? Math.floor(next() * 20) : next() * 2 - 1));
  return tf.tensor(values, [BATCH, ...shape]);
}

/** One step's loss and gradients on the active backend, from the given weights; nothing stays allocated. */
async function step(source: string, weights: Float32Array[] | undefined): Promise<{ step: Step; weights: Float32Array[] }> {
  const analysis = analyzeText(`model m {${source}\n}\n`);
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((e) => e.message), [], source);
  const evaluated = analysis.models[0]?.evaluated;
  assert.ok(evaluated?.input, source);
  seedGlobalRandom(1);
  const model = buildTfModel(tf as unknown as TfGraphModule, evaluated, analysis.lines) as TfModule.LayersModel;
  try {
    if (weights) model.setWeights(weights.map((w, i) => tf.tensor(w, model.getWeights()[i]?.shape)));
    const initial = await Promise.all(model.getWeights().map(async (w) => (await w.data()) as Float32Array));
    const integers = evaluated.layers.some((l) => l.spec.name === 'Embedding');
    const x = inputOf(evaluated.input.shape.map((d) => d ?? 3), integers, 11);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3], 'int32'), 4);
    const variables = model.trainableWeights.map((w) => w.read() as TfModule.Variable);
    seedGlobalRandom(5);
    const { value, grads } = tf.variableGrads(() => {
      const p = model.apply(x, { training: true }) as TfModule.Tensor;
      return tf.mean(tf.sum(tf.mul(y, tf.log(tf.add(p, 1e-7))), -1)).neg() as TfModule.Scalar;
    }, variables);
    const loss = (await value.data())[0] ?? Number.NaN;
    const names = variables.map((v) => v.name);
    const gradients = await Promise.all(names.map(async (n) => (await grads[n]?.data()) as Float32Array));
    tf.dispose([x, y, value, ...Object.values(grads)]);
    return { step: { loss, gradients, names }, weights: initial };
  } finally {
    model.dispose();
    tf.disposeVariables();
  }
}

/** Largest |b| of a tensor. */
function largest(b: Float32Array): number {
  let m = 0;
  for (const v of b) m = Math.max(m, Math.abs(v));
  return m;
}

/** Largest |a − b|; infinite when a value is missing or not a number. */
function largestDifference(a: Float32Array, b: Float32Array): number {
  let diff = 0;
  for (let i = 0; i < b.length; i++) diff = Math.max(diff, Math.abs((a[i] ?? Number.NaN) - (b[i] ?? 0)));
  return Number.isNaN(diff) ? Number.POSITIVE_INFINITY : diff;
}

/** The layer a weight belongs to: its name without the last part ('lstm/kernel_1' → 'lstm'). */
const layerOf = (weight: string): string => weight.slice(0, Math.max(0, weight.lastIndexOf('/')));

it('the family models cover every layer the catalog builds, but Conv3DTranspose (TensorFlow.js cannot train it)', () => {
  const used = new Set<string>();
  for (const source of Object.values(FAMILY_MODELS)) {
    const model = analyzeText(`model m {${source}\n}\n`).models[0]?.evaluated;
    assert.ok(model, source);
    for (const layer of model.layers) {
      used.add(layer.spec.name);
      if (layer.inner) used.add(layer.inner.spec.name);
    }
  }
  const buildable = [...layerCatalog.values()].filter((spec) => spec.build).map((spec) => spec.name);
  assert.deepEqual(buildable.filter((name) => !used.has(name)).sort(), ['Conv3DTranspose']);
});

describe('webgpu backend: one training step per layer family matches wasm', () => {
  let adapter: WebGpuAdapter | undefined;
  let skipWhy: string | undefined;
  const reference = new Map<string, { step: Step; weights: Float32Array[] }>();

  before(async () => {
    try {
      adapter = await loadWebGpuAdapter({ userFolders: [] });
    } catch (error) {
      skipWhy = `no WebGPU adapter: ${error instanceof Error ? error.message : String(error)}`;
      if (process.env.LAYERLAB_REQUIRE_WEBGPU === '1') throw new Error(`LAYERLAB_REQUIRE_WEBGPU=1 but ${skipWhy}`);
      return;
    }
    await defaultLoaders().wasm();
    for (const [family, source] of Object.entries(FAMILY_MODELS)) reference.set(family, await step(source, undefined));
    await adapter.activate();
  });

  after(async () => {
    await tf.setBackend('cpu');
  });

  for (const [family, source] of Object.entries(FAMILY_MODELS)) {
    it(family, async (t) => {
      if (skipWhy) return t.skip(skipWhy);
      assert.equal(tf.getBackend(), 'webgpu');
      const wasm = reference.get(family);
      assert.ok(wasm);
      const { step: gpu } = await step(source, wasm.weights);
      assert.ok(Number.isFinite(wasm.step.loss), `${family}: wasm loss ${wasm.step.loss}`);
      const lossDiff = Math.abs(gpu.loss - wasm.step.loss) / Math.max(1e-6, Math.abs(wasm.step.loss));
      assert.ok(lossDiff <= 1e-4, `${family}: loss ${gpu.loss} on webgpu, ${wasm.step.loss} on wasm (relative ${lossDiff.toExponential(2)})`);
      // The step agrees within 1e-4 of its largest gradient. A gradient that is small by
      // cancellation (a bias: a sum over batch and time steps) carries the rounding of its larger
      // terms, so against its own size it measures float32 summation order; it is held to 1e-3 of
      // its layer's largest gradient, which still catches a wrong kernel (errors of its own size).
      const stepScale = Math.max(1e-6, ...wasm.step.gradients.map(largest));
      const layerScale = new Map<string, number>();
      wasm.step.gradients.forEach((g, i) => {
        const layer = layerOf(gpu.names[i] ?? '');
        layerScale.set(layer, Math.max(layerScale.get(layer) ?? 1e-6, largest(g)));
      });
      let worstStep = 0;
      let worstLayer = 0;
      gpu.gradients.forEach((g, i) => {
        const expected = wasm.step.gradients[i];
        const name = gpu.names[i] ?? '';
        assert.ok(g && expected && g.length === expected.length, `${family}: gradient ${name}`);
        const diff = largestDifference(g, expected);
        const ofStep = diff / stepScale;
        const ofLayer = diff / (layerScale.get(layerOf(name)) ?? 1e-6);
        worstStep = Math.max(worstStep, ofStep);
        worstLayer = Math.max(worstLayer, ofLayer);
        assert.ok(ofStep <= 1e-4, `${family}: gradient of ${name} differs by ${ofStep.toExponential(2)} of the step's largest gradient`);
        assert.ok(ofLayer <= 1e-3, `${family}: gradient of ${name} differs by ${ofLayer.toExponential(2)} of its layer's largest gradient`);
      });
      t.diagnostic(`loss ${gpu.loss.toFixed(6)} vs ${wasm.step.loss.toFixed(6)}; ${gpu.gradients.length} gradients, worst difference ${worstStep.toExponential(2)} of the step's largest gradient, ${worstLayer.toExponential(2)} of the layer's`);
      // The check the trainer runs before it commits to WebGPU agrees.
      const analysis = analyzeText(`model m {${source}\n}\n`);
      assert.equal(layerThatCannotTrain(tf, analysis.models[0]!.evaluated!, analysis.lines, 'webgpu'), undefined);
    });
  }

  it('a layer whose kernel WebGPU lacks: `webgpu` by name refuses with the layer and its line, no stack trace', async (t) => {
    if (skipWhy || !adapter) return t.skip(skipWhy);
    const kernel = tf.getKernel('MaxPoolGrad', 'webgpu');
    assert.ok(kernel);
    tf.unregisterKernel('MaxPoolGrad', 'webgpu');
    try {
      const text = 'model m {\n  input (8, 8, 1)\n  Conv2D(4, 3)\n  MaxPooling2D()\n  Flatten()\n  Dense(3)\n}\n';
      const found = adapter;
      const error = await resolveBackend('webgpu', { ...defaultLoaders(), webgpu: async () => found }, { unsupportedLayer: unsupportedLayerCheck(text, 'train', 'm') }).then(
        () => assert.fail('expected a refusal'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof BackendError);
      assert.match(error.message, /^MaxPooling2D `max_pooling2d` \(line 4\) of model m cannot train on the webgpu backend: Kernel 'MaxPoolGrad' not registered for backend 'webgpu'\. Choose the backend 'auto' or 'wasm' for this model\.$/);
    } finally {
      tf.registerKernel(kernel);
    }
  });
});
