import type { FileAnalysis } from '../analysis/analyze-file.js';
import type { Diagnostic } from '../analysis/diagnostics.js';
import type { CallExpression, Declaration, Range, Statement } from '../syntax/ast.js';
import type { TextEdit } from './navigation.js';

export interface CodeAction {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  /** The diagnostic the action fixes. */
  readonly diagnostic: Diagnostic;
  readonly preferred: boolean;
}

function overlaps(a: Range, b: Range): boolean {
  return a.start <= b.end && b.start <= a.end;
}

function callsIn(declarations: readonly Declaration[]): CallExpression[] {
  const calls: CallExpression[] = [];
  const statements = (list: readonly Statement[]) => {
    for (const s of list) {
      if (s.kind === 'layer') calls.push(s.call);
      if (s.kind === 'repeat' || s.kind === 'if') statements(s.body);
    }
  };
  for (const d of declarations) {
    if (d.kind === 'model') statements(d.body ?? []);
    else for (const s of d.settings) if (s.value.kind === 'call') calls.push(s.value);
  }
  return calls;
}

function statementAt(declarations: readonly Declaration[], range: Range): Statement | undefined {
  let found: Statement | undefined;
  const walk = (list: readonly Statement[]) => {
    for (const s of list) {
      if (s.range.start <= range.start && range.end <= s.range.end) found = s;
      if (s.kind === 'repeat' || s.kind === 'if') walk(s.body);
    }
  };
  for (const d of declarations) if (d.kind === 'model') walk(d.body ?? []);
  return found;
}

/** Removes `, arg` (or `arg, `) so the call stays well formed. */
function removeArgument(call: CallExpression, index: number): TextEdit | undefined {
  const arg = call.args[index];
  if (!arg) return undefined;
  const previous = call.args[index - 1];
  const next = call.args[index + 1];
  if (previous) return { range: { start: previous.range.end, end: arg.range.end }, newText: '' };
  if (next) return { range: { start: arg.range.start, end: next.range.start }, newText: '' };
  return { range: arg.range, newText: '' };
}

/** Quick fixes for the diagnostics that overlap `range`. */
export function codeActions(analysis: FileAnalysis, range: Range): CodeAction[] {
  const actions: CodeAction[] = [];
  const { text } = analysis;
  const declarations = analysis.parse.ast.declarations;
  for (const diagnostic of analysis.diagnostics) {
    if (!overlaps(diagnostic.range, range)) continue;
    const replacements = diagnostic.replacements ?? [];
    switch (diagnostic.code) {
      case 'unknown-layer':
      case 'unknown-argument':
      case 'argument-type':
      case 'unknown-setting':
      case 'setting-type':
      case 'label':
      case 'input':
      case 'train':
      case 'variant':
      case 'search-space':
        replacements.forEach((replacement, i) =>
          actions.push({ title: `Change to \`${replacement}\``, edits: [{ range: diagnostic.range, newText: replacement }], diagnostic, preferred: i === 0 }),
        );
        break;
      case 'output-width': {
        const call = callsIn(declarations).find((c) => c.range.start === diagnostic.range.start);
        const units = call?.args.find((a) => a.name === undefined || a.name.name === 'units');
        const classes = replacements[0];
        if (units && classes) actions.push({ title: `Set the output width to ${classes} (the number of classes)`, edits: [{ range: units.value.range, newText: classes }], diagnostic, preferred: true });
        break;
      }
      case 'from-logits': {
        const call = callsIn(declarations).find((c) => c.range.start >= diagnostic.range.start && c.range.end <= diagnostic.range.end && c.args.some((a) => a.name?.name === 'from_logits'));
        const index = call?.args.findIndex((a) => a.name?.name === 'from_logits') ?? -1;
        const edit = call && index >= 0 ? removeArgument(call, index) : undefined;
        if (edit) actions.push({ title: 'Remove from_logits=true (the model already ends in softmax)', edits: [edit], diagnostic, preferred: true });
        break;
      }
      case 'rank': {
        if (!replacements.includes('Flatten()')) break;
        const statement = statementAt(declarations, diagnostic.range);
        if (!statement) break;
        const lineStart = analysis.lines.lineStart(analysis.lines.positionAt(statement.range.start).line);
        const indent = /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
        actions.push({ title: 'Insert Flatten() before this layer', edits: [{ range: { start: lineStart, end: lineStart }, newText: `${indent}Flatten()\n` }], diagnostic, preferred: true });
        break;
      }
      case 'unused-label': {
        const statement = statementAt(declarations, diagnostic.range);
        if (statement && (statement.kind === 'layer' || statement.kind === 'input') && statement.label) {
          const valueStart = statement.kind === 'layer' ? statement.call.range.start : statement.keyword.start;
          actions.push({ title: `Remove the unused label \`${statement.label.name}\``, edits: [{ range: { start: statement.label.range.start, end: valueStart }, newText: '' }], diagnostic, preferred: false });
        }
        break;
      }
      default:
        break;
    }
  }
  return actions;
}
