import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { FromTrainer } from '../protocol/trainer.js';
import { launchTuning } from '../trainer/launch.js';
import type { TuneEvent, TuneSummary } from '../tuning/runner.js';
import { describePoint } from '../tuning/space.js';
import { rankTrials } from '../tuning/store.js';
import { compareScores } from '../tuning/objective.js';
import type { CliIo } from './io.js';
import { outJson } from './json-stream.js';
import { QUICK } from '../training/quick.js';
import { SearchProgress } from '../tuning/search-progress.js';
import { trainerPath } from './train.js';
import { cancelOnInterrupt, positiveWholeOption, trainerInput } from './trainer-command.js';

export const tuneUsage = `Usage: layerlab tune FILE [--model NAME] [--quick] [--limit N] [--backend B] [--threads N] [--overwrite] [--extend] [--json]

  --model NAME   search only this model (default: every model of the first tune block)
  --quick        a quick search: ${QUICK.trials} random trials of ${QUICK.epochs} epoch on at most ${QUICK.limit.toLocaleString('en-US')} images, saved apart (<model>.quick)
  --limit N      train (and validate) every trial on at most N images of each split (overrides the block's limit)
  --backend B    auto | tensorflow-gpu | webgpu | tensorflow | wasm | cpu (default auto)
  --threads N    threads of the wasm backend (default: every logical core; one for small models)
  --overwrite    delete the saved search (.layerlab/tune/<model>/) and start over
  --extend       go on with a search that ran its whole plan (Hyperband's next iteration)
  --json         print the searches (trials, scores, best point) as JSON

A search is saved as each trial ends; run the same command again to resume it.`;

const shownTrials = 5;

function score(value: number | undefined): string {
  return value === undefined ? '–' : value.toFixed(4);
}

interface BestSoFar {
  readonly trialId: string;
  readonly score: number;
}

function describeEvent(event: TuneEvent, best: BestSoFar | undefined, progress: SearchProgress): string | undefined {
  switch (event.type) {
    case 'search':
      return `tuning ${event.model}: ${event.strategy}, objective ${event.objective.name} (${event.objective.direction === 'min' ? 'lower' : 'higher'} is better)${event.resumedTrials ? `, resuming after ${event.resumedTrials} finished trial${event.resumedTrials === 1 ? '' : 's'}` : ''}\n  saved in ${event.dir}`;
    case 'trial-start': {
      const t = event.trial;
      const stage = t.bracket !== undefined ? ` [bracket ${t.bracket}, round ${t.round ?? 0}${t.parentId ? `, continues trial ${t.parentId}` : ''}]` : '';
      const epochs = t.initialEpoch > 0 ? `epochs ${t.initialEpoch + 1}–${t.epochs}` : `${t.epochs} epoch${t.epochs === 1 ? '' : 's'}`;
      return `trial ${t.id}${stage}${t.rerun ? ' (interrupted before, runs again)' : ''}: ${describePoint(t.point)}; ${epochs} (${progress.describe()})`;
    }
    case 'training': {
      const e = event.event;
      if (e.type === 'epoch') {
        const l = e.logs;
        return `  epoch ${l.epoch}: loss ${l.loss.toFixed(4)} val_loss ${l.val_loss.toFixed(4)} val_acc ${(l.val_accuracy * 100).toFixed(2)}% (${l.seconds.toFixed(1)} s)`;
      }
      return e.type === 'message' ? `  ${e.text}` : undefined;
    }
    case 'trial-end': {
      const t = event.trial;
      if (t.status === 'failed') return `trial ${t.id} failed: ${t.reason ?? 'unknown reason'}`;
      return `trial ${t.id}: ${t.stopReason === 'early-stopped' ? 'stopped early, ' : ''}score ${score(t.score)}${best ? ` (best so far ${score(best.score)}, trial ${best.trialId})` : ''}`;
    }
    default:
      return undefined;
  }
}

/** The best trials as a table, and the best point. */
export function summaryText(summary: TuneSummary): string {
  const ranked = rankTrials(summary.trials, summary.objective.direction);
  const failed = summary.trials.filter((t) => t.status === 'failed').length;
  const lines = [`${summary.model}: ${summary.status}${summary.message ? ` — ${summary.message}` : ''}; ${summary.trials.length} trial${summary.trials.length === 1 ? '' : 's'} (${ranked.length} completed, ${failed} failed)`];
  if (ranked.length) {
    const rows = ranked.slice(0, shownTrials).map((t, i) => [String(i + 1), t.id, score(t.score), String(t.epochs), describePoint(t.point)]);
    const header = ['#', 'trial', summary.objective.name, 'epochs', 'values'];
    const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => (r[k] ?? '').length)));
    const format = (cells: readonly string[]) => '  ' + cells.map((c, k) => (k === cells.length - 1 ? c : c.padEnd(widths[k] ?? 0))).join('  ');
    lines.push(format(header), ...rows.map(format));
  }
  if (summary.best) lines.push(`best: ${describePoint(summary.best.point)} (${summary.objective.name} ${score(summary.best.score)}, trial ${summary.best.trialId})`);
  lines.push(`  saved in ${summary.dir}`);
  return lines.join('\n');
}

export async function tuneCommand(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { model: { type: 'string' }, quick: { type: 'boolean' }, limit: { type: 'string' }, backend: { type: 'string' }, threads: { type: 'string' }, overwrite: { type: 'boolean' }, extend: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    io.err(`layerlab tune: ${error instanceof Error ? error.message : String(error)}\n\n${tuneUsage}`);
    return 2;
  }
  if (parsed.values.help) {
    io.out(tuneUsage);
    return 0;
  }
  const limit = positiveWholeOption('tune', 'limit', parsed.values.limit, io);
  const threads = positiveWholeOption('tune', 'threads', parsed.values.threads, io);
  if (limit === 'bad' || threads === 'bad') return 2;
  const input = trainerInput('tune', tuneUsage, parsed.positionals, parsed.values.backend, io);
  if (typeof input === 'number') return input;
  const { file, text, backend } = input;
  const json = parsed.values.json === true;
  const bestSoFar = new Map<string, BestSoFar>();
  const searchProgress = new SearchProgress();
  const onMessage = (message: FromTrainer) => {
    if (json) return;
    if (message.type === 'backend') io.err(`backend: ${message.name} on ${message.device}`);
    if (message.type !== 'tune-event') return;
    const event = message.event;
    // The best so far includes the trial that just ended.
    if (event.type === 'search' && event.best) bestSoFar.set(event.model, event.best);
    if (event.type === 'trial-end' && event.trial.score !== undefined) {
      const best = bestSoFar.get(event.model);
      if (!best || compareScores(event.trial.score, best.score, event.direction) < 0) bestSoFar.set(event.model, { trialId: event.trial.id, score: event.trial.score });
    }
    searchProgress.update(event);
    const line = describeEvent(event, 'model' in event ? bestSoFar.get(event.model) : undefined, searchProgress);
    if (line) io.err(line);
  };
  const running = launchTuning({
    trainerPath: trainerPath(),
    request: { file: resolve(file), text, ...(parsed.values.model ? { model: parsed.values.model } : {}), ...(limit !== undefined ? { limit } : {}), ...(parsed.values.overwrite ? { overwrite: true } : {}), ...(parsed.values.quick ? { quick: true } : {}), ...(parsed.values.extend ? { extend: true } : {}) },
    backend,
    ...(threads ? { threads } : {}),
    onMessage,
  });
  const stopListening = cancelOnInterrupt(running, io, '; run the same command to resume');
  try {
    const result = await running.done;
    if (json) outJson(io, result.summaries);
    else for (const summary of result.summaries) io.err(summaryText(summary));
    if (result.cancelled) io.err('search cancelled; finished trials are saved, run the same command to resume');
    return result.summaries.some((s) => s.status === 'failed' || !s.best) && !result.cancelled ? 1 : 0;
  } catch (error) {
    io.err(`layerlab tune: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    stopListening();
  }
}
