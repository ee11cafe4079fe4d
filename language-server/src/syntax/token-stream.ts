import type { IToken, TokenType } from 'chevrotain';
import { allTokens, Identifier } from './tokens.js';
import { LineIndex } from '../text/line-index.js';

/**
 * Tokens as parallel typed arrays (kind, start, end) over the text, rather than
 * one object per token: a 10,000-layer file has some 64,000 tokens, and as
 * objects with their images and line/column fields they were a third of what an
 * analysis kept alive, enough to overflow V8's young generation. Chevrotain's
 * `IToken` objects are made from it on demand (`toTokens`), with line and column
 * computed then.
 */
export class TokenStream {
  constructor(
    readonly text: string,
    /** Index into `allTokens` of each token's type. */
    private readonly kinds: Uint8Array,
    private readonly starts: Int32Array,
    /** Exclusive. */
    private readonly ends: Int32Array,
    readonly length: number,
  ) {}

  /** The type of token `i`, undefined past the end. */
  type(i: number): TokenType | undefined {
    return i < this.length ? allTokens[this.kinds[i] ?? 0] : undefined;
  }

  start(i: number): number {
    return this.starts[i] ?? 0;
  }

  end(i: number): number {
    return this.ends[i] ?? 0;
  }

  image(i: number): string {
    return this.text.substring(this.starts[i] ?? 0, this.ends[i] ?? 0);
  }

  /** The first `length` tokens, sharing these arrays. */
  cut(length: number): TokenStream {
    return new TokenStream(this.text, this.kinds, this.starts, this.ends, Math.min(length, this.length));
  }

  /** The tokens as chevrotain's lexer creates them with full position tracking. */
  toTokens(lines: LineIndex = new LineIndex(this.text)): IToken[] {
    const tokens = new Array<IToken>(this.length);
    let line = 0;
    let nextLineStart = line + 1 < lines.lineCount ? lines.lineStart(line + 1) : Infinity;
    for (let i = 0; i < this.length; i++) {
      const start = this.start(i);
      // Tokens are in text order, so the line only moves forward.
      while (start >= nextLineStart) {
        line++;
        nextLineStart = line + 1 < lines.lineCount ? lines.lineStart(line + 1) : Infinity;
      }
      tokens[i] = token(this.image(i), start, allTokens[this.kinds[i] ?? 0] ?? Identifier, line + 1, start - lines.lineStart(line) + 1);
    }
    return tokens;
  }
}

/** Collects tokens while lexing; the arrays grow by doubling and are cut to size at the end. */
export class TokenStreamBuilder {
  private kinds: Uint8Array;
  private starts: Int32Array;
  private ends: Int32Array;
  private length = 0;

  constructor(
    private readonly text: string,
    capacity: number,
  ) {
    const size = Math.max(16, capacity);
    this.kinds = new Uint8Array(size);
    this.starts = new Int32Array(size);
    this.ends = new Int32Array(size);
  }

  push(kind: number, start: number, end: number): void {
    if (this.length === this.starts.length) this.grow();
    this.kinds[this.length] = kind;
    this.starts[this.length] = start;
    this.ends[this.length] = end;
    this.length++;
  }

  finish(): TokenStream {
    const n = this.length;
    return new TokenStream(this.text, this.kinds.slice(0, n), this.starts.slice(0, n), this.ends.slice(0, n), n);
  }

  private grow(): void {
    const size = this.starts.length * 2;
    const kinds = new Uint8Array(size);
    kinds.set(this.kinds);
    const starts = new Int32Array(size);
    starts.set(this.starts);
    const ends = new Int32Array(size);
    ends.set(this.ends);
    this.kinds = kinds;
    this.starts = starts;
    this.ends = ends;
  }
}

/** Index of each token type in `allTokens`, the kind stored in a stream. */
export const kindOf: ReadonlyMap<TokenType, number> = new Map(allTokens.map((type, i) => [type, i]));

/**
 * The token as chevrotain creates it with full position tracking. The fields are
 * in another order on purpose: objects built with chevrotain's order share their
 * hidden class with its EOF token, whose NaN offsets make V8 store every
 * offset of every token as a separate heap number (twice the memory).
 */
function token(image: string, startOffset: number, tokenType: TokenType, line: number, column: number): IToken {
  return {
    tokenType,
    tokenTypeIdx: tokenType.tokenTypeIdx ?? 0,
    image,
    startOffset,
    endOffset: startOffset + image.length - 1,
    startLine: line,
    endLine: line,
    startColumn: column,
    endColumn: column + image.length - 1,
  };
}
