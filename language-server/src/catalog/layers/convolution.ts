import {
  activationArg,
  appended,
  arg,
  baseArgs,
  dataFormatArg,
  deconvOutputLength,
  dot,
  kernelExtras,
  lastAxis,
  mul,
  mulAfter,
  none,
  num,
  paddingArg,
  product,
  required,
  slide,
  spatial,
  tfActivation,
  tfBase,
  tfLayer,
  tuple,
  useBiasArg,
  weight,
} from '../common.js';
import { LayerError, type LayerSpec, type WeightSpec } from '../types.js';

const spatialNames = ['', 'steps', 'height, width', 'depth, height, width'];

function rankFor(dims: number): { min: number; max: number; describe: string } {
  return { min: dims + 1, max: dims + 1, describe: `(${spatialNames[dims]}, channels)` };
}

function ones(dims: number): number[] {
  return new Array<number>(dims).fill(1);
}

/** Whether a value is above 1 (a loop: a closure per call showed in the allocation profile). */
function anyAboveOne(values: readonly number[]): boolean {
  for (let i = 0; i < values.length; i++) if ((values[i] ?? 0) > 1) return true;
  return false;
}

/** Keras BaseConv, BaseConvTranspose, BaseDepthwiseConv and BaseSeparableConv all refuse this combination in `__init__`. */
function checkStridesWithDilation(name: string, strides: readonly number[], dilation: readonly number[]): void {
  if (anyAboveOne(strides) && anyAboveOne(dilation)) {
    throw new LayerError(`${name}: strides > 1 cannot be combined with dilation_rate > 1 (Keras rejects it); set one of them to 1`, 'dilation_rate');
  }
}

function conv(dims: 1 | 2 | 3): LayerSpec {
  const name = `Conv${dims}D`;
  return {
    name,
    family: 'convolution',
    doc: `${dims}D convolution: slides \`filters\` learned kernels of size \`kernel_size\` over the ${spatialNames[dims]} of the input and outputs one channel per filter.`,
    inputRank: rankFor(dims),
    args: [
      required('filters', { kind: 'int', min: 1 }, 'Number of output channels (kernels).'),
      required('kernel_size', { kind: 'ints', length: dims, min: 1 }, `Size of the window: an int or a ${dims}-tuple.`),
      arg('strides', { kind: 'ints', length: dims, min: 1 }, 'Step of the window; values above 1 downsample.', { default: tuple(...ones(dims)) }),
      paddingArg(dims === 1 ? ['valid', 'same', 'causal'] : ['valid', 'same']),
      dataFormatArg,
      arg('dilation_rate', { kind: 'ints', length: dims, min: 1 }, 'Spacing between kernel taps (atrous convolution).', { default: tuple(...ones(dims)) }),
      arg('groups', { kind: 'int', min: 1 }, 'Splits the input channels into groups convolved separately; channels and filters must both divide by it.', { default: num(1) }),
      activationArg(),
      useBiasArg,
      ...kernelExtras(),
      ...baseArgs,
    ],
    infer({ args, inputs }) {
      const input = inputs[0] ?? [];
      const filters = args.int('filters');
      const kernel = args.ints('kernel_size');
      const strides = args.ints('strides');
      const dilation = args.ints('dilation_rate');
      const groups = args.int('groups');
      const padding = args.text('padding');
      const channels = lastAxis(input, name);
      checkStridesWithDilation(name, strides, dilation);
      if (channels % groups !== 0) throw new LayerError(`${name}: the input has ${channels} channels, which do not divide into groups=${groups}`, 'groups');
      if (filters % groups !== 0) throw new LayerError(`${name}: filters=${filters} does not divide into groups=${groups}`, 'groups');
      const out = slide(name, input, kernel, strides, dilation, padding, 'kernel');
      const perGroup = channels / groups;
      const useBias = args.bool('use_bias');
      const kernelShape = appended(kernel, perGroup, filters);
      const weights: WeightSpec[] = useBias ? [weight('kernel', kernelShape), weight('bias', [filters])] : [weight('kernel', kernelShape)];
      const formula = useBias ? `(${dot(appended(kernel, perGroup))} + 1)·${filters}` : dot(kernelShape);
      return {
        output: appended(out, filters),
        weights,
        macs: mulAfter(out, product(kernel), perGroup, filters),
        formula,
        window: { kernel, strides, dilation },
      };
    },
    build(tf, { args, name: layerName }) {
      if (args.int('groups') !== 1) throw new LayerError(`${name} with groups > 1 is not available in TensorFlow.js`);
      // TensorFlow.js builds causal padding with the shape of `valid`.
      if (args.text('padding') === 'causal') throw new LayerError(`${name} with padding=causal is not available in TensorFlow.js`);
      const factory = dims === 1 ? 'conv1d' : dims === 2 ? 'conv2d' : 'conv3d';
      const kernel = args.ints('kernel_size');
      const strides = args.ints('strides');
      const dilation = args.ints('dilation_rate');
      return tfLayer(tf, factory, {
        ...tfBase(args, layerName),
        filters: args.int('filters'),
        kernelSize: dims === 1 ? kernel[0] : kernel,
        strides: dims === 1 ? strides[0] : strides,
        dilationRate: dims === 1 ? dilation[0] : dilation,
        padding: args.text('padding'),
        activation: tfActivation(args.optionalText('activation')),
        useBias: args.bool('use_bias'),
      });
    },
  };
}

function convTranspose(dims: 1 | 2 | 3): LayerSpec {
  const name = `Conv${dims}DTranspose`;
  return {
    name,
    family: 'convolution',
    doc: `Transposed ${dims}D convolution (sometimes called deconvolution): upsamples by \`strides\` while learning \`filters\` kernels.`,
    inputRank: rankFor(dims),
    args: [
      required('filters', { kind: 'int', min: 1 }, 'Number of output channels.'),
      required('kernel_size', { kind: 'ints', length: dims, min: 1 }, `Size of the window: an int or a ${dims}-tuple.`),
      arg('strides', { kind: 'ints', length: dims, min: 1 }, 'Upsampling factor per axis.', { default: tuple(...ones(dims)) }),
      paddingArg(),
      arg('output_padding', { kind: 'ints', length: dims, min: 0 }, 'Extra rows/columns added to one side of the output; must be smaller than the stride.', { default: none, nullable: true }),
      dataFormatArg,
      arg('dilation_rate', { kind: 'ints', length: dims, min: 1 }, 'Spacing between kernel taps.', { default: tuple(...ones(dims)) }),
      activationArg(),
      useBiasArg,
      ...kernelExtras(),
      ...baseArgs,
    ],
    infer({ args, inputs }) {
      const input = inputs[0] ?? [];
      const filters = args.int('filters');
      const kernel = args.ints('kernel_size');
      const strides = args.ints('strides');
      const dilation = args.ints('dilation_rate');
      const outputPadding = args.optionalInts('output_padding');
      const padding = args.text('padding');
      const channels = lastAxis(input, name);
      checkStridesWithDilation(name, strides, dilation);
      if (outputPadding) {
        outputPadding.forEach((p, i) => {
          if (p >= (strides[i] ?? 1)) throw new LayerError(`${name}: output_padding ${p} must be smaller than the stride ${strides[i] ?? 1}`, 'output_padding');
        });
      }
      const sizes = spatial(input);
      const out = sizes.map((n, i) => deconvOutputLength(n, kernel[i] ?? 1, padding, strides[i] ?? 1, dilation[i] ?? 1, outputPadding?.[i]));
      const useBias = args.bool('use_bias');
      const weights: WeightSpec[] = [weight('kernel', [...kernel, filters, channels])];
      if (useBias) weights.push(weight('bias', [filters]));
      return {
        output: [...out, filters],
        weights,
        macs: mul(...sizes, product(kernel), channels, filters),
        formula: useBias ? `(${dot([...kernel, channels])} + 1)·${filters}` : dot([...kernel, channels, filters]),
      };
    },
    ...(dims === 2 || dims === 3
      ? {
          build(tf, { args, name: layerName }) {
            if (args.optionalInts('output_padding')) throw new LayerError(`${name} with output_padding is not available in TensorFlow.js`);
            if (args.ints('dilation_rate').some((d) => d !== 1)) throw new LayerError(`${name} with dilation_rate is not available in TensorFlow.js`);
            return tfLayer(tf, dims === 2 ? 'conv2dTranspose' : 'conv3dTranspose', {
              ...tfBase(args, layerName),
              filters: args.int('filters'),
              kernelSize: args.ints('kernel_size'),
              strides: args.ints('strides'),
              padding: args.text('padding'),
              activation: tfActivation(args.optionalText('activation')),
              useBias: args.bool('use_bias'),
            });
          },
        }
      : { buildUnavailable: `TensorFlow.js has no ${name} layer` }),
  };
}

const depthwise: LayerSpec = {
  name: 'DepthwiseConv2D',
  family: 'convolution',
  doc: 'Depthwise 2D convolution: each input channel is convolved with its own `depth_multiplier` kernels; channels are not mixed.',
  inputRank: rankFor(2),
  args: [
    required('kernel_size', { kind: 'ints', length: 2, min: 1 }, 'Size of the window: an int or a 2-tuple.'),
    arg('strides', { kind: 'ints', length: 2, min: 1 }, 'Step of the window.', { default: tuple(1, 1) }),
    paddingArg(),
    arg('depth_multiplier', { kind: 'int', min: 1 }, 'Output channels per input channel.', { default: num(1) }),
    dataFormatArg,
    arg('dilation_rate', { kind: 'ints', length: 2, min: 1 }, 'Spacing between kernel taps.', { default: tuple(1, 1) }),
    activationArg(),
    useBiasArg,
    ...kernelExtras(['depthwise', 'bias']),
    ...baseArgs,
  ],
  infer({ args, inputs }) {
    const input = inputs[0] ?? [];
    const kernel = args.ints('kernel_size');
    const multiplier = args.int('depth_multiplier');
    const channels = lastAxis(input, 'DepthwiseConv2D');
    const strides = args.ints('strides');
    const dilation = args.ints('dilation_rate');
    checkStridesWithDilation('DepthwiseConv2D', strides, dilation);
    const out = slide('DepthwiseConv2D', input, kernel, strides, dilation, args.text('padding'), 'kernel');
    const useBias = args.bool('use_bias');
    const kernelShape = appended(kernel, channels, multiplier);
    const weights: WeightSpec[] = useBias ? [weight('depthwise_kernel', kernelShape), weight('bias', [channels * multiplier])] : [weight('depthwise_kernel', kernelShape)];
    return {
      output: appended(out, channels * multiplier),
      weights,
      macs: mulAfter(out, product(kernel), channels, multiplier),
      formula: useBias ? `(${dot(kernel)} + 1)·${channels}·${multiplier}` : dot(kernelShape),
      window: { kernel, strides, dilation },
    };
  },
  build(tf, { args, name }) {
    // TensorFlow.js ignores the dilation when it computes this layer's output shape.
    if (args.ints('dilation_rate').some((d) => d !== 1)) throw new LayerError('DepthwiseConv2D with dilation_rate is not available in TensorFlow.js');
    return tfLayer(tf, 'depthwiseConv2d', {
      ...tfBase(args, name),
      kernelSize: args.ints('kernel_size'),
      strides: args.ints('strides'),
      padding: args.text('padding'),
      depthMultiplier: args.int('depth_multiplier'),
      dilationRate: args.ints('dilation_rate'),
      activation: tfActivation(args.optionalText('activation')),
      useBias: args.bool('use_bias'),
    });
  },
};

const separable: LayerSpec = {
  name: 'SeparableConv2D',
  family: 'convolution',
  doc: 'Depthwise separable 2D convolution: a depthwise convolution per channel followed by a 1×1 pointwise convolution that mixes channels. Far fewer parameters than Conv2D.',
  inputRank: rankFor(2),
  args: [
    required('filters', { kind: 'int', min: 1 }, 'Number of output channels.'),
    required('kernel_size', { kind: 'ints', length: 2, min: 1 }, 'Size of the depthwise window.'),
    arg('strides', { kind: 'ints', length: 2, min: 1 }, 'Step of the window.', { default: tuple(1, 1) }),
    paddingArg(),
    dataFormatArg,
    arg('dilation_rate', { kind: 'ints', length: 2, min: 1 }, 'Spacing between kernel taps.', { default: tuple(1, 1) }),
    arg('depth_multiplier', { kind: 'int', min: 1 }, 'Depthwise output channels per input channel.', { default: num(1) }),
    activationArg(),
    useBiasArg,
    ...kernelExtras(['depthwise', 'pointwise', 'bias']),
    ...baseArgs,
  ],
  infer({ args, inputs }) {
    const input = inputs[0] ?? [];
    const filters = args.int('filters');
    const kernel = args.ints('kernel_size');
    const multiplier = args.int('depth_multiplier');
    const channels = lastAxis(input, 'SeparableConv2D');
    const strides = args.ints('strides');
    const dilation = args.ints('dilation_rate');
    checkStridesWithDilation('SeparableConv2D', strides, dilation);
    const out = slide('SeparableConv2D', input, kernel, strides, dilation, args.text('padding'), 'kernel');
    const useBias = args.bool('use_bias');
    const weights: WeightSpec[] = [weight('depthwise_kernel', [...kernel, channels, multiplier]), weight('pointwise_kernel', [1, 1, channels * multiplier, filters])];
    if (useBias) weights.push(weight('bias', [filters]));
    const depthwiseMacs = mul(...out, product(kernel), channels, multiplier);
    const pointwiseMacs = mul(...out, channels * multiplier, filters);
    return {
      output: [...out, filters],
      weights,
      macs: depthwiseMacs === null || pointwiseMacs === null ? null : depthwiseMacs + pointwiseMacs,
      formula: `${dot([...kernel, channels, multiplier])} + ${dot([channels, multiplier, filters])}${useBias ? ` + ${filters}` : ''}`,
      window: { kernel, strides, dilation },
    };
  },
  build(tf, { args, name }) {
    return tfLayer(tf, 'separableConv2d', {
      ...tfBase(args, name),
      filters: args.int('filters'),
      kernelSize: args.ints('kernel_size'),
      strides: args.ints('strides'),
      padding: args.text('padding'),
      depthMultiplier: args.int('depth_multiplier'),
      dilationRate: args.ints('dilation_rate'),
      activation: tfActivation(args.optionalText('activation')),
      useBias: args.bool('use_bias'),
    });
  },
};

export const convolutionLayers: readonly LayerSpec[] = [conv(1), conv(2), conv(3), convTranspose(1), convTranspose(2), convTranspose(3), depthwise, separable];
