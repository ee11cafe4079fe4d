import type { BinaryOperator } from './python-ast.js';
import { formatPythonNumber, itemsOf, num, type CallArgs, type PyValue, type Symbolic, type HyperParameter } from './py-values.js';

/**
 * Keras Tuner's `hp.Int`, `hp.Float`, `hp.Choice`, `hp.Boolean` and `hp.Fixed` as model
 * parameters: each call declares (or reuses) a parameter and returns a symbolic value, its name,
 * which arithmetic turns into `.model` expressions (`2 * units`).
 */

const reserved = new Set(['model', 'input', 'output', 'from', 'repeat', 'if', 'train', 'tune', 'in', 'step', 'log', 'true', 'false', 'none', 'True', 'False', 'None']);

/** A hyperparameter's name as a `.model` parameter name. */
export function parameterName(name: string): string {
  let safe = name.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(\d)/, '_$1') || 'parameter';
  if (reserved.has(safe)) safe = `${safe}_`;
  return safe;
}

function arg(args: CallArgs, index: number, name: string): PyValue | undefined {
  return args.keywords.get(name) ?? args.positional[index];
}

function numberOf(value: PyValue | undefined): number | undefined {
  return value?.kind === 'number' ? value.value : undefined;
}

/** The parameter an `hp.<method>(...)` call declares; a string saying why when the call cannot be read. */
export function declareHyperParameter(method: string, name: string, args: CallArgs, line: number): HyperParameter | string {
  switch (method) {
    case 'Int':
    case 'Float': {
      const min = numberOf(arg(args, 1, 'min_value'));
      const max = numberOf(arg(args, 2, 'max_value'));
      if (min === undefined || max === undefined) return `hp.${method}('${name}') needs known min_value and max_value`;
      const step = numberOf(arg(args, 3, 'step'));
      const sampling = arg(args, 4, 'sampling');
      const log = sampling?.kind === 'string' && sampling.value.toLowerCase() === 'log';
      const given = arg(args, 5, 'default');
      const defaultValue = given && given.kind === 'number' ? given : num(min, method === 'Int');
      return { name, type: method, line, min, max, ...(step !== undefined ? { step } : {}), ...(log ? { log } : {}), defaultValue };
    }
    case 'Choice': {
      const values = itemsOf(arg(args, 1, 'values') ?? { kind: 'none' });
      if (!values || values.length === 0) return `hp.Choice('${name}') needs a known list of values`;
      if (values.some((v) => v.kind !== 'number' && v.kind !== 'string' && v.kind !== 'bool')) return `hp.Choice('${name}') has values that are not numbers, texts or booleans`;
      const given = arg(args, 3, 'default');
      return { name, type: 'Choice', line, values, defaultValue: given && given.kind !== 'none' ? given : (values[0] ?? num(0)) };
    }
    case 'Boolean': {
      const given = arg(args, 1, 'default');
      return { name, type: 'Boolean', line, defaultValue: given?.kind === 'bool' ? given : { kind: 'bool', value: false } };
    }
    case 'Fixed': {
      const value = arg(args, 1, 'value');
      if (!value) return `hp.Fixed('${name}') needs a value`;
      return { name, type: 'Fixed', line, defaultValue: value };
    }
    default:
      return `hp.${method} is not a hyperparameter Layerlab knows`;
  }
}

export function symbolOf(parameter: HyperParameter): Symbolic {
  const text = parameterName(parameter.name);
  return { text, value: parameter.defaultValue, precedence: 3, parameters: new Set([parameter.name]) };
}

const precedence: Partial<Record<BinaryOperator, number>> = { '+': 1, '-': 1, '*': 2, '/': 2, '//': 2 };

/** `.model` text of a plain number operand. */
function operandText(value: PyValue): { text: string; precedence: number } | undefined {
  if (value.kind === 'number') return { text: formatPythonNumber(value.value, value.integer), precedence: value.value < 0 ? 0 : 3 };
  return undefined;
}

/**
 * `left op right` where a side is symbolic: a new symbolic value when the `.model` language has
 * the operator (`+ - * / //`), undefined otherwise (the caller takes the defaults).
 */
export function symbolicArithmetic(operator: BinaryOperator, left: PyValue, right: PyValue, valueAtDefaults: PyValue): Symbolic | undefined {
  const p = precedence[operator];
  if (p === undefined) return undefined;
  const l = left.kind === 'symbolic' ? left.symbolic : operandText(left);
  const r = right.kind === 'symbolic' ? right.symbolic : operandText(right);
  if (!l || !r) return undefined;
  const leftText = l.precedence < p ? `(${l.text})` : l.text;
  const strict = operator === '-' || operator === '/' || operator === '//';
  const rightText = r.precedence < p || (strict && r.precedence === p) ? `(${r.text})` : r.text;
  const parameters = new Set<string>([...(left.kind === 'symbolic' ? left.symbolic.parameters : []), ...(right.kind === 'symbolic' ? right.symbolic.parameters : [])]);
  return { text: `${leftText} ${operator} ${rightText}`, value: valueAtDefaults, precedence: p, parameters };
}
