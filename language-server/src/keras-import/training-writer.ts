import { builtInDatasets } from '../catalog/datasets.js';
import { callbacks, lossAliases, losses, optimizers } from '../catalog/training.js';
import { lastPart } from './keras-api.js';
import { plainValue } from './model-writer.js';
import { formatPythonNumber, itemsOf, type PyValue, type HyperParameter, type KerasModel, type Tuner } from './py-values.js';

/**
 * `compile(...)` and `fit(...)` → a `train` block; a Keras Tuner search → a `tune` block with
 * its search space. What has no `.model` setting is left out with a note.
 */

export type NoteSink = (line: number, message: string) => void;

const optimizerNames: Readonly<Record<string, string>> = { adam: 'Adam', sgd: 'SGD', rmsprop: 'RMSprop', adagrad: 'Adagrad', adadelta: 'Adadelta', adamax: 'Adamax' };
const optimizerPositional: Readonly<Record<string, readonly string[]>> = {
  Adam: ['learning_rate', 'beta_1', 'beta_2', 'epsilon', 'amsgrad'],
  SGD: ['learning_rate', 'momentum', 'nesterov'],
  RMSprop: ['learning_rate', 'rho', 'momentum', 'epsilon', 'centered'],
  Adagrad: ['learning_rate', 'initial_accumulator_value', 'epsilon'],
  Adadelta: ['learning_rate', 'rho', 'epsilon'],
  Adamax: ['learning_rate', 'beta_1', 'beta_2', 'epsilon'],
};
const accuracyMetrics = new Set(['accuracy', 'acc', 'Accuracy', 'SparseCategoricalAccuracy', 'CategoricalAccuracy', 'BinaryAccuracy', 'sparse_categorical_accuracy', 'categorical_accuracy', 'binary_accuracy']);
/** Settings of Keras calls that change nothing Layerlab trains or reports. */
const silent = new Set(['verbose', 'x', 'y', 'workers', 'use_multiprocessing', 'max_queue_size', 'jit_compile', 'run_eagerly', 'steps_per_execution', 'directory', 'project_name', 'overwrite', 'hypermodel', 'logger', 'tuner_id', 'validation_freq', 'validation_steps']);

interface Setting {
  readonly name: string;
  readonly text: string;
}

function numberText(value: PyValue): string | undefined {
  return value.kind === 'number' ? formatPythonNumber(value.value, value.integer) : undefined;
}

/** `'val_acc'` → `val_accuracy`: Keras 2's metric names as Layerlab's. */
function metricName(value: PyValue | undefined): string | undefined {
  const text = value?.kind === 'string' ? value.value : undefined;
  if (text === undefined) return undefined;
  const renamed = text.replace(/(^|_)acc$/, '$1accuracy');
  return ['loss', 'accuracy', 'val_loss', 'val_accuracy'].includes(renamed) ? renamed : undefined;
}

export class TrainingWriter {
  constructor(private readonly note: NoteSink) {}

  /** The `train` block of a model, or undefined when it is neither compiled nor fitted. */
  trainBlock(name: string, model: KerasModel, inputShape: readonly (number | null)[] | undefined): string[] | undefined {
    if (!model.compile && !model.fit) return undefined;
    const settings = [...this.compileSettings(model, undefined), ...this.fitSettings(model.fit?.args.keywords, model.fit?.line ?? model.line, inputShape)];
    return block(`train ${name}`, settings);
  }

  /** The `tune` block of a Keras Tuner search. */
  tuneBlock(name: string, tuner: Tuner, model: KerasModel, parameters: readonly { name: string; parameter: HyperParameter }[], inputShape: readonly (number | null)[] | undefined): string[] {
    const learningRate = (model.parameters ?? []).find((p) => p.setting === 'learning_rate' && !p.fixed);
    const settings: Setting[] = [...this.compileSettings(model, learningRate), ...this.fitSettings(tuner.search?.args.keywords, tuner.search?.line ?? tuner.line, inputShape)];
    const keywords = tuner.args.keywords;
    const search = this.searchStrategy(tuner);
    if (search) settings.push({ name: 'search', text: search });
    const objective = keywords.get('objective');
    if (objective) {
      const objectiveName = metricName(objective.kind === 'object' ? (objective.object.args.positional[0] ?? objective.object.args.keywords.get('name')) : objective);
      if (objectiveName) settings.push({ name: 'objective', text: objectiveName });
      else this.note(tuner.line, 'the objective is not one Layerlab optimises (loss, accuracy, val_loss, val_accuracy); left out');
    }
    const maxTrials = keywords.get('max_trials');
    if (maxTrials?.kind === 'number' && tuner.className !== 'Hyperband') settings.push({ name: 'max_trials', text: String(maxTrials.value) });
    const seed = keywords.get('seed');
    if (seed?.kind === 'number' && !settings.some((s) => s.name === 'seed')) settings.push({ name: 'seed', text: String(seed.value) });
    for (const key of keywords.keys()) {
      if (['objective', 'max_trials', 'seed', 'max_epochs', 'factor', 'hyperband_iterations', 'num_initial_points', 'alpha', 'beta'].includes(key) || silent.has(key)) continue;
      this.note(tuner.line, `\`${key}=\` of ${tuner.className} has no Layerlab setting; left out`);
    }
    const lines = block(`tune ${name}`, settings);
    const dimensions = parameters.map((p) => `  ${p.name} in ${domain(p.parameter)}`);
    if (learningRate) dimensions.push(`  learning_rate in ${domain(learningRate)}`);
    lines.splice(lines.length - 1, 0, ...dimensions);
    return lines;
  }

  private searchStrategy(tuner: Tuner): string | undefined {
    const k = tuner.args.keywords;
    switch (tuner.className) {
      case 'RandomSearch': {
        const trials = k.get('max_trials');
        return `RandomSearch(${trials?.kind === 'number' ? `trials=${trials.value}` : ''})`;
      }
      case 'GridSearch':
        return 'GridSearch()';
      case 'Hyperband': {
        const args: string[] = [];
        const maxEpochs = k.get('max_epochs');
        const factor = k.get('factor');
        const iterations = k.get('hyperband_iterations');
        if (maxEpochs?.kind === 'number') args.push(`max_epochs=${maxEpochs.value}`);
        if (factor?.kind === 'number') args.push(`factor=${factor.value}`);
        if (iterations?.kind === 'number') args.push(`iterations=${iterations.value}`);
        return `Hyperband(${args.join(', ')})`;
      }
      default:
        this.note(tuner.line, `${tuner.className} is not a search Layerlab runs (Hyperband, RandomSearch, GridSearch); \`search\` is left out, so the search is Hyperband`);
        return undefined;
    }
  }

  private compileSettings(model: KerasModel, learningRate: HyperParameter | undefined): Setting[] {
    const compile = model.compile;
    if (!compile) return [];
    const settings: Setting[] = [];
    const k = compile.args.keywords;
    const optimizer = k.get('optimizer');
    if (optimizer) {
      const text = this.optimizer(optimizer, compile.line, learningRate);
      if (text) settings.push({ name: 'optimizer', text });
    }
    const loss = k.get('loss');
    if (loss && loss.kind !== 'none') {
      const text = this.loss(loss, compile.line);
      if (text) settings.push({ name: 'loss', text });
    }
    const metrics = k.get('metrics');
    if (metrics && metrics.kind !== 'none') {
      const items = itemsOf(metrics) ?? [metrics];
      let accuracy = false;
      for (const metric of items) {
        const metricText = metric.kind === 'string' ? metric.value : metric.kind === 'object' || metric.kind === 'api' ? lastPart(metric.kind === 'object' ? metric.object.path : metric.path) : undefined;
        if (metricText && accuracyMetrics.has(metricText)) accuracy = true;
        else this.note(compile.line, `the metric ${metricText ?? 'given'} is not one Layerlab reports (it reports loss and accuracy); left out`);
      }
      if (accuracy) settings.push({ name: 'metrics', text: '[accuracy]' });
    }
    for (const key of k.keys()) {
      if (['optimizer', 'loss', 'metrics'].includes(key) || silent.has(key)) continue;
      this.note(compile.line, `\`${key}=\` of compile has no Layerlab setting; left out`);
    }
    return settings;
  }

  private optimizer(value: PyValue, line: number, learningRate: HyperParameter | undefined): string | undefined {
    if (value.kind === 'string') {
      const name = optimizerNames[value.value.toLowerCase()];
      if (name) return `${name}()`;
      this.note(line, `the optimizer '${value.value}' is not one Layerlab trains with (${optimizers.map((o) => o.name).join(', ')}); left out, so training uses Adam`);
      return undefined;
    }
    if (value.kind !== 'object') {
      this.note(line, 'the optimizer is not one Layerlab can read; left out, so training uses Adam');
      return undefined;
    }
    const name = lastPart(value.object.path);
    const spec = optimizers.find((o) => o.name === name);
    if (!spec) {
      this.note(line, `the optimizer ${name} is not one Layerlab trains with (${optimizers.map((o) => o.name).join(', ')}); left out, so training uses Adam`);
      return undefined;
    }
    const args: string[] = [];
    const given = new Map<string, PyValue>();
    value.object.args.positional.forEach((v, i) => {
      const argName = optimizerPositional[name]?.[i];
      if (argName) given.set(argName, v);
    });
    for (const [k, v] of value.object.args.keywords) given.set(k === 'lr' ? 'learning_rate' : k, v);
    for (const [k, v] of given) {
      if (k === 'learning_rate' && v.kind === 'symbolic' && learningRate) continue;
      if (k === 'learning_rate' && v.kind === 'object') {
        this.note(line, `the learning-rate schedule ${lastPart(v.object.path)} has no Layerlab setting; left out, so the learning rate is ${name}'s default`);
        continue;
      }
      if (!(k in spec.args)) {
        this.note(line, `\`${k}=\` of ${name} has no Layerlab setting; left out`);
        continue;
      }
      const text = v.kind === 'bool' ? (v.value ? 'true' : 'false') : numberText(v);
      if (text === undefined) {
        this.note(line, `\`${k}=\` of ${name} is not a value Layerlab can write; left out`);
        continue;
      }
      args.push(`${k}=${text}`);
    }
    return `${name}(${args.join(', ')})`;
  }

  private loss(value: PyValue, line: number): string | undefined {
    const nameOf = (text: string): string | undefined => (lossAliases.has(text) || losses.some((l) => l.name === text) ? text : undefined);
    if (value.kind === 'string' || value.kind === 'api') {
      const text = value.kind === 'string' ? value.value : lastPart(value.path);
      const known = nameOf(text);
      if (known) return known;
      this.note(line, `the loss ${text} is not one Layerlab trains with; left out`);
      return undefined;
    }
    if (value.kind === 'object') {
      const name = lastPart(value.object.path);
      const spec = losses.find((l) => l.name === name);
      if (!spec) {
        this.note(line, `the loss ${name} is not one Layerlab trains with; left out`);
        return undefined;
      }
      const args: string[] = [];
      for (const [k, v] of value.object.args.keywords) {
        if (!(k in spec.args)) {
          this.note(line, `\`${k}=\` of ${name} has no Layerlab setting; left out`);
          continue;
        }
        const text = v.kind === 'bool' ? (v.value ? 'true' : 'false') : numberText(v);
        if (text !== undefined) args.push(`${k}=${text}`);
      }
      return `${name}(${args.join(', ')})`;
    }
    this.note(line, 'the loss is not one Layerlab can read; left out');
    return undefined;
  }

  private fitSettings(keywords: ReadonlyMap<string, PyValue> | undefined, line: number, inputShape: readonly (number | null)[] | undefined): Setting[] {
    if (!keywords) return [];
    const settings: Setting[] = [];
    const x = keywords.get('x');
    if (x?.kind === 'array' && x.dataset && x.dataset.split === 'train') {
      const info = builtInDatasets.get(x.dataset.name);
      if (!info) this.note(line, `${x.dataset.name} is not a data set Layerlab has (${[...builtInDatasets.keys()].join(', ')}); \`dataset\` is left out`);
      else if (inputShape && !compatible(inputShape, info.shape)) this.note(line, `the model takes ${shapeWords(inputShape)}, but Layerlab's ${x.dataset.name} yields ${shapeWords(info.shape)} (the code reshapes the data); \`dataset\` is left out`);
      else settings.push({ name: 'dataset', text: x.dataset.name });
    }
    for (const key of ['epochs', 'batch_size']) {
      const value = keywords.get(key);
      if (value?.kind === 'number') settings.push({ name: key, text: String(value.value) });
    }
    const split = keywords.get('validation_split');
    if (split?.kind === 'number' && split.value > 0) settings.push({ name: 'validation', text: formatPythonNumber(split.value, false) });
    const validationData = keywords.get('validation_data');
    if (validationData && validationData.kind !== 'none' && !settings.some((s) => s.name === 'validation')) {
      const first = validationData.kind === 'tuple' || validationData.kind === 'list' ? validationData.items[0] : undefined;
      if (first?.kind === 'array' && first.dataset?.split === 'test' && builtInDatasets.has(first.dataset.name)) settings.push({ name: 'validation', text: 'test' });
      else this.note(line, 'the validation data is not a test split Layerlab has; `validation` is left out (Layerlab holds out 10% of the training data)');
    }
    const shuffle = keywords.get('shuffle');
    if (shuffle?.kind === 'bool') settings.push({ name: 'shuffle', text: shuffle.value ? 'true' : 'false' });
    const callbackList = keywords.get('callbacks');
    if (callbackList && callbackList.kind !== 'none') {
      for (const callback of itemsOf(callbackList) ?? [callbackList]) {
        const setting = this.callback(callback, line);
        if (setting && !settings.some((s) => s.name === setting.name)) settings.push(setting);
      }
    }
    for (const key of keywords.keys()) {
      if (['x', 'y', 'epochs', 'batch_size', 'validation_split', 'validation_data', 'shuffle', 'callbacks'].includes(key) || silent.has(key)) continue;
      this.note(line, `\`${key}=\` of fit has no Layerlab setting; left out`);
    }
    return settings;
  }

  private callback(value: PyValue, line: number): Setting | undefined {
    if (value.kind !== 'object') {
      this.note(line, 'a callback Layerlab cannot read is left out');
      return undefined;
    }
    const name = lastPart(value.object.path);
    const spec = callbacks.find((c) => c.name === name);
    if (!spec) {
      this.note(value.object.line, `the callback ${name} has no Layerlab setting (it has EarlyStopping and ReduceLROnPlateau); left out`);
      return undefined;
    }
    const args: string[] = [];
    const positional = name === 'EarlyStopping' ? ['monitor', 'min_delta', 'patience', 'verbose', 'mode', 'baseline', 'restore_best_weights', 'start_from_epoch'] : ['monitor', 'factor', 'patience', 'verbose', 'mode', 'min_delta', 'cooldown', 'min_lr'];
    const given = new Map<string, PyValue>();
    value.object.args.positional.forEach((v, i) => given.set(positional[i] ?? `#${i}`, v));
    for (const [k, v] of value.object.args.keywords) given.set(k === 'epsilon' ? 'min_delta' : k, v);
    for (const [k, v] of given) {
      if (k === 'verbose') continue;
      if (!(k in spec.args)) {
        this.note(value.object.line, `\`${k}=\` of ${name} has no Layerlab setting; left out`);
        continue;
      }
      if (k === 'monitor') {
        const metric = metricName(v);
        if (metric) args.push(`monitor=${metric}`);
        else this.note(value.object.line, `${name} monitors a metric Layerlab does not report; \`monitor\` is left out (it is val_loss)`);
        continue;
      }
      const text = v.kind === 'bool' ? (v.value ? 'true' : 'false') : v.kind === 'string' && k === 'mode' ? v.value : v.kind === 'none' ? 'None' : numberText(v);
      if (text !== undefined) args.push(`${k}=${text}`);
    }
    return { name: name === 'EarlyStopping' ? 'early_stopping' : 'reduce_lr', text: `${name}(${args.join(', ')})` };
  }
}

const settingOrder = ['dataset', 'epochs', 'batch_size', 'optimizer', 'learning_rate', 'loss', 'metrics', 'validation', 'early_stopping', 'reduce_lr', 'shuffle', 'seed', 'search', 'objective', 'max_trials'];

function block(header: string, unordered: readonly Setting[]): string[] {
  const settings = [...unordered].sort((a, b) => settingOrder.indexOf(a.name) - settingOrder.indexOf(b.name));
  const width = Math.max(0, ...settings.map((s) => s.name.length));
  return [`${header} {`, ...settings.map((s) => `  ${s.name.padEnd(width)} = ${s.text}`), '}'];
}

/** A hyperparameter's values as a search space: `a..b step s`, `a..b log`, `[x, y]`. */
export function domain(p: HyperParameter): string {
  switch (p.type) {
    case 'Int':
    case 'Float': {
      const integer = p.type === 'Int';
      const bound = (n: number): string => formatPythonNumber(n, integer);
      const step = p.step !== undefined ? ` step ${formatPythonNumber(p.step, integer && Number.isInteger(p.step))}` : '';
      return `${bound(p.min ?? 0)}..${bound(p.max ?? 0)}${p.log ? ' log' : ''}${p.log ? '' : step}`;
    }
    case 'Choice':
      return `[${(p.values ?? []).map(plainValue).join(', ')}]`;
    case 'Boolean':
      return '[true, false]';
    case 'Fixed':
      return `[${plainValue(p.defaultValue)}]`;
  }
}

function compatible(a: readonly (number | null)[], b: readonly (number | null)[]): boolean {
  const squeeze = (s: readonly (number | null)[]) => s.filter((d) => d !== 1);
  const x = squeeze(a);
  const y = squeeze(b);
  return x.length === y.length && x.every((d, i) => d === null || y[i] === null || d === y[i]);
}

function shapeWords(shape: readonly (number | null)[]): string {
  return `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')}${shape.length === 1 ? ',' : ''})`;
}
