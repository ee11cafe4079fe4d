import type { FromTrainer } from '../../language-server/src/training/protocol.js';
import type { RunRecord } from '../../language-server/src/training/results.js';
import type { SessionEvent } from '../../language-server/src/training/session.js';
import type { HostCapabilities, HostToView, ViewRun } from '../../language-server/src/training/view-protocol.js';
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

/** What both views know of the trainer's session. */
export interface TrainerStatus {
  backend?: { readonly name: string; readonly device: string; readonly notes: readonly string[] };
  data?: { readonly stage: string; readonly done: number; readonly total?: number };
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
  } else store.session.ended = message.error !== undefined ? { cancelled: message.cancelled, error: message.error } : { cancelled: message.cancelled };
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
        changes.header = true;
        break;
      case 'error':
        this.session.trainerError = message.message;
        changes.header = true;
        break;
    }
  }

  private applyEvent(event: SessionEvent, changes: Changes): void {
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
