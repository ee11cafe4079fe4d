import type { Value } from './values.js';

/** A tensor shape without the batch axis; `null` marks an axis of unknown length. */
export type Shape = readonly (number | null)[];

export type ArgType =
  | { readonly kind: 'int'; readonly min?: number }
  | { readonly kind: 'float'; readonly min?: number; readonly max?: number; readonly maxExclusive?: boolean }
  | { readonly kind: 'bool' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  /** An int or a tuple of `length` ints (`3` or `(3, 3)`), as Keras `kernel_size`. */
  | { readonly kind: 'ints'; readonly length: number; readonly min?: number }
  /** A tuple of ints of any length (`target_shape`, `dims`, `shared_axes`). */
  | { readonly kind: 'intList'; readonly allowMinusOne?: boolean }
  /** Padding or cropping: int, pair of ints, or pair of pairs (per spatial axis, before/after). */
  | { readonly kind: 'padding'; readonly axes: number }
  | { readonly kind: 'activation' }
  /** Initializers, regularizers, constraints: names or calls, accepted as Keras would and not checked further. */
  | { readonly kind: 'object' }
  | { readonly kind: 'layer' }
  | { readonly kind: 'string' };

export interface ArgSpec {
  readonly name: string;
  readonly type: ArgType;
  /** Keras default; `undefined` with `required` means the user must give it. */
  readonly default?: Value;
  readonly required?: boolean;
  /** `None` is accepted (and is the default when `default` is none). */
  readonly nullable?: boolean;
  readonly aliases?: readonly string[];
  readonly doc: string;
}

export interface WeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly trainable: boolean;
}

/** A state a recurrent layer carries: what `initial_state=(…)` gives it, and what `return_state=true` returns after its output. */
export interface StateSpec {
  /** How messages call it: `h`, `c`; `forward_h`, … for Bidirectional. */
  readonly name: string;
  readonly shape: Shape;
}

/** What a layer contributes, computed from its arguments and input shapes. */
export interface LayerOutcome {
  /** The output; the first one for a layer with several. */
  readonly output: Shape;
  /** Every output, `output` first, for a layer that returns several (a recurrent layer with `return_state=true`: then its states). */
  readonly outputs?: readonly Shape[];
  readonly weights: readonly WeightSpec[];
  /** Multiply-adds per sample; 0 for layers without matrix work; null when an axis is unknown. */
  readonly macs: number | null;
  /** The parameter count written with the user's numbers, e.g. `(3·3·1 + 1)·32`. */
  readonly formula?: string;
  /** Per spatial axis, when the layer has a sliding window: sizes, strides, dilations. */
  readonly window?: { readonly kernel: readonly number[]; readonly strides: readonly number[]; readonly dilation: readonly number[] };
  /** The layer keeps the spatial grid (elementwise, normalisation): the receptive field passes through. */
  readonly keepsReceptiveField?: boolean;
}

/** Read access to a layer's resolved arguments, already checked against the schema. */
export interface LayerArgs {
  int(name: string): number;
  float(name: string): number;
  bool(name: string): boolean;
  text(name: string): string;
  /** `None` → undefined. */
  optionalInt(name: string): number | undefined;
  optionalFloat(name: string): number | undefined;
  optionalText(name: string): string | undefined;
  ints(name: string): number[];
  optionalInts(name: string): number[] | undefined;
  intList(name: string): number[];
  optionalIntList(name: string): number[] | undefined;
  padding(name: string): [number, number][];
  value(name: string): Value;
  /** Was the argument written by the user (as opposed to defaulted)? */
  given(name: string): boolean;
}

/** A problem with the layer's input or arguments, found while inferring its shape. */
export class LayerError extends Error {
  constructor(
    message: string,
    /** The argument the message is about, so the diagnostic lands on it. */
    readonly argument?: string,
    /**
     * What kind of problem it is, when it is more than a plain shape error: `spatial-too-small` when a kernel or
     * pool no longer fits its input (the analysis adds the sizes along the way and quick fixes offer padding=same, …).
     * Unset, the analysis reports `shape` (`merge` for merge layers).
     */
    readonly code?: LayerErrorCode,
  ) {
    super(message);
  }
}

/** The diagnostic codes a layer's own check can choose (a subset of the analysis's `DiagnosticCode`). */
export type LayerErrorCode = 'spatial-too-small';

export interface InferContext {
  readonly args: LayerArgs;
  /** One shape, or several: a merge layer's (the current tensor first), a recurrent layer's input and then its initial states. */
  readonly inputs: readonly Shape[];
  /** For wrappers: infers the wrapped layer on a shape. */
  readonly inner?: InnerLayer;
}

export interface InnerLayer {
  readonly type: string;
  /** The states the wrapped layer carries (a recurrent layer's), none for others. */
  readonly states: readonly StateSpec[];
  infer(input: Shape): LayerOutcome;
  build(tf: TfModule, name: string, input: Shape): unknown;
}

/**
 * The part of the `@tensorflow/tfjs` module the builders use. Declared here so
 * the core never imports TensorFlow.js; the trainer passes the real module.
 */
export interface TfModule {
  readonly layers: Readonly<Record<string, (config: Record<string, unknown>) => unknown>>;
}

export interface BuildContext {
  readonly args: LayerArgs;
  readonly inner?: InnerLayer;
  /** The layer's name in the built model. */
  readonly name: string;
  /**
   * The shapes coming in. There is no output shape here on purpose: TensorFlow.js works it out
   * from the arguments, so that the oracle tests check Layerlab's inference instead of echoing it.
   */
  readonly inputShapes: readonly Shape[];
}

export type LayerFamily =
  | 'core'
  | 'convolution'
  | 'pooling'
  | 'normalization'
  | 'regularization'
  | 'reshaping'
  | 'recurrent'
  | 'wrapper'
  | 'activation'
  | 'preprocessing'
  | 'merging';

export interface LayerSpec {
  readonly name: string;
  readonly family: LayerFamily;
  readonly doc: string;
  readonly args: readonly ArgSpec[];
  /** Merge layers take the current tensor and the labelled tensors named positionally. */
  readonly merge?: { readonly minInputs: number; readonly maxInputs?: number };
  /** Wrappers take a layer as their first argument. */
  readonly wrapper?: boolean;
  /** Accepted input ranks without the batch axis, with how to describe them. */
  readonly inputRank?: { readonly min: number; readonly max?: number; readonly describe: string };
  infer(context: InferContext): LayerOutcome;
  /**
   * Recurrent layers and Bidirectional: the states they carry, in Keras's order. `initial_state=(…)` gives
   * one tensor per state, of its shape; `return_state=true` returns them after the output.
   */
  states?(args: LayerArgs, inner?: InnerLayer): readonly StateSpec[];
  /**
   * Builds the layer with TensorFlow.js layers: one layer, or an array of layers
   * applied in order where TensorFlow.js needs several for one Keras layer. Absent where TensorFlow.js has no
   * matching layer; the trainer reports that the model cannot be trained.
   */
  build?(tf: TfModule, context: BuildContext): unknown;
  /** Why `build` is absent, for the trainer's message. */
  readonly buildUnavailable?: string;
}
