import {
  EmbeddedActionsParser,
  LLkLookaheadStrategy,
  type ConsumeMethodOpts,
  type IOrAlt,
  type IParserErrorMessageProvider,
  type IRecognitionException,
  type IRuleConfig,
  type IToken,
  type TokenType,
} from 'chevrotain';
import type * as A from './ast.js';
import { IndexedLookaheadStrategy } from './lookahead.js';
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

const nowhere: A.Range = { start: 0, end: 0 };
const noTokens: IToken[] = [];

export function tokenRange(t: IToken): A.Range {
  // Only the placeholder token of grammar recording lies outside the text. Its offsets, like those of all
  // tokens chevrotain creates, are heap numbers; stored in a range, they would make V8 box the offsets
  // of every range from then on.
  if (!(t.startOffset >= 0)) return nowhere;
  // The lexer tracks offsets only: a token's end is where its image ends.
  return { start: t.startOffset, end: t.startOffset + t.image.length };
}

/** The token, unless error recovery inserted it (such tokens have NaN offsets). */
function real(t: IToken | undefined): IToken | undefined {
  return t && !t.isInsertedInRecovery && !Number.isNaN(t.startOffset) ? t : undefined;
}


export function binary(operator: A.BinaryOperator, left: A.Expression, right: A.Expression): A.BinaryExpression {
  return { kind: 'binary', operator, left, right, range: { start: left.range.start, end: right.range.end } };
}

/** `input value` as parsed; its range is the enclosing statement's (label and trailing comma included), so that finishes it. */
interface InputParts {
  readonly kind: 'input-parts';
  readonly keyword: IToken | undefined;
  readonly value: A.Expression | undefined;
}

/** What the alternatives of a statement yield before `statement` finishes them. */
type StatementParts = A.Statement | InputParts | A.CallExpression | undefined;

function isOperator(type: TokenType): boolean {
  return type === T.Plus || type === T.Minus || type === T.Star || type === T.DoubleSlash || type === T.Slash;
}

function removeAbove<E>(stack: E[], length: number): void {
  while (stack.length > length) stack.pop();
}

/** Bookkeeping of one parse, reset before and after it. */
class ParseState {
  textLength = 0;
  /**
   * Real tokens consumed so far: their count, the start of each and the end of the last.
   * A rule notes the count on entry; its range runs from the first to the last token
   * consumed since, whether it completed or failed part-way (tokens skipped or inserted
   * by recovery are not consumed), which is what chevrotain's CST parser recorded as
   * node locations. Offsets rather than the tokens, in an array kept from parse to parse.
   */
  consumed = 0;
  private starts = new Int32Array(1024);
  private lastEnd = 0;
  /** Set by a rule that failed part-way: what it built, for its caller or for chevrotain's re-sync. */
  failed: { readonly value: unknown } | undefined;
  // Stacks shared by nested expressions and calls: each rule uses the entries above the length it noted on entry.
  readonly operands: A.Expression[] = [];
  readonly operators: IToken[] = [];
  readonly prefixes: IToken[] = [];
  readonly argumentNames: IToken[] = [];
  readonly argumentValues: A.Expression[] = [];
  readonly items: A.Expression[] = [];
  /** Commas of the innermost parenthesized expression (a rule restores it on exit). */
  commas = 0;

  reset(textLength: number): void {
    this.textLength = textLength;
    this.failed = undefined;
    this.commas = 0;
    this.consumed = 0;
    this.lastEnd = 0;
    this.names.clear();
    for (const stack of [this.operands, this.operators, this.prefixes, this.argumentNames, this.argumentValues, this.items]) stack.length = 0;
  }

  track(token: IToken): IToken {
    const start = token.startOffset;
    if (!Number.isNaN(start)) {
      if (this.consumed === this.starts.length) {
        const grown = new Int32Array(this.starts.length * 2);
        grown.set(this.starts);
        this.starts = grown;
      }
      this.starts[this.consumed++] = start;
      this.lastEnd = start + token.image.length;
    }
    return token;
  }

  /** The range of what a rule consumed since `mark`, or an empty range at `fallback` if nothing. */
  range(mark: number, fallback: number): A.Range {
    if (mark >= this.consumed) return { start: fallback, end: fallback };
    const start = this.starts[mark] ?? fallback;
    return { start, end: Math.max(start, this.lastEnd) };
  }

  /**
   * One string per distinct name: a long model repeats a few names thousands of times, and the
   * tree would otherwise keep each token's own copy alive after the tokens are gone.
   */
  private readonly names = new Map<string, string>();

  name(image: string): string {
    const known = this.names.get(image);
    if (known !== undefined) return known;
    this.names.set(image, image);
    return image;
  }

  identifier(t: IToken): A.Identifier {
    return { kind: 'identifier', name: this.name(t.image), range: tokenRange(t) };
  }

  missing(offset: number): A.MissingExpression {
    const at = Math.min(Math.max(0, offset), this.textLength);
    return { kind: 'missing', range: { start: at, end: at } };
  }

  /** The partial result of the sub-rule that failed, if the failure came from one; typed by the caller, which knows the rule. */
  takeFailed<R>(): { readonly value: R } | undefined {
    const failed = this.failed;
    this.failed = undefined;
    return failed as { readonly value: R } | undefined;
  }
}

/** Stands for a result while chevrotain records the grammar, when results are discarded. */
const recordingPlaceholder: A.MissingExpression = { kind: 'missing', range: nowhere };

/**
 * The grammar of `.model` files, building the typed AST as it parses. Build it
 * once (construction runs the grammar self-analysis) and reuse it with `parse`.
 *
 * Error recovery: chevrotain re-syncs a failing rule by returning its
 * `recoveryValueFunc` result, or lets the error through to the calling rule.
 * Either way the AST keeps what the failing rules had parsed, as the CST parser
 * did: each rule catches the error, hands its partial result over (`fail`), and
 * its caller adds that to its own (or recovery returns it, `recovered`).
 * Results are built in plain code rather than in `ACTION`s (a closure per call
 * on the hottest paths); while the grammar is recorded they return placeholders.
 *
 * It is the only parser: valid files and files with errors alike.
 */
export class ModelParser extends EmbeddedActionsParser {
  private readonly state = new ParseState();

  /** `validate`: run chevrotain's grammar checks (tests); `lookahead: 'llk'`: chevrotain's own lookahead, to test the indexed one against. */
  constructor(options: { validate?: boolean; lookahead?: 'indexed' | 'llk' } = {}) {
    super(T.allTokens, {
      recoveryEnabled: true,
      maxLookahead: 3,
      lookaheadStrategy: options.lookahead === 'llk' ? new LLkLookaheadStrategy({ maxLookahead: 3 }) : new IndexedLookaheadStrategy({ maxLookahead: 3 }),
      skipValidations: options.validate !== true,
      errorMessageProvider: structuredMessages,
    });
    this.performSelfAnalysis();
  }

  /** Parses a token stream: the AST and the syntax errors. The parser keeps no reference to the tokens after. */
  parse(tokens: IToken[], textLength: number): { readonly ast: A.ModelFile; readonly errors: IRecognitionException[] } {
    this.state.reset(textLength);
    this.input = tokens;
    try {
      const ast = this.file();
      return { ast, errors: this.errors };
    } finally {
      this.state.reset(0);
      this.input = noTokens;
    }
  }

  // Every consumed token passes here, chevrotain's own separator CONSUMEs in MANY_SEP included.
  protected override CONSUME(tokType: TokenType, options?: ConsumeMethodOpts): IToken {
    return this.state.track(super.CONSUME(tokType, options));
  }

  protected override CONSUME2(tokType: TokenType, options?: ConsumeMethodOpts): IToken {
    return this.state.track(super.CONSUME2(tokType, options));
  }

  protected override CONSUME3(tokType: TokenType, options?: ConsumeMethodOpts): IToken {
    return this.state.track(super.CONSUME3(tokType, options));
  }

  protected override consume(idx: number, tokType: TokenType, options?: ConsumeMethodOpts): IToken {
    return this.state.track(super.consume(idx, tokType, options));
  }

  /** Hands what a failing rule built so far to its caller (or to chevrotain's re-sync), and lets the error go on. */
  private fail(error: unknown, partial: unknown): never {
    this.state.failed = { value: partial };
    throw error;
  }

  private recovered<R>(fallback: () => R): IRuleConfig<R> {
    return {
      recoveryValueFunc: (_error: IRecognitionException): R => {
        const failed = this.state.takeFailed<R>();
        return failed ? failed.value : fallback();
      },
    };
  }

  public file = this.RULE(
    'file',
    (): A.ModelFile => {
      const declarations: A.Declaration[] = [];
      try {
        this.MANY(() => {
          const declaration = this.OR(this.declarationAlternatives);
          if (declaration) declarations.push(declaration);
        });
      } catch (error) {
        const failed = this.state.takeFailed<A.Declaration | undefined>();
        if (failed?.value) declarations.push(failed.value);
        this.fail(error, this.fileOf(declarations));
      }
      return this.fileOf(declarations);
    },
    this.recovered(() => this.fileOf([])),
  );

  private readonly declarationAlternatives: IOrAlt<A.Declaration | undefined>[] = [
    { ALT: () => this.SUBRULE(this.modelDeclaration) },
    { ALT: () => this.SUBRULE(this.trainDeclaration) },
    { ALT: () => this.SUBRULE(this.tuneDeclaration) },
  ];

  private fileOf(declarations: A.Declaration[]): A.ModelFile {
    return { declarations, range: { start: 0, end: this.state.textLength } };
  }

  private modelDeclaration = this.RULE(
    'modelDeclaration',
    (): A.ModelDeclaration | undefined => {
      const mark = this.state.consumed;
      let keyword: IToken | undefined;
      let name: IToken | undefined;
      const parameters: A.ModelParameter[] = [];
      let body: A.Statement[] | undefined;
      let variant: A.CallExpression | undefined;
      let hasVariant = false;
      try {
        keyword = this.CONSUME(T.Model);
        name = this.CONSUME(T.Identifier);
        this.OPTION(() => {
          this.CONSUME(T.LParen);
          this.MANY_SEP({
            SEP: T.Comma,
            DEF: () => {
              const parameter = this.SUBRULE(this.modelParameter);
              if (parameter) parameters.push(parameter);
            },
          });
          this.CONSUME(T.RParen);
        });
        this.OR([
          {
            ALT: () => {
              body = this.SUBRULE(this.block);
            },
          },
          {
            ALT: () => {
              this.CONSUME(T.Equals);
              hasVariant = true;
              variant = this.SUBRULE(this.call);
            },
          },
        ]);
      } catch (error) {
        // Which sub-rule failed shows in its result: the block's statements, the variant's call, or a parameter.
        const failed = this.state.takeFailed<A.ModelParameter | A.Statement[] | A.CallExpression | undefined>();
        const value = failed?.value;
        if (Array.isArray(value)) body = value;
        else if (value && 'kind' in value) variant = value;
        else if (value) parameters.push(value);
        this.fail(error, this.modelOf(mark, keyword, name, parameters, body, hasVariant, variant));
      }
      return this.modelOf(mark, keyword, name, parameters, body, hasVariant, variant);
    },
    this.recovered((): A.ModelDeclaration | undefined => undefined),
  );

  private modelOf(
    mark: number,
    keywordToken: IToken | undefined,
    nameToken: IToken | undefined,
    parameters: A.ModelParameter[],
    body: A.Statement[] | undefined,
    hasVariant: boolean,
    variant: A.CallExpression | undefined,
  ): A.ModelDeclaration | undefined {
    const keyword = real(keywordToken);
    const name = real(nameToken);
    if (this.RECORDING_PHASE || !keyword || !name) return undefined;
    return {
      kind: 'model',
      name: this.state.identifier(name),
      parameters,
      body: body ?? (hasVariant ? undefined : []),
      variantOf: variant ? { base: variant.callee, args: variant.args, range: variant.range } : undefined,
      keyword: tokenRange(keyword),
      range: this.state.range(mark, keyword.startOffset),
    };
  }

  private modelParameter = this.RULE(
    'modelParameter',
    (): A.ModelParameter | undefined => {
      const mark = this.state.consumed;
      let name: IToken | undefined;
      let defaultValue: A.Expression | undefined;
      try {
        name = this.CONSUME(T.Identifier);
        this.OPTION(() => {
          this.CONSUME(T.Equals);
          defaultValue = this.SUBRULE(this.expression);
        });
      } catch (error) {
        const failed = this.state.takeFailed<A.Expression>();
        if (failed) defaultValue = failed.value;
        this.fail(error, this.modelParameterOf(mark, name, defaultValue));
      }
      return this.modelParameterOf(mark, name, defaultValue);
    },
    this.recovered((): A.ModelParameter | undefined => undefined),
  );

  private modelParameterOf(mark: number, nameToken: IToken | undefined, defaultValue: A.Expression | undefined): A.ModelParameter | undefined {
    const name = real(nameToken);
    if (this.RECORDING_PHASE || !name) return undefined;
    return { name: this.state.identifier(name), defaultValue, range: this.state.range(mark, name.startOffset) };
  }

  private block = this.RULE(
    'block',
    (): A.Statement[] => {
      const statements: A.Statement[] = [];
      try {
        this.CONSUME(T.LBrace);
        this.MANY(() => {
          const statement = this.SUBRULE(this.statement);
          if (statement) statements.push(statement);
        });
        this.CONSUME(T.RBrace);
      } catch (error) {
        const failed = this.state.takeFailed<A.Statement | undefined>();
        if (failed?.value) statements.push(failed.value);
        this.fail(error, statements);
      }
      return statements;
    },
    this.recovered((): A.Statement[] => []),
  );

  private statement = this.RULE(
    'statement',
    (): A.Statement | undefined => {
      const mark = this.state.consumed;
      let parts: StatementParts = undefined;
      try {
        parts = this.OR(this.statementAlternatives);
        // Commas between statements are allowed and carry no meaning.
        this.OPTION(this.optionalComma);
      } catch (error) {
        const failed = this.state.takeFailed<StatementParts>();
        if (failed) parts = failed.value;
        this.fail(error, this.statementOf(mark, parts));
      }
      return this.statementOf(mark, parts);
    },
    this.recovered((): A.Statement | undefined => undefined),
  );

  private readonly statementAlternatives: IOrAlt<StatementParts>[] = [
    { ALT: () => this.SUBRULE(this.inputStatement) },
    { ALT: () => this.SUBRULE(this.fromStatement) },
    { ALT: () => this.SUBRULE(this.outputStatement) },
    { ALT: () => this.SUBRULE(this.repeatStatement) },
    { ALT: () => this.SUBRULE(this.ifStatement) },
    { ALT: () => this.SUBRULE(this.labelledStatement) },
    { ALT: () => this.SUBRULE(this.call) },
  ];

  private readonly optionalComma = (): void => {
    this.CONSUME(T.Comma);
  };

  private statementOf(mark: number, parts: StatementParts): A.Statement | undefined {
    if (this.RECORDING_PHASE || !parts) return undefined;
    if (parts.kind === 'input-parts') return this.inputOf(mark, parts, undefined);
    if (parts.kind === 'call') return { kind: 'layer', call: parts, range: parts.range };
    return parts;
  }

  private labelledStatement = this.RULE(
    'labelledStatement',
    (): A.Statement | undefined => {
      const mark = this.state.consumed;
      let label: IToken | undefined;
      const moreLabels: IToken[] = [];
      let parts: InputParts | A.CallExpression | undefined;
      try {
        label = this.CONSUME(T.Identifier);
        // `seq, h, c = LSTM(...)`: a label for each output of a layer with several.
        this.MANY(() => {
          this.CONSUME(T.Comma);
          moreLabels.push(this.CONSUME2(T.Identifier));
        });
        this.CONSUME(T.Equals);
        parts = this.OR(this.labelledAlternatives);
      } catch (error) {
        const failed = this.state.takeFailed<InputParts | A.CallExpression | undefined>();
        if (failed) parts = failed.value;
        this.fail(error, this.labelledOf(mark, label, moreLabels, parts));
      }
      return this.labelledOf(mark, label, moreLabels, parts);
    },
    this.recovered((): A.Statement | undefined => undefined),
  );

  private readonly labelledAlternatives: IOrAlt<InputParts | A.CallExpression | undefined>[] = [
    { ALT: () => this.SUBRULE(this.inputStatement) },
    { ALT: () => this.SUBRULE(this.call) },
  ];

  private labelledOf(mark: number, labelToken: IToken | undefined, moreTokens: readonly IToken[], parts: InputParts | A.CallExpression | undefined): A.Statement | undefined {
    if (this.RECORDING_PHASE || !parts) return undefined;
    const labelReal = real(labelToken);
    const label = labelReal ? this.state.identifier(labelReal) : undefined;
    const more = this.identifiers(moreTokens);
    if (parts.kind === 'input-parts') return this.inputOf(mark, parts, label, more);
    const range = this.state.range(mark, parts.range.start);
    return more ? { kind: 'layer', label, moreLabels: more, call: parts, range } : { kind: 'layer', label, call: parts, range };
  }

  /** The real tokens among `tokens` as identifiers; undefined when there is none (most statements). */
  private identifiers(tokens: readonly IToken[]): A.Identifier[] | undefined {
    const result: A.Identifier[] = [];
    for (const t of tokens) {
      const token = real(t);
      if (token) result.push(this.state.identifier(token));
    }
    return result.length ? result : undefined;
  }

  private inputStatement = this.RULE(
    'inputStatement',
    (): InputParts => {
      let keyword: IToken | undefined;
      let value: A.Expression | undefined;
      try {
        keyword = this.CONSUME(T.Input);
        value = this.SUBRULE(this.expression);
      } catch (error) {
        const failed = this.state.takeFailed<A.Expression>();
        if (failed) value = failed.value;
        this.fail(error, { kind: 'input-parts', keyword, value });
      }
      return { kind: 'input-parts', keyword, value };
    },
    this.recovered((): InputParts => ({ kind: 'input-parts', keyword: undefined, value: undefined })),
  );

  private inputOf(mark: number, parts: InputParts, label: A.Identifier | undefined, moreLabels?: readonly A.Identifier[]): A.InputStatement | undefined {
    const keyword = real(parts.keyword);
    if (!keyword) return undefined;
    const range = this.state.range(mark, keyword.startOffset);
    const value = parts.value ?? this.state.missing(range.end);
    return moreLabels ? { kind: 'input', label, moreLabels, value, keyword: tokenRange(keyword), range } : { kind: 'input', label, value, keyword: tokenRange(keyword), range };
  }

  private outputStatement = this.RULE(
    'outputStatement',
    (): A.OutputStatement | undefined => {
      const mark = this.state.consumed;
      let keyword: IToken | undefined;
      const names: IToken[] = [];
      try {
        keyword = this.CONSUME(T.Output);
        names.push(this.CONSUME(T.Identifier));
        this.MANY(() => {
          this.CONSUME(T.Comma);
          names.push(this.CONSUME2(T.Identifier));
        });
      } catch (error) {
        this.fail(error, this.outputOf(mark, keyword, names));
      }
      return this.outputOf(mark, keyword, names);
    },
    this.recovered((): A.OutputStatement | undefined => undefined),
  );

  private outputOf(mark: number, keywordToken: IToken | undefined, names: readonly IToken[]): A.OutputStatement | undefined {
    const keyword = real(keywordToken);
    if (this.RECORDING_PHASE || !keyword) return undefined;
    return { kind: 'output', names: this.identifiers(names) ?? [], keyword: tokenRange(keyword), range: this.state.range(mark, keyword.startOffset) };
  }

  private fromStatement = this.RULE(
    'fromStatement',
    (): A.FromStatement | undefined => {
      const mark = this.state.consumed;
      let target: IToken | undefined;
      try {
        this.CONSUME(T.From);
        target = this.CONSUME(T.Identifier);
      } catch (error) {
        this.fail(error, this.fromOf(mark, target));
      }
      return this.fromOf(mark, target);
    },
    this.recovered((): A.FromStatement | undefined => undefined),
  );

  private fromOf(mark: number, targetToken: IToken | undefined): A.FromStatement | undefined {
    const target = real(targetToken);
    if (this.RECORDING_PHASE || !target) return undefined;
    return { kind: 'from', target: this.state.identifier(target), range: this.state.range(mark, target.startOffset) };
  }

  private repeatStatement = this.RULE(
    'repeatStatement',
    (): A.RepeatStatement | undefined => {
      const mark = this.state.consumed;
      let keyword: IToken | undefined;
      let count: A.Expression | undefined;
      let body: A.Statement[] | undefined;
      try {
        keyword = this.CONSUME(T.Repeat);
        count = this.SUBRULE(this.expression);
        body = this.SUBRULE(this.block);
      } catch (error) {
        const failed = this.state.takeFailed<A.Expression | A.Statement[]>();
        if (failed) {
          if (Array.isArray(failed.value)) body = failed.value;
          else count = failed.value;
        }
        this.fail(error, this.repeatOf(mark, keyword, count, body));
      }
      return this.repeatOf(mark, keyword, count, body);
    },
    this.recovered((): A.RepeatStatement | undefined => undefined),
  );

  private repeatOf(mark: number, keywordToken: IToken | undefined, count: A.Expression | undefined, body: A.Statement[] | undefined): A.RepeatStatement | undefined {
    const keyword = real(keywordToken);
    if (this.RECORDING_PHASE || !keyword) return undefined;
    const range = this.state.range(mark, keyword.startOffset);
    return { kind: 'repeat', count: count ?? this.state.missing(range.end), body: body ?? [], keyword: tokenRange(keyword), range };
  }

  private ifStatement = this.RULE(
    'ifStatement',
    (): A.IfStatement | undefined => {
      const mark = this.state.consumed;
      let keyword: IToken | undefined;
      let condition: A.Expression | undefined;
      let body: A.Statement[] | undefined;
      try {
        keyword = this.CONSUME(T.If);
        condition = this.SUBRULE(this.expression);
        body = this.SUBRULE(this.block);
      } catch (error) {
        const failed = this.state.takeFailed<A.Expression | A.Statement[]>();
        if (failed) {
          if (Array.isArray(failed.value)) body = failed.value;
          else condition = failed.value;
        }
        this.fail(error, this.ifOf(mark, keyword, condition, body));
      }
      return this.ifOf(mark, keyword, condition, body);
    },
    this.recovered((): A.IfStatement | undefined => undefined),
  );

  private ifOf(mark: number, keywordToken: IToken | undefined, condition: A.Expression | undefined, body: A.Statement[] | undefined): A.IfStatement | undefined {
    const keyword = real(keywordToken);
    if (this.RECORDING_PHASE || !keyword) return undefined;
    const range = this.state.range(mark, keyword.startOffset);
    return { kind: 'if', condition: condition ?? this.state.missing(range.end), body: body ?? [], keyword: tokenRange(keyword), range };
  }

  private trainDeclaration = this.RULE(
    'trainDeclaration',
    (): A.TrainDeclaration | undefined => {
      const mark = this.state.consumed;
      let keyword: IToken | undefined;
      const models: A.Identifier[] = [];
      const settings: A.Setting[] = [];
      try {
        keyword = this.CONSUME(T.Train);
        this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.modelName(models) });
        this.CONSUME(T.LBrace);
        this.MANY(() => {
          const setting = this.SUBRULE(this.setting);
          if (setting) settings.push(setting);
        });
        this.CONSUME(T.RBrace);
      } catch (error) {
        const failed = this.state.takeFailed<A.Setting | undefined>();
        if (failed?.value) settings.push(failed.value);
        this.fail(error, this.trainOf(mark, keyword, models, settings));
      }
      return this.trainOf(mark, keyword, models, settings);
    },
    this.recovered((): A.TrainDeclaration | undefined => undefined),
  );

  private modelName(models: A.Identifier[]): void {
    const name = real(this.CONSUME(T.Identifier));
    if (name) models.push(this.state.identifier(name));
  }

  private trainOf(mark: number, keywordToken: IToken | undefined, models: A.Identifier[], settings: A.Setting[]): A.TrainDeclaration | undefined {
    const keyword = real(keywordToken);
    if (this.RECORDING_PHASE || !keyword) return undefined;
    return { kind: 'train', models, settings, keyword: tokenRange(keyword), range: this.state.range(mark, keyword.startOffset) };
  }

  private tuneDeclaration = this.RULE(
    'tuneDeclaration',
    (): A.TuneDeclaration | undefined => {
      const mark = this.state.consumed;
      let keyword: IToken | undefined;
      const models: A.Identifier[] = [];
      const settings: A.Setting[] = [];
      const searchParameters: A.SearchParameter[] = [];
      const add = (item: A.Setting | A.SearchParameter | undefined): void => {
        if (item?.kind === 'setting') settings.push(item);
        else if (item) searchParameters.push(item);
      };
      try {
        keyword = this.CONSUME(T.Tune);
        this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.modelName(models) });
        this.CONSUME(T.LBrace);
        this.MANY(() => {
          add(
            this.OR<A.Setting | A.SearchParameter | undefined>([
              { GATE: () => this.LA(2).tokenType === T.In, ALT: () => this.SUBRULE(this.searchParameter) },
              { ALT: () => this.SUBRULE(this.setting) },
            ]),
          );
        });
        this.CONSUME(T.RBrace);
      } catch (error) {
        add(this.state.takeFailed<A.Setting | A.SearchParameter | undefined>()?.value);
        this.fail(error, this.tuneOf(mark, keyword, models, settings, searchParameters));
      }
      return this.tuneOf(mark, keyword, models, settings, searchParameters);
    },
    this.recovered((): A.TuneDeclaration | undefined => undefined),
  );

  private tuneOf(mark: number, keywordToken: IToken | undefined, models: A.Identifier[], settings: A.Setting[], searchParameters: A.SearchParameter[]): A.TuneDeclaration | undefined {
    const keyword = real(keywordToken);
    if (this.RECORDING_PHASE || !keyword) return undefined;
    return { kind: 'tune', models, settings, searchParameters, keyword: tokenRange(keyword), range: this.state.range(mark, keyword.startOffset) };
  }

  private setting = this.RULE(
    'setting',
    (): A.Setting | undefined => {
      const mark = this.state.consumed;
      let name: IToken | undefined;
      let value: A.Expression | undefined;
      try {
        name = this.CONSUME(T.Identifier);
        this.CONSUME(T.Equals);
        value = this.SUBRULE(this.expression);
        this.OPTION(this.optionalComma);
      } catch (error) {
        const failed = this.state.takeFailed<A.Expression>();
        if (failed) value = failed.value;
        this.fail(error, this.settingOf(mark, name, value));
      }
      return this.settingOf(mark, name, value);
    },
    this.recovered((): A.Setting | undefined => undefined),
  );

  private settingOf(mark: number, nameToken: IToken | undefined, value: A.Expression | undefined): A.Setting | undefined {
    const name = real(nameToken);
    if (this.RECORDING_PHASE || !name) return undefined;
    const range = this.state.range(mark, name.startOffset);
    return { kind: 'setting', name: this.state.identifier(name), value: value ?? this.state.missing(range.end), range };
  }

  private searchParameter = this.RULE(
    'searchParameter',
    (): A.SearchParameter | undefined => {
      const mark = this.state.consumed;
      const parts: SearchParts = { name: undefined, choices: undefined, low: undefined, high: undefined, step: undefined, stepEnd: 0, log: undefined };
      let inside: 'choices' | 'low' | 'high' | 'step' = 'choices';
      let stepMark = 0;
      try {
        parts.name = this.CONSUME(T.Identifier);
        this.CONSUME(T.In);
        this.OR([
          {
            GATE: () => this.LA(1).tokenType === T.LBracket,
            ALT: () => {
              parts.choices = this.SUBRULE(this.list);
            },
          },
          {
            ALT: () => {
              inside = 'low';
              parts.low = this.SUBRULE(this.expression);
              this.CONSUME(T.DotDot);
              inside = 'high';
              parts.high = this.SUBRULE2(this.expression);
              this.OPTION(() => {
                this.CONSUME(T.Step);
                inside = 'step';
                stepMark = this.state.consumed;
                parts.step = this.SUBRULE3(this.expression);
                parts.stepEnd = this.state.range(stepMark, 0).end;
              });
              this.OPTION2(() => {
                parts.log = this.CONSUME(T.Log);
              });
            },
          },
        ]);
        this.OPTION3(this.optionalComma);
      } catch (error) {
        const failed = this.state.takeFailed<A.Expression>();
        if (failed) {
          if (inside === 'choices') parts.choices = failed.value.kind === 'list' ? failed.value : undefined;
          else if (inside === 'low') parts.low = failed.value;
          else if (inside === 'high') parts.high = failed.value;
          else {
            parts.step = failed.value;
            parts.stepEnd = this.state.range(stepMark, 0).end;
          }
        }
        this.fail(error, this.searchParameterOf(mark, parts));
      }
      return this.searchParameterOf(mark, parts);
    },
    this.recovered((): A.SearchParameter | undefined => undefined),
  );

  private searchParameterOf(mark: number, parts: SearchParts): A.SearchParameter | undefined {
    const name = real(parts.name);
    if (this.RECORDING_PHASE || !name) return undefined;
    const range = this.state.range(mark, name.startOffset);
    if (parts.choices) return { kind: 'search', name: this.state.identifier(name), domain: { kind: 'choice', values: parts.choices.items, range: parts.choices.range }, range };
    const low = parts.low ?? this.state.missing(range.end);
    const high = parts.high ?? this.state.missing(range.end);
    const log = real(parts.log);
    const domainEnd = Math.max(high.range.end, log ? tokenRange(log).end : 0);
    return {
      kind: 'search',
      name: this.state.identifier(name),
      domain: {
        kind: 'range',
        low,
        high,
        step: parts.step,
        log: log !== undefined,
        range: { start: low.range.start, end: Math.max(domainEnd, parts.step ? parts.stepEnd : 0) },
      },
      range,
    };
  }

  /**
   * `Name(args)`. Arguments are inlined (`name=` is an optional prefix of each
   * value, told apart with two tokens of lookahead): chevrotain's cost is mostly
   * per rule invocation, and arguments are the most frequent construct.
   */
  private call = this.RULE(
    'call',
    (): A.CallExpression | undefined => {
      const state = this.state;
      const mark = state.consumed;
      const nameBase = state.argumentNames.length;
      const valueBase = state.argumentValues.length;
      let callee: IToken | undefined;
      let open: IToken | undefined;
      let close: IToken | undefined;
      try {
        callee = this.CONSUME(T.Identifier);
        open = this.CONSUME(T.LParen);
        this.OPTION(this.callArguments);
        close = this.CONSUME(T.RParen);
      } catch (error) {
        const failed = state.takeFailed<A.Expression>();
        if (failed) state.argumentValues.push(failed.value);
        this.fail(error, this.callOf(mark, nameBase, valueBase, callee, open, close));
      }
      return this.callOf(mark, nameBase, valueBase, callee, open, close);
    },
    this.recovered((): A.CallExpression | undefined => undefined),
  );

  private readonly callArguments = (): void => {
    this.OPTION2(this.firstArgumentName);
    this.state.argumentValues.push(this.SUBRULE(this.expression));
    this.MANY(this.moreArguments);
    this.OPTION4(this.callTrailingComma);
  };

  private readonly firstArgumentName = (): void => {
    this.argumentName(this.CONSUME2(T.Identifier));
    this.CONSUME(T.Equals);
  };

  // Two tokens of lookahead tell another argument (`, x`) from a trailing comma (`, )`), here and in tuples and lists.
  private readonly moreArguments = (): void => {
    this.CONSUME(T.Comma);
    this.OPTION3(this.laterArgumentName);
    this.state.argumentValues.push(this.SUBRULE2(this.expression));
  };

  private readonly laterArgumentName = (): void => {
    this.argumentName(this.CONSUME3(T.Identifier));
    this.CONSUME2(T.Equals);
  };

  private readonly callTrailingComma = (): void => {
    this.CONSUME2(T.Comma);
  };

  private argumentName(token: IToken): void {
    if (real(token)) this.state.argumentNames.push(token);
  }

  private callOf(mark: number, nameBase: number, valueBase: number, calleeToken: IToken | undefined, open: IToken | undefined, close: IToken | undefined): A.CallExpression | undefined {
    const state = this.state;
    const names = state.argumentNames;
    const values = state.argumentValues;
    const callee = real(calleeToken);
    if (this.RECORDING_PHASE || !callee) {
      removeAbove(names, nameBase);
      removeAbove(values, valueBase);
      return undefined;
    }
    // A name belongs to the value that starts after it. (Sized up front: a pushed-to array keeps room for 16.)
    const args = new Array<A.Argument>(values.length - valueBase);
    let nameIndex = nameBase;
    for (let v = valueBase; v < values.length; v++) {
      const value = values[v] ?? recordingPlaceholder;
      let name: IToken | undefined;
      for (let next = names[nameIndex]; nameIndex < names.length && next && next.startOffset < value.range.start; next = names[nameIndex]) {
        name = next;
        nameIndex++;
      }
      if (name && v > valueBase && (args[v - valueBase - 1]?.range.end ?? 0) > name.startOffset) name = undefined;
      // A positional argument spans just its value: the range is shared (ranges are readonly).
      args[v - valueBase] = name ? { name: this.state.identifier(name), value, range: { start: name.startOffset, end: value.range.end } } : { name: undefined, value, range: value.range };
    }
    removeAbove(names, nameBase);
    removeAbove(values, valueBase);
    const openToken = real(open);
    return {
      kind: 'call',
      callee: this.state.identifier(callee),
      args,
      openParen: openToken ? tokenRange(openToken) : undefined,
      closed: real(close) !== undefined,
      range: state.range(mark, callee.startOffset),
    };
  }

  /**
   * A run of operands and operators, combined by precedence at the end.
   * Operands are written into this rule rather than being rules of their own:
   * every argument value is an expression, so this is the parser's hottest
   * path and each avoided rule invocation counts.
   */
  public expression = this.RULE(
    'expression',
    (): A.Expression => {
      const state = this.state;
      const mark = state.consumed;
      const operandBase = state.operands.length;
      const operatorBase = state.operators.length;
      const prefixBase = state.prefixes.length;
      try {
        this.operand(5);
        this.OPTION(this.operatorsAndOperands);
      } catch (error) {
        // The operand that failed part-way: a call, a parenthesized expression or a list. A call operand
        // always has its name, which lookahead matched, so it is never undefined.
        const failed = state.takeFailed<A.Expression | undefined>();
        if (failed) state.operands.push(failed.value ?? state.missing(state.textLength));
        this.fail(error, this.expressionOf(mark, operandBase, operatorBase, prefixBase));
      }
      return this.expressionOf(mark, operandBase, operatorBase, prefixBase);
    },
    this.recovered((): A.Expression => this.state.missing(0)),
  );

  /**
   * `(operator operand)*`, written as an OPTION and a loop rather than a MANY (here and for the
   * prefix `-`s of an operand): every exit from a MANY allocates for its in-repetition recovery,
   * which never applies where nothing but the rule's end or an alternation follows the MANY, and
   * these two are exited once per operand. While chevrotain records the grammar the loop is left
   * out; what it records (one repetition) has the same first and follow tokens.
   */
  private readonly operatorsAndOperands = (): void => {
    this.operatorAndOperand();
    if (this.RECORDING_PHASE) return;
    while (isOperator(this.LA(1).tokenType)) this.operatorAndOperand();
  };

  private operatorAndOperand(): void {
    this.state.operators.push(this.OR(this.operatorAlternatives));
    this.operand(6);
  }

  private readonly operatorAlternatives: IOrAlt<IToken>[] = [
    { ALT: () => this.CONSUME(T.Plus) },
    { ALT: () => this.CONSUME(T.Minus) },
    { ALT: () => this.CONSUME(T.Star) },
    { ALT: () => this.CONSUME(T.DoubleSlash) },
    { ALT: () => this.CONSUME(T.Slash) },
  ];

  private readonly prefixMinus: (() => void)[] = [];
  private readonly operandAlternatives: IOrAlt<A.Expression>[][] = [];

  /** The operand alternatives, emitted with occurrence index `i` (each use in a rule needs its own). */
  private operand(i: number): void {
    this.option(
      i,
      (this.prefixMinus[i] ??= () => {
        this.state.prefixes.push(this.consume(i, T.Minus));
        if (this.RECORDING_PHASE) return;
        while (this.LA(1).tokenType === T.Minus) this.state.prefixes.push(this.consume(i, T.Minus));
      }),
    );
    this.state.operands.push(this.or(i, (this.operandAlternatives[i] ??= this.makeOperandAlternatives(i))));
  }

  /**
   * Built once per occurrence and reused: chevrotain's guide recommends caching
   * alternatives, and allocating them on every operand showed up as most of the
   * parser's garbage. An alternative only runs when its first token is next, so
   * the tokens here are real.
   */
  private makeOperandAlternatives(i: number): IOrAlt<A.Expression>[] {
    return [
      {
        ALT: () => {
          const t = this.consume(i, T.NumberLiteral);
          return { kind: 'number', value: Number(t.image), text: t.image, range: tokenRange(t) };
        },
      },
      {
        ALT: () => {
          const t = this.consume(i, T.StringLiteral);
          return { kind: 'string', value: t.image.slice(1, -1), range: tokenRange(t) };
        },
      },
      { ALT: () => ({ kind: 'boolean', value: true, range: tokenRange(this.consume(i, T.True)) }) },
      { ALT: () => ({ kind: 'boolean', value: false, range: tokenRange(this.consume(i, T.False)) }) },
      { ALT: () => ({ kind: 'none', range: tokenRange(this.consume(i, T.NoneLiteral)) }) },
      // Before the bare name: lookahead takes this one for a name followed by `(`.
      { ALT: () => this.subrule(i, this.call) ?? this.state.missing(this.state.textLength) },
      {
        ALT: () => {
          const t = this.consume(i, T.Identifier);
          return { kind: 'name', name: this.state.name(t.image), range: tokenRange(t) };
        },
      },
      { ALT: () => this.subrule(i, this.parenthesized) },
      { ALT: () => this.subrule(i, this.list) },
    ];
  }

  private expressionOf(mark: number, operandBase: number, operatorBase: number, prefixBase: number): A.Expression {
    const { operands, operators, prefixes } = this.state;
    let result: A.Expression;
    if (this.RECORDING_PHASE) result = recordingPlaceholder;
    else if (operands.length === operandBase) result = this.state.missing(this.state.range(mark, 0).start);
    // Most values are a single operand: skip the precedence machinery.
    else if (operands.length === operandBase + 1 && prefixes.length === prefixBase) result = operands[operandBase] ?? recordingPlaceholder;
    else result = this.combine(mark, operandBase, operatorBase, prefixBase);
    removeAbove(operands, operandBase);
    removeAbove(operators, operatorBase);
    removeAbove(prefixes, prefixBase);
    return result;
  }

  private combine(mark: number, operandBase: number, operatorBase: number, prefixBase: number): A.Expression {
    const { operands, operators, prefixes } = this.state;
    // Attach each prefix `-` to the operand that follows it.
    let prefixIndex = prefixBase;
    const items: A.Expression[] = [];
    for (let k = operandBase; k < operands.length; k++) {
      let operand = operands[k];
      if (!operand) continue;
      const firstNegation = prefixIndex;
      while (prefixIndex < prefixes.length && (prefixes[prefixIndex]?.startOffset ?? Infinity) < operand.range.start) prefixIndex++;
      for (let p = prefixIndex - 1; p >= firstNegation; p--) {
        const minus = prefixes[p];
        if (!minus) continue;
        operand =
          operand.kind === 'number'
            ? { kind: 'number', value: -operand.value, text: `-${operand.text}`, range: { start: minus.startOffset, end: operand.range.end } }
            : { kind: 'negate', operand, range: { start: minus.startOffset, end: operand.range.end } };
      }
      items.push(operand);
    }
    // Precedence: * / // bind tighter than + -, all left-associative.
    const terms: A.Expression[] = [];
    const additive: A.BinaryOperator[] = [];
    let term = items[0];
    for (let i = 1; i < items.length; i++) {
      const operator = operators[operatorBase + i - 1];
      const right = items[i];
      if (!operator || !right || !term) break;
      const symbol = operator.image as A.BinaryOperator;
      if (symbol === '+' || symbol === '-') {
        terms.push(term);
        additive.push(symbol);
        term = right;
      } else {
        term = binary(symbol, term, right);
      }
    }
    if (term) terms.push(term);
    let result = terms[0] ?? this.state.missing(this.state.range(mark, 0).start);
    for (let i = 1; i < terms.length; i++) {
      const right = terms[i];
      const operator = additive[i - 1];
      if (!right || !operator) break;
      result = binary(operator, result, right);
    }
    return result;
  }

  /** `(a)` groups; `(a,)`, `(a, b)` and `()` are tuples. */
  private parenthesized = this.RULE(
    'parenthesized',
    (): A.Expression => {
      const state = this.state;
      const mark = state.consumed;
      const itemBase = state.items.length;
      const commaBase = state.commas;
      try {
        this.CONSUME(T.LParen);
        this.OPTION(this.tupleItems);
        this.CONSUME(T.RParen);
      } catch (error) {
        const failed = state.takeFailed<A.Expression>();
        if (failed) state.items.push(failed.value);
        this.fail(error, this.parenthesizedOf(mark, itemBase, commaBase));
      }
      return this.parenthesizedOf(mark, itemBase, commaBase);
    },
    this.recovered((): A.Expression => this.state.missing(0)),
  );

  private readonly tupleItems = (): void => {
    this.state.items.push(this.SUBRULE(this.expression));
    this.MANY(this.moreTupleItems);
    this.OPTION2(this.tupleTrailingComma);
  };

  private readonly moreTupleItems = (): void => {
    this.CONSUME(T.Comma);
    this.state.commas++;
    this.state.items.push(this.SUBRULE2(this.expression));
  };

  private readonly tupleTrailingComma = (): void => {
    this.CONSUME2(T.Comma);
    this.state.commas++;
  };

  private parenthesizedOf(mark: number, itemBase: number, commaBase: number): A.Expression {
    const state = this.state;
    const items = state.items.slice(itemBase);
    removeAbove(state.items, itemBase);
    const commas = state.commas - commaBase;
    state.commas = commaBase;
    if (this.RECORDING_PHASE) return recordingPlaceholder;
    const range = state.range(mark, 0);
    const only = items[0];
    if (items.length === 1 && commas === 0 && only) return { kind: 'paren', inner: only, range };
    return { kind: 'tuple', items, range };
  }

  private list = this.RULE(
    'list',
    (): A.ListExpression => {
      const state = this.state;
      const mark = state.consumed;
      const itemBase = state.items.length;
      try {
        this.CONSUME(T.LBracket);
        this.OPTION(this.listItems);
        this.CONSUME(T.RBracket);
      } catch (error) {
        const failed = state.takeFailed<A.Expression>();
        if (failed) state.items.push(failed.value);
        this.fail(error, this.listOf(mark, itemBase));
      }
      return this.listOf(mark, itemBase);
    },
    this.recovered((): A.ListExpression => ({ kind: 'list', items: [], range: { start: 0, end: 0 } })),
  );

  private readonly listItems = (): void => {
    this.state.items.push(this.SUBRULE(this.expression));
    this.MANY(this.moreListItems);
    this.OPTION2(this.listTrailingComma);
  };

  private readonly moreListItems = (): void => {
    this.CONSUME(T.Comma);
    this.state.items.push(this.SUBRULE2(this.expression));
  };

  private readonly listTrailingComma = (): void => {
    this.CONSUME2(T.Comma);
  };

  private listOf(mark: number, itemBase: number): A.ListExpression {
    const state = this.state;
    const items = state.items.slice(itemBase);
    removeAbove(state.items, itemBase);
    return { kind: 'list', items, range: this.RECORDING_PHASE ? recordingPlaceholder.range : state.range(mark, 0) };
  }
}

interface SearchParts {
  name: IToken | undefined;
  choices: A.ListExpression | undefined;
  low: A.Expression | undefined;
  high: A.Expression | undefined;
  step: A.Expression | undefined;
  /** End of the step expression as written, which its range may not reach (`step (2`). */
  stepEnd: number;
  log: IToken | undefined;
}
