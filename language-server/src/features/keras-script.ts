/**
 * `layerlab export` and Copy as Keras Code: a runnable Keras 3 script of one model. The model part is
 * `kerasCode` (the functional builder); with a `train` block that trains the model, the script goes on
 * as Layerlab's trainer would: seed, data (keras-data.ts), compile and fit with every setting
 * (keras-training.ts), then the test set's evaluation.
 */
import type { FileAnalysis, ModelAnalysis, TrainingAnalysis } from '../analysis/analyze-file.js';
import type { Diagnostic } from '../analysis/diagnostics.js';
import type { Range } from '../syntax/ast.js';
import { dataPart, type ModelFolder } from './keras-data.js';
import { kerasCode } from './keras-code.js';
import { augmentationLayers, callbacksPython, lossPython, numberSetting, optimizerPython, settingValue } from './keras-training.js';

export type { ModelFolder } from './keras-data.js';

export type KerasScript =
  /** `script`: model, data and training; `model`: the model only (no `train` block trains it). */
  | { readonly kind: 'script' | 'model'; readonly code: string; readonly trainLine?: number }
  /** The model cannot be exported: its first error, with its line (from 1). */
  | { readonly kind: 'error'; readonly line: number; readonly message: string };

export interface KerasScriptOptions {
  /** The .model file's name, for the script's first line. */
  readonly source?: string;
  /** Where relative data paths point from the script (default: the script's own folder). */
  readonly modelFolder?: ModelFolder;
}

const within = (inner: Range, outer: Range): boolean => inner.start >= outer.start && inner.end <= outer.end;

/**
 * The declarations whose errors stop an export: the model, the body it evaluates (a variant's errors that
 * only its values cause are reported on the variant itself), and its `train` block.
 */
function relevantRanges(model: ModelAnalysis, training: TrainingAnalysis | undefined): Range[] {
  return [model.declaration.range, ...(model.body ? [model.body.range] : []), ...(training ? [training.declaration.range] : [])];
}

/** The error that starts first among `errors` (and inside `ranges`, when given). */
function firstError(errors: readonly Diagnostic[], ranges?: readonly Range[]): Diagnostic | undefined {
  let first: Diagnostic | undefined;
  for (const d of errors) {
    if (d.severity !== 'error' || (first && first.range.start <= d.range.start)) continue;
    if (!ranges || ranges.some((r) => within(d.range, r))) first = d;
  }
  return first;
}

/** The first error that stops the export, or undefined when there is none. */
function blockingError(analysis: FileAnalysis, model: ModelAnalysis, training: TrainingAnalysis | undefined): { line: number; message: string } | undefined {
  const first = firstError(analysis.diagnostics, relevantRanges(model, training));
  const line = (offset: number) => analysis.lines.positionAt(offset).line + 1;
  if (first) return { line: line(first.range.start), message: `${first.message}; fix it to export \`${model.name}\`` };
  const evaluated = model.evaluated;
  if (!evaluated?.input || !evaluated.complete) {
    const anywhere = firstError(analysis.diagnostics);
    return anywhere
      ? { line: line(anywhere.range.start), message: `${anywhere.message}; \`${model.name}\` cannot be analysed until it is fixed` }
      : { line: line(model.declaration.name.range.start), message: `\`${model.name}\` cannot be analysed, so it cannot be exported` };
  }
  return undefined;
}

/** The `train` block the trainer uses for this model: the first that names it. */
export function trainingOf(analysis: FileAnalysis, model: ModelAnalysis): TrainingAnalysis | undefined {
  return analysis.trainings.find((t) => t.models.includes(model));
}

/** Splits kerasCode's text into its definitions and its closing lines (`model = build_…()`, `model.summary()`). */
function modelParts(code: string): { definitions: string; build: string[] } {
  const lines = code.replace(/\n+$/, '').split('\n');
  const at = lines.findIndex((l) => /^model = /.test(l));
  if (at < 0) return { definitions: lines.join('\n'), build: [] };
  return { definitions: lines.slice(0, at).join('\n').replace(/\n+$/, ''), build: lines.slice(at) };
}

function importLines(modules: ReadonlySet<string>): string[] {
  const standard = [...modules].filter((m) => !m.includes(' as ')).sort();
  const third = [...modules].filter((m) => m.includes(' as ')).sort();
  return [...standard.map((m) => `import ${m}`), ...(standard.length && third.length ? [''] : []), ...third.map((m) => `import ${m}`)];
}

function header(analysis: FileAnalysis, model: ModelAnalysis, training: TrainingAnalysis | undefined, options: KerasScriptOptions): string[] {
  const from = options.source ? ` from ${options.source}` : '';
  const line = (offset: number) => analysis.lines.positionAt(offset).line + 1;
  if (!training) {
    const tune = analysis.tunes.find((t) => t.models.includes(model));
    return [
      `# ${model.name}, exported by Layerlab${from}: the model as a Keras 3 functional builder.`,
      ...(tune ? [`# The \`tune\` block on line ${line(tune.declaration.range.start)} searches it; a search is not exported: these are its default values.`] : []),
      '# Runs with Keras 3 and a backend, e.g. `pip install keras tensorflow`.',
    ];
  }
  return [
    `# ${model.name}, exported by Layerlab${from}: the model, its data and its training as the`,
    `# \`train\` block on line ${line(training.declaration.range.start)} sets them, done the way Layerlab's trainer does.`,
    '# Runs with Keras 3 and a backend, e.g. `pip install keras tensorflow`.',
  ];
}

/** A runnable Keras 3 script of `model`, or why it cannot be written. */
export function kerasScript(analysis: FileAnalysis, model: ModelAnalysis, options: KerasScriptOptions = {}): KerasScript {
  const training = trainingOf(analysis, model);
  const error = blockingError(analysis, model, training);
  if (error) return { kind: 'error', ...error };
  const evaluated = model.evaluated;
  const input = evaluated?.input;
  if (!evaluated || !input) return { kind: 'error', line: 1, message: `\`${model.name}\` cannot be analysed, so it cannot be exported` };
  const { definitions, build } = modelParts(kerasCode(analysis, model));
  if (!training) return { kind: 'model', code: [...header(analysis, model, training, options), ...definitions.split('\n'), '', '', ...build, ''].join('\n') };

  const settings = training.settings;
  const seed = numberSetting(settings, 'seed');
  const loss = lossPython(settings);
  const data = dataPart({ settings, text: analysis.text, inputShape: input.shape, inputDataset: input.dataset, seed, sparseLabels: loss.sparse, modelFolder: options.modelFolder ?? { relativeToScript: '.' } });
  const [kerasImports, ...builder] = splitImports(definitions);
  const lines: string[] = [...header(analysis, model, training, options), ...importLines(data.imports)];
  lines.push(...kerasImports, ...builder);
  for (const helper of data.helpers) lines.push('', '', ...helper);
  lines.push('', '', `keras.utils.set_random_seed(${seed})  # seed = ${seed}: weights, dropout, shuffling and augmentation`, '', ...data.statements, '', ...build);
  lines.push(...trainingStatements(training, model, input.shape.length));
  return { kind: 'script', code: lines.join('\n') + '\n', trainLine: analysis.lines.positionAt(training.declaration.range.start).line + 1 };
}

/** kerasCode's import lines (the first group), then the rest. */
function splitImports(definitions: string): [string[], ...string[]] {
  const lines = definitions.split('\n');
  const end = lines.findIndex((l) => !/^(import|from) /.test(l));
  const imports = lines.slice(0, end < 0 ? lines.length : end);
  return [imports, ...lines.slice(imports.length)];
}

/** Augmentation, compile, fit and evaluate. */
function trainingStatements(training: TrainingAnalysis, model: ModelAnalysis, inputRank: number): string[] {
  const settings = training.settings;
  const lines: string[] = [];
  let trained = 'model';
  const augment = augmentationLayers(settings);
  if (augment) {
    if (inputRank !== 3) lines.push('', `# augment: not applied, as in Layerlab: the model's input is not an image of (height, width, channels).`);
    else if (augment.length === 0) lines.push('', '# augment: Augment() with no transformation: nothing to apply.');
    else {
      trained = 'augmented';
      lines.push(
        '',
        `# augment: Keras preprocessing layers before the model. They act in fit() only: validation, test and`,
        '# predictions see the images unchanged, as in Layerlab. (Layerlab draws one transformation per batch;',
        '# these layers draw one per image, so the same settings give slightly different training noise.)',
        'augmentation = keras.Sequential([',
        ...augment.map((l) => `    ${l},`),
        '], name="augmentation")',
        'inputs = keras.Input(shape=input_shape)',
        `augmented = keras.Model(inputs, model(augmentation(inputs)), name=${JSON.stringify(`${model.name}_augmented`)})`,
      );
    }
  }

  const optimizer = optimizerPython(settings);
  const loss = lossPython(settings);
  lines.push('', ...optimizer.comments.map((c) => `# ${c}`), `${trained}.compile(`, `    optimizer=${optimizer.code},`, `    loss=${loss.code},`, '    metrics=["accuracy"],', ')');

  const validation = settingValue(settings, 'validation');
  const onTest = validation?.kind === 'symbol' || validation?.kind === 'string';
  const fraction = numberSetting(settings, 'validation');
  const shuffle = settingValue(settings, 'shuffle');
  const fit = [
    `${trained}.fit(`,
    '    x_train,',
    '    y_train,',
    `    epochs=${numberSetting(settings, 'epochs')},`,
    `    batch_size=${numberSetting(settings, 'batch_size')},`,
    onTest ? '    validation_data=(x_test, y_test),  # validation = test' : `    validation_split=${fraction},  # the last ${Math.round(fraction * 1000) / 10}% of the training images, taken before shuffling, as in Layerlab`,
    `    shuffle=${shuffle?.kind === 'bool' && !shuffle.value ? 'False' : 'True'},`,
    '    callbacks=[',
    ...callbacksPython(settings).map((c) => `        ${c.code},${c.comment ? `  # ${c.comment}` : ''}`),
    '    ],',
    ')',
  ];
  lines.push('', ...fit, `test_loss, test_accuracy = ${trained}.evaluate(x_test, y_test)`, 'print(f"test loss {test_loss:.4f}, test accuracy {test_accuracy:.4f}")');
  return lines;
}
