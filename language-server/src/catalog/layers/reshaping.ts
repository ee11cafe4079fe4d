import { arg, baseArgs, dataFormatArg, formatShape, knownSize, num, required, sym, tfBase, tfLayer, tuple } from '../common.js';
import { LayerError, type LayerSpec, type Shape } from '../types.js';

const flatten: LayerSpec = {
  name: 'Flatten',
  family: 'reshaping',
  doc: 'Flattens every axis but the batch into one, e.g. (7, 7, 64) → (3136,). Parameters of the next Dense layer grow with this size.',
  args: [dataFormatArg, ...baseArgs],
  infer({ inputs }) {
    const input = inputs[0] ?? [];
    return { output: [knownSize(input) ?? null], weights: [], macs: 0 };
  },
  build(tf, { args, name, inputShapes }) {
    const input = inputShapes[0] ?? [];
    if (input.some((d) => d === null)) throw new LayerError('Flatten of an input with an unknown axis is not available in TensorFlow.js');
    // TensorFlow.js refuses to flatten what is already flat; Keras passes it through.
    if (input.length === 1) return tfLayer(tf, 'reshape', { ...tfBase(args, name), targetShape: [...input] });
    return tfLayer(tf, 'flatten', tfBase(args, name));
  },
};

const reshape: LayerSpec = {
  name: 'Reshape',
  family: 'reshaping',
  doc: 'Reshapes to `target_shape` (batch axis excluded); one axis may be -1 to take what is left. The number of elements must not change.',
  args: [required('target_shape', { kind: 'intList', allowMinusOne: true }, 'The new shape, e.g. `(7, 7, 64)` or `(-1, 8)`.'), ...baseArgs],
  infer({ args, inputs }) {
    const input = inputs[0] ?? [];
    const target = args.intList('target_shape');
    const unknownCount = target.filter((d) => d === -1).length;
    if (unknownCount > 1) throw new LayerError('Reshape: at most one axis of target_shape may be -1', 'target_shape');
    const inputSize = knownSize(input);
    const fixed = target.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    if (unknownCount === 1) {
      if (inputSize === undefined) return { output: target.map((d) => (d === -1 ? null : d)), weights: [], macs: 0 };
      if (fixed === 0 || inputSize % fixed !== 0) {
        throw new LayerError(`Reshape: cannot reshape ${formatShape(input)} (${inputSize} elements) to ${formatShape(target)}: ${inputSize} does not divide by ${fixed}`, 'target_shape');
      }
      return { output: target.map((d) => (d === -1 ? inputSize / fixed : d)), weights: [], macs: 0 };
    }
    if (inputSize !== undefined && inputSize !== fixed) {
      throw new LayerError(`Reshape: cannot reshape ${formatShape(input)} (${inputSize} elements) to ${formatShape(target)} (${fixed} elements)`, 'target_shape');
    }
    return { output: target, weights: [], macs: 0 };
  },
  build(tf, { args, name, inputShapes }) {
    // TensorFlow.js leaves a -1 unresolved in the shapes it infers (its batch axis counts as
    // unknown), which breaks the next Flatten; the -1 is resolved here from the input.
    const target = args.intList('target_shape');
    const inputSize = knownSize(inputShapes[0] ?? []);
    const fixed = target.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    const resolved = inputSize !== undefined && fixed > 0 ? target.map((d) => (d === -1 ? inputSize / fixed : d)) : target;
    return tfLayer(tf, 'reshape', { ...tfBase(args, name), targetShape: resolved });
  },
};

const permute: LayerSpec = {
  name: 'Permute',
  family: 'reshaping',
  doc: 'Reorders the axes: `dims` is a permutation of 1…rank (batch excluded), e.g. `Permute((2, 1))` swaps steps and features.',
  args: [required('dims', { kind: 'intList' }, 'The new order of the axes, 1-based.'), ...baseArgs],
  infer({ args, inputs }) {
    const input = inputs[0] ?? [];
    const dims = args.intList('dims');
    const sorted = [...dims].sort((a, b) => a - b);
    if (dims.length !== input.length || sorted.some((d, i) => d !== i + 1)) {
      throw new LayerError(`Permute: dims ${formatShape(dims)} must be a permutation of 1…${input.length} for an input of rank ${input.length}`, 'dims');
    }
    return { output: dims.map((d) => input[d - 1] ?? null), weights: [], macs: 0 };
  },
  build: (tf, { args, name }) => tfLayer(tf, 'permute', { ...tfBase(args, name), dims: args.intList('dims') }),
};

const repeatVector: LayerSpec = {
  name: 'RepeatVector',
  family: 'reshaping',
  doc: 'Repeats a vector `n` times: (features,) → (n, features). Used to feed a decoder RNN.',
  inputRank: { min: 1, max: 1, describe: '(features,)' },
  args: [required('n', { kind: 'int', min: 1 }, 'Number of repetitions.'), ...baseArgs],
  infer: ({ args, inputs }) => ({ output: [args.int('n'), ...(inputs[0] ?? [])], weights: [], macs: 0 }),
  build: (tf, { args, name }) => tfLayer(tf, 'repeatVector', { ...tfBase(args, name), n: args.int('n') }),
};

function padded(shape: Shape, amounts: readonly [number, number][], sign: 1 | -1, layer: string, argName: string): (number | null)[] {
  const out: (number | null)[] = [...shape];
  amounts.forEach(([before, after], axis) => {
    const n = shape[axis] ?? null;
    if (n === null) return;
    const size = n + sign * (before + after);
    if (size <= 0) throw new LayerError(`${layer}: cropping ${before + after} from an axis of length ${n} leaves nothing; crop less`, argName);
    out[axis] = size;
  });
  return out;
}

function zeroPadding(dims: 1 | 2): LayerSpec {
  const name = `ZeroPadding${dims}D`;
  return {
    name,
    family: 'reshaping',
    doc: `Adds rows of zeros around the ${dims === 1 ? 'sequence' : 'image'}: \`padding\` is an int, ${dims === 1 ? '(start, end)' : '(rows, columns) or ((top, bottom), (left, right))'}.`,
    inputRank: { min: dims + 1, max: dims + 1, describe: dims === 1 ? '(steps, channels)' : '(height, width, channels)' },
    args: [arg('padding', { kind: 'padding', axes: dims }, 'Zeros to add per side.', { default: num(1) }), ...(dims === 2 ? [dataFormatArg] : []), ...baseArgs],
    infer({ args, inputs }) {
      const input = inputs[0] ?? [];
      const amounts = args.padding('padding');
      return { output: padded(input, amounts, 1, name, 'padding'), weights: [], macs: 0, keepsReceptiveField: true };
    },
    ...(dims === 2
      ? { build: (tf, { args, name: layerName }) => tfLayer(tf, 'zeroPadding2d', { ...tfBase(args, layerName), padding: args.padding('padding') }) }
      : { buildUnavailable: 'TensorFlow.js has no ZeroPadding1D layer' }),
  } satisfies LayerSpec;
}

function cropping(dims: 1 | 2): LayerSpec {
  const name = `Cropping${dims}D`;
  return {
    name,
    family: 'reshaping',
    doc: `Removes rows from the edges of the ${dims === 1 ? 'sequence' : 'image'}: \`cropping\` is an int, ${dims === 1 ? '(start, end)' : '(rows, columns) or ((top, bottom), (left, right))'}.`,
    inputRank: { min: dims + 1, max: dims + 1, describe: dims === 1 ? '(steps, channels)' : '(height, width, channels)' },
    args: [
      arg('cropping', { kind: 'padding', axes: dims }, 'Rows to remove per side.', { default: dims === 1 ? tuple(1, 1) : { kind: 'tuple', items: [tuple(0, 0), tuple(0, 0)] } }),
      ...(dims === 2 ? [dataFormatArg] : []),
      ...baseArgs,
    ],
    infer({ args, inputs }) {
      const input = inputs[0] ?? [];
      return { output: padded(input, args.padding('cropping'), -1, name, 'cropping'), weights: [], macs: 0, keepsReceptiveField: true };
    },
    ...(dims === 2
      ? { build: (tf, { args, name: layerName }) => tfLayer(tf, 'cropping2D', { ...tfBase(args, layerName), cropping: args.padding('cropping') }) }
      : { buildUnavailable: 'TensorFlow.js has no Cropping1D layer' }),
  } satisfies LayerSpec;
}

function upSampling(dims: 1 | 2): LayerSpec {
  const name = `UpSampling${dims}D`;
  return {
    name,
    family: 'reshaping',
    doc: `Repeats each ${dims === 1 ? 'step' : 'row and column'} \`size\` times, enlarging the ${dims === 1 ? 'sequence' : 'image'} without parameters.`,
    inputRank: { min: dims + 1, max: dims + 1, describe: dims === 1 ? '(steps, channels)' : '(height, width, channels)' },
    args: [
      arg('size', { kind: 'ints', length: dims, min: 1 }, 'Upsampling factor' + (dims === 2 ? ' per axis.' : '.'), { default: dims === 1 ? num(2) : tuple(2, 2) }),
      ...(dims === 2 ? [dataFormatArg, arg('interpolation', { kind: 'enum', values: ['nearest', 'bilinear', 'bicubic', 'lanczos3', 'lanczos5', 'area'] }, 'How new pixels are filled.', { default: sym('nearest') })] : []),
      ...baseArgs,
    ],
    infer({ args, inputs }) {
      const input = inputs[0] ?? [];
      const size = args.ints('size');
      return { output: input.map((d, i) => (i < dims && d !== null ? d * (size[i] ?? 1) : d)), weights: [], macs: 0 };
    },
    ...(dims === 2
      ? {
          build: (tf, { args, name: layerName }) => {
            const interpolation = args.text('interpolation');
            if (interpolation !== 'nearest' && interpolation !== 'bilinear') throw new LayerError(`UpSampling2D with interpolation=${interpolation} is not available in TensorFlow.js`);
            return tfLayer(tf, 'upSampling2d', { ...tfBase(args, layerName), size: args.ints('size'), interpolation });
          },
        }
      : { buildUnavailable: 'TensorFlow.js has no UpSampling1D layer' }),
  } satisfies LayerSpec;
}

export const reshapingLayers: readonly LayerSpec[] = [flatten, reshape, permute, repeatVector, zeroPadding(1), zeroPadding(2), cropping(1), cropping(2), upSampling(1), upSampling(2)];

