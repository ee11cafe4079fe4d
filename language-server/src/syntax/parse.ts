import type { IRecognitionException, IToken, TokenType } from 'chevrotain';
import type { ModelFile, Range } from './ast.js';
import { lexModelText } from './lexer.js';
import { expectedTokenPrefix, ModelParser, tokenRange } from './parser.js';
import * as T from './tokens.js';
import { LineIndex } from '../text/line-index.js';

export interface SyntaxError {
  readonly message: string;
  readonly range: Range;
}

export interface ParseResult {
  readonly ast: ModelFile;
  readonly errors: readonly SyntaxError[];
  /** The tokens the AST was parsed from, as chevrotain's lexer made them (offsets only, no lines). */
  readonly tokens: readonly IToken[];
  readonly comments: readonly IToken[];
}

let parser: ModelParser | undefined;

/** The parser is built once per process: its construction is the expensive part. */
function sharedParser(): ModelParser {
  parser ??= new ModelParser();
  return parser;
}

/** Parses a `.model` text. Never throws: problems come back as `errors` beside a best-effort AST. */
export function parseModelText(text: string): ParseResult {
  const lexed = lexModelText(text);
  const errors: SyntaxError[] = lexed.errors.map((error) => {
    const start = error.offset;
    const character = text.slice(start, start + error.length);
    return {
      message: `unexpected character ${JSON.stringify(character.slice(0, 1))}; remove it or quote it as a string`,
      range: { start, end: start + Math.max(1, error.length) },
    };
  });
  const allTokens = lexed.tokens;
  const tokens = withinNestingLimit(allTokens, errors);
  const parsed = sharedParser().parse(tokens, text.length);
  if (parsed.errors.length > 0) {
    const lines = new LineIndex(text);
    for (const error of parsed.errors) errors.push(describeParseError(error, allTokens, text, lines));
  }
  return new Parsed(text, parsed.ast, errors, tokens.length, lexed.comments);
}

/**
 * The tokens are not kept with the tree: the analysis keeps a parse for as long as the document
 * is open, and only completion, signature help and formatting read them. Those lex the text again
 * on first use (well under a millisecond for 1,000 layers), cut where the parse was cut.
 */
class Parsed implements ParseResult {
  private lexedTokens: readonly IToken[] | undefined;

  constructor(
    private readonly text: string,
    readonly ast: ModelFile,
    readonly errors: readonly SyntaxError[],
    private readonly tokenCount: number,
    readonly comments: readonly IToken[],
  ) {}

  get tokens(): readonly IToken[] {
    if (!this.lexedTokens) {
      const tokens = lexModelText(this.text).tokens;
      this.lexedTokens = tokens.length > this.tokenCount ? tokens.slice(0, this.tokenCount) : tokens;
    }
    return this.lexedTokens;
  }
}

/** Deeper than any real model; keeps the recursive-descent parser and the analysis far from the stack limit. */
export const maxNesting = 64;

/** Cuts the tokens where brackets nest deeper than `maxNesting`, reporting it there. */
function withinNestingLimit(tokens: IToken[], errors: SyntaxError[]): IToken[] {
  let depth = 0;
  // Operators since the last bracket, comma or `=`: a chain `1+1+…+1` nests its tree as deep as it is long.
  let chain = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as IToken;
    const kind = kinds[token.tokenTypeIdx] ?? 0;
    if (kind === opener) depth++;
    else if (kind === closer) depth = Math.max(0, depth - 1);
    if (depth > maxNesting) {
      errors.push({ message: `brackets nest more than ${maxNesting} levels deep here; the rest of the file is not analysed`, range: tokenRange(token) });
      return tokens.slice(0, i);
    }
    if (kind === operator) chain++;
    else if (kind !== 0) chain = 0;
    if (chain > maxOperatorChain) {
      errors.push({ message: `an expression of more than ${maxOperatorChain} operators here; split it, or compute the value elsewhere; the rest of the file is not analysed`, range: tokenRange(token) });
      return tokens.slice(0, i);
    }
  }
  return tokens;
}

/** Longer than any real expression; keeps the expression trees (one level per operator) far from the stack limit. */
export const maxOperatorChain = 1000;

// What the limits look at, by token type index: brackets, operators, and the other boundaries of an operator chain.
const opener = 1;
const closer = 2;
const operator = 3;
const boundary = 4;
const kinds: number[] = [];
for (const [kind, types] of [
  [opener, [T.LParen, T.LBracket, T.LBrace]],
  [closer, [T.RParen, T.RBracket, T.RBrace]],
  [operator, [T.Plus, T.Minus, T.Star, T.Slash, T.DoubleSlash]],
  [boundary, [T.Comma, T.Equals]],
] as const) {
  for (const type of types) kinds[type.tokenTypeIdx ?? 0] = kind;
}

function quote(image: string): string {
  return `\`${image}\``;
}

function describeToken(token: IToken): string {
  if (token.tokenType === T.Identifier) return `name ${quote(token.image)}`;
  if (token.tokenType === T.NumberLiteral) return `number ${token.image}`;
  if (token.tokenType === T.StringLiteral) return `string ${token.image}`;
  return quote(token.image);
}

const closers = new Map<TokenType, { open: string; close: TokenType }>([
  [T.RParen, { open: '(', close: T.RParen }],
  [T.RBrace, { open: '{', close: T.RBrace }],
  [T.RBracket, { open: '[', close: T.RBracket }],
]);

/** The innermost bracket still open before `offset`, with the name in front of a `(`. */
function unclosedOpener(tokens: readonly IToken[], offset: number, kind: TokenType): IToken | undefined {
  const opener = kind === T.RParen ? T.LParen : kind === T.RBrace ? T.LBrace : T.LBracket;
  const stack: IToken[] = [];
  for (const token of tokens) {
    if (token.startOffset >= offset) break;
    if (token.tokenType === opener) stack.push(token);
    else if (token.tokenType === kind) stack.pop();
  }
  return stack[stack.length - 1];
}

function openerDescription(tokens: readonly IToken[], opener: IToken): string {
  const index = tokens.indexOf(opener);
  const before = index > 0 ? tokens[index - 1] : undefined;
  if (opener.tokenType === T.LParen && before && before.tokenType === T.Identifier && tokenRange(before).end === opener.startOffset) {
    return `${quote(before.image + '(')}`;
  }
  if (opener.tokenType === T.LBrace && before) {
    // Name the declaration or statement whose block this is.
    let i = index - 1;
    while (i > 0 && tokens[i]?.tokenType !== T.Model && tokens[i]?.tokenType !== T.Train && tokens[i]?.tokenType !== T.Tune && tokens[i]?.tokenType !== T.Repeat && tokens[i]?.tokenType !== T.If && tokens[i]?.tokenType !== T.RBrace) i--;
    const head = tokens[i];
    if (head && head.tokenType !== T.RBrace) {
      const name = tokens[i + 1];
      const title = name && (head.tokenType === T.Model || head.tokenType === T.Train || head.tokenType === T.Tune) ? `${head.image} ${name.image}` : head.image;
      return `the block of ${quote(title)}`;
    }
  }
  return quote(opener.image);
}

function describeParseError(error: IRecognitionException, tokens: readonly IToken[], text: string, lines: LineIndex): SyntaxError {
  const found = error.token;
  const atEnd = found.tokenType.name === 'EOF' || Number.isNaN(found.startOffset);
  const previous = (error as IRecognitionException & { previousToken?: IToken }).previousToken;
  const hasPrevious = previous !== undefined && Number.isFinite(previous.startOffset);
  const offset = atEnd ? text.length : found.startOffset;
  const foundRange: Range = atEnd ? { start: Math.max(0, text.length - 1), end: text.length } : tokenRange(found);
  const foundText = atEnd ? 'the end of the file' : describeToken(found);
  const rule = error.context.ruleStack[error.context.ruleStack.length - 1] ?? '';

  if (!atEnd && closers.has(found.tokenType) && !unclosedOpener(tokens, offset, found.tokenType)) {
    return { message: `unmatched ${quote(found.image)}: nothing open here for it to close; remove it`, range: foundRange };
  }
  const wanted = error.message.startsWith(expectedTokenPrefix)
    ? T.allTokens.find((t) => t.name === error.message.slice(expectedTokenPrefix.length))
    : undefined;
  if (wanted && closers.has(wanted)) {
    const opener = unclosedOpener(tokens, offset, wanted);
    // A missing closer belongs after the last token it should follow, not on the next line.
    const range = hasPrevious && previous ? tokenRange(previous) : foundRange;
    if (opener) {
      const line = lines.positionAt(opener.startOffset).line + 1;
      return { message: `expected ${quote(closerImage(wanted))} to close ${openerDescription(tokens, opener)} opened on line ${line}, found ${foundText}`, range };
    }
    return { message: `expected ${quote(closerImage(wanted))}, found ${foundText}`, range };
  }
  if (wanted) {
    const what = wanted === T.Identifier ? 'a name' : quote(wanted.LABEL ?? wanted.name.toLowerCase());
    return { message: `expected ${what}${ruleContext(rule)}, found ${foundText}`, range: foundRange };
  }
  return { message: `${ruleDescriptions[rule] ?? 'unexpected input'}, found ${foundText}`, range: foundRange };
}

function closerImage(type: TokenType): string {
  return type === T.RParen ? ')' : type === T.RBrace ? '}' : ']';
}

function ruleContext(rule: string): string {
  switch (rule) {
    case 'modelDeclaration':
      return ' in the model declaration';
    case 'trainDeclaration':
      return ' in the `train` block';
    case 'tuneDeclaration':
      return ' in the `tune` block';
    case 'setting':
      return ' in the setting (`name = value`)';
    case 'searchParameter':
      return ' in the search range';
    case 'fromStatement':
      return ' after `from`';
    case 'outputStatement':
      return ' after `output`';
    case 'labelledStatement':
      return ' in the labels (`seq, h, c = LSTM(...)`)';
    default:
      return '';
  }
}

const ruleDescriptions: Record<string, string> = {
  file: 'expected `model`, `train` or `tune` to start a declaration',
  modelDeclaration: 'expected `{` to start the model body, or `= base(...)` for a variant',
  block: 'expected a layer such as `Dense(10)`, `input (28, 28, 1)`, `from label`, `output label`, `repeat N { ... }` or `if flag { ... }`',
  statement: 'expected a layer such as `Dense(10)`, `input (28, 28, 1)`, `from label`, `output label`, `repeat N { ... }` or `if flag { ... }`',
  labelledStatement: 'expected a layer call after `label =`, such as `Conv2D(32, 3)`',
  inputStatement: 'expected a shape such as `(28, 28, 1)` or a dataset name after `input`',
  fromStatement: 'expected the label of an earlier layer after `from`',
  outputStatement: 'expected the labels of the model\'s outputs after `output`, e.g. `output main, aux`',
  trainDeclaration: 'expected a setting such as `epochs = 10` inside the `train` block',
  tuneDeclaration: 'expected a setting (`name = value`) or a search range (`name in 1..5`) inside the `tune` block',
  setting: 'expected `name = value`',
  searchParameter: 'expected a range such as `1..5 step 1` or a list of choices such as `[true, false]` after `in`',
  call: 'expected an argument such as `32` or `activation=relu`, or `)`',
  expression: 'expected a value: a number, a name, a string, a tuple or a layer',
  parenthesized: 'expected a value or `)`',
  list: 'expected a value or `]`',
  modelParameter: 'expected a parameter such as `filters = 32`',
};
