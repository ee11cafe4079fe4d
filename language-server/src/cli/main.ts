import { runLanguageServer } from '../lsp/main.js';
import { exportCommand } from './export.js';
import { importCommand } from './import.js';
import { graphCommand } from './graph.js';
import { processIo, type CliIo } from './io.js';
import { reportCommand } from './report.js';
import { summaryCommand } from './summary.js';
import { trainCommand } from './train.js';
import { tuneCommand } from './tune.js';
import { usage } from './usage.js';

/** Runs a command; `'serving'` means it keeps running (the language server). */
export function runCli(argv: readonly string[], io: CliIo = processIo): number | Promise<number> | 'serving' {
  const [command, ...rest] = argv;
  switch (command) {
    case 'summary':
      return summaryCommand(rest, io);
    case 'train':
      return trainCommand(rest, io, process.stderr.isTTY === true);
    case 'tune':
      return tuneCommand(rest, io);
    case 'report':
      return reportCommand(rest, io);
    case 'export':
      return exportCommand(rest, io);
    case 'import':
      return importCommand(rest, io);
    case 'graph':
      return graphCommand(rest, io);
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
