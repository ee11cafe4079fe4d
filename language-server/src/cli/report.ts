import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { renderReport } from '../report/html-report.js';
import { loadViewRun } from '../report/load-run.js';
import { renderTuneReport } from '../report/tune-report.js';
import type { ViewRun } from '../protocol/views.js';
import { loadSearch } from '../tuning/load-search.js';
import type { TuneSummary } from '../tuning/runner.js';
import type { CliIo } from './io.js';

export const reportUsage = `Usage: layerlab report FOLDER... --out FILE.html

  FOLDER     run folders (.layerlab/runs/<run>, several are compared) or
             search folders (.layerlab/tune/<model>)
  --out FILE the HTML file to write: the training (or search) view, self-contained`;

/** Loads each folder with `load`; says why a folder cannot be read and goes on with the others. */
function loadAll<Item>(folders: readonly string[], load: (folder: string) => Item, io: CliIo): Item[] {
  const items: Item[] = [];
  for (const folder of folders) {
    try {
      items.push(load(folder));
    } catch (error) {
      io.err(`layerlab: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return items;
}

function write(out: string, html: string, what: string, io: CliIo): boolean {
  try {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, html);
    io.err(`report: ${out} (${what}, ${(Buffer.byteLength(html) / 1024).toFixed(0)} KiB)`);
    return true;
  } catch (error) {
    io.err(`layerlab: cannot write the report ${out}: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Writes the training view of these run folders as one HTML file; false (after saying why) when it cannot. */
export function writeReport(out: string, title: string, runDirs: readonly string[], io: CliIo): boolean {
  const runs: ViewRun[] = loadAll(runDirs, (dir) => loadViewRun(dir, (problem) => io.err(`layerlab: ${problem}`)), io);
  if (!runs.length) {
    io.err(`layerlab: no run to put in ${out}`);
    return false;
  }
  try {
    return write(out, renderReport({ title, runs }), plural(runs.length, 'run'), io);
  } catch (error) {
    io.err(`layerlab: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}

function writeSearchReport(out: string, title: string, dirs: readonly string[], io: CliIo): boolean {
  const searches: TuneSummary[] = loadAll(dirs, loadSearch, io);
  if (!searches.length) {
    io.err(`layerlab: no search to put in ${out}`);
    return false;
  }
  try {
    return write(out, renderTuneReport({ title, searches }), plural(searches.length, 'search'), io);
  } catch (error) {
    io.err(`layerlab: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}

/** `layerlab report FOLDER... --out FILE`: saved runs or searches as a self-contained HTML view. */
export function reportCommand(argv: readonly string[], io: CliIo): number {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: { out: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    io.err(`layerlab report: ${error instanceof Error ? error.message : String(error)}\n\n${reportUsage}`);
    return 2;
  }
  if (parsed.values.help) {
    io.out(reportUsage);
    return 0;
  }
  const folders = parsed.positionals;
  const out = parsed.values.out;
  if (!folders.length || out === undefined) {
    io.err(`layerlab report: ${folders.length ? 'name the file to write with --out' : 'name at least one run or search folder'}\n\n${reportUsage}`);
    return 2;
  }
  const searches = folders.filter((f) => existsSync(join(f, 'oracle.json')));
  if (searches.length && searches.length < folders.length) {
    io.err('layerlab report: give run folders or search folders, not both (one report shows one kind)');
    return 2;
  }
  const title = folders.length === 1 ? basename(folders[0] ?? '') : `${folders.length} ${searches.length ? 'searches' : 'runs'}`;
  const written = searches.length ? writeSearchReport(out, title, folders, io) : writeReport(out, title, folders, io);
  return written ? 0 : 1;
}
