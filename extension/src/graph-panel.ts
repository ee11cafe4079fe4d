import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { isGraphViewToHost, type GraphRange, type HostToGraphView, type ModelGraph } from '../../language-server/src/protocol/graph.js';
import { modelGraphRequest } from '../../language-server/src/protocol/lsp-requests.js';
import { sendCustomRequest } from './requests.js';
import { saveExportedFile, webviewHtml, webviewOptions } from './webview-page.js';

export const GRAPH_VIEW_TYPE = 'layerlab.graph';

/** How long typing pauses before the graph is asked for again. */
const editDelayMs = 300;
const cursorDelayMs = 60;

/** What the extension's API tells about an open graph view. */
export interface OpenGraph {
  readonly uri: string;
  readonly model: string | undefined;
  readonly title: string;
  /** Nodes of the last graph sent to the view. */
  readonly nodes: number;
  readonly messagesReceived: readonly string[];
  readonly disposed: boolean;
}

const open = new Map<string, GraphPanel>();

/**
 * The graph view of one .model file: asks the language server for the graph of a model
 * (the one named, or the one the cursor is in), sends it to the webview, which lays it out
 * and draws it; again after each pause in typing. Clicks in the view move the cursor; the
 * cursor in the file rings its boxes.
 */
export class GraphPanel {
  private model: string | undefined;
  private graph: ModelGraph | null = null;
  private readonly received: string[] = [];
  private readonly subscriptions: vscode.Disposable[] = [];
  private editTimer: ReturnType<typeof setTimeout> | undefined;
  private cursorTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  /** Answers that come back out of order are dropped: only the latest request's graph is shown. */
  private requestCount = 0;

  private constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly client: LanguageClient,
    readonly panel: vscode.WebviewPanel,
    readonly uri: string,
    model: string | undefined,
  ) {
    this.model = model;
    open.set(uri, this);
    panel.webview.options = webviewOptions(context);
    panel.webview.html = webviewHtml(panel.webview, context.extensionUri, 'graph-view', panel.title);
    this.subscriptions.push(
      panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document.uri.toString() === uri && event.contentChanges.length) this.refreshSoon();
      }),
      vscode.window.onDidChangeTextEditorSelection((event) => {
        if (event.textEditor.document.uri.toString() === uri) this.cursorSoon(event.textEditor);
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  /** Shows the graph of `model` (else of the model at the cursor, else the file's first) of the file `uri`: in its open view, else in a new one beside the editor. */
  static show(context: vscode.ExtensionContext, client: LanguageClient, uri: string, model: string | undefined): GraphPanel {
    const existing = open.get(uri);
    if (existing && !existing.disposed) {
      existing.panel.reveal(undefined, true);
      if (model !== undefined) existing.model = model;
      void existing.refresh(model === undefined ? existing.cursorPosition() : undefined);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(GRAPH_VIEW_TYPE, GraphPanel.titleFor(uri, model), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(context));
    const created = new GraphPanel(context, client, panel, uri, model);
    if (model === undefined) created.firstPosition = created.cursorPosition();
    return created;
  }

  /** Where the cursor was when the view was asked for without a model: its first graph is of the model there. */
  private firstPosition: vscode.Position | undefined;

  /** A view VS Code restores after a reload, from the file and model it saved. */
  static restore(context: vscode.ExtensionContext, client: LanguageClient, panel: vscode.WebviewPanel, state: unknown): void {
    const saved = typeof state === 'object' && state !== null ? (state as { file?: unknown; model?: unknown }) : {};
    if (typeof saved.file !== 'string') {
      panel.dispose();
      return;
    }
    new GraphPanel(context, client, panel, saved.file, typeof saved.model === 'string' ? saved.model : undefined);
  }

  static all(): readonly OpenGraph[] {
    return [...open.values()].map((g) => ({ uri: g.uri, model: g.graph?.model ?? g.model, title: g.panel.title, nodes: g.graph?.nodes.length ?? 0, messagesReceived: [...g.received], disposed: g.disposed }));
  }

  private static titleFor(uri: string, model: string | undefined): string {
    return `Graph: ${model ?? uri.split('/').pop() ?? 'model'}`;
  }

  private editorOfFile(): vscode.TextEditor | undefined {
    return vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.uri);
  }

  private cursorPosition(): vscode.Position | undefined {
    return this.editorOfFile()?.selection.active;
  }

  private post(message: HostToGraphView): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  /** Asks for the graph again and sends it: of the model shown, or with `position` of the model there (the file's first when there is none). */
  private async refresh(position?: vscode.Position): Promise<void> {
    const request = ++this.requestCount;
    const which = position ? { position: { line: position.line, character: position.character } } : this.model !== undefined ? { model: this.model } : {};
    let result;
    try {
      result = await sendCustomRequest(this.client, modelGraphRequest, { uri: this.uri, ...which });
    } catch (error) {
      if (request === this.requestCount) this.post({ type: 'graph', file: this.uri, models: [], graph: null, problem: `Layerlab's language server did not answer: ${error instanceof Error ? error.message : String(error)}` });
      return;
    }
    if (request !== this.requestCount || this.disposed) return;
    if (!result) {
      this.post({ type: 'graph', file: this.uri, models: [], graph: null, problem: 'Open the .model file in an editor to see its graph.' });
      return;
    }
    this.graph = result.graph;
    if (result.graph) {
      this.model = result.graph.model;
      this.panel.title = GraphPanel.titleFor(this.uri, result.graph.model);
    }
    const problem = result.graph ? undefined : result.models.length ? `${this.model ?? 'The model'} could not be analysed: see the errors in the file.` : 'This file declares no model.';
    this.post({ type: 'graph', file: this.uri, models: result.models, graph: result.graph, ...(problem ? { problem } : {}) });
  }

  /** After an edit: a hidden view is left alone (it reloads, and asks, when shown again). */
  private refreshSoon(): void {
    clearTimeout(this.editTimer);
    this.editTimer = setTimeout(() => {
      if (this.panel.visible) void this.refresh();
    }, editDelayMs);
  }

  /** Sends the cursor; a cursor in another model of the file shows that model. */
  private cursorSoon(editor: vscode.TextEditor): void {
    clearTimeout(this.cursorTimer);
    this.cursorTimer = setTimeout(() => {
      const active = editor.selection.active;
      this.post({ type: 'cursor', position: { line: active.line, character: active.character } });
      const range = this.graph?.range;
      const outside = range && (active.line < range.start.line || active.line > range.end.line);
      if (outside) void this.refreshAt(active);
    }, cursorDelayMs);
  }

  /** The graph of the model at `position`, if it is another one; nothing when the cursor is in no model. */
  private async refreshAt(position: vscode.Position): Promise<void> {
    const result = await sendCustomRequest(this.client, modelGraphRequest, { uri: this.uri, position: { line: position.line, character: position.character } }).catch(() => null);
    const graph = result?.graph;
    if (!graph || graph.model === this.model || !this.inDeclaration(graph.range, position)) return;
    this.model = graph.model;
    await this.refresh();
  }

  private inDeclaration(range: GraphRange, position: vscode.Position): boolean {
    return position.line >= range.start.line && position.line <= range.end.line;
  }

  private receive(message: unknown): void {
    if (!isGraphViewToHost(message)) {
      console.warn('Layerlab: ignored an invalid message from the graph view', message);
      return;
    }
    this.received.push(message.type);
    switch (message.type) {
      case 'ready':
        void this.refresh(this.model === undefined ? this.firstPosition : undefined).then(() => {
          const position = this.cursorPosition();
          if (position) this.post({ type: 'cursor', position: { line: position.line, character: position.character } });
        });
        return;
      case 'reveal':
        void this.reveal(message.range);
        return;
      case 'show-model':
        this.model = message.model;
        void this.refresh();
        return;
      case 'export':
        void saveExportedFile(message.fileName, message.data, message.encoding);
        return;
    }
  }

  /** Puts the cursor at the start of `range` in the file's editor (opening it beside the graph if it is not showing). */
  private async reveal(range: GraphRange): Promise<void> {
    const start = new vscode.Position(range.start.line, range.start.character);
    const visible = this.editorOfFile();
    const document = visible?.document ?? (await vscode.workspace.openTextDocument(vscode.Uri.parse(this.uri)));
    const editor = await vscode.window.showTextDocument(document, { viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One, preserveFocus: false });
    editor.selection = new vscode.Selection(start, start);
    editor.revealRange(new vscode.Range(start, start), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private dispose(): void {
    this.disposed = true;
    clearTimeout(this.editTimer);
    clearTimeout(this.cursorTimer);
    if (open.get(this.uri) === this) open.delete(this.uri);
    for (const s of this.subscriptions) s.dispose();
  }
}

/** The graph views VS Code brings back after a reload. */
export function registerGraphSerializer(context: vscode.ExtensionContext, client: LanguageClient): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(GRAPH_VIEW_TYPE, {
    deserializeWebviewPanel: async (panel, state: unknown) => GraphPanel.restore(context, client, panel, state),
  });
}
