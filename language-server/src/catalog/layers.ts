import { activationLayers } from './layers/activations.js';
import { convolutionLayers } from './layers/convolution.js';
import { coreLayers } from './layers/core.js';
import { mergingLayers } from './layers/merging.js';
import { normalizationLayers } from './layers/normalization.js';
import { poolingLayers } from './layers/pooling.js';
import { recurrentLayers } from './layers/recurrent.js';
import { reshapingLayers } from './layers/reshaping.js';
import { wrapperLayers } from './layers/wrappers.js';
import type { LayerSpec } from './types.js';

/** Every layer Layerlab knows, by Keras class name. Adding a layer means adding one entry to a family file. */
export const layerCatalog: ReadonlyMap<string, LayerSpec> = new Map(
  [...coreLayers, ...convolutionLayers, ...poolingLayers, ...normalizationLayers, ...reshapingLayers, ...recurrentLayers, ...wrapperLayers, ...activationLayers, ...mergingLayers].map(
    (spec) => [spec.name, spec],
  ),
);

export function findLayer(name: string): LayerSpec | undefined {
  return layerCatalog.get(name);
}
