import { arg, baseArgs, none, num, sym, tfBase, tfLayer, resolveAxis, weight } from '../common.js';
import { LayerError, type LayerSpec } from '../types.js';

const passThrough = { weights: [], macs: 0, keepsReceptiveField: true } as const;

const relu: LayerSpec = {
  name: 'ReLU',
  family: 'activation',
  doc: 'Rectified linear unit: `max(x, 0)`, with an optional cap `max_value`, a slope below `threshold` and the threshold itself.',
  args: [
    arg('max_value', { kind: 'float', min: 0 }, 'Upper bound of the output; `None` for none.', { default: none, nullable: true }),
    arg('negative_slope', { kind: 'float', min: 0 }, 'Slope for inputs below the threshold.', { default: num(0) }),
    arg('threshold', { kind: 'float' }, 'Inputs below this are damped.', { default: num(0) }),
    ...baseArgs,
  ],
  infer: ({ inputs }) => ({ output: inputs[0] ?? [], ...passThrough }),
  build(tf, { args, name }) {
    if (args.float('negative_slope') !== 0 || args.float('threshold') !== 0) throw new LayerError('ReLU with negative_slope or threshold is not available in TensorFlow.js; use LeakyReLU');
    return tfLayer(tf, 'reLU', { ...tfBase(args, name), maxValue: args.optionalFloat('max_value') });
  },
};

const leakyRelu: LayerSpec = {
  name: 'LeakyReLU',
  family: 'activation',
  doc: 'Leaky ReLU: `x` for x ≥ 0 and `negative_slope · x` below. Keras 3 calls the slope `negative_slope` (default 0.3); `alpha` is the older name.',
  args: [arg('negative_slope', { kind: 'float' }, 'Slope for negative inputs.', { default: num(0.3), aliases: ['alpha'] }), ...baseArgs],
  infer: ({ inputs }) => ({ output: inputs[0] ?? [], ...passThrough }),
  build: (tf, { args, name }) => tfLayer(tf, 'leakyReLU', { ...tfBase(args, name), alpha: args.float('negative_slope') }),
};

const prelu: LayerSpec = {
  name: 'PReLU',
  family: 'activation',
  doc: 'Parametric ReLU: like LeakyReLU, but the negative slope is learned for every input element (or shared along `shared_axes`).',
  args: [
    arg('alpha_initializer', { kind: 'object' }, 'Initializer of the slopes.', { default: sym('zeros') }),
    arg('alpha_regularizer', { kind: 'object' }, 'Regularizer of the slopes.', { default: none, nullable: true }),
    arg('alpha_constraint', { kind: 'object' }, 'Constraint of the slopes.', { default: none, nullable: true }),
    arg('shared_axes', { kind: 'intList' }, 'Axes (1-based, batch excluded) along which one slope is shared, e.g. `(1, 2)` for one slope per channel of an image.', { default: none, nullable: true }),
    ...baseArgs,
  ],
  infer({ args, inputs }) {
    const input = inputs[0] ?? [];
    const shared = new Set((args.optionalIntList('shared_axes') ?? []).map((a) => resolveAxis(a, input.length, 'PReLU', 'shared_axes')));
    const shape = input.map((d, i) => {
      if (shared.has(i)) return 1;
      if (d === null) throw new LayerError('PReLU needs every unshared axis to have a known length; share the unknown axis with `shared_axes`', 'shared_axes');
      return d;
    });
    return { output: input, weights: [weight('alpha', shape)], macs: 0, keepsReceptiveField: true };
  },
  build: (tf, { args, name }) => tfLayer(tf, 'prelu', { ...tfBase(args, name), sharedAxes: args.optionalIntList('shared_axes') }),
};

const elu: LayerSpec = {
  name: 'ELU',
  family: 'activation',
  doc: 'Exponential linear unit: `x` for x > 0 and `alpha · (exp(x) − 1)` below.',
  args: [arg('alpha', { kind: 'float' }, 'Scale of the negative part.', { default: num(1) }), ...baseArgs],
  infer: ({ inputs }) => ({ output: inputs[0] ?? [], ...passThrough }),
  build(tf, { args, name }) {
    if (args.float('alpha') !== 1) throw new LayerError('ELU with alpha other than 1 is not available in TensorFlow.js');
    return tfLayer(tf, 'elu', { ...tfBase(args, name), alpha: 1 });
  },
};

const softmax: LayerSpec = {
  name: 'Softmax',
  family: 'activation',
  doc: 'Softmax along `axis`: turns scores into probabilities that sum to 1.',
  args: [arg('axis', { kind: 'int' }, 'Axis to normalise over.', { default: num(-1) }), ...baseArgs],
  infer({ args, inputs }) {
    const input = inputs[0] ?? [];
    resolveAxis(args.int('axis'), input.length, 'Softmax');
    return { output: input, ...passThrough };
  },
  build: (tf, { args, name }) => tfLayer(tf, 'softmax', { ...tfBase(args, name), axis: args.int('axis') }),
};

export const activationLayers: readonly LayerSpec[] = [relu, leakyRelu, prelu, elu, softmax];
