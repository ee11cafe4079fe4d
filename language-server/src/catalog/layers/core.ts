import {
  activationArg,
  activations,
  arg,
  baseArgs,
  bool,
  kernelExtras,
  lastAxis,
  mul,
  none,
  num,
  required,
  sym,
  tfActivation,
  tfBase,
  tfLayer,
  useBiasArg,
  weight,
} from '../common.js';
import { LayerError, type LayerSpec, type WeightSpec } from '../types.js';

const dense: LayerSpec = {
  name: 'Dense',
  family: 'core',
  doc: 'Fully connected layer: `output = activation(input · kernel + bias)`. On inputs of rank above 1 it acts on the last axis only.',
  inputRank: { min: 1, describe: '(..., features)' },
  args: [
    required('units', { kind: 'int', min: 1 }, 'Number of outputs.'),
    activationArg(),
    useBiasArg,
    ...kernelExtras(),
    arg('lora_rank', { kind: 'int', min: 1 }, 'Rank of a LoRA adapter on the kernel; `None` for none.', { default: none, nullable: true }),
    ...baseArgs,
  ],
  infer({ args, inputs }) {
    const input = inputs[0] ?? [];
    const units = args.int('units');
    const features = lastAxis(input, 'Dense');
    const useBias = args.bool('use_bias');
    const weights: WeightSpec[] = [weight('kernel', [features, units])];
    if (useBias) weights.push(weight('bias', [units]));
    const lora = args.optionalInt('lora_rank');
    if (lora !== undefined) {
      weights[0] = weight('kernel', [features, units], false);
      weights.push(weight('lora_kernel_a', [features, lora]), weight('lora_kernel_b', [lora, units]));
    }
    return {
      output: [...input.slice(0, -1), units],
      weights,
      macs: mul(...input.slice(0, -1), features, units),
      formula: useBias ? `(${features} + 1)·${units}` : `${features}·${units}`,
    };
  },
  build(tf, { args, name }) {
    if (args.optionalInt('lora_rank') !== undefined) throw new LayerError('Dense with lora_rank is not available in TensorFlow.js');
    return tfLayer(tf, 'dense', {
      ...tfBase(args, name),
      units: args.int('units'),
      activation: tfActivation(args.optionalText('activation')),
      useBias: args.bool('use_bias'),
    });
  },
};

const activation: LayerSpec = {
  name: 'Activation',
  family: 'activation',
  doc: 'Applies an activation function elementwise, e.g. `Activation(relu)` after a merge.',
  args: [required('activation', { kind: 'activation' }, `The function: ${activations.join(', ')}.`), ...baseArgs],
  infer: ({ inputs }) => ({ output: inputs[0] ?? [], weights: [], macs: 0, keepsReceptiveField: true }),
  build: (tf, { args, name }) => tfLayer(tf, 'activation', { ...tfBase(args, name), activation: tfActivation(args.text('activation')) }),
};

const rateArg = required('rate', { kind: 'float', min: 0, max: 1, maxExclusive: true }, 'Fraction of the inputs to drop during training, from 0 up to (not including) 1.');
const seedArg = arg('seed', { kind: 'int', min: 0 }, 'Random seed.', { default: none, nullable: true });

const dropout: LayerSpec = {
  name: 'Dropout',
  family: 'regularization',
  doc: 'Sets a random fraction `rate` of the inputs to 0 during training and scales the rest by 1/(1−rate); does nothing at inference.',
  args: [rateArg, arg('noise_shape', { kind: 'intList' }, 'Shape of the binary dropout mask, to drop whole axes.', { default: none, nullable: true }), seedArg, ...baseArgs],
  infer: ({ inputs }) => ({ output: inputs[0] ?? [], weights: [], macs: 0, keepsReceptiveField: true }),
  build: (tf, { args, name }) => tfLayer(tf, 'dropout', { ...tfBase(args, name), rate: args.float('rate'), seed: args.optionalInt('seed') }),
};

function spatialDropout(dims: 1 | 2): LayerSpec {
  const layer = `SpatialDropout${dims}D`;
  return {
    name: layer,
    family: 'regularization',
    doc: `Dropout of whole feature maps: drops entire channels rather than single elements, which suits ${dims === 1 ? 'sequences' : 'convolutional feature maps'} whose neighbours are correlated.`,
    inputRank: { min: dims + 1, max: dims + 1, describe: dims === 1 ? '(steps, channels)' : '(height, width, channels)' },
    args: [rateArg, ...(dims === 2 ? [arg('data_format', { kind: 'enum', values: ['channels_last'] }, 'Axis order.', { default: none, nullable: true })] : []), seedArg, ...baseArgs],
    infer: ({ inputs }) => ({ output: inputs[0] ?? [], weights: [], macs: 0, keepsReceptiveField: true }),
    ...(dims === 1
      ? { build: (tf, { args, name }) => tfLayer(tf, 'spatialDropout1d', { ...tfBase(args, name), rate: args.float('rate'), seed: args.optionalInt('seed') }) }
      : { buildUnavailable: 'TensorFlow.js has no SpatialDropout2D layer' }),
  } satisfies LayerSpec;
}

const gaussianNoise: LayerSpec = {
  name: 'GaussianNoise',
  family: 'regularization',
  doc: 'Adds zero-centred Gaussian noise with standard deviation `stddev` during training only.',
  args: [required('stddev', { kind: 'float', min: 0 }, 'Standard deviation of the noise.'), seedArg, ...baseArgs],
  infer: ({ inputs }) => ({ output: inputs[0] ?? [], weights: [], macs: 0, keepsReceptiveField: true }),
  build: (tf, { args, name }) => tfLayer(tf, 'gaussianNoise', { ...tfBase(args, name), stddev: args.float('stddev') }),
};

const embedding: LayerSpec = {
  name: 'Embedding',
  family: 'core',
  doc: 'Maps integer indices (token ids below `input_dim`) to dense vectors of size `output_dim`. The input holds indices, e.g. `input (100,)` for 100 tokens.',
  args: [
    required('input_dim', { kind: 'int', min: 1 }, 'Size of the vocabulary: largest index + 1.'),
    required('output_dim', { kind: 'int', min: 1 }, 'Size of each embedding vector.'),
    arg('embeddings_initializer', { kind: 'object' }, 'Initializer of the embedding matrix.', { default: sym('uniform') }),
    arg('embeddings_regularizer', { kind: 'object' }, 'Regularizer of the embedding matrix.', { default: none, nullable: true }),
    arg('embeddings_constraint', { kind: 'object' }, 'Constraint of the embedding matrix.', { default: none, nullable: true }),
    arg('mask_zero', { kind: 'bool' }, 'Treat index 0 as padding to be masked out.', { default: bool(false) }),
    ...baseArgs,
  ],
  infer({ args, inputs }) {
    const input = inputs[0] ?? [];
    const inputDim = args.int('input_dim');
    const outputDim = args.int('output_dim');
    return { output: [...input, outputDim], weights: [weight('embeddings', [inputDim, outputDim])], macs: 0, formula: `${inputDim}·${outputDim}` };
  },
  build: (tf, { args, name }) =>
    tfLayer(tf, 'embedding', { ...tfBase(args, name), inputDim: args.int('input_dim'), outputDim: args.int('output_dim'), maskZero: args.bool('mask_zero') }),
};

const rescaling: LayerSpec = {
  name: 'Rescaling',
  family: 'preprocessing',
  doc: 'Multiplies the input by `scale` and adds `offset`, e.g. `Rescaling(1/255)` to bring pixels to [0, 1].',
  args: [required('scale', { kind: 'float' }, 'Factor to multiply by.'), arg('offset', { kind: 'float' }, 'Value to add after scaling.', { default: num(0) }), ...baseArgs],
  infer: ({ inputs }) => ({ output: inputs[0] ?? [], weights: [], macs: 0, keepsReceptiveField: true }),
  build: (tf, { args, name }) => tfLayer(tf, 'rescaling', { ...tfBase(args, name), scale: args.float('scale'), offset: args.float('offset') }),
};


export const coreLayers: readonly LayerSpec[] = [dense, activation, dropout, spatialDropout(1), spatialDropout(2), gaussianNoise, embedding, rescaling];

