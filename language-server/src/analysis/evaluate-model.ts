import type { CallExpression, Expression, Identifier, InputStatement, LayerStatement, ModelDeclaration, NameReference, OutputStatement, Range, Statement } from '../syntax/ast.js';
import { builtInDatasets } from '../catalog/datasets.js';
import { formatShape, knownSize, product } from '../catalog/common.js';
import { findLayer, layerCatalog } from '../catalog/layers.js';
import { LayerError, type InnerLayer, type LayerOutcome, type LayerSpec, type Shape, type StateSpec, type TfModule } from '../catalog/types.js';
import { maxSize, resolveArguments, type ResolvedArgs } from './arguments.js';
import { didYouMean, suggest } from './did-you-mean.js';
import type { DiagnosticCode, DiagnosticSink } from './diagnostics.js';
import { evaluate, type Bindings } from './expressions.js';
import { walkStatements } from '../syntax/walk.js';
import type { EvaluatedModel, LayerInstance, ModelInput, ModelTotals, Repetition, TensorSource } from './model-types.js';
import { describeKind, errorValue, symbolValue, type EvaluatedArgument, type Value } from '../catalog/values.js';

export interface EvaluationOptions {
  readonly sink: DiagnosticSink;
  /** Prefix for every message, e.g. naming the variant being evaluated. */
  readonly context: string;
  /** Style warnings (discarded outputs, Keras 2 arguments) are reported once, for the model as written. */
  readonly reportWarnings: boolean;
}

/** Most repetitions a `repeat` may ask for; beyond this the file is surely a typo, and analysis must stay instant. */
export const maxRepetitions = 10000;

/** Most layer instances one model may expand to (nested `repeat`s multiply); analysis stays bounded. */
export const maxLayers = 20000;

/**
 * Most passes through `repeat` bodies in one model. Bodies that add no layer (empty, or an `if`
 * that is false) escape `maxLayers`: `repeat 10000 { repeat 10000 { } }` would loop 10^8 times.
 */
export const maxRepetitionPasses = 10 * maxLayers;

type Receptive = { readonly size: readonly number[]; readonly jump: readonly number[] };

interface Tensor {
  /** Undefined once an error made the shape unknowable: later layers stay quiet. */
  readonly shape: Shape | undefined;
  /** Where it comes from; undefined with the shape. */
  readonly source: TensorSource | undefined;
  /** Lengths of the first spatial axis through the layers that changed it, for messages. */
  readonly trail: readonly number[];
  readonly receptive: Receptive | undefined;
  consumed: boolean;
  labelled: boolean;
}

// Shared by every tensor and layer that has none (all readonly): allocating one per layer showed in the profile.
const noTrail: readonly number[] = Object.freeze([]);
const noRepetitions: readonly Repetition[] = Object.freeze([]);
const noNames: readonly NameReference[] = Object.freeze([]);

/** An `EvaluatedArgument` that `layerStatement` rewrites for each call. */
interface ScratchArgument {
  name: string | undefined;
  nameRange: Range | undefined;
  value: Value;
  expression: Expression;
}

const scratchExpression: Expression = { kind: 'missing', range: { start: 0, end: 0 } };

interface LabelEntry {
  tensor: Tensor;
  readonly range: Range;
  readonly statement: Statement;
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

/** Arguments taken out of a call before the schema sees it, as bits of what {@link specialArguments} finds. */
const Special = {
  /** A Keras 2 argument that `keras2Arguments` handles. */
  Keras2: 1,
  /** `initial_state=`: a call argument of recurrent layers in Keras, the labels of the state tensors here. */
  InitialState: 2,
} as const;

/** Which special arguments a call names (rare: checked before any work). */
function specialArguments(args: readonly EvaluatedArgument[]): number {
  let found = 0;
  for (let i = 0; i < args.length; i++) {
    const name = args[i]?.name;
    if (name === 'input_shape' || name === 'batch_input_shape' || name === 'input_length') found |= Special.Keras2;
    else if (name === 'initial_state') found |= Special.InitialState;
  }
  return found;
}

/** The range that covers a statement's labels, `seq, h, c`. */
function labelsRange(first: Identifier | undefined, more: readonly Identifier[]): Range {
  const last = more[more.length - 1];
  const start = first?.range.start ?? more[0]?.range.start ?? 0;
  return { start, end: last?.range.end ?? first?.range.end ?? start };
}

function rangeOfCall(call: CallExpression): Range {
  return call.range;
}

class ModelEvaluator {
  private readonly layers: LayerInstance[] = [];
  private readonly edges = new LayerEdges();
  private readonly totals = new Totals();
  private readonly labels = new Map<string, LabelEntry>();
  private readonly names = new LayerNames();
  /** Argument records by argument count, see `scratchArguments`. */
  private readonly scratch: ScratchArgument[][] = [];
  private readonly repetitions: Repetition[] = [];
  /** A copy of `repetitions` that layers share until the next change to it. */
  private repetitionsCopy: readonly Repetition[] | undefined = noRepetitions;
  /** The input shapes of the last single-input layer, shared by the next ones with the same input shape. */
  private singleShape: readonly Shape[] | undefined;
  private current: Tensor | undefined;
  private readonly inputs: ModelInput[] = [];
  /** The sources `output a, b` names; undefined without an `output` statement. */
  private outputSources: TensorSource[] | undefined;
  private complete = true;
  private missingInputReported = false;
  /** The layer whose Keras 2 `input_shape=` gave the model its input, when one did. */
  private keras2Input: LayerStatement | undefined;
  private tooLargeReported = false;
  private repetitionPasses = 0;
  private readonly errorsBefore: number;

  constructor(
    private readonly bindings: Bindings,
    private readonly options: EvaluationOptions,
  ) {
    this.errorsBefore = options.sink.errorCount;
  }

  run(name: string, declaration: ModelDeclaration, bodyDeclaration: ModelDeclaration): EvaluatedModel {
    const body = bodyDeclaration.body ?? [];
    this.block(body);
    if (this.inputs.length === 0 && !this.missingInputReported) {
      this.error('input', `model \`${bodyDeclaration.name.name}\` has no input; add \`input (28, 28, 1)\` or \`input mnist\` as its first line`, bodyDeclaration.name.range);
      this.complete = false;
    }
    this.checkOutputPlacement(body);
    this.checkInputLabels();
    const current = this.current?.source;
    const outputs = this.outputSources ?? (current ? [current] : []);
    const complete = this.complete && (this.outputSources ? outputs.length > 0 : this.current?.shape !== undefined);
    const { discarded, reachedInputs } = this.edges.unreached(this.layers, this.inputs.length, outputs);
    // Without errors the graph is whole, and an input that no output needs is a mistake.
    if (complete && this.options.sink.errorCount === this.errorsBefore) this.checkInputsReached(reachedInputs);
    const first = outputs[0];
    const labels = new Map<string, TensorSource>();
    for (const [label, entry] of this.labels) if (entry.tensor.source) labels.set(label, entry.tensor.source);
    return {
      name,
      declaration,
      bodyDeclaration,
      parameters: this.bindings,
      inputs: this.inputs,
      input: this.inputs[0],
      layers: this.layers,
      outputs,
      output: first?.kind === 'layer' ? first.layer : undefined,
      labels,
      discarded,
      totals: discarded.size ? totalsOf(this.layers.filter((l) => !discarded.has(l))) : this.totals.result(),
      complete,
      errorCount: this.options.sink.errorCount - this.errorsBefore,
    };
  }

  /** `output` ends the model: the last statement of its body, outside `repeat` and `if`. */
  private checkOutputPlacement(body: readonly Statement[]): void {
    const last = body[body.length - 1];
    walkStatements(body, (s) => {
      if (s.kind !== 'output' || s === last) return;
      const nested = !body.includes(s);
      this.error('output', nested ? '`output` must be the model\'s last statement, outside `repeat` and `if`; move it to the end of the model' : '`output` must be the model\'s last statement; move it to the end of the model', s.keyword);
    });
  }

  /** With several inputs, each needs a label: layers name it with `from`, merges and `output`. */
  private checkInputLabels(): void {
    if (this.inputs.length < 2) return;
    const taken = new Set(this.labels.keys());
    for (const input of this.inputs) {
      const statement = input.statement;
      if (input.label !== undefined) continue;
      if (!statement) {
        const other = this.inputs.find((i) => i.statement)?.statement;
        if (other) this.error('input', `the model already takes its input from \`input_shape=\` on its first layer; to give it several inputs, write each as a labelled \`input\` statement, e.g. \`image = input (28, 28, 1)\``, other.keyword);
        continue;
      }
      let suggestion = `input_${input.index + 1}`;
      for (let n = 1; taken.has(suggestion); n++) suggestion = `input_${input.index + 1}_${n}`;
      taken.add(suggestion);
      this.error('input', `this model has ${this.inputs.length} inputs, so each needs a label to be named by: write \`${suggestion} = input ...\``, statement.keyword, {
        replacements: [`${suggestion} = input`],
      });
    }
  }

  private checkInputsReached(reached: Uint8Array): void {
    for (const input of this.inputs) {
      if (reached[input.index] === 1 || !input.statement) continue;
      const name = input.label ?? 'input';
      this.error('input', `input \`${name}\` is not connected to any output; use it in a layer that leads to an output (\`from ${name}\`, or merge it), or remove it`, input.statement.label?.range ?? input.statement.keyword);
    }
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
        case 'output':
          this.outputStatement(statement);
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
      if (++this.repetitionPasses > maxRepetitionPasses) {
        if (!this.tooLargeReported) this.error('argument-type', `the \`repeat\`s of this model run their bodies more than ${maxRepetitionPasses.toLocaleString('en-US')} times; Layerlab stops analysing it here`, countExpression.range);
        this.tooLargeReported = true;
        this.complete = false;
        return;
      }
      this.repetitions.push({ index: i + 1, count: count.value, statement: range });
      this.repetitionsCopy = undefined;
      this.block(body);
      this.repetitions.pop();
      this.repetitionsCopy = undefined;
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

  /** Each `input` is one of the model's inputs, in statement order, and starts a branch from it. */
  private inputStatement(statement: InputStatement): void {
    const existing = this.inputs.find((i) => i.statement === statement);
    if (existing) {
      // A later repetition of a `repeat` around it: one input all the same.
      this.error('input', '`input` inside `repeat` would give the model one input per repetition; move it before the block', statement.keyword);
      this.current = this.labels.get(existing.label ?? '')?.tensor ?? this.current;
      return;
    }
    if (statement.moreLabels) {
      this.error('label', `an input is one tensor, so it takes one label: \`${statement.label?.name ?? 'name'} = input ...\``, labelsRange(undefined, statement.moreLabels));
    }
    this.warnDropped(this.current, '`input` starts a new branch and', statement.range);
    const value = this.value(statement.value);
    const shape = this.inputShape(value, statement);
    const dataset = value.kind === 'symbol' && builtInDatasets.has(value.name) ? value.name : undefined;
    const label = statement.label?.name;
    const input: ModelInput = {
      statement,
      shape: shape ?? [],
      dataset,
      label,
      name: this.inputName(label),
      index: this.inputs.length,
    };
    this.inputs.push(input);
    if (!shape) this.complete = false;
    const tensor = inputTensor(input, shape, statement.label !== undefined);
    this.current = tensor;
    if (statement.label) this.defineLabel(statement.label.name, statement.label.range, statement, tensor);
  }

  /** Keras's name of an InputLayer: its label, else `input_layer` (numbered as Keras numbers layers). */
  private inputName(label: string | undefined): string {
    if (label !== undefined && this.names.claimGiven(label)) return label;
    return this.names.claimAutomatic('input_layer');
  }

  /** Warns when moving on leaves the tensor before unused: the output of an unlabelled layer that nothing takes. */
  private warnDropped(previous: Tensor | undefined, what: string, range: Range): void {
    const source = previous?.source;
    if (source?.kind !== 'layer' || !previous?.shape || previous.consumed || previous.labelled) return;
    this.warning('discarded-output', `${what} drops the output of ${source.layer.spec.name} on the line above, which nothing uses; label it or remove the layers that lead to it`, range);
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
    this.labels.set(name, { tensor, range, statement });
  }

  private fromStatement(name: string, range: Range, statement: Statement): void {
    const entry = this.labels.get(name);
    if (!entry) {
      this.error('label', `no earlier layer is labelled \`${name}\`${didYouMean(name, this.labels.keys())}; label one with \`${name} = Layer(...)\``, range, {
        replacements: suggest(name, this.labels.keys()),
      });
      this.current = { shape: undefined, source: undefined, trail: noTrail, receptive: undefined, consumed: false, labelled: false };
      this.complete = false;
      return;
    }
    this.warnDropped(this.current, `\`from ${name}\``, statement.range);
    this.current = entry.tensor;
  }

  /** `output a, b`: the labelled tensors that are the model's outputs, in order. */
  private outputStatement(statement: OutputStatement): void {
    const sources: TensorSource[] = [];
    const named = new Set<string>();
    for (const name of statement.names) {
      if (named.has(name.name)) {
        this.error('output', `\`${name.name}\` is already an output of this model; name each output once`, name.range);
        continue;
      }
      named.add(name.name);
      const entry = this.labels.get(name.name);
      if (!entry) {
        this.error('label', `no earlier layer is labelled \`${name.name}\`${didYouMean(name.name, this.labels.keys())}; label the layer whose output this is, \`${name.name} = Layer(...)\``, name.range, {
          replacements: suggest(name.name, this.labels.keys()),
        });
        this.complete = false;
        continue;
      }
      entry.tensor.consumed = true;
      if (entry.tensor.source) sources.push(entry.tensor.source);
      else this.complete = false;
    }
    this.warnDropped(this.current, '`output`', statement.range);
    this.outputSources = sources;
  }

  private layerStatement(statement: LayerStatement): void {
    const call = statement.call;
    const spec = findLayer(call.callee.name);
    const evaluatedArgs = this.scratchArguments(call.args.length);
    for (let i = 0; i < call.args.length; i++) {
      const a = call.args[i];
      const e = evaluatedArgs[i];
      if (!a || !e) continue;
      e.name = a.name?.name;
      e.nameRange = a.name?.range;
      e.value = a.name === undefined && spec?.merge && a.value.kind === 'name' ? symbolValue(a.value.name) : this.value(a.value);
      e.expression = a.value;
    }
    if (!spec) {
      const replacements = suggest(call.callee.name, layerCatalog.keys());
      this.error('unknown-layer', `unknown layer \`${call.callee.name}\`${didYouMean(call.callee.name, layerCatalog.keys())}`, call.callee.range, { replacements });
      return this.poison(statement);
    }

    // Keras 2 arguments (`input_shape=`, `input_length=`) and `initial_state=`: taken out before the schema sees them.
    const special = specialArguments(evaluatedArgs);
    let layerArgs: readonly EvaluatedArgument[] = special & Special.Keras2 ? this.keras2Arguments(spec, statement, evaluatedArgs) : evaluatedArgs;
    let stateArgument: EvaluatedArgument | undefined;
    if (special & Special.InitialState) {
      const rest: EvaluatedArgument[] = [];
      for (const a of layerArgs) {
        if (a.name === 'initial_state' && !stateArgument) stateArgument = a;
        else rest.push(a);
      }
      layerArgs = rest;
    }
    // Recurrent layers: `initial_state=(h, c)` names the tensors of the states, inputs of the layer after its sequence.
    let stateSources: readonly NameReference[] = noNames;
    if (stateArgument) {
      const names = this.stateLabels(spec, stateArgument);
      if (!names) return this.poison(statement);
      stateSources = names;
    }

    // Merge layers: positional names are the labelled tensors to merge.
    let mergeSources: readonly NameReference[] = noNames;
    if (spec.merge) {
      const sources: NameReference[] = [];
      const named: EvaluatedArgument[] = [];
      mergeSources = sources;
      const given = layerArgs;
      layerArgs = named;
      for (const a of given) {
        if (a.name !== undefined) named.push(a);
        else if (a.expression.kind === 'name') sources.push(a.expression);
        else this.error('merge', `${spec.name} takes the labels of the tensors to merge, e.g. \`${spec.name}(skip)\`; got ${describeKind(a.value)}`, a.expression.range);
      }
    }

    const args = resolveArguments(spec.name, spec.args, layerArgs, call.callee.range, this.bindings, this.options);
    const wrapped = spec.wrapper ? this.innerLayer(args, call) : undefined;
    const inner = wrapped?.layer;

    const current = this.current;
    const inputs: Tensor[] = current ? [current] : [];
    for (const names of [mergeSources, stateSources]) {
      for (let i = 0; i < names.length; i++) {
        const source = names[i];
        if (!source) continue;
        const entry = this.labels.get(source.name);
        if (!entry) {
          this.error('label', `no earlier layer is labelled \`${source.name}\`${didYouMean(source.name, this.labels.keys())}`, source.range, { replacements: suggest(source.name, this.labels.keys()) });
          return this.poison(statement);
        }
        inputs.push(entry.tensor);
      }
    }

    if (!current) {
      if (!this.missingInputReported) {
        this.missingInputReported = true;
        this.error('input', `${spec.name} has no input: start the model with \`input (28, 28, 1)\` or \`input mnist\``, call.callee.range);
      }
      return this.poison(statement);
    }
    if (spec.merge) {
      const count = inputs.length;
      if (count < spec.merge.minInputs || (spec.merge.maxInputs !== undefined && count > spec.merge.maxInputs)) {
        const wanted = spec.merge.maxInputs === spec.merge.minInputs ? `exactly ${spec.merge.minInputs - 1}` : `at least ${spec.merge.minInputs - 1}`;
        this.error('merge', `${spec.name} merges the current tensor with ${wanted} labelled tensor${spec.merge.minInputs === 2 ? '' : 's'}, e.g. \`${spec.name}(skip)\``, rangeOfCall(call));
        return this.poison(statement);
      }
    }
    const shapes = this.inputShapes(inputs);
    if (!args.valid || (spec.wrapper && !inner) || !shapes) return this.poison(statement, inputs);
    const rankProblem = rankMismatch(spec, shapes[0] ?? []);
    if (rankProblem) {
      this.error('rank', this.withRepetition(spec.name, rankProblem.message, current), rangeOfCall(call), rankProblem.insertFlatten ? { replacements: ['Flatten()'] } : {});
      return this.poison(statement, inputs);
    }
    if (stateArgument && !this.statesFit(spec, args, inner, stateArgument, stateSources, shapes.slice(1))) return this.poison(statement, inputs);
    let outcome: LayerOutcome;
    try {
      outcome = spec.infer({ args, inputs: shapes, inner });
    } catch (error) {
      const layerError = error instanceof LayerError ? error : undefined;
      const message = layerError ? layerError.message : `internal error while analysing ${spec.name}: ${String(error)}; please report it`;
      const at = (layerError?.argument && args.rangeOf(layerError.argument)) || rangeOfCall(call);
      const code: DiagnosticCode = layerError?.code ?? (spec.merge ? 'merge' : 'shape');
      this.error(code, this.withRepetition(spec.name, message, current, code === 'spatial-too-small'), at);
      return this.poison(statement, inputs);
    }

    if (tooLarge(outcome)) {
      this.error('shape', this.withRepetition(spec.name, `${spec.name}: its output or parameter count is too large to be exact (over ${maxSize.toLocaleString('en-US')} per axis or 2^53 parameters); are the sizes right?`, current), rangeOfCall(call));
      return this.poison(statement, inputs);
    }
    const more = statement.moreLabels;
    if (more && more.length + 1 !== (outcome.outputs?.length ?? 1)) {
      this.error('label', this.labelCountMessage(spec, args, inner, more.length + 1, outcome), labelsRange(statement.label, more));
      return this.poison(statement, inputs);
    }
    const output = sameShape(outcome.output, shapes[0]) ?? outcome.output;
    const instance = this.makeInstance(statement, spec, args, inputs, shapes, outcome, output, wrapped);
    this.layers.push(instance);
    this.totals.add(instance);
    consume(inputs);
    this.edges.add(instance.index, instance.inputs);
    const label = statement.label;
    const tensor: Tensor = {
      shape: output,
      source: { kind: 'layer', layer: instance, index: 0 },
      trail: nextTrail(current, output),
      receptive: instance.receptive,
      consumed: false,
      labelled: label !== undefined,
    };
    this.current = tensor;
    if (label) this.defineLabel(label.name, label.range, statement, tensor);
    // `seq, h, c = LSTM(...)`: the later labels name the later outputs.
    const shapesOut = instance.outputShapes;
    if (more && shapesOut) {
      for (let i = 0; i < more.length; i++) {
        const name = more[i];
        const shape = shapesOut[i + 1];
        if (!name || !shape) continue;
        this.defineLabel(name.name, name.range, statement, { shape, source: { kind: 'layer', layer: instance, index: i + 1 }, trail: noTrail, receptive: undefined, consumed: false, labelled: true });
      }
    }
  }

  /** The labels `initial_state=` names: `(h, c)`, `[h, c]`, or `h` for one state. Undefined (after an error) otherwise. */
  private stateLabels(spec: LayerSpec, argument: EvaluatedArgument): NameReference[] | undefined {
    const range = argument.nameRange ?? argument.expression.range;
    if (!spec.states) {
      this.error('argument-type', `${spec.name} takes no \`initial_state\`: only recurrent layers (SimpleRNN, LSTM, GRU) and Bidirectional of them do; remove it`, range);
      return undefined;
    }
    const expression = argument.expression;
    const items = expression.kind === 'tuple' || expression.kind === 'list' ? expression.items : expression.kind === 'paren' ? [expression.inner] : [expression];
    const names: NameReference[] = [];
    for (const item of items) {
      if (item.kind === 'missing') return undefined;
      if (item.kind !== 'name') {
        this.error('argument-type', `${spec.name}: \`initial_state\` takes the labels of the state tensors, e.g. \`initial_state=(h, c)\`; got ${describeKind(this.value(item))}`, item.range);
        return undefined;
      }
      names.push(item);
    }
    return names;
  }

  /** Whether the initial states are as many as the layer carries, each of its state's shape; reports it when not. */
  private statesFit(spec: LayerSpec, args: ResolvedArgs, inner: InnerLayer | undefined, argument: EvaluatedArgument, names: readonly NameReference[], shapes: readonly Shape[]): boolean {
    const expected = spec.states?.(args, inner) ?? [];
    // A Bidirectional of a layer with no states: its own check says what it wraps.
    if (expected.length === 0) return true;
    const what = inner ? `${spec.name}(${inner.type})` : spec.name;
    if (names.length !== expected.length) {
      const start = argument.nameRange?.start ?? argument.expression.range.start;
      this.error(
        'argument-type',
        `${what} takes ${expected.length} initial state${expected.length === 1 ? '' : 's'}, ${statesText(expected)}; \`initial_state\` gives ${names.length}`,
        { start, end: argument.expression.range.end },
      );
      return false;
    }
    let fits = true;
    for (let i = 0; i < expected.length; i++) {
      const state = expected[i];
      const shape = shapes[i];
      const name = names[i];
      if (!state || !shape || !name || compatible(shape, state.shape)) continue;
      this.error('shape', `${what}: the initial state \`${name.name}\` is ${batchShape(shape)}, but its state ${state.name} must be ${batchShape(state.shape)}`, name.range);
      fits = false;
    }
    return fits;
  }

  private labelCountMessage(spec: LayerSpec, args: ResolvedArgs, inner: InnerLayer | undefined, written: number, outcome: LayerOutcome): string {
    const what = inner ? `${spec.name}(${inner.type})` : spec.name;
    const count = outcome.outputs?.length ?? 1;
    const states = spec.states?.(args, inner) ?? [];
    if (count === 1) {
      const several = states.length ? ` (with \`return_state=true\` it also returns its state${states.length === 1 ? '' : 's'} ${states.map((s) => s.name).join(', ')})` : '';
      return `${written} labels, but ${what} returns one tensor${several}; give it one label`;
    }
    const example = ['seq', ...states.map((s) => s.name)].join(', ');
    return `${written} labels, but ${what} returns ${count} tensors: the output, then ${statesText(states)}; write ${count} labels, \`${example} = ...\`, or one for the output alone`;
  }

  /**
   * `count` argument records for one layer's call, reused from layer to layer: nothing keeps them past
   * `layerStatement` (the resolved arguments copy what they need), and a fresh object per argument per
   * layer was a tenth of the analysis's allocation. Layer statements do not nest, so one set serves.
   */
  private scratchArguments(count: number): readonly ScratchArgument[] {
    let list = this.scratch[count];
    if (!list) {
      list = new Array<ScratchArgument>(count);
      for (let i = 0; i < count; i++) list[i] = { name: undefined, nameRange: undefined, value: errorValue, expression: scratchExpression };
      this.scratch[count] = list;
    }
    return list;
  }

  /**
   * Keras 2's `input_shape=` / `batch_input_shape=` (any layer) and `input_length=` (Embedding), which Keras 3 still
   * accepts with a deprecation warning. A first layer's `input_shape` is the model's input when there is no `input`
   * statement; otherwise it must agree with the layer's input. Returns the other arguments.
   */
  private keras2Arguments(spec: LayerSpec, statement: LayerStatement, args: readonly EvaluatedArgument[]): EvaluatedArgument[] {
    const rest: EvaluatedArgument[] = [];
    let shapeGiven = false;
    let lengthArgument: EvaluatedArgument | undefined;
    for (const a of args) {
      if (a.name === 'input_length' && spec.name === 'Embedding') lengthArgument = a;
      else if (a.name === 'input_shape' || a.name === 'batch_input_shape') {
        if (shapeGiven) this.error('duplicate-argument', `${spec.name}: give \`input_shape\` or \`batch_input_shape\`, not both`, a.nameRange ?? a.expression.range);
        else this.keras2InputShape(spec, statement, a, a.name);
        shapeGiven = true;
      } else rest.push(a);
    }
    if (lengthArgument) {
      const a = lengthArgument;
      const length = this.current?.shape?.[0];
      const contradiction =
        a.value.kind === 'number' && this.current?.shape?.length === 1 && typeof length === 'number' && a.value.value !== length ? `; it says ${a.value.value}, but the input's length is ${length}` : '';
      this.warning(
        'deprecated',
        `Embedding: \`input_length\` is a Keras 2 argument that Keras 3 accepts and ignores (the length comes from the input's shape)${contradiction}; remove it`,
        a.nameRange ?? a.expression.range,
        { deprecated: true },
      );
    }
    return rest;
  }

  private keras2InputShape(spec: LayerSpec, statement: LayerStatement, a: EvaluatedArgument, name: 'input_shape' | 'batch_input_shape'): void {
    const range = a.nameRange ?? a.expression.range;
    if (a.value.kind === 'error') return;
    const items = a.value.kind === 'tuple' ? a.value.items : a.value.kind === 'number' && name === 'input_shape' ? [a.value] : undefined;
    const axes = name === 'batch_input_shape' ? items?.slice(1) : items;
    const shape: (number | null)[] = [];
    for (const item of axes ?? []) {
      if (item.kind === 'none') shape.push(null);
      else if (item.kind === 'number' && Number.isInteger(item.value) && item.value >= 1 && item.value <= maxSize) shape.push(item.value);
      else {
        shape.length = 0;
        break;
      }
    }
    if (shape.length === 0) {
      const wanted = name === 'batch_input_shape' ? 'a tuple (None, …) of the batch axis and the positive sizes (or None) of the others' : 'a tuple of positive sizes (or None), e.g. (28, 28, 1)';
      this.error('argument-type', `${spec.name}: \`${name}\` must be ${wanted}, got ${describeKind(a.value)}`, a.expression.range);
      return;
    }
    const written = formatShape(shape);
    // Its own later repetitions (in a `repeat`) said all there is to say the first time.
    if (this.keras2Input === statement) return;
    if (!this.current && this.inputs.length === 0 && this.layers.length === 0) {
      this.keras2Input = statement;
      // The Keras 2 way to give a Sequential model its input: the model analyses with it.
      const input: ModelInput = { statement: undefined, shape, dataset: undefined, label: undefined, name: this.inputName(undefined), index: 0 };
      this.inputs.push(input);
      this.current = inputTensor(input, shape, false);
      this.warning('deprecated', `${spec.name}: \`${name}\` is Keras 2 style (deprecated in Keras 3, which takes the shape from \`keras.Input\`); write \`input ${written}\` as the model's first line instead`, range, {
        deprecated: true,
        replacements: [`input ${written}`],
      });
      return;
    }
    const current = this.current;
    if (current?.source?.kind === 'layer') {
      this.warning('deprecated', `${spec.name}: \`${name}\` is Keras 2 style (deprecated in Keras 3), which ignores it on a layer that does not take the model input; remove it`, range, { deprecated: true });
      return;
    }
    const actual = current?.shape;
    if (actual && formatShape(actual) !== written) {
      this.error('input', `${spec.name}: \`${name}\` says the input is ${written}, but the model input is ${formatShape(actual)}; remove \`${name}\` (Keras 2 style) or correct it`, range);
      return;
    }
    this.warning('deprecated', `${spec.name}: \`${name}\` is Keras 2 style (deprecated in Keras 3) and the \`input\` statement already gives it; remove it`, range, { deprecated: true });
  }

  /**
   * The shapes of `inputs`. Layers that keep their input's shape (normalisation, dropout, activations) pass on
   * the same shape object, so the one-element list of a single input is shared while the shape is (it is readonly).
   */
  private inputShapes(inputs: readonly Tensor[]): readonly Shape[] | undefined {
    // Undefined when a shape is unknown (returning a pair of results allocated an object per layer).
    const single = inputs.length === 1 ? inputs[0]?.shape : undefined;
    if (single) {
      if (this.singleShape?.[0] !== single) this.singleShape = [single];
      return this.singleShape;
    }
    const shapes = new Array<Shape>(inputs.length);
    for (let i = 0; i < inputs.length; i++) {
      const shape = inputs[i]?.shape;
      if (!shape) return undefined;
      shapes[i] = shape;
    }
    return shapes;
  }

  /** After an error in a layer: its output is unknown, and later layers stay quiet about it. */
  private poison(statement: LayerStatement, inputs: readonly Tensor[] = []): void {
    consume(inputs);
    const label = statement.label;
    this.complete = false;
    const tensor: Tensor = { shape: undefined, source: undefined, trail: noTrail, receptive: undefined, consumed: false, labelled: label !== undefined };
    if (this.current) this.current.consumed = true;
    this.current = tensor;
    if (label) this.defineLabel(label.name, label.range, statement, tensor);
    for (const more of statement.moreLabels ?? []) this.defineLabel(more.name, more.range, statement, { ...tensor, labelled: true });
  }

  private withRepetition(layer: string, message: string, input: Tensor | undefined, withTrail = false): string {
    const where = this.repetitions.map((r) => `repetition ${r.index} of ${r.count}`).join(', ');
    let text = message;
    if (where) text = text.startsWith(`${layer}:`) ? `${layer} (${where}):${text.slice(layer.length + 1)}` : `${layer} (${where}): ${text}`;
    if (withTrail && input && input.trail.length > 1) text += ` (${input.trail.join(' → ')})`;
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
    const stateArgument = value.args.find((a) => a.name === 'initial_state');
    if (stateArgument) {
      this.error('argument-type', `give \`initial_state\` to ${call.callee.name}(...), not to the ${spec.name} it wraps`, stateArgument.nameRange ?? stateArgument.expression.range);
      return undefined;
    }
    const innerArgs = resolveArguments(spec.name, spec.args, value.args, value.node.callee.range, this.bindings, this.options);
    if (!innerArgs.valid) return undefined;
    const infer = (input: Shape): LayerOutcome => {
      const problem = rankMismatch(spec, input);
      if (problem) throw new LayerError(`inside ${call.callee.name}: ${problem.message}`);
      return spec.infer({ args: innerArgs, inputs: [input] });
    };
    const layer: InnerLayer = {
      type: spec.name,
      states: spec.states?.(innerArgs) ?? [],
      infer,
      build: (tf: TfModule, name: string, input: Shape): unknown => {
        if (!spec.build) throw new LayerError(spec.buildUnavailable ?? `${spec.name} cannot be built with TensorFlow.js`);
        return spec.build(tf, { args: innerArgs, name, inputShapes: [input] });
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
    output: Shape,
    wrapped: { spec: LayerSpec; args: ResolvedArgs } | undefined,
  ): LayerInstance {
    // A wrapper's weights are its inner layer's: `trainable=false` on either freezes them.
    const trainableFlag = args.bool('trainable') && (wrapped ? wrapped.args.bool('trainable') : true);
    let trainable = 0;
    let nonTrainable = 0;
    for (let i = 0; i < outcome.weights.length; i++) {
      const w = outcome.weights[i];
      if (!w) continue;
      const size = product(w.shape);
      if (w.trainable && trainableFlag) trainable += size;
      else nonTrainable += size;
    }
    // Keras builds a wrapped layer first: an unnamed one takes the next automatic name of its class
    // (`dense` in TimeDistributed(Dense(8)), so that a Dense after it is `dense_1`).
    if (wrapped && wrapped.args.optionalText('name') === undefined) this.names.claimAutomatic(snakeCase(wrapped.spec.name));
    const explicitName = args.optionalText('name');
    const label = statement.label?.name;
    const name = this.layerName(spec, explicitName, label, args.rangeOf('name') ?? statement.call.callee.range);
    const outputShapes = outcome.outputs ? [output, ...outcome.outputs.slice(1)] : undefined;
    const elements = outputShapes ? sizeOfAll(outputShapes) : knownSize(output);
    const receptive = nextReceptive(inputs, outcome);
    return {
      index: this.layers.length,
      statement,
      spec,
      args,
      name,
      label,
      repetitions: (this.repetitionsCopy ??= [...this.repetitions]),
      inputs: sources(inputs),
      inputShapes: shapes,
      outputShape: output,
      outputShapes,
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
    const names = this.names;
    if (explicitName !== undefined) {
      if (!names.claimGiven(explicitName)) {
        const inRepeat = this.repetitions.length > 0 ? '; inside `repeat` every repetition would reuse it, so leave `name` out' : '';
        this.error('label', `the layer name '${explicitName}' is used twice in this model, which Keras rejects${inRepeat}`, range);
      }
      return explicitName;
    }
    if (label !== undefined) {
      let name = label;
      for (let n = 1; !names.claimGiven(name); n++) name = `${label}_${n}`;
      return name;
    }
    return names.claimAutomatic(snakeCase(spec.name));
  }
}

/**
 * The layer names of one model: those given (`name=`, labels) in a set, the automatic ones
 * (`base`, `base_1`, …) as a count per base. Putting every automatic name into a set hashed a
 * fresh string per layer and grew a table as large as the model: it showed in the profile.
 * An automatic name is `base` (index 0) or `base_N` (N ≥ 1, no leading zero); every index
 * below a base's count is taken (produced, or skipped because a given name held it).
 */
class LayerNames {
  private readonly given = new Set<string>();
  /** Per base, the indices whose automatic name a given name holds. */
  private readonly givenIndices = new Map<string, Set<number>>();
  private readonly counts = new Map<string, number>();
  /** Whether a base itself looks numbered (`x_2`): then two bases can spell the same name, and each name is checked both ways. */
  private numberedBase = false;

  /** Takes a given name; false if the model already has a layer of that name. */
  claimGiven(name: string): boolean {
    if (this.given.has(name)) return false;
    const numbered = numberedName.exec(name);
    const prefix = numbered?.[1];
    const index = numbered?.[2] === undefined ? 0 : Number(numbered[2]);
    if ((this.counts.get(name) ?? 0) > 0 || (prefix !== undefined && (this.counts.get(prefix) ?? 0) > index)) return false;
    this.given.add(name);
    this.holdIndex(name, 0);
    if (prefix !== undefined) this.holdIndex(prefix, index);
    return true;
  }

  /** The next free automatic name of `base`, taken. */
  claimAutomatic(base: string): string {
    if (!this.numberedBase && numberedName.test(base)) this.numberedBase = true;
    const held = this.givenIndices.get(base);
    let count = this.counts.get(base) ?? 0;
    let name = count === 0 ? base : `${base}_${count}`;
    while (held?.has(count) || (this.numberedBase && this.producedElsewhere(base, count, name))) name = `${base}_${++count}`;
    this.counts.set(base, count + 1);
    return name;
  }

  private holdIndex(base: string, index: number): void {
    let indices = this.givenIndices.get(base);
    if (!indices) this.givenIndices.set(base, (indices = new Set()));
    indices.add(index);
  }

  /** Whether `name` (index `index` of `base`) was produced as an automatic name of another base. */
  private producedElsewhere(base: string, index: number, name: string): boolean {
    if (index > 0) return (this.counts.get(name) ?? 0) > 0;
    const numbered = numberedName.exec(base);
    const prefix = numbered?.[1];
    return prefix !== undefined && (this.counts.get(prefix) ?? 0) > Number(numbered?.[2]);
  }
}

/** `base_N` as automatic names are numbered: N from 1, no leading zero. */
const numberedName = /^(.*)_([1-9][0-9]*)$/;

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

// Indexed loops in the per-layer helpers: `for...of` over arrays of several element kinds (as layers return) is not
// optimised into a plain loop and allocates an iterator result per element.

function tooLarge(outcome: LayerOutcome): boolean {
  const output = outcome.output;
  for (let i = 0; i < output.length; i++) {
    const d = output[i];
    if (d !== null && d !== undefined && d > maxSize) return true;
  }
  let weights = 0;
  for (let i = 0; i < outcome.weights.length; i++) weights += product(outcome.weights[i]?.shape ?? []);
  return !Number.isSafeInteger(weights);
}

/**
 * `input` when `output` has the same axes (a same-padded convolution keeping the channels, a merge):
 * the layer then keeps no shape of its own (shapes are readonly), and the next layer shares its input list.
 */
function sameShape(output: Shape, input: Shape | undefined): Shape | undefined {
  if (!input || input.length !== output.length) return undefined;
  for (let i = 0; i < output.length; i++) if (output[i] !== input[i]) return undefined;
  return input;
}

/** The tensor an input starts: unknown when its shape is. */
function inputTensor(input: ModelInput, shape: Shape | undefined, labelled: boolean): Tensor {
  const spatialAxes = shape ? Math.max(0, shape.length - 1) : 0;
  return {
    shape,
    source: shape ? { kind: 'input', input } : undefined,
    trail: shape && shape.length >= 2 && typeof shape[0] === 'number' ? [shape[0]] : noTrail,
    receptive: spatialAxes > 0 ? { size: new Array<number>(spatialAxes).fill(1), jump: new Array<number>(spatialAxes).fill(1) } : undefined,
    consumed: false,
    labelled,
  };
}

/** The elements of several shapes together; undefined when an axis is unknown. */
function sizeOfAll(shapes: readonly Shape[]): number | undefined {
  let total = 0;
  for (const shape of shapes) {
    const size = knownSize(shape);
    if (size === undefined) return undefined;
    total += size;
  }
  return total;
}

/** A shape as Keras prints it, with the batch axis: `(None, 64)`. */
function batchShape(shape: Shape): string {
  return `(None${shape.map((d) => `, ${d === null ? 'None' : d}`).join('')})`;
}

/** `h and c, each (None, 64)`: the states of a layer, for messages. */
function statesText(states: readonly StateSpec[]): string {
  const names = states.map((s) => s.name);
  const list = names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''}`;
  const shapes = [...new Set(states.map((s) => batchShape(s.shape)))];
  return `${list}, ${states.length === 1 ? '' : 'each '}${shapes.join(' or ')}`;
}

/** Whether a tensor of `shape` can stand where `wanted` is: the same axes, an unknown length matching any. */
function compatible(shape: Shape, wanted: Shape): boolean {
  return shape.length === wanted.length && shape.every((d, i) => d === null || wanted[i] === null || d === wanted[i]);
}

function consume(inputs: readonly Tensor[]): void {
  for (let i = 0; i < inputs.length; i++) {
    const t = inputs[i];
    if (t) t.consumed = true;
  }
}

/** Where the inputs come from (a layer is only made of inputs whose shapes, so sources, are known). */
function sources(inputs: readonly Tensor[]): TensorSource[] {
  const result: TensorSource[] = [];
  for (let i = 0; i < inputs.length; i++) {
    const source = inputs[i]?.source;
    if (source) result.push(source);
  }
  return result;
}

/** The trail is shared (it is readonly) while the first spatial axis keeps its length. */
function nextTrail(input: Tensor, output: Shape): readonly number[] {
  const inputShape = input.shape ?? [];
  if (output.length !== inputShape.length || output.length < 2) return noTrail;
  const first = output[0];
  if (typeof first !== 'number') return noTrail;
  const trail = input.trail;
  if (trail[trail.length - 1] === first) return trail;
  return [...trail, first];
}

function nextReceptive(inputs: readonly Tensor[], outcome: LayerOutcome): Receptive | undefined {
  const first = inputs[0]?.receptive;
  if (!first) return undefined;
  if (outcome.window) {
    const { kernel, strides, dilation } = outcome.window;
    if (kernel.length !== first.size.length) return undefined;
    const size = new Array<number>(first.size.length);
    let jump = first.jump;
    for (let i = 0; i < size.length; i++) size[i] = (first.size[i] ?? 0) + ((kernel[i] ?? 1) - 1) * (dilation[i] ?? 1) * (first.jump[i] ?? 1);
    // With unit strides the jump is unchanged and shared (it is readonly).
    if (strides.some((s) => s !== 1)) jump = first.jump.map((j, i) => j * (strides[i] ?? 1));
    return { size, jump };
  }
  if (outcome.keepsReceptiveField) {
    // Through one input the field is unchanged: share it (it is readonly).
    if (inputs.length === 1) return first;
    const size = [...first.size];
    for (const other of inputs.slice(1)) {
      if (!other.receptive) return undefined;
      other.receptive.size.forEach((s, i) => (size[i] = Math.max(size[i] ?? 0, s)));
    }
    return { size, jump: [...first.jump] };
  }
  return undefined;
}

/**
 * The graph of layers as two flat index lists, written while each layer is made.
 * Walking it finds the layers that do not lead to an output without visiting
 * every layer object again (they are long out of the CPU cache by then).
 * A producer is a layer's index, or -1 - i for the model's input i.
 */
class LayerEdges {
  private readonly consumers: number[] = [];
  private readonly producers: number[] = [];

  /** `inputs`: where the layer's inputs come from. */
  add(consumer: number, inputs: readonly TensorSource[]): void {
    for (let i = 0; i < inputs.length; i++) {
      const source = inputs[i];
      if (!source) continue;
      this.consumers.push(consumer);
      this.producers.push(source.kind === 'layer' ? source.layer.index : -1 - source.input.index);
    }
  }

  /**
   * Layers that lead to no output, which Keras leaves out of the model and its totals; and, per model
   * input, whether some output needs it.
   */
  unreached(layers: readonly LayerInstance[], inputCount: number, outputs: readonly TensorSource[]): { discarded: Set<LayerInstance>; reachedInputs: Uint8Array } {
    const discarded = new Set<LayerInstance>();
    const reachedInputs = new Uint8Array(inputCount);
    if (outputs.length === 0) return { discarded, reachedInputs };
    const reached = new Uint8Array(layers.length);
    for (const output of outputs) {
      if (output.kind === 'layer') reached[output.layer.index] = 1;
      else reachedInputs[output.input.index] = 1;
    }
    // A producer comes before its consumers, so one pass from the last edge back settles every layer.
    for (let e = this.consumers.length - 1; e >= 0; e--) {
      if (reached[this.consumers[e] ?? 0] !== 1) continue;
      const producer = this.producers[e] ?? -1;
      if (producer >= 0) reached[producer] = 1;
      else reachedInputs[-1 - producer] = 1;
    }
    for (let i = 0; i < layers.length; i++) {
      const layer = layers[i];
      if (layer && reached[i] !== 1) discarded.add(layer);
    }
    return { discarded, reachedInputs };
  }
}

/** Sums layer by layer; the evaluator keeps one as it goes, to spare a pass over every layer at the end. */
class Totals {
  private params = 0;
  private trainable = 0;
  private macs: number | null = 0;
  private activationBytes: number | null = 0;

  add(layer: LayerInstance): void {
    this.params += layer.params;
    this.trainable += layer.trainableParams;
    this.macs = this.macs === null || layer.macs === null ? null : this.macs + layer.macs;
    this.activationBytes = this.activationBytes === null || layer.activationBytes === null ? null : this.activationBytes + layer.activationBytes;
  }

  result(): ModelTotals {
    const { params, trainable, macs, activationBytes } = this;
    return { params, trainable, nonTrainable: params - trainable, macs, weightBytes: params * 4, activationBytes };
  }
}

export function totalsOf(layers: readonly LayerInstance[]): ModelTotals {
  const totals = new Totals();
  for (const layer of layers) totals.add(layer);
  return totals.result();
}

/** Evaluates a model body with the given parameter values. */
export function evaluateModel(name: string, declaration: ModelDeclaration, bodyDeclaration: ModelDeclaration, parameters: Bindings, options: EvaluationOptions): EvaluatedModel {
  return new ModelEvaluator(parameters, options).run(name, declaration, bodyDeclaration);
}
