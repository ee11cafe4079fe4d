import type { Declaration, Identifier, ModelDeclaration, Range, TrainDeclaration, TuneDeclaration, VariantOf } from '../syntax/ast.js';
import { parseModelText, type ParseResult } from '../syntax/parse.js';
import { LineIndex } from '../text/line-index.js';
import { didYouMean, suggest } from './did-you-mean.js';
import { DiagnosticSink, type Diagnostic } from './diagnostics.js';
import { evaluateModel } from './evaluate-model.js';
import { evaluate } from './expressions.js';
import type { EvaluatedModel } from './model-types.js';
import { searchDimension, searchSpaceRange, type SearchDimension, type SearchSpaceRange } from './search-space.js';
import { checkTrainingSettings, lossOf, severalInputsOrOutputs, type TrainingSettings } from './training-checks.js';
import { outputRankMessage } from './output-rank.js';
import { formatValue, type Value } from '../catalog/values.js';
import { builtInDatasets } from '../catalog/datasets.js';

export interface ModelAnalysis {
  readonly name: string;
  readonly declaration: ModelDeclaration;
  /** The model whose body is evaluated: itself, or the base of a variant. */
  readonly body?: ModelDeclaration;
  readonly variantOf?: string;
  /** The model at its default (or variant) parameter values; undefined when it cannot be evaluated. */
  readonly evaluated?: EvaluatedModel;
  /** Re-evaluates the model body with other parameter values (search spaces, tuning). */
  readonly evaluateWith?: (overrides: ReadonlyMap<string, Value>, sink?: DiagnosticSink) => EvaluatedModel;
}

export interface TrainingAnalysis {
  readonly declaration: TrainDeclaration;
  readonly models: readonly ModelAnalysis[];
  readonly settings: TrainingSettings;
}

export interface TuneAnalysis {
  readonly declaration: TuneDeclaration;
  readonly models: readonly ModelAnalysis[];
  readonly settings: TrainingSettings;
  readonly dimensions: readonly SearchDimension[];
  /** Per model name: the range of total parameters over the space. */
  readonly ranges: ReadonlyMap<string, SearchSpaceRange>;
}

export interface FileAnalysis {
  readonly text: string;
  readonly lines: LineIndex;
  readonly parse: ParseResult;
  readonly models: readonly ModelAnalysis[];
  readonly trainings: readonly TrainingAnalysis[];
  readonly tunes: readonly TuneAnalysis[];
  readonly diagnostics: readonly Diagnostic[];
}

/** Parses and analyses a whole `.model` file. Never throws; every problem becomes a diagnostic. */
/**
 * The largest file Layerlab analyses: 2 MiB of text, room for two models of the most layers a
 * model may have (20,000, some 0.8 MB written out) and analysed in about a second. A larger one
 * gets one diagnostic and nothing else, so that the editor stays responsive and memory bounded
 * whatever is opened.
 */
export const MAX_ANALYSED_LENGTH = 2 * 1024 * 1024;

export function analyzeText(text: string): FileAnalysis {
  if (text.length > MAX_ANALYSED_LENGTH) return tooLarge(text.length);
  const parse = parseModelText(text);
  const lines = new LineIndex(text);
  const sink = new DiagnosticSink();
  for (const error of parse.errors) sink.error('syntax', error.message, error.range);
  try {
    return analyzeParsed(text, lines, parse, sink);
  } catch (error) {
    // Analysis is written never to throw; if it does, keep the editor alive and say so.
    sink.error('model', `internal error in Layerlab's analysis: ${error instanceof Error ? error.message : String(error)}; please report it with this file`, { start: 0, end: Math.min(1, text.length) });
    return { text, lines, parse, models: [], trainings: [], tunes: [], diagnostics: sink.items };
  }
}

/** The analysis proper, in its steps: models (variants after their bases), then `train` and `tune` blocks, then output widths. */
function analyzeParsed(text: string, lines: LineIndex, parse: ParseResult, sink: DiagnosticSink): FileAnalysis {
  const declarations = parse.ast.declarations;
  const modelAnalyser = new ModelAnalyser(text, lines, declaredModels(declarations, lines, sink), sink);
  const models = modelAnalyser.analyseAll();
  const trainings: TrainingAnalysis[] = [];
  const tunes: TuneAnalysis[] = [];
  for (const d of declarations) {
    if (d.kind === 'train') trainings.push(analyseTraining(d, modelAnalyser.analyses, lines, sink));
    else if (d.kind === 'tune') tunes.push(analyseTune(d, modelAnalyser.analyses, lines, sink));
  }
  checkUntrainedOutputs(models, [...trainings, ...tunes], sink);
  return { text, lines, parse, models, trainings, tunes, diagnostics: sink.items };
}

/** The model declarations by name; a second model of the same name is an error and left out. */
function declaredModels(declarations: readonly Declaration[], lines: LineIndex, sink: DiagnosticSink): Map<string, ModelDeclaration> {
  const modelDeclarations = new Map<string, ModelDeclaration>();
  for (const d of declarations) {
    if (d.kind !== 'model') continue;
    const first = modelDeclarations.get(d.name.name);
    if (modelDeclarations.has(d.name.name)) {
      sink.error('model', `a model named \`${d.name.name}\` is already declared on line ${first ? lines.positionAt(first.name.range.start).line + 1 : '?'}; rename one`, d.name.range);
      continue;
    }
    modelDeclarations.set(d.name.name, d);
  }
  return modelDeclarations;
}

/** Analyses each model once, a variant's base before the variant; reports cycles of variants. */
class ModelAnalyser {
  readonly analyses = new Map<string, ModelAnalysis>();
  private readonly resolving = new Set<string>();
  /** For each variant: the model its chain of variants starts from, and the values of every variant on the way. */
  private readonly variantRoots = new Map<ModelDeclaration, { readonly root: ModelAnalysis; readonly values: ReadonlyMap<string, Value> }>();

  constructor(
    private readonly text: string,
    private readonly lines: LineIndex,
    private readonly declarations: ReadonlyMap<string, ModelDeclaration>,
    private readonly sink: DiagnosticSink,
  ) {}

  /** Every declared model, in declaration order. */
  analyseAll(): ModelAnalysis[] {
    for (const declaration of this.declarations.values()) this.analyse(declaration);
    return [...this.declarations.values()].map((d) => this.analyses.get(d.name.name)).filter((m): m is ModelAnalysis => m !== undefined);
  }

  private analysed(declaration: ModelDeclaration): ModelAnalysis | undefined {
    const done = this.analyses.get(declaration.name.name);
    return done && done.declaration === declaration ? done : undefined;
  }

  /**
   * Analyses a model, a variant's bases first. The chain of bases is walked in a loop, not by
   * recursion: thousands of variants may come before their base.
   */
  private analyse(declaration: ModelDeclaration): ModelAnalysis {
    const chain: ModelDeclaration[] = [];
    for (let current: ModelDeclaration | undefined = declaration; current && !this.analysed(current) && !this.resolving.has(current.name.name); ) {
      chain.push(current);
      this.resolving.add(current.name.name);
      current = current.variantOf ? this.declarations.get(current.variantOf.base.name) : undefined;
    }
    for (const model of chain.reverse()) {
      const result = model.variantOf ? this.analyseVariant(model, model.variantOf) : this.analyseBody(model);
      this.resolving.delete(model.name.name);
      this.analyses.set(model.name.name, result);
    }
    const result = this.analysed(declaration);
    if (!result) throw new Error(`model \`${declaration.name.name}\` was not analysed`);
    return result;
  }

  /** The parameters' default values; undefined (after reporting it) when one has none. */
  private defaultsOf(declaration: ModelDeclaration): Map<string, Value> | undefined {
    const bindings = new Map<string, Value>();
    let complete = true;
    for (const parameter of declaration.parameters) {
      if (bindings.has(parameter.name.name)) {
        this.sink.error('model', `the parameter \`${parameter.name.name}\` is declared twice`, parameter.name.range);
        continue;
      }
      if (!parameter.defaultValue) {
        this.sink.error('model', `the parameter \`${parameter.name.name}\` needs a default value, e.g. \`${parameter.name.name} = 32\`; variants can override it`, parameter.name.range);
        complete = false;
        continue;
      }
      bindings.set(parameter.name.name, evaluate(parameter.defaultValue, bindings, this.sink));
    }
    return complete ? bindings : undefined;
  }

  private analyseBody(declaration: ModelDeclaration): ModelAnalysis {
    const defaults = this.defaultsOf(declaration);
    const evaluateWith = (overrides: ReadonlyMap<string, Value>, target: DiagnosticSink = new DiagnosticSink()): EvaluatedModel => {
      const bindings = new Map(defaults ?? []);
      for (const [k, v] of overrides) bindings.set(k, v);
      return evaluateModel(declaration.name.name, declaration, declaration, bindings, { sink: target, context: '', reportWarnings: false });
    };
    if (!defaults) return { name: declaration.name.name, declaration, body: declaration, evaluateWith };
    const evaluated = evaluateModel(declaration.name.name, declaration, declaration, defaults, { sink: this.sink, context: '', reportWarnings: true });
    return { name: declaration.name.name, declaration, body: declaration, evaluated, evaluateWith };
  }

  private analyseVariant(declaration: ModelDeclaration, variant: VariantOf): ModelAnalysis {
    const sink = this.sink;
    const name = declaration.name.name;
    if (declaration.parameters.length > 0) {
      sink.error('variant', `a variant takes its parameters from \`${variant.base.name}\`; remove the parameter list after \`${name}\``, declaration.parameters[0]?.range ?? declaration.name.range);
    }
    const baseName = variant.base.name;
    const baseDeclaration = this.declarations.get(baseName);
    if (!baseDeclaration) {
      sink.error('variant', `no model named \`${baseName}\`${didYouMean(baseName, this.declarations.keys())}`, variant.base.range, { replacements: suggest(baseName, this.declarations.keys()) });
      return { name, declaration, variantOf: baseName };
    }
    const base = this.analysed(baseDeclaration);
    if (!base) {
      // Its base is still being resolved: the chain of bases comes back to this model.
      sink.error('variant', `\`${name}\` is a variant of itself through \`${baseName}\`; break the cycle`, variant.base.range);
      return { name, declaration, variantOf: baseName };
    }
    const body = base.body;
    if (!body) return { name, declaration, variantOf: baseName };
    const parameterNames = body.parameters.map((p) => p.name.name);
    const overrides = this.variantValues(variant, base, body);
    // Straight to the model the chain of variants starts from, with every variant's values on the way merged:
    // a chain of thousands of variants must not nest as many calls.
    const from = this.variantRoots.get(baseDeclaration) ?? { root: base, values: new Map<string, Value>() };
    const values = new Map([...from.values, ...overrides]);
    this.variantRoots.set(declaration, { root: from.root, values });
    const evaluateWith = (more: ReadonlyMap<string, Value>, target: DiagnosticSink = new DiagnosticSink()): EvaluatedModel => {
      const bindings = new Map([...values, ...more]);
      return from.root.evaluateWith ? from.root.evaluateWith(bindings, target) : evaluateModel(name, declaration, body, bindings, { sink: target, context: '', reportWarnings: false });
    };
    if (!base.evaluated && ![...parameterNames].every((p) => overrides.has(p))) return { name, declaration, body, variantOf: baseName, evaluateWith };
    const evaluated = this.evaluateVariant(declaration, variant, body, overrides);
    return { name, declaration, body, variantOf: baseName, evaluated, evaluateWith };
  }

  /** The parameter values of a variant: its base's, then the variant's arguments (by name or position). */
  private variantValues(variant: VariantOf, base: ModelAnalysis, body: ModelDeclaration): Map<string, Value> {
    const parameterNames = body.parameters.map((p) => p.name.name);
    const overrides = new Map<string, Value>();
    // A variant of a variant starts from its base's values.
    for (const [k, v] of base.evaluated?.parameters ?? []) overrides.set(k, v);
    let position = 0;
    for (const a of variant.args) {
      const parameter = a.name ? a.name.name : parameterNames[position++];
      if (!parameter || !parameterNames.includes(parameter)) {
        if (a.name) this.sink.error('variant', `\`${body.name.name}\` has no parameter \`${a.name.name}\`${didYouMean(a.name.name, parameterNames)}`, a.name.range, { replacements: suggest(a.name.name, parameterNames) });
        else this.sink.error('variant', `\`${body.name.name}\` takes ${parameterNames.length} parameter${parameterNames.length === 1 ? '' : 's'}; this value has none to go to`, a.value.range);
        continue;
      }
      overrides.set(parameter, evaluate(a.value, new Map(), this.sink));
    }
    return overrides;
  }

  /** Evaluates the base's body with the variant's values. Errors that only these values cause are reported on the variant, naming the line in the base. */
  private evaluateVariant(declaration: ModelDeclaration, variant: VariantOf, body: ModelDeclaration, overrides: ReadonlyMap<string, Value>): EvaluatedModel {
    const variantSink = new DiagnosticSink();
    const evaluated = evaluateModel(declaration.name.name, declaration, body, overrides, { sink: variantSink, context: '', reportWarnings: false });
    const baseMessages = new Set(this.sink.items.map((d) => `${d.range.start}:${d.message}`));
    for (const d of variantSink.items) {
      if (d.severity !== 'error' || baseMessages.has(`${d.range.start}:${d.message}`)) continue;
      const line = this.lines.positionAt(d.range.start).line + 1;
      const values = variant.args.map((a) => `${a.name ? `${a.name.name} = ` : ''}${this.text.slice(a.value.range.start, a.value.range.end)}`).join(', ');
      this.sink.error(d.code, `with ${values}, line ${line} of \`${variant.base.name}\` fails: ${d.message}`, declaration.name.range);
    }
    return evaluated;
  }
}

/** The models a `train` or `tune` block names; an unknown name is an error. */
function modelsNamed(names: readonly Identifier[], analyses: ReadonlyMap<string, ModelAnalysis>, sink: DiagnosticSink): ModelAnalysis[] {
  const found: ModelAnalysis[] = [];
  for (const n of names) {
    const model = analyses.get(n.name);
    if (!model) {
      sink.error('train', `no model named \`${n.name}\`${didYouMean(n.name, analyses.keys())}`, n.range, { replacements: suggest(n.name, analyses.keys()) });
      continue;
    }
    found.push(model);
  }
  return found;
}

/** A block's models and settings, each model checked against the settings (data set shape, output, loss). */
function trainedModels(d: TrainDeclaration | TuneDeclaration, analyses: ReadonlyMap<string, ModelAnalysis>, lines: LineIndex, sink: DiagnosticSink): { models: ModelAnalysis[]; settings: TrainingSettings } {
  const models = modelsNamed(d.models, analyses, sink);
  const settings = checkTrainingSettings(d, sink);
  for (const model of models) checkModelAgainstTraining(model, settings, d.models.find((m) => m.name === model.name)?.range ?? d.keyword, lines, sink);
  return { models, settings };
}

function analyseTraining(d: TrainDeclaration, analyses: ReadonlyMap<string, ModelAnalysis>, lines: LineIndex, sink: DiagnosticSink): TrainingAnalysis {
  return { declaration: d, ...trainedModels(d, analyses, lines, sink) };
}

function analyseTune(d: TuneDeclaration, analyses: ReadonlyMap<string, ModelAnalysis>, lines: LineIndex, sink: DiagnosticSink): TuneAnalysis {
  const { models, settings } = trainedModels(d, analyses, lines, sink);
  const parameterNames = new Set(models.flatMap((m) => (m.body?.parameters ?? []).map((p) => p.name.name)));
  const dimensions = searchDimensions(d, parameterNames, sink);
  const ranges = searchRanges(models, dimensions, d.keyword, sink);
  return { declaration: d, models, settings, dimensions, ranges };
}

/** The dimensions of a search space; a parameter searched twice is an error. */
function searchDimensions(d: TuneDeclaration, parameterNames: ReadonlySet<string>, sink: DiagnosticSink): SearchDimension[] {
  const dimensions: SearchDimension[] = [];
  const seen = new Set<string>();
  for (const parameter of d.searchParameters) {
    if (seen.has(parameter.name.name)) {
      sink.error('search-space', `\`${parameter.name.name}\` is searched twice`, parameter.name.range);
      continue;
    }
    seen.add(parameter.name.name);
    const dimension = searchDimension(parameter, parameterNames, sink);
    if (dimension) dimensions.push(dimension);
  }
  return dimensions;
}

/** Per model: the range of its total parameters over the space, with a warning when some points give an invalid model. */
function searchRanges(models: readonly ModelAnalysis[], dimensions: readonly SearchDimension[], keyword: Range, sink: DiagnosticSink): Map<string, SearchSpaceRange> {
  const ranges = new Map<string, SearchSpaceRange>();
  for (const model of models) {
    const evaluateWith = model.evaluateWith;
    if (!evaluateWith) continue;
    const range = searchSpaceRange(dimensions, new Map(), (bindings, target) => evaluateWith(bindings, target));
    if (!range) continue;
    ranges.set(model.name, range);
    if (range.firstInvalid) {
      const at = Object.entries(range.firstInvalid.at).map(([k, v]) => `${k} = ${formatValue(v)}`).join(', ');
      sink.warning(
        'search-space',
        `${range.invalidPoints} of ${range.evaluatedPoints} points checked give an invalid \`${model.name}\`; e.g. at ${at || 'the defaults'}: ${range.firstInvalid.message}`,
        keyword,
      );
    }
  }
  return ranges;
}

/** A model on a built-in data set that no block trains: its output width against the data set's classes. */
function checkUntrainedOutputs(models: readonly ModelAnalysis[], blocks: readonly { models: readonly ModelAnalysis[]; settings: TrainingSettings }[], sink: DiagnosticSink): void {
  for (const model of models) {
    const dataset = model.evaluated?.input?.dataset;
    // A block without `dataset` trains on the input's data set, and checks the output itself.
    const trainedSomewhere = blocks.some((t) => t.models.includes(model));
    const classes = dataset ? builtInDatasets.get(dataset)?.classes : undefined;
    const single = model.evaluated?.inputs.length === 1 && model.evaluated.outputs.length === 1;
    if (dataset && classes !== undefined && !trainedSomewhere && model.evaluated && single) checkOutputWidth(model.evaluated, dataset, classes, sink);
  }
}

/** The analysis of a file too large to analyse: one diagnostic at its start. */
function tooLarge(length: number): FileAnalysis {
  const megabytes = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MB`;
  const empty = analyzeText('');
  const sink = new DiagnosticSink();
  sink.error('model', `too large to analyse: ${megabytes(length)}, the limit is ${megabytes(MAX_ANALYSED_LENGTH)}; is this a .model file?`, { start: 0, end: 0 });
  return { ...empty, diagnostics: sink.items };
}

/** Where a `train` or `tune` block names the model it trains: its output-rank error goes there. */
interface TrainedAt {
  readonly name: string;
  readonly range: Range;
  readonly lines: LineIndex;
}

/**
 * The output against the data set's classes: one value per class. An output of another
 * rank is an error for a model that a `train` or `tune` block trains (TensorFlow.js would
 * fail mid-run), reported where the block names the model, as its other checks against the
 * data are; a width that differs is a warning on the last layer.
 */
function checkOutputWidth(model: EvaluatedModel, dataset: string, classes: number, sink: DiagnosticSink, trainedAt?: TrainedAt): void {
  const output = model.output;
  if (!output || !model.complete) return;
  const shape = output.outputShape;
  if (shape.length !== 1) {
    if (!trainedAt) return;
    const lineOf = (layer: { statement: { range: Range } }) => trainedAt.lines.positionAt(layer.statement.range.start).line + 1;
    sink.error('output-rank', outputRankMessage(trainedAt.name, model, dataset, classes, lineOf), trainedAt.range);
    return;
  }
  const width = shape[0];
  if (typeof width !== 'number' || width === classes) return;
  // A warning, as the specification's examples expect; the trainer refuses such a model before it starts (training/output-check.ts).
  sink.warning(
    'output-width',
    `the output has ${width} units but dataset ${dataset} has ${classes} classes; the last layer should have ${classes} (e.g. \`Dense(${classes}, activation=softmax)\`)`,
    output.statement.call.range,
    { replacements: [String(classes)] },
  );
}

const softmaxNames = new Set(['softmax']);

function finalActivation(model: EvaluatedModel): string | undefined {
  const output = model.output;
  if (!output) return undefined;
  if (output.spec.name === 'Softmax') return 'softmax';
  const activation = output.args.optionalText('activation');
  return activation ?? 'linear';
}

function shapesCompatible(a: readonly (number | null)[], b: readonly (number | null)[]): boolean {
  const squeeze = (s: readonly (number | null)[]) => s.filter((d) => d !== 1);
  const x = squeeze(a);
  const y = squeeze(b);
  return x.length === y.length && x.every((d, i) => d === null || y[i] === null || d === y[i]);
}

function checkModelAgainstTraining(model: ModelAnalysis, settings: TrainingSettings, nameRange: Range, lines: LineIndex, sink: DiagnosticSink): void {
  const evaluated = model.evaluated;
  if (!evaluated) return;
  const dataset = settings.dataset ?? (evaluated.input?.dataset ? { name: evaluated.input.dataset } : undefined);
  const several = severalInputsOrOutputs(evaluated, dataset?.name);
  if (several) {
    sink.error('train', several, nameRange);
    return;
  }
  const input = evaluated.input;
  if (dataset && settings.dataset?.shape && input && input.shape.length > 0 && !shapesCompatible(input.shape, settings.dataset.shape)) {
    const shape = (s: readonly (number | null)[]) => `(${s.map((d) => d ?? 'None').join(', ')})`;
    sink.error('dataset-shape', `\`${model.name}\` takes input ${shape(input.shape)}, but ${dataset.name} yields images of ${shape(settings.dataset.shape)}; change the model's input to \`input ${dataset.name}\``, nameRange);
  }
  // Without `dataset`, the block trains on the data set the model's input names.
  const data = settings.dataset ?? (input?.dataset ? builtInDatasets.get(input.dataset) : undefined);
  if (data?.classes !== undefined) checkOutputWidth(evaluated, data.name, data.classes, sink, { name: model.name, range: nameRange, lines });
  const loss = lossOf(settings);
  const activation = finalActivation(evaluated);
  if (!activation || !evaluated.complete) return;
  const crossEntropy = loss.name.endsWith('Crossentropy');
  if (loss.fromLogits && softmaxNames.has(activation) && loss.setting) {
    sink.warning(
      'from-logits',
      `from_logits=true, but \`${model.name}\` ends in softmax, so the loss would apply softmax a second time and train poorly; drop from_logits or make the last layer linear`,
      loss.setting.range,
    );
  } else if (crossEntropy && !loss.fromLogits && activation === 'linear' && loss.name !== 'BinaryCrossentropy' && evaluated.output) {
    sink.warning(
      'logits-without-softmax',
      `\`${model.name}\` ends in a linear layer, but the loss expects probabilities; add activation=softmax to the last layer, or use ${loss.name}(from_logits=true)`,
      evaluated.output.statement.call.range,
    );
  }
}

