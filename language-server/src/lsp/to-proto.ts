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
  type CodeAction,
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
import type { CodeAction as CoreCodeAction } from '../features/code-actions.js';
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
    ...(d.unnecessary ? { tags: [DiagnosticTag.Unnecessary] } : {}),
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

const symbolKinds = { model: SymbolKind.Class, layer: SymbolKind.Field, input: SymbolKind.Variable, block: SymbolKind.Namespace, train: SymbolKind.Event, tune: SymbolKind.Event } as const;

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
