import { isHostToView, type HostToView, type ViewRun, type RunRecord } from '../../language-server/src/protocol/views.js';
import { ComparisonPanel, type ComparedRun } from './comparison.js';
import { ConfusionPanel } from './confusion.js';
import { CurvesPanel } from './curves.js';
import { button, el } from './dom.js';
import { fileBase, historyCsv, recordJson } from './export.js';
import { GalleryPanel } from './gallery.js';
import type { Host } from './host.js';
import type { LineChart } from './line-chart.js';
import { PerClassPanel } from './per-class.js';
import { ProgressPanel } from './progress.js';
import { restoreState, tabs, type MatrixCell, type Tab, type UiState } from './state.js';
import { noChanges, ViewStore, type Changes } from './store.js';
import { renderSummary } from './summary.js';
import type { Palette } from './theme.js';
import { ViewShell, type ShellDebug } from './view-shell.js';

const tabTitles: Record<Tab, string> = { curves: 'Curves', results: 'Test results', compare: 'Compare' };

/** What tests and the benchmark read through `window.__layerlabView`. */
export interface ViewDebug extends ShellDebug<UiState> {
  /** Painted (non-transparent) pixels on a chart's canvas. */
  ink(chart: string): number;
  svg(chart: string): string | undefined;
}

/** The training view: routes host messages into the store and redraws what changed, once per frame. */
export class TrainingView extends ViewShell<UiState, HostToView> {
  private readonly store = new ViewStore();
  private pending: Changes & { results: boolean } = { ...noChanges(), results: true, runs: true, header: true, curves: true };
  private resultsKey: readonly unknown[] = [];

  private readonly title = el('h1', { className: 'view-title', text: 'Layerlab training' });
  private readonly progress: ProgressPanel;
  private readonly runPicker = el('select', { attrs: { id: 'run-picker' } });
  private readonly openRunButton: HTMLButtonElement;
  private readonly csvButton: HTMLButtonElement;
  private readonly jsonButton: HTMLButtonElement;
  private readonly tabButtons = new Map<Tab, HTMLButtonElement>();
  private readonly tabPanels = new Map<Tab, HTMLElement>();
  private readonly curves: CurvesPanel;
  private readonly summarySlot = el('div', { className: 'summary-slot' });
  private readonly confusion: ConfusionPanel;
  private readonly gallery = new GalleryPanel();
  private readonly perClass: PerClassPanel;
  private readonly resultsBody: HTMLElement;
  private readonly resultsEmpty = el('p', { className: 'empty' });
  private readonly comparison: ComparisonPanel;

  constructor(root: HTMLElement, host: Host) {
    super(root, host, restoreState);
    const exportFile = (fileName: string, data: string, encoding: 'utf8' | 'base64') => host.exportFile(fileName, data, encoding);
    this.progress = new ProgressPanel(() => host.post({ type: 'stop' }));
    this.openRunButton = button('Open Run…', () => host.post({ type: 'open-run' }), 'secondary');
    this.csvButton = button('History CSV', () => this.exportRecord('csv'), 'secondary');
    this.jsonButton = button('Run JSON', () => this.exportRecord('json'), 'secondary');
    this.csvButton.setAttribute('aria-label', 'Export the training history as CSV');
    this.jsonButton.setAttribute('aria-label', 'Export the run record as JSON');
    this.runPicker.addEventListener('change', () => this.update({ selectedRunId: this.runPicker.value }));
    this.curves = new CurvesPanel(this.palette, this.state.logScale, (logScale) => this.update({ logScale }), exportFile);
    this.confusion = new ConfusionPanel(
      (cell) => this.update({ selectedCell: cell }),
      (normalized) => this.update({ normalized }),
      () => this.palette,
      exportFile,
    );
    this.perClass = new PerClassPanel(() => this.palette, exportFile);
    this.comparison = new ComparisonPanel(this.palette, (baselineId) => this.update({ baselineId }), exportFile);
    this.resultsBody = el('div', { className: 'results-body' }, [this.summarySlot, el('div', { className: 'matrix-and-gallery' }, [this.confusion.root, this.gallery.root]), this.perClass.root]);
    this.buildLayout();
    this.watchPalette();
  }

  protected isMessage(message: unknown): message is HostToView {
    return isHostToView(message);
  }

  protected apply(message: HostToView): void {
    const changes = this.store.apply(message);
    if (message.type === 'runs') {
      const loaded = [...new Set([...this.state.loadedRunIds, ...message.runs.map((r) => r.id)])];
      if (loaded.length !== this.state.loadedRunIds.length) this.update({ loadedRunIds: loaded });
    }
    this.pending.header ||= changes.header;
    this.pending.curves ||= changes.curves;
    this.pending.runs ||= changes.runs;
    this.pending.results ||= changes.runs;
  }

  debug(): ViewDebug {
    const charts = (): Record<string, LineChart> => ({ ...this.curves.charts(), compareAccuracy: this.comparison.charts().accuracy, compareLoss: this.comparison.charts().loss });
    return {
      ...this.debugShell(charts),
      ink: (name) => {
        const canvas = charts()[name]?.uplot?.ctx.canvas;
        const ctx = canvas?.getContext('2d');
        if (!canvas || !ctx) return 0;
        const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let i = 3; i < pixels.length; i += 4) if ((pixels[i] ?? 0) > 0) painted++;
        return painted;
      },
      svg: (name) => charts()[name]?.toSvg(),
    };
  }

  private update(patch: Partial<UiState>): void {
    this.saveState(patch);
    if (patch.logScale !== undefined) this.curves.setLogScale(patch.logScale);
    if (patch.selectedRunId !== undefined) this.pending.curves = this.pending.header = true;
    this.pending.results = true;
    this.pending.runs = true;
    this.schedule();
  }

  protected render(): void {
    const pending = this.pending;
    this.pending = { ...noChanges(), results: false };
    const selected = this.selectedRunId();
    if (pending.runs) this.renderRunBar(selected);
    if (pending.header) {
      this.title.textContent = this.store.title;
      document.title = this.store.title;
      this.progress.update(this.store);
    }
    if (pending.runs || pending.results) this.renderTabs();
    if (pending.curves && this.visibleTab() === 'curves') this.curves.show(selected === undefined ? undefined : this.store.curves(selected), this.runName(selected));
    else if (pending.curves) this.pending.curves = true; // drawn when its tab shows
    if (pending.results || pending.runs) this.renderResults(selected);
    if (pending.runs || pending.results) this.renderComparison();
  }

  /** The picked run when it exists, else the run training now, else the newest saved run. */
  private selectedRunId(): string | undefined {
    const ids = this.store.runIds();
    if (this.state.selectedRunId !== undefined && ids.includes(this.state.selectedRunId)) return this.state.selectedRunId;
    return this.store.session.currentRunId ?? ids.at(-1);
  }

  private runName(id: string | undefined): string {
    if (id === undefined) return 'run';
    return this.store.record(id)?.model.name ?? this.store.live.get(id)?.model ?? 'run';
  }

  private comparedRuns(): ComparedRun[] {
    return this.store.runIds().flatMap((id) => {
      const record = this.store.record(id);
      return record ? [{ id, label: this.store.label(id), record }] : [];
    });
  }

  private visibleTab(): Tab {
    return this.state.tab === 'compare' && this.comparedRuns().length < 2 ? 'curves' : this.state.tab;
  }

  private buildLayout(): void {
    const tabList = el('div', { className: 'tabs', attrs: { role: 'tablist', 'aria-label': 'Views' } });
    for (const tab of tabs) {
      const tabButton = button(tabTitles[tab], () => this.update({ tab }), 'tab');
      tabButton.id = `tab-${tab}`;
      tabButton.setAttribute('role', 'tab');
      tabButton.setAttribute('aria-controls', `panel-${tab}`);
      tabButton.addEventListener('keydown', (event) => this.onTabKey(event, tab));
      this.tabButtons.set(tab, tabButton);
      tabList.append(tabButton);
      const panel = el('section', { className: 'tab-panel', attrs: { id: `panel-${tab}`, role: 'tabpanel', 'aria-labelledby': `tab-${tab}` } });
      this.tabPanels.set(tab, panel);
    }
    this.tabPanels.get('curves')?.append(this.curves.root);
    this.tabPanels.get('results')?.append(this.resultsEmpty, this.resultsBody);
    this.tabPanels.get('compare')?.append(this.comparison.root);
    const runBar = el('div', { className: 'run-bar' }, [el('label', { attrs: { for: 'run-picker' }, text: 'Run ' }), this.runPicker, this.csvButton, this.jsonButton, this.openRunButton]);
    this.root.classList.add('layerlab-view');
    this.root.replaceChildren(el('header', { className: 'view-header' }, [this.title, runBar]), this.progress.root, tabList, ...this.tabPanels.values());
  }

  private onTabKey(event: KeyboardEvent, tab: Tab): void {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const available = tabs.filter((t) => !this.tabButtons.get(t)?.hidden);
    const next = available[(available.indexOf(tab) + (event.key === 'ArrowRight' ? 1 : available.length - 1)) % available.length];
    if (!next) return;
    event.preventDefault();
    this.update({ tab: next });
    this.renderNow();
    this.tabButtons.get(next)?.focus();
  }

  private renderRunBar(selected: string | undefined): void {
    const ids = this.store.runIds();
    const options = ids.map((id) => el('option', { text: this.store.label(id), attrs: { value: id } }));
    this.runPicker.replaceChildren(...options);
    if (selected !== undefined) this.runPicker.value = selected;
    this.runPicker.disabled = ids.length === 0;
    const record = selected === undefined ? undefined : this.store.record(selected);
    this.csvButton.disabled = this.jsonButton.disabled = record === undefined;
    this.openRunButton.hidden = !this.store.capabilities.openRun;
  }

  private renderTabs(): void {
    const visible = this.visibleTab();
    const compareAvailable = this.comparedRuns().length >= 2;
    for (const tab of tabs) {
      const tabButton = this.tabButtons.get(tab);
      const panel = this.tabPanels.get(tab);
      if (!tabButton || !panel) continue;
      const active = tab === visible;
      tabButton.hidden = tab === 'compare' && !compareAvailable;
      tabButton.setAttribute('aria-selected', String(active));
      tabButton.tabIndex = active ? 0 : -1;
      const wasHidden = panel.hidden;
      panel.hidden = !active;
      if (active && wasHidden) {
        if (tab === 'curves') {
          this.curves.fit();
          this.pending.curves = true;
          this.schedule();
        } else if (tab === 'compare') this.comparison.fit();
      }
    }
  }

  private renderResults(selected: string | undefined): void {
    const run: ViewRun | undefined = selected === undefined ? undefined : this.store.saved.get(selected);
    const record: RunRecord | undefined = selected === undefined ? undefined : this.store.record(selected);
    const { normalized, selectedCell } = this.state;
    const key = [record, run?.gallery, normalized, selectedCell?.trueClass, selectedCell?.predictedClass];
    if (key.length === this.resultsKey.length && key.every((k, i) => k === this.resultsKey[i])) return;
    this.resultsKey = key;
    const test = record?.test;
    this.resultsEmpty.hidden = test !== undefined;
    this.resultsBody.hidden = record === undefined;
    this.resultsEmpty.textContent = record === undefined ? (selected === undefined ? 'No run loaded.' : 'Test results appear when the run finishes.') : test === undefined ? `This run has no test results (${record.status}${record.message ? `: ${record.message}` : ''}).` : '';
    if (!record) return;
    this.summarySlot.replaceChildren(renderSummary(record));
    const matrixParts = [this.confusion.root, this.gallery.root, this.perClass.root];
    for (const part of matrixParts) part.hidden = test === undefined;
    if (!test) return;
    const classNames = test.confusion.map((_, i) => record.dataset.classNames[i] ?? String(i));
    const cell: MatrixCell | undefined = selectedCell && selectedCell.trueClass < classNames.length && selectedCell.predictedClass < classNames.length ? selectedCell : undefined;
    const name = record.model.name;
    this.confusion.render({ runName: name, confusion: test.confusion, classNames, normalized, selected: cell });
    this.gallery.render({
      gallery: run?.gallery,
      missingReason: record.gallery ? `The gallery (${record.gallery}) was not loaded with this run.` : 'This run saved no test images (it was recorded before galleries were kept).',
      cell,
      classNames,
      count: cell ? (test.confusion[cell.trueClass]?.[cell.predictedClass] ?? 0) : 0,
    });
    this.perClass.render({ runName: name, classNames, confusion: test.confusion, precision: test.precision, recall: test.recall });
  }

  private renderComparison(): void {
    const runs = this.comparedRuns();
    if (runs.length < 2) return;
    this.comparison.render(runs, this.state.baselineId);
  }

  private exportRecord(kind: 'csv' | 'json'): void {
    const id = this.selectedRunId();
    const record = id === undefined ? undefined : this.store.record(id);
    if (!record) return;
    const base = fileBase(`${record.model.name}-${record.startedAt.slice(0, 19).replace(/[:T]/g, '-')}`);
    if (kind === 'csv') this.host.exportFile(`${base}-history.csv`, historyCsv(record), 'utf8');
    else this.host.exportFile(`${base}-run.json`, recordJson(record), 'utf8');
  }

  protected paletteChanged(palette: Palette): void {
    this.curves.setPalette(palette);
    this.comparison.setPalette(palette);
    this.pending.curves = true;
  }
}
