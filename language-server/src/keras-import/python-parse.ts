import type { SyntaxNode } from '@lezer/common';
import { parser } from '@lezer/python';
import { LineIndex } from '../text/line-index.js';
import type { Argument, BinaryOperator, CompareOperator, ComprehensionClause, Expr, FormatPart, IfBranch, ImportName, Parameter, PythonModule, Stmt } from './python-ast.js';

/**
 * Python source → the importer's typed tree, over @lezer/python's error-tolerant parse. A
 * statement the parser could not read becomes an `unsupported` statement with its line; the
 * rest of the file is still read.
 */
export function parsePython(source: string): PythonModule {
  const converter = new Converter(source);
  const body = converter.block(parser.parse(source).topNode);
  return { body, syntaxErrors: converter.syntaxErrors };
}

/** Punctuation and keywords: the tokens between the parts of a construct. */
const tokens = new Set(['(', ')', '[', ']', '{', '}', ',', ':', '.', ';', '*', '**', '@', 'AssignOp', 'UpdateOp', 'TypeDef', 'Comment', 'Decorator', 'At']);

function isKeyword(name: string): boolean {
  return /^[a-z]+$/.test(name);
}

function isPart(node: SyntaxNode): boolean {
  return !tokens.has(node.name) && !isKeyword(node.name) && !node.type.isError;
}

function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) if (child.name !== 'Comment') out.push(child);
  return out;
}

function containsError(node: SyntaxNode): boolean {
  let found = false;
  node.cursor().iterate((n) => {
    if (n.type.isError) found = true;
    return !found;
  });
  return found;
}

/** Splits a run of nodes at the tokens named `separator`. */
function splitAt(nodes: readonly SyntaxNode[], separator: string): SyntaxNode[][] {
  const groups: SyntaxNode[][] = [[]];
  for (const node of nodes) {
    if (node.name === separator) groups.push([]);
    else groups[groups.length - 1]?.push(node);
  }
  return groups;
}

const binaryOperators = new Set<string>(['+', '-', '*', '/', '//', '%', '**', '@', '|', '&', '^', '<<', '>>']);
const compareOperators = new Set<string>(['==', '!=', '<', '<=', '>', '>=', '<>']);

class Converter {
  private readonly lines: LineIndex;
  readonly syntaxErrors: { line: number; text: string }[] = [];

  constructor(private readonly source: string) {
    this.lines = new LineIndex(source);
  }

  private line(node: SyntaxNode): number {
    return this.lines.positionAt(node.from).line + 1;
  }

  private text(node: SyntaxNode): string {
    return this.source.slice(node.from, node.to);
  }

  private unsupportedStatement(node: SyntaxNode, what: string): Stmt {
    return { kind: 'unsupported', what, line: this.line(node) };
  }

  block(node: SyntaxNode): Stmt[] {
    const out: Stmt[] = [];
    for (const child of children(node)) {
      if (child.name === ':' || isKeyword(child.name)) continue;
      if (child.type.isError) {
        if (child.to > child.from) this.syntaxErrors.push({ line: this.line(child), text: this.text(child).split('\n')[0] ?? '' });
        continue;
      }
      if (child.name === 'StatementGroup') {
        out.push(...this.block(child));
        continue;
      }
      if (containsError(child)) {
        const firstLine = this.text(child).split('\n')[0] ?? '';
        this.syntaxErrors.push({ line: this.line(child), text: firstLine });
        out.push(this.unsupportedStatement(child, `a statement Python cannot parse (\`${firstLine.trim().slice(0, 60)}\`)`));
        continue;
      }
      out.push(this.statement(child));
    }
    return out;
  }

  private statement(node: SyntaxNode): Stmt {
    const line = this.line(node);
    const parts = children(node);
    switch (node.name) {
      case 'ExpressionStatement':
        return { kind: 'expression', value: this.sequence(parts), line };
      case 'PrintStatement':
        return { kind: 'expression', value: { kind: 'call', callee: { kind: 'name', id: 'print', line }, args: [], line }, line };
      case 'AssignStatement': {
        const groups = splitAt(parts.filter((p) => p.name !== 'TypeDef'), 'AssignOp');
        const value = this.sequence(groups[groups.length - 1] ?? []);
        const targets = groups.slice(0, -1).map((g) => this.sequence(g));
        if (targets.length === 0) return { kind: 'expression', value, line };
        return { kind: 'assign', targets, value, line };
      }
      case 'UpdateStatement': {
        const op = parts.find((p) => p.name === 'UpdateOp');
        const operator = op ? this.text(op).slice(0, -1) : '+';
        const index = op ? parts.indexOf(op) : 1;
        if (!binaryOperators.has(operator)) return this.unsupportedStatement(node, `the operator \`${operator}=\``);
        return { kind: 'augmented-assign', target: this.sequence(parts.slice(0, index)), operator: operator as BinaryOperator, value: this.sequence(parts.slice(index + 1)), line };
      }
      case 'ImportStatement':
        return this.importStatement(node, parts);
      case 'FunctionDefinition':
        return this.functionDefinition(node, parts, []);
      case 'DecoratedStatement': {
        const decorators = parts.filter((p) => p.name === 'Decorator').map((d) => this.sequence(children(d).filter((c) => c.name !== 'At')));
        const definition = parts.find((p) => p.name === 'FunctionDefinition' || p.name === 'ClassDefinition');
        if (!definition) return this.unsupportedStatement(node, 'a decorated statement');
        if (definition.name === 'ClassDefinition') return this.statement(definition);
        return this.functionDefinition(definition, children(definition), decorators);
      }
      case 'ClassDefinition': {
        const name = parts.find((p) => p.name === 'VariableName');
        const args = parts.find((p) => p.name === 'ArgList');
        const body = parts.find((p) => p.name === 'Body');
        return { kind: 'class', name: name ? this.text(name) : '?', bases: args ? this.argumentList(args).map((a) => a.value) : [], body: body ? this.block(body) : [], line };
      }
      case 'ReturnStatement': {
        const rest = parts.filter((p) => p.name !== 'return');
        return rest.length ? { kind: 'return', value: this.sequence(rest), line } : { kind: 'return', line };
      }
      case 'IfStatement':
        return this.ifStatement(parts, line);
      case 'ForStatement': {
        const forAt = parts.findIndex((p) => p.name === 'for');
        const inAt = parts.findIndex((p) => p.name === 'in');
        const bodies = parts.filter((p) => p.name === 'Body');
        return {
          kind: 'for',
          target: this.sequence(parts.slice(forAt + 1, inAt)),
          iterable: this.sequence(parts.slice(inAt + 1).filter((p) => p.name !== 'Body' && p.name !== 'else')),
          body: bodies[0] ? this.block(bodies[0]) : [],
          orElse: bodies[1] ? this.block(bodies[1]) : [],
          line,
        };
      }
      case 'WhileStatement': {
        const body = parts.find((p) => p.name === 'Body');
        return { kind: 'while', test: this.sequence(parts.filter((p) => p.name !== 'Body' && p.name !== 'while' && p.name !== 'else')), body: body ? this.block(body) : [], line };
      }
      case 'WithStatement': {
        const body = parts.find((p) => p.name === 'Body');
        const items = splitAt(
          parts.filter((p) => p.name !== 'Body' && p.name !== 'with' && p.name !== 'async'),
          ',',
        ).map((group) => {
          const asAt = group.findIndex((p) => p.name === 'as');
          return asAt < 0 ? { context: this.sequence(group) } : { context: this.sequence(group.slice(0, asAt)), target: this.sequence(group.slice(asAt + 1)) };
        });
        return { kind: 'with', items, body: body ? this.block(body) : [], line };
      }
      case 'TryStatement': {
        let body: Stmt[] = [];
        const handlers: Stmt[][] = [];
        let orElse: Stmt[] = [];
        let final: Stmt[] = [];
        let section = 'try';
        for (const part of parts) {
          if (part.name === 'try' || part.name === 'except' || part.name === 'else' || part.name === 'finally') section = part.name;
          else if (part.name === 'Body') {
            const statements = this.block(part);
            if (section === 'try') body = statements;
            else if (section === 'except') handlers.push(statements);
            else if (section === 'else') orElse = statements;
            else final = statements;
          }
        }
        return { kind: 'try', body, handlers, orElse, final, line };
      }
      case 'PassStatement':
        return { kind: 'pass', line };
      case 'BreakStatement':
        return { kind: 'break', line };
      case 'ContinueStatement':
        return { kind: 'continue', line };
      case 'RaiseStatement': {
        const rest = parts.filter((p) => p.name !== 'raise' && p.name !== 'from');
        return rest[0] ? { kind: 'raise', value: this.expression(rest[0]), line } : { kind: 'raise', line };
      }
      case 'DeleteStatement':
        return { kind: 'delete', targets: splitAt(parts.filter((p) => p.name !== 'del'), ',').map((g) => this.sequence(g)), line };
      case 'AssertStatement':
      case 'ScopeStatement':
      case 'TypeDefinition':
        return { kind: 'pass', line };
      case 'YieldStatement':
        return this.unsupportedStatement(node, '`yield`');
      case 'MatchStatement':
        return this.unsupportedStatement(node, '`match`');
      default:
        return this.unsupportedStatement(node, `\`${this.text(node).split('\n')[0]?.trim().slice(0, 40) ?? node.name}\``);
    }
  }

  private importStatement(node: SyntaxNode, parts: SyntaxNode[]): Stmt {
    const line = this.line(node);
    if (parts[0]?.name === 'from') {
      const importAt = parts.findIndex((p) => p.name === 'import');
      const module = parts
        .slice(1, importAt)
        .map((p) => this.text(p))
        .join('');
      const rest = parts.slice(importAt + 1).filter((p) => p.name !== '(' && p.name !== ')');
      if (rest.some((p) => p.name === '*')) return { kind: 'import-from', module, names: [{ name: '*' }], line };
      return { kind: 'import-from', module, names: this.importNames(rest), line };
    }
    return { kind: 'import', modules: this.importNames(parts.slice(1)), line };
  }

  /** `a.b as c, d` → dotted names with aliases. */
  private importNames(parts: SyntaxNode[]): ImportName[] {
    return splitAt(parts, ',')
      .filter((g) => g.length)
      .map((group) => {
        const asAt = group.findIndex((p) => p.name === 'as');
        const nameParts = asAt < 0 ? group : group.slice(0, asAt);
        const name = nameParts.map((p) => this.text(p)).join('');
        const alias = asAt < 0 ? undefined : group[asAt + 1];
        return alias ? { name, alias: this.text(alias) } : { name };
      });
  }

  private functionDefinition(node: SyntaxNode, parts: SyntaxNode[], decorators: Expr[]): Stmt {
    const name = parts.find((p) => p.name === 'VariableName');
    const params = parts.find((p) => p.name === 'ParamList');
    const body = parts.find((p) => p.name === 'Body');
    return { kind: 'def', name: name ? this.text(name) : '?', parameters: params ? this.parameters(params) : [], body: body ? this.block(body) : [], decorators, line: this.line(node) };
  }

  private parameters(node: SyntaxNode): Parameter[] {
    const out: Parameter[] = [];
    let keywordOnly = false;
    for (const group of splitAt(children(node).filter((p) => p.name !== '(' && p.name !== ')'), ',')) {
      if (group.length === 0) continue;
      const first = group[0];
      if (!first) continue;
      if (first.name === '*' || first.name === '**') {
        const name = group[1];
        if (!name) {
          keywordOnly = true;
          continue;
        }
        out.push({ name: this.text(name), collects: first.name });
        keywordOnly = true;
        continue;
      }
      if (first.name === '/') continue;
      const assign = group.findIndex((p) => p.name === 'AssignOp');
      const defaultValue = assign >= 0 ? this.sequence(group.slice(assign + 1)) : undefined;
      out.push({ name: this.text(first), ...(defaultValue ? { defaultValue } : {}), ...(keywordOnly ? { keywordOnly } : {}) });
    }
    return out;
  }

  private ifStatement(parts: SyntaxNode[], line: number): Stmt {
    const branches: IfBranch[] = [];
    let test: SyntaxNode[] = [];
    let inTest = false;
    for (const part of parts) {
      if (part.name === 'if' || part.name === 'elif') {
        inTest = true;
        test = [];
      } else if (part.name === 'else') {
        inTest = false;
        test = [];
      } else if (part.name === 'Body') {
        branches.push(test.length ? { test: this.sequence(test), body: this.block(part) } : { body: this.block(part) });
        inTest = false;
        test = [];
      } else if (inTest) test.push(part);
    }
    return { kind: 'if', branches, line };
  }

  /** Comma-separated expressions: one expression, or a tuple when there is a comma. */
  private sequence(nodes: readonly SyntaxNode[]): Expr {
    const line = nodes[0] ? this.line(nodes[0]) : 1;
    const groups = splitAt(nodes, ',');
    const items = groups.filter((g) => g.length).map((g) => this.starred(g));
    if (groups.length === 1) return items[0] ?? { kind: 'none', line };
    return { kind: 'tuple', items, line };
  }

  /** One item of a sequence: `*rest` or an expression. */
  private starred(group: readonly SyntaxNode[]): Expr {
    const first = group[0];
    if (!first) return { kind: 'none', line: 1 };
    if (first.name === '*' && group[1]) return { kind: 'starred', value: this.expression(group[1]), line: this.line(first) };
    const part = group.find(isPart) ?? first;
    return this.expression(part);
  }

  private expression(node: SyntaxNode): Expr {
    const line = this.line(node);
    const parts = children(node);
    switch (node.name) {
      case 'VariableName':
        return { kind: 'name', id: this.text(node), line };
      case 'Number':
        return this.number(node);
      case 'String':
        return this.string(node);
      case 'ContinuedString':
        return this.continuedString(parts, line);
      case 'FormatString':
        return { kind: 'fstring', parts: this.formatParts(node), line };
      case 'Boolean':
        return { kind: 'bool', value: this.text(node) === 'True', line };
      case 'None':
        return { kind: 'none', line };
      case 'Ellipsis':
        return { kind: 'ellipsis', line };
      case 'ParenthesizedExpression': {
        const inner = parts.find(isPart);
        return inner ? this.expression(inner) : { kind: 'tuple', items: [], line };
      }
      case 'TupleExpression':
        return { kind: 'tuple', items: this.items(parts), line };
      case 'ArrayExpression':
        return { kind: 'list', items: this.items(parts), line };
      case 'SetExpression':
        return { kind: 'set', items: this.items(parts), line };
      case 'DictionaryExpression':
        return this.dictionary(parts, line);
      case 'MemberExpression':
        return this.member(parts, line);
      case 'CallExpression': {
        const callee = parts[0];
        const args = parts.find((p) => p.name === 'ArgList');
        return { kind: 'call', callee: callee ? this.expression(callee) : { kind: 'none', line }, args: args ? this.argumentList(args) : [], line };
      }
      case 'BinaryExpression':
        return this.binary(parts, line);
      case 'UnaryExpression': {
        const operand = parts[parts.length - 1];
        const op = parts[0] ? this.text(parts[0]) : '-';
        const operator = op === 'not' ? 'not' : op === '~' ? '~' : op === '+' ? '+' : '-';
        return { kind: 'unary', operator, operand: operand ? this.expression(operand) : { kind: 'none', line }, line };
      }
      case 'ConditionalExpression': {
        const ifAt = parts.findIndex((p) => p.name === 'if');
        const elseAt = parts.findIndex((p) => p.name === 'else');
        return {
          kind: 'conditional',
          body: this.sequence(parts.slice(0, ifAt)),
          test: this.sequence(parts.slice(ifAt + 1, elseAt)),
          orElse: this.sequence(parts.slice(elseAt + 1)),
          line,
        };
      }
      case 'LambdaExpression': {
        const params = parts.find((p) => p.name === 'ParamList');
        const colon = parts.findIndex((p) => p.name === ':');
        return { kind: 'lambda', parameters: params ? this.parameters(params) : [], body: this.sequence(parts.slice(colon + 1)), line };
      }
      case 'ArrayComprehensionExpression':
      case 'SetComprehensionExpression':
      case 'ComprehensionExpression': {
        const inner = parts.filter((p) => !['[', ']', '{', '}', '(', ')'].includes(p.name));
        const forAt = inner.findIndex((p) => p.name === 'for' || p.name === 'async');
        const of = node.name === 'ArrayComprehensionExpression' ? 'list' : node.name === 'SetComprehensionExpression' ? 'set' : 'generator';
        return { kind: 'comprehension', of, element: this.sequence(inner.slice(0, forAt)), clauses: this.clauses(inner.slice(forAt)), line };
      }
      case 'DictionaryComprehensionExpression': {
        const inner = parts.filter((p) => p.name !== '{' && p.name !== '}');
        const colon = inner.findIndex((p) => p.name === ':');
        const forAt = inner.findIndex((p) => p.name === 'for' || p.name === 'async');
        return { kind: 'dict-comprehension', key: this.sequence(inner.slice(0, colon)), value: this.sequence(inner.slice(colon + 1, forAt)), clauses: this.clauses(inner.slice(forAt)), line };
      }
      case 'AwaitExpression':
        return { kind: 'unsupported', what: '`await`', line };
      case 'YieldExpression':
        return { kind: 'unsupported', what: '`yield`', line };
      case 'NamedExpression':
        return { kind: 'unsupported', what: 'the `:=` operator', line };
      default:
        return { kind: 'unsupported', what: `\`${this.text(node).slice(0, 40)}\``, line };
    }
  }

  private items(parts: readonly SyntaxNode[]): Expr[] {
    const inner = parts.filter((p) => !['(', ')', '[', ']', '{', '}'].includes(p.name));
    return splitAt(inner, ',')
      .filter((g) => g.length)
      .map((g) => this.starred(g));
  }

  private dictionary(parts: readonly SyntaxNode[], line: number): Expr {
    const inner = parts.filter((p) => p.name !== '{' && p.name !== '}');
    const entries = splitAt(inner, ',')
      .filter((g) => g.length)
      .map((group) => {
        if (group[0]?.name === '**' && group[1]) return { spread: this.expression(group[1]) };
        const colon = group.findIndex((p) => p.name === ':');
        return { key: this.sequence(group.slice(0, colon)), value: this.sequence(group.slice(colon + 1)) };
      });
    return { kind: 'dict', entries, line };
  }

  private clauses(parts: readonly SyntaxNode[]): ComprehensionClause[] {
    const out: ComprehensionClause[] = [];
    let i = 0;
    while (i < parts.length) {
      const part = parts[i];
      if (part?.name === 'async') {
        i++;
        continue;
      }
      if (part?.name === 'for') {
        const inAt = parts.findIndex((p, k) => k > i && p.name === 'in');
        let end = inAt + 1;
        while (end < parts.length && parts[end]?.name !== 'for' && parts[end]?.name !== 'if' && parts[end]?.name !== 'async') end++;
        out.push({ kind: 'for', target: this.sequence(parts.slice(i + 1, inAt)), iterable: this.sequence(parts.slice(inAt + 1, end)) });
        i = end;
      } else if (part?.name === 'if') {
        let end = i + 1;
        while (end < parts.length && parts[end]?.name !== 'for' && parts[end]?.name !== 'if' && parts[end]?.name !== 'async') end++;
        out.push({ kind: 'if', test: this.sequence(parts.slice(i + 1, end)) });
        i = end;
      } else i++;
    }
    return out;
  }

  private member(parts: readonly SyntaxNode[], line: number): Expr {
    const objectNode = parts[0];
    const object = objectNode ? this.expression(objectNode) : ({ kind: 'none', line } as Expr);
    if (parts[1]?.name === '.') {
      const property = parts[2];
      return { kind: 'attribute', object, name: property ? this.text(property) : '?', line };
    }
    const inner = parts.slice(2, parts[parts.length - 1]?.name === ']' ? -1 : undefined);
    const groups = splitAt(inner, ',');
    const indices = groups.filter((g) => g.length || groups.length === 1).map((g) => this.sliceOrExpression(g, line));
    const index: Expr = groups.length > 1 ? { kind: 'tuple', items: indices, line } : (indices[0] ?? { kind: 'slice', line });
    return { kind: 'subscript', object, index, line };
  }

  private sliceOrExpression(group: readonly SyntaxNode[], line: number): Expr {
    if (!group.some((p) => p.name === ':')) return this.sequence(group);
    const [lower, upper, step] = splitAt(group, ':').map((g) => (g.length ? this.sequence(g) : undefined));
    return { kind: 'slice', ...(lower ? { lower } : {}), ...(upper ? { upper } : {}), ...(step ? { step } : {}), line };
  }

  argumentList(node: SyntaxNode): Argument[] {
    const inner = children(node).filter((p) => p.name !== '(' && p.name !== ')');
    if (inner.some((p) => p.name === 'for')) {
      const forAt = inner.findIndex((p) => p.name === 'for');
      const line = this.line(node);
      return [{ value: { kind: 'comprehension', of: 'generator', element: this.sequence(inner.slice(0, forAt)), clauses: this.clauses(inner.slice(forAt)), line } }];
    }
    return splitAt(inner, ',')
      .filter((g) => g.length)
      .map((group): Argument => {
        const first = group[0];
        if ((first?.name === '*' || first?.name === '**') && group[1]) return { spread: first.name, value: this.expression(group[1]) };
        if (group[1]?.name === 'AssignOp' && first) return { name: this.text(first), value: this.sequence(group.slice(2)) };
        return { value: this.sequence(group) };
      });
  }

  private binary(parts: readonly SyntaxNode[], line: number): Expr {
    const left = parts[0];
    const right = parts[parts.length - 1];
    const operatorText = parts
      .slice(1, -1)
      .map((p) => this.text(p))
      .join(' ');
    const l = left ? this.expression(left) : ({ kind: 'none', line } as Expr);
    const r = right ? this.expression(right) : ({ kind: 'none', line } as Expr);
    if (operatorText === 'and' || operatorText === 'or') return { kind: 'logical', operator: operatorText, left: l, right: r, line };
    if (compareOperators.has(operatorText) || ['in', 'not in', 'is', 'is not'].includes(operatorText)) {
      return { kind: 'compare', operator: (operatorText === '<>' ? '!=' : operatorText) as CompareOperator, left: l, right: r, line };
    }
    if (binaryOperators.has(operatorText)) return { kind: 'binary', operator: operatorText as BinaryOperator, left: l, right: r, line };
    return { kind: 'unsupported', what: `the operator \`${operatorText}\``, line };
  }

  private number(node: SyntaxNode): Expr {
    const line = this.line(node);
    const text = this.text(node).replace(/_/g, '');
    if (/[jJ]$/.test(text)) return { kind: 'unsupported', what: 'a complex number', line };
    if (/^0[xX]/.test(text)) return { kind: 'number', value: parseInt(text.slice(2), 16), integer: true, line };
    if (/^0[oO]/.test(text)) return { kind: 'number', value: parseInt(text.slice(2), 8), integer: true, line };
    if (/^0[bB]/.test(text)) return { kind: 'number', value: parseInt(text.slice(2), 2), integer: true, line };
    const integer = !/[.eE]/.test(text);
    return { kind: 'number', value: Number(text.replace(/[lL]$/, '')), integer, line };
  }

  private string(node: SyntaxNode): Expr {
    const line = this.line(node);
    const text = this.text(node);
    const { prefix, body } = splitStringLiteral(text);
    if (prefix.includes('f')) return { kind: 'fstring', parts: this.formatParts(node), line };
    return { kind: 'string', value: prefix.includes('r') ? body : unescape(body), line };
  }

  private continuedString(parts: readonly SyntaxNode[], line: number): Expr {
    const pieces: FormatPart[] = [];
    for (const part of parts) {
      const expr = this.expression(part);
      if (expr.kind === 'string') pieces.push(expr.value);
      else if (expr.kind === 'fstring') pieces.push(...expr.parts);
    }
    if (pieces.every((p) => typeof p === 'string')) return { kind: 'string', value: pieces.join(''), line };
    return { kind: 'fstring', parts: pieces, line };
  }

  /** The literal text and `{expr!c:spec}` replacements of an f-string. */
  private formatParts(node: SyntaxNode): FormatPart[] {
    const text = this.text(node);
    const { prefix, body, bodyStart } = splitStringLiteral(text);
    const raw = prefix.includes('r');
    const parts: FormatPart[] = [];
    let cursor = node.from + bodyStart;
    const bodyEnd = node.from + bodyStart + body.length;
    const literal = (to: number): void => {
      if (to > cursor) parts.push((raw ? (s: string) => s : unescape)(this.source.slice(cursor, to).replace(/\{\{/g, '{').replace(/\}\}/g, '}')));
    };
    for (const replacement of children(node).filter((c) => c.name === 'FormatReplacement')) {
      literal(replacement.from);
      const inner = children(replacement).filter((c) => c.name !== '{' && c.name !== '}');
      const specNode = inner.find((c) => c.name === 'FormatSpec');
      const conversionNode = inner.find((c) => c.name === 'FormatConversion');
      const exprNodes = inner.filter((c) => c !== specNode && c !== conversionNode && c.name !== 'FormatSelfDoc');
      const spec = specNode ? this.source.slice(specNode.from + 1, replacement.to - 1) : undefined;
      parts.push({
        expr: this.sequence(exprNodes),
        ...(spec !== undefined ? { spec } : {}),
        ...(conversionNode ? { conversion: this.text(conversionNode).slice(1) } : {}),
      });
      cursor = replacement.to;
    }
    literal(bodyEnd);
    return parts;
  }
}

/** `rb'''text'''` → its prefix (lower case), the text between the quotes and where that starts. */
function splitStringLiteral(text: string): { prefix: string; body: string; bodyStart: number } {
  const match = /^([a-zA-Z]*)('''|"""|'|")/.exec(text);
  const prefix = (match?.[1] ?? '').toLowerCase();
  const quote = match?.[2] ?? '"';
  const bodyStart = (match?.[1]?.length ?? 0) + quote.length;
  const end = text.endsWith(quote) && text.length >= bodyStart + quote.length ? text.length - quote.length : text.length;
  return { prefix, body: text.slice(bodyStart, end), bodyStart };
}

const escapes: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };

function unescape(text: string): string {
  return text.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|N\{[^}]*\}|[\s\S])/g, (whole, code: string) => {
    if (/^[xuU]/.test(code)) return String.fromCodePoint(parseInt(code.slice(1), 16));
    if (code.startsWith('N{')) return whole;
    return escapes[code] ?? whole;
  });
}
