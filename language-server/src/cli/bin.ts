import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { relaunchWithServerFlags } from '../lsp/node-flags.js';
import { runCli } from './main.js';

const args = process.argv.slice(2);
const relaunch = args[0] === 'lsp' ? relaunchWithServerFlags(process.execArgv, process.env.NODE_OPTIONS, fileURLToPath(import.meta.url), args) : undefined;
if (relaunch) {
  // The editor talks to the server over this process's stdio, which the server inherits.
  const server = spawn(process.execPath, relaunch, { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.kill(signal));
  server.on('exit', (code, signal) => {
    process.exitCode = code ?? 128 + (signal ? constants.signals[signal] : 0);
  });
} else {
  const status = runCli(args);
  if (typeof status === 'number') process.exitCode = status;
  else if (status !== 'serving') process.exitCode = await status;
}
