import type { FromTrainer } from './trainer.js';
import type { Gallery } from '../training/gallery.js';
import type { RunRecord } from '../training/results.js';
import type { TuneSummary } from '../tuning/runner.js';

/**
 * Messages between the training view (media/view, in a webview or a standalone
 * HTML report) and its host (the VS Code extension, or the report's own page).
 * This file is bundled into the browser code too: it imports types, and at run
 * time only compareScores, from a module that imports nothing.
 */

/*
 * The records and events the views show, defined where they are made and
 * re-exported here: the views import them from this module only.
 */
export type { Gallery, GalleryCell, GallerySample } from '../training/gallery.js';
export type { BatchLogs, EpochLogs } from '../training/loop.js';
export type { RunRecord } from '../training/results.js';
export type { SessionEvent } from '../training/session.js';
export type { Direction, Objective } from '../tuning/objective.js';
export type { TrialStart, TuneEvent, TuneSummary } from '../tuning/runner.js';
export type { Point, PointValue } from '../tuning/space.js';
export type { SearchRecord, TrialRecord } from '../tuning/store.js';

/**
 * The order of scores, best first for the objective's direction: the search ranks its trials
 * by it and the search view its table, so both show the same best trial. A run-time
 * re-export: tuning/objective.ts imports nothing, so the views' bundles get this function only.
 */
export { compareScores } from '../tuning/objective.js';

/** A finished (or interrupted) run as the view shows it; `id` is its run folder. */
export interface ViewRun {
  readonly id: string;
  readonly record: RunRecord;
  readonly gallery?: Gallery;
}

/** What the host can do; the view hides the buttons of what it cannot. */
export interface HostCapabilities {
  readonly stop: boolean;
  readonly openRun: boolean;
}

/** Host → view. */
export type HostToView =
  | { readonly type: 'init'; readonly title: string; readonly capabilities: HostCapabilities }
  /** One message of a live training session, as the trainer sent it. */
  | { readonly type: 'trainer'; readonly message: FromTrainer }
  /** Saved runs to show (a finished live run arrives this way too, with the same id). */
  | { readonly type: 'runs'; readonly runs: readonly ViewRun[] }
  /** The live session ended (done, cancelled or failed); `error` is shown when present. */
  | { readonly type: 'session-ended'; readonly cancelled: boolean; readonly error?: string };

/** View → host. */
export type ViewToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'stop' }
  | { readonly type: 'open-run' }
  /** Save a file the user exported; `data` is text or base64. */
  | { readonly type: 'export'; readonly fileName: string; readonly data: string; readonly encoding: 'utf8' | 'base64' };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

export function isViewToHost(value: unknown): value is ViewToHost {
  if (!isObject(value)) return false;
  switch (value['type']) {
    case 'ready':
    case 'stop':
    case 'open-run':
      return true;
    case 'export':
      return (
        typeof value['fileName'] === 'string' &&
        /^[\w.() -]{1,120}$/.test(value['fileName']) &&
        typeof value['data'] === 'string' &&
        (value['encoding'] === 'utf8' || value['encoding'] === 'base64')
      );
    default:
      return false;
  }
}

function isViewRun(value: unknown): value is ViewRun {
  if (!isObject(value) || typeof value['id'] !== 'string' || !isObject(value['record'])) return false;
  const record = value['record'];
  return record['version'] === 1 && Array.isArray(record['history']) && isObject(record['model']) && isObject(record['dataset']);
}

export function isHostToView(value: unknown): value is HostToView {
  if (!isObject(value)) return false;
  switch (value['type']) {
    case 'init':
      return typeof value['title'] === 'string' && isObject(value['capabilities']);
    case 'trainer':
      return isObject(value['message']) && typeof value['message']['type'] === 'string';
    case 'runs':
      return Array.isArray(value['runs']) && value['runs'].every(isViewRun);
    case 'session-ended':
      return typeof value['cancelled'] === 'boolean' && (value['error'] === undefined || typeof value['error'] === 'string');
    default:
      return false;
  }
}

/** Host → search view (media/tune-view): the same envelope as the training view, with searches instead of runs. */
export type HostToTuneView =
  | { readonly type: 'init'; readonly title: string; readonly capabilities: HostCapabilities }
  /** One message of a live search (`backend`, `tune-event`, `tune-done`, `error`), as the trainer sent it. */
  | { readonly type: 'trainer'; readonly message: FromTrainer }
  /** Saved searches (`.layerlab/tune/<model>/`), each replacing what the view showed for its folder. */
  | { readonly type: 'searches'; readonly searches: readonly TuneSummary[] }
  | { readonly type: 'session-ended'; readonly cancelled: boolean; readonly error?: string };

export function isHostToTuneView(value: unknown): value is HostToTuneView {
  if (!isObject(value)) return false;
  switch (value['type']) {
    case 'init':
    case 'trainer':
    case 'session-ended':
      return isHostToView(value);
    case 'searches':
      return Array.isArray(value['searches']) && value['searches'].every((s) => isObject(s) && typeof s['dir'] === 'string' && Array.isArray(s['trials']) && isObject(s['objective']));
    default:
      return false;
  }
}
