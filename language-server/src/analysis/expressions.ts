import type { Expression } from '../syntax/ast.js';
import { didYouMean } from './did-you-mean.js';
import type { DiagnosticSink } from './diagnostics.js';
import { errorValue, numberValue, symbolValue, type EvaluatedArgument, type Value } from '../catalog/values.js';

/** Names bound while evaluating: model parameters and their values. */
export type Bindings = ReadonlyMap<string, Value>;

/**
 * Evaluates an expression with model parameters substituted and arithmetic done.
 * Names that are not parameters stay symbols (enum values, datasets, labels).
 * Problems are reported to `sink` and yield the error value, never an exception.
 */
export function evaluate(expression: Expression, bindings: Bindings, sink: DiagnosticSink): Value {
  switch (expression.kind) {
    case 'number':
      if (!Number.isFinite(expression.value)) {
        sink.error('argument-type', `the number ${expression.text} is too large to compute with`, expression.range);
        return errorValue;
      }
      return numberValue(expression.value);
    case 'string':
      return { kind: 'string', value: expression.value };
    case 'boolean':
      return { kind: 'bool', value: expression.value };
    case 'none':
      return { kind: 'none' };
    case 'missing':
      return errorValue;
    case 'name':
      return bindings.get(expression.name) ?? symbolValue(expression.name);
    case 'paren':
      return evaluate(expression.inner, bindings, sink);
    case 'tuple':
    case 'list':
      return { kind: 'tuple', items: expression.items.map((item) => evaluate(item, bindings, sink)) };
    case 'call': {
      const args: EvaluatedArgument[] = expression.args.map((a) => ({
        name: a.name?.name,
        nameRange: a.name?.range,
        value: evaluate(a.value, bindings, sink),
        expression: a.value,
      }));
      return { kind: 'call', callee: expression.callee.name, args, node: expression };
    }
    case 'negate': {
      const operand = evaluate(expression.operand, bindings, sink);
      if (operand.kind === 'error') return operand;
      if (operand.kind !== 'number') {
        sink.error('argument-type', `cannot negate ${describeOperand(operand, bindings)}; only numbers can be negated`, expression.range);
        return errorValue;
      }
      return numberValue(-operand.value);
    }
    case 'binary': {
      const left = evaluate(expression.left, bindings, sink);
      const right = evaluate(expression.right, bindings, sink);
      if (left.kind === 'error' || right.kind === 'error') return errorValue;
      if (left.kind !== 'number' || right.kind !== 'number') {
        const bad = left.kind !== 'number' ? left : right;
        const badExpression = left.kind !== 'number' ? expression.left : expression.right;
        sink.error('unknown-name', `\`${expression.operator}\` needs numbers, but ${describeOperand(bad, bindings)} is not one`, badExpression.range);
        return errorValue;
      }
      if ((expression.operator === '/' || expression.operator === '//') && right.value === 0) {
        sink.error('argument-type', 'division by zero', expression.range);
        return errorValue;
      }
      const result = arithmetic(expression.operator, left.value, right.value);
      if (!Number.isFinite(result)) {
        sink.error('argument-type', 'the result is too large to compute with', expression.range);
        return errorValue;
      }
      return numberValue(result);
    }
  }
}

function arithmetic(operator: '+' | '-' | '*' | '/' | '//', left: number, right: number): number {
  switch (operator) {
    case '+':
      return left + right;
    case '-':
      return left - right;
    case '*':
      return left * right;
    case '/':
      return left / right;
    case '//':
      return Math.floor(left / right);
  }
}

function describeOperand(value: Value, bindings: Bindings): string {
  if (value.kind === 'symbol') return `\`${value.name}\` (not a model parameter${didYouMean(value.name, bindings.keys()).replace(/^; /, ': ').replace(/\?$/, '')})`;
  if (value.kind === 'string') return `the string '${value.value}'`;
  if (value.kind === 'bool') return `the boolean ${value.value}`;
  if (value.kind === 'tuple') return 'a tuple';
  if (value.kind === 'call') return `\`${value.callee}(...)\``;
  return 'None';
}
