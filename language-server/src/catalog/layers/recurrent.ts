import { activationArg, arg, baseArgs, bool, kernelExtras, lastAxis, mul, num, required, sym, tfActivation, tfBase, tfLayer, weight } from '../common.js';
import { LayerError, type ArgSpec, type LayerArgs, type LayerSpec, type StateSpec, type WeightSpec } from '../types.js';

type Cell = 'SimpleRNN' | 'LSTM' | 'GRU';

const gates: Record<Cell, number> = { SimpleRNN: 1, LSTM: 4, GRU: 3 };

const docs: Record<Cell, string> = {
  SimpleRNN: 'Fully connected recurrent layer: the output of each step feeds back into the next. Struggles with long dependencies; LSTM and GRU do better.',
  LSTM: 'Long short-term memory: a recurrent layer with input, forget and output gates and a cell state, which carries information over long sequences. Parameters: 4·((features + units + 1)·units).',
  GRU: 'Gated recurrent unit: a recurrent layer with reset and update gates, lighter than LSTM. Keras 3 uses `reset_after=True` (two bias vectors, as cuDNN).',
};

function recurrentArgs(cell: Cell): ArgSpec[] {
  const result: ArgSpec[] = [required('units', { kind: 'int', min: 1 }, 'Size of the output and of the hidden state.'), activationArg(sym('tanh'))];
  if (cell !== 'SimpleRNN') result.push(arg('recurrent_activation', { kind: 'activation' }, 'Activation of the gates.', { default: sym('sigmoid') }));
  result.push(arg('use_bias', { kind: 'bool' }, 'Whether the layer uses bias vectors.', { default: bool(true) }));
  // Keras order: the three initializers, then (LSTM only) unit_forget_bias, then regularizers and constraints.
  const extras = kernelExtras(['kernel', 'recurrent', 'bias']);
  result.push(...extras.slice(0, 3));
  if (cell === 'LSTM') result.push(arg('unit_forget_bias', { kind: 'bool' }, 'Initialise the forget gate bias to 1.', { default: bool(true) }));
  result.push(...extras.slice(3));
  const seed = arg('seed', { kind: 'int', min: 0 }, 'Random seed for dropout.', { default: { kind: 'none' }, nullable: true });
  result.push(
    arg('dropout', { kind: 'float', min: 0, max: 1, maxExclusive: true }, 'Dropout on the inputs.', { default: num(0) }),
    arg('recurrent_dropout', { kind: 'float', min: 0, max: 1, maxExclusive: true }, 'Dropout on the recurrent state.', { default: num(0) }),
  );
  // SimpleRNN takes `seed` last; LSTM and GRU right after the dropouts.
  if (cell !== 'SimpleRNN') result.push(seed);
  result.push(
    arg('return_sequences', { kind: 'bool' }, 'Output every step (steps, units) instead of only the last (units,). Needed before another recurrent layer.', { default: bool(false) }),
    arg('return_state', { kind: 'bool' }, `Also return the final state${cell === 'LSTM' ? 's h and c' : ' h'}, each (units,), after the output: label them, \`${cell === 'LSTM' ? 'seq, h, c' : 'seq, h'} = ${cell}(…, return_state=true)\`.`, { default: bool(false) }),
    arg('go_backwards', { kind: 'bool' }, 'Process the sequence in reverse.', { default: bool(false) }),
    arg('stateful', { kind: 'bool' }, 'Carry state across batches.', { default: bool(false) }),
    arg('unroll', { kind: 'bool' }, 'Unroll the loop (faster for short sequences, more memory).', { default: bool(false) }),
  );
  if (cell === 'SimpleRNN') result.push(seed);
  if (cell === 'GRU') result.push(arg('reset_after', { kind: 'bool' }, 'Apply the reset gate after the matrix multiplication (Keras 3 and cuDNN default).', { default: bool(true) }));
  // Keras accepts use_cudnn="auto", True or False (LSTM and GRU only); no ArgType expresses that union, so it is taken as written.
  if (cell !== 'SimpleRNN') result.push(arg('use_cudnn', { kind: 'object' }, 'Use cuDNN kernels where available: `auto`, `true` or `false`.', { default: sym('auto') }));
  result.push(...baseArgs);
  return result;
}

/** Keras's `state_size`: LSTM carries h and c, GRU and SimpleRNN h, each of `units`. */
function cellStates(cell: Cell, args: LayerArgs): StateSpec[] {
  const shape = [args.int('units')];
  return cell === 'LSTM' ? [{ name: 'h', shape }, { name: 'c', shape }] : [{ name: 'h', shape }];
}

function recurrent(cell: Cell): LayerSpec {
  return {
    name: cell,
    family: 'recurrent',
    doc: docs[cell],
    inputRank: { min: 2, max: 2, describe: '(timesteps, features)' },
    args: recurrentArgs(cell),
    states: (args) => cellStates(cell, args),
    infer({ args, inputs }) {
      const input = inputs[0] ?? [];
      const units = args.int('units');
      const features = lastAxis(input, cell);
      const g = gates[cell];
      const width = g * units;
      const weights: WeightSpec[] = [weight('kernel', [features, width]), weight('recurrent_kernel', [units, width])];
      const resetAfter = cell === 'GRU' && args.bool('reset_after');
      if (args.bool('use_bias')) weights.push(weight('bias', resetAfter ? [2, width] : [width]));
      const steps = input[0] ?? null;
      const gateFactor = g === 1 ? '' : `${g}·`;
      const biasTerm = args.bool('use_bias') ? (resetAfter ? ' + 2' : ' + 1') : '';
      const output = args.bool('return_sequences') ? [steps, units] : [units];
      return {
        output,
        // Keras's RNN.compute_output_shape: the output, then one (batch, units) per state.
        ...(args.bool('return_state') ? { outputs: [output, ...cellStates(cell, args).map((s) => s.shape)] } : {}),
        weights,
        macs: mul(steps, width, features + units),
        formula: `${gateFactor}(${features} + ${units}${biasTerm})·${units}`,
      };
    },
    build(tf, { args, name }) {
      if (cell === 'GRU' && args.bool('reset_after')) {
        throw new LayerError('GRU with reset_after=true (the Keras 3 default) is not available in TensorFlow.js; pass reset_after=false to train it here');
      }
      const config: Record<string, unknown> = {
        ...tfBase(args, name),
        units: args.int('units'),
        activation: tfActivation(args.optionalText('activation')),
        useBias: args.bool('use_bias'),
        dropout: args.float('dropout'),
        recurrentDropout: args.float('recurrent_dropout'),
        returnSequences: args.bool('return_sequences'),
        returnState: args.bool('return_state'),
        goBackwards: args.bool('go_backwards'),
        stateful: args.bool('stateful'),
        unroll: args.bool('unroll'),
      };
      if (cell !== 'SimpleRNN') config['recurrentActivation'] = tfActivation(args.optionalText('recurrent_activation'));
      if (cell === 'LSTM') config['unitForgetBias'] = args.bool('unit_forget_bias');
      if (cell === 'GRU') config['resetAfter'] = false;
      return tfLayer(tf, cell === 'SimpleRNN' ? 'simpleRNN' : cell === 'LSTM' ? 'lstm' : 'gru', config);
    },
  };
}

export const recurrentLayerNames: readonly string[] = ['SimpleRNN', 'LSTM', 'GRU'];
export const recurrentLayers: readonly LayerSpec[] = [recurrent('SimpleRNN'), recurrent('LSTM'), recurrent('GRU')];
