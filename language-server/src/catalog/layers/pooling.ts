import { arg, baseArgs, bool, dataFormatArg, lastAxis, none, paddingArg, slide, tfBase, tfLayer, tuple } from '../common.js';
import type { LayerSpec } from '../types.js';

const spatialNames = ['', 'steps', 'height, width', 'depth, height, width'];

function pool(kind: 'Max' | 'Average', dims: 1 | 2 | 3): LayerSpec {
  const name = `${kind}Pooling${dims}D`;
  const twos = new Array<number>(dims).fill(2);
  return {
    name,
    family: 'pooling',
    doc: `${kind === 'Max' ? 'Max' : 'Average'} pooling over the ${spatialNames[dims]}: takes the ${kind === 'Max' ? 'largest' : 'mean'} value in each \`pool_size\` window, stepping by \`strides\` (by default the pool size). Sizes round down.`,
    inputRank: { min: dims + 1, max: dims + 1, describe: `(${spatialNames[dims]}, channels)` },
    args: [
      arg('pool_size', { kind: 'ints', length: dims, min: 1 }, `Window size: an int or a ${dims}-tuple.`, { default: dims === 1 ? { kind: 'number', value: 2 } : tuple(...twos) }),
      arg('strides', { kind: 'ints', length: dims, min: 1 }, 'Step of the window; `None` means the pool size.', { default: none, nullable: true }),
      paddingArg(),
      dataFormatArg,
      ...baseArgs,
    ],
    infer({ args, inputs }) {
      const input = inputs[0] ?? [];
      const poolSize = args.ints('pool_size');
      const strides = args.optionalInts('strides') ?? poolSize;
      const channels = lastAxis(input, name);
      const out = slide(name, input, poolSize, strides, poolSize.map(() => 1), args.text('padding'), 'pool size');
      return { output: [...out, channels], weights: [], macs: 0, window: { kernel: poolSize, strides, dilation: poolSize.map(() => 1) } };
    },
    build(tf, { args, name: layerName }) {
      const poolSize = args.ints('pool_size');
      const strides = args.optionalInts('strides') ?? poolSize;
      const factory = `${kind === 'Max' ? 'maxPooling' : 'averagePooling'}${dims}d`;
      return tfLayer(tf, factory, {
        ...tfBase(args, layerName),
        poolSize: dims === 1 ? poolSize[0] : poolSize,
        strides: dims === 1 ? strides[0] : strides,
        padding: args.text('padding'),
      });
    },
  };
}

function globalPool(kind: 'Max' | 'Average', dims: 1 | 2 | 3): LayerSpec {
  const name = `Global${kind}Pooling${dims}D`;
  return {
    name,
    family: 'pooling',
    doc: `Global ${kind === 'Max' ? 'max' : 'average'} pooling: reduces the ${spatialNames[dims]} to one value per channel. With \`keepdims=true\` the reduced axes stay with length 1.`,
    inputRank: { min: dims + 1, max: dims + 1, describe: `(${spatialNames[dims]}, channels)` },
    args: [dataFormatArg, arg('keepdims', { kind: 'bool' }, 'Keep the pooled axes with length 1.', { default: bool(false) }), ...baseArgs],
    infer({ args, inputs }) {
      const input = inputs[0] ?? [];
      const channels = lastAxis(input, name);
      const output = args.bool('keepdims') ? [...new Array<number>(dims).fill(1), channels] : [channels];
      return { output, weights: [], macs: 0 };
    },
    ...(dims === 3
      ? { buildUnavailable: `TensorFlow.js has no ${name} layer` }
      : {
          build(tf, { args, name: layerName, inputShapes }) {
            const pooled = tfLayer(tf, `global${kind === 'Max' ? 'Max' : 'Average'}Pooling${dims}d`, tfBase(args, layerName));
            if (!args.bool('keepdims')) return pooled;
            // TensorFlow.js pools without keepdims; the reshape puts back the pooled axes, as ones.
            const input = inputShapes[0] ?? [];
            return [pooled, tfLayer(tf, 'reshape', { name: `${layerName}_keepdims`, targetShape: [...new Array<number>(dims).fill(1), input[input.length - 1] ?? -1] })];
          },
        }),
  };
}

export const poolingLayers: readonly LayerSpec[] = [
  pool('Max', 1),
  pool('Max', 2),
  pool('Max', 3),
  pool('Average', 1),
  pool('Average', 2),
  pool('Average', 3),
  globalPool('Max', 1),
  globalPool('Max', 2),
  globalPool('Max', 3),
  globalPool('Average', 1),
  globalPool('Average', 2),
  globalPool('Average', 3),
];
