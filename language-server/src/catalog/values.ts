import type { CallExpression, Expression, Range } from '../syntax/ast.js';

/** The value of an expression after model parameters are substituted. */
export type Value =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  /** A bare name that is not a model parameter: an enum value (`relu`), a dataset or a label. */
  | { readonly kind: 'symbol'; readonly name: string }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'none' }
  | { readonly kind: 'tuple'; readonly items: readonly Value[] }
  | { readonly kind: 'call'; readonly callee: string; readonly args: readonly EvaluatedArgument[]; readonly node: CallExpression }
  /** Evaluation failed and the reason was already reported. */
  | { readonly kind: 'error' };

export interface EvaluatedArgument {
  readonly name?: string;
  readonly nameRange?: Range;
  readonly value: Value;
  readonly expression: Expression;
}

export const errorValue: Value = { kind: 'error' };

// Values are readonly, so the common ones are shared: one analysis holds a value for every argument of every layer.
const smallIntegers = 1024;
const integerValues: Value[] = [];
for (let i = 0; i < smallIntegers; i++) integerValues.push({ kind: 'number', value: i });
const maxSymbols = 4096;
const symbolValues = new Map<string, Value>();
const repeatedIntegers: Value[][] = [];

export function numberValue(value: number): Value {
  // `-0` stays its own value (`Object.is`), as it was written.
  if (Number.isInteger(value) && value >= 0 && value < smallIntegers && !Object.is(value, -0)) return integerValues[value] ?? { kind: 'number', value };
  return { kind: 'number', value };
}

export function symbolValue(name: string): Value {
  let value = symbolValues.get(name);
  if (value) return value;
  value = { kind: 'symbol', name };
  // Bounded: names come from what users type.
  if (symbolValues.size < maxSymbols) symbolValues.set(name, value);
  return value;
}

/** `(v, v, ...)` of `length` items, shared for small integers (kernel sizes, strides). */
export function repeatedTuple(value: Value, length: number): Value {
  const shared = value.kind === 'number' && length <= 4 && integerValues[value.value] === value;
  if (!shared) return { kind: 'tuple', items: new Array<Value>(length).fill(value) };
  const byLength = (repeatedIntegers[length] ??= []);
  let tuple = byLength[value.value];
  if (!tuple) {
    tuple = { kind: 'tuple', items: new Array<Value>(length).fill(value) };
    byLength[value.value] = tuple;
    sharedValues.add(tuple);
  }
  return tuple;
}

/** Values that many layers hold (argument defaults, the shared repeated tuples): what is derived from them can be kept with them. */
const sharedValues = new WeakSet<Value>();

export function markShared(value: Value): void {
  sharedValues.add(value);
}

export function isShared(value: Value): boolean {
  return sharedValues.has(value);
}

/** Text of a value as the user would write it, for messages and hovers. */
export function formatValue(value: Value): string {
  switch (value.kind) {
    case 'number':
      return formatNumber(value.value);
    case 'string':
      return `'${value.value}'`;
    case 'symbol':
      return value.name;
    case 'bool':
      return value.value ? 'true' : 'false';
    case 'none':
      return 'None';
    case 'tuple':
      return value.items.length === 1 ? `(${formatValue(value.items[0] ?? errorValue)},)` : `(${value.items.map(formatValue).join(', ')})`;
    case 'call':
      return `${value.callee}(${value.args.map((a) => (a.name ? `${a.name}=${formatValue(a.value)}` : formatValue(a.value))).join(', ')})`;
    case 'error':
      return '?';
  }
}

export function formatNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  const text = String(n);
  return text.length > 12 ? n.toPrecision(6).replace(/0+$/, '') : text;
}

/** Enum-like values may be written `same` or `'same'`. */
export function textOf(value: Value): string | undefined {
  if (value.kind === 'string') return value.value;
  if (value.kind === 'symbol') return value.name;
  return undefined;
}

export function describeKind(value: Value): string {
  switch (value.kind) {
    case 'number':
      return Number.isInteger(value.value) ? `the integer ${value.value}` : `the number ${formatNumber(value.value)}`;
    case 'string':
      return `the string '${value.value}'`;
    case 'symbol':
      return `the name \`${value.name}\``;
    case 'bool':
      return `the boolean ${value.value}`;
    case 'none':
      return 'None';
    case 'tuple':
      return `the tuple ${formatValue(value)}`;
    case 'call':
      return `\`${value.callee}(...)\``;
    case 'error':
      return 'an invalid value';
  }
}
