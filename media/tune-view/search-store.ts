import type { FromTrainer } from '../../language-server/src/protocol/trainer.js';
import type { BatchLogs, EpochLogs, HostCapabilities, HostToTuneView, Objective, Point, SearchRecord, TrialRecord, TrialStart, TuneEvent, TuneSummary } from '../../language-server/src/protocol/views.js';
import { applyHostFacts, backendStatus, datasetEvent, dataStatus, type HostFacts, type TrainerStatus } from '../view/store.js';
import { spaceOf, type SpaceAxis } from './search-space.js';
import { isTuneEvent, isTuneSummary } from './tune-events.js';

/** One trial as the view shows it: from its record when it has one, else from the live events. */
export interface TrialEntry extends Pick<TrialRecord, 'id' | 'point' | 'status' | 'reason' | 'epochs' | 'initialEpoch' | 'bracket' | 'round' | 'parentId' | 'params' | 'score' | 'bestEpoch'> {
  /** 1-based position among the search's trials. */
  readonly number: number;
  /** Epoch logs, in epoch order: the record's, or those of the live trial so far. */
  readonly history: readonly EpochLogs[];
  readonly latestBatch?: BatchLogs;
  /** The saved (or ended) trial record, when there is one. */
  readonly record?: TrialRecord;
}

export interface SearchEntry {
  readonly dir: string;
  readonly model: string;
  strategy: string;
  objective: Objective;
  status: SearchRecord['status'];
  message?: string;
  readonly trials: Map<string, TrialEntry>;
  /** The best trial the trainer announced (a resumed search's, before its trials arrive). */
  announcedBest?: { readonly trialId: string; readonly score: number };
  /** The trial training now. */
  currentTrialId?: string;
  /** How each parameter was searched, when the host said (else the plots go by the values). */
  space?: ReadonlyMap<string, SpaceAxis>;
}

export interface SessionStatus extends TrainerStatus {
  /** The trainer's latest note (learning-rate changes, early stopping). */
  note?: string;
  /** Whether any live message arrived: there is a session to show. */
  live: boolean;
  /** The dir of the search the session works on now. */
  currentDir?: string;
  done?: { readonly cancelled: boolean };
}

/** What a message changed: `header` (progress), `trials` (rows, curves), `results` (finished trials: plots, best). */
export interface TuneChanges {
  header: boolean;
  trials: boolean;
  results: boolean;
}

export const noTuneChanges = (): TuneChanges => ({ header: false, trials: false, results: false });

function entryOfRecord(record: TrialRecord, number: number): TrialEntry {
  return {
    id: record.id,
    number,
    point: record.point,
    status: record.status,
    ...(record.reason !== undefined ? { reason: record.reason } : {}),
    epochs: record.epochs,
    initialEpoch: record.initialEpoch,
    ...(record.bracket !== undefined ? { bracket: record.bracket } : {}),
    ...(record.round !== undefined ? { round: record.round } : {}),
    ...(record.parentId !== undefined ? { parentId: record.parentId } : {}),
    ...(record.params !== undefined ? { params: record.params } : {}),
    ...(record.score !== undefined ? { score: record.score } : {}),
    ...(record.bestEpoch !== undefined ? { bestEpoch: record.bestEpoch } : {}),
    history: record.history,
    record,
  };
}

function entryOfStart(trial: TrialStart): TrialEntry {
  return {
    id: trial.id,
    number: trial.number,
    point: trial.point,
    status: 'running',
    epochs: trial.epochs,
    initialEpoch: trial.initialEpoch,
    ...(trial.bracket !== undefined ? { bracket: trial.bracket } : {}),
    ...(trial.round !== undefined ? { round: trial.round } : {}),
    ...(trial.parentId !== undefined ? { parentId: trial.parentId } : {}),
    history: [],
  };
}

/** Trial ids are 0-based counters ("0007" is the 8th trial). */
const numberOfId = (id: string): number => (/^\d+$/.test(id) ? Number(id) + 1 : 0);

/**
 * Everything the search view knows, built from host messages. Applying a message
 * twice changes nothing the second time: the host replays them after `ready`.
 */
export class SearchStore implements HostFacts {
  title = 'Layerlab search';
  capabilities: HostCapabilities = { stop: false, openRun: false };
  readonly searches = new Map<string, SearchEntry>();
  readonly session: SessionStatus = { live: false };
  /** Trainer messages whose tune event was malformed. */
  malformed = 0;
  private readonly dirOfModel = new Map<string, string>();

  apply(message: HostToTuneView): TuneChanges {
    const changes = noTuneChanges();
    if (message.type === 'init' || message.type === 'session-ended') {
      applyHostFacts(this, message);
      changes.header = true;
    } else if (message.type === 'searches') {
      for (const summary of message.searches) if (isTuneSummary(summary)) this.replace(summary);
      changes.header = changes.trials = changes.results = true;
    } else this.applyTrainer(message.message, changes);
    return changes;
  }

  /** Whether the live search is still running (Stop makes sense). */
  isSearching(): boolean {
    return this.session.live && this.session.ended === undefined && this.session.done === undefined && this.session.trainerError === undefined;
  }

  /** The search the session works on, or undefined. */
  currentSearch(): SearchEntry | undefined {
    return this.session.currentDir === undefined ? undefined : this.searches.get(this.session.currentDir);
  }

  private applyTrainer(message: FromTrainer, changes: TuneChanges): void {
    switch (message.type) {
      case 'backend':
        this.session.live = true;
        this.session.backend = backendStatus(message);
        changes.header = true;
        break;
      case 'tune-event':
        if (!isTuneEvent(message.event)) {
          this.malformed++;
          console.warn('layerlab: ignored a malformed search event', message.event);
          return;
        }
        this.session.live = true;
        this.applyEvent(message.event, changes);
        break;
      case 'tune-done':
        this.session.live = true;
        this.session.done = { cancelled: message.cancelled };
        delete this.session.data;
        for (const summary of message.summaries) if (isTuneSummary(summary)) this.replace(summary, true);
        changes.header = changes.trials = changes.results = true;
        break;
      case 'error':
        this.session.live = true;
        this.session.trainerError = message.message;
        delete this.session.data;
        changes.header = true;
        break;
      default:
        // Training-session messages (`event`, `done`) belong to the training view.
        break;
    }
  }

  private applyEvent(event: TuneEvent, changes: TuneChanges): void {
    changes.header = true;
    const dataset = datasetEvent(event);
    if (dataset) {
      this.session.dataset = dataset;
      delete this.session.data;
      return;
    }
    switch (event.type) {
      case 'search': {
        this.dirOfModel.set(event.model, event.dir);
        this.session.currentDir = event.dir;
        const search = this.searches.get(event.dir) ?? this.create(event.dir, event.model, event.strategy, event.objective);
        search.strategy = event.strategy;
        search.objective = event.objective;
        if (search.status !== 'finished') search.status = 'running';
        if (event.best) search.announcedBest = event.best;
        const space = spaceOf(event);
        if (space) search.space = space;
        changes.results = changes.trials = true;
        break;
      }
      case 'data':
        this.session.data = dataStatus(event);
        break;
      case 'trial-start': {
        const search = this.searchOf(event.trial.model);
        if (!search) return;
        this.session.currentDir = search.dir;
        const existing = search.trials.get(event.trial.id);
        // A replayed start must not undo the trial's end; an interrupted trial (still `running`) starts again.
        if (existing && existing.status !== 'running') return;
        if (!existing || existing.record) search.trials.set(event.trial.id, entryOfStart(event.trial));
        search.currentTrialId = event.trial.id;
        changes.trials = true;
        break;
      }
      case 'training':
        this.applyTraining(event, changes);
        break;
      case 'trial-end': {
        const search = this.searchOf(event.model);
        if (!search) return;
        const previous = search.trials.get(event.trial.id);
        search.trials.set(event.trial.id, entryOfRecord(event.trial, previous?.number ?? numberOfId(event.trial.id)));
        if (search.currentTrialId === event.trial.id) delete search.currentTrialId;
        changes.trials = changes.results = true;
        break;
      }
      case 'best': {
        const search = this.searchOf(event.model);
        if (search) search.announcedBest = { trialId: event.trialId, score: event.score };
        changes.results = true;
        break;
      }
      case 'finished':
        this.replace(event.summary, true);
        delete this.session.data;
        changes.trials = changes.results = true;
        break;
    }
  }

  private applyTraining(event: Extract<TuneEvent, { type: 'training' }>, changes: TuneChanges): void {
    const search = this.searchOf(event.model);
    const trial = search?.trials.get(event.trialId);
    // Events of a trial that has ended are replays: its record has the whole history.
    if (!search || !trial || trial.status !== 'running') return;
    const training = event.event;
    // Training has begun: the data set is loaded (once per search), its last loading stage is stale news.
    if (training.type !== 'message') delete this.session.data;
    if (training.type === 'message') {
      this.session.note = `${event.model}: trial ${event.trialId}: ${training.text}`;
      return;
    }
    if (training.type === 'batch') {
      const logs = training.logs;
      const last = trial.latestBatch;
      const newer = !last || logs.epoch > last.epoch || (logs.epoch === last.epoch && logs.batch > last.batch);
      const epochDone = trial.history.some((h) => h.epoch >= logs.epoch);
      if (newer && !epochDone) search.trials.set(trial.id, { ...trial, latestBatch: logs });
      return;
    }
    const logs = training.logs;
    if (trial.history.some((h) => h.epoch >= logs.epoch)) return;
    search.trials.set(trial.id, { ...trial, history: [...trial.history, logs] });
    changes.trials = true;
  }

  /** A saved or finished search replaces what the view had for its folder. */
  private replace(summary: TuneSummary, live = false): void {
    const previous = this.searches.get(summary.dir);
    const search = this.create(summary.dir, summary.model, summary.strategy, summary.objective);
    search.status = summary.status;
    if (summary.message !== undefined) search.message = summary.message;
    if (summary.best) search.announcedBest = { trialId: summary.best.trialId, score: summary.best.score };
    const space = spaceOf(summary) ?? previous?.space;
    if (space) search.space = space;
    summary.trials.forEach((record) => {
      const before = previous?.trials.get(record.id);
      // A live trial still running keeps what it has trained so far over its saved start record.
      if (before && before.status === 'running' && !before.record && record.status === 'running') search.trials.set(record.id, before);
      else search.trials.set(record.id, entryOfRecord(record, before?.number ?? numberOfId(record.id)));
    });
    const current = previous?.currentTrialId;
    if (current !== undefined && search.trials.get(current)?.status === 'running' && !live) search.currentTrialId = current;
    this.dirOfModel.set(summary.model, summary.dir);
  }

  private create(dir: string, model: string, strategy: string, objective: Objective): SearchEntry {
    const search: SearchEntry = { dir, model, strategy, objective, status: 'running', trials: new Map() };
    this.searches.set(dir, search);
    return search;
  }

  private searchOf(model: string): SearchEntry | undefined {
    const dir = this.dirOfModel.get(model);
    return dir === undefined ? undefined : this.searches.get(dir);
  }
}
