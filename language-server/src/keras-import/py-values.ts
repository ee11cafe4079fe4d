import type { Expr, Parameter, Stmt } from './python-ast.js';

/**
 * The values of the import: what a Python expression evaluates to, and the Keras objects
 * (layers, the graph of symbolic tensors, models, searches) the interpreter builds.
 */

/**
 * What a Python expression evaluates to while the importer reads the code: plain Python values,
 * Keras objects (layers, symbolic tensors, models), and `unknown` for whatever depends on
 * something the importer cannot know without running the code.
 */
export type PyValue =
  | { readonly kind: 'none' }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'number'; readonly value: number; readonly integer: boolean }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'tuple'; readonly items: readonly PyValue[] }
  | { readonly kind: 'list'; readonly items: PyValue[] }
  | { readonly kind: 'set'; readonly items: PyValue[] }
  | { readonly kind: 'dict'; readonly entries: Map<string, { key: PyValue; value: PyValue }> }
  | { readonly kind: 'function'; readonly name: string; readonly parameters: readonly Parameter[]; readonly body: readonly Stmt[] | Expr; readonly closure: Scope; readonly line: number }
  | { readonly kind: 'builtin'; readonly name: string; readonly call: (args: CallArgs, line: number) => PyValue }
  | { readonly kind: 'bound-method'; readonly self: PyValue; readonly name: string }
  /** A module or an object of an API the importer knows, by its canonical dotted path (`keras.layers.Dense`, `numpy`). */
  | { readonly kind: 'api'; readonly path: string }
  | { readonly kind: 'class'; readonly name: string; readonly bases: readonly PyValue[]; readonly line: number }
  | { readonly kind: 'instance'; readonly className: string; readonly line: number }
  | { readonly kind: 'layer'; readonly layer: KerasLayer }
  | { readonly kind: 'tensor'; readonly tensor: Tensor }
  | { readonly kind: 'model'; readonly model: KerasModel }
  | { readonly kind: 'object'; readonly object: KerasObject }
  /** A NumPy array or data set split: its shape where known, and the built-in data set it comes from. */
  | { readonly kind: 'array'; readonly shape?: readonly (number | null)[]; readonly dataset?: DataOrigin }
  | { readonly kind: 'hp'; readonly parameters: HyperParameter[] }
  | { readonly kind: 'symbolic'; readonly symbolic: Symbolic }
  | { readonly kind: 'hyperparameter'; readonly parameter: HyperParameter }
  | { readonly kind: 'tuner'; readonly tuner: Tuner }
  /** `partial`: the known parts of a text with an unknown part (an f-string over a searched loop's index). */
  | { readonly kind: 'unknown'; readonly why?: string; readonly line?: number; readonly partial?: string };

export interface DataOrigin {
  readonly name: string;
  readonly split: 'train' | 'test';
  readonly part: 'x' | 'y';
}

/**
 * A value that depends on hyperparameters of a Keras Tuner search: the `.model` expression
 * that computes it from the model's parameters, and its value at their defaults.
 */
export interface Symbolic {
  readonly text: string;
  readonly value: PyValue;
  /** Binding strength of `text`'s outermost operator: 3 for an atom, 2 for `*` `/` `//`, 1 for `+` `-`. */
  readonly precedence: number;
  readonly parameters: ReadonlySet<string>;
}

export interface CallArgs {
  readonly positional: readonly PyValue[];
  readonly keywords: ReadonlyMap<string, PyValue>;
}

export const noArgs: CallArgs = { positional: [], keywords: new Map() };

export class Scope {
  readonly variables = new Map<string, PyValue>();
  constructor(readonly parent?: Scope) {}

  lookup(name: string): PyValue | undefined {
    for (let scope: Scope | undefined = this; scope; scope = scope.parent) {
      const value = scope.variables.get(name);
      if (value !== undefined) return value;
    }
    return undefined;
  }
}

export const none: PyValue = { kind: 'none' };
export const unknown: PyValue = { kind: 'unknown' };

export function num(value: number, integer = Number.isInteger(value)): PyValue {
  return { kind: 'number', value, integer };
}

export function str(value: string): PyValue {
  return { kind: 'string', value };
}

export function bool(value: boolean): PyValue {
  return { kind: 'bool', value };
}

export function tuple(items: readonly PyValue[]): PyValue {
  return { kind: 'tuple', items };
}

export function unknownBecause(why: string, line?: number): PyValue {
  return line === undefined ? { kind: 'unknown', why } : { kind: 'unknown', why, line };
}

/** The items of a sequence the importer can iterate, or undefined. */
export function itemsOf(value: PyValue): readonly PyValue[] | undefined {
  switch (value.kind) {
    case 'tuple':
    case 'list':
    case 'set':
      return value.items;
    case 'string':
      return [...value.value].map(str);
    case 'dict':
      return [...value.entries.values()].map((e) => e.key);
    default:
      return undefined;
  }
}

/** Python truthiness; undefined when it cannot be known. */
export function truthy(value: PyValue): boolean | undefined {
  switch (value.kind) {
    case 'none':
      return false;
    case 'bool':
      return value.value;
    case 'number':
      return value.value !== 0;
    case 'string':
      return value.value.length > 0;
    case 'tuple':
    case 'list':
    case 'set':
      return value.items.length > 0;
    case 'dict':
      return value.entries.size > 0;
    case 'unknown':
    case 'symbolic':
    case 'hyperparameter':
    case 'array':
      return undefined;
    default:
      return true;
  }
}

/** Key of a value in a dict or set: only hashable values the importer can compare. */
export function keyOf(value: PyValue): string | undefined {
  switch (value.kind) {
    case 'none':
      return 'None';
    case 'bool':
      return value.value ? '1' : '0';
    case 'number':
      return String(value.value);
    case 'string':
      return `s:${value.value}`;
    case 'tuple': {
      const keys = value.items.map(keyOf);
      return keys.every((k) => k !== undefined) ? `t:(${keys.join(',')})` : undefined;
    }
    default:
      return undefined;
  }
}

/** Python `==`; undefined when it cannot be known. */
export function equal(a: PyValue, b: PyValue): boolean | undefined {
  if (a.kind === 'unknown' || b.kind === 'unknown' || a.kind === 'symbolic' || b.kind === 'symbolic') return undefined;
  const numeric = (v: PyValue): number | undefined => (v.kind === 'number' ? v.value : v.kind === 'bool' ? (v.value ? 1 : 0) : undefined);
  const x = numeric(a);
  const y = numeric(b);
  if (x !== undefined && y !== undefined) return x === y;
  if (a.kind === 'none' || b.kind === 'none') return a.kind === b.kind;
  if (a.kind === 'string' && b.kind === 'string') return a.value === b.value;
  if ((a.kind === 'tuple' && b.kind === 'tuple') || (a.kind === 'list' && b.kind === 'list')) {
    if (a.items.length !== b.items.length) return false;
    let result: boolean | undefined = true;
    a.items.forEach((item, i) => {
      const e = equal(item, b.items[i] ?? none);
      if (e === false) result = false;
      else if (e === undefined && result) result = undefined;
    });
    return result;
  }
  if (a.kind === 'api' && b.kind === 'api') return a.path === b.path;
  if (a.kind === 'layer' && b.kind === 'layer') return a.layer === b.layer;
  if (a.kind === 'tensor' && b.kind === 'tensor') return a.tensor === b.tensor;
  if (a.kind === 'model' && b.kind === 'model') return a.model === b.model;
  if (a.kind !== b.kind) {
    const plain = new Set(['string', 'number', 'bool', 'tuple', 'list', 'dict', 'none']);
    if (plain.has(a.kind) && plain.has(b.kind)) return false;
  }
  return undefined;
}

/** `str(value)` for the values whose text is known. */
export function textOf(value: PyValue): string | undefined {
  switch (value.kind) {
    case 'string':
      return value.value;
    case 'number':
      return formatPythonNumber(value.value, value.integer);
    case 'bool':
      return value.value ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'tuple': {
      const items = value.items.map(reprOf);
      if (items.some((i) => i === undefined)) return undefined;
      return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
    }
    case 'list': {
      const items = value.items.map(reprOf);
      return items.some((i) => i === undefined) ? undefined : `[${items.join(', ')}]`;
    }
    default:
      return undefined;
  }
}

export function reprOf(value: PyValue): string | undefined {
  return value.kind === 'string' ? `'${value.value}'` : textOf(value);
}

export function formatPythonNumber(value: number, integer: boolean): string {
  if (integer) return String(value);
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return `${value}.0`;
  // Python writes small numbers with an exponent (1e-05), JavaScript only from 1e-7 on.
  if (value !== 0 && Math.abs(value) < 1e-4) return value.toExponential();
  return String(value);
}

/** A short description of a value for notes: `the tensor x`, `an unknown value`. */
export function describe(value: PyValue): string {
  switch (value.kind) {
    case 'unknown':
      return value.why ?? 'a value Layerlab cannot know without running the code';
    case 'tensor':
      return 'a tensor';
    case 'model':
      return 'a model';
    case 'layer':
      return `a ${value.layer.className} layer`;
    case 'array':
      return 'an array';
    default:
      return textOf(value) ?? `a ${value.kind}`;
  }
}

// ---- Keras objects ----

/**
 * The Keras objects the importer builds while it reads the code: layers, the graph of
 * symbolic tensors they are applied to, models, and the settings of their training and search.
 */

/** A value written in the `.model` language. */
export type ModelValue =
  | { readonly kind: 'number'; readonly value: number; readonly integer: boolean }
  | { readonly kind: 'symbol'; readonly name: string }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'none' }
  | { readonly kind: 'tuple'; readonly items: readonly ModelValue[] }
  | { readonly kind: 'list'; readonly items: readonly ModelValue[] }
  | { readonly kind: 'call'; readonly callee: string; readonly args: readonly ModelArgument[] }
  /** An expression over the model's parameters (from a Keras Tuner search). */
  | { readonly kind: 'expression'; readonly text: string; readonly precedence: number }
  | { readonly kind: 'layer'; readonly layer: MappedLayer };

export interface ModelArgument {
  readonly name?: string;
  readonly value: ModelValue;
}

/** A Keras layer written as a catalog layer: its type and arguments in `.model` form. */
export interface MappedLayer {
  readonly type: string;
  readonly args: readonly ModelArgument[];
}

export interface KerasLayer {
  readonly id: number;
  /** The Keras class, e.g. `Conv2D`. */
  readonly className: string;
  /** Undefined when the catalog has no such layer (it is left out, with a note). */
  readonly mapped?: MappedLayer;
  /** Keras's `name=`. */
  readonly name?: string;
  readonly line: number;
  /** Keras 2's `input_shape=` (or `input_dim`, `batch_input_shape`, Embedding's `input_length`): the model input of a Sequential's first layer. */
  readonly inputShape?: readonly (number | null)[];
  /** Tensors the layer returns: more than one for a recurrent layer with `return_state=True`. */
  readonly outputCount: number;
  applications: number;
}

export interface SymbolicBlock {
  readonly id: number;
  readonly kind: 'repeat' | 'if';
  /** The count or condition in `.model` syntax: a model parameter. */
  readonly text: string;
}

export interface InputNode {
  readonly kind: 'input';
  readonly id: number;
  /** Without the batch axis; undefined when the code does not say. */
  readonly shape?: readonly (number | null)[];
  readonly name?: string;
  readonly line: number;
}

export interface LayerNode {
  readonly kind: 'layer';
  readonly id: number;
  readonly layer: KerasLayer;
  /** The tensors the layer is applied to, in Keras's order. */
  readonly inputs: readonly Tensor[];
  /** `initial_state=[h, c]` of a recurrent layer. */
  readonly initialState: readonly Tensor[];
  readonly outputs: Tensor[];
  /** The `repeat` and `if` blocks of a searched model it sits in, outermost first. */
  readonly blocks: readonly SymbolicBlock[];
  readonly line: number;
}

export type GraphNode = InputNode | LayerNode;

export interface Tensor {
  readonly id: number;
  readonly node: GraphNode;
  readonly index: number;
  /** The Python variables it was assigned to, first first: a hint for its label. */
  readonly variables: string[];
}

export interface CompileCall {
  readonly args: CallArgs;
  readonly line: number;
}

export interface KerasModel {
  readonly id: number;
  readonly kind: 'sequential' | 'functional';
  readonly line: number;
  /** Keras's `name=`. */
  name?: string;
  /** The Python variables it was assigned to. */
  readonly variables: string[];
  inputs: Tensor[];
  outputs: Tensor[];
  /** A Sequential's layers added before its input is known (Keras builds it on first use). */
  readonly pending: (KerasLayer | KerasModel)[];
  compile?: CompileCall;
  fit?: CompileCall;
  /** The function that built it, for a Keras Tuner search: its name names the model. */
  builtBy?: string;
  /** Set when it was applied inside another model: a part, not a model of its own unless it has an input. */
  usedInside: boolean;
  /** The hyperparameters of the search it was built for, in the order of first use. */
  parameters?: HyperParameter[];
}

/** An optimizer, loss, metric, callback, regularizer, initializer, … : its API path and call arguments. */
export interface KerasObject {
  readonly path: string;
  readonly args: CallArgs;
  readonly line: number;
}

export interface HyperParameter {
  readonly name: string;
  readonly type: 'Int' | 'Float' | 'Choice' | 'Boolean' | 'Fixed';
  readonly line: number;
  readonly min?: number;
  readonly max?: number;
  readonly step?: number;
  readonly log?: boolean;
  readonly values?: readonly PyValue[];
  readonly defaultValue: PyValue;
  /** Set when the code uses it where a `.model` expression cannot go: it keeps its default, unsearched. */
  fixed?: string;
  /** The training setting it stands for (`learning_rate`), instead of a model parameter. */
  setting?: string;
  /** Used in the model (as opposed to only in training settings). */
  inModel?: boolean;
}

export interface Tuner {
  readonly className: string;
  readonly args: CallArgs;
  readonly line: number;
  readonly hypermodel?: PyValue;
  search?: CompileCall;
  model?: KerasModel;
}
