import type { SymbolicBlock } from './py-values.js';

/**
 * The statements of a `.model` body before they are written out: labels are objects, so that
 * they can be named once every statement is known, and `repeat` folding can compare
 * statements whatever their labels are called.
 */

export interface Label {
  name: string;
  /** From Keras's `name=` (or an Input's name): written as it is, never renamed by folding. */
  readonly fixed: boolean;
}

/** A piece of statement text: plain text, or a label written by its name. */
export type Piece = string | Label;

export type Statement =
  | { readonly kind: 'line'; readonly defines: readonly Label[]; readonly pieces: readonly Piece[]; readonly blocks: readonly SymbolicBlock[] }
  | { readonly kind: 'repeat'; readonly count: string; readonly body: readonly Statement[] }
  | { readonly kind: 'if'; readonly condition: string; readonly body: readonly Statement[] };

export function labelsReferenced(statement: Statement): Label[] {
  if (statement.kind === 'line') return statement.pieces.filter((p): p is Label => typeof p !== 'string' && !statement.defines.includes(p));
  return statement.body.flatMap(labelsReferenced);
}

export function labelsDefined(statement: Statement): Label[] {
  if (statement.kind === 'line') return [...statement.defines];
  return statement.body.flatMap(labelsDefined);
}

/** The statements as `.model` text, indented. */
export function render(statements: readonly Statement[], indent: string): string[] {
  const lines: string[] = [];
  for (const s of statements) {
    if (s.kind === 'line') lines.push(indent + s.pieces.map((p) => (typeof p === 'string' ? p : p.name)).join(''));
    else {
      lines.push(`${indent}${s.kind === 'repeat' ? `repeat ${s.count}` : `if ${s.condition}`} {`);
      lines.push(...render(s.body, `${indent}  `));
      lines.push(`${indent}}`);
    }
  }
  return lines;
}
