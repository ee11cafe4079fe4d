import { isHostToTuneView, type HostToTuneView } from '../../language-server/src/protocol/views.js';
import { button, el } from '../view/dom.js';
import { fileBase } from '../view/export.js';
import type { Host } from '../view/host.js';
import type { LineChart } from '../view/line-chart.js';
import type { Palette } from '../view/theme.js';
import { ViewShell, type ShellDebug } from '../view/view-shell.js';
import { BestPanel } from './best-panel.js';
import { SearchHeader } from './header.js';
import { ObjectiveOverlay } from './objective-overlay.js';
import { parallelCoordinates, parallelTable } from './parallel-coordinates.js';
import { plotDataOf } from './plot-data.js';
import { bestTrial, sortTrials } from './ranking.js';
import { scatterEmpty, scatterPlot, scatterTable } from './scatter-plots.js';
import { noTuneChanges, SearchStore, type SearchEntry, type TrialEntry, type TuneChanges } from './search-store.js';
import { restoreTuneState, type SortColumn, type TuneUiState } from './state.js';
import { SvgFigure } from './svg-figure.js';
import { TrialCurves } from './trial-curves.js';
import { TrialsTable } from './trials-table.js';
import { searchJson, trialsCsv } from './tune-export.js';

/** What tests read through `window.__layerlabTuneView`. */
/** `series` covers the uPlot charts `trialLoss`, `trialAccuracy` and `overlay`. */
export interface TuneViewDebug extends ShellDebug<TuneUiState> {
  /** The SVG export of a chart: a uPlot chart's name, `parallel`, or `scatter:<parameter>`. */
  svg(chart: string): string | undefined;
}

type Pending = TuneChanges & { plots: boolean };

/** The search view: routes host messages into the store and redraws what changed, once per frame. */
export class TuneView extends ViewShell<TuneUiState, HostToTuneView> {
  private readonly store = new SearchStore();
  private pending: Pending = { header: true, trials: true, results: true, plots: true };
  private readonly header: SearchHeader;
  private readonly table: TrialsTable;
  private readonly best: BestPanel;
  private readonly parallel: SvgFigure;
  private readonly scatterGrid = el('div', { className: 'scatter-grid' });
  private scatterFigures = new Map<string, SvgFigure>();
  private readonly curves: TrialCurves;
  private readonly overlay: ObjectiveOverlay;
  private readonly csvButton: HTMLButtonElement;
  private readonly jsonButton: HTMLButtonElement;
  private readonly exportFile: (fileName: string, data: string, encoding: 'utf8' | 'base64') => void;

  constructor(root: HTMLElement, host: Host) {
    super(root, host, restoreTuneState);
    this.exportFile = (fileName, data, encoding) => host.exportFile(fileName, data, encoding);
    this.csvButton = button('Trials CSV', () => this.exportSearch('csv'), 'secondary');
    this.jsonButton = button('Search JSON', () => this.exportSearch('json'), 'secondary');
    this.csvButton.setAttribute('aria-label', 'Export the trials table as CSV');
    this.jsonButton.setAttribute('aria-label', 'Export the search as JSON');
    this.header = new SearchHeader(
      () => host.post({ type: 'stop' }),
      () => host.post({ type: 'open-run' }),
      (dir) => this.update({ selectedSearchDir: dir }),
      [this.csvButton, this.jsonButton],
    );
    const select = (trialId: string) => this.select(trialId);
    this.table = new TrialsTable((column) => this.sortBy(column), select);
    this.best = new BestPanel(select);
    this.parallel = new SvgFigure('Parameters and objective (parallel coordinates)', () => `${this.currentSearch()?.model ?? 'search'}-parallel-coordinates`, () => this.palette, this.exportFile);
    this.curves = new TrialCurves(this.palette, this.exportFile);
    this.overlay = new ObjectiveOverlay(this.palette, this.exportFile);
    this.root.classList.add('layerlab-view', 'layerlab-tune-view');
    this.root.replaceChildren(
      this.header.root,
      el('div', { className: 'search-overview' }, [this.best.root, this.table.root]),
      el('section', { className: 'search-plots', attrs: { 'aria-labelledby': 'plots-heading' } }, [el('h2', { text: 'Parameters against the objective', attrs: { id: 'plots-heading' } }), this.parallel.root, this.scatterGrid]),
      this.curves.root,
      this.overlay.root,
    );
    this.watchPalette();
  }

  protected isMessage(message: unknown): message is HostToTuneView {
    return isHostToTuneView(message);
  }

  protected apply(message: HostToTuneView): void {
    const changes = this.store.apply(message);
    if (message.type === 'searches') {
      const loaded = [...new Set([...this.state.loadedSearchIds, ...message.searches.map((s) => s.dir)])];
      if (loaded.length !== this.state.loadedSearchIds.length) this.update({ loadedSearchIds: loaded });
    }
    this.pending.header ||= changes.header;
    this.pending.trials ||= changes.trials;
    this.pending.results ||= changes.results;
  }

  protected override malformedMessages(): number {
    return this.store.malformed;
  }

  debug(): TuneViewDebug {
    const charts = (): Record<string, LineChart> => ({ ...this.curves.charts(), ...this.overlay.charts() });
    return {
      ...this.debugShell(charts),
      svg: (name) => {
        if (name === 'parallel') return this.parallel.svgText();
        if (name.startsWith('scatter:')) return this.scatterFigures.get(name.slice('scatter:'.length))?.svgText();
        return charts()[name]?.toSvg();
      },
    };
  }

  private update(patch: Partial<TuneUiState>): void {
    this.saveState(patch);
    this.pending = { header: true, trials: true, results: true, plots: true };
    this.schedule();
  }

  private sortBy(column: SortColumn): void {
    const current = this.state.sortColumn ?? 'id';
    this.update(column === current ? { sortColumn: column, sortDescending: !this.state.sortDescending } : { sortColumn: column, sortDescending: false });
    this.renderNow();
  }

  private select(trialId: string): void {
    this.update({ selectedTrialId: trialId });
    this.renderNow();
  }

  /** The picked search when it is there, else the one the session works on, else the first. */
  private currentSearch(): SearchEntry | undefined {
    const picked = this.state.selectedSearchDir === undefined ? undefined : this.store.searches.get(this.state.selectedSearchDir);
    return picked ?? this.store.currentSearch() ?? this.store.searches.values().next().value;
  }

  /** The picked trial when it is there, else the running one, else the best, else the first. */
  private selectedTrial(search: SearchEntry | undefined, best: TrialEntry | undefined): TrialEntry | undefined {
    if (!search) return undefined;
    const picked = this.state.selectedTrialId === undefined ? undefined : search.trials.get(this.state.selectedTrialId);
    const running = search.currentTrialId === undefined ? undefined : search.trials.get(search.currentTrialId);
    return picked ?? running ?? best ?? sortTrials([...search.trials.values()], undefined, false)[0];
  }

  protected render(): void {
    const pending = this.pending;
    this.pending = { ...noTuneChanges(), plots: false };
    const search = this.currentSearch();
    const best = search ? bestTrial(search) : undefined;
    const selected = this.selectedTrial(search, best);
    if (pending.header) this.header.update(this.store, search);
    this.csvButton.disabled = this.jsonButton.disabled = search === undefined;
    if (pending.trials || pending.results) {
      if (search) this.table.render({ search, sortColumn: this.state.sortColumn, sortDescending: this.state.sortDescending, bestId: best?.id, selectedId: selected?.id, live: this.store.isSearching() });
      this.table.root.hidden = search === undefined;
      this.best.render(search, best);
      this.curves.show(selected, search?.model ?? 'search', search?.objective.name ?? 'objective');
      this.overlay.show(search, best?.id);
    }
    if (pending.results || pending.plots) this.renderPlots(search, selected?.id);
  }

  private renderPlots(search: SearchEntry | undefined, selectedId: string | undefined): void {
    const select = (trialId: string) => this.select(trialId);
    const data = search ? plotDataOf(search) : undefined;
    const drawable = data !== undefined && data.trials.length > 0;
    this.parallel.show(drawable ? parallelCoordinates(data, this.palette, selectedId, select) : undefined, drawable ? parallelTable(data) : undefined, 'The plots appear when a trial completes.');
    const names = data?.parameters.map((p) => p.name) ?? [];
    if (names.join('\n') !== [...this.scatterFigures.keys()].join('\n')) {
      this.scatterFigures = new Map(names.map((name) => [name, new SvgFigure(`${data?.objective.name ?? 'objective'} against ${name}`, () => `${this.currentSearch()?.model ?? 'search'}-${name}-scatter`, () => this.palette, this.exportFile)]));
      this.scatterGrid.replaceChildren(...[...this.scatterFigures.values()].map((f) => f.root));
    }
    for (const parameter of data?.parameters ?? []) {
      const figure = this.scatterFigures.get(parameter.name);
      if (!figure || !data) continue;
      figure.show(drawable ? scatterPlot(data, parameter, this.palette, selectedId, select) : undefined, drawable ? scatterTable(data, parameter) : undefined, 'No completed trial yet.');
    }
    if (!drawable && names.length === 0) this.scatterGrid.replaceChildren(scatterEmpty());
  }

  private exportSearch(kind: 'csv' | 'json'): void {
    const search = this.currentSearch();
    if (!search) return;
    const base = fileBase(search.model);
    if (kind === 'csv') this.exportFile(`${base}-trials.csv`, trialsCsv(search, sortTrials([...search.trials.values()], this.state.sortColumn, this.state.sortDescending)), 'utf8');
    else this.exportFile(`${base}-search.json`, searchJson(search), 'utf8');
  }

  protected paletteChanged(palette: Palette): void {
    this.curves.setPalette(palette);
    this.overlay.setPalette(palette);
    this.pending = { header: false, trials: true, results: true, plots: true };
  }
}
