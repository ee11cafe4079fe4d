import { backendSettings, launchTrainer, type RunningTrainer, type TrainerProcessOptions } from '../training/launch.js';
import type { ToTrainer } from '../training/protocol.js';
import type { TuneRequest, TuneSummary } from './runner.js';

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
