import { analyzeText, type FileAnalysis } from '../analysis/analyze-file.js';
import type { Diagnostic } from '../analysis/diagnostics.js';
import { findLayer } from '../catalog/layers.js';
import type { LayerSpec } from '../catalog/types.js';
import type { Argument, CallExpression, Declaration, Expression, LayerStatement, ModelDeclaration, Range, Statement } from '../syntax/ast.js';
import { allStatements, walkModelStatements } from '../syntax/walk.js';
import { instancesOf, modelOf } from './locate.js';
import { outputRankFixes } from './output-rank-fixes.js';
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
  for (const d of declarations) {
    if (d.kind === 'model') calls.push(...layerStatements(d.body ?? []).map((s) => s.call));
    else for (const s of d.settings) if (s.value.kind === 'call') calls.push(s.value);
  }
  return calls;
}

function statementAt(declarations: readonly Declaration[], range: Range): Statement | undefined {
  // The innermost: a block's body comes after the block.
  let found: Statement | undefined;
  walkModelStatements(declarations, (s) => {
    if (s.range.start <= range.start && range.end <= s.range.end) found = s;
  });
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

/** The argument that gives `name` in a call, by keyword or by its Keras position. */
function argumentFor(call: CallExpression, spec: LayerSpec, name: string): Argument | undefined {
  const named = call.args.find((a) => a.name?.name === name || (a.name && spec.args.find((s) => s.name === name)?.aliases?.includes(a.name.name)));
  if (named) return named;
  const position = spec.args.findIndex((s) => s.name === name);
  return call.args.filter((a) => a.name === undefined)[position];
}

/** The whole numbers of `2` or `(3, 3)` as written; undefined for anything else (a parameter, an expression). */
function literalInts(value: Expression): { readonly values: readonly number[]; readonly tuple: boolean } | undefined {
  const isInt = (e: Expression): e is Expression & { kind: 'number'; value: number } => e.kind === 'number' && Number.isInteger(e.value) && e.value >= 1;
  if (isInt(value)) return { values: [value.value], tuple: false };
  if (value.kind === 'tuple' && value.items.length > 0 && value.items.every(isInt)) return { values: value.items.map((i) => (i as { value: number }).value), tuple: true };
  return undefined;
}

/** Removes a statement: its whole line when it is alone there (a trailing comment goes with it). */
function removeStatement(text: string, statement: Statement): TextEdit {
  const lineStart = text.lastIndexOf('\n', statement.range.start - 1) + 1;
  const newline = text.indexOf('\n', statement.range.end);
  const lineEnd = newline < 0 ? text.length : newline;
  const alone = text.slice(lineStart, statement.range.start).trim() === '' && /^\s*(#.*)?$/.test(text.slice(statement.range.end, lineEnd));
  if (alone) return { range: { start: lineStart, end: newline < 0 ? lineEnd : newline + 1 }, newText: '' };
  let end = statement.range.end;
  while (end < lineEnd && (text[end] === ' ' || text[end] === '\t')) end++;
  return { range: { start: statement.range.start, end }, newText: '' };
}

function applyEdits(text: string, edits: readonly TextEdit[], shift = 0): string {
  return [...edits].sort((a, b) => b.range.start - a.range.start).reduce((t, e) => t.slice(0, e.range.start - shift) + e.newText + t.slice(e.range.end - shift), text);
}

/** Where `offset` lands once `edits` are applied. */
function mapOffset(offset: number, edits: readonly TextEdit[]): number {
  let mapped = offset;
  for (const e of edits) {
    if (e.range.end <= offset) mapped += e.newText.length - (e.range.end - e.range.start);
    else if (e.range.start < offset) mapped = Math.min(mapped, e.range.start + e.newText.length);
  }
  return mapped;
}

/**
 * Tries edits on a copy of one model declaration and analyses it again: an edit fixes the layer if no
 * spatial-size error is left on it, the model has no more errors than before, and none of a new kind (a later
 * layer may run out of size instead, with quick fixes of its own; a removed label must not leave a reference behind).
 */
class Trial {
  /** Milliseconds of analysis the trials of one layer may take: a model of thousands of layers gets fewer fixes, never a slow reply. */
  static readonly budget = 400;
  private readonly source: string;
  private readonly errorsBefore: number;
  private readonly messagesBefore: ReadonlySet<string>;
  private spent = 0;

  constructor(
    private readonly declaration: ModelDeclaration,
    text: string,
  ) {
    this.source = text.slice(declaration.range.start, declaration.range.end);
    const before = this.errors(this.source);
    this.errorsBefore = before.length;
    this.messagesBefore = new Set(before.map((d) => `${d.code}:${d.message}`));
  }

  private errors(source: string): Diagnostic[] {
    const start = performance.now();
    const errors = analyzeText(source).diagnostics.filter((d) => d.severity === 'error');
    this.spent += performance.now() - start;
    return errors;
  }

  /** Undefined when the edits do not fix `layer` (or the time for trials is spent); else whether they leave the model with fewer errors. */
  fixes(edits: readonly TextEdit[], layer: Range): { readonly fewerErrors: boolean } | undefined {
    if (this.spent > Trial.budget) return undefined;
    const shift = this.declaration.range.start;
    const after = this.errors(applyEdits(this.source, edits, shift));
    if (after.length > this.errorsBefore) return undefined;
    if (after.some((d) => d.code !== 'spatial-too-small' && !this.messagesBefore.has(`${d.code}:${d.message}`))) return undefined;
    const start = mapOffset(layer.start, edits) - shift;
    const end = mapOffset(layer.end, edits) - shift;
    if (after.some((d) => d.code === 'spatial-too-small' && d.range.start >= start && d.range.end <= end)) return undefined;
    return { fewerErrors: after.length < this.errorsBefore };
  }
}

function layerStatements(statements: readonly Statement[]): LayerStatement[] {
  return allStatements(statements).filter((s): s is LayerStatement => s.kind === 'layer');
}

/**
 * Quick fixes for a spatial size that reaches zero, each checked by analysing the edited model again:
 * padding=same on the layer; the largest smaller kernel (or pool size) that fits; removing the pooling layer that
 * fails, or else the nearest pooling layer that shrank the input on the way.
 */
function spatialFixes(analysis: FileAnalysis, diagnostic: Diagnostic, statement: LayerStatement): CodeAction[] {
  const { text } = analysis;
  const declaration = analysis.parse.ast.declarations.find((d): d is ModelDeclaration => d.kind === 'model' && d.body !== undefined && d.range.start <= statement.range.start && statement.range.end <= d.range.end);
  const spec = findLayer(statement.call.callee.name);
  if (!declaration || !spec) return [];
  const trial = new Trial(declaration, text);
  const call = statement.call;
  const found: { title: string; edits: TextEdit[]; fewerErrors: boolean }[] = [];
  const attempt = (title: string, edits: TextEdit[]): boolean => {
    const result = trial.fixes(edits, statement.range);
    if (result) found.push({ title, edits, fewerErrors: result.fewerErrors });
    return result !== undefined;
  };

  const padding = spec.args.find((a) => a.name === 'padding');
  if (padding?.type.kind === 'enum' && padding.type.values.includes('same')) {
    const given = argumentFor(call, spec, 'padding');
    const value = given?.value;
    const literal = value && ((value.kind === 'name' && padding.type.values.includes(value.name)) || (value.kind === 'string' && padding.type.values.includes(value.value)));
    const isSame = value && ((value.kind === 'name' && value.name === 'same') || (value.kind === 'string' && value.value === 'same'));
    const last = call.args[call.args.length - 1];
    const closing = call.closed && text[call.range.end - 1] === ')' ? call.range.end - 1 : undefined;
    let edit: TextEdit | undefined;
    if (given && value && literal && !isSame) edit = { range: value.range, newText: 'same' };
    else if (!given && last) edit = { range: { start: last.range.end, end: last.range.end }, newText: ', padding=same' };
    else if (!given && closing !== undefined) edit = { range: { start: closing, end: closing }, newText: 'padding=same' };
    if (edit) attempt('Use padding=same', [edit]);
  }

  const pooling = spec.family === 'pooling';
  const sizeName = pooling ? 'pool_size' : 'kernel_size';
  const size = spec.args.some((a) => a.name === sizeName) ? argumentFor(call, spec, sizeName) : undefined;
  const written = size ? literalInts(size.value) : undefined;
  if (size && written) {
    const candidate = (t: number) => {
      const values = written.values.map((v) => Math.min(v, t));
      const newText = written.tuple ? `(${values.join(', ')})` : String(values[0]);
      return { title: `Use a smaller ${pooling ? 'pool size' : 'kernel'}: ${sizeName}=${newText}`, edits: [{ range: size.value.range, newText }] };
    };
    // The largest size that fits: a smaller kernel never makes a size smaller, so when one size fits every smaller
    // one does, and a binary search finds the largest.
    // A pool size of 1 does nothing: removing the layer says that better.
    let low = pooling ? 2 : 1;
    let high = written.values.reduce((a, b) => Math.max(a, b), 0) - 1;
    let fits: { title: string; edits: TextEdit[]; fewerErrors: boolean } | undefined;
    while (low <= high) {
      const t = Math.floor((low + high) / 2);
      const { title, edits } = candidate(t);
      const result = trial.fixes(edits, statement.range);
      if (result) {
        fits = { title, edits, fewerErrors: result.fewerErrors };
        low = t + 1;
      } else high = t - 1;
    }
    if (fits) found.push(fits);
  }

  if (pooling) attempt('Remove this pooling layer', [removeStatement(text, statement)]);
  else {
    // The pooling layers that ran last before the failure (in a `repeat`, one further down may have run before it).
    const model = modelOf(analysis, declaration);
    const pools = layerStatements(declaration.body ?? [])
      .filter((s) => s !== statement && findLayer(s.call.callee.name)?.family === 'pooling' && !s.call.callee.name.startsWith('Global'))
      .map((s) => ({ s, last: instancesOf(model, s).at(-1)?.index ?? -1 }))
      .filter((p) => p.last >= 0)
      .sort((a, b) => b.last - a.last)
      .slice(0, 3);
    for (const { s } of pools) {
      const line = analysis.lines.positionAt(s.range.start).line + 1;
      if (attempt(`Remove the pooling layer ${text.slice(s.call.range.start, s.call.range.end)} on line ${line}`, [removeStatement(text, s)])) break;
    }
  }

  const best = found.findIndex((f) => f.fewerErrors);
  return found.map((f, i) => ({ title: f.title, edits: f.edits, diagnostic, preferred: i === best }));
}

/** Quick fixes for the diagnostics that overlap `range`. */
export function codeActions(analysis: FileAnalysis, range: Range): CodeAction[] {
  const actions: CodeAction[] = [];
  const { text } = analysis;
  const declarations = analysis.parse.ast.declarations;
  const fixedLayers = new Set<Statement>();
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
      case 'output-rank':
        actions.push(...outputRankFixes(analysis, diagnostic).map((fix) => ({ ...fix, diagnostic })));
        break;
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
      case 'spatial-too-small': {
        const statement = statementAt(declarations, diagnostic.range);
        // One set of fixes per layer, though each repetition or variant may report it.
        if (statement?.kind !== 'layer' || fixedLayers.has(statement)) break;
        fixedLayers.add(statement);
        actions.push(...spatialFixes(analysis, diagnostic, statement));
        break;
      }
      case 'deprecated': {
        // Keras 2 arguments: the diagnostic is on the argument's name.
        const call = callsIn(declarations).find((c) => c.args.some((a) => a.name?.range.start === diagnostic.range.start));
        const index = call?.args.findIndex((a) => a.name?.range.start === diagnostic.range.start) ?? -1;
        const argument = call?.args[index];
        if (!call || !argument?.name) break;
        const name = argument.name.name;
        if (name === 'lr') {
          actions.push({ title: 'Rename `lr` to `learning_rate`', edits: [{ range: argument.name.range, newText: 'learning_rate' }], diagnostic, preferred: true });
          break;
        }
        const removal = removeArgument(call, index);
        if (!removal) break;
        const input = replacements[0];
        const statement = statementAt(declarations, diagnostic.range);
        if (input && statement) {
          const lineStart = analysis.lines.lineStart(analysis.lines.positionAt(statement.range.start).line);
          const indent = /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
          actions.push({ title: `Move \`${name}\` to \`${input}\` before this layer`, edits: [{ range: { start: lineStart, end: lineStart }, newText: `${indent}${input}\n` }, removal], diagnostic, preferred: true });
        } else actions.push({ title: `Remove \`${name}\``, edits: [removal], diagnostic, preferred: true });
        break;
      }
      default:
        break;
    }
  }
  return actions;
}
