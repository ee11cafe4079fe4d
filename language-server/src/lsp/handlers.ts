import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CodeActionRequest,
  CodeLensRequest,
  CompletionRequest,
  CompletionTriggerKind,
  DefinitionRequest,
  DocumentFormattingRequest,
  DocumentSymbolRequest,
  ErrorCodes,
  ExecuteCommandRequest,
  FoldingRangeRequest,
  HoverRequest,
  InlayHintRequest,
  LSPErrorCodes,
  MessageType,
  PrepareRenameRequest,
  ReferencesRequest,
  RenameRequest,
  ResponseError,
  SemanticTokensRequest,
  ShowMessageNotification,
  SignatureHelpRequest,
  type ClientCapabilities,
  type Connection,
  type HandlerResult,
  type ProtocolRequestType,
} from 'vscode-languageserver';
import type { FileAnalysis } from '../analysis/analyze-file.js';
import { Budget, BudgetSpent } from '../features/budget.js';
import { codeActions } from '../features/code-actions.js';
import { codeLenses, commands } from '../features/code-lens.js';
import { complete } from '../features/completion.js';
import { formatText } from '../features/formatting.js';
import { hover } from '../features/hover.js';
import { inlayHints } from '../features/inlay-hints.js';
import { kerasScript, type ModelFolder } from '../features/keras-script.js';
import { modelAt, modelTotals } from '../features/model-at.js';
import { graphModel, modelGraph } from '../features/model-graph.js';
import { definition, prepareRename, references, rename } from '../features/navigation.js';
import { foldingRanges, outline } from '../features/outline.js';
import { semanticTokens } from '../features/semantic-tokens.js';
import { signatureHelp } from '../features/signature-help.js';
import { summaryTable } from '../features/summary-table.js';
import { applyBestValuesEdits, formatSearchedValue, tuneAt, tuneResultHints } from '../features/tune-results.js';
import { kerasCodeRequest, modelAtRequest, modelGraphRequest, summaryRequest, tuneResultsChangedNotification, type CustomNotification, type CustomRequest, type LspPosition } from '../protocol/lsp-requests.js';
import type { TuneResultCache } from '../tuning/result-cache.js';
import type { RequestBudgets, Settings } from './settings.js';
import { customParamsProblem, requestParamsProblem, type RequestNeeds } from './params.js';
import * as proto from './to-proto.js';

/** What a handler may read: the cached analyses, the search results, the client's settings; handlers keep no state of their own. */
export interface ServerContext {
  readonly connection: Connection;
  readonly tuneResults: TuneResultCache;
  settings(): Settings;
  capabilities(): ClientCapabilities;
  /** The analysis of the document's current version; undefined for a document the server does not have open. */
  analysisOf(uri: string): FileAnalysis | undefined;
}

/** One entry of the handler table: registers its handler on a connection. */
export type Registration = (connection: Connection, context: ServerContext) => void;

/** An LSP request answered by `handler`. */
function request<P, R, PR, E, RO>(type: ProtocolRequestType<P, R, PR, E, RO>, handler: (context: ServerContext, params: P) => HandlerResult<R, E>): Registration {
  return (connection, context) =>
    connection.onRequest(type, (params: P) => {
      // Malformed params get an error reply that says what is missing, not a JavaScript error message.
      const problem = type.method === ExecuteCommandRequest.method ? commandParamsProblem(params) : requestParamsProblem(type.method, params);
      if (problem) throw new ResponseError(ErrorCodes.InvalidParams, problem);
      return handler(context, params);
    });
}

/** One of Layerlab's own requests (protocol/lsp-requests.ts); its params are checked before the handler reads them. */
function customRequest<P, R>(type: CustomRequest<P, R>, handler: (context: ServerContext, params: P) => R, needs?: RequestNeeds): Registration {
  return (connection, context) =>
    connection.onRequest<unknown, unknown>(type.method, (params: P) => {
      const problem = customParamsProblem(type.method, params, needs);
      if (problem) throw new ResponseError(ErrorCodes.InvalidParams, problem);
      return handler(context, params);
    });
}

function commandParamsProblem(params: unknown): string | undefined {
  const { command, arguments: args } = (typeof params === 'object' && params !== null ? params : {}) as { command?: unknown; arguments?: unknown };
  if (typeof command !== 'string') return 'workspace/executeCommand needs command, a string';
  if (args !== undefined && !Array.isArray(args)) return 'workspace/executeCommand: arguments is not a list';
  return undefined;
}

function customNotification<P>(type: CustomNotification<P>, handler: (context: ServerContext, params: P) => void): Registration {
  return (connection, context) => connection.onNotification(type.method, (params: P) => handler(context, params));
}

const offsetOf = (analysis: FileAnalysis, position: LspPosition): number => analysis.lines.offsetAt(position);

function budgetFor(context: ServerContext, request: keyof RequestBudgets): Budget {
  const { milliseconds, maxItems } = context.settings().budgets[request];
  return new Budget(milliseconds, maxItems);
}

/** Says in the log that a request's result was cut short by its budget. */
function reportPartial(context: ServerContext, request: keyof RequestBudgets, uri: string, budget: Budget): void {
  if (!budget.exhausted) return;
  const limit = budget.count >= budget.maxItems ? `its limit of ${budget.maxItems} results` : `its budget of ${budget.milliseconds} ms`;
  context.connection.console.warn(`Layerlab: ${request} of ${uri} stopped at ${budget.count} results after ${Math.round(budget.elapsed())} ms, ${limit}; the rest of the file is left out.`);
}

/** The summary tables of a file's models (or of one), as `layerlab summary` prints them; null for a file not open. */
function summaryOf(context: ServerContext, uri: string, model?: string): string | null {
  const analysis = context.analysisOf(uri);
  if (!analysis) return null;
  const models = analysis.models.filter((m) => model === undefined || m.name === model);
  return models.map((m) => (m.evaluated ? summaryTable(m.evaluated) : `Model: "${m.name}" could not be analysed; see the errors in the file.`)).join('\n\n');
}

/**
 * For clients without Layerlab's extension (Neovim, Helix, Emacs…): the Summary lens shows the table as a
 * message (Neovim's client shows `window/showMessage`) and returns it as the result.
 */
function executeCommand(context: ServerContext, command: string, args: readonly unknown[]): string {
  const [uri, model] = args;
  if (command === commands.showSummary) {
    if (typeof uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, `${command} takes the URI of an open .model file and, optionally, a model name`);
    const summary = summaryOf(context, uri, typeof model === 'string' ? model : undefined);
    if (!summary) throw new ResponseError(ErrorCodes.InvalidParams, summary === null ? `${uri} is not open in the server` : 'no model to summarise in this file');
    // A notification, not `showInformationMessage` (a request that waits for the user to pick an action).
    void context.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message: summary });
    return summary;
  }
  if (command === commands.showModelGraph) {
    throw new ResponseError(ErrorCodes.InvalidRequest, `${command} runs in Layerlab's VS Code extension; from a terminal: layerlab graph FILE --model NAME --out graph.svg`);
  }
  if (command === commands.train || command === commands.tune) {
    const verb = command === commands.train ? 'train' : 'tune';
    throw new ResponseError(ErrorCodes.InvalidRequest, `${command} runs in Layerlab's VS Code extension; from a terminal: layerlab ${verb} FILE --model NAME`);
  }
  throw new ResponseError(ErrorCodes.InvalidRequest, `Layerlab's server has no command ${command}`);
}

/**
 * Every request the server answers, one small handler each: read the cached analysis, call a
 * protocol-free feature, convert its result in to-proto.ts.
 */
export const handlers: readonly Registration[] = [
  request(HoverRequest.type, (context, { textDocument, position }) => {
    const analysis = context.analysisOf(textDocument.uri);
    const result = analysis && hover(analysis, offsetOf(analysis, position));
    return analysis && result ? proto.hover(analysis, result) : null;
  }),

  request(CompletionRequest.type, (context, { textDocument, position, context: completion }) => {
    const analysis = context.analysisOf(textDocument.uri);
    if (!analysis) return null;
    const snippets = context.capabilities().textDocument?.completion?.completionItem?.snippetSupport ?? false;
    const trigger = completion?.triggerKind === CompletionTriggerKind.TriggerCharacter ? completion.triggerCharacter : undefined;
    const result = complete(analysis, offsetOf(analysis, position), trigger);
    return { isIncomplete: false, items: result.items.map((item) => proto.completionItem(analysis, item, result.replace, snippets)) };
  }),

  request(SignatureHelpRequest.type, (context, { textDocument, position }) => {
    const analysis = context.analysisOf(textDocument.uri);
    const help = analysis ? signatureHelp(analysis, offsetOf(analysis, position)) : undefined;
    return help ? proto.signatureHelp(help) : null;
  }),

  request(DefinitionRequest.type, (context, { textDocument, position }) => {
    const analysis = context.analysisOf(textDocument.uri);
    if (!analysis) return null;
    return definition(analysis, offsetOf(analysis, position)).map((r) => proto.location(analysis, textDocument.uri, r));
  }),

  request(ReferencesRequest.type, (context, { textDocument, position, context: options }) => {
    const analysis = context.analysisOf(textDocument.uri);
    if (!analysis) return null;
    return references(analysis, offsetOf(analysis, position), options.includeDeclaration).map((r) => proto.location(analysis, textDocument.uri, r));
  }),

  request(PrepareRenameRequest.type, (context, { textDocument, position }) => {
    const analysis = context.analysisOf(textDocument.uri);
    const found = analysis ? prepareRename(analysis, offsetOf(analysis, position)) : undefined;
    return found && analysis ? { range: proto.range(analysis, found.range), placeholder: found.placeholder } : null;
  }),

  request(RenameRequest.type, (context, { textDocument, position, newName }) => {
    if (typeof newName !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, 'rename needs newName, a string');
    const analysis = context.analysisOf(textDocument.uri);
    if (!analysis) return null;
    const result = rename(analysis, offsetOf(analysis, position), newName);
    if ('error' in result) throw new Error(result.error);
    return proto.workspaceEdit(analysis, textDocument.uri, result.edits);
  }),

  request(DocumentSymbolRequest.type, (context, { textDocument }) => {
    const analysis = context.analysisOf(textDocument.uri);
    if (!analysis) return null;
    const budget = budgetFor(context, 'documentSymbol');
    const symbols = outline(analysis, budget).map((item) => proto.documentSymbol(analysis, item));
    reportPartial(context, 'documentSymbol', textDocument.uri, budget);
    return symbols;
  }),

  request(FoldingRangeRequest.type, (context, { textDocument }) => {
    const analysis = context.analysisOf(textDocument.uri);
    return analysis ? foldingRanges(analysis).map(proto.foldingRange) : null;
  }),

  request(DocumentFormattingRequest.type, (context, { textDocument, options }) => {
    const analysis = context.analysisOf(textDocument.uri);
    if (!analysis) return null;
    const budget = budgetFor(context, 'formatting');
    try {
      const edits = formatText(analysis.text, { tabSize: options.tabSize, insertSpaces: options.insertSpaces }, { parsed: analysis.parse, budget });
      return edits ? edits.map((e) => proto.textEdit(analysis, e)) : null;
    } catch (error) {
      if (!(error instanceof BudgetSpent)) throw error;
      const megabytes = (analysis.text.length / (1024 * 1024)).toFixed(1);
      throw new ResponseError(LSPErrorCodes.RequestFailed, `Layerlab did not format this ${megabytes} MB file: formatting ${error.message}. Nothing was changed.`);
    }
  }),

  request(CodeActionRequest.type, (context, { textDocument, range }) => {
    const analysis = context.analysisOf(textDocument.uri);
    if (!analysis) return null;
    const offsets = { start: offsetOf(analysis, range.start), end: offsetOf(analysis, range.end) };
    const actions = codeActions(analysis, offsets).map((a) => proto.codeAction(analysis, textDocument.uri, a));
    const tune = tuneAt(analysis, offsets);
    const best = tune && context.tuneResults.lookupFor(textDocument.uri)(tune);
    if (tune && best) {
      const edits = applyBestValuesEdits(analysis, tune, best);
      const values = Object.entries(best.values).map(([name, value]) => `${name}=${formatSearchedValue(value)}`).join(', ');
      if (edits.length) actions.push(proto.applyBestValuesAction(analysis, textDocument.uri, values, edits));
    }
    return actions;
  }),

  request(CodeLensRequest.type, (context, { textDocument }) => {
    const analysis = context.analysisOf(textDocument.uri);
    if (!analysis) return null;
    const settings = context.settings();
    return codeLenses(analysis, textDocument.uri, { trainAvailable: settings.trainAvailable, graphAvailable: settings.clientCommands }).map((lens) => proto.codeLens(analysis, lens));
  }),

  request(InlayHintRequest.type, (context, { textDocument, range }) => {
    const analysis = context.analysisOf(textDocument.uri);
    if (!analysis) return null;
    const offsets = { start: offsetOf(analysis, range.start), end: offsetOf(analysis, range.end) };
    const budget = budgetFor(context, 'inlayHint');
    const hints = [...inlayHints(analysis, offsets, context.settings().inlayHints, budget), ...tuneResultHints(analysis, context.tuneResults.lookupFor(textDocument.uri), offsets)];
    reportPartial(context, 'inlayHint', textDocument.uri, budget);
    return hints.map((h) => proto.inlayHint(analysis, h));
  }),

  request(SemanticTokensRequest.type, (context, { textDocument }) => {
    const analysis = context.analysisOf(textDocument.uri);
    if (!analysis) return proto.noSemanticTokens();
    const budget = budgetFor(context, 'semanticTokens');
    const tokens = proto.semanticTokens(analysis, semanticTokens(analysis, budget), budget);
    reportPartial(context, 'semanticTokens', textDocument.uri, budget);
    return tokens;
  }),

  request(ExecuteCommandRequest.type, (context, { command, arguments: args = [] }) => executeCommand(context, command, args)),

  customRequest(summaryRequest, (context, { uri, model }) => summaryOf(context, uri, model)),

  customRequest(modelAtRequest, (context, { uri, position }) => {
    const analysis = context.analysisOf(uri);
    if (!analysis) return null;
    const model = modelAt(analysis, offsetOf(analysis, position));
    return model ? (modelTotals(model) ?? null) : null;
  }, { position: true }),

  customRequest(kerasCodeRequest, (context, { uri, position, model }) => {
    const analysis = context.analysisOf(uri);
    if (!analysis) return null;
    const target = model !== undefined ? analysis.models.find((m) => m.name === model) : position ? modelAt(analysis, offsetOf(analysis, position)) : undefined;
    if (!target) return null;
    const script = kerasScript(analysis, target, scriptPlace(uri));
    return script.kind === 'error' ? { error: `line ${script.line}: ${script.message}` } : { code: script.code, kind: script.kind };
  }),

  customRequest(modelGraphRequest, (context, { uri, model, position }) => {
    const analysis = context.analysisOf(uri);
    if (!analysis) return null;
    const target = graphModel(analysis, model, position ? offsetOf(analysis, position) : undefined);
    return { models: analysis.models.map((m) => m.name), graph: (target && modelGraph(analysis, target)) ?? null };
  }),

  customNotification(tuneResultsChangedNotification, (context) => {
    context.tuneResults.clear();
    if (context.capabilities().workspace?.inlayHint?.refreshSupport) void context.connection.languages.inlayHint.refresh();
  }),
];

/** For a script copied from a .model file on disk: the file's name, and its folder for the data paths it names. */
function scriptPlace(uri: string): { source?: string; modelFolder?: ModelFolder } {
  if (!uri.startsWith('file:')) return {};
  try {
    const path = fileURLToPath(uri);
    return { source: basename(path), modelFolder: { absolute: dirname(path) } };
  } catch {
    return {};
  }
}
