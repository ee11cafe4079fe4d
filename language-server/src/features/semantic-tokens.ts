import type { Budget } from './budget.js';
import type { FileAnalysis } from '../analysis/analyze-file.js';
import { findLayer } from '../catalog/layers.js';
import type { Expression, Range, Statement } from '../syntax/ast.js';
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
  const expression = (e: Expression): void => {
    switch (e.kind) {
      case 'call':
        push(e.callee.range, findLayer(e.callee.name) ? 'class' : 'function');
        for (const a of e.args) {
          if (a.name) push(a.name.range, 'property');
          expression(a.value);
        }
        return;
      case 'name':
        push(e.range, 'enumMember');
        return;
      case 'tuple':
      case 'list':
        e.items.forEach(expression);
        return;
      case 'paren':
        expression(e.inner);
        return;
      case 'negate':
        expression(e.operand);
        return;
      case 'binary':
        expression(e.left);
        expression(e.right);
        return;
      default:
        return;
    }
  };
  const statements = (list: readonly Statement[]): void => {
    for (const s of list) {
      if (s.kind === 'layer') expression(s.call);
      else if (s.kind === 'input') expression(s.value);
      else if (s.kind === 'repeat') {
        expression(s.count);
        statements(s.body);
      } else if (s.kind === 'if') {
        expression(s.condition);
        statements(s.body);
      }
    }
  };
  // With a budget, whole declarations are coloured until the time is spent; the tokens end there.
  let end = Number.POSITIVE_INFINITY;
  for (const d of analysis.parse.ast.declarations) {
    if (budget?.expired()) {
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
