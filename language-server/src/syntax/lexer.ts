import type { IToken, TokenType } from 'chevrotain';
import { kindOf, TokenStream, TokenStreamBuilder } from './token-stream.js';
import * as T from './tokens.js';

/**
 * The lexer for the token definitions in `tokens.ts`, written out by hand: it
 * yields what chevrotain's `Lexer` with `positionTracking: 'full'` does for
 * them (the same tokens, comments and errors), several times faster and with
 * almost no garbage, which matters as the text is lexed on every keystroke.
 * A change to a token pattern in `tokens.ts` must be made here too.
 */

export interface LexingError {
  readonly offset: number;
  readonly length: number;
  readonly line: number;
  readonly column: number;
}

export interface CompactLexResult {
  readonly tokens: TokenStream;
  readonly comments: TokenStream;
  readonly errors: LexingError[];
}

export interface LexResult {
  readonly tokens: IToken[];
  readonly comments: IToken[];
  readonly errors: LexingError[];
}

function kind(type: TokenType): number {
  return kindOf.get(type) ?? 0;
}

/** Keyword spellings (`true|True`) from their token patterns, by first letter; a longer name is an identifier (`input_dim`). */
const keywordsByFirst: { readonly spelling: string; readonly kind: number }[][] = [];
for (const type of T.allTokens) {
  if (type.LONGER_ALT === undefined || !(type.PATTERN instanceof RegExp)) continue;
  for (const spelling of type.PATTERN.source.split('|')) (keywordsByFirst[spelling.charCodeAt(0)] ??= []).push({ spelling, kind: kind(type) });
}

/** The kind of the word from `start` to `end`: a keyword's, or an identifier's (compared in place, no substring). */
function wordKind(text: string, start: number, end: number): number {
  const candidates = keywordsByFirst[text.charCodeAt(start)];
  if (candidates) {
    for (const { spelling, kind } of candidates) {
      if (spelling.length === end - start && text.startsWith(spelling, start)) return kind;
    }
  }
  return identifierKind;
}

const identifierKind = kind(T.Identifier);
const numberKind = kind(T.NumberLiteral);
const stringKind = kind(T.StringLiteral);
const commentKind = kind(T.Comment);
const slashKind = kind(T.Slash);
const doubleSlashKind = kind(T.DoubleSlash);
const dotDotKind = kind(T.DotDot);

// Character codes
const tab = 9;
const lineFeed = 10;
const formFeed = 12;
const carriageReturn = 13;
const blank = 32;
const doubleQuote = 34;
const hash = 35;
const quote = 39;
const dot = 46;
const slash = 47;

// Classes of the ASCII characters; others start no token.
const other = 0;
const space = 1;
const wordStart = 2;
const digit = 3;
const punctuation = 4;
const special = 5;
const classes = new Uint8Array(128);
for (const c of ' \t\r\n\f') classes[c.charCodeAt(0)] = space;
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z_]/.test(ch)) classes[c] = wordStart;
  else if (/[0-9]/.test(ch)) classes[c] = digit;
}
const punctuationKinds: number[] = [];
for (const [ch, type] of [
  ['(', T.LParen],
  [')', T.RParen],
  ['{', T.LBrace],
  ['}', T.RBrace],
  ['[', T.LBracket],
  [']', T.RBracket],
  [',', T.Comma],
  ['=', T.Equals],
  ['+', T.Plus],
  ['-', T.Minus],
  ['*', T.Star],
] as const) {
  classes[ch.charCodeAt(0)] = punctuation;
  punctuationKinds[ch.charCodeAt(0)] = kind(type);
}
for (const c of [hash, dot, slash, quote, doubleQuote]) classes[c] = special;

/** U+FEFF: the byte-order mark editors on Windows put first in a UTF-8 file; read as a space, so offsets stay put. */
const byteOrderMark = 0xfeff;

function classOf(code: number): number {
  if (code < 128) return classes[code] ?? other;
  return code === byteOrderMark ? space : other;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isWordPart(code: number): boolean {
  const c = classOf(code);
  return c === wordStart || c === digit;
}

function isLineEnd(code: number): boolean {
  return code === lineFeed || code === carriageReturn;
}

/** End of the number at `start` (a digit, or a dot before a digit): `\d+(\.\d+)?|\.\d+`, then `[eE][+-]?\d+`. */
function numberEnd(text: string, start: number): number {
  let i = start;
  while (isDigit(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) === dot && isDigit(text.charCodeAt(i + 1))) {
    i += 2;
    while (isDigit(text.charCodeAt(i))) i++;
  }
  const e = text.charCodeAt(i);
  if (e === 101 || e === 69) {
    let j = i + 1;
    const sign = text.charCodeAt(j);
    if (sign === 43 || sign === 45) j++;
    if (isDigit(text.charCodeAt(j))) {
      i = j;
      while (isDigit(text.charCodeAt(i))) i++;
    }
  }
  return i;
}

/** End of the string whose quote is at `start`, or -1 when it is not closed on its line. */
function stringEnd(text: string, start: number): number {
  const closing = text.charCodeAt(start);
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === closing) return i + 1;
    if (isLineEnd(c)) return -1;
  }
  return -1;
}

/** Whether some token matches at `offset`: where chevrotain ends a run of unexpected characters. */
function tokenStartsAt(text: string, offset: number): boolean {
  const code = text.charCodeAt(offset);
  switch (classOf(code)) {
    case other:
      return false;
    case special:
      if (code === dot) {
        const next = text.charCodeAt(offset + 1);
        return isDigit(next) || next === dot;
      }
      if (code === quote || code === doubleQuote) return stringEnd(text, offset) !== -1;
      return true;
    default:
      return true;
  }
}

/** Lexes into compact token streams; see `TokenStream`. */
export function lexCompact(text: string): CompactLexResult {
  // About one token per four characters in real models; the builder grows if there are more.
  const tokens = new TokenStreamBuilder(text, text.length >> 2);
  const comments = new TokenStreamBuilder(text, 16);
  const errors: LexingError[] = [];
  const length = text.length;
  let line = 1;
  let lineStart = 0;
  let offset = 0;
  while (offset < length) {
    const code = text.charCodeAt(offset);
    let end = -1;
    let kind = -1;
    switch (classOf(code)) {
      case space: {
        let i = offset;
        for (;;) {
          const c = text.charCodeAt(i);
          if (c === blank || c === tab || c === formFeed || c === byteOrderMark) i++;
          else if (c === lineFeed || c === carriageReturn) {
            i += c === carriageReturn && text.charCodeAt(i + 1) === lineFeed ? 2 : 1;
            line++;
            lineStart = i;
          } else break;
        }
        offset = i;
        continue;
      }
      case wordStart:
        end = offset + 1;
        while (isWordPart(text.charCodeAt(end))) end++;
        kind = wordKind(text, offset, end);
        break;
      case digit:
        end = numberEnd(text, offset);
        kind = numberKind;
        break;
      case punctuation:
        end = offset + 1;
        kind = punctuationKinds[code] ?? -1;
        break;
      case special:
        if (code === hash) {
          end = offset + 1;
          while (end < length && !isLineEnd(text.charCodeAt(end))) end++;
          comments.push(commentKind, offset, end);
          offset = end;
          continue;
        }
        if (code === slash) {
          const double = text.charCodeAt(offset + 1) === slash;
          end = offset + (double ? 2 : 1);
          kind = double ? doubleSlashKind : slashKind;
        } else if (code === dot) {
          const next = text.charCodeAt(offset + 1);
          if (isDigit(next)) {
            end = numberEnd(text, offset);
            kind = numberKind;
          } else if (next === dot) {
            end = offset + 2;
            kind = dotDotKind;
          }
        } else {
          end = stringEnd(text, offset);
          kind = stringKind;
        }
        break;
    }
    if (end === -1 || kind === -1) {
      // Drop characters up to the next place a token can start, as one error.
      const start = offset;
      do offset++;
      while (offset < length && !tokenStartsAt(text, offset));
      errors.push({ offset: start, length: offset - start, line, column: start - lineStart + 1 });
      continue;
    }
    tokens.push(kind, offset, end);
    offset = end;
  }
  return { tokens: tokens.finish(), comments: comments.finish(), errors };
}

/** Lexes into chevrotain's token objects. */
export function lex(text: string): LexResult {
  const { tokens, comments, errors } = lexCompact(text);
  return { tokens: tokens.toTokens(), comments: comments.toTokens(), errors };
}
