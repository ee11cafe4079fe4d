import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { trainCommand } from './train.js';
import { tuneCommand } from './tune.js';
import { SummaryDocuments, SUMMARY_SCHEME } from './summary-document.js';
import { classifyPicked } from '../../language-server/src/host/index.js';
import { pickFolders, registerViewSerializers, searchView, trainingView, ViewPanel } from './view-panel.js';
import { ServerCrashPolicy } from './server-crash-policy.js';
import { GraphPanel, registerGraphSerializer, type OpenGraph } from './graph-panel.js';
import { kerasCodeRequest, modelAtRequest, summaryRequest } from '../../language-server/src/protocol/lsp-requests.js';
import { sendCustomRequest } from './requests.js';
import { RESTART_SERVER_COMMAND, ServerErrorHandler } from './server-error-handler.js';
import { importKerasCommand } from './import-keras.js';

let client: LanguageClient | undefined;
const crashPolicy = new ServerCrashPolicy();

/** What the extension exports: the state of its training views and language server, for the end-to-end suite and other extensions. */
export interface LayerlabApi {
  /** Open training (`layerlab.training`) and search (`layerlab.search`) views. */
  views(): readonly { readonly viewType: string; readonly title: string; readonly ids: readonly string[]; readonly messagesReceived: readonly string[]; readonly disposed: boolean }[];
  /** The notices shown this session about the language server stopping (restarted, not restarted), oldest first. */
  serverNotices(): readonly string[];
  /** Open graph views (`layerlab.graph`). */
  graphs(): readonly OpenGraph[];
}

function compact(n: number): string {
  const units: [number, string][] = [
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [scale, unit] of units) if (Math.abs(n) >= scale) return `${(n / scale).toFixed(n / scale >= 100 ? 0 : 1)}${unit}`;
  return String(n);
}

/**
 * The extension only starts the language server and adds VS Code commands and
 * the status bar; every figure comes from the server.
 */
/**
 * The run (or search) folders to open from what was picked: a folder of runs (such as
 * `.layerlab/runs`, where the dialog starts) offers its runs to choose from, newest first;
 * a folder that is neither opens nothing and says what to pick.
 */
async function savedFoldersOf(picked: readonly string[], marker: string, what: 'run' | 'search'): Promise<string[]> {
  const chosen: string[] = [];
  for (const entry of classifyPicked(picked, marker)) {
    if (entry.kind === 'saved') chosen.push(entry.folder);
    else if (entry.kind === 'parent') {
      const items = entry.children.map((folder) => ({ label: folder.split(/[\\/]/).pop() ?? folder, description: folder, folder }));
      const selected = await vscode.window.showQuickPick(items, { canPickMany: true, title: `Layerlab: open ${what}s from ${entry.folder}`, placeHolder: `Pick one ${what} or several to compare (newest first)` });
      chosen.push(...(selected ?? []).map((item) => item.folder));
    } else {
      void vscode.window.showErrorMessage(`Layerlab: ${entry.folder} is not a saved ${what}: pick a folder under .layerlab/${what === 'run' ? 'runs' : 'tune'}/ (one with ${marker}).`);
    }
  }
  return chosen;
}

export async function activate(context: vscode.ExtensionContext): Promise<LayerlabApi> {
  const module = context.asAbsolutePath('dist/server.cjs');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const output = vscode.window.createOutputChannel('Layerlab', { log: true });
  context.subscriptions.push(output);
  const errorHandler = new ServerErrorHandler(crashPolicy, output);
  const clientOptions: LanguageClientOptions = {
    outputChannel: output,
    errorHandler,
    documentSelector: [{ language: 'model' }],
    synchronize: { configurationSection: 'layerlab' },
    // Train and Tune lenses only where training may run: not in Restricted Mode (see package.json capabilities).
    // clientCommands: this extension registers the Layerlab commands itself, trusted or not, so the server
    // must not advertise them (its client would register them first, and activation would fail).
    initializationOptions: () => ({ trainAvailable: vscode.workspace.isTrusted, clientCommands: true }),
  };
  const languageClient = new LanguageClient('layerlab', 'Layerlab', serverOptions, clientOptions);
  client = languageClient;
  await languageClient.start();
  const restart = async (): Promise<void> => {
    // A stopped client (it gave up after crashes) only needs starting.
    if (languageClient.isRunning()) await crashPolicy.stopping(() => languageClient.stop());
    await languageClient.start();
  };
  context.subscriptions.push(
    // Trust granted: the server starts again, now offering Train and Tune.
    vscode.workspace.onDidGrantWorkspaceTrust(() => void restart()),
    vscode.commands.registerCommand(RESTART_SERVER_COMMAND, async () => {
      crashPolicy.restartedByUser();
      await restart();
    }),
  );

  const modelUnderCursor = (): { uri: string; position: vscode.Position } | undefined => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== 'model') return undefined;
    return { uri: editor.document.uri.toString(), position: editor.selection.active };
  };

  const summaries = new SummaryDocuments(languageClient);
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(SUMMARY_SCHEME, summaries),
    vscode.workspace.onDidChangeTextDocument((e) => e.document.languageId === 'model' && summaries.sourceChanged(e.document.uri.toString())),
    vscode.workspace.onDidCloseTextDocument((d) => d.uri.scheme === SUMMARY_SCHEME && summaries.closed(d.uri)),
    vscode.commands.registerCommand('layerlab.showSummary', async (uri?: string, model?: string) => {
      const target = uri ?? modelUnderCursor()?.uri;
      if (!target) {
        void vscode.window.showInformationMessage('Layerlab: open a .model file to see its summary.');
        return;
      }
      const summary = await sendCustomRequest(languageClient, summaryRequest, { uri: target, ...(model ? { model } : {}) });
      if (!summary) {
        void vscode.window.showWarningMessage('Layerlab: no model to summarise in this file.');
        return;
      }
      const document = await vscode.workspace.openTextDocument(SummaryDocuments.uriFor(target, model));
      await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
    }),
    vscode.commands.registerCommand('layerlab.showModelGraph', (uri?: string, model?: string) => {
      const target = typeof uri === 'string' ? uri : modelUnderCursor()?.uri;
      if (!target) {
        void vscode.window.showInformationMessage('Layerlab: open a .model file to see the graph of its models.');
        return;
      }
      GraphPanel.show(context, languageClient, target, typeof model === 'string' ? model : undefined);
    }),
    registerGraphSerializer(context, languageClient),
    vscode.commands.registerCommand('layerlab.copyAsKeras', async () => {
      const at = modelUnderCursor();
      if (!at) {
        void vscode.window.showInformationMessage('Layerlab: put the cursor in a model of a .model file.');
        return;
      }
      const result = await sendCustomRequest(languageClient, kerasCodeRequest, { uri: at.uri, position: at.position });
      if (!result) {
        void vscode.window.showWarningMessage('Layerlab: the cursor is not in a model.');
        return;
      }
      if ('error' in result) {
        void vscode.window.showWarningMessage(`Layerlab: cannot copy as Keras code: ${result.error}`);
        return;
      }
      await vscode.env.clipboard.writeText(result.code);
      void vscode.window.showInformationMessage(
        result.kind === 'script' ? 'Layerlab: a runnable Keras script (model, data and training) copied to the clipboard.' : 'Layerlab: the Keras model copied to the clipboard.',
      );
    }),
    vscode.commands.registerCommand('layerlab.importKeras', (uri?: unknown) => importKerasCommand(output, uri instanceof vscode.Uri ? uri : undefined)),
    vscode.commands.registerCommand('layerlab.train', (uri?: string, model?: string, options?: unknown) => trainCommand(context, uri, model, options)),
    vscode.commands.registerCommand('layerlab.tune', (uri?: string, model?: string, options?: unknown) => tuneCommand(context, languageClient, uri, model, options)),
    vscode.commands.registerCommand('layerlab.openRun', async (folders?: unknown) => {
      const given = Array.isArray(folders) && folders.every((f) => typeof f === 'string') ? (folders as string[]) : await pickFolders(trainingView);
      const picked = await savedFoldersOf(given, 'run.json', 'run');
      if (!picked.length) return;
      const view = ViewPanel.create(trainingView, context, picked.length > 1 ? `Runs (${picked.length})` : `Run ${picked[0]?.split(/[\\/]/).pop() ?? ''}`, { stop: false, openRun: true });
      view.addFromFolders(picked);
    }),
    vscode.commands.registerCommand('layerlab.openSearch', async (folders?: unknown) => {
      const given = Array.isArray(folders) && folders.every((f) => typeof f === 'string') ? (folders as string[]) : await pickFolders(searchView);
      const picked = await savedFoldersOf(given, 'oracle.json', 'search');
      if (!picked.length) return;
      const view = ViewPanel.create(searchView, context, `Search ${picked.map((p) => p.split(/[\\/]/).pop() ?? '').join(', ')}`, { stop: false, openRun: true });
      view.addFromFolders(picked);
    }),
    ...registerViewSerializers(context),
  );

  const status = vscode.window.createStatusBarItem('layerlab.totals', vscode.StatusBarAlignment.Right, 100);
  status.name = 'Layerlab model totals';
  status.command = 'layerlab.showSummary';
  context.subscriptions.push(status);
  let pending: ReturnType<typeof setTimeout> | undefined;
  const refresh = () => {
    if (pending) clearTimeout(pending);
    pending = setTimeout(async () => {
      const at = modelUnderCursor();
      // Null also while the server is down (restarting, or stopped after crashes).
      const totals = at && languageClient.isRunning() ? await sendCustomRequest(languageClient, modelAtRequest, at).catch(() => null) : null;
      if (!totals) {
        status.hide();
        return;
      }
      const flops = totals.flops === null ? '' : ` · ${compact(totals.flops)} FLOPs`;
      status.text = `$(layers) ${totals.name}: ${totals.params.toLocaleString('en-US')} params${flops}`;
      status.tooltip = `${totals.params.toLocaleString('en-US')} parameters (${totals.nonTrainable.toLocaleString('en-US')} non-trainable)${totals.complete ? '' : ' — incomplete, see errors'}. Click for the summary.`;
      status.show();
    }, 100);
  };
  context.subscriptions.push(
    vscode.window.onDidChangeActiveTextEditor(refresh),
    vscode.window.onDidChangeTextEditorSelection(refresh),
    vscode.workspace.onDidChangeTextDocument((e) => e.document === vscode.window.activeTextEditor?.document && refresh()),
  );
  refresh();
  return {
    views: () => ViewPanel.all().map((view) => ({ viewType: view.viewType, title: view.panel.title, ids: view.ids, messagesReceived: view.messagesReceived, disposed: view.isDisposed })),
    serverNotices: () => errorHandler.notices,
    graphs: () => GraphPanel.all(),
  };
}

export async function deactivate(): Promise<void> {
  const running = client;
  if (running?.isRunning()) await crashPolicy.stopping(() => running.stop());
}
