import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeText } from '../../language-server/src/analysis/analyze-file.js';
import { importKeras, type KerasImport } from '../../language-server/src/keras-import/import-keras.js';

/** The importer over Keras code in each style it reads; totals are checked by the project's analyser. */

function imported(source: string, fileName = 'model.py', fold = true): KerasImport {
  const result = importKeras(fileName, source, { fold });
  if ('error' in result) assert.fail(result.error);
  return result;
}

/** Total parameters of each model of the imported text, after checking that it analyses without errors. */
function totals(result: KerasImport): Record<string, number | undefined> {
  const analysis = analyzeText(result.text);
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
  assert.deepEqual(errors, [], result.text);
  return Object.fromEntries(analysis.models.map((m) => [m.name, m.evaluated?.totals.params]));
}

/** The body of the one model of a text, without indentation. */
function body(result: KerasImport): string[] {
  const lines = result.text.split('\n');
  const start = lines.findIndex((l) => l.startsWith('model '));
  const end = lines.findIndex((l, i) => i > start && l === '}');
  return lines.slice(start + 1, end).map((l) => l.trim());
}

const mlp = (prefix: string, dense: string, input: string, sequential: string) => `${prefix}
model = ${sequential}([
    ${input}(shape=(784,)),
    ${dense}(64, activation="relu"),
    ${dense}(10, activation="softmax"),
])
`;

test('every import style names the same layers: keras.layers, tf.keras.layers, from-imports, layers.X, aliases', () => {
  const styles = [
    mlp('import keras', 'keras.layers.Dense', 'keras.Input', 'keras.Sequential'),
    mlp('import tensorflow as tf', 'tf.keras.layers.Dense', 'tf.keras.Input', 'tf.keras.Sequential'),
    mlp('from tensorflow.keras.layers import Dense, Input\nfrom tensorflow.keras.models import Sequential', 'Dense', 'Input', 'Sequential'),
    mlp('from keras import layers, Input\nfrom keras.models import Sequential, Model', 'layers.Dense', 'Input', 'Sequential'),
    mlp('import tensorflow.keras as K\nfrom tensorflow.keras import layers as L', 'L.Dense', 'K.Input', 'K.models.Sequential'),
    mlp('from keras.layers import Dense as D\nimport keras', 'D', 'keras.layers.Input', 'keras.Sequential'),
    mlp('from keras.src.layers.core.dense import Dense\nfrom keras.src import models\nimport keras', 'Dense', 'keras.Input', 'models.Sequential'),
  ];
  const expected = ['input (784,)', 'Dense(64, activation=relu)', 'Dense(10, activation=softmax)'];
  for (const source of styles) {
    const result = imported(source);
    assert.deepEqual(body(result), expected, source);
    assert.equal(result.notes.length, 0, source);
    // (784 + 1)·64 + (64 + 1)·10
    assert.deepEqual(Object.values(totals(result)), [50890]);
  }
});

test('Sequential with .add and a Keras 2 input_shape: an input statement instead of the argument', () => {
  const result = imported(`from keras.models import Sequential
from keras.layers import Dense, Dropout
model = Sequential()
model.add(Dense(32, activation='relu', input_shape=(16,)))
model.add(Dropout(0.5))
model.add(Dense(1, activation='sigmoid'))
`);
  assert.deepEqual(body(result), ['input (16,)', 'Dense(32, activation=relu)', 'Dropout(0.5)', 'Dense(1, activation=sigmoid)']);
  // A model assigned to `model` (a keyword of the language) is named after the file.
  assert.deepEqual(totals(result), { imported: 17 * 32 + 33 });
});

test('positional and keyword arguments, name= as the label, constants and expressions defined earlier', () => {
  const result = imported(`import keras
from keras import layers
num_classes = 10
input_shape = (28, 28, 1)
filters = [16, 32]
inputs = keras.Input(shape=input_shape, name="image")
x = layers.Conv2D(filters[0], 3, strides=(1, 1), padding="SAME", activation="relu", name="stem")(inputs)
x = layers.Conv2D(filters=filters[-1] * 2, kernel_size=(3, 3), use_bias=False)(x)
x = layers.Flatten()(x)
outputs = layers.Dense(num_classes // 2 * 2, activation=None)(x)
model = keras.Model(inputs=inputs, outputs=outputs, name="named_cnn")
`);
  assert.deepEqual(body(result), [
    'image = input (28, 28, 1)',
    'stem = Conv2D(16, 3, strides=(1, 1), padding=same, activation=relu)',
    'Conv2D(64, (3, 3), use_bias=false)',
    'Flatten()',
    'Dense(10, activation=None)',
  ]);
  assert.deepEqual(result.models, ['named_cnn']);
  // (9·1 + 1)·16 + 9·16·64 (no bias) + 26·26·64·10 + 10
  assert.deepEqual(totals(result), { named_cnn: 160 + 9216 + 432650 });
});

test('the functional API: a residual branch written with labels, from and a merge taking the current tensor first', () => {
  const result = imported(`import keras
from keras import layers
inputs = keras.Input(shape=(32, 32, 3))
x = layers.Conv2D(16, 3, padding="same")(inputs)
shortcut = x
x = layers.Conv2D(16, 3, padding="same", activation="relu")(x)
x = layers.Conv2D(16, 3, padding="same")(x)
x = layers.add([shortcut, x])
branch = layers.Conv2D(8, 1)(inputs)
x = layers.Concatenate()([x, branch])
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs, outputs)
`);
  assert.deepEqual(body(result), [
    'inputs = input (32, 32, 3)',
    'shortcut = Conv2D(16, 3, padding=same)',
    'Conv2D(16, 3, padding=same, activation=relu)',
    'Conv2D(16, 3, padding=same)',
    'add = Add(shortcut)',
    'from inputs',
    'branch = Conv2D(8, 1)',
    'from add',
    'Concatenate(branch)',
    'GlobalAveragePooling2D()',
    'Dense(10, activation=softmax)',
  ]);
  assert.deepEqual(Object.values(totals(result)), [448 + 2320 + 2320 + 32 + 250]);
});

test('helper functions are evaluated per call, and runs of identical layers fold into repeat without changing the model', () => {
  const source = `import tensorflow as tf
from tensorflow.keras import layers

def conv_block(x, filters, *args, pool=True, **kwargs):
    x = layers.Conv2D(filters, 3, padding="same", *args, **kwargs)(x)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    if pool:
        x = layers.MaxPooling2D()(x)
    return x

inputs = tf.keras.Input((64, 64, 3))
x = inputs
for filters in [32, 32, 32]:
    x = conv_block(x, filters, use_bias=False)
x = conv_block(x, 64, pool=False)
x = layers.Flatten()(x)
for _ in range(3):
    x = layers.Dense(128, activation="relu")(x)
model = tf.keras.Model(inputs, layers.Dense(2)(x))
`;
  const folded = imported(source);
  const unfolded = imported(source, 'model.py', false);
  assert.deepEqual(body(folded), [
    'input (64, 64, 3)',
    'repeat 3 {',
    'Conv2D(32, 3, padding=same, use_bias=false)',
    'BatchNormalization()',
    'Activation(relu)',
    'MaxPooling2D()',
    '}',
    'Conv2D(64, 3, padding=same)',
    'BatchNormalization()',
    'Activation(relu)',
    'Flatten()',
    'repeat 3 {',
    'Dense(128, activation=relu)',
    '}',
    'Dense(2)',
  ]);
  assert.equal(body(unfolded).length, 1 + 12 + 4 + 3 + 1);
  assert.deepEqual(totals(folded), totals(unfolded));
});

test('a residual block repeated folds with its labels renamed per copy; an identity shortcut chained from copy to copy does not', () => {
  const block = (projected: boolean) => `from keras import layers, Input, Model
def block(x):
${projected ? '    x = layers.Dense(32)(x)\n' : ''}    skip = x
    x = layers.Dense(32, activation="relu")(x)
    x = layers.Dense(32)(x)
    return layers.Add()([x, skip])
inputs = Input((32,))
x = inputs
for i in range(4):
    x = block(x)
model = Model(inputs, layers.Dense(1)(x))
`;
  const projected = imported(block(true), 'blocks.py');
  assert.deepEqual(body(projected), ['input (32,)', 'repeat 4 {', 'dense = Dense(32)', 'Dense(32, activation=relu)', 'Dense(32)', 'Add(dense)', '}', 'Dense(1)']);
  assert.deepEqual(totals(projected), totals(imported(block(true), 'blocks.py', false)));
  assert.deepEqual(totals(projected), { blocks: 4 * 3 * 33 * 32 + 33 });
  // Each copy adds the previous copy's output: a `repeat` body cannot name that, so the copies stay written out.
  const identity = imported(block(false), 'blocks.py');
  assert.ok(!identity.text.includes('repeat'), identity.text);
  assert.deepEqual(totals(identity), { blocks: 4 * 2 * 33 * 32 + 33 });
});

test('list comprehensions of layers, Keras 2 names (MaxPool2D, Convolution2D), Rescaling from tf.keras.layers.experimental.preprocessing', () => {
  const result = imported(`import tensorflow as tf
from tensorflow import keras
model = keras.Sequential(
    [keras.layers.InputLayer(input_shape=(32, 32, 3)), tf.keras.layers.experimental.preprocessing.Rescaling(1.0 / 255)]
    + [keras.layers.Convolution2D(f, 3, activation="relu") for f in (8, 16)]
    + [keras.layers.MaxPool2D(), keras.layers.GlobalAvgPool2D(), keras.layers.Dense(3)]
)
`);
  assert.deepEqual(body(result), ['input (32, 32, 3)', 'Rescaling(1 / 255)', 'Conv2D(8, 3, activation=relu)', 'Conv2D(16, 3, activation=relu)', 'MaxPooling2D()', 'GlobalAveragePooling2D()', 'Dense(3)']);
  assert.deepEqual(Object.values(totals(result)), [224 + 1168 + 51]);
});

test('a notebook: every model of every cell, magics skipped, notes by cell and line', () => {
  const cell = (type: string, source: string[]) => ({ cell_type: type, metadata: {}, source, ...(type === 'code' ? { outputs: [], execution_count: null } : {}) });
  const notebook = JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      cell('markdown', ['# Two models\n']),
      cell('code', ['%matplotlib inline\n', '!pip install keras-tuner\n', 'from tensorflow import keras\n', 'from tensorflow.keras import layers\n', 'units = 32']),
      cell('code', ['small = keras.Sequential([\n', '    layers.Dense(units, input_shape=(8,)),\n', '    layers.Lambda(lambda t: t * 2),\n', '    layers.Dense(1),\n', '])']),
      cell('markdown', ['A second one:']),
      cell('code', ['inputs = keras.Input((4,))\n', 'outputs = layers.Dense(units * 2)(inputs)\n', 'wide = keras.Model(inputs, outputs)\n', 'wide.compile(optimizer="sgd", loss="mse")']),
      cell('code', ['def broken(:\n', '    pass']),
    ],
  });
  const result = imported(notebook, 'two.ipynb');
  assert.deepEqual(result.models, ['small', 'wide']);
  assert.deepEqual(totals(result), { small: 9 * 32 + 33, wide: 5 * 64 });
  assert.ok(result.text.includes('train wide {'));
  const where = result.notes.map((n) => n.where);
  assert.ok(where.includes('two.ipynb cell 3, line 3'), where.join('; '));
  assert.ok(result.notes.find((n) => n.where === 'two.ipynb cell 3, line 3')?.message.includes('Lambda'));
  assert.ok(where.includes('two.ipynb cell 6, line 1'), where.join('; '));
});

test('compile and fit with callbacks: a train block', () => {
  const result = imported(`import keras
from keras import layers
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train.reshape(-1, 28, 28, 1).astype("float32") / 255
model = keras.Sequential([layers.Input(shape=x_train.shape[1:]), layers.Flatten(), layers.Dense(10, activation="softmax")])
model.compile(optimizer=keras.optimizers.SGD(0.01, momentum=0.9, nesterov=True), loss=keras.losses.SparseCategoricalCrossentropy(), metrics=["acc"])
early = keras.callbacks.EarlyStopping(monitor="val_acc", patience=3, restore_best_weights=True)
reduce = keras.callbacks.ReduceLROnPlateau("val_loss", factor=0.5, patience=2, verbose=1)
model.fit(x_train, y_train, 64, 12, callbacks=[early, reduce, keras.callbacks.TensorBoard("logs")], validation_split=0.2)
`);
  assert.deepEqual(result.models, ['imported']);
  const train = result.text.slice(result.text.indexOf('train imported {'));
  for (const line of ['dataset        = mnist', 'epochs         = 12', 'batch_size     = 64', 'optimizer      = SGD(learning_rate=0.01, momentum=0.9, nesterov=true)', 'loss           = SparseCategoricalCrossentropy()', 'metrics        = [accuracy]', 'validation     = 0.2', 'early_stopping = EarlyStopping(monitor=val_accuracy, patience=3, restore_best_weights=true)', 'reduce_lr      = ReduceLROnPlateau(monitor=val_loss, factor=0.5, patience=2)']) {
    assert.ok(train.includes(`  ${line}\n`), `${line}\n${train}`);
  }
  assert.ok(result.notes.some((n) => n.where === 'model.py:9' && n.message.includes('TensorBoard')));
  assert.deepEqual(totals(result), { imported: 7850 });
});

test('a Keras Tuner build_model(hp): model parameters, repeat and if from hp, and a tune block with the search space', () => {
  const result = imported(`import keras
import keras_tuner
from keras import layers

def build_model(hp):
    model = keras.Sequential()
    model.add(layers.Flatten(input_shape=(28, 28)))
    for i in range(hp.Int("num_layers", 1, 3)):
        model.add(layers.Dense(units=hp.Int("units", min_value=32, max_value=512, step=32), activation=hp.Choice("activation", ["relu", "tanh"])))
    if hp.Boolean("dropout"):
        model.add(layers.Dropout(rate=hp.Float("rate", 0.1, 0.5, step=0.1)))
    model.add(layers.Dense(10, activation="softmax"))
    learning_rate = hp.Float("lr", min_value=1e-4, max_value=1e-2, sampling="log")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model

tuner = keras_tuner.Hyperband(build_model, objective="val_accuracy", max_epochs=10, factor=3, directory="tuning")
tuner.search(x_train, y_train, epochs=50, validation_split=0.2, callbacks=[keras.callbacks.EarlyStopping(patience=5)])
`);
  assert.equal(result.text.split('\n').find((l) => l.startsWith('model ')), 'model build_model(num_layers = 1, units = 32, activation = relu, dropout = false, rate = 0.1) {');
  assert.deepEqual(body(result), ['input (28, 28)', 'Flatten()', 'repeat num_layers {', 'Dense(units, activation=activation)', '}', 'if dropout {', 'Dropout(rate)', '}', 'Dense(10, activation=softmax)']);
  const tune = result.text.slice(result.text.indexOf('tune build_model {'));
  for (const line of ['search         = Hyperband(max_epochs=10, factor=3)', 'objective      = val_accuracy', 'epochs         = 50', 'num_layers in 1..3', 'units in 32..512 step 32', 'activation in [relu, tanh]', 'dropout in [true, false]', 'rate in 0.1..0.5 step 0.1', 'learning_rate in 0.0001..0.01 log', 'early_stopping = EarlyStopping(patience=5)']) {
    assert.ok(tune.includes(`  ${line}\n`), `${line}\n${tune}`);
  }
  const analysis = analyzeText(result.text);
  assert.deepEqual(analysis.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  assert.equal(analysis.tunes[0]?.dimensions.length, 6);
  // At the defaults: one Dense(32) on 784 features, no dropout, Dense(10).
  assert.equal(analysis.models[0]?.evaluated?.totals.params, 785 * 32 + 33 * 10);
});

test('unsupported constructs are left out and reported with their line; the output still analyses', () => {
  const result = imported(`import keras
from keras import layers

class Patches(layers.Layer):
    def call(self, images):
        return images

def augment(x):
    return my_random_crop(x)

inputs = keras.Input((32, 32, 3))
x = layers.RandomFlip("horizontal")(inputs)
x = Patches()(x)
x = layers.Conv2D(8, 3)(x)
x = layers.MultiHeadAttention(num_heads=2, key_dim=8)(x, x)
shared = layers.Dense(4)
a = shared(layers.Flatten()(x))
b = shared(a)
model = keras.Model(inputs, b)
model.compile(optimizer="nadam", loss="mse", metrics=["mae"])
`);
  const lines = new Map(result.notes.map((n) => [n.where, n.message]));
  assert.match(lines.get('model.py:12') ?? '', /RandomFlip is not a layer Layerlab knows; left out \(it has no weights and keeps the shape/);
  assert.match(lines.get('model.py:13') ?? '', /Patches is a class defined in the code/);
  assert.match(lines.get('model.py:15') ?? '', /MultiHeadAttention is not a layer Layerlab knows/);
  assert.match(lines.get('model.py:18') ?? '', /applied a second time/);
  assert.match(lines.get('model.py:20') ?? '', /nadam|mae/);
  // Conv2D (3·3·3 + 1)·8, Dense on 30·30·8 features twice (written twice), then Dense(4) on 4.
  assert.deepEqual(Object.values(totals(result)), [224 + (7200 + 1) * 4 + 5 * 4]);
});

test('several inputs and outputs, and an LSTM with return_state feeding initial_state: the syntax for them', () => {
  const result = imported(`from tensorflow import keras
from tensorflow.keras import layers
image = keras.Input(shape=(32, 32, 3), name="image")
meta = keras.Input(shape=(8,), name="meta")
x = layers.Conv2D(4, 3)(image)
x = layers.GlobalMaxPooling2D()(x)
x = layers.concatenate([x, meta])
score = layers.Dense(1, name="score")(x)
label = layers.Dense(5, activation="softmax", name="label")(x)
two_heads = keras.Model([image, meta], [score, label])

enc_in = keras.Input((None, 16))
_, h, c = layers.LSTM(32, return_state=True)(enc_in)
dec_in = keras.Input((None, 8))
seq = layers.LSTM(32, return_sequences=True)(dec_in, initial_state=[h, c])
seq2seq = keras.Model([enc_in, dec_in], layers.Dense(8)(seq))
`);
  const text = result.text;
  const twoHeads = text.slice(text.indexOf('model two_heads'), text.indexOf('}', text.indexOf('model two_heads')) + 1);
  assert.equal(twoHeads, ['model two_heads {', '  image = input (32, 32, 3)', '  Conv2D(4, 3)', '  GlobalMaxPooling2D()', '  meta = input (8,)', '  from global_max_pooling2d', '  concatenate = Concatenate(meta)', '  score = Dense(1)', '  from concatenate', '  label = Dense(5, activation=softmax)', '  output score, label', '}'].join('\n').replace('  GlobalMaxPooling2D()', '  global_max_pooling2d = GlobalMaxPooling2D()'));
  const seq2seq = text.slice(text.indexOf('model seq2seq'));
  assert.ok(seq2seq.startsWith(['model seq2seq {', '  enc_in = input (None, 16)', '  lstm, h, c = LSTM(32, return_state=true)', '  dec_in = input (None, 8)', '  LSTM(32, return_sequences=true, initial_state=(h, c))', '  Dense(8)', '}'].join('\n')), seq2seq);
});

test('code cut anywhere (a half-typed clipboard, a broken cell) still imports without throwing, and its text has no syntax errors', () => {
  const source = `import keras
from keras import layers
def block(x, f):
    x = layers.Conv2D(f, 3, padding="same")(x)
    return layers.add([x, layers.Conv2D(f, 1)(x)])
inputs = keras.Input((32, 32, 3))
x = block(inputs, 8)
x = layers.Flatten()(x)
model = keras.Model(inputs, layers.Dense(2)(x))
model.compile(optimizer="adam", loss="mse")
`;
  for (let end = 0; end <= source.length; end += 7) {
    const result = importKeras('cut.py', source.slice(0, end));
    if ('error' in result) assert.fail(result.error);
    const analysis = analyzeText(result.text);
    assert.deepEqual(
      analysis.diagnostics.filter((d) => d.code === 'syntax').map((d) => d.message),
      [],
      `cut at ${end}:\n${result.text}`,
    );
  }
});
