import type { Budget } from './budget.js';
import type { FileAnalysis } from '../analysis/analyze-file.js';
import { findLayer } from '../catalog/layers.js';
import type { Expression, Range, Statement } from '../syntax/ast.js';
import { statementExpression, walkExpression, walkStatements } from '../syntax/walk.js';
import { occurrences } from './symbol-index.js';

/** The token types Layerlab emits, in legend order. */
export const semanticTokenTypes = ['class', 'function', 'variable', 'parameter', 'property', 'enumMember', 'type'] as const;
export const semanticTokenModifiers = ['declaration', 'defaultLibrary'] as const;

export type SemanticTokenType = (typeof semanticTokenTypes)[number];

export interface SemanticToken {
  readonly range: Range;
  readonly type: SemanticTokenType;
  readonly declaration: boolean;
}

/**
 * Meaning the TextMate grammar cannot see: which names are layers, labels,
 * model parameters, argument names, enum values and models.
 */
export function semanticTokens(analysis: FileAnalysis, budget?: Budget): SemanticToken[] {
  const out: SemanticToken[] = [];
  const taken = new Set<number>();
  const push = (range: Range, type: SemanticTokenType, declaration = false) => {
    if (taken.has(range.start) || range.end <= range.start) return;
    taken.add(range.start);
    out.push({ range, type, declaration });
  };
  for (const o of occurrences(analysis)) push(o.range, o.kind === 'model' ? 'type' : o.kind === 'label' ? 'variable' : 'parameter', o.definition);
  // Each token is pushed once (`taken`) and the list sorted at the end, so the order of the walk does not matter.
  const expression = (root: Expression): void => {
    walkExpression(root, (e) => {
      if (e.kind === 'call') {
        push(e.callee.range, findLayer(e.callee.name) ? 'class' : 'function');
        for (const a of e.args) if (a.name) push(a.name.range, 'property');
      } else if (e.kind === 'name') push(e.range, 'enumMember');
    });
  };
  const statements = (list: readonly Statement[]): void => {
    walkStatements(list, (s) => {
      const e = statementExpression(s);
      if (e) expression(e);
    });
  };
  // With a budget, whole declarations are coloured until the time is spent (the first one always); the tokens end there.
  let end = Number.POSITIVE_INFINITY;
  const declarations = analysis.parse.ast.declarations;
  for (const d of declarations) {
    if (d !== declarations[0] && budget?.expired()) {
      end = d.range.start;
      break;
    }
    if (d.kind === 'model') {
      d.parameters.forEach((p) => p.defaultValue && expression(p.defaultValue));
      d.variantOf?.args.forEach((a) => expression(a.value));
      statements(d.body ?? []);
    } else {
      for (const s of d.settings) {
        push(s.name.range, 'property');
        expression(s.value);
      }
    }
  }
  return (end === Number.POSITIVE_INFINITY ? out : out.filter((t) => t.range.start < end)).sort((a, b) => a.range.start - b.range.start);
}
