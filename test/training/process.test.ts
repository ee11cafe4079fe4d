import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { launchTraining, TrainingFailure } from '../../language-server/src/trainer/launch.js';
import type { FromTrainer } from '../../language-server/src/protocol/trainer.js';
import type { RunRecord } from '../../language-server/src/training/results.js';

const root = join(fileURLToPath(import.meta.url), '../../../..');
const trainerPath = join(root, 'out/language-server/src/trainer/main.js');

function project(source: string): { file: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'layerlab-train-'));
  const file = join(dir, 'net.model');
  writeFileSync(file, source);
  return { file, dir };
}

const mnistDense = `model net {
  input mnist
  Flatten()
  Dense(64, activation=relu)
  Dense(10, activation=softmax)
}

train net {
  dataset    = mnist
  epochs     = 2
  batch_size = 64
  optimizer  = Adam(learning_rate=0.002)
  seed       = 1
}
`;

test('a dense net trains on real MNIST in the trainer process, well above chance, and its run is saved', async () => {
  const { file, dir } = project(mnistDense);
  const messages: FromTrainer[] = [];
  const running = launchTraining({ trainerPath, request: { file, text: readFileSync(file, 'utf8'), limit: 3000 }, backend: 'auto', onMessage: (m) => messages.push(m) });
  const result = await running.done;
  assert.equal(result.cancelled, false);
  const record = result.records[0];
  assert.ok(record);
  assert.equal(record.status, 'completed');
  // Chance is 10%; 2,700 training images are enough for far more.
  assert.ok((record.test?.accuracy ?? 0) > 0.75, `test accuracy ${record.test?.accuracy}`);
  assert.equal(record.model.params, 50890);
  assert.equal(record.dataset.train, 2700);
  assert.equal(record.test?.confusion.length, 10);
  assert.ok(messages.some((m) => m.type === 'backend'));
  assert.ok(messages.some((m) => m.type === 'event' && m.event.type === 'training' && m.event.event.type === 'epoch'));
  const runs = readdirSync(join(dir, '.layerlab', 'runs'));
  assert.equal(runs.length, 1);
  const saved = JSON.parse(readFileSync(join(dir, '.layerlab', 'runs', runs[0] ?? '', 'run.json'), 'utf8')) as RunRecord;
  assert.equal(saved.history.length, 2);
  assert.ok(existsSync(join(dir, '.layerlab', 'runs', runs[0] ?? '', 'weights.bin')));
});

test('a conv net learns on real MNIST too', async () => {
  const source = mnistDense.replace('  Flatten()\n  Dense(64, activation=relu)', '  Conv2D(8, 3, activation=relu)\n  MaxPooling2D(2)\n  Flatten()').replace('epochs     = 2', 'epochs     = 1');
  const { file } = project(source);
  const result = await launchTraining({ trainerPath, request: { file, text: source, limit: 1500 }, backend: 'auto' }).done;
  assert.ok((result.records[0]?.test?.accuracy ?? 0) > 0.5, `test accuracy ${result.records[0]?.test?.accuracy}`);
});

test('cancel stops the trainer after the current batch; finished epochs stay saved', async () => {
  const { file, dir } = project(mnistDense.replace('epochs     = 2', 'epochs     = 50'));
  let epochs = 0;
  const running = launchTraining({
    trainerPath,
    request: { file, text: readFileSync(file, 'utf8'), limit: 1000 },
    backend: 'auto',
    onMessage: (m) => {
      if (m.type === 'event' && m.event.type === 'training' && m.event.event.type === 'epoch' && ++epochs === 2) running.cancel();
    },
  });
  const result = await running.done;
  assert.equal(result.cancelled, true);
  const runs = readdirSync(join(dir, '.layerlab', 'runs'));
  const saved = JSON.parse(readFileSync(join(dir, '.layerlab', 'runs', runs[0] ?? '', 'run.json'), 'utf8')) as RunRecord;
  assert.ok(saved.history.length >= 2 && saved.history.length < 50, `history ${saved.history.length}`);
  assert.equal(saved.status, 'cancelled');
});

test('a crashing trainer is reported with its cause and the parent carries on', async () => {
  const { file } = project(mnistDense);
  const running = launchTraining({ trainerPath, request: { file, text: mnistDense, limit: 100000 }, backend: 'auto' });
  setTimeout(() => running.pid && process.kill(running.pid, 'SIGKILL'), 1500);
  await assert.rejects(running.done, (error: unknown) => error instanceof TrainingFailure && /crashed: it was killed \(SIGKILL\)/.test(error.message));
});

test('problems in the file are user errors with the file and line', async () => {
  const broken = mnistDense.replace('Dense(64, activation=relu)', 'Dense(64, activaton=relu)');
  const { file } = project(broken);
  await assert.rejects(launchTraining({ trainerPath, request: { file, text: broken }, backend: 'auto' }).done, (error: unknown) => {
    assert.ok(error instanceof TrainingFailure && error.userError);
    assert.match(error.message, /net\.model:4: Dense has no argument `activaton`/);
    return true;
  });
  const noTrain = 'model m {\n  input mnist\n  Flatten()\n  Dense(10, activation=softmax)\n}\n';
  const other = project(noTrain);
  await assert.rejects(launchTraining({ trainerPath, request: { file: other.file, text: noTrain }, backend: 'auto' }).done, /has no `train` block/);
});

test('a corrupt data file: a clear error naming it, and nothing written', async () => {
  const { file, dir } = project('');
  writeFileSync(join(dir, 'images.idx3-ubyte'), Buffer.from([0, 0, 9, 9, 0, 0, 0, 1]));
  writeFileSync(join(dir, 'labels.idx1-ubyte'), Buffer.from([0, 0, 8, 1, 0, 0, 0, 1, 3]));
  const source = 'model m {\n  input (28, 28, 1)\n  Flatten()\n  Dense(10, activation=softmax)\n}\ntrain m {\n  dataset = idx("images.idx3-ubyte", "labels.idx1-ubyte")\n}\n';
  writeFileSync(file, source);
  await assert.rejects(launchTraining({ trainerPath, request: { file, text: source }, backend: 'auto' }).done, (error: unknown) => {
    assert.ok(error instanceof TrainingFailure && error.userError, String(error));
    assert.match(error.message, /images\.idx3-ubyte/);
    return true;
  });
  // Nothing half-written: no run folder for a run that never started.
  assert.ok(!existsSync(join(dir, '.layerlab', 'runs')));
});

test('the train block\'s `limit` draws that many images per split; a quick run takes one epoch on at most 2,000', async () => {
  const limited = mnistDense.replace('  seed       = 1', '  seed       = 1\n  limit      = 500');
  const { file } = project(limited);
  const messages: FromTrainer[] = [];
  const result = await launchTraining({ trainerPath, request: { file, text: limited }, backend: 'auto', onMessage: (m) => messages.push(m) }).done;
  // The views' header learns the data set as training starts.
  assert.ok(messages.some((m) => m.type === 'event' && m.event.type === 'dataset' && m.event.name === 'mnist' && m.event.train === 450 && m.event.validation === 50 && m.event.test === 500));
  const record = result.records[0];
  assert.ok(record);
  assert.equal(record.settings.limit, 500);
  // validation = 0.1 (the default) of the 500 training images is held out; the test split has 500 too.
  assert.equal(record.dataset.train + record.dataset.validation, 500);
  assert.equal(record.dataset.test, 500);
  assert.equal(record.history.length, 2);

  const quick = await launchTraining({ trainerPath, request: { file, text: mnistDense, quick: true }, backend: 'auto', onMessage: () => {} }).done;
  const quickRecord = quick.records[0];
  assert.ok(quickRecord);
  assert.equal(quickRecord.settings.limit, 2000);
  assert.equal(quickRecord.history.length, 1);
  assert.equal(quickRecord.dataset.test, 2000);
});

test('a model whose output does not fit the data set is refused before training: the file, the line and the fix; no run folder', async () => {
  const source = mnistDense.replace('Dense(10, activation=softmax)', 'Dense(5, activation=softmax)');
  const { file, dir } = project(source);
  await assert.rejects(launchTraining({ trainerPath, request: { file, text: source, limit: 500 }, backend: 'auto' }).done, (error: unknown) => {
    assert.ok(error instanceof TrainingFailure);
    assert.equal(error.userError, true);
    assert.match(error.message, /net\.model:5: model net gives \(5\) but mnist has 10 classes, so training needs \(10,\); make the last layer Dense\(10, activation=softmax\)$/);
    return true;
  });
  assert.equal(existsSync(join(dir, '.layerlab', 'runs')), false);
});
