import type { EvaluatedModel, LayerInstance } from './model-types.js';
import type { Shape } from '../catalog/types.js';

const written = (shape: Shape): string => `(${shape.map((d) => d ?? 'None').join(', ')}${shape.length === 1 ? ',' : ''})`;

/**
 * The first Dense of the model that gets a feature map (an input of rank 2 or more per sample):
 * Dense works on the last axis only, so the map's other axes reach the output. Flatten() before
 * it makes the output one vector per image.
 */
export function firstDenseOnFeatureMap(model: EvaluatedModel): LayerInstance | undefined {
  return model.layers.find((l) => !model.discarded.has(l) && l.spec.name === 'Dense' && (l.inputShapes[0]?.length ?? 0) >= 2);
}

/** The global pooling layer that turns this feature map into one vector, when there is one (1D, 2D, 3D). */
export function globalPoolingFor(featureMap: Shape): string | undefined {
  const spatial = featureMap.length - 1;
  return spatial >= 1 && spatial <= 3 ? `GlobalAveragePooling${spatial}D` : undefined;
}

/**
 * Why a model whose output has another rank than one value per class cannot train on a data set
 * of one label per image, with the fix in words; `lineOf` gives a layer's line (from 1).
 */
export function outputRankMessage(name: string, model: EvaluatedModel, dataset: string, classes: number, lineOf: (layer: LayerInstance) => number): string {
  const output = model.output?.outputShape ?? [];
  const problem = `\`${name}\` outputs ${written(output)} per image, but ${dataset} has one label per image (labels of shape (None,) in Keras), so the output must be (${classes},), one value per class`;
  const dense = firstDenseOnFeatureMap(model);
  const featureMap = dense?.inputShapes[0];
  if (dense && featureMap) {
    const pooling = globalPoolingFor(featureMap);
    return `${problem}; insert Flatten()${pooling ? ` (or ${pooling}())` : ''} before the Dense on line ${lineOf(dense)}, which gets the feature map ${written(featureMap)}`;
  }
  return `${problem}; end the model with Flatten() (or a global pooling layer) and Dense(${classes}, activation=softmax)`;
}
