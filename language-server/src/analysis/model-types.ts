import type { InputStatement, LayerStatement, ModelDeclaration, Range } from '../syntax/ast.js';
import type { LayerSpec, Shape } from '../catalog/types.js';
import type { ResolvedArgs } from './arguments.js';
import type { Value } from '../catalog/values.js';

export interface Repetition {
  readonly index: number;
  readonly count: number;
  readonly statement: Range;
}

/** One layer of an evaluated model: a statement inside `repeat` yields one per repetition. */
export interface LayerInstance {
  readonly index: number;
  readonly statement: LayerStatement;
  readonly spec: LayerSpec;
  readonly args: ResolvedArgs;
  /** Keras-style name: the label, or `conv2d_1` as Keras would number it. */
  readonly name: string;
  readonly label?: string;
  readonly repetitions: readonly Repetition[];
  /**
   * Where the layer's inputs come from: the current tensor first, then a merge layer's other tensors, or a
   * recurrent layer's initial states (`initial_state=(h, c)`), in order.
   */
  readonly inputs: readonly TensorSource[];
  readonly inputShapes: readonly Shape[];
  /** The output; the first one for a layer with several. */
  readonly outputShape: Shape;
  /** Every output, `outputShape` first, when the layer has several (`return_state=true`); absent otherwise. */
  readonly outputShapes?: readonly Shape[];
  readonly params: number;
  readonly trainableParams: number;
  readonly nonTrainableParams: number;
  readonly macs: number | null;
  readonly formula?: string;
  /** float32 bytes of the output, per sample; null when an axis is unknown. */
  readonly activationBytes: number | null;
  /** Receptive field per spatial axis, in input pixels/steps. */
  readonly receptiveField?: readonly number[];
  /** Receptive field size and jump (input pixels per output step) carried to the next layer. */
  readonly receptive?: { readonly size: readonly number[]; readonly jump: readonly number[] };
  /** The wrapped layer for Bidirectional/TimeDistributed. */
  readonly inner?: { readonly spec: LayerSpec; readonly args: ResolvedArgs };
}

export interface ModelInput {
  /** Undefined when a first layer's Keras 2 `input_shape=` gave the input. */
  readonly statement: InputStatement | undefined;
  readonly shape: Shape;
  readonly dataset?: string;
  readonly label?: string;
  /** Keras's name of its InputLayer: the label, else `input_layer`. */
  readonly name: string;
  /** Its place among the model's inputs, in statement order (Keras's input order). */
  readonly index: number;
}

/** Where a tensor comes from: a model input, or one output of a layer (`index` 0 but for a layer with several). */
export type TensorSource = { readonly kind: 'input'; readonly input: ModelInput } | { readonly kind: 'layer'; readonly layer: LayerInstance; readonly index: number };

export interface ModelTotals {
  readonly params: number;
  readonly trainable: number;
  readonly nonTrainable: number;
  readonly macs: number | null;
  readonly weightBytes: number;
  readonly activationBytes: number | null;
}

export interface EvaluatedModel {
  readonly name: string;
  readonly declaration: ModelDeclaration;
  /** For a variant, the declaration of the model whose body it evaluates. */
  readonly bodyDeclaration: ModelDeclaration;
  readonly parameters: ReadonlyMap<string, Value>;
  /** The model's inputs in statement order, which is Keras's input order. */
  readonly inputs: readonly ModelInput[];
  /** The first input. */
  readonly input?: ModelInput;
  /** Every evaluated layer in statement order, including discarded ones (the editor still shows them). */
  readonly layers: readonly LayerInstance[];
  /** Layers that lead to no output: not part of the Keras model, not counted in the totals. */
  readonly discarded: ReadonlySet<LayerInstance>;
  /** The model's outputs in order: those `output a, b` names, else the last statement's tensor. */
  readonly outputs: readonly TensorSource[];
  /** The layer producing the first output (undefined when that output is an input). */
  readonly output?: LayerInstance;
  /** Each label's tensor (inside `repeat`, of the last repetition); poisoned ones are left out. */
  readonly labels: ReadonlyMap<string, TensorSource>;
  readonly totals: ModelTotals;
  /** False when an error stopped shape inference somewhere: totals are then partial. */
  readonly complete: boolean;
  readonly errorCount: number;
}
