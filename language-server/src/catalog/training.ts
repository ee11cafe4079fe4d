/** Settings of `train` and `tune` blocks and the objects they take, as data for checks, hover and completion. */

export type SettingType = 'dataset' | 'int' | 'float' | 'bool' | 'duration' | 'optimizer' | 'loss' | 'validation' | 'callback' | 'augment' | 'metrics' | 'search' | 'objective';

export interface SettingSpec {
  readonly name: string;
  readonly type: SettingType;
  readonly doc: string;
  readonly default: string;
  readonly min?: number;
  readonly tuneOnly?: boolean;
  /** Only these object names are accepted for callbacks. */
  readonly callback?: string;
}

export const trainSettings: readonly SettingSpec[] = [
  { name: 'dataset', type: 'dataset', doc: 'The data: `mnist`, `fashion_mnist`, `cifar10`, `images("dir", size=(64, 64))` or `idx("images", "labels")`.', default: 'the model input’s dataset' },
  { name: 'epochs', type: 'int', min: 1, doc: 'Passes over the training data.', default: '10' },
  { name: 'batch_size', type: 'int', min: 1, doc: 'Samples per gradient step.', default: '32' },
  { name: 'optimizer', type: 'optimizer', doc: 'The optimizer, e.g. `Adam(learning_rate=1e-3)` or `SGD(momentum=0.9, nesterov=true)`.', default: 'Adam()' },
  { name: 'learning_rate', type: 'float', min: 0, doc: 'Learning rate of the optimizer (shortcut for its `learning_rate`).', default: 'the optimizer’s default' },
  { name: 'loss', type: 'loss', doc: 'The loss; by default follows the labels (`sparse_categorical_crossentropy` for class indices).', default: 'sparse_categorical_crossentropy' },
  { name: 'metrics', type: 'metrics', doc: 'Metrics reported besides the loss.', default: '[accuracy]' },
  { name: 'validation', type: 'validation', doc: 'A fraction of the training data held out (e.g. `0.1`), or `test` to validate on the test set.', default: '0.1' },
  { name: 'early_stopping', type: 'callback', callback: 'EarlyStopping', doc: 'Stop when a metric stops improving: `EarlyStopping(monitor=val_loss, patience=5, restore_best_weights=true)`.', default: 'none' },
  { name: 'reduce_lr', type: 'callback', callback: 'ReduceLROnPlateau', doc: 'Lower the learning rate on a plateau: `ReduceLROnPlateau(monitor=val_loss, factor=0.1, patience=10)`.', default: 'none' },
  { name: 'augment', type: 'augment', doc: 'Data augmentation during training: `Augment(rotation=10, width_shift=0.1, height_shift=0.1, zoom=0.2, horizontal_flip=true)`.', default: 'none' },
  { name: 'shuffle', type: 'bool', doc: 'Shuffle the training data every epoch.', default: 'true' },
  { name: 'limit', type: 'int', min: 1, doc: 'A quick run: train, validate and test on at most this many images of each split, drawn per class in proportion with the `seed` (as `--limit` does).', default: 'every image' },
  { name: 'seed', type: 'int', min: 0, doc: 'Seed for weight initialisation, dropout, shuffling and augmentation: the same seed trains to the same numbers on the same backend.', default: '1' },
  { name: 'search', type: 'search', tuneOnly: true, doc: 'The search strategy: `Hyperband(max_epochs=30, factor=3, iterations=1)`, `RandomSearch(trials=20)` or `GridSearch()`.', default: 'Hyperband()' },
  { name: 'max_trials', type: 'int', min: 1, tuneOnly: true, doc: 'The search stops after this many trials (counting those of earlier runs of the same search); raise it and run again to go on.', default: 'as the strategy plans' },
  { name: 'max_time', type: 'duration', tuneOnly: true, doc: 'The search starts no new trial after this long: seconds, or a text such as `"30m"` or `"2h"` (counting earlier runs of the same search).', default: 'no limit' },
  { name: 'objective', type: 'objective', tuneOnly: true, doc: 'The metric to optimise, e.g. `val_loss` (minimised) or `val_accuracy` (maximised).', default: 'val_loss' },
];

export interface ObjectSpec {
  readonly name: string;
  readonly doc: string;
  /** Keyword arguments with their Keras defaults as text. */
  readonly args: Readonly<Record<string, string>>;
}

export const optimizers: readonly ObjectSpec[] = [
  { name: 'Adam', doc: 'Adam: adaptive moments.', args: { learning_rate: '0.001', beta_1: '0.9', beta_2: '0.999', epsilon: '1e-7', amsgrad: 'false' } },
  { name: 'SGD', doc: 'Stochastic gradient descent, with optional momentum and Nesterov.', args: { learning_rate: '0.01', momentum: '0.0', nesterov: 'false' } },
  { name: 'RMSprop', doc: 'RMSprop: divides by a moving average of squared gradients.', args: { learning_rate: '0.001', rho: '0.9', momentum: '0.0', epsilon: '1e-7', centered: 'false' } },
  { name: 'Adagrad', doc: 'Adagrad: per-parameter rates from accumulated squared gradients.', args: { learning_rate: '0.001', initial_accumulator_value: '0.1', epsilon: '1e-7' } },
  { name: 'Adadelta', doc: 'Adadelta: a windowed Adagrad.', args: { learning_rate: '0.001', rho: '0.95', epsilon: '1e-7' } },
  { name: 'Adamax', doc: 'Adamax: Adam with the infinity norm.', args: { learning_rate: '0.001', beta_1: '0.9', beta_2: '0.999', epsilon: '1e-7' } },
];

export const losses: readonly ObjectSpec[] = [
  { name: 'SparseCategoricalCrossentropy', doc: 'Cross-entropy for integer class labels.', args: { from_logits: 'false' } },
  { name: 'CategoricalCrossentropy', doc: 'Cross-entropy for one-hot labels (Layerlab one-hot encodes class labels for it).', args: { from_logits: 'false', label_smoothing: '0.0' } },
  { name: 'BinaryCrossentropy', doc: 'Cross-entropy for two classes or multi-label outputs.', args: { from_logits: 'false', label_smoothing: '0.0' } },
  { name: 'MeanSquaredError', doc: 'Mean of squared differences.', args: {} },
  { name: 'MeanAbsoluteError', doc: 'Mean of absolute differences.', args: {} },
];

/** Function-style loss names and the class each one stands for. */
export const lossAliases: ReadonlyMap<string, string> = new Map([
  ['sparse_categorical_crossentropy', 'SparseCategoricalCrossentropy'],
  ['categorical_crossentropy', 'CategoricalCrossentropy'],
  ['binary_crossentropy', 'BinaryCrossentropy'],
  ['mean_squared_error', 'MeanSquaredError'],
  ['mse', 'MeanSquaredError'],
  ['mean_absolute_error', 'MeanAbsoluteError'],
  ['mae', 'MeanAbsoluteError'],
]);

export const callbacks: readonly ObjectSpec[] = [
  {
    name: 'EarlyStopping',
    doc: 'Stops training when `monitor` has not improved by `min_delta` for `patience` epochs.',
    args: { monitor: 'val_loss', min_delta: '0', patience: '0', mode: 'auto', baseline: 'None', restore_best_weights: 'false', start_from_epoch: '0' },
  },
  { name: 'ReduceLROnPlateau', doc: 'Multiplies the learning rate by `factor` after `patience` epochs without improvement.', args: { monitor: 'val_loss', factor: '0.1', patience: '10', mode: 'auto', min_delta: '0.0001', cooldown: '0', min_lr: '0.0' } },
];

export const augmentation: ObjectSpec = {
  name: 'Augment',
  doc: 'Random transformations of training images, as Keras ImageDataGenerator.',
  args: { rotation: '0', width_shift: '0.0', height_shift: '0.0', zoom: '0.0', horizontal_flip: 'false', vertical_flip: 'false', brightness: '0.0' },
};

export const searchStrategies: readonly ObjectSpec[] = [
  { name: 'Hyperband', doc: 'Hyperband (Li et al.): successive halving over brackets of trials, as Keras Tuner schedules it.', args: { max_epochs: '30', factor: '3', iterations: '1' } },
  { name: 'RandomSearch', doc: 'Random points of the space.', args: { trials: '10' } },
  { name: 'GridSearch', doc: 'Every point of the space, in order.', args: { trials: 'None' } },
];

export const metricNames: readonly string[] = ['loss', 'accuracy', 'val_loss', 'val_accuracy'];

const DURATION_UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, min: 60, h: 3600 };

/** Seconds of a duration written as `"90s"`, `"30m"`, `"1.5h"` (or a bare number of seconds); undefined when malformed. */
export function durationSeconds(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(s|m|min|h)?\s*$/.exec(text);
  if (!match) return undefined;
  const seconds = Number(match[1]) * (DURATION_UNITS[match[2] ?? 's'] ?? 1);
  return seconds > 0 ? seconds : undefined;
}
