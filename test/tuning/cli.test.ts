import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../language-server/src/cli/main.js';
import type { CliIo } from '../../language-server/src/cli/io.js';
import type { TuneSummary } from '../../language-server/src/tuning/runner.js';
import { bestValues } from '../../language-server/src/tuning/store.js';

function capture(): { io: CliIo; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t) => out.push(t), err: (t) => err.push(t) }, out, err };
}

const source = `model mlp(units = 16) {
  input mnist
  Flatten()
  Dense(units, activation=relu)
  Dense(10, activation=softmax)
}

tune mlp {
  dataset = mnist
  units in [4, 32]
  search = RandomSearch(trials=2)
  epochs = 1
  batch_size = 64
}
`;

test('layerlab tune: usage errors exit with 2 and say what is wrong', async () => {
  const cases: [string[], RegExp][] = [
    [['tune'], /expected exactly one FILE/],
    [['tune', 'a.model', 'b.model'], /expected exactly one FILE/],
    [['tune', 'x.model', '--limit', '0'], /--limit must be a positive whole number/],
    [['tune', 'x.model', '--threads', '0'], /--threads must be a positive whole number, got 0/],
    [['train', 'x.model', '--threads', 'all'], /--threads must be a positive whole number, got all/],
    [['tune', 'x.model', '--backend', 'tpu'], /unknown backend tpu/],
    [['tune', 'x.model', '--bogus'], /Unknown option '--bogus'/],
    [['tune', join(tmpdir(), 'no-such-file.model')], /cannot read/],
  ];
  for (const [argv, message] of cases) {
    const { io, err } = capture();
    assert.equal(await runCli(argv, io), 2, argv.join(' '));
    assert.match(err.join('\n'), message);
  }
  const help = capture();
  assert.equal(await runCli(['tune', '--help'], help.io), 0);
  assert.match(help.out.join('\n'), /Usage: layerlab tune FILE/);
  const main = capture();
  assert.equal(await runCli(['--help'], main.io), 0);
  assert.match(main.out.join('\n'), /tune FILE/);
});

test('layerlab tune runs a search in the trainer process and prints it as JSON; a file without a tune block fails with 1', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'layerlab-tune-cli-'));
  const file = join(dir, 'search.model');
  writeFileSync(file, source);
  const { io, out } = capture();
  assert.equal(await runCli(['tune', file, '--limit', '800', '--json'], io), 0);
  const summaries = JSON.parse(out.join('\n')) as TuneSummary[];
  assert.equal(summaries.length, 1);
  const [summary] = summaries;
  assert.ok(summary);
  assert.equal(summary.model, 'mlp');
  assert.equal(summary.status, 'finished');
  assert.deepEqual(summary.objective, { name: 'val_loss', direction: 'min' });
  assert.equal(summary.trials.length, 2);
  assert.deepEqual(summary.trials.map((t) => t.point['units']).sort(), [32, 4].sort());
  assert.ok(summary.best && summary.trials.some((t) => t.id === summary.best?.trialId));
  assert.deepEqual(bestValues(join(dir, '.layerlab', 'tune', 'mlp'))?.values, summary.best?.point);

  // Run again: nothing left to do, and the text output shows the table of best trials.
  const again = capture();
  assert.equal(await runCli(['tune', file, '--limit', '800'], again.io), 0);
  const text = again.err.join('\n');
  assert.match(text, /resuming after 2 finished trials/);
  assert.match(text, /#\s+trial\s+val_loss\s+epochs\s+values/);
  assert.match(text, /best: units=(4|32) \(val_loss \d\.\d{4}, trial 000[01]\)/);

  const noTune = join(dir, 'plain.model');
  writeFileSync(noTune, source.slice(0, source.indexOf('tune mlp')));
  const failed = capture();
  assert.equal(await runCli(['tune', noTune], failed.io), 1);
  assert.match(failed.err.join('\n'), /no `tune` block/);
});
