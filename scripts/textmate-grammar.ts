// The parts of the TextMate grammar (grammar/model.tmLanguage.json) that the language server
// already defines: the keywords, from the tokens (syntax/tokens.ts), and the layer names, from
// the catalog. `node out/scripts/textmate-grammar.js` writes them into the grammar;
// test/grammar/textmate.test.ts fails when the grammar is not current.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TokenType } from 'chevrotain';
import { layerCatalog } from '../language-server/src/catalog/layers.js';
import * as T from '../language-server/src/syntax/tokens.js';

const root = resolve(fileURLToPath(import.meta.url), '../../..');
export const grammarPath = join(root, 'grammar/model.tmLanguage.json');

/** The spellings of a keyword token (`true|True`). */
export function spellings(type: TokenType): string[] {
  return type.PATTERN instanceof RegExp ? type.PATTERN.source.split('|') : [];
}

/** The keyword tokens by how the grammar colours them; every keyword of tokens.ts is in one group. */
export const keywordGroups = {
  declaration: [T.Model, T.Train, T.Tune],
  control: [T.Repeat, T.If, T.From, T.In, T.Step, T.Log],
  input: [T.Input, T.Output],
  constant: [T.True, T.False, T.NoneLiteral],
} as const;

const alternation = (types: readonly TokenType[]) => types.flatMap(spellings).join('|');

/** Longest first, so that no name stops at a prefix of a longer one (`Conv2D` of `Conv2DTranspose`). */
export function layerNames(): string[] {
  return [...layerCatalog.keys()].sort((a, b) => b.length - a.length || a.localeCompare(b));
}

interface Pattern {
  match?: string;
  patterns?: Pattern[];
}

/** Each generated `match` of the grammar: where it is, and what it should be. */
export function generatedMatches(grammar: { repository: Record<string, Pattern> }): { at: string; current: string | undefined; wanted: string }[] {
  const r = grammar.repository;
  return [
    { at: 'declaration', current: r['declaration']?.match, wanted: `\\b(${alternation(keywordGroups.declaration)})\\s+([A-Za-z_][A-Za-z0-9_]*)` },
    { at: 'keyword.patterns[0]', current: r['keyword']?.patterns?.[0]?.match, wanted: `\\b(${alternation(keywordGroups.control)})\\b` },
    { at: 'keyword.patterns[1]', current: r['keyword']?.patterns?.[1]?.match, wanted: `\\b(${alternation(keywordGroups.input)})\\b` },
    { at: 'constant', current: r['constant']?.match, wanted: `\\b(${alternation(keywordGroups.constant)})\\b` },
    { at: 'layer-call', current: r['layer-call']?.match, wanted: `\\b(${layerNames().join('|')})\\s*(?=\\()` },
  ];
}

/** The grammar's text with the generated matches brought up to date, its layout otherwise kept. */
export function currentGrammarText(text: string): string {
  let out = text;
  for (const { at, current, wanted } of generatedMatches(JSON.parse(text) as { repository: Record<string, Pattern> })) {
    if (current === undefined) throw new Error(`grammar/model.tmLanguage.json has no match at ${at}`);
    // The first such match after the entry's key.
    const key = out.indexOf(`"${at.split('.')[0] ?? at}": {`);
    const old = `"match": ${JSON.stringify(current)}`;
    const index = key < 0 ? -1 : out.indexOf(old, key);
    if (index < 0) throw new Error(`grammar/model.tmLanguage.json: no ${old} in "${at}"`);
    out = out.slice(0, index) + `"match": ${JSON.stringify(wanted)}` + out.slice(index + old.length);
  }
  return out;
}

if (process.argv[1]?.endsWith('textmate-grammar.js')) {
  const text = readFileSync(grammarPath, 'utf8');
  const updated = currentGrammarText(text);
  if (updated !== text) writeFileSync(grammarPath, updated);
  console.log(updated === text ? 'grammar/model.tmLanguage.json is current' : 'grammar/model.tmLanguage.json updated');
}
