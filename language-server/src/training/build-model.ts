import type { EvaluatedModel, LayerInstance, TensorSource } from '../analysis/model-types.js';
import type { LineIndex } from '../text/line-index.js';
import { LayerError, type InnerLayer, type TfModule } from '../catalog/types.js';

/**
 * The part of `@tensorflow/tfjs` that assembling a functional model needs, on top
 * of the layer factories. Structural, so the core never imports TensorFlow.js.
 */
export interface TfGraphModule extends TfModule {
  /** `tf.input`: a symbolic tensor for the model input; `null` marks an axis of unknown length. */
  input(config: { shape: (number | null)[]; name?: string }): unknown;
  /** `tf.model`: a functional model from symbolic inputs to outputs (one, or a list). */
  model(config: { inputs: unknown; outputs: unknown; name?: string }): unknown;
}

/** A TensorFlow.js model with, per layer instance (in `model.layers` order), the layers built for it. */
export interface BuiltTfModel {
  readonly model: unknown;
  /** One entry per LayerInstance: usually one layer, several where TensorFlow.js needs a chain for one Keras layer. */
  readonly layers: readonly (readonly unknown[])[];
}

/** Why a model could not be built. `unavailable` marks a layer TensorFlow.js lacks (as opposed to a failure). */
export class ModelBuildError extends Error {
  constructor(
    message: string,
    readonly layer: LayerInstance | undefined,
    readonly unavailable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

interface Applicable {
  apply(inputs: unknown, kwargs?: Record<string, unknown>): unknown;
}

function isApplicable(value: unknown): value is Applicable {
  return typeof value === 'object' && value !== null && typeof (value as { apply?: unknown }).apply === 'function';
}

/** The wrapped layer of a Bidirectional/TimeDistributed instance, as the wrapper's `build` expects it. */
function innerLayer(inner: NonNullable<LayerInstance['inner']>): InnerLayer {
  const { spec, args } = inner;
  const infer: InnerLayer['infer'] = (input) => spec.infer({ args, inputs: [input] });
  return {
    type: spec.name,
    states: spec.states?.(args) ?? [],
    infer,
    build(tf, name, input) {
      if (!spec.build) throw new LayerError(spec.buildUnavailable ?? `TensorFlow.js has no ${spec.name} layer`);
      return spec.build(tf, { args, name, inputShapes: [input] });
    },
  };
}

/** Builds the model and returns it with the TensorFlow.js layers of every layer instance. */
export function buildTfModelLayers(tf: TfGraphModule, model: EvaluatedModel, lines?: LineIndex): BuiltTfModel {
  const where = (layer: LayerInstance): string => {
    const at = lines ? `line ${lines.positionAt(layer.statement.range.start).line + 1}` : `offset ${layer.statement.range.start}`;
    return `${layer.spec.name} \`${layer.name}\` (${at}) of model \`${model.name}\``;
  };
  if (!model.input || !model.complete || model.errorCount > 0) {
    throw new ModelBuildError(`model \`${model.name}\` has errors; fix them before building it with TensorFlow.js`, undefined, false);
  }
  if (!model.output) throw new ModelBuildError(`model \`${model.name}\` has no layers to build`, undefined, false);

  // In statement order, Keras's order of a model's inputs.
  const inputs = model.inputs.map((i) => tf.input({ shape: [...i.shape], ...(i.label ? { name: i.label } : {}) }));
  /** Per layer, its symbolic outputs (several for a recurrent layer with `return_state`). */
  const outputs = new Map<LayerInstance, readonly unknown[]>();
  const tensorOf = (source: TensorSource): unknown => (source.kind === 'input' ? inputs[source.input.index] : outputs.get(source.layer)?.[source.index]);
  const built: (readonly unknown[])[] = [];
  for (const layer of model.layers) {
    const { spec } = layer;
    if (!spec.build) throw new ModelBuildError(`${where(layer)}: ${spec.buildUnavailable ?? 'TensorFlow.js has no such layer'}`, layer, true);
    let chain: unknown[];
    try {
      const made = spec.build(tf, {
        args: layer.args,
        name: layer.name,
        inputShapes: layer.inputShapes,
        ...(layer.inner ? { inner: innerLayer(layer.inner) } : {}),
      });
      chain = Array.isArray(made) ? made : [made];
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new ModelBuildError(`${where(layer)}: ${message}`, layer, error instanceof LayerError, { cause: error });
    }
    const sources = layer.inputs.map(tensorOf);
    // A merge takes its tensors as a list; a recurrent layer's further inputs are its initial states.
    let tensor: unknown = spec.merge ? sources : sources[0];
    const kwargs = !spec.merge && sources.length > 1 ? { initialState: sources.slice(1) } : undefined;
    chain.forEach((tfLayer, i) => {
      if (!isApplicable(tfLayer)) throw new ModelBuildError(`${where(layer)}: the builder returned something that is not a TensorFlow.js layer`, layer, false);
      try {
        tensor = i === 0 && kwargs ? tfLayer.apply(tensor, kwargs) : tfLayer.apply(tensor);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new ModelBuildError(`${where(layer)}: TensorFlow.js rejects it: ${message}`, layer, false, { cause: error });
      }
    });
    outputs.set(layer, layer.outputShapes && Array.isArray(tensor) ? tensor : [tensor]);
    built.push(chain);
  }
  const modelOutputs = model.outputs.map(tensorOf);
  const tfModel = tf.model({
    inputs: inputs.length === 1 ? inputs[0] : inputs,
    outputs: modelOutputs.length === 1 ? modelOutputs[0] : modelOutputs,
    name: model.name,
  });
  return { model: tfModel, layers: built };
}

/** Assembles a TensorFlow.js functional model (`tf.LayersModel`) from an evaluated model. */
export function buildTfModel(tf: TfGraphModule, model: EvaluatedModel, lines?: LineIndex): unknown {
  return buildTfModelLayers(tf, model, lines).model;
}
