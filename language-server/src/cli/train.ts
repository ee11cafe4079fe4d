import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { launchTraining, TrainingFailure } from '../trainer/launch.js';
import type { FromTrainer } from '../protocol/trainer.js';
import type { RunRecord } from '../training/results.js';
import type { CliIo } from './io.js';
import { outJson } from './json-stream.js';
import { writeReport } from './report.js';
import { QUICK } from '../training/quick.js';
import { ProgressText } from '../training/data/progress-text.js';
import { cancelOnInterrupt, positiveWholeOption, trainerInput } from './trainer-command.js';

export const trainUsage = `Usage: layerlab train FILE [--model NAME] [--quick] [--epochs N] [--limit N] [--backend B] [--threads N] [--report OUT.html] [--json]

  --model NAME   train only this model (default: every model of the first train block)
  --quick        a quick run: ${QUICK.epochs} epoch on at most ${QUICK.limit.toLocaleString('en-US')} images of each split
  --epochs N     override the block's epochs
  --limit N      train, validate and test on at most N images of each split, drawn per class (overrides the block's limit)
  --backend B    auto | tensorflow-gpu | webgpu | tensorflow | wasm | cpu (default auto)
  --threads N    threads of the wasm backend (default: every logical core; one for small models)
  --report FILE  write the training view (curves, confusion matrix, comparison) as one HTML file
  --json         print the run records as JSON`;

/** The trainer next to this file: dist/trainer.cjs when bundled, trainer/main.js when compiled by tsc. */
export function trainerPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const bundled = join(here, 'trainer.cjs');
  return existsSync(bundled) ? bundled : join(here, '..', 'trainer', 'main.js');
}

function bar(done: number, total: number, width = 24): string {
  const filled = Math.round((done / Math.max(1, total)) * width);
  return `[${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? '>' : ''}${' '.repeat(width - filled)}]`;
}

const percent = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '–' : `${(x * 100).toFixed(2)}%`);

function describeRecord(record: RunRecord, runDir: string | undefined): string {
  const lines = [`${record.model.name}: ${record.status}${record.message ? ` — ${record.message}` : ''}`];
  if (record.test) lines.push(`  test accuracy ${percent(record.test.accuracy)}, loss ${record.test.loss.toFixed(4)}`);
  if (record.samplesPerSecond) lines.push(`  ${Math.round(record.samplesPerSecond).toLocaleString('en-US')} samples/s on ${record.backend.device}, ${record.wallSeconds?.toFixed(1)} s`);
  if (record.overfitting) lines.push(`  overfitting: train accuracy ${percent(record.overfitting.trainAccuracy)} vs validation ${percent(record.overfitting.validationAccuracy)}`);
  if (runDir) lines.push(`  saved in ${runDir}`);
  return lines.join('\n');
}

export async function trainCommand(argv: readonly string[], io: CliIo, interactive: boolean): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { model: { type: 'string' }, quick: { type: 'boolean' }, epochs: { type: 'string' }, limit: { type: 'string' }, backend: { type: 'string' }, threads: { type: 'string' }, report: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    io.err(`layerlab train: ${error instanceof Error ? error.message : String(error)}\n\n${trainUsage}`);
    return 2;
  }
  if (parsed.values.help) {
    io.out(trainUsage);
    return 0;
  }
  const epochs = positiveWholeOption('train', 'epochs', parsed.values.epochs, io);
  const limit = positiveWholeOption('train', 'limit', parsed.values.limit, io);
  const threads = positiveWholeOption('train', 'threads', parsed.values.threads, io);
  if (epochs === 'bad' || limit === 'bad' || threads === 'bad') return 2;
  const input = trainerInput('train', trainUsage, parsed.positionals, parsed.values.backend, io);
  if (typeof input === 'number') return input;
  const { file, text, backend } = input;
  const json = parsed.values.json === true;
  const runDirs = new Map<string, string>();
  let progressShown = false;
  const progressText = new ProgressText();
  const onMessage = (message: FromTrainer) => {
    if (json) return;
    if (message.type === 'backend') {
      io.err(`backend: ${message.name} on ${message.device}`);
      for (const note of message.notes) io.err(`  ${note}`);
      return;
    }
    if (message.type !== 'event') return;
    const event = message.event;
    if (event.type === 'model') {
      runDirs.set(event.model, event.runDir);
      io.err(`training ${event.model} (${event.index + 1} of ${event.count}), ${event.params.toLocaleString('en-US')} parameters`);
    } else if (event.type === 'data') {
      if (interactive) process.stderr.write(`\r\x1b[K  ${progressText.describe(event)}`);
    } else if (event.type === 'training') {
      const e = event.event;
      if (e.type === 'batch' && interactive) {
        progressShown = true;
        const l = e.logs;
        process.stderr.write(`\r  epoch ${l.epoch} ${bar(l.batch, l.batches)} ${l.batch}/${l.batches} loss ${l.loss.toFixed(4)} acc ${percent(l.accuracy)} ${Math.round(l.samplesPerSecond)} samples/s   `);
      } else if (e.type === 'epoch') {
        if (progressShown) process.stderr.write('\r\x1b[K');
        const l = e.logs;
        io.err(`  epoch ${l.epoch}: loss ${l.loss.toFixed(4)} acc ${percent(l.accuracy)} val_loss ${l.val_loss.toFixed(4)} val_acc ${percent(l.val_accuracy)} (${l.seconds.toFixed(1)} s)${e.best ? ' *' : ''}`);
      } else if (e.type === 'message') io.err(`  ${e.text}`);
    }
  };
  const running = launchTraining({
    trainerPath: trainerPath(),
    request: { file: resolve(file), text, ...(parsed.values.model ? { model: parsed.values.model } : {}), ...(epochs ? { epochs } : {}), ...(limit ? { limit } : {}), ...(parsed.values.quick ? { quick: true } : {}) },
    backend,
    ...(threads ? { threads } : {}),
    onMessage,
  });
  const stopListening = cancelOnInterrupt(running, io, '');
  try {
    const result = await running.done;
    if (json) outJson(io, result.records);
    else for (const record of result.records) io.err(describeRecord(record, runDirs.get(record.model.name)));
    if (result.cancelled) io.err('training cancelled; finished epochs are saved');
    const report = parsed.values.report;
    if (report !== undefined && !writeReport(report, basename(file), [...runDirs.values()], io)) return 1;
    return result.records.some((r) => r.status === 'diverged' || r.status === 'failed') ? 1 : 0;
  } catch (error) {
    io.err(`layerlab train: ${error instanceof TrainingFailure || error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    stopListening();
  }
}
