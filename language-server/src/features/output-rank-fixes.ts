import { analyzeText, type FileAnalysis } from '../analysis/analyze-file.js';
import type { Diagnostic } from '../analysis/diagnostics.js';
import { firstDenseOnFeatureMap, globalPoolingFor } from '../analysis/output-rank.js';
import type { Declaration, Range, TrainDeclaration, TuneDeclaration } from '../syntax/ast.js';
import type { TextEdit } from './navigation.js';

export interface OutputRankFix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  readonly preferred: boolean;
}

/** The text of `ranges` (declarations, in file order) joined by new lines, with the edits that fall inside them applied. */
function excerpt(text: string, ranges: readonly Range[], edits: readonly TextEdit[]): string {
  return [...ranges]
    .sort((a, b) => a.start - b.start)
    .map((range) => {
      const inside = edits.filter((e) => e.range.start >= range.start && e.range.end <= range.end).sort((a, b) => b.range.start - a.range.start);
      return inside.reduce((t, e) => t.slice(0, e.range.start - range.start) + e.newText + t.slice(e.range.end - range.start), text.slice(range.start, range.end));
    })
    .join('\n');
}

/** The declarations a model needs to be analysed: itself and the models it is a variant of. */
function modelChain(analysis: FileAnalysis, name: string): Declaration[] {
  const chain: Declaration[] = [];
  const seen = new Set<string>();
  for (let current = analysis.models.find((m) => m.name === name); current && !seen.has(current.name); current = current.variantOf ? analysis.models.find((m) => m.name === current?.variantOf) : undefined) {
    seen.add(current.name);
    chain.push(current.declaration);
  }
  return chain;
}

/**
 * Quick fixes for a model whose output is not one value per class (the `output-rank` error on a `train`
 * or `tune` block): Flatten() before the first Dense that gets a feature map, or the global pooling
 * layer of that map. Each is offered only when the model with it, analysed again with its block, is free of the error.
 */
export function outputRankFixes(analysis: FileAnalysis, diagnostic: Diagnostic): OutputRankFix[] {
  const { text } = analysis;
  const block = analysis.parse.ast.declarations.find((d): d is TrainDeclaration | TuneDeclaration => d.kind !== 'model' && d.models.some((m) => m.range.start === diagnostic.range.start));
  const name = block?.models.find((m) => m.range.start === diagnostic.range.start)?.name;
  const model = name !== undefined ? analysis.models.find((m) => m.name === name) : undefined;
  const evaluated = model?.evaluated;
  const dense = evaluated ? firstDenseOnFeatureMap(evaluated) : undefined;
  const featureMap = dense?.inputShapes[0];
  if (!block || !name || !dense || !featureMap) return [];

  const statement = dense.statement;
  const lineNumber = analysis.lines.positionAt(statement.range.start).line;
  const lineStart = analysis.lines.lineStart(lineNumber);
  const indent = /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
  const aloneOnLine = text.slice(lineStart, statement.range.start).trim() === '';
  const insert = (layer: string): TextEdit =>
    aloneOnLine ? { range: { start: lineStart, end: lineStart }, newText: `${indent}${layer}\n` } : { range: { start: statement.range.start, end: statement.range.start }, newText: `${layer}\n${indent}` };

  const ranges = [...modelChain(analysis, name).map((d) => d.range), block.range];
  const remaining = (edits: readonly TextEdit[]) => analyzeText(excerpt(text, ranges, edits)).diagnostics.filter((d) => d.severity === 'error');
  const before = remaining([]).length;
  const fixes = (edits: readonly TextEdit[]): boolean => {
    const after = remaining(edits);
    return after.length < before && !after.some((d) => d.code === 'output-rank');
  };

  const line = lineNumber + 1;
  const candidates = [{ layer: 'Flatten()', preferred: true }, ...(globalPoolingFor(featureMap) ? [{ layer: `${globalPoolingFor(featureMap)}()`, preferred: false }] : [])];
  return candidates
    .map(({ layer, preferred }) => ({ title: `Insert ${layer} before the Dense on line ${line}`, edits: [insert(layer)], preferred }))
    .filter((fix) => fixes(fix.edits));
}
