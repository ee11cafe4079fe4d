import { readModelFile } from './read-model-file.js';
import { backendPreferences, type BackendPreference } from '../protocol/trainer.js';
import type { CliIo } from './io.js';

/** What `train` and `tune` need before they start the trainer: the file, its text and the backend. */
export interface TrainerInput {
  readonly file: string;
  readonly text: string;
  readonly backend: BackendPreference;
}

/** `--epochs`, `--limit`: undefined when absent, 'bad' (after saying why) when not a positive whole number. */
export function positiveWholeOption(command: string, name: string, text: string | undefined, io: CliIo): number | undefined | 'bad' {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    io.err(`layerlab ${command}: --${name} must be a positive whole number, got ${text}`);
    return 'bad';
  }
  return n;
}

/** Checks the FILE argument and `--backend`, and reads the file; an exit code (2) after saying what is wrong. */
export function trainerInput(command: string, usage: string, positionals: readonly string[], backendOption: string | undefined, io: CliIo): TrainerInput | number {
  const file = positionals[0];
  if (!file || positionals.length > 1) {
    io.err(`layerlab ${command}: expected exactly one FILE\n\n${usage}`);
    return 2;
  }
  const backend = (backendOption ?? 'auto') as BackendPreference;
  if (!backendPreferences.includes(backend)) {
    io.err(`layerlab ${command}: unknown backend ${backend}; choose ${backendPreferences.join(', ')}`);
    return 2;
  }
  const read = readModelFile(file);
  if ('error' in read) {
    io.err(`layerlab ${command}: cannot read ${file}: ${read.error}`);
    return 2;
  }
  return { file, text: read.text, backend };
}

/** Ctrl+C asks the trainer to stop after the current batch; a second Ctrl+C stops it at once. Returns the undo. */
export function cancelOnInterrupt(running: { cancel(graceMs?: number): void }, io: CliIo, what: string): () => void {
  const onInterrupt = () => {
    io.err(`\ncancelling after the current batch… (Ctrl+C again to stop at once)${what}`);
    process.off('SIGINT', onInterrupt);
    process.once('SIGINT', () => running.cancel(0));
    running.cancel();
  };
  process.on('SIGINT', onInterrupt);
  return () => process.off('SIGINT', onInterrupt);
}
