import type { IToken, TokenType } from 'chevrotain';
import type { Declaration, Expression } from '../syntax/ast.js';
import { parseModelText, type ParseResult } from '../syntax/parse.js';
import * as T from '../syntax/tokens.js';
import { forEachDeclarationExpression, isBlock, walkExpression, walkStatements } from '../syntax/walk.js';
import { BudgetSpent, type Budget } from './budget.js';

/**
 * The document formatter. It never moves a token relative to another: it only
 * rewrites the whitespace between tokens (and comments), so the result has the
 * same token sequence as the input, except that a trailing comma before `)` or
 * `]` is dropped unless it marks a 1-tuple (`(5,)`).
 *
 * One walk over the parsed tree, declarations → statements → expressions
 * (TreeWalk), gives each token its roles: where a declaration, statement,
 * setting or search parameter starts and a declaration ends, which blocks stay
 * on one line, which `=` belong to keyword arguments, which `-` negate, which
 * `)` close a 1-tuple, and the alignment of settings. A walk over the tokens
 * and comments (LayoutWriter) then decides the whitespace before each from
 * those roles and the open brackets, by the rules below.
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

/** What the tree says about a token, as bits of {@link Structure.roles}. */
const Role = {
  /** It starts a declaration, statement, setting or search parameter. */
  Start: 1,
  /** The `=` of a keyword argument in a call (`activation=relu`), which is not spaced; other `=` are. */
  KeywordEquals: 2,
  /** The `-` of a negation, attached to its operand. */
  Unary: 4,
  /** The `{` of a block that stays on one line. */
  OneLine: 8,
  /** The `)` of a one-element tuple, whose trailing comma stays. */
  TupleClose: 16,
  /** The last token of a declaration. */
  DeclarationEnd: 32,
} as const;

/** What the layout needs to know about the tokens: one walk over the tree, declarations → statements → expressions. */
interface Structure {
  readonly text: string;
  readonly tokens: readonly IToken[];
  /** The line break of the file (its first one) and one level of indentation. */
  readonly eol: string;
  readonly unit: string;
  /** Per token: its {@link Role} bits. */
  readonly roles: Uint8Array;
  /** Spaces before the `=` / `in` of each aligned setting, by that token's index. */
  readonly pads: ReadonlyMap<number, number>;
  /** Per token: the index of its matching bracket, or -1. */
  readonly match: readonly number[];
}

/** The settings and search parameters of a block, in source order. */
function entriesOf(declaration: Declaration): { name: string; start: number }[] {
  if (declaration.kind === 'model') return [];
  const entries = declaration.settings.map((s) => ({ name: s.name.name, start: s.range.start }));
  if (declaration.kind === 'tune') for (const p of declaration.searchParameters) entries.push({ name: p.name.name, start: p.range.start });
  return entries.sort((a, b) => a.start - b.start);
}

function computeLayout(text: string, options: FormattingOptions, { parsed = parseModelText(text), budget }: FormattingContext = {}): Layout | undefined {
  if (parsed.errors.length > 0) return undefined;
  if (budget && !budget.take()) throw new BudgetSpent(budget);
  const structure = structureOf(text, parsed, options);
  const items = itemsOf(parsed, structure.roles);
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
  const match = matchingBrackets(tokens);
  const walk = new TreeWalk(text, tokens, match);
  for (const declaration of parsed.ast.declarations) walk.declaration(declaration);
  if (tokens.length > 0) walk.set(tokens.length - 1, Role.DeclarationEnd);
  return {
    text,
    tokens,
    eol: /\r\n|\r|\n/.exec(text)?.[0] ?? '\n',
    unit: options.insertSpaces ? ' '.repeat(Math.max(1, options.tabSize)) : '\t',
    roles: walk.roles,
    pads: walk.pads,
    match,
  };
}

/** Per token: the index of its matching bracket, or -1. */
function matchingBrackets(tokens: readonly IToken[]): number[] {
  const match: number[] = new Array<number>(tokens.length).fill(-1);
  const stack: number[] = [];
  tokens.forEach((t, i) => {
    if (openers.has(t.tokenType)) {
      stack.push(i);
    } else if (closers.has(t.tokenType)) {
      const open = stack.pop();
      if (open !== undefined) {
        match[i] = open;
        match[open] = i;
      }
    }
  });
  return match;
}

/** The walk over the tree that marks the roles of tokens, found by the offsets of the nodes. */
class TreeWalk {
  readonly roles: Uint8Array;
  readonly pads = new Map<number, number>();
  private readonly indexAt = new Map<number, number>();

  constructor(
    private readonly text: string,
    private readonly tokens: readonly IToken[],
    private readonly match: readonly number[],
  ) {
    this.roles = new Uint8Array(tokens.length);
    tokens.forEach((t, i) => this.indexAt.set(t.startOffset, i));
  }

  declaration(declaration: Declaration): void {
    const index = this.mark(declaration.range.start, Role.Start);
    if (index !== undefined && index > 0) this.set(index - 1, Role.DeclarationEnd);
    if (declaration.kind === 'model') {
      if (declaration.body) {
        this.block(index, declaration.body.length);
        walkStatements(declaration.body, (statement) => {
          const start = this.mark(statement.range.start, Role.Start);
          if (isBlock(statement)) this.block(start, statement.body.length);
        });
      }
    } else {
      const entries = entriesOf(declaration);
      this.block(index, entries.length);
      for (const entry of entries) this.mark(entry.start, Role.Start);
      this.align(entries);
    }
    forEachDeclarationExpression(declaration, (root) => walkExpression(root, (e) => this.expression(e)));
  }

  private expression(e: Expression): void {
    if (e.kind === 'call') {
      for (const a of e.args) {
        const name = a.name ? this.indexAt.get(a.name.range.start) : undefined;
        if (name !== undefined && this.tokens[name + 1]?.tokenType === T.Equals) this.set(name + 1, Role.KeywordEquals);
      }
    } else if (e.kind === 'tuple' && e.items.length === 1) {
      const close = this.indexAt.get(e.range.end - 1);
      if (close !== undefined && this.tokens[close]?.tokenType === T.RParen) this.set(close, Role.TupleClose);
    } else if (e.kind === 'negate') {
      this.mark(e.range.start, Role.Unary);
    } else if (e.kind === 'number' && e.text.startsWith('-')) {
      // The parser folds the `-` signs before a number into the literal (`-1.0`), one token each.
      const first = this.indexAt.get(e.range.start);
      for (let k = 0; first !== undefined && e.text[k] === '-'; k++) this.set(first + k, Role.Unary);
    }
  }

  set(index: number, role: number): void {
    this.roles[index] = (this.roles[index] ?? 0) | role;
  }

  private mark(offset: number, role: number): number | undefined {
    const index = this.indexAt.get(offset);
    if (index !== undefined) this.set(index, role);
    return index;
  }

  /** The block of the node that starts at token `from` (its first `{`) stays on one line when written so with at most one statement. */
  private block(from: number | undefined, statements: number): void {
    if (from === undefined || statements > 1) return;
    let open = from;
    while (open < this.tokens.length && this.tokens[open]?.tokenType !== T.LBrace) open++;
    const close = this.match[open] ?? -1;
    if (close < 0) return;
    if (!hasLineBreak(this.text.slice(at(this.tokens, open).startOffset, tokenEnd(at(this.tokens, close))))) this.set(open, Role.OneLine);
  }

  /** Spaces before the `=` / `in` of a block's settings, aligned in groups that blank lines separate. */
  private align(entries: readonly { name: string; start: number }[]): void {
    let group: { name: string; operator: number }[] = [];
    const flush = (): void => {
      // A fold, not Math.max(...lengths): a block of 200,000 settings would overflow the stack with spread arguments.
      const width = group.reduce((widest, e) => (e.name.length <= alignLimit ? Math.max(widest, e.name.length) : widest), 0);
      for (const { name, operator } of group) this.pads.set(operator, name.length <= alignLimit ? width - name.length + 1 : 1);
      group = [];
    };
    for (const entry of entries) {
      const index = this.indexAt.get(entry.start);
      const before = index === undefined ? undefined : this.tokens[index - 1];
      if (index === undefined || !this.tokens[index + 1] || !before) continue;
      // A blank line before a setting (after the previous one) starts a new alignment group.
      if (/(?:\r\n|\r|\n)[ \t\f]*(?:\r\n|\r|\n)/.test(this.text.slice(tokenEnd(before), entry.start))) flush();
      group.push({ name: entry.name, operator: index + 1 });
    }
    flush();
  }
}

/** Tokens and comments in source order, but the trailing commas (before `)` or `]`), which are dropped, except the one that makes `(x,)` a tuple. */
function itemsOf(parsed: ParseResult, roles: Uint8Array): Item[] {
  const tokens = parsed.tokens;
  const items: Item[] = [];
  tokens.forEach((t, i) => {
    const next = tokens[i + 1];
    const trailing = t.tokenType === T.Comma && next && (next.tokenType === T.RParen || next.tokenType === T.RBracket) && !((roles[i + 1] ?? 0) & Role.TupleClose);
    if (!trailing) items.push({ start: t.startOffset, end: tokenEnd(t), token: i });
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

  private has(i: number, role: number): boolean {
    return ((this.s.roles[i] ?? 0) & role) !== 0;
  }

  private isStart(i: number): boolean {
    return this.has(i, Role.Start);
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
    if (this.frames.length === 0 && this.has(this.lastToken, Role.DeclarationEnd) && !this.commentLineSinceToken) blank = true;
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
    if (this.has(y, Role.KeywordEquals) || this.has(x, Role.KeywordEquals)) return '';
    if (b === T.Equals || b === T.In) return ' '.repeat(this.s.pads.get(y) ?? 1);
    if (this.has(x, Role.Unary)) return '';
    if (b === T.LParen && a === T.Identifier) return '';
    return ' ';
  }

  /** A forced separator (`'\n'`, `' '` or `''`) between adjacent tokens, or undefined when the user's line break may stay. */
  private forced(x: number, y: number): string | undefined {
    const a = at(this.s.tokens, x).tokenType;
    const b = at(this.s.tokens, y).tokenType;
    if (this.isStart(y)) return a === T.LBrace && this.has(x, Role.OneLine) ? ' ' : '\n';
    if (b === T.LBrace) return ' ';
    if (a === T.LBrace) return this.has(x, Role.OneLine) ? (b === T.RBrace ? '' : ' ') : '\n';
    if (b === T.RBrace) return this.has(this.s.match[y] ?? -1, Role.OneLine) ? ' ' : '\n';
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
