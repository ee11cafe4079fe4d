import { Lexer, type ILexingError, type IToken } from 'chevrotain';
import { allTokens } from './tokens.js';

export interface LexResult {
  readonly tokens: IToken[];
  readonly comments: IToken[];
  readonly errors: ILexingError[];
}

/**
 * Chevrotain's lexer for the tokens of `tokens.ts`, built once. Tokens carry
 * offsets only: nothing reads their lines or columns (a `LineIndex` converts
 * offsets where needed), and leaving them out makes lexing faster and the
 * tokens smaller. `ensureOptimizations` fails at start-up if a token pattern
 * would make chevrotain fall back to trying every pattern at every offset.
 */
const lexer = new Lexer(allTokens, {
  positionTracking: 'onlyOffset',
  ensureOptimizations: true,
  // Validated in the tests (test/core/parser.test.ts), not on every start.
  skipValidations: true,
});

/** Lexes a `.model` text: the tokens the parser reads, the comments, and the runs of characters no token matches. */
export function lexModelText(text: string): LexResult {
  const result = lexer.tokenize(text);
  return { tokens: result.tokens, comments: result.groups['comments'] ?? [], errors: result.errors };
}
