import { arg, baseArgs, bool, formatShape, none, num, resolveAxis, sym, tfBase, tfLayer, weight } from '../common.js';
import { LayerError, type LayerArgs, type LayerSpec, type Shape, type WeightSpec } from '../types.js';

/** The axes kept by a normalisation (`axis` may be an int or a tuple), as indices into the shape. */
function keptAxes(args: LayerArgs, input: Shape, layer: string): number[] {
  const value = args.value('axis');
  // The usual single axis without the intermediate lists: every normalisation layer of every analysis comes here.
  if (value.kind !== 'tuple') return value.kind === 'none' ? [] : [resolveAxis(args.int('axis'), input.length, layer)];
  return args.intList('axis').map((a) => resolveAxis(a, input.length, layer));
}

function axisSizes(input: Shape, axes: readonly number[], layer: string): number[] {
  return axes.map((a) => {
    const size = input[a];
    if (size === null || size === undefined) throw new LayerError(`${layer} normalises axis ${a + 1}, whose length is unknown in ${formatShape(input)}`, 'axis');
    return size;
  });
}

const axisArg = arg('axis', { kind: 'intList' }, 'The axis (or axes) that keep their own statistics; -1 is the channels/features axis.', { default: num(-1) });

const batchNormalization: LayerSpec = {
  name: 'BatchNormalization',
  family: 'normalization',
  doc: 'Normalises each channel with the batch mean and variance during training and with moving averages at inference, then scales by `gamma` and shifts by `beta`. The moving mean and variance are non-trainable parameters.',
  args: [
    arg('axis', { kind: 'int' }, 'The axis with its own statistics, usually the channels/features axis -1 (Keras takes a single int here).', { default: num(-1) }),
    arg('momentum', { kind: 'float', min: 0, max: 1 }, 'Momentum of the moving averages.', { default: num(0.99) }),
    arg('epsilon', { kind: 'float', min: 0 }, 'Small value added to the variance.', { default: num(0.001) }),
    arg('center', { kind: 'bool' }, 'Learn the offset `beta`.', { default: bool(true) }),
    arg('scale', { kind: 'bool' }, 'Learn the factor `gamma`.', { default: bool(true) }),
    arg('beta_initializer', { kind: 'object' }, 'Initializer of beta.', { default: sym('zeros') }),
    arg('gamma_initializer', { kind: 'object' }, 'Initializer of gamma.', { default: sym('ones') }),
    arg('moving_mean_initializer', { kind: 'object' }, 'Initializer of the moving mean.', { default: sym('zeros') }),
    arg('moving_variance_initializer', { kind: 'object' }, 'Initializer of the moving variance.', { default: sym('ones') }),
    arg('beta_regularizer', { kind: 'object' }, 'Regularizer of beta.', { default: none, nullable: true }),
    arg('gamma_regularizer', { kind: 'object' }, 'Regularizer of gamma.', { default: none, nullable: true }),
    arg('beta_constraint', { kind: 'object' }, 'Constraint of beta.', { default: none, nullable: true }),
    arg('gamma_constraint', { kind: 'object' }, 'Constraint of gamma.', { default: none, nullable: true }),
    arg('synchronized', { kind: 'bool' }, 'Synchronise statistics across devices.', { default: bool(false) }),
    ...baseArgs,
  ],
  infer({ args, inputs }) {
    const input = inputs[0] ?? [];
    const axes = keptAxes(args, input, 'BatchNormalization');
    const size = axisSizes(input, axes, 'BatchNormalization');
    const scale = args.bool('scale');
    const center = args.bool('center');
    // Sized up front: an array that is pushed to keeps room for 16 elements.
    const weights = new Array<WeightSpec>((scale ? 1 : 0) + (center ? 1 : 0) + 2);
    let w = 0;
    if (scale) weights[w++] = weight('gamma', size);
    if (center) weights[w++] = weight('beta', size);
    weights[w++] = weight('moving_mean', size, false);
    weights[w] = weight('moving_variance', size, false);
    let channels = 1;
    for (let i = 0; i < size.length; i++) channels *= size[i] ?? 1;
    const trainable = (scale ? 1 : 0) + (center ? 1 : 0);
    return {
      output: input,
      weights,
      macs: 0,
      formula: `${trainable > 0 ? `${trainable}·${channels} trainable + ` : ''}2·${channels} non-trainable`,
      keepsReceptiveField: true,
    };
  },
  build(tf, { args, name, inputShapes }) {
    const input = inputShapes[0] ?? [];
    if (input.length > 3) throw new LayerError('BatchNormalization on inputs of rank 4 or more (after Conv3D) is not available in TensorFlow.js');
    const axes = keptAxes(args, input, 'BatchNormalization');
    return tfLayer(tf, 'batchNormalization', {
      ...tfBase(args, name),
      axis: (axes[0] ?? 0) + 1,
      momentum: args.float('momentum'),
      epsilon: args.float('epsilon'),
      center: args.bool('center'),
      scale: args.bool('scale'),
    });
  },
};

const layerNormalization: LayerSpec = {
  name: 'LayerNormalization',
  family: 'normalization',
  doc: 'Normalises each sample over `axis` (by default the features), then scales by `gamma` and shifts by `beta`. Unlike BatchNormalization it does not depend on the batch.',
  args: [
    axisArg,
    arg('epsilon', { kind: 'float', min: 0 }, 'Small value added to the variance.', { default: num(0.001) }),
    arg('center', { kind: 'bool' }, 'Learn the offset `beta`.', { default: bool(true) }),
    arg('scale', { kind: 'bool' }, 'Learn the factor `gamma`.', { default: bool(true) }),
    arg('rms_scaling', { kind: 'bool' }, 'Use RMS normalisation (scale only, no centring).', { default: bool(false) }),
    arg('beta_initializer', { kind: 'object' }, 'Initializer of beta.', { default: sym('zeros') }),
    arg('gamma_initializer', { kind: 'object' }, 'Initializer of gamma.', { default: sym('ones') }),
    arg('beta_regularizer', { kind: 'object' }, 'Regularizer of beta.', { default: none, nullable: true }),
    arg('gamma_regularizer', { kind: 'object' }, 'Regularizer of gamma.', { default: none, nullable: true }),
    arg('beta_constraint', { kind: 'object' }, 'Constraint of beta.', { default: none, nullable: true }),
    arg('gamma_constraint', { kind: 'object' }, 'Constraint of gamma.', { default: none, nullable: true }),
    ...baseArgs,
  ],
  infer({ args, inputs }) {
    const input = inputs[0] ?? [];
    const axes = keptAxes(args, input, 'LayerNormalization');
    const size = axisSizes(input, axes, 'LayerNormalization');
    const rms = args.bool('rms_scaling');
    const weights: WeightSpec[] = [];
    if (args.bool('scale') || rms) weights.push(weight('gamma', size));
    if (args.bool('center') && !rms) weights.push(weight('beta', size));
    return { output: input, weights, macs: 0, keepsReceptiveField: true };
  },
  build(tf, { args, name, inputShapes }) {
    if (args.bool('rms_scaling')) throw new LayerError('LayerNormalization with rms_scaling is not available in TensorFlow.js');
    if ((inputShapes[0] ?? []).length > 3) throw new LayerError('LayerNormalization on inputs of rank 4 or more is not available in TensorFlow.js');
    return tfLayer(tf, 'layerNormalization', { ...tfBase(args, name), axis: args.intList('axis'), epsilon: args.float('epsilon'), center: args.bool('center'), scale: args.bool('scale') });
  },
};

const normalization: LayerSpec = {
  name: 'Normalization',
  family: 'preprocessing',
  doc: 'Standardises features with a fixed mean and variance, given as arguments or learned from the training data (`adapt`). Its mean, variance and sample count are non-trainable parameters.',
  args: [
    arg('axis', { kind: 'intList' }, 'The axis (or axes) with their own mean and variance; `None` for one scalar mean.', { default: num(-1), nullable: true }),
    arg('mean', { kind: 'object' }, 'Fixed mean; with `variance`, no statistics are learned.', { default: none, nullable: true }),
    arg('variance', { kind: 'object' }, 'Fixed variance.', { default: none, nullable: true }),
    arg('invert', { kind: 'bool' }, 'Apply the inverse transformation (de-normalise).', { default: bool(false) }),
    ...baseArgs,
  ],
  infer({ args, inputs }) {
    const input = inputs[0] ?? [];
    const hasMean = args.value('mean').kind !== 'none';
    if (hasMean !== (args.value('variance').kind !== 'none')) throw new LayerError('Normalization needs both `mean` and `variance`, or neither', hasMean ? 'variance' : 'mean');
    if (hasMean) return { output: input, weights: [], macs: 0, keepsReceptiveField: true };
    const axes = keptAxes(args, input, 'Normalization');
    const size = axisSizes(input, axes, 'Normalization');
    return {
      output: input,
      weights: [weight('mean', size, false), weight('variance', size, false), weight('count', [], false)],
      macs: 0,
      keepsReceptiveField: true,
    };
  },
  buildUnavailable: 'TensorFlow.js has no Normalization layer',
};

export const normalizationLayers: readonly LayerSpec[] = [batchNormalization, layerNormalization, normalization];
