import type { FileAnalysis, TuneAnalysis } from '../analysis/analyze-file.js';
import type { EvaluatedModel, LayerInstance, TensorSource } from '../analysis/model-types.js';
import { outputShapesOf, shapeOf } from '../analysis/tensor-source.js';
import { expectation } from '../analysis/arguments.js';
import { formatValue } from '../catalog/values.js';
import { builtInDatasets } from '../catalog/datasets.js';
import { findLayer } from '../catalog/layers.js';
import { augmentation, callbacks, lossAliases, losses, optimizers, searchStrategies, trainSettings, type ObjectSpec } from '../catalog/training.js';
import type { LayerSpec } from '../catalog/types.js';
import type { Range } from '../syntax/ast.js';
import { compactShape, kerasShape, readableBytes, withCommas } from './format.js';
import { instancesOf, locate, type Located } from './locate.js';
import { modelSummaryMarkdown, rangeText } from './model-summary.js';

export interface Hover {
  /** Markdown. */
  readonly contents: string;
  readonly range: Range;
}

function paramsLine(layer: LayerInstance): string {
  const split = layer.nonTrainableParams > 0 ? ` (${withCommas(layer.trainableParams)} trainable, ${withCommas(layer.nonTrainableParams)} non-trainable)` : layer.params > 0 ? ' (all trainable)' : '';
  return `**Parameters:** ${withCommas(layer.params)}${split}`;
}

function outputLine(layer: LayerInstance): string {
  const shapes = outputShapesOf(layer);
  if (shapes.length === 1) return `**Output shape:** \`${kerasShape(layer.outputShape)}\``;
  return `**Output shapes:** ${shapes.map((s) => `\`${kerasShape(s)}\``).join(', ')} (the output, then the states)`;
}

function layerDetails(layer: LayerInstance): string[] {
  const lines = [outputLine(layer), paramsLine(layer)];
  if (layer.formula && layer.params > 0) lines.push(`\`${layer.formula} = ${withCommas(layer.params)}\``);
  const extras: string[] = [];
  if (layer.macs !== null && layer.macs > 0) extras.push(`**Multiply-adds:** ${withCommas(layer.macs)}`);
  if (layer.activationBytes !== null) extras.push(`**Activation memory:** ${readableBytes(layer.activationBytes)} per sample`);
  if (layer.receptiveField) extras.push(`**Receptive field:** ${layer.receptiveField.join('×')}`);
  if (extras.length) lines.push(extras.join(' · '));
  return lines;
}

function layerHover(spec: LayerSpec | undefined, name: string, instances: readonly LayerInstance[]): string {
  const first = instances[0];
  const title = first ? `**${name}** · \`${first.name}\`` : `**${name}**`;
  const parts = [title];
  // Inside `repeat`: the statement runs once per combination of the enclosing counts (`repeat 2 { repeat 3 {…} }`: 2 × 3).
  const counts = first ? first.repetitions.map((r) => r.count) : [];
  const planned = counts.reduce((a, b) => a * b, 1);
  if (first && instances.length === 1 && planned === 1) parts.push(layerDetails(first).join('  \n'));
  else if (first) {
    const rows = instances.map((l) => `| ${l.repetitions.map((r) => `${r.index}/${r.count}`).join(', ')} | \`${outputShapesOf(l).map(compactShape).join(', ')}\` | ${withCommas(l.params)} |`);
    const times = `Repeated ${planned} time${planned === 1 ? '' : 's'}${counts.length > 1 ? ` (${counts.join(' × ')})` : ''}`;
    const analysed = instances.length < planned ? `; only the first ${instances.length} could be analysed (an error stops the rest)` : '';
    parts.push(`${times}${analysed}:\n\n| repetition | output | params |\n| --- | --- | ---: |\n${rows.join('\n')}`);
    const total = instances.reduce((n, l) => n + l.params, 0);
    const which = instances.length < planned ? `the ${instances.length} analysed repetition${instances.length === 1 ? '' : 's'}` : 'all repetitions';
    parts.push(`**Parameters in ${which}:** ${withCommas(total)}\n\nFirst repetition:  \n${layerDetails(first).join('  \n')}`);
  } else if (spec) parts.push('_Not part of the model as evaluated (inside a false `if`, or after an error)._');
  if (spec) parts.push(spec.doc);
  return parts.join('\n\n');
}

function argumentHover(layer: string, name: string): string | undefined {
  const spec = findLayer(layer);
  if (spec) {
    const arg = spec.args.find((a) => a.name === name || a.aliases?.includes(name));
    if (!arg) return undefined;
    const fallback = arg.required ? 'required' : `default \`${arg.default ? formatValue(arg.default) : 'None'}\``;
    const alias = arg.aliases?.length ? ` (also \`${arg.aliases.join('`, `')}\`)` : '';
    const allowed = arg.type.kind === 'enum' ? `  \nAllowed: ${arg.type.values.map((v) => `\`${v}\``).join(', ')}` : '';
    return `**${layer}** \`${arg.name}\`${alias} · ${fallback}\n\n${arg.doc}  \nIt ${expectation(arg.type)}.${allowed}`;
  }
  const object = objectSpec(layer);
  if (object && name in object.args) return `**${object.name}** \`${name}\` · default \`${object.args[name] ?? ''}\`\n\n${object.doc}`;
  return undefined;
}

function objectSpec(name: string): ObjectSpec | undefined {
  const canonical = lossAliases.get(name) ?? name;
  return [...optimizers, ...losses, ...callbacks, augmentation, ...searchStrategies].find((o) => o.name === canonical);
}

function objectHover(object: ObjectSpec): string {
  const args = Object.entries(object.args).map(([k, v]) => `${k}=${v}`).join(', ');
  return `**${object.name}**(${args})\n\n${object.doc}`;
}

function hoverFor(analysis: FileAnalysis, found: Located): string | undefined {
  switch (found.kind) {
    case 'layer':
      return layerHover(findLayer(found.call.callee.name), found.call.callee.name, instancesOf(found.model, found.statement));
    case 'callee': {
      const spec = findLayer(found.call.callee.name);
      if (spec) return layerHover(spec, spec.name, []).replace('_Not part of the model as evaluated (inside a false `if`, or after an error)._\n\n', '');
      const object = objectSpec(found.call.callee.name);
      return object ? objectHover(object) : undefined;
    }
    case 'argument':
      return argumentHover(found.call.callee.name, found.name);
    case 'input': {
      const evaluated = found.model.evaluated;
      const input = evaluated?.inputs.find((i) => i.statement === found.statement);
      if (!evaluated || !input) return undefined;
      const dataset = input.dataset ? builtInDatasets.get(input.dataset) : undefined;
      const which = evaluated.inputs.length > 1 ? ` · input ${input.index + 1} of ${evaluated.inputs.length}` : '';
      return `**Input** \`${kerasShape(input.shape)}\`${which}${dataset ? `\n\n${dataset.doc}` : ''}`;
    }
    case 'output': {
      const evaluated = found.model.evaluated;
      if (!evaluated) return undefined;
      const lines = evaluated.outputs.map((o, i) => `${i + 1}. ${sourceText(o)}: \`${kerasShape(shapeOf(o))}\``);
      return `**Outputs** of \`${found.model.name}\`, in order:\n\n${lines.join('\n')}`;
    }
    case 'model-name':
      return modelSummaryMarkdown(analysis, found.model);
    case 'model-reference': {
      const model = analysis.models.find((m) => m.name === found.name);
      return model ? modelSummaryMarkdown(analysis, model) : undefined;
    }
    case 'label': {
      const evaluated = found.model.evaluated;
      const source = evaluated?.labels.get(found.name);
      return evaluated && source ? `**${found.name}** — ${labelText(evaluated, source)}: \`${kerasShape(shapeOf(source))}\`` : undefined;
    }
    case 'parameter': {
      const value = found.model.evaluated?.parameters.get(found.name);
      return `**${found.name}** — parameter of \`${found.model.name}\`${value ? ` = \`${formatValue(value)}\`` : ''}`;
    }
    case 'setting': {
      const setting = trainSettings.find((s) => s.name === found.setting.name.name);
      return setting ? `**${setting.name}** · default ${setting.default}\n\n${setting.doc}` : undefined;
    }
    case 'search': {
      const tune = analysis.tunes.find((t) => t.declaration === found.block);
      const dimension = tune?.dimensions.find((d) => d.parameter === found.parameter);
      if (!dimension) return undefined;
      const size = Number.isFinite(dimension.size) ? `${dimension.size} values` : 'continuous';
      return `**${dimension.name}** — searched ${dimension.target === 'model' ? 'model parameter' : 'training setting'} (${size})`;
    }
    case 'name-value': {
      const dataset = builtInDatasets.get(found.name);
      if (dataset) return `**${dataset.name}** \`${kerasShape(dataset.shape)}\`, ${dataset.classes} classes\n\n${dataset.doc}`;
      const object = objectSpec(found.name);
      return object ? objectHover(object) : undefined;
    }
  }
}

/** What a labelled tensor is: an input, a layer's output or one of its states. */
function labelText(model: EvaluatedModel, source: TensorSource): string {
  if (source.kind === 'input') return model.inputs.length > 1 ? `input ${source.input.index + 1} of ${model.inputs.length} of the model` : 'the model input';
  const layer = source.layer;
  if (!layer.outputShapes) return `output of ${layer.spec.name}`;
  return `output ${source.index + 1} of ${layer.outputShapes.length} of ${layer.spec.name} \`${layer.name}\`${source.index > 0 ? ' (a state)' : ''}`;
}

/** An output as the hover lists it: its label, or its layer. */
function sourceText(source: TensorSource): string {
  if (source.kind === 'input') return `\`${source.input.name}\` (an input)`;
  const label = source.index === 0 ? source.layer.statement.label?.name : source.layer.statement.moreLabels?.[source.index - 1]?.name;
  return label ? `\`${label}\` (${source.layer.spec.name})` : `${source.layer.spec.name} \`${source.layer.name}\``;
}

/** On the `tune` keyword: the space's size and, per tuned model, the range of parameter counts over it. */
function tuneHover(tune: TuneAnalysis): string {
  const sizes = tune.dimensions.map((d) => d.size);
  const points = sizes.reduce((a, b) => a * b, 1);
  const lines = [`**tune** — ${tune.dimensions.length} searched parameter${tune.dimensions.length === 1 ? '' : 's'}, ${Number.isFinite(points) ? `${withCommas(points)} points` : 'continuous'}`];
  for (const model of tune.models) {
    const range = tune.ranges.get(model.name);
    if (!range) continue;
    const checked = `${withCommas(range.evaluatedPoints)} points checked${range.invalidPoints ? `, ${withCommas(range.invalidPoints)} invalid` : ''}`;
    lines.push(range.evaluatedPoints > range.invalidPoints ? `- \`${model.name}\`: ${rangeText(range)} parameters (${checked})` : `- \`${model.name}\`: no valid point (${checked})`);
    if (range.firstInvalid) lines.push(`  - invalid at ${Object.entries(range.firstInvalid.at).map(([k, v]) => `${k}=${formatValue(v)}`).join(', ')}: ${range.firstInvalid.message}`);
  }
  return lines.join('\n');
}

/** Hover at `offset`: layer figures and docs, argument docs, model summaries. */
export function hover(analysis: FileAnalysis, offset: number): Hover | undefined {
  const tune = analysis.tunes.find((t) => t.declaration.keyword.start <= offset && offset <= t.declaration.keyword.end);
  if (tune) return { contents: tuneHover(tune), range: tune.declaration.keyword };
  const found = locate(analysis, offset);
  if (!found) return undefined;
  const contents = hoverFor(analysis, found);
  return contents ? { contents, range: found.range } : undefined;
}

