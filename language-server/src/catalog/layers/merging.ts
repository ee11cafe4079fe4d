import { arg, baseArgs, formatShape, num, resolveAxis, tfBase, tfLayer } from '../common.js';
import { LayerError, type LayerSpec, type Shape } from '../types.js';

/** Keras `Merge._compute_elemwise_op_output_shape`: equal axes, or 1 broadcasting against any length. */
function broadcast(a: Shape, b: Shape, layer: string): (number | null)[] {
  if (a.length < b.length) return broadcast(b, a, layer);
  const out: (number | null)[] = [...a.slice(0, a.length - b.length)];
  const tail = a.slice(a.length - b.length);
  tail.forEach((i, k) => {
    const j = b[k] ?? null;
    if (i === null || j === null) out.push(null);
    else if (i === 1) out.push(j);
    else if (j === 1) out.push(i);
    else if (i !== j) throw new LayerError(`${layer}: the inputs have incompatible shapes ${formatShape(a)} and ${formatShape(b)}; every axis must match (or be 1)`);
    else out.push(i);
  });
  return out;
}

function elementwise(name: string, doc: string, factory: string | undefined, maxInputs?: number): LayerSpec {
  return {
    name,
    family: 'merging',
    doc: `${doc} Takes the current tensor and the labelled tensors named as arguments, e.g. \`${name}(skip)\`.`,
    merge: { minInputs: 2, ...(maxInputs ? { maxInputs } : {}) },
    args: [...baseArgs],
    infer({ inputs }) {
      const [first, ...rest] = inputs;
      let output: Shape = first ?? [];
      for (const shape of rest) output = broadcast(output, shape, name);
      return { output, weights: [], macs: 0, keepsReceptiveField: true };
    },
    ...(factory ? { build: (tf, { args, name: layerName }) => tfLayer(tf, factory, tfBase(args, layerName)) } : { buildUnavailable: `TensorFlow.js has no ${name} layer` }),
  } satisfies LayerSpec;
}

const concatenate: LayerSpec = {
  name: 'Concatenate',
  family: 'merging',
  doc: 'Joins the current tensor and the named labelled tensors along `axis` (by default the channels/features); every other axis must match.',
  merge: { minInputs: 2 },
  args: [arg('axis', { kind: 'int' }, 'The axis to join along.', { default: num(-1) }), ...baseArgs],
  infer({ args, inputs }) {
    const first = inputs[0] ?? [];
    const axis = resolveAxis(args.int('axis'), first.length, 'Concatenate');
    const output: (number | null)[] = [...first];
    for (const shape of inputs.slice(1)) {
      if (shape.length !== first.length) {
        throw new LayerError(`Concatenate: the inputs have different ranks, ${formatShape(first)} and ${formatShape(shape)}`);
      }
      shape.forEach((d, i) => {
        if (i === axis) {
          const current = output[i] ?? null;
          output[i] = current === null || d === null ? null : current + d;
        } else if (d !== null && first[i] !== null && d !== first[i]) {
          throw new LayerError(`Concatenate along axis ${args.int('axis')}: the inputs ${formatShape(first)} and ${formatShape(shape)} differ on axis ${i + 1}; all axes but the joined one must match`);
        }
      });
    }
    return { output, weights: [], macs: 0, keepsReceptiveField: true };
  },
  build: (tf, { args, name }) => tfLayer(tf, 'concatenate', { ...tfBase(args, name), axis: args.int('axis') }),
};

export const mergingLayers: readonly LayerSpec[] = [
  elementwise('Add', 'Adds its inputs elementwise (residual connections).', 'add'),
  elementwise('Subtract', 'Subtracts the named tensor from the current one, elementwise. Takes exactly two inputs.', undefined, 2),
  elementwise('Multiply', 'Multiplies its inputs elementwise (gating).', 'multiply'),
  elementwise('Average', 'Averages its inputs elementwise.', 'average'),
  elementwise('Maximum', 'Takes the elementwise maximum of its inputs.', 'maximum'),
  elementwise('Minimum', 'Takes the elementwise minimum of its inputs.', 'minimum'),
  concatenate,
];
