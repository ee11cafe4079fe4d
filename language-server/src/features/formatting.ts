import type { IToken } from 'chevrotain';
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
 * (TreeWalk), writes the separator before each token from the node that holds
 * it: nothing, a space, a setting's alignment pad, a line break, or the user's
 * line break kept where it is inside brackets. It also marks where declarations,
 * statements, settings and search parameters start, where a declaration ends,
 * the brackets, and the `)` of a 1-tuple. A walk over the tokens and comments
 * (LayoutWriter) then writes those separators, and does what needs the open
 * brackets: indentation, which kept line breaks stay, blank lines and comments,
 * by the rules below.
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
  /** The `)` of a one-element tuple, whose trailing comma stays. */
  TupleClose: 2,
  /** The last token of a declaration. */
  DeclarationEnd: 4,
  /** An opening bracket: `(`, `[` or `{`. */
  Open: 8,
  /** A closing bracket: `)`, `]` or `}`. */
  Close: 16,
  /** A brace, `{` or `}`, of a block. */
  Brace: 32,
} as const;

/**
 * The separator before a token, as the tree walk decides it: the low two bits say what goes
 * there (nothing, a space, the setting's alignment pad, a line break); the flags say when a
 * line break the user wrote there stays, which only counts inside `(` / `[`.
 */
const Sep = {
  None: 0,
  Space: 1,
  Pad: 2,
  Break: 3,
  /** The user's line break stays (after `(`, `[` or `,`). */
  KeepBreak: 4,
  /** The user's line break stays when the brackets already span lines (before `)` or `]`). */
  KeepIfSpanned: 8,
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
  /** Per token: the {@link Sep} before it (after the token before it). */
  readonly separators: Uint8Array;
  /** Spaces before the `=` / `in` of each aligned setting, by that token's index. */
  readonly pads: ReadonlyMap<number, number>;
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
  const roles = new Uint8Array(tokens.length);
  const match = matchingBrackets(tokens, roles);
  const walk = new TreeWalk(text, tokens, match, roles);
  for (const declaration of parsed.ast.declarations) walk.declaration(declaration);
  if (tokens.length > 0) walk.set(tokens.length - 1, Role.DeclarationEnd);
  return {
    text,
    tokens,
    eol: /\r\n|\r|\n/.exec(text)?.[0] ?? '\n',
    unit: options.insertSpaces ? ' '.repeat(Math.max(1, options.tabSize)) : '\t',
    roles,
    separators: walk.finish(),
    pads: walk.pads,
  };
}

/** Per token: the index of its matching bracket, or -1; marks the brackets' roles. */
function matchingBrackets(tokens: readonly IToken[], roles: Uint8Array): number[] {
  const match: number[] = new Array<number>(tokens.length).fill(-1);
  const stack: number[] = [];
  tokens.forEach((t, i) => {
    const type = t.tokenType;
    if (type === T.LBrace || type === T.RBrace) roles[i] = Role.Brace;
    if (type === T.LParen || type === T.LBracket || type === T.LBrace) {
      roles[i] = (roles[i] ?? 0) | Role.Open;
      stack.push(i);
    } else if (type === T.RParen || type === T.RBracket || type === T.RBrace) {
      roles[i] = (roles[i] ?? 0) | Role.Close;
      const open = stack.pop();
      if (open !== undefined) {
        match[i] = open;
        match[open] = i;
      }
    }
  });
  return match;
}

/**
 * The walk over the tree that marks the roles of tokens and writes the separator before each, found
 * by the offsets of the nodes: what an expression says about its tokens (keyword `=`, negation) and
 * a setting about its `=` / `in` (alignment) first; then the punctuation of brackets, commas and
 * ranges ({@link TreeWalk.finish}); last the line breaks of the declarations, statements and blocks.
 */
class TreeWalk {
  readonly pads = new Map<number, number>();
  /** Per token: the {@link Sep} before it. */
  private readonly separators: Uint8Array;
  private readonly indexAt = new Map<number, number>();
  private readonly starts: number[] = [];
  private readonly blocks: { open: number; close: number; oneLine: boolean }[] = [];

  constructor(
    private readonly text: string,
    private readonly tokens: readonly IToken[],
    private readonly match: readonly number[],
    private readonly roles: Uint8Array,
  ) {
    this.separators = new Uint8Array(tokens.length).fill(Sep.Space);
    tokens.forEach((t, i) => this.indexAt.set(t.startOffset, i));
  }

  declaration(declaration: Declaration): void {
    const index = this.start(declaration.range.start);
    if (index !== undefined && index > 0) this.set(index - 1, Role.DeclarationEnd);
    if (declaration.kind === 'model') {
      if (declaration.body) {
        this.block(index, declaration.body.length);
        walkStatements(declaration.body, (statement) => {
          const start = this.start(statement.range.start);
          if (isBlock(statement)) this.block(start, statement.body.length);
        });
      }
    } else {
      const entries = entriesOf(declaration);
      this.block(index, entries.length);
      for (const entry of entries) this.start(entry.start);
      this.align(entries);
    }
    forEachDeclarationExpression(declaration, (root) => walkExpression(root, (e) => this.expression(e)));
  }

  private expression(e: Expression): void {
    if (e.kind === 'call') {
      // The `=` of a keyword argument (`activation=relu`) is not spaced; other `=` are.
      for (const a of e.args) {
        const name = a.name ? this.indexAt.get(a.name.range.start) : undefined;
        if (name !== undefined && this.tokens[name + 1]?.tokenType === T.Equals) this.attach(name + 1, name + 2);
      }
    } else if (e.kind === 'tuple' && e.items.length === 1) {
      const close = this.indexAt.get(e.range.end - 1);
      if (close !== undefined && this.tokens[close]?.tokenType === T.RParen) this.set(close, Role.TupleClose);
    } else if (e.kind === 'negate') {
      const minus = this.indexAt.get(e.range.start);
      if (minus !== undefined) this.attach(minus + 1);
    } else if (e.kind === 'number' && e.text.startsWith('-')) {
      // The parser folds the `-` signs before a number into the literal (`-1.0`), one token each.
      const first = this.indexAt.get(e.range.start);
      for (let k = 0; first !== undefined && e.text[k] === '-'; k++) this.attach(first + k + 1);
    }
  }

  /** No space before these tokens. */
  private attach(...indices: number[]): void {
    for (const i of indices) if (i < this.tokens.length) this.separators[i] = Sep.None;
  }

  /**
   * The separators, complete: the punctuation of the brackets, commas, ranges and calls over what the
   * expressions and settings said, then the line breaks of the starts and blocks over both.
   */
  finish(): Uint8Array {
    for (let y = 1; y < this.tokens.length; y++) this.punctuation(y - 1, y);
    for (const start of this.starts) this.separators[start] = Sep.Break;
    for (const { open, close, oneLine } of this.blocks) {
      // `{` on its header's line; `}` on its own line, or a one-line block `{ x }` (`{}` when empty).
      this.separators[open] = Sep.Space;
      this.separators[close] = oneLine ? Sep.Space : Sep.Break;
      if (open + 1 < this.tokens.length) this.separators[open + 1] = oneLine ? (open + 1 === close ? Sep.None : Sep.Space) : Sep.Break;
    }
    return this.separators;
  }

  /**
   * Between tokens `x` and `y` = `x + 1`: no space inside brackets or before a comma, one after it,
   * none around `..` nor between a name and the `(` of its call; the user's line break stays after
   * `(`, `[` or `,`, and before `)` or `]` in brackets that span lines.
   */
  private punctuation(x: number, y: number): void {
    const a = this.tokens[x]?.tokenType;
    const b = this.tokens[y]?.tokenType;
    const open = this.has(x, Role.Open);
    const close = this.has(y, Role.Close);
    const keep = close ? Sep.KeepIfSpanned : open || a === T.Comma ? Sep.KeepBreak : 0;
    let space = this.separators[y] ?? Sep.Space;
    if (b === T.Comma || open || close) space = Sep.None;
    else if (a === T.Comma) space = Sep.Space;
    else if (a === T.DotDot || b === T.DotDot) space = Sep.None;
    else if (b === T.LParen && a === T.Identifier) space = Sep.None;
    this.separators[y] = keep | space;
  }

  private has(index: number, role: number): boolean {
    return ((this.roles[index] ?? 0) & role) !== 0;
  }

  set(index: number, role: number): void {
    this.roles[index] = (this.roles[index] ?? 0) | role;
  }

  /** A declaration, statement, setting or search parameter starts on its own line. */
  private start(offset: number): number | undefined {
    const index = this.indexAt.get(offset);
    if (index !== undefined) {
      this.set(index, Role.Start);
      this.starts.push(index);
    }
    return index;
  }

  /** The block of the node that starts at token `from` (its first `{`) stays on one line when written so with at most one statement. */
  private block(from: number | undefined, statements: number): void {
    if (from === undefined) return;
    let open = from;
    while (open < this.tokens.length && this.tokens[open]?.tokenType !== T.LBrace) open++;
    const close = this.match[open] ?? -1;
    if (close < 0) return;
    const oneLine = statements <= 1 && !hasLineBreak(this.text.slice(at(this.tokens, open).startOffset, tokenEnd(at(this.tokens, close))));
    this.blocks.push({ open, close, oneLine });
  }

  /** Spaces before the `=` / `in` of a block's settings, aligned in groups that blank lines separate. */
  private align(entries: readonly { name: string; start: number }[]): void {
    let group: { name: string; operator: number }[] = [];
    const flush = (): void => {
      // A fold, not Math.max(...lengths): a block of 200,000 settings would overflow the stack with spread arguments.
      const width = group.reduce((widest, e) => (e.name.length <= alignLimit ? Math.max(widest, e.name.length) : widest), 0);
      for (const { name, operator } of group) {
        this.pads.set(operator, name.length <= alignLimit ? width - name.length + 1 : 1);
        this.separators[operator] = Sep.Pad;
      }
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
 * The walk over the items: writes the separator the tree walk gave each token, with the indentation
 * that the open brackets and blocks (`frames`) give a line; keeps a user's line break inside brackets
 * where the separator allows it; places comments and blank lines.
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
      const separator = this.s.separators[item.token] ?? Sep.None;
      const kind = separator & 3;
      if (kind === Sep.Break || (hasLineBreak(old) && this.keepsBreak(separator))) gap = this.newline(old, this.levelFor(item.token), previous, item);
      else if (kind === Sep.None) gap = '';
      else gap = kind === Sep.Pad ? ' '.repeat(this.s.pads.get(item.token) ?? 1) : ' ';
    }
    return { start, end: item.start, text: gap };
  }

  /** After item's gap: opens or closes its bracket. */
  advance(item: Item): void {
    if (item.token < 0) return;
    if (this.has(item.token, Role.Open)) {
      const block = this.has(item.token, Role.Brace);
      this.frames.push({ block, base: block ? this.contentLevel() : this.lineLevel, lines: this.lines });
    } else if (this.has(item.token, Role.Close)) {
      this.frames.pop();
    }
    this.lastToken = item.token;
    this.commentLineSinceToken = false;
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
    if (this.has(i, Role.Close)) return top ? top.base : 0;
    if (top && !top.block) return top.base + 1;
    // A `{` that a comment pushed off its header's line still lines up with the header.
    return this.isStart(i) || this.has(i, Role.Brace) ? this.contentLevel() : this.contentLevel() + 1;
  }

  private commentLevel(next: number): number {
    if (next < 0 || this.has(next, Role.Close)) return this.contentLevel();
    return this.levelFor(next);
  }

  private newline(old: string, level: number, previous: Item, item: Item): string {
    let blank = lineBreaks(old) >= 2;
    if (previous.token >= 0 && this.has(previous.token, Role.Open)) blank = false;
    if (item.token >= 0 && this.has(item.token, Role.Close)) blank = false;
    if (this.frames.length === 0 && this.has(this.lastToken, Role.DeclarationEnd) && !this.commentLineSinceToken) blank = true;
    this.lineLevel = level;
    this.lines++;
    return this.s.eol + (blank ? this.s.eol : '') + this.s.unit.repeat(Math.max(0, level));
  }

  /** Whether the user's line break before a token with this separator stays: only inside `(` / `[`. */
  private keepsBreak(separator: number): boolean {
    const top = this.frames[this.frames.length - 1];
    if (!top || top.block) return false;
    if (separator & Sep.KeepIfSpanned) return this.lines > top.lines;
    return (separator & Sep.KeepBreak) !== 0;
  }
}
