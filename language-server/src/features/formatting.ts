import type { IToken, TokenType } from 'chevrotain';
import type { Declaration, ModelFile, Statement } from '../syntax/ast.js';
import { parseModelText, type ParseResult } from '../syntax/parse.js';
import * as T from '../syntax/tokens.js';
import { forEachDeclarationExpression, walkExpression, walkStatements } from '../syntax/walk.js';
import { BudgetSpent, type Budget } from './budget.js';

/**
 * The document formatter. It never moves a token relative to another: it only
 * rewrites the whitespace between tokens (and comments), so the result has the
 * same token sequence as the input, except that a trailing comma before `)` or
 * `]` is dropped unless it marks a 1-tuple (`(5,)`).
 *
 * The parsed tree says where statements, settings and declarations start,
 * which `=` belong to keyword arguments and which commas make a 1-tuple
 * (structureOf); a walk over the tokens and comments (LayoutWriter) then
 * decides the whitespace before each, by the rules below.
 *
 * Layout:
 * - one statement, setting or declaration per line; `{` on its header's line,
 *   `}` on its own line, except that a block written on one line with at most
 *   one statement stays on one line (`if bn { BatchNormalization() }`);
 * - indentation by block depth, plus one level for a line that continues a
 *   statement inside an open `(`/`[` (or, when a comment forces a line break,
 *   outside one);
 * - inside brackets, line breaks the user wrote after `(`, `[` or `,` are kept,
 *   and one before `)` or `]` when the brackets already span lines; any other
 *   line break inside a statement is removed;
 * - one space after `,`, none before, none inside brackets; `=` unspaced for
 *   keyword arguments (`activation=relu`), spaced elsewhere (labels, model
 *   parameters, variants, settings); binary operators spaced, unary minus
 *   attached, `..` unspaced;
 * - the `=` / `in` of consecutive settings in a `train`/`tune` block aligned
 *   (names longer than {@link alignLimit} characters do not take part);
 * - comments kept: own-line comments re-indented, trailing ones keep the
 *   spacing the user gave them (at least one space);
 * - at most one blank line in a row, none after an opening bracket or before a
 *   closing one, exactly one between top-level declarations (above the
 *   comments that lead a declaration); no trailing whitespace; exactly one
 *   newline at the end of the file; line breaks written as the file's first one
 *   (`\n` or `\r\n`).
 */

export interface TextEdit {
  range: { start: number; end: number };
  newText: string;
}

export interface FormattingOptions {
  tabSize: number;
  insertSpaces: boolean;
}

/** Settings whose names are longer than this (`early_stopping`) are not aligned with the rest. */
export const alignLimit = 10;

/** What a caller may add: the parse of `text` it already has, and a budget. */
export interface FormattingContext {
  readonly parsed?: ParseResult;
  readonly budget?: Budget;
}

/**
 * Edits that format `text`, offsets into `text`; `undefined` when it has syntax errors. With a
 * budget, throws {@link BudgetSpent} when it is spent: half a formatting is no formatting.
 */
export function formatText(text: string, options: FormattingOptions, context: FormattingContext = {}): TextEdit[] | undefined {
  const layout = computeLayout(text, options, context);
  if (!layout) return undefined;
  const edits: TextEdit[] = [];
  for (const gap of layout.gaps) {
    const old = text.slice(gap.start, gap.end);
    if (old === gap.text) continue;
    // Trim what the old and new whitespace share, so that edits touch as little as possible.
    let prefix = 0;
    while (prefix < old.length && prefix < gap.text.length && old[prefix] === gap.text[prefix]) prefix++;
    let suffix = 0;
    while (
      suffix < old.length - prefix &&
      suffix < gap.text.length - prefix &&
      old[old.length - 1 - suffix] === gap.text[gap.text.length - 1 - suffix]
    ) {
      suffix++;
    }
    edits.push({
      range: { start: gap.start + prefix, end: gap.end - suffix },
      newText: gap.text.slice(prefix, gap.text.length - suffix),
    });
  }
  return edits;
}

/** The formatted text; `text` itself when it has syntax errors. */
export function formatDocument(text: string, options: FormattingOptions): string {
  const layout = computeLayout(text, options);
  if (!layout) return text;
  let result = '';
  layout.gaps.forEach((gap, i) => {
    result += gap.text;
    const item = layout.items[i];
    if (item) result += text.slice(item.start, item.end);
  });
  return result;
}

interface Item {
  readonly start: number;
  /** Exclusive; a comment's trailing whitespace is left out (it falls into the next gap). */
  readonly end: number;
  /** Index into the (non-comment) token list, or -1 for a comment. */
  readonly token: number;
}

interface Gap {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** `gaps[i]` is the whitespace before `items[i]`; the last gap follows the last item. */
interface Layout {
  readonly items: readonly Item[];
  readonly gaps: readonly Gap[];
}

interface Frame {
  readonly block: boolean;
  /** Indent level of the line the frame's closer goes on; its contents go one deeper. */
  readonly base: number;
  /** How many line breaks the output had when the frame opened. */
  readonly lines: number;
}

const openers: ReadonlySet<TokenType> = new Set([T.LParen, T.LBracket, T.LBrace]);
const closers: ReadonlySet<TokenType> = new Set([T.RParen, T.RBracket, T.RBrace]);
/** Tokens after which a `-` is binary. */
const operandEnds: ReadonlySet<TokenType> = new Set([
  T.Identifier,
  T.NumberLiteral,
  T.StringLiteral,
  T.True,
  T.False,
  T.NoneLiteral,
  T.RParen,
  T.RBracket,
]);

const lineBreak = /\r\n|\r|\n/g;

function lineBreaks(s: string): number {
  return s.match(lineBreak)?.length ?? 0;
}

function hasLineBreak(s: string): boolean {
  return /[\r\n]/.test(s);
}

function at<V>(list: readonly V[], index: number): V {
  const value = list[index];
  if (value === undefined) throw new Error(`formatter: index ${index} out of range`);
  return value;
}

function tokenEnd(token: IToken): number {
  return token.startOffset + token.image.length;
}

function collectStatements(statements: readonly Statement[], starts: Set<number>): void {
  walkStatements(statements, (statement) => {
    starts.add(statement.range.start);
  });
}

/** The settings and search parameters of a block, in source order. */
function entriesOf(declaration: Declaration): { name: string; start: number }[] {
  if (declaration.kind === 'model') return [];
  const entries = declaration.settings.map((s) => ({ name: s.name.name, start: s.range.start }));
  if (declaration.kind === 'tune') for (const p of declaration.searchParameters) entries.push({ name: p.name.name, start: p.range.start });
  return entries.sort((a, b) => a.start - b.start);
}

/**
 * Spaces before the `=` / `in` of each setting, by that token's offset. Only
 * start offsets of AST nodes are used: the parser does not track where nodes end.
 */
function alignment(ast: ModelFile, text: string, tokens: readonly IToken[], indexAt: ReadonlyMap<number, number>): Map<number, number> {
  const pads = new Map<number, number>();
  for (const declaration of ast.declarations) {
    let group: { name: string; operator: IToken }[] = [];
    const flush = (): void => {
      // A fold, not Math.max(...lengths): a block of 200,000 settings would overflow the stack with spread arguments.
      const width = group.reduce((widest, e) => (e.name.length <= alignLimit ? Math.max(widest, e.name.length) : widest), 0);
      for (const { name, operator } of group) pads.set(operator.startOffset, name.length <= alignLimit ? width - name.length + 1 : 1);
      group = [];
    };
    for (const entry of entriesOf(declaration)) {
      const index = indexAt.get(entry.start);
      const operator = index === undefined ? undefined : tokens[index + 1];
      const before = index === undefined ? undefined : tokens[index - 1];
      if (!operator || !before) continue;
      // A blank line before a setting (after the previous one) starts a new alignment group.
      if (/(?:\r\n|\r|\n)[ \t\f]*(?:\r\n|\r|\n)/.test(text.slice(tokenEnd(before), entry.start))) flush();
      group.push({ name: entry.name, operator });
    }
    flush();
  }
  return pads;
}

/** What the layout needs to know about the tokens, worked out before the walk. */
interface Structure {
  readonly text: string;
  readonly tokens: readonly IToken[];
  /** The line break of the file (its first one) and one level of indentation. */
  readonly eol: string;
  readonly unit: string;
  /** Offsets where a statement, setting, search parameter or declaration starts (from the AST). */
  readonly statementStarts: ReadonlySet<number>;
  /** Token indices of each declaration's last token. */
  readonly declarationEnds: ReadonlySet<number>;
  /** Spaces before the `=` / `in` of each aligned setting, by that token's offset. */
  readonly pads: ReadonlyMap<number, number>;
  /** Per token: the index of its matching bracket, or -1. */
  readonly match: readonly number[];
  /** Token indices of the `=` of keyword arguments in calls (`activation=relu`), which are not spaced; other `=` are (labels, model parameters, variants, settings). */
  readonly keywordEquals: ReadonlySet<number>;
  /** Token indices of the `{` of blocks that stay on one line. */
  readonly oneLineBlocks: ReadonlySet<number>;
}

function computeLayout(text: string, options: FormattingOptions, { parsed = parseModelText(text), budget }: FormattingContext = {}): Layout | undefined {
  if (parsed.errors.length > 0) return undefined;
  if (budget && !budget.take()) throw new BudgetSpent(budget);
  const structure = structureOf(text, parsed, options);
  const items = itemsOf(parsed, droppedCommas(parsed.ast, structure.tokens));
  const writer = new LayoutWriter(structure, items);
  const gaps: Gap[] = [];
  items.forEach((item, i) => {
    if (budget && !budget.take()) throw new BudgetSpent(budget);
    gaps.push(writer.gapBefore(i));
    writer.advance(item);
  });
  const last = items[items.length - 1];
  gaps.push({ start: last ? last.end : 0, end: text.length, text: last ? structure.eol : '' });
  return { items, gaps };
}

function structureOf(text: string, parsed: ParseResult, options: FormattingOptions): Structure {
  const tokens = parsed.tokens;
  const indexAt = new Map<number, number>();
  tokens.forEach((t, i) => indexAt.set(t.startOffset, i));
  const { statementStarts, declarationStarts } = startsOf(parsed.ast);
  const { match, braceDepth } = brackets(tokens);
  return {
    text,
    tokens,
    eol: /\r\n|\r|\n/.exec(text)?.[0] ?? '\n',
    unit: options.insertSpaces ? ' '.repeat(Math.max(1, options.tabSize)) : '\t',
    statementStarts,
    declarationEnds: declarationEndsOf(tokens, indexAt, declarationStarts),
    pads: alignment(parsed.ast, text, tokens, indexAt),
    match,
    keywordEquals: keywordEqualsOf(parsed.ast, tokens, indexAt),
    oneLineBlocks: oneLineBlocksOf(text, tokens, match, braceDepth, statementStarts),
  };
}

/** What the AST tells: where statements (settings, search parameters) and declarations start. */
function startsOf(ast: ModelFile): { statementStarts: Set<number>; declarationStarts: number[] } {
  const statementStarts = new Set<number>();
  const declarationStarts: number[] = [];
  for (const declaration of ast.declarations) {
    statementStarts.add(declaration.range.start);
    declarationStarts.push(declaration.range.start);
    if (declaration.kind === 'model') collectStatements(declaration.body ?? [], statementStarts);
    for (const entry of entriesOf(declaration)) statementStarts.add(entry.start);
  }
  return { statementStarts, declarationStarts };
}

/** The last token of each declaration: the one before the next declaration, and the file's last. */
function declarationEndsOf(tokens: readonly IToken[], indexAt: ReadonlyMap<number, number>, declarationStarts: readonly number[]): Set<number> {
  const declarationEnds = new Set<number>(tokens.length > 0 ? [tokens.length - 1] : []);
  for (const start of declarationStarts) {
    const index = indexAt.get(start);
    if (index !== undefined && index > 0) declarationEnds.add(index - 1);
  }
  return declarationEnds;
}

/** The `=` of each keyword argument of a call (not of a variant's arguments, which are spaced as model parameters). */
function keywordEqualsOf(ast: ModelFile, tokens: readonly IToken[], indexAt: ReadonlyMap<number, number>): Set<number> {
  const keywordEquals = new Set<number>();
  for (const declaration of ast.declarations) {
    forEachDeclarationExpression(declaration, (root) => {
      walkExpression(root, (e) => {
        if (e.kind !== 'call') return;
        for (const a of e.args) {
          const name = a.name ? indexAt.get(a.name.range.start) : undefined;
          if (name !== undefined && tokens[name + 1]?.tokenType === T.Equals) keywordEquals.add(name + 1);
        }
      });
    });
  }
  return keywordEquals;
}

/** What the brackets tell: matching pairs and block depth. */
function brackets(tokens: readonly IToken[]): { match: number[]; braceDepth: number[] } {
  const match: number[] = tokens.map(() => -1);
  const braceDepth: number[] = tokens.map(() => 0);
  const stack: number[] = [];
  let braces = 0;
  tokens.forEach((t, i) => {
    braceDepth[i] = braces;
    if (openers.has(t.tokenType)) {
      stack.push(i);
      if (t.tokenType === T.LBrace) braces++;
    } else if (closers.has(t.tokenType)) {
      const open = stack.pop();
      if (open !== undefined) {
        match[i] = open;
        match[open] = i;
      }
      if (t.tokenType === T.RBrace) braces--;
      braceDepth[i] = braces;
    }
  });
  return { match, braceDepth };
}

/** A block stays on one line when it was written on one line and holds at most one statement. */
function oneLineBlocksOf(text: string, tokens: readonly IToken[], match: readonly number[], braceDepth: readonly number[], statementStarts: ReadonlySet<number>): Set<number> {
  const oneLineBlocks = new Set<number>();
  tokens.forEach((t, i) => {
    if (t.tokenType !== T.LBrace) return;
    const close = match[i] ?? -1;
    if (close < 0) return;
    if (hasLineBreak(text.slice(t.startOffset, tokenEnd(at(tokens, close))))) return;
    let statements = 0;
    for (let k = i + 1; k < close; k++) if (braceDepth[k] === (braceDepth[i] ?? 0) + 1 && statementStarts.has(at(tokens, k).startOffset)) statements++;
    if (statements <= 1) oneLineBlocks.add(i);
  });
  return oneLineBlocks;
}

/** Trailing commas (before `)` or `]`), which are dropped, except the one that makes `(x,)` a tuple. */
function droppedCommas(ast: ModelFile, tokens: readonly IToken[]): Set<number> {
  // Where each one-element tuple ends: just after its `)`.
  const oneTuples = new Set<number>();
  for (const declaration of ast.declarations) {
    forEachDeclarationExpression(declaration, (root) => {
      walkExpression(root, (e) => {
        if (e.kind === 'tuple' && e.items.length === 1) oneTuples.add(e.range.end);
      });
    });
  }
  const dropped = new Set<number>();
  tokens.forEach((t, i) => {
    if (t.tokenType !== T.Comma) return;
    const next = tokens[i + 1];
    if (!next || (next.tokenType !== T.RParen && next.tokenType !== T.RBracket)) return;
    if (next.tokenType === T.RParen && oneTuples.has(tokenEnd(next))) return;
    dropped.add(i);
  });
  return dropped;
}

/** Tokens (but the dropped commas) and comments, in source order. */
function itemsOf(parsed: ParseResult, dropped: ReadonlySet<number>): Item[] {
  const items: Item[] = [];
  parsed.tokens.forEach((t, i) => {
    if (!dropped.has(i)) items.push({ start: t.startOffset, end: tokenEnd(t), token: i });
  });
  for (const c of parsed.comments) items.push({ start: c.startOffset, end: c.startOffset + c.image.replace(/\s+$/, '').length, token: -1 });
  return items.sort((a, b) => a.start - b.start);
}

/**
 * The walk over the items: decides the whitespace before each one from the open brackets and blocks
 * (`frames`), the indentation of the current line and where the last line break was.
 */
class LayoutWriter {
  private readonly frames: Frame[] = [];
  private lineLevel = 0;
  private lines = 0;
  private lastToken = -1;
  private commentLineSinceToken = false;
  /** Per item: the index of the next token after it, or -1. */
  private readonly nextToken: number[];

  constructor(
    private readonly s: Structure,
    private readonly items: readonly Item[],
  ) {
    this.nextToken = new Array<number>(items.length).fill(-1);
    for (let i = items.length - 1, next = -1; i >= 0; i--) {
      this.nextToken[i] = next;
      const item = at(items, i);
      if (item.token >= 0) next = item.token;
    }
  }

  /** The whitespace before item `i`. */
  gapBefore(i: number): Gap {
    const item = at(this.items, i);
    const previous = this.items[i - 1];
    const start = previous ? previous.end : 0;
    const old = this.s.text.slice(start, item.start);
    let gap: string;
    if (!previous) {
      gap = '';
      this.lineLevel = 0;
      this.commentLineSinceToken = item.token < 0;
    } else if (item.token < 0) {
      if (!hasLineBreak(old)) {
        // A trailing comment keeps the spacing before it.
        gap = /[ \t\f]*$/.exec(old)?.[0] || ' ';
      } else {
        gap = this.newline(old, this.commentLevel(this.nextToken[i] ?? -1), previous, item);
        this.commentLineSinceToken = true;
      }
    } else if (previous.token < 0) {
      gap = this.newline(old, this.levelFor(item.token), previous, item);
    } else {
      const separator = this.forced(previous.token, item.token);
      const keepBreak = separator === undefined && hasLineBreak(old) && this.breakAllowed(previous.token, item.token);
      if (separator === '\n' || keepBreak) gap = this.newline(old, this.levelFor(item.token), previous, item);
      else gap = separator ?? this.spaceBetween(previous.token, item.token);
    }
    return { start, end: item.start, text: gap };
  }

  /** After item's gap: opens or closes its bracket. */
  advance(item: Item): void {
    if (item.token < 0) return;
    const t = at(this.s.tokens, item.token);
    if (openers.has(t.tokenType)) {
      const block = t.tokenType === T.LBrace;
      this.frames.push({ block, base: block ? this.contentLevel() : this.lineLevel, lines: this.lines });
    } else if (closers.has(t.tokenType)) {
      this.frames.pop();
    }
    this.lastToken = item.token;
    this.commentLineSinceToken = false;
  }

  private type(i: number): TokenType | undefined {
    return this.s.tokens[i]?.tokenType;
  }

  private isStart(i: number): boolean {
    return this.s.statementStarts.has(at(this.s.tokens, i).startOffset);
  }

  private isUnaryMinus(i: number): boolean {
    const previous = this.s.tokens[i - 1];
    return this.type(i) === T.Minus && (previous === undefined || !operandEnds.has(previous.tokenType));
  }

  private contentLevel(): number {
    const top = this.frames[this.frames.length - 1];
    return top ? top.base + 1 : 0;
  }

  /** The indent of a line that starts with token `i`. */
  private levelFor(i: number): number {
    const top = this.frames[this.frames.length - 1];
    if (closers.has(at(this.s.tokens, i).tokenType)) return top ? top.base : 0;
    if (top && !top.block) return top.base + 1;
    // A `{` that a comment pushed off its header's line still lines up with the header.
    return this.isStart(i) || this.type(i) === T.LBrace ? this.contentLevel() : this.contentLevel() + 1;
  }

  private commentLevel(next: number): number {
    if (next < 0 || closers.has(at(this.s.tokens, next).tokenType)) return this.contentLevel();
    return this.levelFor(next);
  }

  private newline(old: string, level: number, previous: Item, item: Item): string {
    let blank = lineBreaks(old) >= 2;
    if (previous.token >= 0 && openers.has(at(this.s.tokens, previous.token).tokenType)) blank = false;
    if (item.token >= 0 && closers.has(at(this.s.tokens, item.token).tokenType)) blank = false;
    if (this.frames.length === 0 && this.s.declarationEnds.has(this.lastToken) && !this.commentLineSinceToken) blank = true;
    this.lineLevel = level;
    this.lines++;
    return this.s.eol + (blank ? this.s.eol : '') + this.s.unit.repeat(Math.max(0, level));
  }

  private spaceBetween(x: number, y: number): string {
    const a = at(this.s.tokens, x).tokenType;
    const b = at(this.s.tokens, y).tokenType;
    if (b === T.Comma) return '';
    if (a === T.LParen || a === T.LBracket) return '';
    if (b === T.RParen || b === T.RBracket) return '';
    if (a === T.Comma) return ' ';
    if (a === T.DotDot || b === T.DotDot) return '';
    if (b === T.Equals && this.s.keywordEquals.has(y)) return '';
    if (a === T.Equals && this.s.keywordEquals.has(x)) return '';
    if (b === T.Equals || b === T.In) return ' '.repeat(this.s.pads.get(at(this.s.tokens, y).startOffset) ?? 1);
    if (this.isUnaryMinus(x)) return '';
    if (b === T.LParen && a === T.Identifier) return '';
    return ' ';
  }

  /** A forced separator (`'\n'`, `' '` or `''`) between adjacent tokens, or undefined when the user's line break may stay. */
  private forced(x: number, y: number): string | undefined {
    const a = at(this.s.tokens, x).tokenType;
    const b = at(this.s.tokens, y).tokenType;
    const oneLine = this.s.oneLineBlocks;
    if (this.isStart(y)) return a === T.LBrace && oneLine.has(x) ? ' ' : '\n';
    if (b === T.LBrace) return ' ';
    if (a === T.LBrace) return oneLine.has(x) ? (b === T.RBrace ? '' : ' ') : '\n';
    if (b === T.RBrace) return oneLine.has(this.s.match[y] ?? -1) ? ' ' : '\n';
    return undefined;
  }

  /**
   * Inside brackets, a line break the user wrote after `(`, `[` or `,` is kept, and
   * one before `)` or `]` when the brackets already span lines; others are joined.
   */
  private breakAllowed(x: number, y: number): boolean {
    const top = this.frames[this.frames.length - 1];
    if (!top || top.block) return false;
    const a = at(this.s.tokens, x).tokenType;
    const b = at(this.s.tokens, y).tokenType;
    if (b === T.RParen || b === T.RBracket) return this.lines > top.lines;
    return a === T.LParen || a === T.LBracket || a === T.Comma;
  }
}
