import type { Range } from '../syntax/ast.js';
import { activations } from '../catalog/common.js';
import type { ArgSpec, ArgType, LayerArgs } from '../catalog/types.js';
import { didYouMean, suggest } from './did-you-mean.js';
import type { DiagnosticSink } from './diagnostics.js';
import { describeKind, formatValue, textOf, type EvaluatedArgument, type Value } from './values.js';

/** A layer's arguments after matching them to its schema; values not given take Keras defaults. */
export class ResolvedArgs implements LayerArgs {
  constructor(
    /** The values the user gave, checked and normalised. */
    readonly values: ReadonlyMap<string, Value>,
    private readonly defaults: ReadonlyMap<string, Value>,
    readonly givenNames: ReadonlySet<string>,
    /** Where each given argument's value is written, for precise diagnostics. */
    readonly ranges: ReadonlyMap<string, Range>,
    /** Whether every argument checked out; if not, shapes are not inferred. */
    readonly valid: boolean,
  ) {}

  value(name: string): Value {
    return this.values.get(name) ?? this.defaults.get(name) ?? noneValue;
  }

  given(name: string): boolean {
    return this.givenNames.has(name);
  }

  int(name: string): number {
    const v = this.value(name);
    return v.kind === 'number' ? v.value : 0;
  }

  float(name: string): number {
    return this.int(name);
  }

  bool(name: string): boolean {
    const v = this.value(name);
    return v.kind === 'bool' ? v.value : false;
  }

  text(name: string): string {
    return textOf(this.value(name)) ?? '';
  }

  optionalInt(name: string): number | undefined {
    const v = this.value(name);
    return v.kind === 'number' ? v.value : undefined;
  }

  optionalFloat(name: string): number | undefined {
    return this.optionalInt(name);
  }

  optionalText(name: string): string | undefined {
    return textOf(this.value(name));
  }

  ints(name: string): number[] {
    return this.optionalInts(name) ?? [];
  }

  optionalInts(name: string): number[] | undefined {
    const v = this.value(name);
    if (v.kind === 'none') return undefined;
    return this.intList(name);
  }

  /** An int, or a tuple of ints; `ints` arguments are expanded to their length. */
  intList(name: string): number[] {
    const v = this.value(name);
    if (v.kind === 'number') return [v.value];
    if (v.kind === 'tuple') return v.items.map((i) => (i.kind === 'number' ? i.value : i.kind === 'none' ? -1 : 0));
    return [];
  }

  optionalIntList(name: string): number[] | undefined {
    return this.value(name).kind === 'none' ? undefined : this.intList(name);
  }

  padding(name: string): [number, number][] {
    const v = this.value(name);
    return v.kind === 'tuple' ? v.items.map((pair) => (pair.kind === 'tuple' ? [numberAt(pair, 0), numberAt(pair, 1)] : [0, 0])) : [];
  }
}

const noneValue: Value = { kind: 'none' };

function numberAt(value: Value, index: number): number {
  if (value.kind !== 'tuple') return 0;
  const item = value.items[index];
  return item?.kind === 'number' ? item.value : 0;
}

/** Largest size or count accepted: TensorFlow's int32 dimensions. Larger values are typos, and keep totals exact. */
export const maxSize = 2 ** 31 - 1;

const isInt = (v: Value): v is { kind: 'number'; value: number } => v.kind === 'number' && Number.isInteger(v.value) && Math.abs(v.value) <= maxSize;

/** Checks a value against an argument type; returns the normalised value or a reason. */
export function checkArgument(spec: ArgSpec, value: Value, bindingNames: Iterable<string>): { ok: Value } | { problem: string; replacements?: string[] } {
  if (value.kind === 'error') return { ok: value };
  if (value.kind === 'none') {
    if (spec.nullable || spec.type.kind === 'object') return { ok: value };
    return { problem: `\`${spec.name}\` cannot be None; ${expectation(spec.type)}` };
  }
  const type = spec.type;
  const fail = (extra = '') => {
    const unknownName = value.kind === 'symbol' && type.kind !== 'enum' && type.kind !== 'activation' && type.kind !== 'string' && type.kind !== 'object';
    const hint = unknownName ? ` (\`${value.name}\` is not a model parameter${didYouMean(value.name, bindingNames).replace(/^; /, '; ').replace(/\?$/, '?')})` : '';
    return { problem: `\`${spec.name}\` ${expectation(type)}, got ${describeKind(value)}${hint}${extra}` };
  };
  switch (type.kind) {
    case 'int':
      if (value.kind === 'number' && Number.isInteger(value.value) && Math.abs(value.value) > maxSize) return { problem: `\`${spec.name}\` must be at most ${maxSize.toLocaleString('en-US')}, got ${formatValue(value)}` };
      if (!isInt(value)) return fail();
      if (type.min !== undefined && value.value < type.min) return { problem: `\`${spec.name}\` must be at least ${type.min}, got ${value.value}` };
      return { ok: value };
    case 'float':
      if (value.kind !== 'number') return fail();
      if (type.min !== undefined && value.value < type.min) return { problem: `\`${spec.name}\` must be at least ${type.min}, got ${formatValue(value)}` };
      if (type.max !== undefined && (type.maxExclusive ? value.value >= type.max : value.value > type.max)) {
        return { problem: `\`${spec.name}\` must be ${type.maxExclusive ? 'below' : 'at most'} ${type.max}, got ${formatValue(value)}` };
      }
      return { ok: value };
    case 'bool':
      return value.kind === 'bool' ? { ok: value } : fail();
    case 'string':
      return textOf(value) !== undefined ? { ok: value } : fail();
    case 'object':
      return { ok: value };
    case 'layer':
      return value.kind === 'call' ? { ok: value } : fail();
    case 'enum':
    case 'activation': {
      const text = textOf(value);
      const allowed: readonly string[] = type.kind === 'enum' ? type.values : activations;
      if (text === undefined) return fail();
      if (allowed.includes(text)) return { ok: value };
      const lower = text.toLowerCase();
      if (allowed.includes(lower)) return { ok: { kind: 'symbol', name: lower } };
      const replacements = suggest(text, allowed);
      return { problem: `\`${spec.name}\` must be one of ${allowed.join(', ')}; got ${text}${didYouMean(text, allowed)}`, replacements };
    }
    case 'ints': {
      if (isInt(value)) {
        if (type.min !== undefined && value.value < type.min) return { problem: `\`${spec.name}\` must be at least ${type.min}, got ${value.value}` };
        return { ok: { kind: 'tuple', items: new Array<Value>(type.length).fill(value) } };
      }
      if (value.kind !== 'tuple' || value.items.length !== type.length || !value.items.every(isInt)) return fail();
      if (type.min !== undefined && value.items.some((i) => i.kind === 'number' && i.value < (type.min ?? 0))) {
        return { problem: `every value of \`${spec.name}\` must be at least ${type.min}, got ${formatValue(value)}` };
      }
      return { ok: value };
    }
    case 'intList': {
      if (isInt(value)) return { ok: value };
      if (value.kind !== 'tuple' || !value.items.every((i) => isInt(i) || (type.allowMinusOne === true && i.kind === 'none'))) return fail();
      return { ok: value };
    }
    case 'padding': {
      const pair = (v: Value): Value | undefined => (isInt(v) && v.value >= 0 ? { kind: 'tuple', items: [v, v] } : undefined);
      const valid = (v: Value): v is { kind: 'tuple'; items: readonly Value[] } => v.kind === 'tuple' && v.items.length === 2 && v.items.every((i) => isInt(i) && i.value >= 0);
      if (isInt(value)) {
        if (value.value < 0) return { problem: `\`${spec.name}\` cannot be negative` };
        return { ok: { kind: 'tuple', items: new Array<Value>(type.axes).fill(pair(value) ?? value) } };
      }
      if (value.kind === 'tuple' && type.axes === 1 && valid(value)) return { ok: { kind: 'tuple', items: [value] } };
      if (value.kind === 'tuple' && value.items.length === type.axes) {
        const items: Value[] = [];
        for (const item of value.items) {
          const normalised = valid(item) ? item : pair(item);
          if (!normalised) return fail();
          items.push(normalised);
        }
        return { ok: { kind: 'tuple', items } };
      }
      return fail();
    }
  }
}

export function expectation(type: ArgType): string {
  switch (type.kind) {
    case 'int':
      return type.min === 1 ? 'must be a positive integer' : type.min === 0 ? 'must be a non-negative integer' : 'must be an integer';
    case 'float':
      return 'must be a number';
    case 'bool':
      return 'must be true or false';
    case 'string':
      return 'must be a name or a string';
    case 'object':
      return 'may be any value';
    case 'layer':
      return 'must be a layer, e.g. `LSTM(64)`';
    case 'enum':
      return `must be one of ${type.values.join(', ')}`;
    case 'activation':
      return 'must be an activation name such as relu or softmax';
    case 'ints':
      return type.length === 1 ? 'must be an integer' : `must be an integer or a tuple of ${type.length} integers`;
    case 'intList':
      return 'must be an integer or a tuple of integers';
    case 'padding':
      return type.axes === 1 ? 'must be an integer or a pair (start, end)' : `must be an integer, a tuple of ${type.axes} integers, or a tuple of ${type.axes} (before, after) pairs`;
  }
}

interface SchemaIndex {
  readonly byName: ReadonlyMap<string, ArgSpec>;
  /** Keras defaults, already normalised (`3` → `(3, 3)` for kernel sizes). */
  readonly defaults: ReadonlyMap<string, Value>;
  readonly required: readonly ArgSpec[];
}

const schemaIndexes = new WeakMap<readonly ArgSpec[], SchemaIndex>();

/** Per-schema lookups computed once: resolving arguments is on the path of every keystroke. */
function indexOf(schema: readonly ArgSpec[]): SchemaIndex {
  let index = schemaIndexes.get(schema);
  if (index) return index;
  const byName = new Map<string, ArgSpec>();
  const defaults = new Map<string, Value>();
  for (const spec of schema) {
    byName.set(spec.name, spec);
    for (const alias of spec.aliases ?? []) byName.set(alias, spec);
    if (spec.default !== undefined) {
      const normalised = checkArgument(spec, spec.default, []);
      defaults.set(spec.name, 'ok' in normalised ? normalised.ok : spec.default);
    }
  }
  index = { byName, defaults, required: schema.filter((s) => s.required) };
  schemaIndexes.set(schema, index);
  return index;
}

export interface ArgumentProblemReporter {
  readonly sink: DiagnosticSink;
  /** Prefix naming where the problem happened, e.g. a variant. */
  readonly context: string;
}

/**
 * Matches a call's arguments (Keras positional order, keywords and aliases) to a
 * layer schema, reports every mismatch and returns the resolved arguments.
 */
export function resolveArguments(
  layer: string,
  schema: readonly ArgSpec[],
  args: readonly EvaluatedArgument[],
  calleeRange: Range,
  bindingNames: Iterable<string>,
  reporter: ArgumentProblemReporter,
): ResolvedArgs {
  const index = indexOf(schema);
  const values = new Map<string, Value>();
  const given = new Set<string>();
  const ranges = new Map<string, Range>();
  let valid = true;
  const { sink, context } = reporter;
  const byName = index.byName;
  let position = 0;
  let seenKeyword = false;
  for (const a of args) {
    let spec: ArgSpec | undefined;
    if (a.name === undefined) {
      if (seenKeyword) {
        sink.error('too-many-arguments', `${context}a positional argument cannot follow keyword arguments in ${layer}(...)`, a.expression.range);
        valid = false;
        continue;
      }
      spec = schema[position++];
      if (!spec || spec.name === 'name' || spec.name === 'trainable' || spec.name === 'dtype') {
        const positional = schema.slice(0, schema.findIndex((s) => s.name === 'name')).map((s) => s.name);
        const shown = positional.length > 4 ? `${positional.slice(0, 4).join(', ')}, …` : positional.join(', ');
        sink.error(
          'too-many-arguments',
          `${context}${layer} takes ${positional.length === 0 ? 'no positional arguments' : `at most ${positional.length} positional argument${positional.length === 1 ? '' : 's'} (${shown})`}; remove the extra value or name it`,
          a.expression.range,
        );
        valid = false;
        continue;
      }
    } else {
      seenKeyword = true;
      spec = byName.get(a.name);
      if (!spec) {
        const names = schema.map((s) => s.name);
        const replacements = suggest(a.name, names);
        sink.error('unknown-argument', `${context}${layer} has no argument \`${a.name}\`${didYouMean(a.name, names)}`, a.nameRange ?? a.expression.range, { replacements });
        valid = false;
        continue;
      }
    }
    if (given.has(spec.name)) {
      sink.error('duplicate-argument', `${context}\`${spec.name}\` is given twice in ${layer}(...)`, a.nameRange ?? a.expression.range);
      valid = false;
      continue;
    }
    given.add(spec.name);
    ranges.set(spec.name, a.expression.range);
    const checked = checkArgument(spec, a.value, bindingNames);
    if ('problem' in checked) {
      sink.error('argument-type', `${context}${layer}: ${checked.problem}`, a.expression.range, checked.replacements ? { replacements: checked.replacements } : {});
      valid = false;
      continue;
    }
    if (checked.ok.kind === 'error') valid = false;
    values.set(spec.name, checked.ok);
  }
  for (const spec of index.required) {
    if (given.has(spec.name)) continue;
    sink.error('missing-argument', `${context}${layer} needs \`${spec.name}\`: ${spec.doc}`, calleeRange);
    valid = false;
  }
  return new ResolvedArgs(values, index.defaults, given, ranges, valid);
}
