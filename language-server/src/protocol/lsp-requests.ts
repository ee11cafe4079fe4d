import type { ModelTotalsSummary } from '../features/model-at.js';
import type { ModelGraph } from '../features/model-graph.js';

/**
 * The requests and notifications Layerlab's server answers beyond LSP: the one
 * definition the server (lsp/server.ts) and the VS Code extension both import.
 *
 * Plain method names with their params and result as types, not
 * vscode-jsonrpc `RequestType` objects: the server and the language client
 * each bundle their own copy of vscode-jsonrpc, and a `RequestType` made with
 * one does not type-check with the other (the class has private members).
 * Type-only imports: this file holds no code that pulls a module in.
 */
export class CustomRequest<Params, Result> {
  declare readonly params: Params;
  declare readonly result: Result;
  constructor(readonly method: string) {}
}

export class CustomNotification<Params> {
  declare readonly params: Params;
  constructor(readonly method: string) {}
}

/** A position in LSP terms: zero-based line and UTF-16 character. */
export interface LspPosition {
  readonly line: number;
  readonly character: number;
}

/** Totals of the model at the cursor, for the status bar. */
export type ModelTotals = ModelTotalsSummary;

export interface SummaryParams {
  readonly uri: string;
  /** Only this model (default: every model of the file). */
  readonly model?: string;
}

export interface ModelAtParams {
  readonly uri: string;
  readonly position: LspPosition;
}

export interface KerasCodeParams {
  readonly uri: string;
  /** The model at this position, unless `model` names one. */
  readonly position?: LspPosition;
  readonly model?: string;
}

export interface ModelGraphParams {
  readonly uri: string;
  /** This model; else the one whose declaration holds `position`; else the file's first. */
  readonly model?: string;
  readonly position?: LspPosition;
}

export interface ModelGraphResult {
  /** Every model of the file, for a picker. */
  readonly models: readonly string[];
  /** The model's graph; null when the file has no such model, or it could not be analysed at all. */
  readonly graph: ModelGraph | null;
}

/** The summary tables of a file's models, as `layerlab summary` prints them; null for a file the server does not have open. */
export const summaryRequest = new CustomRequest<SummaryParams, string | null>('layerlab/summary');

/** Totals of the model whose declaration (or `train`/`tune` block) holds the position; null elsewhere. */
export const modelAtRequest = new CustomRequest<ModelAtParams, ModelTotals | null>('layerlab/modelAt');

/**
 * What Copy as Keras Code copies: a runnable Keras 3 script (`script`: the model, its data and its training,
 * when a `train` block trains it; `model`: the model builder alone), or why the model cannot be exported.
 */
export type KerasCodeResult = { readonly code: string; readonly kind: 'script' | 'model' } | { readonly error: string };

/** The Keras code of a model; null when there is no such model. */
export const kerasCodeRequest = new CustomRequest<KerasCodeParams, KerasCodeResult | null>('layerlab/kerasCode');

/** A model as a graph, for the graph view (laid out and drawn there, never in the server); null for a file the server does not have open. */
export const modelGraphRequest = new CustomRequest<ModelGraphParams, ModelGraphResult | null>('layerlab/modelGraph');

/** A search wrote new results: the server reads them again for its hints and actions. */
export const tuneResultsChangedNotification = new CustomNotification<undefined>('layerlab/tuneResultsChanged');
