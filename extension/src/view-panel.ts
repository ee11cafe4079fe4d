import * as vscode from 'vscode';
import { loadViewRun, loadSearch } from '../../language-server/src/host/index.js';
import type { FromTrainer } from '../../language-server/src/protocol/trainer.js';
import { isViewToHost, type HostCapabilities, type HostToTuneView, type HostToView, type ViewRun, type TuneSummary } from '../../language-server/src/protocol/views.js';
import { saveExportedFile, webviewHtml, webviewOptions } from './webview-page.js';

/** What differs between the training view and the search view. */
interface ViewKind<Item> {
  readonly viewType: string;
  /** The bundle in media/dist: `<bundle>.js` and `<bundle>.css`. */
  readonly bundle: string;
  readonly idOf: (item: Item) => string;
  readonly load: (folder: string) => Item;
  readonly itemsMessage: (items: readonly Item[]) => HostToView | HostToTuneView;
  /** Where Open asks for folders. */
  readonly pickFolder: { readonly under: readonly string[]; readonly title: string };
}

export const trainingView: ViewKind<ViewRun> = {
  viewType: 'layerlab.training',
  bundle: 'training-view',
  idOf: (run) => run.id,
  load: (folder) => loadViewRun(folder, (problem) => void vscode.window.showWarningMessage(`Layerlab: ${problem}`)),
  itemsMessage: (runs) => ({ type: 'runs', runs }),
  pickFolder: { under: ['.layerlab', 'runs'], title: 'Layerlab: open runs (folders under .layerlab/runs; pick several to compare them)' },
};

export const searchView: ViewKind<TuneSummary> = {
  viewType: 'layerlab.search',
  bundle: 'tune-view',
  idOf: (search) => search.dir,
  load: loadSearch,
  itemsMessage: (searches) => ({ type: 'searches', searches }),
  pickFolder: { under: ['.layerlab', 'tune'], title: 'Layerlab: open searches (folders under .layerlab/tune)' },
};

/** The run (or search) folders a view had loaded, from the state it saved with setState (VS Code hands it to the serializer). */
function idsOfViewState(state: unknown): string[] {
  if (typeof state !== 'object' || state === null) return [];
  const { loadedRunIds, loadedSearchIds } = state as { loadedRunIds?: unknown; loadedSearchIds?: unknown };
  const ids = Array.isArray(loadedRunIds) ? loadedRunIds : Array.isArray(loadedSearchIds) ? loadedSearchIds : [];
  return ids.filter((id): id is string => typeof id === 'string');
}

/** What the extension's API tells about an open view. */
export interface OpenView {
  readonly viewType: string;
  readonly panel: vscode.WebviewPanel;
  readonly ids: readonly string[];
  readonly messagesReceived: readonly string[];
  readonly isDisposed: boolean;
}

/** Every open view, newest last (the e2e suite and commands look at them). */
const openPanels = new Set<OpenView>();

/** The view of each kind per .model file, reused run after run. */
const panelsByFile = new Map<string, ViewPanel<unknown>>();

/**
 * A training or search view: a webview running media/dist/<bundle>.js. The panel
 * keeps everything it has shown (the live messages in order, then the runs) and
 * replays it whenever the view (re)loads and says `ready`, so a hidden or
 * reloaded view comes back as it was without retaining its context.
 */
export class ViewPanel<Item> implements OpenView {
  private readonly history: (HostToView | HostToTuneView)[] = [];
  private readonly items = new Map<string, Item>();
  private disposed = false;
  private readonly received: string[] = [];
  onStop: (() => void) | undefined;

  private constructor(
    private readonly kind: ViewKind<Item>,
    private readonly context: vscode.ExtensionContext,
    readonly panel: vscode.WebviewPanel,
    private title: string,
    private capabilities: HostCapabilities,
  ) {
    openPanels.add(this);
    panel.webview.options = webviewOptions(context);
    panel.webview.html = this.html();
    panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message), undefined, context.subscriptions);
    panel.onDidDispose(() => {
      this.disposed = true;
      openPanels.delete(this);
    });
  }

  static create<Item>(kind: ViewKind<Item>, context: vscode.ExtensionContext, title: string, capabilities: HostCapabilities): ViewPanel<Item> {
    const panel = vscode.window.createWebviewPanel(kind.viewType, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(context));
    return new ViewPanel(kind, context, panel, title, capabilities);
  }

  /**
   * The view of this kind for a .model file: the one already open is reused for the
   * next run (its earlier runs stay in its run picker), else a new one opens beside
   * the editor. One tab per file and kind, however many runs, failed ones included.
   */
  static forFile<Item>(kind: ViewKind<Item>, context: vscode.ExtensionContext, file: string, title: string, capabilities: HostCapabilities): ViewPanel<Item> {
    const key = `${kind.viewType}\n${file}`;
    const open = panelsByFile.get(key) as ViewPanel<Item> | undefined;
    if (open && !open.disposed) {
      open.startSession(title, capabilities);
      return open;
    }
    const created = ViewPanel.create(kind, context, title, capabilities);
    panelsByFile.set(key, created as ViewPanel<unknown>);
    created.panel.onDidDispose(() => {
      if (panelsByFile.get(key) === (created as ViewPanel<unknown>)) panelsByFile.delete(key);
    });
    return created;
  }

  /** A new run in this view: the last run's live messages go (its saved run stays), the page starts afresh and replays. */
  private startSession(title: string, capabilities: HostCapabilities): void {
    this.history.length = 0;
    this.capabilities = capabilities;
    this.title = title;
    this.panel.title = title;
    this.onStop = undefined;
    // A fresh page: the view's own state of the last run cannot leak into this one.
    this.panel.webview.html = this.html();
    this.panel.reveal(undefined, true);
  }

  /** A panel VS Code restores after a reload: its runs or searches are read again from their folders. */
  static restore<Item>(kind: ViewKind<Item>, context: vscode.ExtensionContext, panel: vscode.WebviewPanel, state: unknown): ViewPanel<Item> {
    const restored = new ViewPanel(kind, context, panel, panel.title, { stop: false, openRun: true });
    restored.addFromFolders(idsOfViewState(state));
    return restored;
  }

  static all(): readonly OpenView[] {
    return [...openPanels];
  }

  get viewType(): string {
    return this.kind.viewType;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** The messages the view sent, by type, for tests and diagnostics. */
  get messagesReceived(): readonly string[] {
    return this.received;
  }

  get ids(): readonly string[] {
    return [...this.items.keys()];
  }

  trainerMessage(message: FromTrainer): void {
    this.post({ type: 'trainer', message });
    if (message.type === 'event' && message.event.type === 'finished') this.addFromFolders([message.event.runDir]);
    if (message.type === 'tune-event' && message.event.type === 'finished') this.addFromFolders([message.event.summary.dir]);
  }

  sessionEnded(cancelled: boolean, error?: string): void {
    if (this.capabilities.stop) {
      this.capabilities = { ...this.capabilities, stop: false };
      void this.panel.webview.postMessage(this.initMessage());
    }
    this.post({ type: 'session-ended', cancelled, ...(error !== undefined ? { error } : {}) });
  }

  /** Reads runs (or searches) from their folders and shows them; a folder that cannot be read is reported, the others still shown. */
  addFromFolders(folders: readonly string[]): void {
    const loaded: Item[] = [];
    for (const folder of folders) {
      try {
        loaded.push(this.kind.load(folder));
      } catch (error) {
        void vscode.window.showErrorMessage(`Layerlab: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (!loaded.length) return;
    for (const item of loaded) this.items.set(this.kind.idOf(item), item);
    this.post(this.kind.itemsMessage(loaded));
  }

  reveal(): void {
    this.panel.reveal(undefined, true);
  }

  private initMessage(): HostToView | HostToTuneView {
    return { type: 'init', title: this.title, capabilities: this.capabilities };
  }

  private post(message: HostToView | HostToTuneView): void {
    // Runs and searches replace what the view showed for them, so only the latest copy is replayed.
    if (message.type !== 'runs' && message.type !== 'searches') this.history.push(message);
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  private replay(): void {
    const webview = this.panel.webview;
    void webview.postMessage(this.initMessage());
    for (const message of this.history.filter((m) => m.type === 'trainer')) void webview.postMessage(message);
    if (this.items.size) void webview.postMessage(this.kind.itemsMessage([...this.items.values()]));
    for (const message of this.history.filter((m) => m.type === 'session-ended')) void webview.postMessage(message);
  }

  private receive(message: unknown): void {
    if (!isViewToHost(message)) {
      console.warn('Layerlab: ignored an invalid message from the training view', message);
      return;
    }
    this.received.push(message.type);
    switch (message.type) {
      case 'ready':
        this.replay();
        return;
      case 'stop':
        this.onStop?.();
        return;
      case 'open-run':
        void this.pickRuns();
        return;
      case 'export':
        void saveExportedFile(message.fileName, message.data, message.encoding);
        return;
    }
  }

  private async pickRuns(): Promise<void> {
    const folders = await pickFolders(this.kind);
    if (folders.length) this.addFromFolders(folders);
  }

  private html(): string {
    return webviewHtml(this.panel.webview, this.context.extensionUri, this.kind.bundle, this.title);
  }
}

/** Asks for run or search folders, starting in the workspace's `.layerlab/runs` (or `tune`) folder. */
export async function pickFolders<Item>(kind: ViewKind<Item>): Promise<string[]> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const picked = await vscode.window.showOpenDialog({
    canSelectFiles: false,
    canSelectFolders: true,
    canSelectMany: true,
    openLabel: 'Open',
    title: kind.pickFolder.title,
    ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, ...kind.pickFolder.under) } : {}),
  });
  return (picked ?? []).map((uri) => uri.fsPath);
}

/** Brings back training and search views after VS Code reloads. */
export function registerViewSerializers(context: vscode.ExtensionContext): vscode.Disposable[] {
  return [trainingView, searchView].map((kind: ViewKind<ViewRun> | ViewKind<TuneSummary>) =>
    vscode.window.registerWebviewPanelSerializer(kind.viewType, {
      deserializeWebviewPanel: async (panel, state: unknown) => {
        if (kind === trainingView) ViewPanel.restore(trainingView, context, panel, state);
        else ViewPanel.restore(searchView, context, panel, state);
      },
    }),
  );
}
