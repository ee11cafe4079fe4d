import type { RunRecord } from '../training/results.js';
import type { SessionEvent, SessionRequest } from '../training/session.js';
import type { TuneEvent, TuneRequest, TuneSummary } from '../tuning/runner.js';
import { backendPreferences, type BackendPreference } from '../training/backend/preferences.js';

export { backendPreferences, type BackendPreference } from '../training/backend/preferences.js';

/** Where the trainer runs: the backend, where native packages are, and the wasm backend's threads (0 or absent: every logical core). */
export interface BackendSettings {
  readonly backend: BackendPreference;
  readonly nativeModulesPath?: string;
  readonly threads?: number;
}

/** Parent → trainer. `start` trains a `train` block; `tune` runs the search of a `tune` block. */
export type ToTrainer =
  | ({ readonly type: 'start'; readonly request: SessionRequest } & BackendSettings)
  | ({ readonly type: 'tune'; readonly request: TuneRequest } & BackendSettings)
  | { readonly type: 'cancel' };

/** Trainer → parent. */
export type FromTrainer =
  | { readonly type: 'backend'; readonly name: string; readonly device: string; readonly notes: readonly string[] }
  | { readonly type: 'event'; readonly event: SessionEvent }
  | { readonly type: 'done'; readonly records: readonly RunRecord[]; readonly cancelled: boolean }
  | { readonly type: 'tune-event'; readonly event: TuneEvent }
  | { readonly type: 'tune-done'; readonly summaries: readonly TuneSummary[]; readonly cancelled: boolean }
  /** `userError`: a problem in the file or data the user can fix, shown without a stack trace. */
  | { readonly type: 'error'; readonly message: string; readonly userError: boolean; readonly stack?: string; readonly details?: readonly string[] };

export function isFromTrainer(value: unknown): value is FromTrainer {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return type === 'backend' || type === 'event' || type === 'done' || type === 'error' || type === 'tune-event' || type === 'tune-done';
}

export function isToTrainer(value: unknown): value is ToTrainer {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as { type?: unknown; request?: { file?: unknown; text?: unknown }; backend?: unknown; threads?: unknown };
  if (message.type === 'cancel') return true;
  const threadsValid = message.threads === undefined || (typeof message.threads === 'number' && Number.isInteger(message.threads) && message.threads >= 0);
  return (message.type === 'start' || message.type === 'tune') && typeof message.request?.file === 'string' && typeof message.request.text === 'string' && (backendPreferences as readonly unknown[]).includes(message.backend) && threadsValid;
}
