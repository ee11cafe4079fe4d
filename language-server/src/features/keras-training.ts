/**
 * The Keras 3 Python of a `train` block's settings: optimizer, loss, callbacks and augmentation, each
 * with the arguments the block gives (and the ones Layerlab's trainer relies on), as `keras-script.ts`
 * writes them into `model.compile` and `model.fit`.
 */
import type { TrainingSettings } from '../analysis/training-checks.js';
import { lossOf } from '../analysis/training-checks.js';
import { callbacks, optimizers, trainSettings } from '../catalog/training.js';
import { textOf, type Value } from '../catalog/values.js';
import { pythonLiteral } from './keras-code.js';

/** The value of a setting, when the block gives it. */
export function settingValue(settings: TrainingSettings, name: string): Value | undefined {
  return settings.settings.get(name)?.value;
}

/** The number a setting gives, else its documented default (the trainer's). */
export function numberSetting(settings: TrainingSettings, name: string): number {
  const value = settingValue(settings, name);
  if (value?.kind === 'number') return value.value;
  return Number(trainSettings.find((s) => s.name === name)?.default);
}

/** The named arguments of a call value, in the order written. */
function namedArguments(value: Value | undefined): [string, Value][] {
  if (value?.kind !== 'call') return [];
  return value.args.filter((a): a is typeof a & { name: string } => a.name !== undefined).map((a) => [a.name, a.value]);
}

function keywordArguments(args: readonly (readonly [string, string])[]): string {
  return args.map(([name, text]) => `${name}=${text}`).join(', ');
}

/**
 * `keras.optimizers.NAME(learning_rate=…, …)`: the learning rate always (the block's `learning_rate`,
 * else the optimizer's own, Keras 2's `lr` read as it), then the other arguments the block gives.
 */
export function optimizerPython(settings: TrainingSettings): { readonly code: string; readonly comments: readonly string[] } {
  const value = settingValue(settings, 'optimizer');
  const name = value?.kind === 'call' ? value.callee : (value && textOf(value)) ?? 'Adam';
  const spec = optimizers.find((o) => o.name === name) ?? optimizers[0];
  const given = namedArguments(value).map(([k, v]): [string, Value] => [k === 'lr' ? 'learning_rate' : k, v]);
  const comments: string[] = [];
  let learningRate = given.find(([k]) => k === 'learning_rate')?.[1];
  const shortcut = settingValue(settings, 'learning_rate');
  if (shortcut?.kind === 'number') {
    learningRate = shortcut;
    comments.push(`learning_rate = ${shortcut.value} (the block's setting, which Layerlab gives the optimizer)`);
  }
  const args: [string, string][] = [['learning_rate', learningRate ? pythonLiteral(learningRate) : (spec?.args['learning_rate'] ?? '0.001')]];
  for (const [k, v] of given) if (k !== 'learning_rate' && !args.some(([a]) => a === k)) args.push([k, pythonLiteral(v)]);
  return { code: `keras.optimizers.${spec?.name ?? 'Adam'}(${keywordArguments(args)})`, comments };
}

/** The loss as its Keras class, with the arguments the block gives; `sparse` says whether labels stay class indices. */
export function lossPython(settings: TrainingSettings): { readonly code: string; readonly sparse: boolean } {
  const loss = lossOf(settings);
  const args = namedArguments(settingValue(settings, 'loss')).map(([k, v]) => [k, pythonLiteral(v)] as const);
  return { code: `keras.losses.${loss.name}(${keywordArguments(args)})`, sparse: loss.name === 'SparseCategoricalCrossentropy' };
}

/** A callback setting (`early_stopping`, `reduce_lr`) as its Keras class: `monitor` always, then what the block gives. */
function callbackPython(settings: TrainingSettings, setting: string, className: string): string | undefined {
  const value = settingValue(settings, setting);
  if (value?.kind !== 'call') return undefined;
  const given = namedArguments(value);
  const monitor = given.find(([k]) => k === 'monitor')?.[1];
  const fallback = callbacks.find((c) => c.name === className)?.args['monitor'] ?? 'val_loss';
  const args: [string, string][] = [['monitor', monitor ? pythonLiteral(monitor) : JSON.stringify(fallback)]];
  for (const [k, v] of given) if (k !== 'monitor') args.push([k, pythonLiteral(v)]);
  return `keras.callbacks.${className}(${keywordArguments(args)})`;
}

/** The callbacks of `model.fit`, each with a comment when it stands for something the trainer does on its own. */
export function callbacksPython(settings: TrainingSettings): readonly { readonly code: string; readonly comment?: string }[] {
  const list: { code: string; comment?: string }[] = [{ code: 'keras.callbacks.TerminateOnNaN()', comment: 'Layerlab stops a run whose loss is no longer a number' }];
  const early = callbackPython(settings, 'early_stopping', 'EarlyStopping');
  if (early) list.push({ code: early });
  const reduce = callbackPython(settings, 'reduce_lr', 'ReduceLROnPlateau');
  if (reduce) list.push({ code: reduce });
  return list;
}

/** `augment = Augment(...)` as Keras preprocessing layers, in the order the trainer applies them; undefined without `augment`. */
export function augmentationLayers(settings: TrainingSettings): readonly string[] | undefined {
  const value = settingValue(settings, 'augment');
  if (value?.kind !== 'call') return undefined;
  const args = new Map(namedArguments(value));
  const num = (name: string): number => {
    const v = args.get(name);
    return v?.kind === 'number' ? v.value : 0;
  };
  const flag = (name: string): boolean => {
    const v = args.get(name);
    return v?.kind === 'bool' && v.value;
  };
  const fill = 'fill_mode="constant", fill_value=0.0';
  const layers: string[] = [];
  const flips = [flag('horizontal_flip') ? 'horizontal' : '', flag('vertical_flip') ? 'vertical' : ''].filter(Boolean);
  if (flips.length) layers.push(`layers.RandomFlip(${JSON.stringify(flips.join('_and_'))})`);
  // RandomRotation's factor is a fraction of a full turn: `rotation` degrees either way.
  if (num('rotation')) layers.push(`layers.RandomRotation(${num('rotation')} / 360, ${fill})`);
  if (num('width_shift') || num('height_shift')) layers.push(`layers.RandomTranslation(height_factor=${num('height_shift')}, width_factor=${num('width_shift')}, ${fill})`);
  if (num('zoom')) layers.push(`layers.RandomZoom(${num('zoom')}, ${fill})`);
  if (num('brightness')) layers.push(`layers.RandomBrightness(${num('brightness')}, value_range=(0.0, 1.0))`);
  return layers;
}
