import { findLayer } from '../catalog/layers.js';
import type { ArgSpec, LayerSpec } from '../catalog/types.js';
import { activationName, lastPart } from './keras-api.js';
import { describe, itemsOf, type CallArgs, type PyValue, type MappedLayer, type ModelArgument, type ModelValue } from './py-values.js';

/**
 * A Keras layer constructor call → the catalog's layer with its arguments in `.model` form,
 * argument by argument, with a note for whatever cannot be written (and is left out).
 */

/** Keras 3's positional order of each layer's arguments, where it differs from the catalog's. */
const kerasPositional: Readonly<Record<string, readonly string[]>> = {
  Dense: ['units', 'activation', 'use_bias', 'kernel_initializer', 'bias_initializer', 'kernel_regularizer', 'bias_regularizer', 'activity_regularizer', 'kernel_constraint', 'bias_constraint'],
  Conv1D: convolution(),
  Conv2D: convolution(),
  Conv3D: convolution(),
  Conv1DTranspose: ['filters', 'kernel_size', 'strides', 'padding', 'output_padding', 'data_format', 'dilation_rate', 'activation', 'use_bias'],
  Conv2DTranspose: ['filters', 'kernel_size', 'strides', 'padding', 'output_padding', 'data_format', 'dilation_rate', 'activation', 'use_bias'],
  Conv3DTranspose: ['filters', 'kernel_size', 'strides', 'padding', 'output_padding', 'data_format', 'dilation_rate', 'activation', 'use_bias'],
  DepthwiseConv2D: ['kernel_size', 'strides', 'padding', 'depth_multiplier', 'data_format', 'dilation_rate', 'activation', 'use_bias'],
  SeparableConv2D: ['filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'depth_multiplier', 'activation', 'use_bias'],
  SpatialDropout2D: ['rate', 'data_format', 'seed'],
  Flatten: ['data_format'],
  ZeroPadding2D: ['padding', 'data_format'],
  Cropping2D: ['cropping', 'data_format'],
  UpSampling2D: ['size', 'data_format', 'interpolation'],
  SimpleRNN: ['units', 'activation', 'use_bias'],
  LSTM: ['units', 'activation', 'recurrent_activation', 'use_bias'],
  GRU: ['units', 'activation', 'recurrent_activation', 'use_bias'],
  GlobalMaxPooling1D: ['data_format', 'keepdims'],
  GlobalMaxPooling2D: ['data_format', 'keepdims'],
  GlobalMaxPooling3D: ['data_format', 'keepdims'],
  GlobalAveragePooling1D: ['data_format', 'keepdims'],
  GlobalAveragePooling2D: ['data_format', 'keepdims'],
  GlobalAveragePooling3D: ['data_format', 'keepdims'],
  MaxPooling1D: pooling(),
  MaxPooling2D: pooling(),
  MaxPooling3D: pooling(),
  AveragePooling1D: pooling(),
  AveragePooling2D: pooling(),
  AveragePooling3D: pooling(),
};

function convolution(): string[] {
  return ['filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'groups', 'activation', 'use_bias'];
}

function pooling(): string[] {
  return ['pool_size', 'strides', 'padding', 'data_format'];
}

/** Keras layer names of other Keras versions. */
const classAliases: Readonly<Record<string, string>> = {
  MaxPool1D: 'MaxPooling1D',
  MaxPool2D: 'MaxPooling2D',
  MaxPool3D: 'MaxPooling3D',
  AvgPool1D: 'AveragePooling1D',
  AvgPool2D: 'AveragePooling2D',
  AvgPool3D: 'AveragePooling3D',
  GlobalMaxPool1D: 'GlobalMaxPooling1D',
  GlobalMaxPool2D: 'GlobalMaxPooling2D',
  GlobalMaxPool3D: 'GlobalMaxPooling3D',
  GlobalAvgPool1D: 'GlobalAveragePooling1D',
  GlobalAvgPool2D: 'GlobalAveragePooling2D',
  GlobalAvgPool3D: 'GlobalAveragePooling3D',
  Convolution1D: 'Conv1D',
  Convolution2D: 'Conv2D',
  Convolution3D: 'Conv3D',
  Convolution2DTranspose: 'Conv2DTranspose',
  Deconvolution2D: 'Conv2DTranspose',
  SeparableConvolution2D: 'SeparableConv2D',
  DepthwiseConvolution2D: 'DepthwiseConv2D',
  CuDNNLSTM: 'LSTM',
  CuDNNGRU: 'GRU',
};

/** Layers without weights that keep their input's shape: leaving one out changes neither shapes nor totals. */
const shapeKeeping = new Set([
  'RandomFlip',
  'RandomRotation',
  'RandomZoom',
  'RandomContrast',
  'RandomTranslation',
  'RandomBrightness',
  'RandomColorJitter',
  'RandomGrayscale',
  'RandomHue',
  'RandomSaturation',
  'RandomSharpness',
  'RandomShear',
  'AutoContrast',
  'Solarization',
  'Masking',
  'ActivityRegularization',
  'AlphaDropout',
  'GaussianDropout',
  'SpatialDropout3D',
  'Identity',
]);

export function isShapeKeeping(className: string): boolean {
  return shapeKeeping.has(className);
}

export function canonicalLayerClass(className: string): string {
  return classAliases[className] ?? className;
}

/** Layers of the catalog that return their final states after the output with `return_state=True`. */
const stateCounts: Readonly<Record<string, number>> = { SimpleRNN: 1, GRU: 1, LSTM: 2 };

export interface LayerMapping {
  readonly mapped?: MappedLayer;
  readonly name?: string;
  readonly inputShape?: readonly (number | null)[];
  readonly outputCount: number;
  readonly notes: readonly string[];
}

/** How a value that is not plain data turns into a `.model` value (hyperparameter expressions, nested layers). */
export interface ValueConverter {
  special(value: PyValue): ModelValue | undefined;
}

export function mapLayer(rawClassName: string, args: CallArgs, converter: ValueConverter): LayerMapping {
  const className = canonicalLayerClass(rawClassName);
  const notes: string[] = [];
  const nameValue = args.keywords.get('name');
  const name = nameValue?.kind === 'string' ? nameValue.value : undefined;
  const spec = findLayer(className);
  const inputShape = keras2InputShape(className, args);
  if (!spec) return { ...(name ? { name } : {}), ...(inputShape ? { inputShape } : {}), outputCount: 1, notes };

  const positionalNames = kerasPositional[className] ?? spec.args.filter((a) => !['name', 'trainable', 'dtype'].includes(a.name)).map((a) => a.name);
  const given = new Map<string, PyValue>();
  if (spec.merge) {
    if (args.positional.length) notes.push(`${className} takes its inputs when it is called, not as arguments; the arguments ${args.positional.map(describe).join(', ')} are left out`);
  } else {
    args.positional.forEach((value, i) => {
      const argName = positionalNames[i];
      if (argName) given.set(argName, value);
      else notes.push(`${className} takes at most ${positionalNames.length} positional arguments; the one at position ${i + 1} is left out`);
    });
  }
  for (const [key, value] of args.keywords) given.set(key, value);

  const mappedArgs: ModelArgument[] = [];
  let requiredMissing = false;
  for (const [argName, value] of given) {
    if (ignoredArguments.has(argName) || (argName === 'input_dim' && className !== 'Embedding')) continue;
    if (argName === 'input_length' && className === 'Embedding') continue;
    const argSpec = spec.args.find((a) => a.name === argName || a.aliases?.includes(argName));
    if (!argSpec) {
      notes.push(`\`${argName}=\` of ${className} is not an argument Layerlab knows; left out`);
      continue;
    }
    if (argSpec.name === 'name') continue;
    const converted = modelValue(value, argSpec, converter);
    if (typeof converted === 'string') {
      notes.push(`\`${argName}=\` of ${className}: ${converted}; left out`);
      if (argSpec.required) requiredMissing = true;
      continue;
    }
    mappedArgs.push({ name: argName, value: converted });
  }
  if (requiredMissing) return { ...(name ? { name } : {}), outputCount: 1, notes };
  const returnState = given.get('return_state');
  let outputCount = 1;
  if (returnState?.kind === 'bool' && returnState.value) outputCount = 1 + (stateCounts[className] ?? 0);
  if (className === 'Bidirectional') {
    const inner = mappedArgs.find((a) => a.name === 'layer')?.value;
    if (inner?.kind === 'layer' && inner.layer.args.some((a) => a.name === 'return_state' && a.value.kind === 'bool' && a.value.value)) outputCount = 1 + 2 * (stateCounts[inner.layer.type] ?? 0);
  }
  return { mapped: { type: className, args: ordered(spec, mappedArgs) }, ...(name ? { name } : {}), ...(inputShape ? { inputShape } : {}), outputCount, notes };
}

/** Arguments of the Keras call that are not the layer's: read elsewhere (the input shape, the name) or without effect on the model. */
const ignoredArguments = new Set(['input_shape', 'batch_input_shape', 'batch_size', 'name']);

/** Required arguments first, positionally as Keras users write them (`Conv2D(32, 3, …)`), the rest by name. */
function ordered(spec: LayerSpec, args: readonly ModelArgument[]): ModelArgument[] {
  const out: ModelArgument[] = [];
  let positional = true;
  for (const argSpec of spec.args) {
    const found = args.find((a) => a.name === argSpec.name || (argSpec.aliases?.includes(a.name ?? '') ?? false));
    if (!found) {
      positional = false;
      continue;
    }
    const byPosition = positional && (argSpec.required === true || argSpec.type.kind === 'layer');
    out.push(byPosition ? { value: found.value } : found);
    if (!byPosition) positional = false;
  }
  for (const a of args) if (!out.some((o) => o.value === a.value)) out.push(a);
  return out;
}

/** Keras 2's input-shape arguments of a first layer: `input_shape`, `batch_input_shape`, `input_dim`, Embedding's `input_length`. */
function keras2InputShape(className: string, args: CallArgs): (number | null)[] | undefined {
  const shape = args.keywords.get('input_shape');
  if (shape) return shapeOf(shape);
  const batchShape = args.keywords.get('batch_input_shape');
  if (batchShape) return shapeOf(batchShape)?.slice(1);
  const inputDim = args.keywords.get('input_dim');
  if (inputDim?.kind === 'number' && className !== 'Embedding') return [inputDim.value];
  const inputLength = args.keywords.get('input_length');
  if (inputLength?.kind === 'number' && className === 'Embedding') return [inputLength.value];
  return undefined;
}

/** A shape tuple (`(28, 28, 1)`, `[None, 16]`, `784`) as axes; undefined when not all axes are known numbers or None. */
export function shapeOf(value: PyValue): (number | null)[] | undefined {
  if (value.kind === 'number' && value.integer) return [value.value];
  const items = itemsOf(value);
  if (!items || value.kind === 'string') return undefined;
  const shape: (number | null)[] = [];
  for (const item of items) {
    if (item.kind === 'none') shape.push(null);
    else if (item.kind === 'number' && Number.isInteger(item.value)) shape.push(item.value);
    else return undefined;
  }
  return shape;
}

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A Python value as a `.model` value for an argument of this type, or why it cannot be written. */
export function modelValue(value: PyValue, spec: ArgSpec | undefined, converter: ValueConverter): ModelValue | string {
  const special = converter.special(value);
  if (special) return special;
  const type = spec?.type.kind;
  switch (value.kind) {
    case 'none':
      return { kind: 'none' };
    case 'bool':
      return { kind: 'bool', value: value.value };
    case 'number':
      if (type === 'bool') return { kind: 'bool', value: value.value !== 0 };
      return { kind: 'number', value: value.value, integer: value.integer };
    case 'string': {
      if (type === 'string') return { kind: 'string', value: value.value };
      const text = spec && ['padding', 'data_format', 'interpolation', 'merge_mode'].includes(spec.name) ? value.value.toLowerCase() : value.value;
      return identifier.test(text) ? { kind: 'symbol', name: text } : { kind: 'string', value: text };
    }
    case 'tuple':
    case 'list': {
      const items: ModelValue[] = [];
      for (const item of value.items) {
        const converted = modelValue(item, undefined, converter);
        if (typeof converted === 'string') return converted;
        items.push(converted);
      }
      return { kind: 'tuple', items };
    }
    case 'api': {
      const activation = activationName(value.path);
      if (activation) return { kind: 'symbol', name: activation };
      const name = lastPart(value.path);
      if (type === 'object' || type === 'activation') return { kind: 'symbol', name };
      return `${value.path} is not a value Layerlab can write here`;
    }
    case 'object': {
      const args: ModelArgument[] = [];
      for (const v of value.object.args.positional) {
        const converted = modelValue(v, undefined, converter);
        if (typeof converted === 'string') return converted;
        args.push({ value: converted });
      }
      for (const [k, v] of value.object.args.keywords) {
        const converted = modelValue(v, undefined, converter);
        if (typeof converted === 'string') return converted;
        args.push({ name: k, value: converted });
      }
      return { kind: 'call', callee: lastPart(value.object.path), args };
    }
    case 'layer':
      if (type === 'activation') return `a layer (${value.layer.className}) as an activation cannot be written`;
      if (!value.layer.mapped) return `${value.layer.className} is not a layer Layerlab knows`;
      return { kind: 'layer', layer: value.layer.mapped };
    default:
      return `${describe(value)} cannot be written in a .model file`;
  }
}
