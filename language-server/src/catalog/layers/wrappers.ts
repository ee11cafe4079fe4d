import { arg, baseArgs, mul, none, required, sym, tfBase, tfLayer } from '../common.js';
import { recurrentLayerNames } from './recurrent.js';
import { LayerError, type LayerSpec, type WeightSpec } from '../types.js';

const bidirectional: LayerSpec = {
  name: 'Bidirectional',
  family: 'wrapper',
  wrapper: true,
  doc: 'Runs a recurrent layer forwards and a copy backwards over the sequence and merges both outputs (`merge_mode`): twice the parameters of the wrapped layer.',
  inputRank: { min: 2, max: 2, describe: '(timesteps, features)' },
  args: [
    required('layer', { kind: 'layer' }, 'The recurrent layer to run both ways, e.g. `LSTM(64, return_sequences=true)`.'),
    arg('merge_mode', { kind: 'enum', values: ['concat', 'sum', 'mul', 'ave'] }, 'How the two directions combine; `concat` doubles the output width.', { default: sym('concat') }),
    arg('weights', { kind: 'object' }, 'Initial weights.', { default: none, nullable: true }),
    arg('backward_layer', { kind: 'layer' }, 'A separate layer for the backward direction.', { default: none, nullable: true }),
    ...baseArgs,
  ],
  infer({ args, inputs, inner }) {
    const input = inputs[0] ?? [];
    if (!inner) throw new LayerError('Bidirectional needs a recurrent layer as its first argument, e.g. `Bidirectional(LSTM(64))`', 'layer');
    if (!recurrentLayerNames.includes(inner.type)) throw new LayerError(`Bidirectional wraps a recurrent layer (SimpleRNN, LSTM, GRU), not ${inner.type}`, 'layer');
    if (args.given('backward_layer')) throw new LayerError('Bidirectional: a separate backward_layer is not supported by Layerlab; leave it out', 'backward_layer');
    const forward = inner.infer(input);
    const mode = args.text('merge_mode');
    const last = forward.output[forward.output.length - 1] ?? null;
    const output = mode === 'concat' ? [...forward.output.slice(0, -1), last === null ? null : last * 2] : forward.output;
    // Keras's Bidirectional.compute_output_shape with return_state: the merged output, the forward states, the backward states.
    const states = forward.outputs?.slice(1);
    const weights: WeightSpec[] = [
      ...forward.weights.map((w) => ({ ...w, name: `forward_${w.name}` })),
      ...forward.weights.map((w) => ({ ...w, name: `backward_${w.name}` })),
    ];
    return {
      output,
      ...(states ? { outputs: [output, ...states, ...states] } : {}),
      weights,
      macs: forward.macs === null ? null : forward.macs * 2,
      formula: forward.formula ? `2·${forward.formula}` : undefined,
    };
  },
  states(_args, inner) {
    const states = inner?.states ?? [];
    return [...states.map((s) => ({ ...s, name: `forward_${s.name}` })), ...states.map((s) => ({ ...s, name: `backward_${s.name}` }))];
  },
  build(tf, { args, name, inner, inputShapes }) {
    if (!inner) throw new LayerError('Bidirectional needs a layer');
    return tfLayer(tf, 'bidirectional', { ...tfBase(args, name), layer: inner.build(tf, `${name}_inner`, inputShapes[0] ?? []), mergeMode: args.text('merge_mode') });
  },
};

const timeDistributed: LayerSpec = {
  name: 'TimeDistributed',
  family: 'wrapper',
  wrapper: true,
  doc: 'Applies the same layer (with shared weights) to every step of a sequence: (steps, ...) → (steps, ...layer output).',
  inputRank: { min: 2, describe: '(timesteps, ...)' },
  args: [required('layer', { kind: 'layer' }, 'The layer applied at every step, e.g. `Dense(8)`.'), ...baseArgs],
  infer({ inputs, inner }) {
    const input = inputs[0] ?? [];
    if (!inner) throw new LayerError('TimeDistributed needs a layer as its first argument, e.g. `TimeDistributed(Dense(8))`', 'layer');
    const steps = input[0] ?? null;
    const step = inner.infer(input.slice(1));
    return { output: [steps, ...step.output], weights: step.weights, macs: step.macs === null ? null : mul(steps, step.macs), formula: step.formula };
  },
  build(tf, { args, name, inner, inputShapes }) {
    if (!inner) throw new LayerError('TimeDistributed needs a layer');
    return tfLayer(tf, 'timeDistributed', { ...tfBase(args, name), layer: inner.build(tf, `${name}_inner`, (inputShapes[0] ?? []).slice(1)) });
  },
};

export const wrapperLayers: readonly LayerSpec[] = [bidirectional, timeDistributed];
