import type { CstElement, CstNode, IToken } from 'chevrotain';
import type * as A from './ast.js';

/**
 * Turns the chevrotain CST into the typed AST. The parser recovers from errors,
 * so any child may be missing or a token may have been inserted by recovery
 * (with NaN offsets): every accessor here tolerates both.
 */

type Children = Record<string, CstElement[] | undefined>;

function isToken(element: CstElement): element is IToken {
  return (element as IToken).image !== undefined;
}

function realToken(element: CstElement | undefined): IToken | undefined {
  if (!element || !isToken(element)) return undefined;
  if (element.isInsertedInRecovery || Number.isNaN(element.startOffset)) return undefined;
  return element;
}

const noElements: CstElement[] = [];

function tokens(children: Children, label: string): IToken[] {
  const found = children[label];
  if (!found) return [];
  const result: IToken[] = [];
  for (const element of found) {
    const token = realToken(element);
    if (token) result.push(token);
  }
  return result;
}

/** The first real token under `label`; allocation-free, as it runs for every node. */
function token(children: Children, label: string): IToken | undefined {
  const found = children[label];
  if (!found) return undefined;
  for (const element of found) {
    const t = realToken(element);
    if (t) return t;
  }
  return undefined;
}

/** Sub-rule labels only ever hold CST nodes, so no filtering (or copying) is needed. */
function nodes(children: Children, label: string): readonly CstNode[] {
  return (children[label] ?? noElements) as CstNode[];
}

function node(children: Children, label: string): CstNode | undefined {
  return children[label]?.[0] as CstNode | undefined;
}

export function tokenRange(t: IToken): A.Range {
  return { start: t.startOffset, end: t.endOffset !== undefined && Number.isFinite(t.endOffset) ? t.endOffset + 1 : t.startOffset + t.image.length };
}

function nodeRange(n: CstNode, fallback: number): A.Range {
  const location = n.location;
  const start = location && Number.isFinite(location.startOffset) ? location.startOffset : fallback;
  const endInclusive = location?.endOffset;
  const end = endInclusive !== undefined && Number.isFinite(endInclusive) ? endInclusive + 1 : start;
  return { start, end: Math.max(start, end) };
}

function identifier(t: IToken): A.Identifier {
  return { kind: 'identifier', name: t.image, range: tokenRange(t) };
}

export class AstBuilder {
  constructor(private readonly textLength: number) {}

  file(cst: CstNode): A.ModelFile {
    const declarations: A.Declaration[] = [];
    const c = cst.children;
    for (const model of nodes(c, 'modelDeclaration')) {
      const built = this.model(model);
      if (built) declarations.push(built);
    }
    for (const train of nodes(c, 'trainDeclaration')) {
      const built = this.train(train);
      if (built) declarations.push(built);
    }
    for (const tune of nodes(c, 'tuneDeclaration')) {
      const built = this.tune(tune);
      if (built) declarations.push(built);
    }
    declarations.sort((a, b) => a.range.start - b.range.start);
    return { declarations, range: { start: 0, end: this.textLength } };
  }

  private model(n: CstNode): A.ModelDeclaration | undefined {
    const c = n.children;
    const keyword = token(c, 'Model');
    const name = token(c, 'name');
    if (!keyword || !name) return undefined;
    const range = nodeRange(n, keyword.startOffset);
    const parameters: A.ModelParameter[] = [];
    for (const p of nodes(c, 'modelParameter')) {
      const pName = token(p.children, 'name');
      if (!pName) continue;
      const defaultNode = node(p.children, 'default');
      parameters.push({
        name: identifier(pName),
        defaultValue: defaultNode ? this.expression(defaultNode) : undefined,
        range: nodeRange(p, pName.startOffset),
      });
    }
    const block = node(c, 'block');
    const variant = node(c, 'variant');
    let variantOf: A.VariantOf | undefined;
    if (variant) {
      const call = this.call(variant);
      if (call) variantOf = { base: call.callee, args: call.args, range: call.range };
    }
    return {
      kind: 'model',
      name: identifier(name),
      parameters,
      body: block ? this.block(block) : variant ? undefined : [],
      variantOf,
      keyword: tokenRange(keyword),
      range,
    };
  }

  private block(n: CstNode): A.Statement[] {
    const result: A.Statement[] = [];
    for (const s of nodes(n.children, 'statement')) {
      const built = this.statement(s);
      if (built) result.push(built);
    }
    return result;
  }

  private statement(n: CstNode): A.Statement | undefined {
    const c = n.children;
    const input = node(c, 'inputStatement');
    if (input) return this.input(input, undefined, n);
    const from = node(c, 'fromStatement');
    if (from) {
      const target = token(from.children, 'target');
      if (!target) return undefined;
      return { kind: 'from', target: identifier(target), range: nodeRange(from, target.startOffset) };
    }
    const repeat = node(c, 'repeatStatement');
    if (repeat) {
      const keyword = token(repeat.children, 'Repeat');
      if (!keyword) return undefined;
      const count = node(repeat.children, 'count');
      const block = node(repeat.children, 'block');
      const range = nodeRange(repeat, keyword.startOffset);
      return {
        kind: 'repeat',
        count: count ? this.expression(count) : this.missing(range.end),
        body: block ? this.block(block) : [],
        keyword: tokenRange(keyword),
        range,
      };
    }
    const conditional = node(c, 'ifStatement');
    if (conditional) {
      const keyword = token(conditional.children, 'If');
      if (!keyword) return undefined;
      const condition = node(conditional.children, 'condition');
      const block = node(conditional.children, 'block');
      const range = nodeRange(conditional, keyword.startOffset);
      return {
        kind: 'if',
        condition: condition ? this.expression(condition) : this.missing(range.end),
        body: block ? this.block(block) : [],
        keyword: tokenRange(keyword),
        range,
      };
    }
    const labelled = node(c, 'labelledStatement');
    if (labelled) {
      const labelToken = token(labelled.children, 'label');
      const label = labelToken ? identifier(labelToken) : undefined;
      const labelledInput = node(labelled.children, 'inputStatement');
      if (labelledInput) return this.input(labelledInput, label, labelled);
      const layer = node(labelled.children, 'layer');
      const call = layer ? this.call(layer) : undefined;
      if (!call) return undefined;
      return { kind: 'layer', label, call, range: nodeRange(labelled, call.range.start) };
    }
    const layer = node(c, 'layer');
    const call = layer ? this.call(layer) : undefined;
    if (!call) return undefined;
    return { kind: 'layer', call, range: call.range };
  }

  private input(n: CstNode, label: A.Identifier | undefined, whole: CstNode): A.InputStatement | undefined {
    const keyword = token(n.children, 'Input');
    if (!keyword) return undefined;
    const value = node(n.children, 'value');
    const range = nodeRange(whole, keyword.startOffset);
    return {
      kind: 'input',
      label,
      value: value ? this.expression(value) : this.missing(range.end),
      keyword: tokenRange(keyword),
      range,
    };
  }

  private train(n: CstNode): A.TrainDeclaration | undefined {
    const keyword = token(n.children, 'Train');
    if (!keyword) return undefined;
    return {
      kind: 'train',
      models: tokens(n.children, 'models').map(identifier),
      settings: this.settings(n),
      keyword: tokenRange(keyword),
      range: nodeRange(n, keyword.startOffset),
    };
  }

  private tune(n: CstNode): A.TuneDeclaration | undefined {
    const keyword = token(n.children, 'Tune');
    if (!keyword) return undefined;
    const searchParameters: A.SearchParameter[] = [];
    for (const p of nodes(n.children, 'searchParameter')) {
      const built = this.searchParameter(p);
      if (built) searchParameters.push(built);
    }
    return {
      kind: 'tune',
      models: tokens(n.children, 'models').map(identifier),
      settings: this.settings(n),
      searchParameters,
      keyword: tokenRange(keyword),
      range: nodeRange(n, keyword.startOffset),
    };
  }

  private settings(n: CstNode): A.Setting[] {
    const result: A.Setting[] = [];
    for (const s of nodes(n.children, 'setting')) {
      const name = token(s.children, 'name');
      if (!name) continue;
      const value = node(s.children, 'value');
      const range = nodeRange(s, name.startOffset);
      result.push({
        kind: 'setting',
        name: identifier(name),
        value: value ? this.expression(value) : this.missing(range.end),
        range,
      });
    }
    return result;
  }

  private searchParameter(n: CstNode): A.SearchParameter | undefined {
    const c = n.children;
    const name = token(c, 'name');
    if (!name) return undefined;
    const range = nodeRange(n, name.startOffset);
    const choices = node(c, 'choices');
    if (choices) {
      const list = this.list(choices);
      return { kind: 'search', name: identifier(name), domain: { kind: 'choice', values: list.items, range: list.range }, range };
    }
    const low = node(c, 'low');
    const high = node(c, 'high');
    const step = node(c, 'step');
    const lowExpr = low ? this.expression(low) : this.missing(range.end);
    const highExpr = high ? this.expression(high) : this.missing(range.end);
    const logToken = token(c, 'Log');
    const domainEnd = Math.max(highExpr.range.end, logToken ? tokenRange(logToken).end : 0);
    return {
      kind: 'search',
      name: identifier(name),
      domain: {
        kind: 'range',
        low: lowExpr,
        high: highExpr,
        step: step ? this.expression(step) : undefined,
        log: logToken !== undefined,
        range: { start: lowExpr.range.start, end: Math.max(domainEnd, step ? nodeRange(step, 0).end : 0) },
      },
      range,
    };
  }

  private call(n: CstNode): A.CallExpression | undefined {
    const c = n.children;
    const callee = token(c, 'Identifier') ?? token(c, 'callee');
    if (!callee) return undefined;
    const open = token(c, 'LParen');
    const close = token(c, 'RParen');
    // Argument names are inlined in the call: a name belongs to the value that starts after it.
    const names = tokens(c, 'argumentNames');
    const args: A.Argument[] = [];
    let nameIndex = 0;
    for (const valueNode of nodes(c, 'argumentValues')) {
      const value = this.expression(valueNode);
      let name: IToken | undefined;
      while (nameIndex < names.length && (names[nameIndex]?.startOffset ?? Infinity) < value.range.start) name = names[nameIndex++];
      if (name && args.length > 0 && (args[args.length - 1]?.range.end ?? 0) > name.startOffset) name = undefined;
      args.push({
        name: name ? identifier(name) : undefined,
        value,
        range: { start: name ? name.startOffset : value.range.start, end: value.range.end },
      });
    }
    const range = nodeRange(n, callee.startOffset);
    return {
      kind: 'call',
      callee: identifier(callee),
      args,
      openParen: open ? tokenRange(open) : undefined,
      closed: close !== undefined,
      range,
    };
  }

  expression(n: CstNode): A.Expression {
    const operandElements = n.children['operands'] ?? noElements;
    const first = operandElements[0];
    if (!first) return this.missing(nodeRange(n, 0).start);
    // Most values are a single operand: skip the precedence machinery.
    if (operandElements.length === 1 && !n.children['prefix']) return this.operand(first);
    const operators = tokens(n.children, 'operators');
    const prefixes = tokens(n.children, 'prefix');
    // Attach each prefix `-` to the operand that follows it.
    let prefixIndex = 0;
    const operands: A.Expression[] = [];
    for (const element of operandElements) {
      let operand = this.operand(element);
      const negations: IToken[] = [];
      while (prefixIndex < prefixes.length && (prefixes[prefixIndex]?.startOffset ?? Infinity) < operand.range.start) {
        const prefix = prefixes[prefixIndex++];
        if (prefix) negations.push(prefix);
      }
      for (let i = negations.length - 1; i >= 0; i--) {
        const minus = negations[i];
        if (!minus) continue;
        operand =
          operand.kind === 'number'
            ? { kind: 'number', value: -operand.value, text: `-${operand.text}`, range: { start: minus.startOffset, end: operand.range.end } }
            : { kind: 'negate', operand, range: { start: minus.startOffset, end: operand.range.end } };
      }
      operands.push(operand);
    }
    // Precedence: * / // bind tighter than + -, all left-associative.
    const terms: A.Expression[] = [];
    const additive: A.BinaryOperator[] = [];
    let term = operands[0];
    for (let i = 1; i < operands.length; i++) {
      const operator = operators[i - 1];
      const right = operands[i];
      if (!operator || !right || !term) break;
      const symbol = operator.image as A.BinaryOperator;
      if (symbol === '+' || symbol === '-') {
        terms.push(term);
        additive.push(symbol);
        term = right;
      } else {
        term = { kind: 'binary', operator: symbol, left: term, right, range: { start: term.range.start, end: right.range.end } };
      }
    }
    if (term) terms.push(term);
    let result = terms[0] ?? this.missing(nodeRange(n, 0).start);
    for (let i = 1; i < terms.length; i++) {
      const right = terms[i];
      const operator = additive[i - 1];
      if (!right || !operator) break;
      result = { kind: 'binary', operator, left: result, right, range: { start: result.range.start, end: right.range.end } };
    }
    return result;
  }

  private operand(element: CstElement): A.Expression {
    if (!isToken(element)) {
      if (element.name === 'call') return this.call(element) ?? this.missing(nodeRange(element, 0).start);
      if (element.name === 'parenthesized') return this.parenthesized(element);
      return this.list(element);
    }
    const t = realToken(element);
    if (!t) return this.missing(this.textLength);
    const range = tokenRange(t);
    switch (t.tokenType.name) {
      case 'Number':
        return { kind: 'number', value: Number(t.image), text: t.image, range };
      case 'String':
        return { kind: 'string', value: t.image.slice(1, -1), range };
      case 'True':
        return { kind: 'boolean', value: true, range };
      case 'False':
        return { kind: 'boolean', value: false, range };
      case 'None':
        return { kind: 'none', range };
      default:
        return { kind: 'name', name: t.image, range };
    }
  }

  private parenthesized(n: CstNode): A.Expression {
    const items = nodes(n.children, 'items').map((item) => this.expression(item));
    const commas = tokens(n.children, 'commas');
    const range = nodeRange(n, 0);
    const only = items[0];
    if (items.length === 1 && commas.length === 0 && only) return { kind: 'paren', inner: only, range };
    return { kind: 'tuple', items, range };
  }

  private list(n: CstNode): A.ListExpression {
    return { kind: 'list', items: nodes(n.children, 'items').map((item) => this.expression(item)), range: nodeRange(n, 0) };
  }

  private missing(offset: number): A.MissingExpression {
    const at = Math.min(Math.max(0, offset), this.textLength);
    return { kind: 'missing', range: { start: at, end: at } };
  }
}
