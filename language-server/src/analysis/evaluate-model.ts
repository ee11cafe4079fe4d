import type { CallExpression, Expression, InputStatement, LayerStatement, ModelDeclaration, Range, Statement } from '../syntax/ast.js';
import { builtInDatasets } from '../catalog/datasets.js';
import { formatShape, knownSize } from '../catalog/common.js';
import { findLayer, layerCatalog } from '../catalog/layers.js';
import { LayerError, type InnerLayer, type LayerOutcome, type LayerSpec, type Shape, type TfModule } from '../catalog/types.js';
import { maxSize, resolveArguments, type ResolvedArgs } from './arguments.js';
import { didYouMean, suggest } from './did-you-mean.js';
import type { DiagnosticSink } from './diagnostics.js';
import { evaluate, type Bindings } from './expressions.js';
import type { EvaluatedModel, LayerInstance, ModelInput, ModelTotals, Repetition } from './model-types.js';
import { describeKind, type EvaluatedArgument, type Value } from './values.js';

export interface EvaluationOptions {
  readonly sink: DiagnosticSink;
  /** Prefix for every message, e.g. naming the variant being evaluated. */
  readonly context: string;
  /** Style warnings (unused labels, discarded outputs) are reported once, for the model as written. */
  readonly reportWarnings: boolean;
}

/** Most repetitions a `repeat` may ask for; beyond this the file is surely a typo, and analysis must stay instant. */
export const maxRepetitions = 10000;

/** Most layer instances one model may expand to (nested `repeat`s multiply); analysis stays bounded. */
export const maxLayers = 20000;

interface Tensor {
  /** Undefined once an error made the shape unknowable: later layers stay quiet. */
  readonly shape: Shape | undefined;
  readonly producer?: LayerInstance;
  /** Lengths of the first spatial axis through the layers that changed it, for messages. */
  readonly trail: readonly number[];
  readonly receptive?: { readonly size: readonly number[]; readonly jump: readonly number[] };
  consumed: boolean;
  labelled: boolean;
}

interface LabelEntry {
  tensor: Tensor;
  readonly range: Range;
  readonly statement: Statement;
  used: boolean;
}

const snakeCases = new Map<string, string>();

/** Keras `to_snake_case`, as it names layers: `MaxPooling2D` → `max_pooling2d`. */
function snakeCase(name: string): string {
  const cached = snakeCases.get(name);
  if (cached) return cached;
  const result = name
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
  snakeCases.set(name, result);
  return result;
}

function rangeOfCall(call: CallExpression): Range {
  return call.range;
}

class ModelEvaluator {
  private readonly layers: LayerInstance[] = [];
  private readonly labels = new Map<string, LabelEntry>();
  private readonly nameCounts = new Map<string, number>();
  private readonly usedNames = new Set<string>();
  private readonly repetitions: Repetition[] = [];
  private current: Tensor | undefined;
  private input: ModelInput | undefined;
  private complete = true;
  private missingInputReported = false;
  private tooLargeReported = false;
  private readonly errorsBefore: number;

  constructor(
    private readonly bindings: Bindings,
    private readonly options: EvaluationOptions,
  ) {
    this.errorsBefore = options.sink.errorCount;
  }

  run(name: string, declaration: ModelDeclaration, bodyDeclaration: ModelDeclaration): EvaluatedModel {
    this.block(bodyDeclaration.body ?? []);
    if (!this.input && !this.missingInputReported) {
      this.error('input', `model \`${bodyDeclaration.name.name}\` has no input; add \`input (28, 28, 1)\` or \`input mnist\` as its first line`, bodyDeclaration.name.range);
      this.complete = false;
    }
    const output = this.current?.producer;
    if (this.options.reportWarnings) this.reportUnusedLabels();
    const discarded = discardedLayers(this.layers, output);
    return {
      name,
      declaration,
      bodyDeclaration,
      parameters: this.bindings,
      input: this.input,
      layers: this.layers,
      output,
      discarded,
      totals: totalsOf(discarded.size ? this.layers.filter((l) => !discarded.has(l)) : this.layers),
      complete: this.complete && this.current?.shape !== undefined,
      errorCount: this.options.sink.errorCount - this.errorsBefore,
    };
  }

  private error(code: Parameters<DiagnosticSink['error']>[0], message: string, range: Range, extra: Parameters<DiagnosticSink['error']>[3] = {}): void {
    this.options.sink.error(code, `${this.options.context}${message}`, range, extra);
  }

  private warning(code: Parameters<DiagnosticSink['warning']>[0], message: string, range: Range, extra: Parameters<DiagnosticSink['warning']>[3] = {}): void {
    if (this.options.reportWarnings) this.options.sink.warning(code, `${this.options.context}${message}`, range, extra);
  }

  private block(statements: readonly Statement[]): void {
    for (const statement of statements) {
      switch (statement.kind) {
        case 'input':
          this.inputStatement(statement);
          break;
        case 'layer':
          this.layerStatement(statement);
          break;
        case 'from':
          this.fromStatement(statement.target.name, statement.target.range, statement);
          break;
        case 'repeat':
          this.repeatStatement(statement.count, statement.body, statement.range);
          break;
        case 'if':
          this.ifStatement(statement.condition, statement.body);
          break;
      }
    }
  }

  private value(expression: Expression): Value {
    return evaluate(expression, this.bindings, this.options.sink);
  }

  private repeatStatement(countExpression: Expression, body: readonly Statement[], range: Range): void {
    const count = this.value(countExpression);
    if (count.kind === 'error') {
      this.complete = false;
      return;
    }
    if (count.kind !== 'number' || !Number.isInteger(count.value) || count.value < 0) {
      this.error('argument-type', `\`repeat\` needs a whole number of repetitions, got ${describeKind(count)}`, countExpression.range);
      this.complete = false;
      return;
    }
    if (count.value > maxRepetitions) {
      this.error('argument-type', `\`repeat ${count.value}\` is more than the ${maxRepetitions} repetitions Layerlab analyses; is the count right?`, countExpression.range);
      this.complete = false;
      return;
    }
    for (let i = 0; i < count.value; i++) {
      if (this.layers.length >= maxLayers) {
        if (!this.tooLargeReported) this.error('argument-type', `this model expands to more than ${maxLayers.toLocaleString('en-US')} layers; Layerlab stops analysing it here`, countExpression.range);
        this.tooLargeReported = true;
        this.complete = false;
        return;
      }
      this.repetitions.push({ index: i + 1, count: count.value, statement: range });
      this.block(body);
      this.repetitions.pop();
    }
  }

  private ifStatement(conditionExpression: Expression, body: readonly Statement[]): void {
    const condition = this.value(conditionExpression);
    if (condition.kind === 'error') return;
    if (condition.kind !== 'bool') {
      this.error('argument-type', `\`if\` needs a boolean such as a parameter \`bn = true\`, got ${describeKind(condition)}`, conditionExpression.range);
      return;
    }
    if (condition.value) this.block(body);
  }

  private inputStatement(statement: InputStatement): void {
    if (this.input) {
      const line = statement.keyword;
      this.error('input', 'a model has exactly one input; remove this one or use a separate model', line);
      return;
    }
    const value = this.value(statement.value);
    const shape = this.inputShape(value, statement);
    const dataset = value.kind === 'symbol' && builtInDatasets.has(value.name) ? value.name : undefined;
    this.input = {
      statement,
      shape: shape ?? [],
      dataset,
      label: statement.label?.name,
    };
    if (!shape) this.complete = false;
    const spatialStart = shape && shape.length >= 2 && typeof shape[0] === 'number' ? [shape[0]] : [];
    const spatialAxes = shape ? Math.max(0, shape.length - 1) : 0;
    const tensor: Tensor = {
      shape,
      trail: spatialStart,
      receptive: spatialAxes > 0 ? { size: new Array<number>(spatialAxes).fill(1), jump: new Array<number>(spatialAxes).fill(1) } : undefined,
      consumed: false,
      labelled: statement.label !== undefined,
    };
    this.current = tensor;
    if (statement.label) this.defineLabel(statement.label.name, statement.label.range, statement, tensor);
  }

  private inputShape(value: Value, statement: InputStatement): Shape | undefined {
    const range = statement.value.range;
    if (value.kind === 'error') return undefined;
    if (value.kind === 'symbol') {
      const dataset = builtInDatasets.get(value.name);
      if (dataset) return dataset.shape;
      this.error('input', `unknown dataset \`${value.name}\`${didYouMean(value.name, builtInDatasets.keys())}; write a built-in dataset (${[...builtInDatasets.keys()].join(', ')}) or a shape such as (28, 28, 1)`, range, {
        replacements: suggest(value.name, builtInDatasets.keys()),
      });
      return undefined;
    }
    const items = value.kind === 'tuple' ? value.items : value.kind === 'number' ? [value] : undefined;
    if (!items || items.length === 0) {
      this.error('input', `\`input\` takes a shape such as (28, 28, 1) or a dataset name, got ${describeKind(value)}`, range);
      return undefined;
    }
    const shape: (number | null)[] = [];
    for (const item of items) {
      if (item.kind === 'none') shape.push(null);
      else if (item.kind === 'number' && Number.isInteger(item.value) && item.value >= 1 && item.value <= maxSize) shape.push(item.value);
      else {
        this.error('input', `every axis of the input shape must be a positive integer up to ${maxSize.toLocaleString('en-US')}, or None; got ${describeKind(item)}`, range);
        return undefined;
      }
    }
    return shape;
  }

  private defineLabel(name: string, range: Range, statement: Statement, tensor: Tensor): void {
    const existing = this.labels.get(name);
    if (existing && existing.statement !== statement) {
      this.error('label', `the label \`${name}\` is already defined in this model; choose another name`, range);
      return;
    }
    this.labels.set(name, { tensor, range, statement, used: existing?.used ?? false });
  }

  private fromStatement(name: string, range: Range, statement: Statement): void {
    const entry = this.labels.get(name);
    if (!entry) {
      this.error('label', `no earlier layer is labelled \`${name}\`${didYouMean(name, this.labels.keys())}; label one with \`${name} = Layer(...)\``, range, {
        replacements: suggest(name, this.labels.keys()),
      });
      this.current = { shape: undefined, trail: [], consumed: false, labelled: false };
      this.complete = false;
      return;
    }
    entry.used = true;
    const previous = this.current;
    if (previous?.producer && previous.shape && !previous.consumed && !previous.labelled) {
      this.warning(
        'discarded-output',
        `\`from ${name}\` drops the output of ${previous.producer.spec.name} on the line above, which nothing uses; label it or remove the layers that lead to it`,
        statement.range,
      );
    }
    this.current = entry.tensor;
  }

  private layerStatement(statement: LayerStatement): void {
    const call = statement.call;
    const spec = findLayer(call.callee.name);
    const evaluatedArgs = call.args.map<EvaluatedArgument>((a) => ({
      name: a.name?.name,
      nameRange: a.name?.range,
      value: a.name === undefined && spec?.merge && a.value.kind === 'name' ? { kind: 'symbol', name: a.value.name } : this.value(a.value),
      expression: a.value,
    }));
    const label = statement.label;
    const poison = (): void => {
      this.complete = false;
      const tensor: Tensor = { shape: undefined, trail: [], consumed: false, labelled: label !== undefined };
      if (this.current) this.current.consumed = true;
      this.current = tensor;
      if (label) this.defineLabel(label.name, label.range, statement, tensor);
    };
    if (!spec) {
      const replacements = suggest(call.callee.name, layerCatalog.keys());
      this.error('unknown-layer', `unknown layer \`${call.callee.name}\`${didYouMean(call.callee.name, layerCatalog.keys())}`, call.callee.range, { replacements });
      return poison();
    }

    // Merge layers: positional names are the labelled tensors to merge.
    const mergeSources: { name: string; range: Range }[] = [];
    let layerArgs = evaluatedArgs;
    if (spec.merge) {
      layerArgs = [];
      for (const a of evaluatedArgs) {
        if (a.name !== undefined) layerArgs.push(a);
        else if (a.expression.kind === 'name') mergeSources.push({ name: a.expression.name, range: a.expression.range });
        else this.error('merge', `${spec.name} takes the labels of the tensors to merge, e.g. \`${spec.name}(skip)\`; got ${describeKind(a.value)}`, a.expression.range);
      }
    }

    const args = resolveArguments(spec.name, spec.args, layerArgs, call.callee.range, this.bindings.keys(), { sink: this.options.sink, context: this.options.context });
    const wrapped = spec.wrapper ? this.innerLayer(args, call) : undefined;
    const inner = wrapped?.layer;

    const sources: Tensor[] = [];
    for (const source of mergeSources) {
      const entry = this.labels.get(source.name);
      if (!entry) {
        this.error('label', `no earlier layer is labelled \`${source.name}\`${didYouMean(source.name, this.labels.keys())}`, source.range, { replacements: suggest(source.name, this.labels.keys()) });
        return poison();
      }
      entry.used = true;
      sources.push(entry.tensor);
    }

    const current = this.current;
    if (!current) {
      if (!this.missingInputReported) {
        this.missingInputReported = true;
        this.error('input', `${spec.name} has no input: start the model with \`input (28, 28, 1)\` or \`input mnist\``, call.callee.range);
      }
      return poison();
    }
    if (spec.merge) {
      const count = 1 + sources.length;
      if (count < spec.merge.minInputs || (spec.merge.maxInputs !== undefined && count > spec.merge.maxInputs)) {
        const wanted = spec.merge.maxInputs === spec.merge.minInputs ? `exactly ${spec.merge.minInputs - 1}` : `at least ${spec.merge.minInputs - 1}`;
        this.error('merge', `${spec.name} merges the current tensor with ${wanted} labelled tensor${spec.merge.minInputs === 2 ? '' : 's'}, e.g. \`${spec.name}(skip)\``, rangeOfCall(call));
        return poison();
      }
    }
    const inputs = [current, ...sources];
    if (!args.valid || (spec.wrapper && !inner) || inputs.some((t) => t.shape === undefined)) {
      inputs.forEach((t) => (t.consumed = true));
      return poison();
    }
    const shapes = inputs.map((t) => t.shape ?? []);
    const rankProblem = rankMismatch(spec, shapes[0] ?? []);
    if (rankProblem) {
      this.error('rank', this.withRepetition(spec.name, rankProblem.message, inputs[0]), rangeOfCall(call), rankProblem.insertFlatten ? { replacements: ['Flatten()'] } : {});
      inputs.forEach((t) => (t.consumed = true));
      return poison();
    }
    let outcome: LayerOutcome;
    try {
      outcome = spec.infer({ args, inputs: shapes, inner });
    } catch (error) {
      const layerError = error instanceof LayerError ? error : undefined;
      const message = layerError ? layerError.message : `internal error while analysing ${spec.name}: ${String(error)}; please report it`;
      const at = (layerError?.argument && args.ranges.get(layerError.argument)) || rangeOfCall(call);
      const code = message.includes(' smaller than the ') ? 'spatial-too-small' : spec.merge ? 'merge' : 'shape';
      this.error(code, this.withRepetition(spec.name, message, current, code === 'spatial-too-small'), at);
      inputs.forEach((t) => (t.consumed = true));
      return poison();
    }

    const tooLarge = outcome.output.some((d) => d !== null && d > maxSize) || !Number.isSafeInteger(outcome.weights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0));
    if (tooLarge) {
      this.error('shape', this.withRepetition(spec.name, `${spec.name}: its output or parameter count is too large to be exact (over ${maxSize.toLocaleString('en-US')} per axis or 2^53 parameters); are the sizes right?`, current), rangeOfCall(call));
      inputs.forEach((t) => (t.consumed = true));
      return poison();
    }
    const instance = this.makeInstance(statement, spec, args, inputs, shapes, outcome, wrapped);
    this.layers.push(instance);
    inputs.forEach((t) => (t.consumed = true));
    const tensor: Tensor = {
      shape: outcome.output,
      producer: instance,
      trail: nextTrail(current, outcome.output),
      receptive: instance.receptive,
      consumed: false,
      labelled: label !== undefined,
    };
    this.current = tensor;
    if (label) this.defineLabel(label.name, label.range, statement, tensor);
  }

  private withRepetition(layer: string, message: string, input: Tensor | undefined, withTrail = false): string {
    const where = this.repetitions.map((r) => `repetition ${r.index} of ${r.count}`).join(', ');
    let text = message;
    if (where) text = text.startsWith(`${layer}:`) ? `${layer} (${where}):${text.slice(layer.length + 1)}` : `${layer} (${where}): ${text}`;
    if (withTrail && input && input.trail.length > 1) text += ` (${input.trail.join(' -> ')})`;
    return text;
  }

  private innerLayer(args: ResolvedArgs, call: CallExpression): { layer: InnerLayer; spec: LayerSpec; args: ResolvedArgs } | undefined {
    const value = args.value('layer');
    if (value.kind !== 'call') return undefined;
    const spec = findLayer(value.callee);
    if (!spec) {
      this.error('unknown-layer', `unknown layer \`${value.callee}\`${didYouMean(value.callee, layerCatalog.keys())}`, value.node.callee.range, { replacements: suggest(value.callee, layerCatalog.keys()) });
      return undefined;
    }
    if (spec.merge || spec.wrapper) {
      this.error('argument-type', `${call.callee.name} cannot wrap ${spec.name}`, value.node.range);
      return undefined;
    }
    const innerArgs = resolveArguments(spec.name, spec.args, value.args, value.node.callee.range, this.bindings.keys(), { sink: this.options.sink, context: this.options.context });
    if (!innerArgs.valid) return undefined;
    const infer = (input: Shape): LayerOutcome => {
      const problem = rankMismatch(spec, input);
      if (problem) throw new LayerError(`inside ${call.callee.name}: ${problem.message}`);
      return spec.infer({ args: innerArgs, inputs: [input] });
    };
    const layer: InnerLayer = {
      type: spec.name,
      infer,
      build: (tf: TfModule, name: string, input: Shape): unknown => {
        if (!spec.build) throw new LayerError(spec.buildUnavailable ?? `${spec.name} cannot be built with TensorFlow.js`);
        return spec.build(tf, { args: innerArgs, name, inputShapes: [input], outputShape: infer(input).output });
      },
    };
    return { layer, spec, args: innerArgs };
  }

  private makeInstance(
    statement: LayerStatement,
    spec: LayerSpec,
    args: ResolvedArgs,
    inputs: readonly Tensor[],
    shapes: readonly Shape[],
    outcome: LayerOutcome,
    wrapped: { spec: LayerSpec; args: ResolvedArgs } | undefined,
  ): LayerInstance {
    // A wrapper's weights are its inner layer's: `trainable=false` on either freezes them.
    const trainableFlag = args.bool('trainable') && (wrapped ? wrapped.args.bool('trainable') : true);
    let trainable = 0;
    let nonTrainable = 0;
    for (const w of outcome.weights) {
      const size = w.shape.reduce((a, b) => a * b, 1);
      if (w.trainable && trainableFlag) trainable += size;
      else nonTrainable += size;
    }
    const explicitName = args.optionalText('name');
    const label = statement.label?.name;
    const name = this.layerName(spec, explicitName, label, args.ranges.get('name') ?? statement.call.callee.range);
    const elements = knownSize(outcome.output);
    const receptive = nextReceptive(inputs, outcome);
    return {
      index: this.layers.length,
      statement,
      spec,
      args,
      name,
      label,
      repetitions: [...this.repetitions],
      inputs: inputs.map((t) => t.producer),
      inputShapes: shapes,
      outputShape: outcome.output,
      weights: outcome.weights.map((w) => (trainableFlag ? w : { ...w, trainable: false })),
      params: trainable + nonTrainable,
      trainableParams: trainable,
      nonTrainableParams: nonTrainable,
      macs: outcome.macs,
      formula: outcome.formula,
      activationBytes: elements === undefined ? null : elements * 4,
      receptiveField: receptive && (outcome.window || outcome.keepsReceptiveField) ? receptive.size : undefined,
      receptive,
      inner: wrapped ? { spec: wrapped.spec, args: wrapped.args } : undefined,
    };
  }

  /**
   * Keras names: the user's name, else the class name in snake case numbered per
   * model (`conv2d`, `conv2d_1`); only unnamed layers use up numbers. A label
   * names its layer; inside `repeat` later repetitions get `label_1`, `label_2`.
   */
  private layerName(spec: LayerSpec, explicitName: string | undefined, label: string | undefined, range: Range): string {
    if (explicitName !== undefined) {
      if (this.usedNames.has(explicitName)) {
        const inRepeat = this.repetitions.length > 0 ? '; inside `repeat` every repetition would reuse it, so leave `name` out' : '';
        this.error('label', `the layer name '${explicitName}' is used twice in this model, which Keras rejects${inRepeat}`, range);
      }
      this.usedNames.add(explicitName);
      return explicitName;
    }
    if (label !== undefined) {
      let name = label;
      for (let n = 1; this.usedNames.has(name); n++) name = `${label}_${n}`;
      this.usedNames.add(name);
      return name;
    }
    const base = snakeCase(spec.name);
    let count = this.nameCounts.get(base) ?? 0;
    let name = count === 0 ? base : `${base}_${count}`;
    while (this.usedNames.has(name)) name = `${base}_${++count}`;
    this.nameCounts.set(base, count + 1);
    this.usedNames.add(name);
    return name;
  }

  private reportUnusedLabels(): void {
    for (const [name, entry] of this.labels) {
      if (entry.used || entry.tensor === this.current) continue;
      this.warning('unused-label', `the label \`${name}\` is never used by \`from\` or a merge; remove it`, entry.range, { unnecessary: true });
    }
  }
}

function rankMismatch(spec: LayerSpec, shape: Shape): { message: string; insertFlatten: boolean } | undefined {
  const rank = spec.inputRank;
  if (!rank) return undefined;
  const r = shape.length;
  if (r >= rank.min && (rank.max === undefined || r <= rank.max)) return undefined;
  const wanted = rank.max === rank.min ? `rank ${rank.min}` : rank.max === undefined ? `rank ${rank.min} or more` : `rank ${rank.min} to ${rank.max}`;
  const tooHigh = rank.max !== undefined && r > rank.max;
  const advice = tooHigh && rank.max === 1 ? '; insert `Flatten()` before it' : !tooHigh && r === 1 && rank.min > 1 ? '; a Flatten or Dense before it removed the spatial axes — use `Reshape(...)` or move it earlier' : '';
  return {
    message: `${spec.name} expects an input of ${wanted} ${rank.describe} (batch axis not counted), but gets ${formatShape(shape)}${advice}`,
    insertFlatten: tooHigh && rank.max === 1,
  };
}

function nextTrail(input: Tensor, output: Shape): number[] {
  const inputShape = input.shape ?? [];
  if (output.length !== inputShape.length || output.length < 2) return [];
  const first = output[0];
  if (typeof first !== 'number') return [];
  const trail = [...input.trail];
  if (trail[trail.length - 1] !== first) trail.push(first);
  return trail;
}

function nextReceptive(inputs: readonly Tensor[], outcome: LayerOutcome): { size: number[]; jump: number[] } | undefined {
  const first = inputs[0]?.receptive;
  if (!first) return undefined;
  if (outcome.window) {
    const { kernel, strides, dilation } = outcome.window;
    if (kernel.length !== first.size.length) return undefined;
    return {
      size: first.size.map((s, i) => s + ((kernel[i] ?? 1) - 1) * (dilation[i] ?? 1) * (first.jump[i] ?? 1)),
      jump: first.jump.map((j, i) => j * (strides[i] ?? 1)),
    };
  }
  if (outcome.keepsReceptiveField) {
    const size = [...first.size];
    for (const other of inputs.slice(1)) {
      if (!other.receptive) return undefined;
      other.receptive.size.forEach((s, i) => (size[i] = Math.max(size[i] ?? 0, s)));
    }
    return { size, jump: [...first.jump] };
  }
  return undefined;
}

/** Layers that do not lead to the output: Keras leaves them out of the model and its totals. */
function discardedLayers(layers: readonly LayerInstance[], output: LayerInstance | undefined): Set<LayerInstance> {
  const reached = new Set<LayerInstance>();
  const stack = output ? [output] : [];
  while (stack.length) {
    const layer = stack.pop();
    if (!layer || reached.has(layer)) continue;
    reached.add(layer);
    for (const input of layer.inputs) if (input) stack.push(input);
  }
  return new Set(output ? layers.filter((l) => !reached.has(l)) : []);
}

export function totalsOf(layers: readonly LayerInstance[]): ModelTotals {
  let params = 0;
  let trainable = 0;
  let macs: number | null = 0;
  let activationBytes: number | null = 0;
  for (const layer of layers) {
    params += layer.params;
    trainable += layer.trainableParams;
    macs = macs === null || layer.macs === null ? null : macs + layer.macs;
    activationBytes = activationBytes === null || layer.activationBytes === null ? null : activationBytes + layer.activationBytes;
  }
  return { params, trainable, nonTrainable: params - trainable, macs, weightBytes: params * 4, activationBytes };
}

/** Evaluates a model body with the given parameter values. */
export function evaluateModel(name: string, declaration: ModelDeclaration, bodyDeclaration: ModelDeclaration, parameters: Bindings, options: EvaluationOptions): EvaluatedModel {
  return new ModelEvaluator(parameters, options).run(name, declaration, bodyDeclaration);
}
