import type { Range } from '../syntax/ast.js';
import { activations } from '../catalog/common.js';
import type { ArgSpec, ArgType, LayerArgs } from '../catalog/types.js';
import { didYouMean, suggest } from './did-you-mean.js';
import type { DiagnosticSink } from './diagnostics.js';
import { describeKind, formatValue, isShared, markShared, repeatedTuple, symbolValue, textOf, type EvaluatedArgument, type Value } from '../catalog/values.js';

/**
 * A layer's arguments after matching them to its schema; values not given take Keras defaults.
 * The arguments as written are held in small parallel arrays rather than maps:
 * every layer of every analysis has one, and a call names only a few arguments.
 */
export class ResolvedArgs implements LayerArgs {
  constructor(
    /** Schema names of the arguments written, in order. */
    private readonly names: readonly string[],
    /** Their checked, normalised values; undefined where the check failed. */
    private readonly checked: readonly (Value | undefined)[],
    /** Where each value is written, for precise diagnostics. */
    private readonly written: readonly Range[],
    private readonly defaults: ReadonlyMap<string, Value>,
    /** Whether every argument checked out; if not, shapes are not inferred. */
    readonly valid: boolean,
  ) {}

  /** The values the user gave, checked and normalised. */
  get values(): ReadonlyMap<string, Value> {
    const values = new Map<string, Value>();
    this.names.forEach((name, i) => {
      const value = this.checked[i];
      if (value) values.set(name, value);
    });
    return values;
  }

  get givenNames(): ReadonlySet<string> {
    return new Set(this.names);
  }

  /** Where each given argument's value is written. */
  get ranges(): ReadonlyMap<string, Range> {
    return new Map(this.names.map((name, i) => [name, this.written[i] ?? { start: 0, end: 0 }]));
  }

  rangeOf(name: string): Range | undefined {
    const i = this.names.indexOf(name);
    return i < 0 ? undefined : this.written[i];
  }

  value(name: string): Value {
    const names = this.names;
    for (let i = 0; i < names.length; i++) {
      if (names[i] === name) return this.checked[i] ?? this.defaults.get(name) ?? noneValue;
    }
    return this.defaults.get(name) ?? noneValue;
  }

  given(name: string): boolean {
    return this.names.includes(name);
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
    return this.optionalIntList(name);
  }

  /** An int, or a tuple of ints; `ints` arguments are expanded to their length. */
  intList(name: string): number[] {
    return intsOf(this.value(name));
  }

  optionalIntList(name: string): number[] | undefined {
    const v = this.value(name);
    return v.kind === 'none' ? undefined : intsOf(v);
  }

  padding(name: string): [number, number][] {
    const v = this.value(name);
    return v.kind === 'tuple' ? v.items.map((pair) => (pair.kind === 'tuple' ? [numberAt(pair, 0), numberAt(pair, 1)] : [0, 0])) : [];
  }
}

const noneValue: Value = { kind: 'none' };

// Shared by the arguments of every call that gives none.
const noNames: readonly string[] = Object.freeze([]);
const noValues: readonly Value[] = Object.freeze([]);
const noRanges: readonly Range[] = Object.freeze([]);

/**
 * The int lists of shared tuples (defaults such as `strides=(1, 1)`, the shared `(3, 3)` of `kernel_size=3`),
 * made once and frozen: convolutions read three per layer, and a fresh list each time showed in the allocation profile.
 */
const sharedIntLists = new WeakMap<Value, number[]>();

function intsOf(v: Value): number[] {
  if (v.kind === 'number') return [v.value];
  if (v.kind !== 'tuple') return [];
  const known = sharedIntLists.get(v);
  if (known) return known;
  const ints = new Array<number>(v.items.length);
  for (let i = 0; i < ints.length; i++) {
    const item = v.items[i];
    ints[i] = item?.kind === 'number' ? item.value : item?.kind === 'none' ? -1 : 0;
  }
  if (isShared(v)) {
    Object.freeze(ints);
    sharedIntLists.set(v, ints);
  }
  return ints;
}

function numberAt(value: Value, index: number): number {
  if (value.kind !== 'tuple') return 0;
  const item = value.items[index];
  return item?.kind === 'number' ? item.value : 0;
}

/** Largest size or count accepted: TensorFlow's int32 dimensions. Larger values are typos, and keep totals exact. */
export const maxSize = 2 ** 31 - 1;

const isInt = (v: Value): v is { kind: 'number'; value: number } => v.kind === 'number' && Number.isInteger(v.value) && Math.abs(v.value) <= maxSize;

/** Why a value does not fit an argument. A class, so that checking allocates nothing when the value fits. */
export class ArgumentProblem {
  constructor(
    readonly problem: string,
    readonly replacements?: string[],
  ) {}
}

function mismatch(spec: ArgSpec, value: Value, bindings: ReadonlyMap<string, unknown>): ArgumentProblem {
  const type = spec.type;
  const unknownName = value.kind === 'symbol' && type.kind !== 'enum' && type.kind !== 'activation' && type.kind !== 'string' && type.kind !== 'object';
  const hint = unknownName ? ` (\`${value.name}\` is not a model parameter${didYouMean(value.name, bindings.keys()).replace(/^; /, '; ').replace(/\?$/, '?')})` : '';
  return new ArgumentProblem(`\`${spec.name}\` ${expectation(type)}, got ${describeKind(value)}${hint}`);
}

/** Checks a value against an argument type; returns the normalised value or the problem. */
export function checkArgument(spec: ArgSpec, value: Value, bindings: ReadonlyMap<string, unknown>): Value | ArgumentProblem {
  if (value.kind === 'error') return value;
  if (value.kind === 'none') {
    if (spec.nullable || spec.type.kind === 'object') return value;
    return new ArgumentProblem(`\`${spec.name}\` cannot be None; ${expectation(spec.type)}`);
  }
  const type = spec.type;
  switch (type.kind) {
    case 'int':
      if (value.kind === 'number' && Number.isInteger(value.value) && Math.abs(value.value) > maxSize) return new ArgumentProblem(`\`${spec.name}\` must be at most ${maxSize.toLocaleString('en-US')}, got ${formatValue(value)}`);
      if (!isInt(value)) return mismatch(spec, value, bindings);
      if (type.min !== undefined && value.value < type.min) return new ArgumentProblem(`\`${spec.name}\` must be at least ${type.min}, got ${value.value}`);
      return value;
    case 'float':
      if (value.kind !== 'number') return mismatch(spec, value, bindings);
      if (type.min !== undefined && value.value < type.min) return new ArgumentProblem(`\`${spec.name}\` must be at least ${type.min}, got ${formatValue(value)}`);
      if (type.max !== undefined && (type.maxExclusive ? value.value >= type.max : value.value > type.max)) {
        return new ArgumentProblem(`\`${spec.name}\` must be ${type.maxExclusive ? 'below' : 'at most'} ${type.max}, got ${formatValue(value)}`);
      }
      return value;
    case 'bool':
      return value.kind === 'bool' ? value : mismatch(spec, value, bindings);
    case 'string':
      return textOf(value) !== undefined ? value : mismatch(spec, value, bindings);
    case 'object':
      return value;
    case 'layer':
      return value.kind === 'call' ? value : mismatch(spec, value, bindings);
    case 'enum':
    case 'activation': {
      const text = textOf(value);
      const allowed: readonly string[] = type.kind === 'enum' ? type.values : activations;
      if (text === undefined) return mismatch(spec, value, bindings);
      if (allowed.includes(text)) return value;
      const lower = text.toLowerCase();
      if (allowed.includes(lower)) return symbolValue(lower);
      const replacements = suggest(text, allowed);
      return new ArgumentProblem(`\`${spec.name}\` must be one of ${allowed.join(', ')}; got ${text}${didYouMean(text, allowed)}`, replacements);
    }
    case 'ints': {
      if (isInt(value)) {
        if (type.min !== undefined && value.value < type.min) return new ArgumentProblem(`\`${spec.name}\` must be at least ${type.min}, got ${value.value}`);
        return repeatedTuple(value, type.length);
      }
      if (value.kind !== 'tuple' || value.items.length !== type.length || !value.items.every(isInt)) return mismatch(spec, value, bindings);
      if (type.min !== undefined && value.items.some((i) => i.kind === 'number' && i.value < (type.min ?? 0))) {
        return new ArgumentProblem(`every value of \`${spec.name}\` must be at least ${type.min}, got ${formatValue(value)}`);
      }
      return value;
    }
    case 'intList': {
      if (isInt(value)) return value;
      if (value.kind !== 'tuple' || !value.items.every((i) => isInt(i) || (type.allowMinusOne === true && i.kind === 'none'))) return mismatch(spec, value, bindings);
      return value;
    }
    case 'padding': {
      const pair = (v: Value): Value | undefined => (isInt(v) && v.value >= 0 ? { kind: 'tuple', items: [v, v] } : undefined);
      const valid = (v: Value): v is { kind: 'tuple'; items: readonly Value[] } => v.kind === 'tuple' && v.items.length === 2 && v.items.every((i) => isInt(i) && i.value >= 0);
      if (isInt(value)) {
        if (value.value < 0) return new ArgumentProblem(`\`${spec.name}\` cannot be negative`);
        return { kind: 'tuple', items: new Array<Value>(type.axes).fill(pair(value) ?? value) };
      }
      if (value.kind === 'tuple' && type.axes === 1 && valid(value)) return { kind: 'tuple', items: [value] };
      if (value.kind === 'tuple' && value.items.length === type.axes) {
        const items: Value[] = [];
        for (const item of value.items) {
          const normalised = valid(item) ? item : pair(item);
          if (!normalised) return mismatch(spec, value, bindings);
          items.push(normalised);
        }
        return { kind: 'tuple', items };
      }
      return mismatch(spec, value, bindings);
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
  /** The lists of argument names met so far, as a trie: calls that name the same arguments share one list. */
  readonly nameLists: NameListNode;
  /** The arguments of every call that gives none (`BatchNormalization()`): shared, as `ResolvedArgs` is read-only. */
  readonly noArguments: ResolvedArgs;
}

interface NameListNode {
  readonly names: readonly string[];
  readonly next: Map<string, NameListNode>;
}

/** The shared list equal to `names` (read-only, as `ResolvedArgs` keeps it). */
function sharedNames(root: NameListNode, names: readonly string[]): readonly string[] {
  let node = root;
  for (let i = 0; i < names.length; i++) {
    const name = names[i] ?? '';
    let child = node.next.get(name);
    if (!child) {
      child = { names: Object.freeze(names.slice(0, i + 1)), next: new Map() };
      node.next.set(name, child);
    }
    node = child;
  }
  return node.names;
}

const noBindings: ReadonlyMap<string, unknown> = new Map();

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
      const normalised = checkArgument(spec, spec.default, noBindings);
      const value = normalised instanceof ArgumentProblem ? spec.default : normalised;
      markShared(value);
      defaults.set(spec.name, value);
    }
  }
  index = {
    byName,
    defaults,
    required: schema.filter((s) => s.required),
    nameLists: { names: noNames, next: new Map() },
    noArguments: new ResolvedArgs(noNames, noValues, noRanges, defaults, true),
  };
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
  /** Model parameters, named in hints when a value is an unknown name. */
  bindings: ReadonlyMap<string, unknown>,
  reporter: ArgumentProblemReporter,
): ResolvedArgs {
  const index = indexOf(schema);
  if (args.length === 0 && index.required.length === 0) return index.noArguments;
  // Sized up front (a pushed-to array keeps room for 16) and cut to what is filled.
  const names = new Array<string>(args.length);
  const checked = new Array<Value | undefined>(args.length);
  const written = new Array<Range>(args.length);
  let count = 0;
  let valid = true;
  const { sink, context } = reporter;
  const byName = index.byName;
  let position = 0;
  let seenKeyword = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a) continue;
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
    if (names.includes(spec.name)) {
      sink.error('duplicate-argument', `${context}\`${spec.name}\` is given twice in ${layer}(...)`, a.nameRange ?? a.expression.range);
      valid = false;
      continue;
    }
    names[count] = spec.name;
    written[count] = a.expression.range;
    const value = checkArgument(spec, a.value, bindings);
    if (value instanceof ArgumentProblem) {
      sink.error('argument-type', `${context}${layer}: ${value.problem}`, a.expression.range, value.replacements ? { replacements: value.replacements } : {});
      valid = false;
      checked[count++] = undefined;
      continue;
    }
    if (value.kind === 'error') valid = false;
    checked[count++] = value;
  }
  if (count < args.length) {
    names.length = count;
    checked.length = count;
    written.length = count;
  }
  for (const spec of index.required) {
    if (names.includes(spec.name)) continue;
    sink.error('missing-argument', `${context}${layer} needs \`${spec.name}\`: ${spec.doc}`, calleeRange);
    valid = false;
  }
  return new ResolvedArgs(sharedNames(index.nameLists, names), checked, written, index.defaults, valid);
}
