import type { FileAnalysis } from '../analysis/analyze-file.js';
import type { Range } from '../syntax/ast.js';
import * as T from '../syntax/tokens.js';
import { occurrenceAt, occurrences } from './symbol-index.js';

export interface TextEdit {
  readonly range: Range;
  readonly newText: string;
}

/** Where the model, label or parameter at `offset` is defined. */
export function definition(analysis: FileAnalysis, offset: number): Range[] {
  const all = occurrences(analysis);
  const here = occurrenceAt(all, offset);
  if (!here) return [];
  return all.filter((o) => o.key === here.key && o.definition).map((o) => o.range);
}

/** Every occurrence of the symbol at `offset`, the definition first when included. */
export function references(analysis: FileAnalysis, offset: number, includeDeclaration: boolean): Range[] {
  const all = occurrences(analysis);
  const here = occurrenceAt(all, offset);
  if (!here) return [];
  return all
    .filter((o) => o.key === here.key && (includeDeclaration || !o.definition))
    .sort((a, b) => Number(b.definition) - Number(a.definition) || a.range.start - b.range.start)
    .map((o) => o.range);
}

export function prepareRename(analysis: FileAnalysis, offset: number): { range: Range; placeholder: string } | undefined {
  const here = occurrenceAt(occurrences(analysis), offset);
  return here ? { range: here.range, placeholder: here.name } : undefined;
}

const reserved = new Set(T.allTokens.filter((t) => t.LONGER_ALT !== undefined).flatMap((t) => String(t.PATTERN).replace(/^\/|\/$/g, '').split('|')));

/** Renames a model, label or parameter everywhere; an error message when the new name cannot work. */
export function rename(analysis: FileAnalysis, offset: number, newName: string): { edits: TextEdit[] } | { error: string } {
  const all = occurrences(analysis);
  const here = occurrenceAt(all, offset);
  if (!here) return { error: 'Only models, labels and model parameters can be renamed.' };
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(newName)) return { error: `\`${newName}\` is not a valid name: use letters, digits and _, not starting with a digit.` };
  if (reserved.has(newName)) return { error: `\`${newName}\` is a keyword of the language.` };
  const clash = all.find((o) => o.definition && o.kind === here.kind && o.name === newName && sameScope(o.key, here.key));
  if (clash) return { error: `A ${here.kind} named \`${newName}\` already exists here.` };
  return { edits: all.filter((o) => o.key === here.key).map((o) => ({ range: o.range, newText: newName })) };
}

function sameScope(a: string, b: string): boolean {
  const scope = (key: string) => key.split(':').slice(0, -1).join(':');
  return scope(a) === scope(b);
}
