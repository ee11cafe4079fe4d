import type { IToken } from 'chevrotain';
import * as T from '../syntax/tokens.js';

/** The kind of `{ }` block the cursor is in. */
export type BlockKind = 'top' | 'model' | 'train' | 'tune' | 'repeat' | 'if';

export interface OpenCall {
  readonly callee: string;
  readonly calleeOffset: number;
  /** Index of the argument the cursor is in (commas at this depth before it). */
  readonly argumentIndex: number;
  /** Names given as `name=` before the cursor in this call. */
  readonly namedBefore: readonly string[];
  /** The `name=` prefix of the argument the cursor is in, if any. */
  readonly currentName?: string;
}

/**
 * Where the cursor is, read from the tokens before it rather than the AST, so
 * that completion and signature help work on half-typed text.
 */
export interface TokenContext {
  readonly block: BlockKind;
  /** The declaration the block belongs to (`model m`'s `m`). */
  readonly declarationName?: string;
  /** The call whose argument list the cursor is directly in. */
  readonly call?: OpenCall;
  /** The innermost call around the cursor, also from inside a tuple or list in its arguments (`Conv2D(8, (3, |`). */
  readonly enclosingCall?: OpenCall;
  /** The identifier being typed, up to the cursor. */
  readonly prefix: string;
  readonly prefixStart: number;
  /** The significant tokens just before the word being typed, nearest last. */
  readonly before: readonly IToken[];
  readonly insideBracket: boolean;
}

interface BlockFrame {
  readonly kind: BlockKind;
  readonly name?: string;
}

interface ParenFrame {
  readonly open: IToken;
  readonly callee?: IToken;
  commas: number;
  named: string[];
  currentName?: string;
  readonly bracket: boolean;
}

export function tokenContext(text: string, tokens: readonly IToken[], offset: number): TokenContext {
  let prefixStart = offset;
  while (prefixStart > 0 && /[A-Za-z0-9_]/.test(text[prefixStart - 1] ?? '')) prefixStart--;
  const prefix = text.slice(prefixStart, offset);
  const blocks: BlockFrame[] = [{ kind: 'top' }];
  const parens: ParenFrame[] = [];
  const before: IToken[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (!token || token.startOffset >= prefixStart) break;
    const type = token.tokenType;
    if (type === T.LBrace) {
      blocks.push(blockFor(tokens, i));
      parens.length = 0;
    } else if (type === T.RBrace) {
      if (blocks.length > 1) blocks.pop();
      parens.length = 0;
    } else if (type === T.LParen || type === T.LBracket) {
      const previous = tokens[i - 1];
      const isCall = type === T.LParen && previous?.tokenType === T.Identifier && previous.startOffset + previous.image.length === token.startOffset;
      parens.push({ open: token, ...(isCall && previous ? { callee: previous } : {}), commas: 0, named: [], bracket: type === T.LBracket });
    } else if (type === T.RParen || type === T.RBracket) {
      parens.pop();
    } else if (type === T.Comma) {
      const top = parens[parens.length - 1];
      if (top) {
        top.commas++;
        delete top.currentName;
      }
    } else if (type === T.Equals) {
      const top = parens[parens.length - 1];
      const name = tokens[i - 1];
      if (top && name?.tokenType === T.Identifier) {
        top.named.push(name.image);
        top.currentName = name.image;
      }
    }
    before.push(token);
  }
  const block = blocks[blocks.length - 1] ?? { kind: 'top' };
  const declaration = [...blocks].reverse().find((b) => b.kind === 'model' || b.kind === 'train' || b.kind === 'tune');
  const openCall = (frame: ParenFrame | undefined): OpenCall | undefined =>
    frame?.callee
      ? {
          callee: frame.callee.image,
          calleeOffset: frame.callee.startOffset,
          argumentIndex: frame.commas,
          namedBefore: frame.named,
          ...(frame.currentName ? { currentName: frame.currentName } : {}),
        }
      : undefined;
  const call = openCall(parens[parens.length - 1]);
  const enclosingCall = call ?? openCall([...parens].reverse().find((p) => p.callee));
  return {
    block: block.kind,
    ...(declaration?.name ? { declarationName: declaration.name } : {}),
    ...(call ? { call } : {}),
    ...(enclosingCall ? { enclosingCall } : {}),
    prefix,
    prefixStart,
    before: before.slice(-4),
    insideBracket: parens.length > 0,
  };
}

function blockFor(tokens: readonly IToken[], braceIndex: number): BlockFrame {
  // Walk back to the header keyword of this block, skipping its parameters and expressions.
  let depth = 0;
  for (let j = braceIndex - 1; j >= 0; j--) {
    const t = tokens[j];
    if (!t) break;
    if (t.tokenType === T.RParen || t.tokenType === T.RBracket) depth++;
    else if (t.tokenType === T.LParen || t.tokenType === T.LBracket) depth--;
    if (depth > 0) continue;
    if (t.tokenType === T.RBrace || t.tokenType === T.LBrace) break;
    if (t.tokenType === T.Model) return { kind: 'model', name: tokens[j + 1]?.image ?? '' };
    if (t.tokenType === T.Train) return { kind: 'train', name: tokens[j + 1]?.image ?? '' };
    if (t.tokenType === T.Tune) return { kind: 'tune', name: tokens[j + 1]?.image ?? '' };
    if (t.tokenType === T.Repeat) return { kind: 'repeat' };
    if (t.tokenType === T.If) return { kind: 'if' };
  }
  return { kind: 'top' };
}
