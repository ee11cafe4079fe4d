import type { Setting, TrainDeclaration, TuneDeclaration } from '../syntax/ast.js';
import { builtInDatasets, datasetConstructors, type DatasetInfo } from '../catalog/datasets.js';
import { augmentation, callbacks, durationSeconds, lossAliases, losses, metricNames, optimizers, searchStrategies, trainSettings, type ObjectSpec, type SettingSpec } from '../catalog/training.js';
import type { Shape } from '../catalog/types.js';
import { didYouMean, suggest } from './did-you-mean.js';
import type { DiagnosticSink } from './diagnostics.js';
import { evaluate } from './expressions.js';
import { describeKind, textOf, type Value } from '../catalog/values.js';
import type { EvaluatedModel, TensorSource } from './model-types.js';

export interface ResolvedSetting {
  readonly setting: Setting;
  readonly value: Value;
}

/** What the data of a `train` or `tune` block looks like, as far as the editor can know. */
export interface DatasetDescription {
  readonly name: string;
  readonly shape?: Shape;
  readonly classes?: number;
  readonly builtIn?: DatasetInfo;
}

export interface TrainingSettings {
  readonly settings: ReadonlyMap<string, ResolvedSetting>;
  readonly dataset?: DatasetDescription;
}

const noBindings = new Map<string, Value>();

function isNumber(value: Value): value is { kind: 'number'; value: number } {
  return value.kind === 'number';
}

/** Checks a `Name(arg=...)` or bare `name` object against the known specs; returns the spec. */
function checkObject(value: Value, specs: readonly ObjectSpec[], what: string, setting: Setting, sink: DiagnosticSink, aliases?: ReadonlyMap<string, string>): ObjectSpec | undefined {
  const names = specs.map((s) => s.name);
  const name = value.kind === 'call' ? value.callee : textOf(value);
  if (name === undefined) {
    sink.error('setting-type', `\`${setting.name.name}\` must be ${what} such as \`${names[0]}()\`, got ${describeKind(value)}`, setting.value.range);
    return undefined;
  }
  const canonical = aliases?.get(name) ?? name;
  const spec = specs.find((s) => s.name === canonical);
  if (!spec) {
    const candidates = [...names, ...(aliases ? [...aliases.keys()] : [])];
    const range = value.kind === 'call' ? value.node.callee.range : setting.value.range;
    sink.error('setting-type', `unknown ${what} \`${name}\`${didYouMean(name, candidates)}; known: ${names.join(', ')}`, range, { replacements: suggest(name, candidates) });
    return undefined;
  }
  if (value.kind === 'call') {
    const known = Object.keys(spec.args);
    for (const a of value.args) {
      if (a.name === undefined) {
        if (known.length === 0) sink.error('setting-type', `${spec.name} takes no arguments`, a.expression.range);
        continue;
      }
      let argName = a.name;
      // Keras 2's `lr`: read as `learning_rate`, with a deprecation warning and a rename as its fix.
      if (argName === 'lr' && what === 'optimizer' && known.includes('learning_rate')) {
        const range = a.nameRange ?? a.expression.range;
        if (value.args.some((b) => b.name === 'learning_rate')) {
          sink.error('duplicate-argument', `${spec.name}: \`lr\` is the Keras 2 name of \`learning_rate\`, which is given too; remove \`lr\``, range);
          continue;
        }
        sink.warning('deprecated', `${spec.name}: \`lr\` is the Keras 2 name of \`learning_rate\` (deprecated); write \`learning_rate\``, range, { deprecated: true, replacements: ['learning_rate'] });
        argName = 'learning_rate';
      }
      if (!known.includes(argName)) {
        sink.error('unknown-argument', `${spec.name} has no argument \`${a.name}\`${didYouMean(a.name, known)}${known.length ? `; it takes ${known.join(', ')}` : ''}`, a.nameRange ?? a.expression.range, {
          replacements: suggest(a.name, known),
        });
        continue;
      }
      const fallback = spec.args[argName] ?? '';
      const expectsBool = fallback === 'true' || fallback === 'false';
      const expectsNumber = /^-?[\d.]/.test(fallback);
      if (expectsBool && a.value.kind !== 'bool') sink.error('setting-type', `${spec.name}: \`${argName}\` must be true or false, got ${describeKind(a.value)}`, a.expression.range);
      if (expectsNumber && a.value.kind !== 'number' && a.value.kind !== 'error') sink.error('setting-type', `${spec.name}: \`${argName}\` must be a number, got ${describeKind(a.value)}`, a.expression.range);
      if (expectsNumber && a.value.kind === 'number' && a.value.value < 0) sink.error('setting-type', `${spec.name}: \`${argName}\` cannot be negative`, a.expression.range);
    }
  }
  return spec;
}

function checkDataset(value: Value, setting: Setting, sink: DiagnosticSink): DatasetDescription | undefined {
  if (value.kind === 'symbol' || value.kind === 'string') {
    const name = textOf(value) ?? '';
    const builtIn = builtInDatasets.get(name);
    if (builtIn) return { name, shape: builtIn.shape, classes: builtIn.classes, builtIn };
    sink.error('setting-type', `unknown dataset \`${name}\`${didYouMean(name, builtInDatasets.keys())}; built in: ${[...builtInDatasets.keys()].join(', ')}, or images("folder", size=(64, 64)) / idx("images", "labels")`, setting.value.range, {
      replacements: suggest(name, builtInDatasets.keys()),
    });
    return undefined;
  }
  if (value.kind === 'call') {
    const constructor = datasetConstructors.get(value.callee);
    if (!constructor) {
      sink.error('setting-type', `unknown dataset \`${value.callee}(...)\`${didYouMean(value.callee, datasetConstructors.keys())}`, value.node.callee.range);
      return undefined;
    }
    const firstPositional = value.args.find((a) => a.name === undefined);
    if (!firstPositional || firstPositional.value.kind !== 'string') {
      sink.error('setting-type', `${value.callee}(...) needs a path as its first argument, as a string: ${constructor.doc}`, value.node.range);
      return undefined;
    }
    if (value.callee === 'images') {
      const size = value.args.find((a) => a.name === 'size');
      if (!size) {
        sink.error('setting-type', 'images(...) needs `size=(height, width)` so every image has the same shape', value.node.range);
        return { name: 'images' };
      }
      const items = size.value.kind === 'tuple' ? size.value.items : [];
      if (items.length !== 2 || !items.every((i) => i.kind === 'number' && Number.isInteger(i.value) && i.value > 0)) {
        sink.error('setting-type', '`size` must be a pair of positive integers such as (64, 64)', size.expression.range);
        return { name: 'images' };
      }
      const grey = value.args.find((a) => a.name === 'color_mode' && textOf(a.value) === 'grayscale');
      const [h, w] = items.map((i) => (i.kind === 'number' ? i.value : 0));
      return { name: 'images', shape: [h ?? 0, w ?? 0, grey ? 1 : 3] };
    }
    return { name: value.callee };
  }
  sink.error('setting-type', `\`dataset\` must be a dataset name or images(...)/idx(...), got ${describeKind(value)}`, setting.value.range);
  return undefined;
}

function checkSetting(spec: SettingSpec, value: Value, setting: Setting, sink: DiagnosticSink): void {
  if (value.kind === 'error') return;
  const range = setting.value.range;
  switch (spec.type) {
    case 'int':
      if (!isNumber(value) || !Number.isInteger(value.value)) sink.error('setting-type', `\`${spec.name}\` must be a whole number, got ${describeKind(value)}`, range);
      else if (spec.min !== undefined && value.value < spec.min) sink.error('setting-type', `\`${spec.name}\` must be at least ${spec.min}, got ${value.value}`, range);
      return;
    case 'float':
      if (!isNumber(value)) sink.error('setting-type', `\`${spec.name}\` must be a number, got ${describeKind(value)}`, range);
      else if (spec.min !== undefined && value.value <= spec.min) sink.error('setting-type', `\`${spec.name}\` must be above ${spec.min}, got ${value.value}`, range);
      return;
    case 'bool':
      if (value.kind !== 'bool') sink.error('setting-type', `\`${spec.name}\` must be true or false, got ${describeKind(value)}`, range);
      return;
    case 'duration': {
      const seconds = isNumber(value) ? (value.value > 0 ? value.value : undefined) : value.kind === 'string' ? durationSeconds(value.value) : undefined;
      if (seconds === undefined) sink.error('setting-type', `\`${spec.name}\` must be a duration: seconds (e.g. 600) or a text such as "30m" or "2h"; got ${isNumber(value) ? value.value : describeKind(value)}`, range);
      return;
    }
    case 'validation':
      if (isNumber(value)) {
        if (value.value <= 0 || value.value >= 1) sink.error('setting-type', `\`validation\` as a fraction must be between 0 and 1 (e.g. 0.1), got ${value.value}`, range);
      } else if (textOf(value) !== 'test') sink.error('setting-type', `\`validation\` must be a fraction such as 0.1, or \`test\`; got ${describeKind(value)}`, range);
      return;
    case 'optimizer':
      checkObject(value, optimizers, 'optimizer', setting, sink);
      return;
    case 'loss':
      checkObject(value, losses, 'loss', setting, sink, lossAliases);
      return;
    case 'callback':
      checkObject(value, callbacks.filter((c) => c.name === spec.callback), 'callback', setting, sink);
      return;
    case 'augment':
      checkObject(value, [augmentation], 'augmentation', setting, sink);
      return;
    case 'search':
      checkObject(value, searchStrategies, 'search strategy', setting, sink);
      return;
    case 'metrics': {
      const items = value.kind === 'tuple' ? value.items : [value];
      for (const item of items) {
        const name = textOf(item);
        if (!name || !['accuracy', 'acc'].includes(name)) sink.error('setting-type', `unknown metric ${name ? `\`${name}\`` : describeKind(item)}; Layerlab reports loss and accuracy`, range);
      }
      return;
    }
    case 'objective': {
      const name = textOf(value);
      if (!name || !metricNames.includes(name)) sink.error('setting-type', `\`objective\` must be one of ${metricNames.join(', ')}${name ? didYouMean(name, metricNames) : ''}`, range);
      return;
    }
    case 'dataset':
      return;
  }
}

/** Checks the settings of a `train` or `tune` block; returns them resolved. */
export function checkTrainingSettings(declaration: TrainDeclaration | TuneDeclaration, sink: DiagnosticSink): TrainingSettings {
  const allowed = trainSettings.filter((s) => declaration.kind === 'tune' || !s.tuneOnly);
  const names = allowed.map((s) => s.name);
  const settings = new Map<string, ResolvedSetting>();
  let dataset: DatasetDescription | undefined;
  for (const setting of declaration.settings) {
    const name = setting.name.name;
    const spec = allowed.find((s) => s.name === name);
    if (!spec) {
      const tuneOnly = trainSettings.find((s) => s.name === name && s.tuneOnly);
      const message = tuneOnly ? `\`${name}\` belongs in a \`tune\` block` : `unknown setting \`${name}\`${didYouMean(name, names)}; settings: ${names.join(', ')}`;
      sink.error('unknown-setting', message, setting.name.range, { replacements: suggest(name, names) });
      continue;
    }
    if (settings.has(name)) {
      sink.error('unknown-setting', `\`${name}\` is set twice in this block`, setting.name.range);
      continue;
    }
    const value = evaluate(setting.value, noBindings, sink);
    settings.set(name, { setting, value });
    if (spec.type === 'dataset') dataset = checkDataset(value, setting, sink);
    else checkSetting(spec, value, setting, sink);
  }
  return { settings, ...(dataset ? { dataset } : {}) };
}

/** The loss class and its `from_logits`, as the trainer will use them. */
export function lossOf(settings: TrainingSettings): { name: string; fromLogits: boolean; setting?: Setting } {
  const resolved = settings.settings.get('loss');
  if (!resolved) return { name: 'SparseCategoricalCrossentropy', fromLogits: false };
  const value = resolved.value;
  const raw = value.kind === 'call' ? value.callee : textOf(value) ?? '';
  const name = lossAliases.get(raw) ?? raw;
  let fromLogits = false;
  if (value.kind === 'call') {
    const flag = value.args.find((a) => a.name === 'from_logits');
    fromLogits = flag?.value.kind === 'bool' && flag.value.value;
  }
  return { name, fromLogits, setting: resolved.setting };
}

/** `` `main` `` or the layer's name, for a list of a model's outputs. */
function outputName(source: TensorSource): string {
  return source.kind === 'input' ? `\`${source.input.name}\`` : `\`${source.layer.statement.label?.name ?? source.layer.name}\``;
}

/**
 * Why a model with several inputs or outputs cannot train on `dataset`: every data set Layerlab reads (built-in,
 * `images(...)`, `idx(...)`) gives one image and one label per sample. Undefined for a model of one input and one output.
 */
export function severalInputsOrOutputs(model: EvaluatedModel, dataset: string | undefined): string | undefined {
  const inputs = model.inputs.length;
  const outputs = model.outputs.length;
  if (inputs <= 1 && outputs <= 1) return undefined;
  const inputText = `${inputs} input${inputs === 1 ? '' : 's'}${inputs > 1 ? ` (${model.inputs.map((i) => `\`${i.name}\``).join(', ')})` : ''}`;
  const outputText = `${outputs} output${outputs === 1 ? '' : 's'}${outputs > 1 ? ` (${model.outputs.map(outputName).join(', ')})` : ''}`;
  return `\`${model.name}\` has ${inputText} and ${outputText}, but ${dataset ? `the data set ${dataset}` : 'a data set'} provides one image input and one label per sample, so Layerlab cannot train it; train a model with one input and one output (its editor features still work)`;
}
