import { numericFunction } from './builtins.js';
import { expandDims, index, loadData, padSequences, reshape, shapeTuple, sliceRows, toCategorical } from './data-arrays.js';
import { declareHyperParameter, parameterName, symbolicArithmetic, symbolOf } from './hyperparameters.js';
import type { Interpreter, RuntimeHooks } from './interpreter.js';
import { activationName, canonicalPath, lastPart, layerClassOf, mergeFunctions, parentPath } from './keras-api.js';
import { canonicalLayerClass, isShapeKeeping, mapLayer, shapeOf, type ValueConverter } from './layer-mapping.js';
import type { BinaryOperator } from './python-ast.js';
import { describe, itemsOf, none, num, str, tuple, unknown, unknownBecause, type CallArgs, type PyValue, type GraphNode, type HyperParameter, type KerasLayer, type KerasModel, type LayerNode, type ModelValue, type Tensor, type Tuner } from './py-values.js';

/** Output shape of a tensor without the batch axis, worked out by analysing the graph that leads to it. */
export type ShapeOracle = (tensor: Tensor) => readonly (number | null)[] | undefined;

const objectModules = new Set(['keras.optimizers', 'keras.optimizers.schedules', 'keras.losses', 'keras.metrics', 'keras.callbacks', 'keras.regularizers', 'keras.initializers', 'keras.constraints', 'keras.preprocessing.image', 'keras_tuner']);

/** Positional parameter names of the Keras calls whose arguments the importer reads. */
const signatures: Readonly<Record<string, readonly string[]>> = {
  compile: ['optimizer', 'loss', 'metrics', 'loss_weights', 'weighted_metrics', 'run_eagerly', 'steps_per_execution'],
  fit: ['x', 'y', 'batch_size', 'epochs', 'verbose', 'callbacks', 'validation_split', 'validation_data', 'shuffle', 'class_weight', 'sample_weight', 'initial_epoch', 'steps_per_epoch'],
  search: ['x', 'y', 'batch_size', 'epochs', 'verbose', 'callbacks', 'validation_split', 'validation_data', 'shuffle'],
  RandomSearch: ['hypermodel', 'objective', 'max_trials', 'seed'],
  GridSearch: ['hypermodel', 'objective', 'max_trials', 'seed'],
  BayesianOptimization: ['hypermodel', 'objective', 'max_trials', 'num_initial_points', 'alpha', 'beta', 'seed'],
  Hyperband: ['hypermodel', 'objective', 'max_epochs', 'factor', 'hyperband_iterations', 'seed'],
};

/** Positional arguments given names, as the signature lists them. */
export function named(args: CallArgs, signature: readonly string[]): Map<string, PyValue> {
  const out = new Map<string, PyValue>();
  args.positional.forEach((value, i) => {
    const name = signature[i];
    if (name) out.set(name, value);
  });
  for (const [k, v] of args.keywords) out.set(k, v);
  return out;
}

/**
 * The Keras API as the importer runs it: layers applied to symbolic tensors build a graph;
 * `Sequential`, `Model`, `compile`, `fit`, Keras Tuner's `hp` and tuners are recorded for the
 * `.model` writer.
 */
export class KerasRuntime implements RuntimeHooks {
  private nextId = 1;
  readonly models: KerasModel[] = [];
  readonly tuners: Tuner[] = [];
  private readonly applicationsOf = new Map<KerasLayer, LayerNode[]>();
  /** The parameters of the Keras Tuner model being built, while its build function runs. */
  private activeParameters: HyperParameter[] | undefined;
  private readonly converter: ValueConverter = { special: (value) => this.specialValue(value) };

  constructor(
    private readonly interpreter: Interpreter,
    private readonly shapeOracle: ShapeOracle,
  ) {}

  private id(): number {
    return this.nextId++;
  }

  private note(line: number, message: string): void {
    this.interpreter.note(line, message);
  }

  // ---- values that are written into the .model file ----

  private specialValue(value: PyValue): ModelValue | undefined {
    if (value.kind !== 'symbolic') return undefined;
    for (const name of value.symbolic.parameters) {
      const parameter = this.parameter(name);
      if (parameter) parameter.inModel = true;
    }
    return { kind: 'expression', text: value.symbolic.text, precedence: value.symbolic.precedence };
  }

  /** An optimizer's learning rate given by a hyperparameter: the search's `learning_rate` setting. */
  private searchedLearningRate(value: PyValue | undefined): void {
    if (value?.kind !== 'symbolic' || value.symbolic.precedence !== 3 || value.symbolic.parameters.size !== 1) return;
    const [name] = value.symbolic.parameters;
    const parameter = name === undefined ? undefined : this.parameter(name);
    if (parameter && (parameter.type === 'Float' || parameter.type === 'Choice')) parameter.setting = 'learning_rate';
  }

  private parameter(name: string): HyperParameter | undefined {
    return this.activeParameters?.find((p) => p.name === name) ?? this.models.flatMap((m) => m.parameters ?? []).find((p) => p.name === name);
  }

  // ---- RuntimeHooks ----

  named(value: PyValue, name: string): void {
    if (value.kind === 'tensor' && !value.tensor.variables.includes(name)) value.tensor.variables.push(name);
    else if (value.kind === 'model' && !value.model.variables.includes(name)) value.model.variables.push(name);
    else if (value.kind === 'list' || value.kind === 'tuple') {
      for (const item of value.items) if (item.kind === 'tensor' && !item.tensor.variables.includes(name)) item.tensor.variables.push(name);
    }
  }

  apiAttribute(path: string, name: string): PyValue {
    const full = canonicalPath(`${path}.${name}`);
    if ((path === 'numpy' || path === 'tensorflow') && name === 'newaxis') return none;
    if ((path === 'math' || path === 'numpy') && name === 'pi') return num(Math.PI, false);
    if ((path === 'math' || path === 'numpy') && name === 'e') return num(Math.E, false);
    return { kind: 'api', path: full };
  }

  attribute(value: PyValue, name: string, line: number): PyValue | undefined {
    switch (value.kind) {
      case 'tensor':
        if (name === 'shape') return this.shapeValue(value.tensor, line);
        if (name === 'dtype' || name === 'name') return unknown;
        return undefined;
      case 'model':
        return this.modelAttribute(value.model, name);
      case 'layer': {
        const nodes = this.applicationsOf.get(value.layer) ?? [];
        const last = nodes[nodes.length - 1];
        if (name === 'output') return last ? this.outputsValue(last) : unknownBecause(`${value.layer.className} has not been applied to a tensor`);
        if (name === 'input') return last?.inputs[0] ? { kind: 'tensor', tensor: last.inputs[0] } : unknown;
        if (name === 'name') return value.layer.name ? str(value.layer.name) : unknown;
        return undefined;
      }
      case 'array': {
        if (name === 'shape') return shapeTuple(value) ?? unknownBecause('the shape of data the importer does not know');
        if (name === 'ndim') return value.shape ? num(value.shape.length, true) : unknown;
        if (name === 'T') return { kind: 'array' };
        const slice = /^\[(-?\d*):(-?\d*)\]$/.exec(name);
        if (slice) return sliceRows(value, slice[1] ? Number(slice[1]) : undefined, slice[2] ? Number(slice[2]) : undefined);
        return undefined;
      }
      case 'symbolic':
        return undefined;
      default:
        return undefined;
    }
  }

  callMethod(self: PyValue, name: string, args: CallArgs, line: number): PyValue | undefined {
    switch (self.kind) {
      case 'model':
        return this.modelMethod(self.model, name, args, line);
      case 'hp':
        return this.hyperParameter(self.parameters, name, args, line);
      case 'tuner':
        return this.tunerMethod(self.tuner, name, args, line);
      case 'array':
        return this.arrayMethod(self, name, args);
      case 'tensor':
        if (name === '__getitem__') {
          this.note(line, 'indexing a tensor (`x[...]`) is not a layer Layerlab can write; the layers after it are left out');
          return unknownBecause('an indexed tensor', line);
        }
        return unknownBecause(`the tensor method ${name}()`, line);
      case 'layer':
        // get_config(), count_params(), get_weights(): nothing a model is built from.
        return unknown;
      default:
        return undefined;
    }
  }

  callValue(callee: PyValue, args: CallArgs, line: number): PyValue {
    switch (callee.kind) {
      case 'layer':
        return this.applyLayer(callee.layer, args, line);
      case 'model':
        return this.applyModel(callee.model, args, line);
      case 'class':
        if (callee.bases.some((b) => b.kind === 'api' && (b.path === 'keras.Model' || b.path === 'keras.Sequential'))) {
          this.note(line, `${callee.name} subclasses keras.Model: Layerlab does not convert subclassed models (write it with the functional API); left out`);
        }
        return { kind: 'instance', className: callee.name, line };
      case 'instance': {
        const tensors = this.tensorsOf(args.positional[0]);
        if (!tensors) return unknown;
        this.note(line, `${callee.className} is a class defined in the code (a custom layer), which Layerlab cannot convert; left out, so the layers after it may get other shapes`);
        return { kind: 'tensor', tensor: tensors[0] as Tensor };
      }
      default:
        return unknown;
    }
  }

  binary(operator: BinaryOperator, left: PyValue, right: PyValue, line: number): PyValue | undefined {
    if (left.kind === 'symbolic' || right.kind === 'symbolic') return this.symbolicBinary(operator, left, right, line);
    if (left.kind === 'tensor' || right.kind === 'tensor') return this.tensorArithmetic(operator, left, right, line);
    if (left.kind === 'array' && (right.kind === 'number' || right.kind === 'array')) return left;
    if (right.kind === 'array' && left.kind === 'number') return right;
    return undefined;
  }

  blockParameter(value: PyValue, use: 'if' | 'repeat', line: number): string | undefined {
    if (value.kind !== 'symbolic' || value.symbolic.precedence !== 3 || value.symbolic.parameters.size !== 1) return undefined;
    const [name] = value.symbolic.parameters;
    const parameter = name === undefined ? undefined : this.parameter(name);
    if (!parameter) return undefined;
    if (use === 'if' && parameter.type !== 'Boolean') return undefined;
    if (use === 'repeat' && parameter.type !== 'Int') return undefined;
    void line;
    parameter.inModel = true;
    return value.symbolic.text;
  }

  concrete(value: PyValue, line: number, why: string): PyValue {
    if (value.kind !== 'symbolic') return value;
    for (const name of value.symbolic.parameters) {
      const parameter = this.parameter(name);
      if (parameter && !parameter.fixed) {
        parameter.fixed = why;
        this.note(line, `the hyperparameter '${name}' is used in ${why}, which a .model file cannot search; the model is written with its default value and '${name}' is not searched`);
      }
    }
    return value.symbolic.value;
  }

  // ---- the Keras API ----

  callApi(path: string, args: CallArgs, line: number): PyValue {
    const name = lastPart(path);
    const parent = parentPath(path);
    if (path === 'keras.Input' || path === 'keras.layers.Input') return this.input(args, line);
    if (path === 'keras.Sequential') return this.sequential(args, line);
    if (path === 'keras.Model' || path === 'keras.Functional') return this.functional(args, line);
    if (path === 'keras.layers.InputLayer') return this.inputLayer(args, line);
    const layerClass = layerClassOf(path);
    if (layerClass) return this.createLayer(layerClass, args, line);
    if (parent === 'keras.layers' && mergeFunctions[name]) return this.mergeFunction(mergeFunctions[name] ?? name, args, line);
    const activation = activationName(path);
    if (activation && this.tensorsOf(args.positional[0])) return this.applyLayer(this.makeLayer('Activation', { positional: [str(activation)], keywords: new Map() }, line), { positional: [args.positional[0] ?? none], keywords: new Map() }, line);
    if (path === 'tensorflow.concat' || path === 'keras.ops.concatenate') {
      const axis = args.keywords.get('axis') ?? args.positional[1];
      return this.mergeFunction('Concatenate', { positional: [args.positional[0] ?? none], keywords: new Map(axis ? [['axis', axis]] : []) }, line);
    }
    const tfMerges: Readonly<Record<string, string>> = { 'tensorflow.add': 'Add', 'keras.ops.add': 'Add', 'tensorflow.math.add': 'Add', 'tensorflow.multiply': 'Multiply', 'keras.ops.multiply': 'Multiply', 'tensorflow.math.multiply': 'Multiply', 'tensorflow.subtract': 'Subtract', 'keras.ops.subtract': 'Subtract' };
    if (tfMerges[path] && this.tensorsOf(args.positional[0])) return this.mergeFunction(tfMerges[path] ?? 'Add', { positional: [tuple(args.positional.slice(0, 2))], keywords: new Map() }, line);
    if (objectModules.has(parent) && /^[A-Z]/.test(name) && parent !== 'keras_tuner') {
      if (parent === 'keras.optimizers') this.searchedLearningRate(args.keywords.get('learning_rate') ?? args.keywords.get('lr') ?? args.positional[0]);
      return { kind: 'object', object: { path, args, line } };
    }
    if ((parent === 'keras.regularizers' || parent === 'keras.initializers') && /^[a-z]/.test(name)) return { kind: 'object', object: { path, args, line } };
    if (path.startsWith('keras.backend.') || path.startsWith('keras.config.')) return this.backend(name, args);
    if (path === 'keras.applications.imagenet_utils.obtain_input_shape' || path === 'keras.applications.imagenet_utils._obtain_input_shape') return this.obtainInputShape(args);
    if (path === 'keras.applications.imagenet_utils.correct_pad') return this.correctPad(args, line);
    if (path === 'copy.deepcopy' || path === 'copy.copy') return deepCopy(args.positional[0] ?? none);
    if (path.startsWith('keras.applications.') && /^[A-Z]/.test(name)) {
      this.note(line, `keras.applications.${name} is a pretrained model Layerlab does not convert (write its layers out, or import its source); left out`);
      return unknownBecause(`the pretrained ${name}`, line);
    }
    if (parent.startsWith('keras.datasets.') && name === 'load_data') return loadData(lastPart(parent)) ?? unknown;
    if (name === 'to_categorical') return toCategorical(args);
    if (name === 'pad_sequences') return padSequences(args);
    if (path === 'keras_tuner.HyperParameters') return { kind: 'hp', parameters: [] };
    if (parent === 'keras_tuner' && ['RandomSearch', 'Hyperband', 'BayesianOptimization', 'GridSearch'].includes(name)) return this.tuner(name, args, line);
    if (parent === 'keras_tuner' && name === 'Objective') return { kind: 'object', object: { path, args, line } };
    if (path === 'keras.preprocessing.image.ImageDataGenerator') return { kind: 'object', object: { path, args, line } };
    if (path === 'math' || parent === 'math') return numericFunction('math', name, args) ?? unknown;
    if (parent === 'numpy') return this.numpy(name, args);
    if (path === 'keras.utils.get_source_inputs' || path.endsWith('operation_utils.get_source_inputs')) return args.positional[0] ?? unknown;
    if ([...args.positional, ...args.keywords.values()].some((v) => v.kind === 'tensor')) {
      this.note(line, `${path}(...) on a tensor is not a layer Layerlab knows; what follows from it is left out`);
      return unknownBecause(`the result of ${path}(...)`, line);
    }
    return unknown;
  }

  private backend(name: string, args: CallArgs): PyValue {
    switch (name) {
      case 'image_data_format':
        return str('channels_last');
      case 'int_shape': {
        const value = args.positional[0];
        return value?.kind === 'tensor' ? this.shapeValue(value.tensor, 0) : unknown;
      }
      case 'is_keras_tensor':
        return { kind: 'bool', value: args.positional[0]?.kind === 'tensor' };
      case 'floatx':
        return str('float32');
      case 'epsilon':
        return num(1e-7, false);
      case 'backend':
        return str('tensorflow');
      default:
        return none;
    }
  }

  /** Keras applications' input shape: the given one, or the default size with three channels. */
  private obtainInputShape(args: CallArgs): PyValue {
    const given = args.positional[0] ?? args.keywords.get('input_shape');
    if (given && given.kind !== 'none') return given;
    const size = args.keywords.get('default_size') ?? args.positional[1];
    if (size?.kind !== 'number') return unknown;
    const requireFlatten = args.keywords.get('require_flatten') ?? args.positional[4];
    const weights = args.keywords.get('weights') ?? args.positional[5];
    if (requireFlatten?.kind === 'bool' && !requireFlatten.value && !(weights?.kind === 'string' && weights.value === 'imagenet')) return tuple([none, none, num(3, true)]);
    return tuple([num(size.value, true), num(size.value, true), num(3, true)]);
  }

  /** Keras applications' padding before a strided convolution: `((k//2 - 1 + h%2, k//2), (k//2 - 1 + w%2, k//2))`. */
  private correctPad(args: CallArgs, line: number): PyValue {
    const input = args.positional[0] ?? args.keywords.get('inputs');
    const kernel = args.positional[1] ?? args.keywords.get('kernel_size');
    const sizes = kernel?.kind === 'number' ? [kernel.value, kernel.value] : (itemsOf(kernel ?? none) ?? []).map((k) => (k.kind === 'number' ? k.value : 0));
    const shape = input?.kind === 'tensor' ? this.shapeOracle(input.tensor) : undefined;
    if (!shape || sizes.length !== 2) return unknownBecause('the padding of a tensor whose shape is not known', line);
    const adjust = shape[0] === null || shape[0] === undefined ? [1, 1] : [1 - ((shape[0] ?? 0) % 2), 1 - ((shape[1] ?? 0) % 2)];
    const correct = sizes.map((k) => Math.floor(k / 2));
    const pair = (i: number): PyValue => tuple([num((correct[i] ?? 0) - (adjust[i] ?? 0), true), num(correct[i] ?? 0, true)]);
    return tuple([pair(0), pair(1)]);
  }

  private numpy(name: string, args: CallArgs): PyValue {
    const first = args.positional[0];
    if (first?.kind === 'array') {
      if (name === 'expand_dims') {
        const axis = args.positional[1] ?? args.keywords.get('axis');
        return axis?.kind === 'number' ? expandDims(first, axis.value) : { kind: 'array' };
      }
      if (name === 'reshape') return reshape(first, args.positional.slice(1));
      if (['array', 'asarray', 'float32', 'squeeze'].includes(name)) return name === 'squeeze' ? { kind: 'array', ...(first.dataset ? { dataset: first.dataset } : {}) } : first;
      return { kind: 'array' };
    }
    return numericFunction('numpy', name, args) ?? unknown;
  }

  private arrayMethod(array: Extract<PyValue, { kind: 'array' }>, name: string, args: CallArgs): PyValue {
    switch (name) {
      case 'reshape':
        return reshape(array, args.positional);
      case 'astype':
      case 'copy':
        return array;
      case '__getitem__':
        return index(array, args.positional[0] ?? none);
      default:
        return { kind: 'array' };
    }
  }

  // ---- tensors and layers ----

  private newTensor(node: GraphNode, index: number): Tensor {
    return { id: this.id(), node, index, variables: [] };
  }

  private input(args: CallArgs, line: number): PyValue {
    const given = args.keywords.get('tensor');
    if (given?.kind === 'tensor') return given;
    const batchShape = args.keywords.get('batch_shape');
    const shapeValue = args.keywords.get('shape') ?? args.positional[0];
    let shape = batchShape ? shapeOf(batchShape)?.slice(1) : shapeValue ? shapeOf(shapeValue) : undefined;
    if (!shape) {
      const why = shapeValue?.kind === 'unknown' && shapeValue.why ? ` (${shapeValue.why})` : '';
      this.note(line, `the shape of this Input is not known${why}; the model is written without its input`);
      shape = undefined;
    }
    const nameValue = args.keywords.get('name');
    const node: GraphNode = { kind: 'input', id: this.id(), ...(shape ? { shape } : {}), ...(nameValue?.kind === 'string' ? { name: nameValue.value } : {}), line };
    return { kind: 'tensor', tensor: this.newTensor(node, 0) };
  }

  private inputLayer(args: CallArgs, line: number): PyValue {
    const shapeValue = args.keywords.get('shape') ?? args.keywords.get('input_shape') ?? args.positional[0];
    const batch = args.keywords.get('batch_input_shape') ?? args.keywords.get('batch_shape');
    const shape = batch ? shapeOf(batch)?.slice(1) : shapeValue ? shapeOf(shapeValue) : undefined;
    return { kind: 'layer', layer: { id: this.id(), className: 'InputLayer', line, ...(shape ? { inputShape: shape } : {}), outputCount: 1, applications: 0 } };
  }

  private makeLayer(className: string, args: CallArgs, line: number): KerasLayer {
    const mapping = mapLayer(className, args, this.converter);
    for (const message of mapping.notes) this.note(line, message);
    return {
      id: this.id(),
      className: canonicalLayerClass(className),
      ...(mapping.mapped ? { mapped: mapping.mapped } : {}),
      ...(mapping.name ? { name: mapping.name } : {}),
      ...(mapping.inputShape ? { inputShape: mapping.inputShape } : {}),
      line,
      outputCount: mapping.outputCount,
      applications: 0,
    };
  }

  private createLayer(className: string, args: CallArgs, line: number): PyValue {
    return { kind: 'layer', layer: this.makeLayer(className, args, line) };
  }

  /** Tensors of a layer's input argument: a tensor, or a list or tuple (or dict) of them; undefined for anything else. */
  private tensorsOf(value: PyValue | undefined): Tensor[] | undefined {
    if (!value) return undefined;
    if (value.kind === 'tensor') return [value.tensor];
    const items = value.kind === 'dict' ? [...value.entries.values()].map((e) => e.value) : value.kind === 'list' || value.kind === 'tuple' ? value.items : undefined;
    if (!items || items.length === 0) return undefined;
    const tensors: Tensor[] = [];
    for (const item of items) {
      if (item.kind !== 'tensor') return undefined;
      tensors.push(item.tensor);
    }
    return tensors;
  }

  private outputsValue(node: LayerNode): PyValue {
    if (node.outputs.length === 1 && node.outputs[0]) return { kind: 'tensor', tensor: node.outputs[0] };
    return { kind: 'list', items: node.outputs.map((t) => ({ kind: 'tensor', tensor: t }) as PyValue) };
  }

  private applyLayer(layer: KerasLayer, args: CallArgs, line: number): PyValue {
    const input = args.positional[0] ?? args.keywords.get('inputs');
    const tensors = this.tensorsOf(input);
    if (!tensors) {
      if (input?.kind === 'unknown' && this.interpreter.blocks.length === 0 && input.why && input.line !== undefined) {
        this.note(line, `${layer.className} is applied to ${describe(input)}; left out`);
      }
      return input?.kind === 'unknown' ? input : unknownBecause(`${layer.className} applied to data`, line);
    }
    if (layer.className === 'InputLayer') return { kind: 'tensor', tensor: tensors[0] as Tensor };
    if (!layer.mapped) {
      this.note(layer.line, leftOut(layer.className));
      return { kind: 'tensor', tensor: tensors[0] as Tensor };
    }
    const initialState = this.tensorsOf(args.keywords.get('initial_state')) ?? [];
    for (const extra of ['mask', 'constants']) if (args.keywords.has(extra)) this.note(line, `\`${extra}=\` of a layer call is not converted; left out`);
    layer.applications++;
    if (layer.applications === 2) this.note(line, `${layer.className}${layer.name ? ` '${layer.name}'` : ''} is applied a second time (shared weights): Layerlab has no shared layers, so it is written again with weights of its own, and its parameters are counted twice`);
    return this.outputsValue(this.addNode(layer, tensors, initialState, line, [...this.interpreter.blocks]));
  }

  private addNode(layer: KerasLayer, inputs: readonly Tensor[], initialState: readonly Tensor[], line: number, blocks: LayerNode['blocks']): LayerNode {
    const node: LayerNode = { kind: 'layer', id: this.id(), layer, inputs, initialState, outputs: [], blocks, line };
    for (let i = 0; i < layer.outputCount; i++) node.outputs.push(this.newTensor(node, i));
    const applications = this.applicationsOf.get(layer) ?? [];
    applications.push(node);
    this.applicationsOf.set(layer, applications);
    return node;
  }

  private mergeFunction(className: string, args: CallArgs, line: number): PyValue {
    const keywords = new Map(args.keywords);
    const inputs = args.positional[0] ?? keywords.get('inputs');
    keywords.delete('inputs');
    const layer = this.makeLayer(className, { positional: [], keywords }, line);
    return this.applyLayer(layer, { positional: [inputs ?? none], keywords: new Map() }, line);
  }

  /** `x + y`, `x * 0.5`, `x / 255.0` on tensors: Add, Multiply, Subtract and Rescaling layers. */
  private tensorArithmetic(operator: BinaryOperator, left: PyValue, right: PyValue, line: number): PyValue {
    const layerFor = (className: string, positional: PyValue[], keywords: [string, PyValue][] = []): KerasLayer => this.makeLayer(className, { positional, keywords: new Map(keywords) }, line);
    if (left.kind === 'tensor' && right.kind === 'tensor') {
      const merge = operator === '+' ? 'Add' : operator === '*' ? 'Multiply' : operator === '-' ? 'Subtract' : undefined;
      if (merge) return this.applyLayer(layerFor(merge, []), { positional: [tuple([left, right])], keywords: new Map() }, line);
    }
    const tensor = left.kind === 'tensor' ? left : right;
    const other = left.kind === 'tensor' ? right : left;
    if (other.kind === 'number') {
      const n = other.value;
      const apply = (scale: number, offset: number): PyValue => this.applyLayer(layerFor('Rescaling', [num(scale, false)], offset ? [['offset', num(offset, false)]] : []), { positional: [tensor], keywords: new Map() }, line);
      if (operator === '*') return apply(n, 0);
      if (operator === '/' && left.kind === 'tensor' && n !== 0) return apply(1 / n, 0);
      if (operator === '+') return apply(1, n);
      if (operator === '-' && left.kind === 'tensor') return apply(1, -n);
      if (operator === '-' && right.kind === 'tensor') return apply(-1, n);
    }
    if (other.kind === 'unknown') return other;
    this.note(line, `the operation \`${operator}\` on a tensor is not a layer Layerlab knows; the layers after it are left out`);
    return unknownBecause(`the tensor operation \`${operator}\``, line);
  }

  private shapeValue(tensor: Tensor, line: number): PyValue {
    const shape = this.shapeOracle(tensor);
    if (!shape) return unknownBecause('the shape of a tensor the importer could not work out', line);
    return tuple([none, ...shape.map((d) => (d === null ? none : num(d, true)))]);
  }

  // ---- models ----

  private newModel(kind: KerasModel['kind'], line: number): KerasModel {
    const model: KerasModel = { id: this.id(), kind, line, variables: [], inputs: [], outputs: [], pending: [], usedInside: false };
    if (this.activeParameters) model.parameters = this.activeParameters;
    this.models.push(model);
    return model;
  }

  private sequential(args: CallArgs, line: number): PyValue {
    const model = this.newModel('sequential', line);
    const nameValue = args.keywords.get('name') ?? args.positional[1];
    if (nameValue?.kind === 'string') model.name = nameValue.value;
    const layers = args.keywords.get('layers') ?? args.positional[0];
    if (layers && layers.kind !== 'none') {
      const items = itemsOf(layers);
      if (items) for (const item of items) this.add(model, item, line);
      else this.note(line, `the layers of this Sequential are ${describe(layers)}; left out`);
    }
    return { kind: 'model', model };
  }

  private functional(args: CallArgs, line: number): PyValue {
    const inputs = args.keywords.get('inputs') ?? args.keywords.get('input') ?? args.positional[0];
    const outputs = args.keywords.get('outputs') ?? args.keywords.get('output') ?? args.positional[1];
    if (!inputs && !outputs) return unknownBecause('a model without inputs and outputs', line);
    const inputTensors = this.tensorsOf(inputs);
    const outputTensors = this.tensorsOf(outputs);
    if (!inputTensors || !outputTensors) {
      const what = !inputTensors ? inputs : outputs;
      this.note(line, `the ${!inputTensors ? 'inputs' : 'outputs'} of this Model are ${describe(what ?? unknown)}; the model is left out`);
      return unknownBecause('a model whose tensors are not known', line);
    }
    const model = this.newModel('functional', line);
    model.inputs = inputTensors;
    model.outputs = outputTensors;
    const nameValue = args.keywords.get('name') ?? args.positional[2];
    if (nameValue?.kind === 'string') model.name = nameValue.value;
    return { kind: 'model', model };
  }

  /** `model.add(item)` (and each item of `Sequential([...])`). */
  private add(model: KerasModel, item: PyValue, line: number): void {
    if (item.kind === 'tensor' && item.tensor.node.kind === 'input' && model.inputs.length === 0 && model.pending.length === 0) {
      model.inputs = [item.tensor];
      model.outputs = [item.tensor];
      return;
    }
    if (item.kind === 'layer') {
      if (model.inputs.length === 0) {
        const shape = item.layer.inputShape;
        if (shape && model.pending.length === 0) this.startSequential(model, shape, item.layer.line);
        else {
          model.pending.push(item.layer);
          return;
        }
      }
      if (item.layer.className === 'InputLayer') return;
      const current = model.outputs[0];
      if (!current) return;
      const out = this.applyLayer(item.layer, { positional: [{ kind: 'tensor', tensor: current }], keywords: new Map() }, line);
      if (out.kind === 'tensor') model.outputs = [out.tensor];
      else if (out.kind === 'list' && out.items[0]?.kind === 'tensor') model.outputs = [out.items[0].tensor];
      return;
    }
    if (item.kind === 'model') {
      item.model.usedInside = true;
      if (model.inputs.length === 0) {
        const shape = item.model.inputs[0]?.node.kind === 'input' ? item.model.inputs[0].node.shape : undefined;
        if (shape && model.pending.length === 0) this.startSequential(model, shape, line);
        else {
          model.pending.push(item.model);
          return;
        }
      }
      const current = model.outputs[0];
      if (!current) return;
      const out = this.applyModel(item.model, { positional: [{ kind: 'tensor', tensor: current }], keywords: new Map() }, line);
      if (out.kind === 'tensor') model.outputs = [out.tensor];
      return;
    }
    if (item.kind === 'instance') {
      this.note(line, `${item.className} is a class defined in the code (a custom layer), which Layerlab cannot convert; left out, so the layers after it may get other shapes`);
      return;
    }
    this.note(line, `this Sequential is given ${describe(item)}, not a layer; left out`);
  }

  /** A Sequential's input becomes known: its pending layers are applied. */
  private startSequential(model: KerasModel, shape: readonly (number | null)[], line: number): void {
    const node: GraphNode = { kind: 'input', id: this.id(), shape, line };
    const tensor = this.newTensor(node, 0);
    model.inputs = [tensor];
    model.outputs = [tensor];
    const pending = model.pending.splice(0);
    for (const item of pending) this.add(model, isModel(item) ? { kind: 'model', model: item } : { kind: 'layer', layer: item }, line);
  }

  /** A model used as a layer: its layers are applied again to the new inputs. */
  private applyModel(model: KerasModel, args: CallArgs, line: number): PyValue {
    const inputs = this.tensorsOf(args.positional[0] ?? args.keywords.get('inputs'));
    if (!inputs) return unknownBecause('a model applied to data', line);
    model.usedInside = true;
    if (model.inputs.length === 0) {
      let current: PyValue = { kind: 'tensor', tensor: inputs[0] as Tensor };
      for (const item of model.pending) {
        current = isModel(item) ? this.applyModel(item, { positional: [current], keywords: new Map() }, line) : this.applyLayer(item, { positional: [current], keywords: new Map() }, line);
        if (current.kind !== 'tensor') return current;
      }
      return current;
    }
    const mapped = new Map<Tensor, Tensor>();
    model.inputs.forEach((t, i) => {
      const given = inputs[i];
      if (given) mapped.set(t, given);
    });
    for (const node of reachableNodes(model.outputs, model.inputs)) {
      const ins = node.inputs.map((t) => mapped.get(t));
      const states = node.initialState.map((t) => mapped.get(t));
      if (ins.some((t) => !t) || states.some((t) => !t)) continue;
      const copy = this.addNode(node.layer, ins as Tensor[], states as Tensor[], line, node.blocks);
      node.outputs.forEach((t, i) => {
        const out = copy.outputs[i];
        if (out) mapped.set(t, out);
      });
    }
    const outs = model.outputs.map((t) => mapped.get(t));
    if (outs.some((t) => !t)) return unknownBecause('a model whose outputs do not follow from its inputs', line);
    if (outs.length === 1) return { kind: 'tensor', tensor: outs[0] as Tensor };
    return { kind: 'list', items: outs.map((t) => ({ kind: 'tensor', tensor: t as Tensor }) as PyValue) };
  }

  private modelAttribute(model: KerasModel, name: string): PyValue | undefined {
    switch (name) {
      case 'layers':
        return { kind: 'list', items: reachableNodes(model.outputs, model.inputs).map((n) => ({ kind: 'layer', layer: n.layer }) as PyValue) };
      case 'input':
        return model.inputs[0] ? { kind: 'tensor', tensor: model.inputs[0] } : unknown;
      case 'inputs':
        return { kind: 'list', items: model.inputs.map((t) => ({ kind: 'tensor', tensor: t }) as PyValue) };
      case 'output':
        return model.outputs[0] ? { kind: 'tensor', tensor: model.outputs[0] } : unknown;
      case 'outputs':
        return { kind: 'list', items: model.outputs.map((t) => ({ kind: 'tensor', tensor: t }) as PyValue) };
      case 'name':
        return model.name ? str(model.name) : unknown;
      case 'output_shape':
      case 'input_shape':
        return unknown;
      default:
        return undefined;
    }
  }

  private modelMethod(model: KerasModel, name: string, args: CallArgs, line: number): PyValue | undefined {
    switch (name) {
      case 'add': {
        const item = args.positional[0] ?? args.keywords.get('layer');
        if (item) this.add(model, item, line);
        return none;
      }
      case 'pop':
        this.note(line, 'model.pop() is not followed; the layer stays in the model');
        return none;
      case 'compile':
        if (model.compile) this.note(line, `this model is compiled again; the settings of the first compile (line ${model.compile.line}) are written`);
        else model.compile = { args: { positional: [], keywords: named(args, signatures['compile'] ?? []) }, line };
        return none;
      case 'fit':
      case 'fit_generator': {
        const settings = named(args, signatures['fit'] ?? []);
        const x = settings.get('x');
        if (model.inputs.length === 0 && x?.kind === 'array' && x.shape && x.shape.length > 1) this.startSequential(model, x.shape.slice(1), line);
        if (model.fit) this.note(line, `fit is called again; the settings of the first call (line ${model.fit.line}) are written`);
        else model.fit = { args: { positional: [], keywords: settings }, line };
        return unknown;
      }
      case 'build': {
        const shape = shapeOf(args.positional[0] ?? args.keywords.get('input_shape') ?? none);
        if (model.inputs.length === 0 && shape && shape.length > 1) this.startSequential(model, shape.slice(1), line);
        return none;
      }
      case 'get_layer': {
        const wanted = args.positional[0] ?? args.keywords.get('name');
        const layer = reachableNodes(model.outputs, model.inputs)
          .map((n) => n.layer)
          .find((l) => wanted?.kind === 'string' && l.name === wanted.value);
        return layer ? { kind: 'layer', layer } : unknownBecause(`a layer the model does not name`, line);
      }
      case 'summary':
      case 'save':
      case 'save_weights':
      case 'load_weights':
        return none;
      default:
        return unknown;
    }
  }

  // ---- Keras Tuner ----

  private hyperParameter(parameters: HyperParameter[], method: string, args: CallArgs, line: number): PyValue {
    let nameValue = args.positional[0] ?? args.keywords.get('name');
    if (!nameValue) return unknown;
    if (nameValue.kind === 'unknown' && nameValue.partial !== undefined) {
      const base = nameValue.partial.replace(/[_\-\s]+$/, '') || 'parameter';
      this.note(line, `the hyperparameter name f"${nameValue.partial}{…}" changes with the index of a searched loop; a .model \`repeat\` has one value per parameter, so every repetition uses '${base}'`);
      nameValue = str(base);
    }
    if (nameValue.kind !== 'string') return unknown;
    const existing = parameters.find((p) => p.name === (nameValue as { value: string }).value);
    if (existing) return { kind: 'symbolic', symbolic: symbolOf(existing) };
    const declared = declareHyperParameter(method, nameValue.value, args, line);
    if (typeof declared === 'string') {
      this.note(line, `${declared}; left out`);
      return unknown;
    }
    parameters.push(declared);
    if (declared.type === 'Fixed') return declared.defaultValue;
    return { kind: 'symbolic', symbolic: symbolOf(declared) };
  }

  private symbolicBinary(operator: BinaryOperator, left: PyValue, right: PyValue, line: number): PyValue {
    const l = left.kind === 'symbolic' ? left.symbolic.value : left;
    const r = right.kind === 'symbolic' ? right.symbolic.value : right;
    const value = this.interpreter.binary(operator, l, r, line);
    const symbolic = symbolicArithmetic(operator, left, right, value);
    if (symbolic) return { kind: 'symbolic', symbolic };
    if (left.kind === 'symbolic') this.concrete(left, line, `the operation \`${operator}\``);
    if (right.kind === 'symbolic') this.concrete(right, line, `the operation \`${operator}\``);
    return value;
  }

  private tuner(className: string, args: CallArgs, line: number): PyValue {
    const settings = named(args, signatures[className] ?? []);
    const hypermodel = settings.get('hypermodel');
    const tuner: Tuner = { className, args: { positional: [], keywords: settings }, line, ...(hypermodel ? { hypermodel } : {}) };
    this.tuners.push(tuner);
    if (hypermodel?.kind === 'function') {
      const parameters: HyperParameter[] = [];
      const outer = this.activeParameters;
      this.activeParameters = parameters;
      let built: PyValue;
      try {
        built = this.interpreter.callFunction(hypermodel, { positional: [{ kind: 'hp', parameters }], keywords: new Map() }, line);
      } finally {
        this.activeParameters = outer;
      }
      if (built.kind === 'model') {
        built.model.parameters = parameters;
        built.model.builtBy = hypermodel.name;
        tuner.model = built.model;
      } else this.note(line, `${hypermodel.name}(hp) does not return a model Layerlab can follow; the search is left out`);
    } else this.note(line, `the ${className} search is given ${hypermodel ? describe(hypermodel) : 'no hypermodel'}, not a build_model(hp) function; left out`);
    return { kind: 'tuner', tuner };
  }

  private tunerMethod(tuner: Tuner, name: string, args: CallArgs, line: number): PyValue {
    if (name === 'search') {
      if (!tuner.search) tuner.search = { args: { positional: [], keywords: named(args, signatures['search'] ?? []) }, line };
      return none;
    }
    if (name === 'search_space_summary' || name === 'results_summary') return none;
    return unknown;
  }
}

/** `copy.deepcopy`: plain containers copied, everything else shared. */
function deepCopy(value: PyValue): PyValue {
  switch (value.kind) {
    case 'list':
      return { kind: 'list', items: value.items.map(deepCopy) };
    case 'tuple':
      return tuple(value.items.map(deepCopy));
    case 'dict':
      return { kind: 'dict', entries: new Map([...value.entries].map(([k, e]) => [k, { key: e.key, value: deepCopy(e.value) }])) };
    default:
      return value;
  }
}

export function isModel(item: KerasLayer | KerasModel): item is KerasModel {
  return 'variables' in item;
}

function leftOut(className: string): string {
  if (isShapeKeeping(className)) return `${className} is not a layer Layerlab knows; left out (it has no weights and keeps the shape, so shapes and totals are unchanged)`;
  return `${className} is not a layer Layerlab knows; left out, so the layers after it may get other shapes`;
}

/** The layer nodes between a model's inputs and its outputs, in the order they were created. */
export function reachableNodes(outputs: readonly Tensor[], inputs: readonly Tensor[]): LayerNode[] {
  const seen = new Set<GraphNode>();
  const stop = new Set(inputs.map((t) => t.node));
  const stack = outputs.map((t) => t.node);
  while (stack.length) {
    const node = stack.pop();
    if (!node || seen.has(node)) continue;
    seen.add(node);
    if (node.kind !== 'layer' || stop.has(node)) continue;
    for (const t of [...node.inputs, ...node.initialState]) stack.push(t.node);
  }
  return [...seen].filter((n): n is LayerNode => n.kind === 'layer' && !stop.has(n)).sort((a, b) => a.id - b.id);
}
