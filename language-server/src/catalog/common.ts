import type { Value } from './values.js';
import { LayerError, type ArgSpec, type ArgType, type LayerArgs, type Shape, type WeightSpec } from './types.js';

export const num = (value: number): Value => ({ kind: 'number', value });
export const sym = (name: string): Value => ({ kind: 'symbol', name });
export const bool = (value: boolean): Value => ({ kind: 'bool', value });
export const none: Value = { kind: 'none' };
export const tuple = (...items: number[]): Value => ({ kind: 'tuple', items: items.map(num) });

export const activations = [
  'linear',
  'relu',
  'relu6',
  'leaky_relu',
  'elu',
  'selu',
  'gelu',
  'sigmoid',
  'hard_sigmoid',
  'softmax',
  'log_softmax',
  'softplus',
  'softsign',
  'swish',
  'silu',
  'hard_silu',
  'hard_swish',
  'mish',
  'tanh',
  'exponential',
] as const;

export function arg(name: string, type: ArgType, doc: string, options: Omit<ArgSpec, 'name' | 'type' | 'doc'> = {}): ArgSpec {
  return { name, type, doc, ...options };
}

export function required(name: string, type: ArgType, doc: string): ArgSpec {
  return { name, type, doc, required: true };
}

const objectArg = (name: string, doc: string, fallback: Value = none): ArgSpec => arg(name, { kind: 'object' }, doc, { default: fallback, nullable: true });

export const activationArg = (fallback: Value = none): ArgSpec =>
  arg('activation', { kind: 'activation' }, 'Activation applied to the output: a name such as `relu` or `softmax`; `None` keeps it linear.', {
    default: fallback,
    nullable: true,
  });

export const useBiasArg = arg('use_bias', { kind: 'bool' }, 'Whether the layer adds a learned bias vector.', { default: bool(true) });

export function kernelExtras(prefixes: readonly string[] = ['kernel', 'bias']): ArgSpec[] {
  const result: ArgSpec[] = [];
  for (const prefix of prefixes) {
    result.push(objectArg(`${prefix}_initializer`, `Initializer for the \`${prefix}\` weights.`, sym(prefix === 'bias' ? 'zeros' : prefix === 'recurrent' ? 'orthogonal' : 'glorot_uniform')));
  }
  for (const prefix of prefixes) result.push(objectArg(`${prefix}_regularizer`, `Regularizer for the \`${prefix}\` weights.`));
  result.push(objectArg('activity_regularizer', 'Regularizer for the layer output.'));
  for (const prefix of prefixes) result.push(objectArg(`${prefix}_constraint`, `Constraint for the \`${prefix}\` weights.`));
  return result;
}

export const dataFormatArg = arg('data_format', { kind: 'enum', values: ['channels_last'] }, 'Axis order; Layerlab uses `channels_last` (height, width, channels) as Keras does by default.', {
  default: none,
  nullable: true,
});

export const paddingArg = (values: readonly string[] = ['valid', 'same']): ArgSpec =>
  arg('padding', { kind: 'enum', values }, '`valid` uses no padding and shrinks the output; `same` pads so that with stride 1 the output keeps the input size' + (values.includes('causal') ? '; `causal` pads only the start (for sequences).' : '.'), {
    default: sym('valid'),
  });

/** Arguments every Keras layer accepts. */
export const baseArgs: readonly ArgSpec[] = [
  arg('name', { kind: 'string' }, 'Name of the layer in the summary (a label also names it).', { default: none, nullable: true }),
  arg('trainable', { kind: 'bool' }, 'Whether the weights are updated in training; `false` makes them all non-trainable.', { default: bool(true) }),
  arg('dtype', { kind: 'string' }, 'Data type of the weights and computation, e.g. `float32`.', { default: none, nullable: true }),
];

// Indexed loops in these per-layer helpers: `for...of` over arrays of several element kinds (as layers build them)
// is not optimised into a plain loop and allocates an iterator result per element.

export function product(values: readonly number[]): number {
  let result = 1;
  for (let i = 0; i < values.length; i++) result *= values[i] ?? 1;
  return result;
}

/** Elements of a shape, or undefined when an axis is unknown. */
export function knownSize(shape: Shape): number | undefined {
  let result = 1;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (d === null || d === undefined) return undefined;
    result *= d;
  }
  return result;
}

export function weight(name: string, shape: readonly number[], trainable = true): WeightSpec {
  return { name, shape, trainable };
}

export function formatShape(shape: Shape): string {
  return `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')}${shape.length === 1 ? ',' : ''})`;
}

export function lastAxis(shape: Shape, layer: string): number {
  const last = shape[shape.length - 1];
  if (last === undefined) throw new LayerError(`${layer} needs an input with at least one axis`);
  if (last === null) throw new LayerError(`${layer} needs the last axis of its input to be known, but the input is ${formatShape(shape)}`);
  return last;
}

/** Normalises a possibly negative axis for a shape of `rank` axes (batch axis excluded, Keras counts it as 0). */
export function resolveAxis(axis: number, rank: number, layer: string, argName = 'axis'): number {
  // Keras axes count the batch axis: axis 1 is the first axis of our shapes.
  const full = rank + 1;
  const resolved = axis < 0 ? axis + full : axis;
  if (resolved < 1 || resolved >= full) {
    throw new LayerError(`${layer}: ${argName}=${axis} is out of range for an input of rank ${rank} (plus the batch axis); use an axis from 1 to ${rank} or -1`, argName);
  }
  return resolved - 1;
}

/** Keras `compute_conv_output_shape` for one axis. */
export function convOutputLength(length: number | null, kernel: number, padding: string, stride: number, dilation: number): number | null {
  if (length === null) return null;
  if (padding === 'same' || padding === 'causal') return Math.floor((length - 1) / stride) + 1;
  return Math.floor((length - dilation * (kernel - 1) - 1) / stride) + 1;
}

/** Keras `compute_conv_transpose_output_length` for one axis. */
export function deconvOutputLength(length: number | null, kernel: number, padding: string, stride: number, dilation: number, outputPadding: number | undefined): number | null {
  if (length === null) return null;
  const k = kernel + (kernel - 1) * (dilation - 1);
  if (outputPadding === undefined) {
    if (padding === 'valid') return length * stride + Math.max(k - stride, 0);
    return length * stride;
  }
  const pad = padding === 'same' ? Math.floor(k / 2) : 0;
  return (length - 1) * stride + k - 2 * pad + outputPadding;
}

export function times(values: readonly (number | null)[]): string {
  return values.map((v) => (v === null ? '?' : String(v))).join('×');
}

/** Spatial sizes of a channels-last input: all axes but the last. */
export function spatial(shape: Shape): (number | null)[] {
  return shape.slice(0, -1);
}

/**
 * Output lengths of a sliding window over the spatial axes, with the error Keras
 * would raise (late, at build time) when the window no longer fits.
 */
export function slide(
  layer: string,
  input: Shape,
  kernel: readonly number[],
  strides: readonly number[],
  dilation: readonly number[],
  padding: string,
  what: 'kernel' | 'pool size',
): (number | null)[] {
  // Runs for every convolution and pooling layer: one exact-size array, no closures.
  const out = new Array<number | null>(Math.max(0, input.length - 1));
  let empty = false;
  for (let i = 0; i < out.length; i++) {
    const length = convOutputLength(input[i] ?? null, kernel[i] ?? 1, padding, strides[i] ?? 1, dilation[i] ?? 1);
    out[i] = length;
    if (length !== null && length <= 0) empty = true;
  }
  if (empty) {
    const sizes = spatial(input);
    const effective = kernel.map((k, i) => (k - 1) * (dilation[i] ?? 1) + 1);
    const dilated = effective.some((e, i) => e !== kernel[i]) ? ` (dilated to ${times(effective)})` : '';
    throw new LayerError(
      `${layer}: its input is ${times(sizes)}, smaller than the ${times(kernel)} ${what}${dilated}, so the output would be empty; use padding=same, a smaller ${what}, or fewer downsampling layers before it`,
      undefined,
      'spatial-too-small',
    );
  }
  return out;
}

/** Product that is unknown when any factor is. */
export function mul(...factors: readonly (number | null | undefined)[]): number | null {
  let result = 1;
  for (let i = 0; i < factors.length; i++) {
    const f = factors[i];
    if (f === null || f === undefined) return null;
    result *= f;
  }
  return Number.isFinite(result) ? result : null;
}

export function grouped(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * `[...values, a]` or `[...values, a, b]` as one array of the exact size: spreading into an array literal
 * grows it element by element, and convolutions do it several times per layer.
 */
export function appended<T>(values: readonly T[], a: T, b?: T): T[] {
  const n = values.length;
  const result = new Array<T>(b === undefined ? n + 1 : n + 2);
  for (let i = 0; i < n; i++) result[i] = values[i] as T;
  result[n] = a;
  if (b !== undefined) result[n + 1] = b;
  return result;
}

/** `mul(...values, a, b, c)` without gathering the factors into an array first. */
export function mulAfter(values: readonly (number | null | undefined)[], a: number, b: number, c = 1): number | null {
  let result = 1;
  for (let i = 0; i < values.length; i++) {
    const f = values[i];
    if (f === null || f === undefined) return null;
    result *= f;
  }
  result = result * a * b * c;
  return Number.isFinite(result) ? result : null;
}

/** Writes `a·b·c` from factors, leaving out nothing: the user sees their own numbers. */
export function dot(factors: readonly (number | string)[]): string {
  return factors.join('·');
}

/** Builds a TensorFlow.js layer by factory name, failing with a clear message if this TensorFlow.js lacks it. */
export function tfLayer(tf: { readonly layers: Readonly<Record<string, (config: Record<string, unknown>) => unknown>> }, factory: string, config: Record<string, unknown>): unknown {
  const make = tf.layers[factory];
  if (!make) throw new LayerError(`TensorFlow.js has no \`layers.${factory}\``);
  const cleaned: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) if (value !== undefined) cleaned[key] = value;
  return make(cleaned);
}

const tfActivations: Record<string, string | undefined> = {
  linear: 'linear',
  relu: 'relu',
  relu6: 'relu6',
  elu: 'elu',
  selu: 'selu',
  gelu: 'gelu',
  sigmoid: 'sigmoid',
  softmax: 'softmax',
  softplus: 'softplus',
  softsign: 'softsign',
  swish: 'swish',
  silu: 'swish',
  mish: 'mish',
  tanh: 'tanh',
  log_softmax: 'logSoftmax',
};

export function tfActivation(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const mapped = tfActivations[name];
  if (!mapped) throw new LayerError(`the activation \`${name}\` is not available in TensorFlow.js; use relu, relu6, elu, selu, gelu, sigmoid, tanh, softmax, log_softmax, softplus, softsign, swish or mish`);
  return mapped;
}

/** Settings every TensorFlow.js layer takes, from the Keras base arguments. */
export function tfBase(args: LayerArgs, name: string): Record<string, unknown> {
  return { name, trainable: args.bool('trainable') };
}
