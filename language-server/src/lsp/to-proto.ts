import {
  CodeActionKind,
  CompletionItemKind,
  DiagnosticSeverity,
  DiagnosticTag,
  FoldingRangeKind,
  InsertTextFormat,
  InlayHintKind,
  MarkupKind,
  SymbolKind,
  SemanticTokensBuilder,
  type CodeAction,
  type CodeLens,
  type Hover,
  type Location,
  type SemanticTokens,
  type SignatureHelp,
  type WorkspaceEdit,
  type CompletionItem,
  type Diagnostic,
  type DocumentSymbol,
  type FoldingRange,
  type InlayHint,
  type Range,
  type TextEdit,
} from 'vscode-languageserver';
import type { FileAnalysis } from '../analysis/analyze-file.js';
import type { Diagnostic as CoreDiagnostic } from '../analysis/diagnostics.js';
import type { Budget } from '../features/budget.js';
import type { CodeAction as CoreCodeAction } from '../features/code-actions.js';
import type { CodeLens as CoreCodeLens } from '../features/code-lens.js';
import type { Hover as CoreHover } from '../features/hover.js';
import { semanticTokenTypes, type SemanticToken } from '../features/semantic-tokens.js';
import type { SignatureHelp as CoreSignatureHelp } from '../features/signature-help.js';
import type { CompletionItem as CoreCompletionItem, CompletionKind } from '../features/completion.js';
import type { InlayHint as CoreInlayHint } from '../features/inlay-hints.js';
import type { TextEdit as CoreTextEdit } from '../features/navigation.js';
import type { FoldingRange as CoreFoldingRange, OutlineItem } from '../features/outline.js';
import type { Range as CoreRange } from '../syntax/ast.js';

/** The one place where offsets become LSP positions (UTF-16 units: JavaScript string indices). */
export function range(analysis: FileAnalysis, r: CoreRange): Range {
  return { start: analysis.lines.positionAt(r.start), end: analysis.lines.positionAt(r.end) };
}

const severities = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
} as const;

export function diagnostic(analysis: FileAnalysis, d: CoreDiagnostic): Diagnostic {
  return {
    range: range(analysis, d.range),
    severity: severities[d.severity],
    code: d.code,
    source: 'layerlab',
    message: d.message,
    ...(d.deprecated ? { tags: [DiagnosticTag.Deprecated] } : {}),
  };
}

export function textEdit(analysis: FileAnalysis, edit: CoreTextEdit): TextEdit {
  return { range: range(analysis, edit.range), newText: edit.newText };
}

const completionKinds: Record<CompletionKind, CompletionItemKind> = {
  layer: CompletionItemKind.Class,
  keyword: CompletionItemKind.Keyword,
  argument: CompletionItemKind.Property,
  value: CompletionItemKind.EnumMember,
  label: CompletionItemKind.Variable,
  dataset: CompletionItemKind.Constant,
  model: CompletionItemKind.Module,
  setting: CompletionItemKind.Field,
  parameter: CompletionItemKind.Variable,
  object: CompletionItemKind.Constructor,
};

export function completionItem(analysis: FileAnalysis, item: CoreCompletionItem, replace: CoreRange, snippets: boolean): CompletionItem {
  const insertText = item.snippet && !snippets ? item.insertText.replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\d+/g, '') : item.insertText;
  return {
    label: item.label,
    kind: completionKinds[item.kind],
    ...(item.detail ? { detail: item.detail } : {}),
    ...(item.documentation ? { documentation: { kind: MarkupKind.Markdown, value: item.documentation } } : {}),
    textEdit: { range: range(analysis, replace), newText: insertText },
    insertTextFormat: item.snippet && snippets ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    ...(item.sortText ? { sortText: item.sortText } : {}),
  };
}

export function inlayHint(analysis: FileAnalysis, hint: CoreInlayHint): InlayHint {
  return {
    position: analysis.lines.positionAt(hint.offset),
    label: hint.label,
    kind: InlayHintKind.Type,
    paddingLeft: true,
    ...(hint.tooltip ? { tooltip: hint.tooltip } : {}),
  };
}

const symbolKinds = { model: SymbolKind.Class, layer: SymbolKind.Field, input: SymbolKind.Variable, output: SymbolKind.Variable, block: SymbolKind.Namespace, train: SymbolKind.Event, tune: SymbolKind.Event } as const;

export function documentSymbol(analysis: FileAnalysis, item: OutlineItem): DocumentSymbol {
  return {
    name: item.name,
    detail: item.detail,
    kind: symbolKinds[item.kind],
    range: range(analysis, item.range),
    selectionRange: range(analysis, item.selection),
    children: item.children.map((c) => documentSymbol(analysis, c)),
  };
}

export function foldingRange(item: CoreFoldingRange): FoldingRange {
  return { startLine: item.startLine, endLine: item.endLine, ...(item.kind === 'comment' ? { kind: FoldingRangeKind.Comment } : {}) };
}

export function codeAction(analysis: FileAnalysis, uri: string, action: CoreCodeAction): CodeAction {
  return {
    title: action.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic(analysis, action.diagnostic)],
    isPreferred: action.preferred,
    edit: { changes: { [uri]: action.edits.map((e) => textEdit(analysis, e)) } },
  };
}

export function hover(analysis: FileAnalysis, result: CoreHover): Hover {
  return { contents: { kind: 'markdown', value: result.contents }, range: range(analysis, result.range) };
}

export function signatureHelp(help: CoreSignatureHelp): SignatureHelp {
  return {
    signatures: [{ label: help.label, documentation: { kind: 'markdown', value: help.documentation }, parameters: help.parameters.map((p) => ({ label: [p.label[0], p.label[1]], documentation: p.documentation })) }],
    activeSignature: 0,
    activeParameter: help.activeParameter,
  };
}

export function location(analysis: FileAnalysis, uri: string, r: CoreRange): Location {
  return { uri, range: range(analysis, r) };
}

/** Edits of one document as a workspace edit. */
export function workspaceEdit(analysis: FileAnalysis, uri: string, edits: readonly CoreTextEdit[]): WorkspaceEdit {
  return { changes: { [uri]: edits.map((e) => textEdit(analysis, e)) } };
}

/** The `tune` block's "Apply best values (…)" refactoring. */
export function applyBestValuesAction(analysis: FileAnalysis, uri: string, values: string, edits: readonly CoreTextEdit[]): CodeAction {
  return { title: `Apply best values (${values})`, kind: 'refactor.rewrite', edit: workspaceEdit(analysis, uri, edits) };
}

export function codeLens(analysis: FileAnalysis, lens: CoreCodeLens): CodeLens {
  return {
    range: range(analysis, lens.range),
    command: { title: lens.title, command: lens.command?.id ?? '', ...(lens.command ? { arguments: [...lens.command.arguments] } : {}) },
  };
}

/** Semantic tokens, relative-encoded; each pushed token counts against `budget`, which stops the encoding when spent. */
export function semanticTokens(analysis: FileAnalysis, tokens: readonly SemanticToken[], budget: Budget): SemanticTokens {
  const builder = new SemanticTokensBuilder();
  for (const token of tokens) {
    if (!budget.take()) break;
    const start = analysis.lines.positionAt(token.range.start);
    builder.push(start.line, start.character, token.range.end - token.range.start, semanticTokenTypes.indexOf(token.type), token.declaration ? 1 : 0);
  }
  return builder.build();
}

/** Semantic tokens of a document the server does not have. */
export function noSemanticTokens(): SemanticTokens {
  return new SemanticTokensBuilder().build();
}
