import { button, el } from './dom.js';
import { formatDuration, formatInteger } from './format.js';
import { dataText, type ViewStore } from './store.js';

interface Timing {
  readonly runId: string;
  readonly epoch: number;
  readonly startedAt: number;
  readonly startBatch: number;
}

/**
 * The live session's header: model i of n, epoch, batch, ETA, speed, backend,
 * data set (its loading stage while it loads), and the Stop button. Built once;
 * each update only sets text, and a field with nothing to say is not shown.
 */
export class ProgressPanel {
  readonly root: HTMLElement;
  private readonly fields = new Map<string, HTMLElement>();
  private readonly items = new Map<string, HTMLElement>();
  private readonly outcome = el('p', { className: 'outcome', attrs: { role: 'status' } });
  private readonly note = el('p', { className: 'note' });
  private readonly stopButton: HTMLButtonElement;
  private timing: Timing | undefined;

  constructor(onStop: () => void) {
    this.stopButton = button('Stop', onStop, 'danger');
    this.stopButton.setAttribute('aria-label', 'Stop training');
    const fields: readonly [key: string, name: string][] = [
      ['model', 'Model'],
      ['epoch', 'Epoch'],
      ['batch', 'Batch'],
      ['eta', 'ETA'],
      ['speed', 'Samples/s'],
      ['backend', 'Backend'],
      ['data', 'Data'],
    ];
    const items = fields.map(([key, name]) => {
      const value = el('dd');
      this.fields.set(name, value);
      const item = el('div', { className: `progress-item progress-${key}`, attrs: { hidden: '' } }, [el('dt', { text: name }), value]);
      this.items.set(name, item);
      return item;
    });
    this.root = el('section', { className: 'progress', attrs: { 'aria-label': 'Training progress' } }, [el('dl', { className: 'progress-list', attrs: { 'aria-live': 'off' } }, items), this.stopButton, this.outcome, this.note]);
  }

  update(store: ViewStore): void {
    const session = store.session;
    const run = store.currentLiveRun();
    const hasSession = run !== undefined || session.backend !== undefined || session.data !== undefined || session.dataset !== undefined || session.ended !== undefined || session.trainerError !== undefined;
    this.root.hidden = !hasSession;
    if (!hasSession) return;
    const batch = run?.curves.latestBatch;
    const training = store.isTraining();
    this.set('Model', run ? `${run.model} (${run.index + 1} of ${run.count})` : undefined);
    this.set('Epoch', batch ? String(run?.record ? run.curves.epochs : batch.epoch) : undefined);
    this.set('Batch', batch ? `${formatInteger(batch.batch)} / ${formatInteger(batch.batches)}` : undefined);
    this.set('Samples/s', batch && Number.isFinite(batch.samplesPerSecond) ? formatInteger(batch.samplesPerSecond) : undefined);
    this.set('Backend', session.backend ? `${session.backend.name} (${session.backend.device})` : undefined);
    // The finished run's record counts the validation split too.
    this.set('Data', dataText(session, run?.record?.dataset ?? session.dataset));
    this.set('ETA', training && run && batch ? this.eta(run.id, run.epochs, batch, run.curves.latestEpoch?.seconds) : undefined);
    this.stopButton.hidden = !(store.capabilities.stop && training);
    const ended = session.ended;
    const error = ended?.error ?? session.trainerError;
    this.outcome.className = `outcome${error ? ' error' : ''}`;
    this.outcome.textContent = error ? `Training failed: ${error}` : ended ? (ended.cancelled ? 'Training cancelled.' : 'Training finished.') : '';
    this.note.textContent = session.messages.at(-1) ?? '';
  }

  /**
   * Time left until the last epoch the run is set to (early stopping may end it
   * sooner). A finished epoch gives seconds per batch; before that, the arrival
   * rate of batch messages.
   */
  private eta(runId: string, epochs: number, batch: { epoch: number; batch: number; batches: number } | undefined, lastEpochSeconds: number | undefined): string {
    if (!batch) return '–';
    const remaining = batch.batches - batch.batch + Math.max(0, epochs - batch.epoch) * batch.batches;
    const now = performance.now();
    if (!this.timing || this.timing.runId !== runId || this.timing.epoch !== batch.epoch) this.timing = { runId, epoch: batch.epoch, startedAt: now, startBatch: batch.batch };
    let secondsPerBatch: number | undefined;
    if (lastEpochSeconds !== undefined && lastEpochSeconds > 0) secondsPerBatch = lastEpochSeconds / batch.batches;
    else if (batch.batch > this.timing.startBatch) secondsPerBatch = (now - this.timing.startedAt) / 1000 / (batch.batch - this.timing.startBatch);
    return secondsPerBatch === undefined ? '…' : `${formatDuration(remaining * secondsPerBatch)} (to epoch ${epochs})`;
  }

  /** Sets a field's text; undefined hides the field. */
  private set(name: string, text: string | undefined): void {
    const field = this.fields.get(name);
    const item = this.items.get(name);
    if (item) item.hidden = text === undefined;
    if (field && text !== undefined && field.textContent !== text) field.textContent = text;
  }
}
