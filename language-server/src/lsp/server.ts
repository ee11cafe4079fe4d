import { TextDocumentSyncKind, type ClientCapabilities, type Connection, type InitializeParams, type InitializeResult } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { commands } from '../features/code-lens.js';
import { defaultInlayHintsConfig } from '../features/inlay-hints.js';
import { semanticTokenModifiers, semanticTokenTypes } from '../features/semantic-tokens.js';
import { DocumentStore } from '../workspace/document-store.js';
import { TuneResultCache } from '../tuning/result-cache.js';
import { handlers, type ServerContext } from './handlers.js';
import { contentChangesOf, openedDocument } from './params.js';
import { defaultRequestBudgets, requestBudgetsFrom, type Settings } from './settings.js';
import * as proto from './to-proto.js';

/**
 * The commands the server runs itself (`workspace/executeCommand`), for clients other than Layerlab's VS Code
 * extension. The extension registers `layerlab.showSummary`, `layerlab.train` and `layerlab.tune` as its own
 * VS Code commands (extension/src/extension.ts); it says so with `initializationOptions.clientCommands`, also in
 * Restricted Mode, where `trainAvailable` is false (a client that can train runs the commands too). It must not be
 * offered them here: its language client registers every advertised command as a VS Code command when it starts,
 * and the extension's own registration of the same id would then fail, and with it the extension's activation.
 */
export function serverCommands(clientRunsLayerlabCommands: boolean): string[] {
  return clientRunsLayerlabCommands ? [] : [commands.showSummary];
}

function initializeResult(settings: Settings): InitializeResult {
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      executeCommandProvider: { commands: serverCommands(settings.clientCommands) },
      hoverProvider: true,
      completionProvider: { triggerCharacters: ['(', ',', '=', ' '] },
      signatureHelpProvider: { triggerCharacters: ['(', ','], retriggerCharacters: ['='] },
      definitionProvider: true,
      referencesProvider: true,
      renameProvider: { prepareProvider: true },
      documentSymbolProvider: true,
      foldingRangeProvider: true,
      documentFormattingProvider: true,
      codeActionProvider: { codeActionKinds: ['quickfix', 'refactor.rewrite'] },
      codeLensProvider: { resolveProvider: false },
      inlayHintProvider: true,
      semanticTokensProvider: { legend: { tokenTypes: [...semanticTokenTypes], tokenModifiers: [...semanticTokenModifiers] }, full: true },
    },
    serverInfo: { name: 'layerlab', version: '0.1.0' },
  };
}

/** The settings a client gives in `initialize`: whether it can train, whether it runs the Layerlab commands itself, and request budgets. */
function initialSettings(settings: Settings, params: InitializeParams): Settings {
  const options = params.initializationOptions as { trainAvailable?: boolean; clientCommands?: boolean; requestBudgets?: unknown } | undefined;
  const trainAvailable = options?.trainAvailable === true;
  return { ...settings, trainAvailable, clientCommands: trainAvailable || options?.clientCommands === true, budgets: requestBudgetsFrom(options?.requestBudgets) };
}

/**
 * The open documents: their text (updated incrementally), their cached analyses, and the diagnostics
 * published for each version. Typing quickly coalesces into one analysis of the newest version; the delay
 * is one turn of the event loop.
 */
class OpenDocuments {
  private readonly documents = new Map<string, TextDocument>();
  readonly store = new DocumentStore();
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly connection: Connection) {}

  open(params: unknown): void {
    const opened = openedDocument(params);
    if (typeof opened === 'string') return this.connection.console.error(`Layerlab: ignored a malformed notification: ${opened}`);
    const document = TextDocument.create(opened.uri, opened.languageId, opened.version, opened.text);
    this.documents.set(opened.uri, document);
    this.store.set(opened.uri, document.version, document.getText());
    this.schedule(opened.uri);
  }

  change(params: unknown): void {
    const change = contentChangesOf(params);
    if (typeof change === 'string') return this.connection.console.error(`Layerlab: ignored a malformed notification: ${change}`);
    const document = this.documents.get(change.uri);
    if (!document) return;
    const updated = TextDocument.update(document, change.changes, change.version);
    this.documents.set(change.uri, updated);
    this.store.set(change.uri, updated.version, updated.getText());
    this.schedule(change.uri);
  }

  close(uri: string): void {
    this.documents.delete(uri);
    this.store.delete(uri);
    const timer = this.pending.get(uri);
    if (timer) clearTimeout(timer);
    this.pending.delete(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  private schedule(uri: string): void {
    const timer = this.pending.get(uri);
    if (timer) clearTimeout(timer);
    this.pending.set(
      uri,
      setTimeout(() => {
        // Whatever a document holds, analysing it must not take the server down.
        try {
          this.publish(uri);
        } catch (error) {
          this.connection.console.error(`Layerlab: could not analyse ${uri}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        }
      }, 0),
    );
  }

  private publish(uri: string): void {
    this.pending.delete(uri);
    const version = this.store.version(uri);
    const analysis = this.store.analysis(uri);
    if (!analysis || version === undefined) return;
    void this.connection.sendDiagnostics({ uri, version, diagnostics: analysis.diagnostics.map((d) => proto.diagnostic(analysis, d)) });
  }
}

/**
 * Wires the protocol-free features to an LSP connection: the lifecycle and document sync here,
 * every request from the handler table (handlers.ts), whose handlers only convert.
 */
export function startServer(connection: Connection): void {
  const documents = new OpenDocuments(connection);
  let settings: Settings = { inlayHints: defaultInlayHintsConfig, trainAvailable: false, clientCommands: false, budgets: defaultRequestBudgets };
  let capabilities: ClientCapabilities = {};
  const context: ServerContext = {
    connection,
    tuneResults: new TuneResultCache(),
    settings: () => settings,
    capabilities: () => capabilities,
    analysisOf: (uri) => documents.store.analysis(uri),
  };

  const readSettings = async () => {
    if (!capabilities.workspace?.configuration) return;
    const [hints] = (await connection.workspace.getConfiguration([{ section: 'layerlab.inlayHints' }])) as [{ shapes?: boolean; parameters?: boolean } | null];
    // Whether Train and Tune lenses are offered is the client's to say (initializationOptions), not a setting.
    settings = { ...settings, inlayHints: { shapes: hints?.shapes ?? true, parameters: hints?.parameters ?? true } };
  };

  connection.onInitialize((params): InitializeResult => {
    capabilities = params.capabilities;
    settings = initialSettings(settings, params);
    return initializeResult(settings);
  });
  connection.onInitialized(() => void readSettings());
  connection.onDidChangeConfiguration(async () => {
    await readSettings();
    connection.languages.inlayHint.refresh().catch(() => undefined);
  });
  connection.onDidOpenTextDocument((params: unknown) => documents.open(params));
  connection.onDidChangeTextDocument((params: unknown) => documents.change(params));
  connection.onDidCloseTextDocument(({ textDocument }) => documents.close(textDocument.uri));
  for (const register of handlers) register(connection, context);
  connection.listen();
}
