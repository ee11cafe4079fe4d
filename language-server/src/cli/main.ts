import { parseArgs } from 'node:util';
import { readModelFile } from './read-model-file.js';
import { outJson } from './json-stream.js';
import { analyzeText } from '../analysis/analyze-file.js';
import { summaryJson, diagnosticJson } from '../features/summary-json.js';
import { summaryTable } from '../features/summary-table.js';
import { runLanguageServer } from '../lsp/main.js';
import { reportCommand } from './report.js';
import { trainCommand } from './train.js';
import { tuneCommand } from './tune.js';

const usage = `Usage: layerlab <command> [options]

Commands:
  summary FILE [--model NAME] [--json]   Keras-style summary of every model in FILE
  train FILE [--model NAME] [--quick] [--epochs N] [--limit N] [--backend B] [--threads N] [--report OUT.html] [--json]
                                         train the models of the file's train block
  tune FILE [--model NAME] [--quick] [--limit N] [--backend B] [--threads N] [--overwrite] [--extend] [--json]
                                         hyperparameter search of the file's tune block
  report FOLDER... --out FILE.html       saved runs (compared) or a search as one HTML file
  lsp --stdio                            the language server, for any LSP editor

Options:
  --model NAME   only this model
  --json         machine-readable output
  -h, --help     this help (layerlab COMMAND --help: that command's options)

Exit status: 0 without errors, 1 when FILE has errors, 2 for usage problems.`;

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Standard output without a newline added, for output written in pieces (absent: pieces are joined for `out`). */
  readonly write?: (text: string) => void;
}

const processIo: CliIo = {
  out: (text) => process.stdout.write(text + '\n'),
  err: (text) => process.stderr.write(text + '\n'),
  write: (text) => process.stdout.write(text),
};



function summary(argv: readonly string[], io: CliIo): number {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: { model: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    io.err(`layerlab summary: ${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return 2;
  }
  if (parsed.values.help) {
    io.out(usage);
    return 0;
  }
  const file = parsed.positionals[0];
  if (!file || parsed.positionals.length > 1) {
    io.err(`layerlab summary: expected exactly one FILE\n\n${usage}`);
    return 2;
  }
  const read = readModelFile(file);
  if ('error' in read) {
    io.err(`layerlab summary: cannot read ${file}: ${read.error}`);
    return 2;
  }
  const text = read.text;
  const analysis = analyzeText(text);
  const only = parsed.values.model;
  if (only !== undefined && !analysis.models.some((m) => m.name === only)) {
    io.err(`layerlab summary: ${file} has no model named ${only}; it has ${analysis.models.map((m) => m.name).join(', ') || 'no models'}`);
    return 2;
  }
  const hasErrors = analysis.diagnostics.some((d) => d.severity === 'error');
  if (parsed.values.json) {
    outJson(io, summaryJson(file, analysis, only));
    return hasErrors ? 1 : 0;
  }
  const sections: string[] = [];
  for (const model of analysis.models) {
    if (only !== undefined && model.name !== only) continue;
    if (model.evaluated) sections.push(summaryTable(model.evaluated));
    else sections.push(`Model: "${model.name}" could not be analysed; see the errors below.`);
  }
  if (sections.length) io.out(sections.join('\n\n'));
  const diagnostics = [...analysis.diagnostics].sort((a, b) => a.range.start - b.range.start);
  for (const d of diagnostics) {
    const j = diagnosticJson(d, analysis.lines);
    io.err(`${file}:${j.line}:${j.column}: ${j.severity}: ${j.message}`);
  }
  return hasErrors ? 1 : 0;
}

/** Runs a command; `'serving'` means it keeps running (the language server). */
export function runCli(argv: readonly string[], io: CliIo = processIo): number | Promise<number> | 'serving' {
  const [command, ...rest] = argv;
  switch (command) {
    case 'summary':
      return summary(rest, io);
    case 'train':
      return trainCommand(rest, io, process.stderr.isTTY === true);
    case 'tune':
      return tuneCommand(rest, io);
    case 'report':
      return reportCommand(rest, io);
    case 'lsp':
      if (!rest.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket=') || a.startsWith('--pipe='))) {
        io.err('layerlab lsp: choose a transport: --stdio (what editors use), --node-ipc, --socket=PORT or --pipe=NAME');
        return 2;
      }
      runLanguageServer();
      return 'serving';
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      (command === undefined ? io.err : io.out)(usage);
      return command === undefined ? 2 : 0;
    default:
      io.err(`layerlab: unknown command ${command}\n\n${usage}`);
      return 2;
  }
}
