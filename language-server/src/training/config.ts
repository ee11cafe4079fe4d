import type { TrainingSettings } from '../analysis/training-checks.js';
import { lossOf } from '../analysis/training-checks.js';
import { textOf, type Value } from '../catalog/values.js';
import { callbacks, optimizers, type ObjectSpec } from '../catalog/training.js';

/** Everything the trainer needs from a `train` block, as plain JSON (it crosses a process boundary). */
export interface TrainingConfig {
  readonly dataset: DatasetSpec;
  readonly epochs: number;
  readonly batchSize: number;
  readonly optimizer: { readonly name: string; readonly args: Readonly<Record<string, number | boolean>> };
  readonly loss: { readonly name: string; readonly fromLogits: boolean };
  /** A fraction of the training data held out, or the test set. */
  readonly validation: { readonly kind: 'fraction'; readonly fraction: number } | { readonly kind: 'test' };
  readonly earlyStopping?: EarlyStoppingConfig;
  readonly reduceLr?: ReduceLrConfig;
  readonly augment?: AugmentConfig;
  readonly shuffle: boolean;
  readonly seed: number;
  /** At most this many images of each split (the block's `limit`; `--limit` overrides it). */
  readonly limit?: number;
}

export type DatasetSpec =
  | { readonly kind: 'builtin'; readonly name: string }
  | { readonly kind: 'images'; readonly path: string; readonly size: readonly [number, number]; readonly colorMode: 'rgb' | 'grayscale' }
  | { readonly kind: 'idx'; readonly images: string; readonly labels: string };

export interface EarlyStoppingConfig {
  readonly monitor: string;
  readonly mode: 'min' | 'max';
  readonly patience: number;
  readonly minDelta: number;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
}

export interface ReduceLrConfig {
  readonly monitor: string;
  readonly mode: 'min' | 'max';
  readonly factor: number;
  readonly patience: number;
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLr: number;
}

export interface AugmentConfig {
  readonly rotation: number;
  readonly widthShift: number;
  readonly heightShift: number;
  readonly zoom: number;
  readonly horizontalFlip: boolean;
  readonly verticalFlip: boolean;
  readonly brightness: number;
}

function callArgs(value: Value | undefined): Map<string, Value> {
  const result = new Map<string, Value>();
  if (value?.kind !== 'call') return result;
  for (const a of value.args) if (a.name) result.set(a.name, a.value);
  return result;
}

function numberOf(value: Value | undefined, fallback: number): number {
  return value?.kind === 'number' ? value.value : fallback;
}

function booleanOf(value: Value | undefined, fallback: boolean): boolean {
  return value?.kind === 'bool' ? value.value : fallback;
}

function num(args: ReadonlyMap<string, Value>, name: string, fallback: number): number {
  const v = args.get(name);
  return v?.kind === 'number' ? v.value : fallback;
}

function bool(args: ReadonlyMap<string, Value>, name: string, fallback: boolean): boolean {
  const v = args.get(name);
  return v?.kind === 'bool' ? v.value : fallback;
}

function text(args: ReadonlyMap<string, Value>, name: string, fallback: string): string {
  const v = args.get(name);
  return (v && textOf(v)) ?? fallback;
}

/** Keras `mode='auto'`: maximise accuracy-like metrics, minimise the rest. */
function modeFor(monitor: string, mode: string): 'min' | 'max' {
  if (mode === 'min' || mode === 'max') return mode;
  return /acc|auc|precision|recall/.test(monitor) ? 'max' : 'min';
}

function defaultsOf(spec: ObjectSpec | undefined): Record<string, number | boolean> {
  const result: Record<string, number | boolean> = {};
  for (const [k, v] of Object.entries(spec?.args ?? {})) {
    if (v === 'true' || v === 'false') result[k] = v === 'true';
    else if (!Number.isNaN(Number(v))) result[k] = Number(v);
  }
  return result;
}

/** The trainer's settings from a checked `train` (or `tune`) block, Keras defaults filled in. */
export function trainingConfig(settings: TrainingSettings, fallbackDataset: string | undefined): TrainingConfig {
  const get = (name: string): Value | undefined => settings.settings.get(name)?.value;

  const datasetValue = get('dataset');
  let dataset: DatasetSpec = { kind: 'builtin', name: fallbackDataset ?? 'mnist' };
  if (datasetValue && (datasetValue.kind === 'symbol' || datasetValue.kind === 'string')) dataset = { kind: 'builtin', name: textOf(datasetValue) ?? 'mnist' };
  else if (datasetValue?.kind === 'call') {
    const positional = datasetValue.args.filter((a) => a.name === undefined).map((a) => (a.value.kind === 'string' ? a.value.value : ''));
    const named = callArgs(datasetValue);
    if (datasetValue.callee === 'images') {
      const size = named.get('size');
      const [h, w] = size?.kind === 'tuple' ? size.items.map((i) => (i.kind === 'number' ? i.value : 0)) : [0, 0];
      dataset = { kind: 'images', path: positional[0] ?? '', size: [h ?? 0, w ?? 0], colorMode: text(named, 'color_mode', 'rgb') === 'grayscale' ? 'grayscale' : 'rgb' };
    } else dataset = { kind: 'idx', images: positional[0] ?? '', labels: positional[1] ?? '' };
  }

  const optimizerValue = get('optimizer');
  const optimizerName = optimizerValue?.kind === 'call' ? optimizerValue.callee : (optimizerValue && textOf(optimizerValue)) ?? 'Adam';
  const optimizerArgs = defaultsOf(optimizers.find((o) => o.name === optimizerName));
  // Keras 2's `lr` is the learning rate (analysis warns that it is deprecated).
  const givenOptimizerArgs = callArgs(optimizerValue);
  for (const [k, v] of givenOptimizerArgs) if (v.kind === 'number' || v.kind === 'bool') optimizerArgs[k === 'lr' && !givenOptimizerArgs.has('learning_rate') ? 'learning_rate' : k] = v.value;
  const learningRate = get('learning_rate');
  if (learningRate?.kind === 'number') optimizerArgs['learning_rate'] = learningRate.value;

  const validationValue = get('validation');
  const validation: TrainingConfig['validation'] =
    validationValue && textOf(validationValue) === 'test' ? { kind: 'test' } : { kind: 'fraction', fraction: validationValue?.kind === 'number' ? validationValue.value : 0.1 };

  const early = get('early_stopping');
  const earlyArgs = callArgs(early);
  const earlyDefaults = callbacks.find((c) => c.name === 'EarlyStopping');
  const earlyMonitor = text(earlyArgs, 'monitor', earlyDefaults?.args['monitor'] ?? 'val_loss');
  const reduce = get('reduce_lr');
  const reduceArgs = callArgs(reduce);
  const reduceMonitor = text(reduceArgs, 'monitor', 'val_loss');
  const augment = get('augment');
  const augmentArgs = callArgs(augment);
  const seedValue = get('seed');
  const loss = lossOf(settings);

  return {
    dataset,
    epochs: numberOf(get('epochs'), 10),
    batchSize: numberOf(get('batch_size'), 32),
    optimizer: { name: optimizerName, args: optimizerArgs },
    loss: { name: loss.name, fromLogits: loss.fromLogits },
    validation,
    ...(early?.kind === 'call'
      ? {
          earlyStopping: {
            monitor: earlyMonitor,
            mode: modeFor(earlyMonitor, text(earlyArgs, 'mode', 'auto')),
            patience: num(earlyArgs, 'patience', 0),
            minDelta: Math.abs(num(earlyArgs, 'min_delta', 0)),
            restoreBestWeights: bool(earlyArgs, 'restore_best_weights', false),
            startFromEpoch: num(earlyArgs, 'start_from_epoch', 0),
          },
        }
      : {}),
    ...(reduce?.kind === 'call'
      ? {
          reduceLr: {
            monitor: reduceMonitor,
            mode: modeFor(reduceMonitor, text(reduceArgs, 'mode', 'auto')),
            factor: num(reduceArgs, 'factor', 0.1),
            patience: num(reduceArgs, 'patience', 10),
            minDelta: num(reduceArgs, 'min_delta', 0.0001),
            cooldown: num(reduceArgs, 'cooldown', 0),
            minLr: num(reduceArgs, 'min_lr', 0),
          },
        }
      : {}),
    ...(augment?.kind === 'call'
      ? {
          augment: {
            rotation: num(augmentArgs, 'rotation', 0),
            widthShift: num(augmentArgs, 'width_shift', 0),
            heightShift: num(augmentArgs, 'height_shift', 0),
            zoom: num(augmentArgs, 'zoom', 0),
            horizontalFlip: bool(augmentArgs, 'horizontal_flip', false),
            verticalFlip: bool(augmentArgs, 'vertical_flip', false),
            brightness: num(augmentArgs, 'brightness', 0),
          },
        }
      : {}),
    shuffle: booleanOf(get('shuffle'), true),
    seed: numberOf(seedValue, 1),
    ...(get('limit')?.kind === 'number' ? { limit: numberOf(get('limit'), 0) } : {}),
  };
}
