import type { FromTrainer } from '../../language-server/src/protocol/trainer.js';
import type { HostCapabilities, HostToView, RunRecord, SessionEvent, ViewRun } from '../../language-server/src/protocol/views.js';
import { CurveData } from './curve-data.js';

/** A model of the live session, keyed by its run folder (the ViewRun id once it finishes). */
export interface LiveRun {
  readonly id: string;
  readonly model: string;
  readonly index: number;
  readonly count: number;
  readonly params: number;
  /** The epochs the run is set to train (early stopping may end it sooner). */
  readonly epochs: number;
  readonly curves: CurveData;
  record?: RunRecord;
}

/** The data set a session trains on: its name and the images in each split (validation once it is split off). */
export interface DatasetFacts {
  readonly name: string;
  readonly train: number;
  readonly validation?: number;
  readonly test: number;
}

/** What both views know of the trainer's session. */
export interface TrainerStatus {
  backend?: { readonly name: string; readonly device: string; readonly notes: readonly string[] };
  /** The data set's loading stage while it loads (transient: gone once training starts or the session ends). */
  data?: { readonly stage: string; readonly done: number; readonly total?: number };
  /** The loaded data set, when the trainer said (a `dataset` event). */
  dataset?: DatasetFacts;
  trainerError?: string;
  ended?: { readonly cancelled: boolean; readonly error?: string };
}

export interface SessionStatus extends TrainerStatus {
  currentRunId?: string;
  /** Notes from the trainer (learning-rate changes, …), each once. */
  readonly messages: string[];
}

/** What both views' stores hold of the host's `init` and `session-ended` messages. */
export interface HostFacts {
  title: string;
  capabilities: HostCapabilities;
  readonly session: TrainerStatus;
}

/** Applies the messages both views get alike (`init`, `session-ended`) to a store. */
export function applyHostFacts(store: HostFacts, message: Extract<HostToView, { type: 'init' | 'session-ended' }>): void {
  if (message.type === 'init') {
    store.title = message.title;
    store.capabilities = { stop: message.capabilities.stop === true, openRun: message.capabilities.openRun === true };
  } else {
    store.session.ended = message.error !== undefined ? { cancelled: message.cancelled, error: message.error } : { cancelled: message.cancelled };
    // Whatever was loading is not any more.
    delete store.session.data;
  }
}

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;

/**
 * The data set of a trainer event `{ type: 'dataset', name, train, test, validation? }`
 * (sent once a data set is loaded), or undefined when `event` is not one.
 */
export function datasetEvent(event: unknown): DatasetFacts | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const e = event as Record<string, unknown>;
  if (e['type'] !== 'dataset' || typeof e['name'] !== 'string' || !isCount(e['train']) || !isCount(e['test'])) return undefined;
  if (e['validation'] !== undefined && !isCount(e['validation'])) return undefined;
  return { name: e['name'], train: e['train'], test: e['test'], ...(isCount(e['validation']) ? { validation: e['validation'] } : {}) };
}

/** `mnist: 54,000 train, 6,000 validation, 10,000 test`, as the run summary writes a data set. */
export function describeDataset(dataset: DatasetFacts): string {
  const count = (n: number) => Math.round(n).toLocaleString('en-US');
  return `${dataset.name}: ${count(dataset.train)} train, ${dataset.validation !== undefined && dataset.validation > 0 ? `${count(dataset.validation)} validation, ` : ''}${count(dataset.test)} test`;
}

/** The header's text for the data set: its loading stage while it loads, else what is known of it, else undefined (the field is not shown). */
export function dataText(session: TrainerStatus, known: DatasetFacts | undefined = session.dataset): string | undefined {
  const data = session.data;
  if (data) return `${data.stage}${data.total ? ` ${Math.round((100 * data.done) / data.total)}%` : data.done ? ` ${Math.round(data.done).toLocaleString('en-US')}` : ''}`;
  return known ? describeDataset(known) : undefined;
}

/** The session's data-loading stage from a `data` event. */
export function dataStatus(event: { readonly stage: string; readonly done: number; readonly total?: number }): NonNullable<TrainerStatus['data']> {
  return event.total !== undefined ? { stage: event.stage, done: event.done, total: event.total } : { stage: event.stage, done: event.done };
}

/** The session's backend from a trainer `backend` message. */
export function backendStatus(message: { readonly name: string; readonly device: string; readonly notes: readonly string[] }): NonNullable<TrainerStatus['backend']> {
  return { name: message.name, device: message.device, notes: message.notes };
}

/** What a message changed, so the view redraws only that. */
export interface Changes {
  header: boolean;
  curves: boolean;
  runs: boolean;
}

export const noChanges = (): Changes => ({ header: false, curves: false, runs: false });

/**
 * Everything the view knows, built from host messages. Applying a message twice
 * changes nothing the second time: the host replays them after a reload.
 */
export class ViewStore implements HostFacts {
  title = 'Layerlab training';
  capabilities: HostCapabilities = { stop: false, openRun: false };
  readonly saved = new Map<string, ViewRun>();
  readonly live = new Map<string, LiveRun>();
  readonly session: SessionStatus = { messages: [] };
  private readonly recordCurves = new WeakMap<RunRecord, CurveData>();
  private readonly seenMessages = new Set<string>();

  apply(message: HostToView): Changes {
    const changes = noChanges();
    if (message.type === 'init' || message.type === 'session-ended') {
      applyHostFacts(this, message);
      changes.header = true;
      changes.runs ||= message.type === 'init';
    } else if (message.type === 'runs') {
      for (const run of message.runs) this.saved.set(run.id, run);
      changes.runs = changes.curves = changes.header = true;
    } else this.applyTrainer(message.message, changes);
    return changes;
  }

  private applyTrainer(message: FromTrainer, changes: Changes): void {
    switch (message.type) {
      case 'backend':
        this.session.backend = backendStatus(message);
        changes.header = true;
        break;
      case 'event':
        this.applyEvent(message.event, changes);
        break;
      case 'done':
        delete this.session.data;
        changes.header = true;
        break;
      case 'error':
        this.session.trainerError = message.message;
        delete this.session.data;
        changes.header = true;
        break;
    }
  }

  private applyEvent(event: SessionEvent, changes: Changes): void {
    const dataset = datasetEvent(event);
    if (dataset) {
      this.session.dataset = dataset;
      delete this.session.data;
      changes.header = true;
      return;
    }
    switch (event.type) {
      case 'data':
        this.session.data = dataStatus(event);
        changes.header = true;
        break;
      case 'model':
        if (!this.live.has(event.runDir)) {
          this.live.set(event.runDir, { id: event.runDir, model: event.model, index: event.index, count: event.count, params: event.params, epochs: event.epochs, curves: new CurveData() });
          changes.runs = true;
        }
        this.session.currentRunId = event.runDir;
        // The data is loaded once a model starts; its last stage would only be stale news.
        delete this.session.data;
        changes.header = changes.curves = true;
        break;
      case 'training': {
        const run = this.currentLiveRun();
        if (!run) break;
        const training = event.event;
        if (training.type === 'batch') {
          if (run.curves.addBatch(training.logs)) changes.header = changes.curves = true;
        } else if (training.type === 'epoch') {
          if (run.curves.addEpoch(training.logs, training.best)) changes.header = changes.curves = true;
        } else {
          const key = `${run.id}\n${training.text}`;
          if (!this.seenMessages.has(key)) {
            this.seenMessages.add(key);
            this.session.messages.push(`${run.model}: ${training.text}`);
            changes.header = true;
          }
        }
        break;
      }
      case 'finished': {
        const run = this.live.get(event.runDir);
        if (run) run.record = event.record;
        // The host sends the run (with its gallery) as a ViewRun too; that one wins.
        if (!this.saved.has(event.runDir)) this.saved.set(event.runDir, { id: event.runDir, record: event.record });
        changes.runs = changes.header = changes.curves = true;
        break;
      }
    }
  }

  currentLiveRun(): LiveRun | undefined {
    return this.session.currentRunId === undefined ? undefined : this.live.get(this.session.currentRunId);
  }

  /** Whether a session is training right now (its current model has not finished and it has not ended). */
  isTraining(): boolean {
    const run = this.currentLiveRun();
    return run !== undefined && run.record === undefined && this.session.ended === undefined && this.session.trainerError === undefined;
  }

  /** Every run id the picker offers: saved runs, then live runs not saved yet. */
  runIds(): string[] {
    const ids = [...this.saved.keys()];
    for (const id of this.live.keys()) if (!this.saved.has(id)) ids.push(id);
    return ids;
  }

  record(id: string): RunRecord | undefined {
    return this.saved.get(id)?.record ?? this.live.get(id)?.record;
  }

  label(id: string): string {
    const record = this.record(id);
    const live = this.live.get(id);
    const name = record?.model.name ?? live?.model ?? id;
    const time = record?.startedAt ? ` · ${record.startedAt.slice(0, 16).replace('T', ' ')}` : '';
    const running = live && !record ? ' (training)' : '';
    return `${name}${time}${running}`;
  }

  /** The live curves while a run trains; afterwards its record's (all batches, the final best epoch). */
  curves(id: string): CurveData | undefined {
    const record = this.saved.get(id)?.record;
    if (record) {
      let curves = this.recordCurves.get(record);
      if (!curves) this.recordCurves.set(record, (curves = CurveData.fromRecord(record)));
      return curves;
    }
    return this.live.get(id)?.curves;
  }
}
