import type { Declaration, Expression, Identifier, IfStatement, RepeatStatement, SearchParameter, Statement } from './ast.js';

/**
 * One walker over the tree for the features that look through it: statements in source order with the
 * bodies of `repeat` and `if` blocks, and expressions with their parts, so that no feature repeats the recursion.
 */

/** What a visitor returns: nothing to go on, `skip` to leave this node's children out, `stop` to end the walk. */
export type WalkControl = void | 'skip' | 'stop';

export type BlockStatement = RepeatStatement | IfStatement;

/** Whether a statement has a body of its own (`repeat`, `if`). */
export function isBlock(statement: Statement): statement is BlockStatement {
  return statement.kind === 'repeat' || statement.kind === 'if';
}

/** The expression in a block's head: the count of a `repeat`, the condition of an `if`. */
export function blockHead(block: BlockStatement): Expression {
  return block.kind === 'repeat' ? block.count : block.condition;
}

/**
 * Visits `statements` and, after each block, its body (pre-order, so in source order).
 * Returns false when a visitor stopped the walk.
 */
export function walkStatements(statements: readonly Statement[], visit: (statement: Statement) => WalkControl): boolean {
  for (const s of statements) {
    const control = visit(s);
    if (control === 'stop') return false;
    if (control !== 'skip' && isBlock(s) && !walkStatements(s.body, visit)) return false;
  }
  return true;
}

/** The statements of the models among `declarations`, nested ones included, in source order. */
export function walkModelStatements(declarations: readonly Declaration[], visit: (statement: Statement) => WalkControl): boolean {
  for (const d of declarations) if (d.kind === 'model' && !walkStatements(d.body ?? [], visit)) return false;
  return true;
}

/** Every statement of `statements`, nested ones included, in source order. */
export function allStatements(statements: readonly Statement[]): Statement[] {
  const out: Statement[] = [];
  walkStatements(statements, (s) => {
    out.push(s);
  });
  return out;
}

const noLabels: readonly Identifier[] = Object.freeze([]);

/** The labels a statement defines, in order: `seq, h, c = LSTM(...)` gives `seq`, `h` and `c`. */
export function statementLabels(statement: Statement): readonly Identifier[] {
  if (statement.kind !== 'input' && statement.kind !== 'layer') return noLabels;
  if (!statement.label) return statement.moreLabels ?? noLabels;
  return statement.moreLabels ? [statement.label, ...statement.moreLabels] : [statement.label];
}

/** The expressions written directly in a statement (not in a block's body): an input's value, a layer's call, a block's head. */
export function statementExpression(statement: Statement): Expression | undefined {
  switch (statement.kind) {
    case 'input':
      return statement.value;
    case 'layer':
      return statement.call;
    case 'repeat':
      return statement.count;
    case 'if':
      return statement.condition;
    default:
      return undefined;
  }
}

/** Calls `visit` on each direct part of an expression, left to right (a call's argument values). */
export function forEachPart(expression: Expression, visit: (part: Expression) => void): void {
  switch (expression.kind) {
    case 'call':
      for (const a of expression.args) visit(a.value);
      return;
    case 'tuple':
    case 'list':
      for (const item of expression.items) visit(item);
      return;
    case 'paren':
      visit(expression.inner);
      return;
    case 'negate':
      visit(expression.operand);
      return;
    case 'binary':
      visit(expression.left);
      visit(expression.right);
      return;
    default:
      return;
  }
}

/** Visits an expression and then its parts (pre-order, so in source order). Returns false when a visitor stopped the walk. */
export function walkExpression(expression: Expression, visit: (expression: Expression) => WalkControl): boolean {
  const control = visit(expression);
  if (control === 'stop') return false;
  if (control === 'skip') return true;
  let going = true;
  forEachPart(expression, (part) => {
    if (going) going = walkExpression(part, visit);
  });
  return going;
}

/** The expressions of a search parameter's domain: `low..high step s`, or the values of `[a, b, c]`. */
function domainExpressions(parameter: SearchParameter): Expression[] {
  const domain = parameter.domain;
  if (domain.kind === 'choice') return [...domain.values];
  return domain.step ? [domain.low, domain.high, domain.step] : [domain.low, domain.high];
}

/**
 * Calls `visit` on each outermost expression of a declaration, in source order: a model's parameter defaults,
 * its variant's argument values and the expressions of its statements (nested ones included); a block's setting
 * values and search domains.
 */
export function forEachDeclarationExpression(declaration: Declaration, visit: (expression: Expression) => void): void {
  if (declaration.kind === 'model') {
    for (const p of declaration.parameters) if (p.defaultValue) visit(p.defaultValue);
    for (const a of declaration.variantOf?.args ?? []) visit(a.value);
    walkStatements(declaration.body ?? [], (s) => {
      const e = statementExpression(s);
      if (e) visit(e);
    });
    return;
  }
  const entries: { start: number; expressions: Expression[] }[] = declaration.settings.map((s) => ({ start: s.range.start, expressions: [s.value] }));
  if (declaration.kind === 'tune') for (const p of declaration.searchParameters) entries.push({ start: p.range.start, expressions: domainExpressions(p) });
  entries.sort((a, b) => a.start - b.start);
  for (const entry of entries) entry.expressions.forEach(visit);
}
