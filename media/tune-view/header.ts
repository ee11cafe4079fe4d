import { button, el } from '../view/dom.js';
import { formatInteger } from '../view/format.js';
import { dataText } from '../view/store.js';
import type { SearchEntry, SearchStore } from './search-store.js';
import { describePoint } from './trial-text.js';

const directionText = { min: 'minimise', max: 'maximise' } as const;

const statusText: Record<SearchEntry['status'], string> = {
  running: 'running',
  finished: 'finished',
  cancelled: 'cancelled (resumes where it stopped when run again)',
  failed: 'failed',
};

/**
 * The search's header: what is searched and how, and the live progress (trial,
 * its point, epochs, Hyperband bracket and round, batch; backend and data set),
 * with Stop and Open. Built once; each update only sets text, and a field with
 * nothing to say is not shown.
 */
export class SearchHeader {
  readonly root: HTMLElement;
  readonly title = el('h1', { className: 'view-title', text: 'Layerlab search' });
  private readonly fields = new Map<string, HTMLElement>();
  private readonly items = new Map<string, HTMLElement>();
  private readonly outcome = el('p', { className: 'outcome', attrs: { role: 'status' } });
  private readonly note = el('p', { className: 'note' });
  private readonly stopButton: HTMLButtonElement;
  private readonly openButton: HTMLButtonElement;
  readonly picker = el('select', { attrs: { id: 'search-picker' } });
  private readonly pickerLabel: HTMLElement;

  constructor(onStop: () => void, onOpen: () => void, onPick: (dir: string) => void, exportButtons: readonly HTMLButtonElement[]) {
    this.stopButton = button('Stop', onStop, 'danger');
    this.stopButton.setAttribute('aria-label', 'Stop the search');
    this.openButton = button('Open Search…', onOpen, 'secondary');
    this.openButton.setAttribute('aria-label', 'Open a saved search');
    this.picker.addEventListener('change', () => onPick(this.picker.value));
    this.pickerLabel = el('label', { attrs: { for: 'search-picker' }, text: 'Search ' });
    const fields: readonly [key: string, name: string][] = [
      ['search', 'Search'],
      ['strategy', 'Strategy'],
      ['objective', 'Objective'],
      ['status', 'Status'],
      ['trial', 'Trial'],
      ['point', 'Point'],
      ['epochs', 'Epochs'],
      ['bracket', 'Bracket'],
      ['batch', 'Batch'],
      ['backend', 'Backend'],
      ['data', 'Data'],
    ];
    const list = el('dl', { className: 'progress-list', attrs: { 'aria-live': 'off' } });
    for (const [key, name] of fields) {
      const value = el('dd');
      const item = el('div', { className: `progress-item progress-${key}`, attrs: { hidden: '' } }, [el('dt', { text: name }), value]);
      this.fields.set(key, value);
      this.items.set(key, item);
      list.append(item);
    }
    this.root = el('div', { className: 'search-header' }, [
      el('header', { className: 'view-header' }, [this.title, el('div', { className: 'run-bar' }, [this.pickerLabel, this.picker, ...exportButtons, this.openButton])]),
      el('section', { className: 'progress', attrs: { 'aria-label': 'Search progress' } }, [list, this.stopButton, this.outcome, this.note]),
    ]);
  }

  update(store: SearchStore, search: SearchEntry | undefined): void {
    this.title.textContent = store.title;
    document.title = store.title;
    const dirs = [...store.searches.keys()];
    if (this.picker.options.length !== dirs.length || dirs.some((dir, i) => this.picker.options[i]?.value !== dir)) {
      this.picker.replaceChildren(...dirs.map((dir) => el('option', { text: store.searches.get(dir)?.model ?? dir, attrs: { value: dir, title: dir } })));
    }
    if (search) this.picker.value = search.dir;
    this.picker.hidden = this.pickerLabel.hidden = dirs.length < 2;
    this.openButton.hidden = !store.capabilities.openRun;
    this.stopButton.hidden = !(store.capabilities.stop && store.isSearching());

    const completed = search ? [...search.trials.values()].filter((t) => t.status === 'completed').length : 0;
    const failed = search ? [...search.trials.values()].filter((t) => t.status === 'failed').length : 0;
    this.set('search', search?.model);
    this.set('strategy', search?.strategy);
    this.set('objective', search ? `${search.objective.name} (${directionText[search.objective.direction]})` : undefined);
    this.set('status', search ? `${statusText[search.status]}; ${completed} completed, ${failed} failed${search.message ? ` — ${search.message}` : ''}` : 'No search loaded.');

    const trial = search?.currentTrialId !== undefined ? search.trials.get(search.currentTrialId) : undefined;
    const running = trial !== undefined && trial.status === 'running' && store.isSearching() ? trial : undefined;
    this.set('trial', running ? `${running.number > 0 ? `#${running.number}` : ''} (${running.id})${running.parentId !== undefined ? `, continues ${running.parentId}` : ''}`.trim() : undefined);
    this.set('point', running ? describePoint(running) : undefined);
    const lastEpoch = running?.history.at(-1)?.epoch;
    const now = running?.latestBatch && running.latestBatch.epoch > (lastEpoch ?? 0) ? running.latestBatch.epoch : lastEpoch;
    this.set('epochs', running ? `${running.initialEpoch + 1}–${running.epochs}${now !== undefined ? `, now ${now}` : ''}` : undefined);
    this.set('bracket', running?.bracket !== undefined ? `bracket ${running.bracket}, round ${running.round ?? 0}` : undefined);
    const batch = running?.latestBatch;
    this.set('batch', batch ? `${formatInteger(batch.batch)} / ${formatInteger(batch.batches)} (epoch ${batch.epoch})` : undefined);
    // Backend and data belong to a live session; saved searches have none.
    const live = store.session.live;
    const backend = store.session.backend;
    this.set('backend', live && backend ? `${backend.name} (${backend.device})` : undefined);
    this.set('data', live ? dataText(store.session) : undefined);

    const ended = store.session.ended;
    const error = ended?.error ?? store.session.trainerError;
    this.outcome.className = `outcome${error ? ' error' : ''}`;
    this.outcome.textContent = error ? `The search failed: ${error}` : ended?.cancelled || store.session.done?.cancelled ? 'Search stopped.' : ended || store.session.done ? 'Search finished.' : '';
    this.note.textContent = store.session.note ?? '';
  }

  /** Sets a field's text; undefined hides the field. */
  private set(key: string, text: string | undefined): void {
    const field = this.fields.get(key);
    const item = this.items.get(key);
    if (item) item.hidden = text === undefined;
    if (field && text !== undefined && field.textContent !== text) field.textContent = text;
  }
}
