import {
  CompletionTriggerKind,
  ErrorCodes,
  LSPErrorCodes,
  MessageType,
  ResponseError,
  SemanticTokensBuilder,
  ShowMessageNotification,
  TextDocumentSyncKind,
  type ClientCapabilities,
  type Connection,
  type InitializeResult,
  type Position,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { FileAnalysis } from '../analysis/analyze-file.js';
import { Budget, BudgetSpent } from '../features/budget.js';
import { codeActions } from '../features/code-actions.js';
import { contentChangesOf, openedDocument } from './params.js';
import { codeLenses, commands } from '../features/code-lens.js';
import { complete } from '../features/completion.js';
import { formatText } from '../features/formatting.js';
import { hover } from '../features/hover.js';
import { defaultInlayHintsConfig, inlayHints, type InlayHintsConfig } from '../features/inlay-hints.js';
import { kerasCode } from '../features/keras-code.js';
import { modelAt, modelTotals } from '../features/model-at.js';
import { definition, prepareRename, references, rename } from '../features/navigation.js';
import { foldingRanges, outline } from '../features/outline.js';
import { semanticTokenModifiers, semanticTokens, semanticTokenTypes } from '../features/semantic-tokens.js';
import { signatureHelp } from '../features/signature-help.js';
import { summaryTable } from '../features/summary-table.js';
import { applyBestValuesEdits, formatSearchedValue, tuneAt, tuneResultHints } from '../features/tune-results.js';
import { DocumentStore } from '../workspace/document-store.js';
import { TuneResultCache } from '../tuning/result-cache.js';
import * as proto from './to-proto.js';

/** Custom requests for the VS Code extension (and any client that wants them). */
export const customRequests = {
  summary: 'layerlab/summary',
  modelAt: 'layerlab/modelAt',
  kerasCode: 'layerlab/kerasCode',
} as const;

/** Notifications from the client: a search wrote new results (inlay hints and actions should be read again). */
export const customNotifications = {
  tuneResultsChanged: 'layerlab/tuneResultsChanged',
} as const;

/**
 * The commands the server runs itself (`workspace/executeCommand`), for clients other than Layerlab's VS Code
 * extension. The extension registers `layerlab.showSummary`, `layerlab.train` and `layerlab.tune` as its own
 * VS Code commands (extension/src/extension.ts); it says so with `initializationOptions.trainAvailable`. It must
 * not be offered them here: its language client registers every advertised command as a VS Code command when it
 * starts, and the extension's own registration of the same id would then fail.
 */
export function serverCommands(clientRunsLayerlabCommands: boolean): string[] {
  return clientRunsLayerlabCommands ? [] : [commands.showSummary];
}

interface Settings {
  readonly inlayHints: InlayHintsConfig;
  readonly trainAvailable: boolean;
  readonly budgets: RequestBudgets;
}

interface RequestBudget {
  readonly milliseconds: number;
  readonly maxItems?: number;
}

/**
 * What a request over a whole document may spend. Outline, semantic tokens and hints past the
 * budget are left out (the editor shows the rest uncoloured, unhinted); a formatting past it is
 * refused, since half a formatting is none. A client may set others with
 * `initializationOptions.requestBudgets`.
 */
export const defaultRequestBudgets = {
  documentSymbol: { milliseconds: 500, maxItems: 20_000 },
  semanticTokens: { milliseconds: 500 },
  inlayHint: { milliseconds: 250, maxItems: 5_000 },
  formatting: { milliseconds: 2000 },
} as const satisfies Record<string, RequestBudget>;

type RequestBudgets = { readonly [K in keyof typeof defaultRequestBudgets]: RequestBudget };

/** The budgets of `initializationOptions.requestBudgets` where they are well formed, the defaults elsewhere. */
export function requestBudgetsFrom(options: unknown): RequestBudgets {
  const given = typeof options === 'object' && options !== null ? (options as Record<string, unknown>) : {};
  const result: Record<string, RequestBudget> = {};
  for (const [name, fallback] of Object.entries(defaultRequestBudgets)) {
    const value = given[name];
    const budget = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
    const number = (x: unknown): number | undefined => (typeof x === 'number' && x >= 0 ? x : undefined);
    const maxItems = number(budget['maxItems']) ?? ('maxItems' in fallback ? fallback.maxItems : undefined);
    result[name] = { milliseconds: number(budget['milliseconds']) ?? fallback.milliseconds, ...(maxItems !== undefined ? { maxItems } : {}) };
  }
  return result as RequestBudgets;
}

/**
 * Wires the protocol-free features to an LSP connection. Handlers only convert:
 * they read the cached analysis of the document's current version.
 */
export function startServer(connection: Connection): void {
  const documents = new Map<string, TextDocument>();
  const store = new DocumentStore();
  const tuneResults = new TuneResultCache();
  let settings: Settings = { inlayHints: defaultInlayHintsConfig, trainAvailable: false, budgets: defaultRequestBudgets };
  let capabilities: ClientCapabilities = {};
  const pending = new Map<string, ReturnType<typeof setTimeout>>();

  const analysisOf = (uri: string): FileAnalysis | undefined => store.analysis(uri);
  const offsetOf = (analysis: FileAnalysis, position: Position) => analysis.lines.offsetAt(position);
  const budgetFor = (request: keyof RequestBudgets): Budget => {
    const { milliseconds, maxItems } = settings.budgets[request];
    return new Budget(milliseconds, maxItems);
  };
  /** Says in the log that a request's result was cut short by its budget. */
  const reportPartial = (request: keyof RequestBudgets, uri: string, budget: Budget) => {
    if (!budget.exhausted) return;
    const limit = budget.count >= budget.maxItems ? `its limit of ${budget.maxItems} results` : `its budget of ${budget.milliseconds} ms`;
    connection.console.warn(`Layerlab: ${request} of ${uri} stopped at ${budget.count} results after ${Math.round(budget.elapsed())} ms, ${limit}; the rest of the file is left out.`);
  };

  const publish = (uri: string) => {
    pending.delete(uri);
    const version = store.version(uri);
    const analysis = analysisOf(uri);
    if (!analysis || version === undefined) return;
    void connection.sendDiagnostics({ uri, version, diagnostics: analysis.diagnostics.map((d) => proto.diagnostic(analysis, d)) });
  };

  // Typing quickly coalesces into one analysis of the newest version; the delay is one turn of the event loop.
  const schedule = (uri: string) => {
    const timer = pending.get(uri);
    if (timer) clearTimeout(timer);
    pending.set(
      uri,
      setTimeout(() => {
        // Whatever a document holds, analysing it must not take the server down.
        try {
          publish(uri);
        } catch (error) {
          connection.console.error(`Layerlab: could not analyse ${uri}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        }
      }, 0),
    );
  };

  const readSettings = async () => {
    if (!capabilities.workspace?.configuration) return;
    const [hints] = (await connection.workspace.getConfiguration([{ section: 'layerlab.inlayHints' }])) as [{ shapes?: boolean; parameters?: boolean } | null];
    // Whether Train and Tune lenses are offered is the client's to say (initializationOptions), not a setting.
    settings = { ...settings, inlayHints: { shapes: hints?.shapes ?? true, parameters: hints?.parameters ?? true } };
  };

  connection.onInitialize((params): InitializeResult => {
    capabilities = params.capabilities;
    const options = params.initializationOptions as { trainAvailable?: boolean; requestBudgets?: unknown } | undefined;
    settings = { ...settings, trainAvailable: options?.trainAvailable === true, budgets: requestBudgetsFrom(options?.requestBudgets) };
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        executeCommandProvider: { commands: serverCommands(settings.trainAvailable) },
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
  });

  connection.onInitialized(() => {
    void readSettings();
  });

  connection.onDidChangeConfiguration(async () => {
    await readSettings();
    connection.languages.inlayHint.refresh().catch(() => undefined);
  });

  connection.onDidOpenTextDocument((params: unknown) => {
    const opened = openedDocument(params);
    if (typeof opened === 'string') return connection.console.error(`Layerlab: ignored a malformed notification: ${opened}`);
    const document = TextDocument.create(opened.uri, opened.languageId, opened.version, opened.text);
    documents.set(opened.uri, document);
    store.set(opened.uri, document.version, document.getText());
    schedule(opened.uri);
  });

  connection.onDidChangeTextDocument((params: unknown) => {
    const change = contentChangesOf(params);
    if (typeof change === 'string') return connection.console.error(`Layerlab: ignored a malformed notification: ${change}`);
    const document = documents.get(change.uri);
    if (!document) return;
    const updated = TextDocument.update(document, change.changes, change.version);
    documents.set(change.uri, updated);
    store.set(change.uri, updated.version, updated.getText());
    schedule(change.uri);
  });

  connection.onDidCloseTextDocument(({ textDocument }) => {
    documents.delete(textDocument.uri);
    store.delete(textDocument.uri);
    const timer = pending.get(textDocument.uri);
    if (timer) clearTimeout(timer);
    pending.delete(textDocument.uri);
    void connection.sendDiagnostics({ uri: textDocument.uri, diagnostics: [] });
  });

  connection.onHover(({ textDocument, position }) => {
    const analysis = analysisOf(textDocument.uri);
    if (!analysis) return null;
    const result = hover(analysis, offsetOf(analysis, position));
    return result ? { contents: { kind: 'markdown', value: result.contents }, range: proto.range(analysis, result.range) } : null;
  });

  connection.onCompletion(({ textDocument, position, context }) => {
    const analysis = analysisOf(textDocument.uri);
    if (!analysis) return null;
    const snippets = capabilities.textDocument?.completion?.completionItem?.snippetSupport ?? false;
    const trigger = context?.triggerKind === CompletionTriggerKind.TriggerCharacter ? context.triggerCharacter : undefined;
    const result = complete(analysis, offsetOf(analysis, position), trigger);
    return { isIncomplete: false, items: result.items.map((item) => proto.completionItem(analysis, item, result.replace, snippets)) };
  });

  connection.onSignatureHelp(({ textDocument, position }) => {
    const analysis = analysisOf(textDocument.uri);
    const help = analysis ? signatureHelp(analysis, offsetOf(analysis, position)) : undefined;
    if (!help) return null;
    return {
      signatures: [{ label: help.label, documentation: { kind: 'markdown', value: help.documentation }, parameters: help.parameters.map((p) => ({ label: [p.label[0], p.label[1]], documentation: p.documentation })) }],
      activeSignature: 0,
      activeParameter: help.activeParameter,
    };
  });

  connection.onDefinition(({ textDocument, position }) => {
    const analysis = analysisOf(textDocument.uri);
    if (!analysis) return null;
    return definition(analysis, offsetOf(analysis, position)).map((r) => ({ uri: textDocument.uri, range: proto.range(analysis, r) }));
  });

  connection.onReferences(({ textDocument, position, context }) => {
    const analysis = analysisOf(textDocument.uri);
    if (!analysis) return null;
    return references(analysis, offsetOf(analysis, position), context.includeDeclaration).map((r) => ({ uri: textDocument.uri, range: proto.range(analysis, r) }));
  });

  connection.onPrepareRename(({ textDocument, position }) => {
    const analysis = analysisOf(textDocument.uri);
    const found = analysis ? prepareRename(analysis, offsetOf(analysis, position)) : undefined;
    return found && analysis ? { range: proto.range(analysis, found.range), placeholder: found.placeholder } : null;
  });

  connection.onRenameRequest(({ textDocument, position, newName }) => {
    if (typeof newName !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, 'rename needs newName, a string');
    const analysis = analysisOf(textDocument.uri);
    if (!analysis) return null;
    const result = rename(analysis, offsetOf(analysis, position), newName);
    if ('error' in result) throw new Error(result.error);
    return { changes: { [textDocument.uri]: result.edits.map((e) => proto.textEdit(analysis, e)) } };
  });

  connection.onDocumentSymbol(({ textDocument }) => {
    const analysis = analysisOf(textDocument.uri);
    if (!analysis) return null;
    const budget = budgetFor('documentSymbol');
    const symbols = outline(analysis, budget).map((item) => proto.documentSymbol(analysis, item));
    reportPartial('documentSymbol', textDocument.uri, budget);
    return symbols;
  });

  connection.onFoldingRanges(({ textDocument }) => {
    const analysis = analysisOf(textDocument.uri);
    return analysis ? foldingRanges(analysis).map(proto.foldingRange) : null;
  });

  connection.onDocumentFormatting(({ textDocument, options }) => {
    const analysis = analysisOf(textDocument.uri);
    if (!analysis) return null;
    const budget = budgetFor('formatting');
    try {
      const edits = formatText(analysis.text, { tabSize: options.tabSize, insertSpaces: options.insertSpaces }, { parsed: analysis.parse, budget });
      return edits ? edits.map((e) => proto.textEdit(analysis, e)) : null;
    } catch (error) {
      if (!(error instanceof BudgetSpent)) throw error;
      const megabytes = (analysis.text.length / (1024 * 1024)).toFixed(1);
      throw new ResponseError(LSPErrorCodes.RequestFailed, `Layerlab did not format this ${megabytes} MB file: formatting ${error.message}. Nothing was changed.`);
    }
  });

  connection.onCodeAction(({ textDocument, range }) => {
    const analysis = analysisOf(textDocument.uri);
    if (!analysis) return null;
    const offsets = { start: offsetOf(analysis, range.start), end: offsetOf(analysis, range.end) };
    const actions = codeActions(analysis, offsets).map((a) => proto.codeAction(analysis, textDocument.uri, a));
    const tune = tuneAt(analysis, offsets);
    const best = tune && tuneResults.lookupFor(textDocument.uri)(tune);
    if (tune && best) {
      const edits = applyBestValuesEdits(analysis, tune, best);
      const values = Object.entries(best.values).map(([name, value]) => `${name}=${formatSearchedValue(value)}`).join(', ');
      if (edits.length) actions.push({ title: `Apply best values (${values})`, kind: 'refactor.rewrite', edit: { changes: { [textDocument.uri]: edits.map((e) => proto.textEdit(analysis, e)) } } });
    }
    return actions;
  });

  connection.onCodeLens(({ textDocument }) => {
    const analysis = analysisOf(textDocument.uri);
    if (!analysis) return null;
    return codeLenses(analysis, textDocument.uri, { trainAvailable: settings.trainAvailable }).map((lens) => ({
      range: proto.range(analysis, lens.range),
      command: { title: lens.title, command: lens.command?.id ?? '', ...(lens.command ? { arguments: [...lens.command.arguments] } : {}) },
    }));
  });

  connection.languages.inlayHint.on(({ textDocument, range }) => {
    const analysis = analysisOf(textDocument.uri);
    if (!analysis) return null;
    const offsets = { start: offsetOf(analysis, range.start), end: offsetOf(analysis, range.end) };
    const budget = budgetFor('inlayHint');
    const hints = [...inlayHints(analysis, offsets, settings.inlayHints, budget), ...tuneResultHints(analysis, tuneResults.lookupFor(textDocument.uri), offsets)];
    reportPartial('inlayHint', textDocument.uri, budget);
    return hints.map((h) => proto.inlayHint(analysis, h));
  });

  connection.languages.semanticTokens.on(({ textDocument }) => {
    const analysis = analysisOf(textDocument.uri);
    const builder = new SemanticTokensBuilder();
    if (!analysis) return builder.build();
    const budget = budgetFor('semanticTokens');
    for (const token of semanticTokens(analysis, budget)) {
      if (!budget.take()) break;
      const start = analysis.lines.positionAt(token.range.start);
      builder.push(start.line, start.character, token.range.end - token.range.start, semanticTokenTypes.indexOf(token.type), token.declaration ? 1 : 0);
    }
    reportPartial('semanticTokens', textDocument.uri, budget);
    return builder.build();
  });

  connection.onNotification(customNotifications.tuneResultsChanged, () => {
    tuneResults.clear();
    if (capabilities.workspace?.inlayHint?.refreshSupport) void connection.languages.inlayHint.refresh();
  });

  /** The summary tables of a file's models (or of one), as `layerlab summary` prints them; null for a file not open. */
  const summaryOf = (uri: string, model?: string): string | null => {
    const analysis = analysisOf(uri);
    if (!analysis) return null;
    const models = analysis.models.filter((m) => model === undefined || m.name === model);
    return models.map((m) => (m.evaluated ? summaryTable(m.evaluated) : `Model: "${m.name}" could not be analysed; see the errors in the file.`)).join('\n\n');
  };

  connection.onRequest(customRequests.summary, ({ uri, model }: { uri: string; model?: string }) => summaryOf(uri, model));

  // For clients without Layerlab's extension (Neovim, Helix, Emacs…): the Summary lens shows the table as a
  // message (Neovim's client shows `window/showMessage`) and returns it as the result.
  connection.onExecuteCommand(({ command, arguments: args = [] }) => {
    const [uri, model] = args as unknown[];
    if (command === commands.showSummary) {
      if (typeof uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, `${command} takes the URI of an open .model file and, optionally, a model name`);
      const summary = summaryOf(uri, typeof model === 'string' ? model : undefined);
      if (!summary) throw new ResponseError(ErrorCodes.InvalidParams, summary === null ? `${uri} is not open in the server` : 'no model to summarise in this file');
      // A notification, not `showInformationMessage` (a request that waits for the user to pick an action).
      void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message: summary });
      return summary;
    }
    if (command === commands.train || command === commands.tune) {
      const verb = command === commands.train ? 'train' : 'tune';
      throw new ResponseError(ErrorCodes.InvalidRequest, `${command} runs in Layerlab's VS Code extension; from a terminal: layerlab ${verb} FILE --model NAME`);
    }
    throw new ResponseError(ErrorCodes.InvalidRequest, `Layerlab's server has no command ${command}`);
  });

  connection.onRequest(customRequests.modelAt, ({ uri, position }: { uri: string; position: Position }) => {
    const analysis = analysisOf(uri);
    if (!analysis) return null;
    const model = modelAt(analysis, offsetOf(analysis, position));
    return model ? modelTotals(model) : null;
  });

  connection.onRequest(customRequests.kerasCode, ({ uri, position, model }: { uri: string; position?: Position; model?: string }) => {
    const analysis = analysisOf(uri);
    if (!analysis) return null;
    const target = model !== undefined ? analysis.models.find((m) => m.name === model) : position ? modelAt(analysis, offsetOf(analysis, position)) : undefined;
    return target ? kerasCode(analysis, target) : null;
  });

  connection.listen();
}
