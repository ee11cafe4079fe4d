import { CstParser, type CstNode, type IOrAlt, type IParserErrorMessageProvider, type IRecognitionException, type IToken } from 'chevrotain';
import * as T from './tokens.js';

/**
 * Messages in a structured form that `parse.ts` turns into sentences, since only
 * it sees the whole token stream (to name the bracket a missing `)` would close).
 */
export const expectedTokenPrefix = 'expected-token:';
const structuredMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected }) => `${expectedTokenPrefix}${expected.name}`,
  buildNotAllInputParsedMessage: () => 'not-all-input',
  buildNoViableAltMessage: ({ ruleName }) => `no-viable:${ruleName}`,
  buildEarlyExitMessage: ({ ruleName }) => `early-exit:${ruleName}`,
};

/**
 * The grammar of `.model` files as a chevrotain CST parser. It only recognises
 * structure; `ast-builder.ts` turns the CST into the typed AST. Build it once
 * (construction runs the grammar self-analysis) and reuse it by assigning `input`.
 */
const operandLabel = { LABEL: 'operands' };
const prefixLabel = { LABEL: 'prefix' };

export class ModelParser extends CstParser {
  private fileAlternatives?: IOrAlt<unknown>[];
  private statementAlternatives?: IOrAlt<unknown>[];
  private labelledAlternatives?: IOrAlt<unknown>[];
  private operatorAlternatives?: IOrAlt<unknown>[];
  private readonly operandAlternatives: IOrAlt<unknown>[][] = [];

  constructor(options: { validate: boolean } = { validate: false }) {
    super(T.allTokens, {
      recoveryEnabled: true,
      maxLookahead: 3,
      nodeLocationTracking: 'onlyOffset',
      skipValidations: !options.validate,
      errorMessageProvider: structuredMessages,
    });
    this.performSelfAnalysis();
  }

  public file = this.RULE('file', () => {
    this.MANY(() => {
      this.OR((this.fileAlternatives ??= [
        { ALT: () => this.SUBRULE(this.modelDeclaration) },
        { ALT: () => this.SUBRULE(this.trainDeclaration) },
        { ALT: () => this.SUBRULE(this.tuneDeclaration) },
      ]));
    });
  });

  private modelDeclaration = this.RULE('modelDeclaration', () => {
    this.CONSUME(T.Model);
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.OPTION(() => {
      this.CONSUME(T.LParen);
      this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.modelParameter) });
      this.CONSUME(T.RParen);
    });
    this.OR([
      { ALT: () => this.SUBRULE(this.block) },
      {
        ALT: () => {
          this.CONSUME(T.Equals);
          this.SUBRULE(this.call, { LABEL: 'variant' });
        },
      },
    ]);
  });

  private modelParameter = this.RULE('modelParameter', () => {
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.OPTION(() => {
      this.CONSUME(T.Equals);
      this.SUBRULE(this.expression, { LABEL: 'default' });
    });
  });

  private block = this.RULE('block', () => {
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.statement));
    this.CONSUME(T.RBrace);
  });

  private statement = this.RULE('statement', () => {
    this.OR((this.statementAlternatives ??= [
      { ALT: () => this.SUBRULE(this.inputStatement) },
      { ALT: () => this.SUBRULE(this.fromStatement) },
      { ALT: () => this.SUBRULE(this.repeatStatement) },
      { ALT: () => this.SUBRULE(this.ifStatement) },
      { ALT: () => this.SUBRULE(this.labelledStatement) },
      { ALT: () => this.SUBRULE(this.call, { LABEL: 'layer' }) },
    ]));
    // Commas between statements are allowed and carry no meaning.
    this.OPTION(() => this.CONSUME(T.Comma));
  });

  private labelledStatement = this.RULE('labelledStatement', () => {
    this.CONSUME(T.Identifier, { LABEL: 'label' });
    this.CONSUME(T.Equals);
    this.OR((this.labelledAlternatives ??= [
      { ALT: () => this.SUBRULE(this.inputStatement) },
      { ALT: () => this.SUBRULE(this.call, { LABEL: 'layer' }) },
    ]));
  });

  private inputStatement = this.RULE('inputStatement', () => {
    this.CONSUME(T.Input);
    this.SUBRULE(this.expression, { LABEL: 'value' });
  });

  private fromStatement = this.RULE('fromStatement', () => {
    this.CONSUME(T.From);
    this.CONSUME(T.Identifier, { LABEL: 'target' });
  });

  private repeatStatement = this.RULE('repeatStatement', () => {
    this.CONSUME(T.Repeat);
    this.SUBRULE(this.expression, { LABEL: 'count' });
    this.SUBRULE(this.block);
  });

  private ifStatement = this.RULE('ifStatement', () => {
    this.CONSUME(T.If);
    this.SUBRULE(this.expression, { LABEL: 'condition' });
    this.SUBRULE(this.block);
  });

  private trainDeclaration = this.RULE('trainDeclaration', () => {
    this.CONSUME(T.Train);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.CONSUME(T.Identifier, { LABEL: 'models' }) });
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.setting));
    this.CONSUME(T.RBrace);
  });

  private tuneDeclaration = this.RULE('tuneDeclaration', () => {
    this.CONSUME(T.Tune);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.CONSUME(T.Identifier, { LABEL: 'models' }) });
    this.CONSUME(T.LBrace);
    this.MANY(() => {
      this.OR([
        { GATE: () => this.LA(2).tokenType === T.In, ALT: () => this.SUBRULE(this.searchParameter) },
        { ALT: () => this.SUBRULE(this.setting) },
      ]);
    });
    this.CONSUME(T.RBrace);
  });

  private setting = this.RULE('setting', () => {
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression, { LABEL: 'value' });
    this.OPTION(() => this.CONSUME(T.Comma));
  });

  private searchParameter = this.RULE('searchParameter', () => {
    this.CONSUME(T.Identifier, { LABEL: 'name' });
    this.CONSUME(T.In);
    this.OR([
      { GATE: () => this.LA(1).tokenType === T.LBracket, ALT: () => this.SUBRULE(this.list, { LABEL: 'choices' }) },
      {
        ALT: () => {
          this.SUBRULE(this.expression, { LABEL: 'low' });
          this.CONSUME(T.DotDot);
          this.SUBRULE2(this.expression, { LABEL: 'high' });
          this.OPTION(() => {
            this.CONSUME(T.Step);
            this.SUBRULE3(this.expression, { LABEL: 'step' });
          });
          this.OPTION2(() => this.CONSUME(T.Log));
        },
      },
    ]);
    this.OPTION3(() => this.CONSUME(T.Comma));
  });

  /**
   * `Name(args)`. Arguments are inlined (`name=` is an optional prefix of each
   * value, told apart with two tokens of lookahead): chevrotain's cost is mostly
   * per rule invocation, and arguments are the most frequent construct.
   */
  private call = this.RULE('call', () => {
    this.CONSUME(T.Identifier, { LABEL: 'callee' });
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.OPTION2(() => {
        this.CONSUME2(T.Identifier, { LABEL: 'argumentNames' });
        this.CONSUME(T.Equals);
      });
      this.SUBRULE(this.expression, { LABEL: 'argumentValues' });
      this.MANY({
        GATE: () => this.LA(2).tokenType !== T.RParen,
        DEF: () => {
          this.CONSUME(T.Comma);
          this.OPTION3(() => {
            this.CONSUME3(T.Identifier, { LABEL: 'argumentNames' });
            this.CONSUME2(T.Equals);
          });
          this.SUBRULE2(this.expression, { LABEL: 'argumentValues' });
        },
      });
      this.OPTION4(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RParen);
  });

  /**
   * A flat run of operands and operators; the AST builder applies precedence.
   * Operands are written into this rule rather than being rules of their own:
   * every argument value is an expression, so this is the parser's hottest
   * path and each avoided rule invocation counts.
   */
  public expression = this.RULE('expression', () => {
    this.operand(5);
    this.MANY(() => {
      this.OR((this.operatorAlternatives ??= [
        { ALT: () => this.CONSUME(T.Plus, { LABEL: 'operators' }) },
        { ALT: () => this.CONSUME(T.Minus, { LABEL: 'operators' }) },
        { ALT: () => this.CONSUME(T.Star, { LABEL: 'operators' }) },
        { ALT: () => this.CONSUME(T.DoubleSlash, { LABEL: 'operators' }) },
        { ALT: () => this.CONSUME(T.Slash, { LABEL: 'operators' }) },
      ]));
      this.operand(6);
    });
  });

  /** The operand alternatives, emitted with occurrence index `i` (each use in a rule needs its own). */
  private operand(i: number): void {
    this.many(i, () => this.consume(i, T.Minus, prefixLabel));
    this.or(i, (this.operandAlternatives[i] ??= this.makeOperandAlternatives(i)));
  }

  /**
   * Built once per occurrence and reused: chevrotain's guide recommends caching
   * alternatives, and allocating them on every operand showed up as most of the
   * parser's garbage.
   */
  private makeOperandAlternatives(i: number): IOrAlt<unknown>[] {
    return [
      { ALT: () => this.consume(i, T.NumberLiteral, operandLabel) },
      { ALT: () => this.consume(i, T.StringLiteral, operandLabel) },
      { ALT: () => this.consume(i, T.True, operandLabel) },
      { ALT: () => this.consume(i, T.False, operandLabel) },
      { ALT: () => this.consume(i, T.NoneLiteral, operandLabel) },
      { GATE: () => this.LA(2).tokenType === T.LParen, ALT: () => this.subrule(i, this.call, operandLabel) },
      { ALT: () => this.consume(i, T.Identifier, operandLabel) },
      { ALT: () => this.subrule(i, this.parenthesized, operandLabel) },
      { ALT: () => this.subrule(i, this.list, operandLabel) },
    ];
  }

  /** `(a)` groups; `(a,)`, `(a, b)` and `()` are tuples. */
  private parenthesized = this.RULE('parenthesized', () => {
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.expression, { LABEL: 'items' });
      this.MANY({
        GATE: () => this.LA(2).tokenType !== T.RParen,
        DEF: () => {
          this.CONSUME(T.Comma, { LABEL: 'commas' });
          this.SUBRULE2(this.expression, { LABEL: 'items' });
        },
      });
      this.OPTION2(() => this.CONSUME2(T.Comma, { LABEL: 'commas' }));
    });
    this.CONSUME(T.RParen);
  });

  private list = this.RULE('list', () => {
    this.CONSUME(T.LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.expression, { LABEL: 'items' });
      this.MANY({
        GATE: () => this.LA(2).tokenType !== T.RBracket,
        DEF: () => {
          this.CONSUME(T.Comma);
          this.SUBRULE2(this.expression, { LABEL: 'items' });
        },
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RBracket);
  });
}

export type { CstNode, IRecognitionException, IToken };
