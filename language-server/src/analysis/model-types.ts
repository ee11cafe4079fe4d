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
  /** Producers of the inputs: undefined stands for the model input. */
  readonly inputs: readonly (LayerInstance | undefined)[];
  readonly inputShapes: readonly Shape[];
  readonly outputShape: Shape;
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
}

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
  readonly input?: ModelInput;
  /** Every evaluated layer in statement order, including discarded ones (the editor still shows them). */
  readonly layers: readonly LayerInstance[];
  /** Layers that do not lead to the output: not part of the Keras model, not counted in the totals. */
  readonly discarded: ReadonlySet<LayerInstance>;
  /** The layer producing the model's output. */
  readonly output?: LayerInstance;
  readonly totals: ModelTotals;
  /** False when an error stopped shape inference somewhere: totals are then partial. */
  readonly complete: boolean;
  readonly errorCount: number;
}
