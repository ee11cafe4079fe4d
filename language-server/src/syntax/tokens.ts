import { createToken, Lexer, type TokenType } from 'chevrotain';

// U+FEFF: the byte-order mark editors on Windows put first in a UTF-8 file; read as a space, so offsets stay put.
export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\f\uFEFF]+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: 'Comment', pattern: /#[^\n\r]*/, group: 'comments' });

export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/ });

function keyword(name: string, pattern: RegExp): TokenType {
  return createToken({ name, pattern, longer_alt: Identifier });
}

export const Model = keyword('Model', /model/);
export const Input = keyword('Input', /input/);
export const Output = keyword('Output', /output/);
export const From = keyword('From', /from/);
export const Repeat = keyword('Repeat', /repeat/);
export const If = keyword('If', /if/);
export const Train = keyword('Train', /train/);
export const Tune = keyword('Tune', /tune/);
export const In = keyword('In', /in/);
export const Step = keyword('Step', /step/);
export const Log = keyword('Log', /log/);
export const True = keyword('True', /true|True/);
export const False = keyword('False', /false|False/);
export const NoneLiteral = keyword('None', /none|None/);

// A digit is required after the decimal point so that `2..5` lexes as a range.
export const NumberLiteral = createToken({ name: 'Number', pattern: /(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/ });
export const StringLiteral = createToken({ name: 'String', pattern: /'[^'\n\r]*'|"[^"\n\r]*"/ });

export const LParen = createToken({ name: 'LParen', pattern: /\(/, label: '(' });
export const RParen = createToken({ name: 'RParen', pattern: /\)/, label: ')' });
export const LBrace = createToken({ name: 'LBrace', pattern: /\{/, label: '{' });
export const RBrace = createToken({ name: 'RBrace', pattern: /\}/, label: '}' });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/, label: '[' });
export const RBracket = createToken({ name: 'RBracket', pattern: /\]/, label: ']' });
export const Comma = createToken({ name: 'Comma', pattern: /,/, label: ',' });
export const DotDot = createToken({ name: 'DotDot', pattern: /\.\./, label: '..' });
export const Equals = createToken({ name: 'Equals', pattern: /=/, label: '=' });
export const Plus = createToken({ name: 'Plus', pattern: /\+/, label: '+' });
export const Minus = createToken({ name: 'Minus', pattern: /-/, label: '-' });
export const Star = createToken({ name: 'Star', pattern: /\*/, label: '*' });
export const DoubleSlash = createToken({ name: 'DoubleSlash', pattern: /\/\//, label: '//' });
export const Slash = createToken({ name: 'Slash', pattern: /\//, label: '/' });

/** Keywords that name the start of a top-level declaration; used by error recovery and completion. */
export const declarationKeywords: readonly TokenType[] = [Model, Train, Tune];

export const allTokens: TokenType[] = [
  WhiteSpace,
  Comment,
  Model,
  Input,
  Output,
  From,
  Repeat,
  If,
  Train,
  Tune,
  In,
  Step,
  Log,
  True,
  False,
  NoneLiteral,
  Identifier,
  NumberLiteral,
  StringLiteral,
  LParen,
  RParen,
  LBrace,
  RBrace,
  LBracket,
  RBracket,
  Comma,
  DotDot,
  Equals,
  Plus,
  Minus,
  Star,
  DoubleSlash,
  Slash,
];
