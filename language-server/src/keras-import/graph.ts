import type { CallArgs, PyValue } from './py-values.js';

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
