import type { IToken, TokenType } from 'chevrotain';
import type * as A from './ast.js';
import { binary, identifier, tokenRange } from './parser.js';
import * as T from './tokens.js';

/**
 * A plain recursive-descent parser for files without syntax errors, about five
 * times faster than chevrotain's. It follows `parser.ts` decision by decision
 * (the same lookahead, at most two tokens) and builds the same AST; at the first
 * token that does not fit it gives up, and `ModelParser` parses the file instead,
 * with error recovery and messages. So a change to the grammar in `parser.ts`
 * must be made here too; a construct missing here only costs speed, but one
 * accepted here and not there would hide a syntax error.
 */
export function parseStrict(tokens: readonly IToken[], textLength: number): A.ModelFile | undefined {
  try {
    return new StrictParser(tokens).file(textLength);
  } catch (error) {
    if (error === giveUp) return undefined;
    throw error;
  }
}

const giveUp = new Error('not a valid file');

/** Where a token ends (exclusive). */
function endOf(t: IToken): number {
  return t.endOffset !== undefined ? t.endOffset + 1 : t.startOffset + t.image.length;
}

function isOperator(type: TokenType | undefined): boolean {
  return type === T.Plus || type === T.Minus || type === T.Star || type === T.DoubleSlash || type === T.Slash;
}

/** The tokens an expression can start with. */
function startsExpression(type: TokenType | undefined): boolean {
  return (
    type === T.Minus ||
    type === T.NumberLiteral ||
    type === T.StringLiteral ||
    type === T.True ||
    type === T.False ||
    type === T.NoneLiteral ||
    type === T.Identifier ||
    type === T.LParen ||
    type === T.LBracket
  );
}

function startsStatement(type: TokenType | undefined): boolean {
  return type === T.Input || type === T.From || type === T.Repeat || type === T.If || type === T.Identifier;
}

/** The entries pushed onto `stack` since `base`, taken off as an exact-size array (a pushed-to array keeps room for 16). */
function takeFrom<E>(stack: E[], base: number): E[] {
  return stack.splice(base);
}

class StrictParser {
  private next = 0;
  // Arguments and items being collected, shared by nested calls and tuples (see `takeFrom`).
  private readonly pendingArguments: A.Argument[] = [];
  private readonly pendingItems: A.Expression[] = [];

  constructor(private readonly tokens: readonly IToken[]) {}

  private type(ahead = 0): TokenType | undefined {
    return this.tokens[this.next + ahead]?.tokenType;
  }

  private take(type: TokenType): IToken {
    const token = this.tokens[this.next];
    if (token?.tokenType !== type) throw giveUp;
    this.next++;
    return token;
  }

  private takeIf(type: TokenType): IToken | undefined {
    const token = this.tokens[this.next];
    if (token?.tokenType !== type) return undefined;
    this.next++;
    return token;
  }

  /** From the token at `first` to the last one taken. */
  private rangeFrom(first: number): A.Range {
    const start = this.tokens[first];
    const end = this.tokens[this.next - 1];
    if (!start || !end) throw giveUp;
    return { start: start.startOffset, end: endOf(end) };
  }

  file(textLength: number): A.ModelFile {
    const declarations: A.Declaration[] = [];
    for (;;) {
      const type = this.type();
      if (type === T.Model) declarations.push(this.model());
      else if (type === T.Train) declarations.push(this.train());
      else if (type === T.Tune) declarations.push(this.tune());
      else break;
    }
    if (this.next !== this.tokens.length) throw giveUp;
    return { declarations, range: { start: 0, end: textLength } };
  }

  private model(): A.ModelDeclaration {
    const first = this.next;
    const keyword = this.take(T.Model);
    const name = this.take(T.Identifier);
    const parameters: A.ModelParameter[] = [];
    if (this.takeIf(T.LParen)) {
      if (this.type() === T.Identifier) {
        parameters.push(this.modelParameter());
        while (this.takeIf(T.Comma)) parameters.push(this.modelParameter());
      }
      this.take(T.RParen);
    }
    let body: A.Statement[] | undefined;
    let variant: A.CallExpression | undefined;
    if (this.type() === T.LBrace) body = this.block();
    else {
      this.take(T.Equals);
      variant = this.call();
    }
    return {
      kind: 'model',
      name: identifier(name),
      parameters,
      body,
      variantOf: variant ? { base: variant.callee, args: variant.args, range: variant.range } : undefined,
      keyword: tokenRange(keyword),
      range: this.rangeFrom(first),
    };
  }

  private modelParameter(): A.ModelParameter {
    const first = this.next;
    const name = this.take(T.Identifier);
    const defaultValue = this.takeIf(T.Equals) ? this.expression() : undefined;
    return { name: identifier(name), defaultValue, range: this.rangeFrom(first) };
  }

  private block(): A.Statement[] {
    this.take(T.LBrace);
    const statements: A.Statement[] = [];
    while (startsStatement(this.type())) statements.push(this.statement());
    this.take(T.RBrace);
    return statements;
  }

  private statement(): A.Statement {
    const first = this.next;
    let statement: A.Statement;
    switch (this.type()) {
      case T.Input: {
        const keyword = this.take(T.Input);
        const value = this.expression();
        this.takeIf(T.Comma);
        return { kind: 'input', label: undefined, value, keyword: tokenRange(keyword), range: this.rangeFrom(first) };
      }
      case T.From: {
        this.take(T.From);
        const target = this.take(T.Identifier);
        statement = { kind: 'from', target: identifier(target), range: this.rangeFrom(first) };
        break;
      }
      case T.Repeat: {
        const keyword = this.take(T.Repeat);
        const count = this.expression();
        const body = this.block();
        statement = { kind: 'repeat', count, body, keyword: tokenRange(keyword), range: this.rangeFrom(first) };
        break;
      }
      case T.If: {
        const keyword = this.take(T.If);
        const condition = this.expression();
        const body = this.block();
        statement = { kind: 'if', condition, body, keyword: tokenRange(keyword), range: this.rangeFrom(first) };
        break;
      }
      default:
        if (this.type(1) === T.Equals) statement = this.labelled();
        else if (this.type(1) === T.LParen) {
          const call = this.call();
          statement = { kind: 'layer', call, range: call.range };
        } else throw giveUp;
    }
    // Commas between statements are allowed and carry no meaning.
    this.takeIf(T.Comma);
    return statement;
  }

  private labelled(): A.Statement {
    const first = this.next;
    const label = identifier(this.take(T.Identifier));
    this.take(T.Equals);
    if (this.type() === T.Input) {
      const keyword = this.take(T.Input);
      const value = this.expression();
      return { kind: 'input', label, value, keyword: tokenRange(keyword), range: this.rangeFrom(first) };
    }
    const call = this.call();
    return { kind: 'layer', label, call, range: this.rangeFrom(first) };
  }

  private train(): A.TrainDeclaration {
    const first = this.next;
    const keyword = this.take(T.Train);
    const models = this.modelNames();
    this.take(T.LBrace);
    const settings: A.Setting[] = [];
    while (this.type() === T.Identifier) settings.push(this.setting());
    this.take(T.RBrace);
    return { kind: 'train', models, settings, keyword: tokenRange(keyword), range: this.rangeFrom(first) };
  }

  private tune(): A.TuneDeclaration {
    const first = this.next;
    const keyword = this.take(T.Tune);
    const models = this.modelNames();
    this.take(T.LBrace);
    const settings: A.Setting[] = [];
    const searchParameters: A.SearchParameter[] = [];
    while (this.type() === T.Identifier) {
      if (this.type(1) === T.In) searchParameters.push(this.searchParameter());
      else if (this.type(1) === T.Equals) settings.push(this.setting());
      else throw giveUp;
    }
    this.take(T.RBrace);
    return { kind: 'tune', models, settings, searchParameters, keyword: tokenRange(keyword), range: this.rangeFrom(first) };
  }

  private modelNames(): A.Identifier[] {
    const models = [identifier(this.take(T.Identifier))];
    while (this.takeIf(T.Comma)) models.push(identifier(this.take(T.Identifier)));
    return models;
  }

  private setting(): A.Setting {
    const first = this.next;
    const name = this.take(T.Identifier);
    this.take(T.Equals);
    const value = this.expression();
    this.takeIf(T.Comma);
    return { kind: 'setting', name: identifier(name), value, range: this.rangeFrom(first) };
  }

  private searchParameter(): A.SearchParameter {
    const first = this.next;
    const name = identifier(this.take(T.Identifier));
    this.take(T.In);
    let domain: A.RangeDomain | A.ChoiceDomain;
    if (this.type() === T.LBracket) {
      const choices = this.list();
      domain = { kind: 'choice', values: choices.items, range: choices.range };
    } else {
      const low = this.expression();
      this.take(T.DotDot);
      const high = this.expression();
      const step = this.takeIf(T.Step) ? this.expression() : undefined;
      const log = this.takeIf(T.Log);
      const domainEnd = Math.max(high.range.end, log ? endOf(log) : 0);
      domain = { kind: 'range', low, high, step, log: log !== undefined, range: { start: low.range.start, end: Math.max(domainEnd, step ? step.range.end : 0) } };
    }
    this.takeIf(T.Comma);
    return { kind: 'search', name, domain, range: this.rangeFrom(first) };
  }

  private call(): A.CallExpression {
    const callee = this.take(T.Identifier);
    const open = this.take(T.LParen);
    const base = this.pendingArguments.length;
    if (startsExpression(this.type())) {
      this.pendingArguments.push(this.argument());
      while (this.type() === T.Comma && startsExpression(this.type(1))) {
        this.next++;
        this.pendingArguments.push(this.argument());
      }
      this.takeIf(T.Comma);
    }
    const args = takeFrom(this.pendingArguments, base);
    const close = this.take(T.RParen);
    return {
      kind: 'call',
      callee: identifier(callee),
      args,
      openParen: tokenRange(open),
      closed: true,
      range: { start: callee.startOffset, end: endOf(close) },
    };
  }

  private argument(): A.Argument {
    const name = this.type() === T.Identifier && this.type(1) === T.Equals ? this.take(T.Identifier) : undefined;
    if (name) this.next++;
    const value = this.expression();
    return { name: name ? identifier(name) : undefined, value, range: { start: name ? name.startOffset : value.range.start, end: value.range.end } };
  }

  /** Operands and operators: `*`, `/` and `//` bind tighter than `+` and `-`, all left-associative. */
  private expression(): A.Expression {
    let result: A.Expression | undefined;
    let additive: A.BinaryOperator | undefined;
    let term = this.operand();
    for (let operator = this.tokens[this.next]; operator && isOperator(operator.tokenType); operator = this.tokens[this.next]) {
      this.next++;
      const symbol = operator.image as A.BinaryOperator;
      const right = this.operand();
      if (symbol === '+' || symbol === '-') {
        result = result && additive ? binary(additive, result, term) : term;
        additive = symbol;
        term = right;
      } else {
        term = binary(symbol, term, right);
      }
    }
    return result && additive ? binary(additive, result, term) : term;
  }

  /** An operand with its prefix `-`s, the innermost applied first; a negated number is a number. */
  private operand(): A.Expression {
    const first = this.next;
    while (this.type() === T.Minus) this.next++;
    const prefixEnd = this.next;
    let operand = this.primary();
    for (let p = prefixEnd - 1; p >= first; p--) {
      const minus = this.tokens[p];
      if (!minus) throw giveUp;
      operand =
        operand.kind === 'number'
          ? { kind: 'number', value: -operand.value, text: `-${operand.text}`, range: { start: minus.startOffset, end: operand.range.end } }
          : { kind: 'negate', operand, range: { start: minus.startOffset, end: operand.range.end } };
    }
    return operand;
  }

  private primary(): A.Expression {
    const token = this.tokens[this.next];
    switch (token?.tokenType) {
      case T.NumberLiteral:
        this.next++;
        return { kind: 'number', value: Number(token.image), text: token.image, range: tokenRange(token) };
      case T.StringLiteral:
        this.next++;
        return { kind: 'string', value: token.image.slice(1, -1), range: tokenRange(token) };
      case T.True:
        this.next++;
        return { kind: 'boolean', value: true, range: tokenRange(token) };
      case T.False:
        this.next++;
        return { kind: 'boolean', value: false, range: tokenRange(token) };
      case T.NoneLiteral:
        this.next++;
        return { kind: 'none', range: tokenRange(token) };
      case T.Identifier:
        if (this.type(1) === T.LParen) return this.call();
        this.next++;
        return { kind: 'name', name: token.image, range: tokenRange(token) };
      case T.LParen:
        return this.parenthesized();
      case T.LBracket:
        return this.list();
      default:
        throw giveUp;
    }
  }

  /** `(a)` groups; `(a,)`, `(a, b)` and `()` are tuples. */
  private parenthesized(): A.Expression {
    const first = this.next;
    this.take(T.LParen);
    const base = this.pendingItems.length;
    let commas = 0;
    if (startsExpression(this.type())) {
      this.pendingItems.push(this.expression());
      while (this.type() === T.Comma && startsExpression(this.type(1))) {
        this.next++;
        commas++;
        this.pendingItems.push(this.expression());
      }
      if (this.takeIf(T.Comma)) commas++;
    }
    const items = takeFrom(this.pendingItems, base);
    this.take(T.RParen);
    const range = this.rangeFrom(first);
    const only = items[0];
    if (items.length === 1 && commas === 0 && only) return { kind: 'paren', inner: only, range };
    return { kind: 'tuple', items, range };
  }

  private list(): A.ListExpression {
    const first = this.next;
    this.take(T.LBracket);
    const base = this.pendingItems.length;
    if (startsExpression(this.type())) {
      this.pendingItems.push(this.expression());
      while (this.type() === T.Comma && startsExpression(this.type(1))) {
        this.next++;
        this.pendingItems.push(this.expression());
      }
      this.takeIf(T.Comma);
    }
    const items = takeFrom(this.pendingItems, base);
    this.take(T.RBracket);
    return { kind: 'list', items, range: this.rangeFrom(first) };
  }
}
