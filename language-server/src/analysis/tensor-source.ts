import type { Shape } from '../catalog/types.js';
import type { LayerInstance, TensorSource } from './model-types.js';

/** Every output shape of a layer: its list when it has several, else its one output. */
export function outputShapesOf(layer: LayerInstance): readonly Shape[] {
  return layer.outputShapes ?? [layer.outputShape];
}

/** The shape of the tensor a source names. */
export function shapeOf(source: TensorSource): Shape {
  if (source.kind === 'input') return source.input.shape;
  return source.index === 0 ? source.layer.outputShape : (outputShapesOf(source.layer)[source.index] ?? []);
}

/** The Keras name of the layer (or InputLayer) a tensor comes from. */
export function sourceName(source: TensorSource): string {
  return source.kind === 'input' ? source.input.name : source.layer.name;
}

/** The tensor as Keras's summary names it in "Connected to": `lstm[0][1]` (each layer is called once: node 0). */
export function kerasTensorName(source: TensorSource): string {
  return `${sourceName(source)}[0][${source.kind === 'input' ? 0 : source.index}]`;
}

/** Whether two sources name the same tensor. */
export function sameSource(a: TensorSource, b: TensorSource): boolean {
  if (a.kind === 'input') return b.kind === 'input' && a.input === b.input;
  return b.kind === 'layer' && a.layer === b.layer && a.index === b.index;
}
