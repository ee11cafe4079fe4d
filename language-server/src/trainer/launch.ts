import { fork, type ChildProcess } from 'node:child_process';
import type { RunRecord } from '../training/results.js';
import { isFromTrainer, type BackendPreference, type BackendSettings, type FromTrainer, type ToTrainer } from '../protocol/trainer.js';
import type { SessionRequest } from '../training/session.js';
import type { TuneRequest, TuneSummary } from '../tuning/runner.js';

/** How to start the trainer process, whatever it is asked to do. */
export interface TrainerProcessOptions {
  /** The trainer's entry script (dist/trainer.cjs, or the compiled trainer/main.js in development). */
  readonly trainerPath: string;
  readonly backend: BackendPreference;
  readonly nativeModulesPath?: string;
  /** Threads of the wasm backend; 0 or absent for every logical core. */
  readonly threads?: number;
  readonly onMessage?: (message: FromTrainer) => void;
  /** The Node.js to run it with; in VS Code, the editor's own executable with ELECTRON_RUN_AS_NODE. */
  readonly execPath?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Extra V8 flags, e.g. a larger heap. */
  readonly execArgv?: readonly string[];
}

export interface LaunchOptions extends TrainerProcessOptions {
  readonly request: SessionRequest;
}

export interface TrainingResult {
  readonly records: readonly RunRecord[];
  readonly cancelled: boolean;
}

/** The trainer failed: `userError` for problems in the file or data, otherwise a crash with its cause. */
export class TrainingFailure extends Error {
  constructor(
    message: string,
    readonly userError: boolean,
    /** The whole story for a log (each download address and its error); the message stays short. */
    readonly details: readonly string[] = [],
  ) {
    super(message);
  }
}

export interface RunningTrainer<Result> {
  readonly done: Promise<Result>;
  /** Asks the trainer to stop after the current batch; kills it if it does not within `graceMs`. */
  cancel(graceMs?: number): void;
  readonly pid: number | undefined;
}

export type RunningTraining = RunningTrainer<TrainingResult>;

function crashCause(code: number | null, signal: NodeJS.Signals | null, stderr: string): string {
  if (/heap out of memory|Allocation failed|ENOMEM/.test(stderr)) return 'it ran out of memory; use a smaller batch_size, a smaller model (or search space) or --limit';
  if (signal === 'SIGKILL') return 'it was killed (SIGKILL), most often by the system for using too much memory';
  if (signal) return `it was stopped by ${signal}`;
  return `it exited with code ${code ?? '?'}`;
}

/**
 * Runs the trainer in a child process so that the editor (or the CLI) never
 * loads TensorFlow.js and survives whatever happens there. The child leaves
 * when its parent does (it watches the IPC channel), so no orphan stays behind.
 * `finished` recognises the message that ends the work; `cancelled` is the
 * result when a cancelled trainer exits without sending one.
 */
export function launchTrainer<Result>(options: TrainerProcessOptions, start: ToTrainer, finished: (message: FromTrainer) => Result | undefined, cancelled: Result): RunningTrainer<Result> {
  const child: ChildProcess = fork(options.trainerPath, [], {
    execPath: options.execPath ?? process.execPath,
    execArgv: [...(options.execArgv ?? [])],
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-20000);
  });
  // TensorFlow.js prints banners on stdout; they are not the user's business here.
  child.stdout?.resume();
  let cancelRequested = false;
  let killTimer: ReturnType<typeof setTimeout> | undefined;
  const done = new Promise<Result>((resolve, reject) => {
    let settled = false;
    const settle = (action: () => void) => {
      if (settled) return;
      settled = true;
      if (killTimer) clearTimeout(killTimer);
      action();
    };
    child.on('message', (raw: unknown) => {
      if (!isFromTrainer(raw)) return;
      options.onMessage?.(raw);
      const result = finished(raw);
      if (result !== undefined) settle(() => resolve(result));
      if (raw.type === 'error') settle(() => reject(new TrainingFailure(raw.userError ? raw.message : `the trainer failed: ${raw.message}`, raw.userError, raw.details ?? [])));
    });
    child.on('error', (error) => settle(() => reject(new TrainingFailure(`could not start the trainer (${options.trainerPath}): ${error.message}`, false))));
    child.on('exit', (code, signal) => {
      settle(() => {
        if (cancelRequested) resolve(cancelled);
        else reject(new TrainingFailure(`the trainer crashed: ${crashCause(code, signal, stderr)}${stderr.trim() ? `\n${stderr.trim().split('\n').slice(-8).join('\n')}` : ''}`, false));
      });
    });
  });
  child.send(start);
  return {
    done,
    pid: child.pid,
    cancel(graceMs = 5000) {
      if (cancelRequested || child.exitCode !== null) return;
      cancelRequested = true;
      const message: ToTrainer = { type: 'cancel' };
      if (child.connected) child.send(message);
      killTimer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    },
  };
}

/** The backend part of a start message, from the launch options. */
export function backendSettings(options: TrainerProcessOptions): BackendSettings {
  return { backend: options.backend, ...(options.nativeModulesPath ? { nativeModulesPath: options.nativeModulesPath } : {}), ...(options.threads ? { threads: options.threads } : {}) };
}

/** Trains the models of a `train` block in the trainer process. */
export function launchTraining(options: LaunchOptions): RunningTraining {
  const start: ToTrainer = { type: 'start', request: options.request, ...backendSettings(options) };
  return launchTrainer<TrainingResult>(options, start, (message) => (message.type === 'done' ? { records: message.records, cancelled: message.cancelled } : undefined), { records: [], cancelled: true });
}

export interface LaunchTuningOptions extends TrainerProcessOptions {
  readonly request: TuneRequest;
}

export interface TuningResult {
  readonly summaries: readonly TuneSummary[];
  readonly cancelled: boolean;
}

export type RunningTuning = RunningTrainer<TuningResult>;

/**
 * Runs a search in the trainer process, so the caller never loads TensorFlow.js.
 * Finished trials are saved by the trainer as they end; a crash or a cancel
 * loses at most the trial in progress, which runs again on resume.
 */
export function launchTuning(options: LaunchTuningOptions): RunningTuning {
  const start: ToTrainer = { type: 'tune', request: options.request, ...backendSettings(options) };
  return launchTrainer<TuningResult>(options, start, (message) => (message.type === 'tune-done' ? { summaries: message.summaries, cancelled: message.cancelled } : undefined), { summaries: [], cancelled: true });
}
