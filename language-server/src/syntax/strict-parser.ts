import type { TokenType } from 'chevrotain';
import type * as A from './ast.js';
import { binary } from './parser.js';
import type { TokenStream } from './token-stream.js';
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
export function parseStrict(tokens: TokenStream, textLength: number): A.ModelFile | undefined {
  try {
    return new StrictParser(tokens).file(textLength);
  } catch (error) {
    if (error === giveUp) return undefined;
    throw error;
  }
}

const giveUp = new Error('not a valid file');

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

/**
 * Collects the arguments or items of nested calls and tuples, which are then taken off as
 * exact-size arrays (a pushed-to array keeps room for 16). Its own array never shrinks: taking
 * with `splice` or `length = base` released it, and the next call grew a new one.
 */
class PendingStack<E> {
  private readonly entries: E[] = [];
  private top = 0;

  get size(): number {
    return this.top;
  }

  push(entry: E): void {
    this.entries[this.top++] = entry;
  }

  /** The entries pushed since `base`, in order. */
  takeFrom(base: number): E[] {
    const taken = new Array<E>(this.top - base);
    for (let i = 0; i < taken.length; i++) taken[i] = this.entries[base + i] as E;
    this.top = base;
    return taken;
  }
}

class StrictParser {
  private next = 0;
  private readonly pendingArguments = new PendingStack<A.Argument>();
  private readonly pendingItems = new PendingStack<A.Expression>();
  private readonly names = new Map<string, string>();

  constructor(private readonly tokens: TokenStream) {}

  private type(ahead = 0): TokenType | undefined {
    return this.tokens.type(this.next + ahead);
  }

  /** Takes the next token, which must be of `type`; returns its index. */
  private take(type: TokenType): number {
    if (this.tokens.type(this.next) !== type) throw giveUp;
    return this.next++;
  }

  /** Takes the next token if it is of `type`; returns its index, or -1. */
  private takeIf(type: TokenType): number {
    if (this.tokens.type(this.next) !== type) return -1;
    return this.next++;
  }

  private tokenRange(token: number): A.Range {
    return { start: this.tokens.start(token), end: this.tokens.end(token) };
  }

  private identifier(token: number): A.Identifier {
    return { kind: 'identifier', name: this.name(token), range: this.tokenRange(token) };
  }

  /** The text of a name token, one string per distinct name: a long model repeats a few names thousands of times. */
  private name(token: number): string {
    const image = this.tokens.image(token);
    const known = this.names.get(image);
    if (known !== undefined) return known;
    this.names.set(image, image);
    return image;
  }

  /** From the token at `first` to the last one taken. */
  private rangeFrom(first: number): A.Range {
    if (first >= this.next) throw giveUp;
    return { start: this.tokens.start(first), end: this.tokens.end(this.next - 1) };
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
    if (this.takeIf(T.LParen) >= 0) {
      if (this.type() === T.Identifier) {
        parameters.push(this.modelParameter());
        while (this.takeIf(T.Comma) >= 0) parameters.push(this.modelParameter());
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
      name: this.identifier(name),
      parameters,
      body,
      variantOf: variant ? { base: variant.callee, args: variant.args, range: variant.range } : undefined,
      keyword: this.tokenRange(keyword),
      range: this.rangeFrom(first),
    };
  }

  private modelParameter(): A.ModelParameter {
    const first = this.next;
    const name = this.take(T.Identifier);
    const defaultValue = this.takeIf(T.Equals) >= 0 ? this.expression() : undefined;
    return { name: this.identifier(name), defaultValue, range: this.rangeFrom(first) };
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
        return { kind: 'input', label: undefined, value, keyword: this.tokenRange(keyword), range: this.rangeFrom(first) };
      }
      case T.From: {
        this.take(T.From);
        const target = this.take(T.Identifier);
        statement = { kind: 'from', target: this.identifier(target), range: this.rangeFrom(first) };
        break;
      }
      case T.Repeat: {
        const keyword = this.take(T.Repeat);
        const count = this.expression();
        const body = this.block();
        statement = { kind: 'repeat', count, body, keyword: this.tokenRange(keyword), range: this.rangeFrom(first) };
        break;
      }
      case T.If: {
        const keyword = this.take(T.If);
        const condition = this.expression();
        const body = this.block();
        statement = { kind: 'if', condition, body, keyword: this.tokenRange(keyword), range: this.rangeFrom(first) };
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
    const label = this.identifier(this.take(T.Identifier));
    this.take(T.Equals);
    if (this.type() === T.Input) {
      const keyword = this.take(T.Input);
      const value = this.expression();
      return { kind: 'input', label, value, keyword: this.tokenRange(keyword), range: this.rangeFrom(first) };
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
    return { kind: 'train', models, settings, keyword: this.tokenRange(keyword), range: this.rangeFrom(first) };
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
    return { kind: 'tune', models, settings, searchParameters, keyword: this.tokenRange(keyword), range: this.rangeFrom(first) };
  }

  private modelNames(): A.Identifier[] {
    const models = [this.identifier(this.take(T.Identifier))];
    while (this.takeIf(T.Comma) >= 0) models.push(this.identifier(this.take(T.Identifier)));
    return models;
  }

  private setting(): A.Setting {
    const first = this.next;
    const name = this.take(T.Identifier);
    this.take(T.Equals);
    const value = this.expression();
    this.takeIf(T.Comma);
    return { kind: 'setting', name: this.identifier(name), value, range: this.rangeFrom(first) };
  }

  private searchParameter(): A.SearchParameter {
    const first = this.next;
    const name = this.identifier(this.take(T.Identifier));
    this.take(T.In);
    let domain: A.RangeDomain | A.ChoiceDomain;
    if (this.type() === T.LBracket) {
      const choices = this.list();
      domain = { kind: 'choice', values: choices.items, range: choices.range };
    } else {
      const low = this.expression();
      this.take(T.DotDot);
      const high = this.expression();
      const step = this.takeIf(T.Step) >= 0 ? this.expression() : undefined;
      const log = this.takeIf(T.Log);
      const domainEnd = Math.max(high.range.end, log >= 0 ? this.tokens.end(log) : 0);
      domain = { kind: 'range', low, high, step, log: log >= 0, range: { start: low.range.start, end: Math.max(domainEnd, step ? step.range.end : 0) } };
    }
    this.takeIf(T.Comma);
    return { kind: 'search', name, domain, range: this.rangeFrom(first) };
  }

  private call(): A.CallExpression {
    const callee = this.take(T.Identifier);
    const open = this.take(T.LParen);
    const base = this.pendingArguments.size;
    if (startsExpression(this.type())) {
      this.pendingArguments.push(this.argument());
      while (this.type() === T.Comma && startsExpression(this.type(1))) {
        this.next++;
        this.pendingArguments.push(this.argument());
      }
      this.takeIf(T.Comma);
    }
    const args = this.pendingArguments.takeFrom(base);
    const close = this.take(T.RParen);
    return {
      kind: 'call',
      callee: this.identifier(callee),
      args,
      openParen: this.tokenRange(open),
      closed: true,
      range: { start: this.tokens.start(callee), end: this.tokens.end(close) },
    };
  }

  private argument(): A.Argument {
    const name = this.type() === T.Identifier && this.type(1) === T.Equals ? this.take(T.Identifier) : -1;
    if (name >= 0) this.next++;
    const value = this.expression();
    // A positional argument spans just its value: the range is shared (ranges are readonly).
    if (name < 0) return { name: undefined, value, range: value.range };
    return { name: this.identifier(name), value, range: { start: this.tokens.start(name), end: value.range.end } };
  }

  /** Operands and operators: `*`, `/` and `//` bind tighter than `+` and `-`, all left-associative. */
  private expression(): A.Expression {
    let result: A.Expression | undefined;
    let additive: A.BinaryOperator | undefined;
    let term = this.operand();
    while (isOperator(this.type())) {
      const symbol = this.tokens.image(this.next++) as A.BinaryOperator;
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
      const minus = this.tokens.start(p);
      operand =
        operand.kind === 'number'
          ? { kind: 'number', value: -operand.value, text: `-${operand.text}`, range: { start: minus, end: operand.range.end } }
          : { kind: 'negate', operand, range: { start: minus, end: operand.range.end } };
    }
    return operand;
  }

  private primary(): A.Expression {
    const token = this.next;
    switch (this.tokens.type(token)) {
      case T.NumberLiteral: {
        this.next++;
        const text = this.tokens.image(token);
        return { kind: 'number', value: Number(text), text, range: this.tokenRange(token) };
      }
      case T.StringLiteral:
        this.next++;
        return { kind: 'string', value: this.tokens.text.substring(this.tokens.start(token) + 1, this.tokens.end(token) - 1), range: this.tokenRange(token) };
      case T.True:
        this.next++;
        return { kind: 'boolean', value: true, range: this.tokenRange(token) };
      case T.False:
        this.next++;
        return { kind: 'boolean', value: false, range: this.tokenRange(token) };
      case T.NoneLiteral:
        this.next++;
        return { kind: 'none', range: this.tokenRange(token) };
      case T.Identifier:
        if (this.type(1) === T.LParen) return this.call();
        this.next++;
        return { kind: 'name', name: this.name(token), range: this.tokenRange(token) };
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
    const base = this.pendingItems.size;
    let commas = 0;
    if (startsExpression(this.type())) {
      this.pendingItems.push(this.expression());
      while (this.type() === T.Comma && startsExpression(this.type(1))) {
        this.next++;
        commas++;
        this.pendingItems.push(this.expression());
      }
      if (this.takeIf(T.Comma) >= 0) commas++;
    }
    const items = this.pendingItems.takeFrom(base);
    this.take(T.RParen);
    const range = this.rangeFrom(first);
    const only = items[0];
    if (items.length === 1 && commas === 0 && only) return { kind: 'paren', inner: only, range };
    return { kind: 'tuple', items, range };
  }

  private list(): A.ListExpression {
    const first = this.next;
    this.take(T.LBracket);
    const base = this.pendingItems.size;
    if (startsExpression(this.type())) {
      this.pendingItems.push(this.expression());
      while (this.type() === T.Comma && startsExpression(this.type(1))) {
        this.next++;
        this.pendingItems.push(this.expression());
      }
      this.takeIf(T.Comma);
    }
    const items = this.pendingItems.takeFrom(base);
    this.take(T.RBracket);
    return { kind: 'list', items, range: this.rangeFrom(first) };
  }
}
