import type { EvaluatedModel, LayerInstance, ModelInput, TensorSource } from '../analysis/model-types.js';

/** A layer of the Keras model as its summary lists it: an InputLayer or a layer. */
export type GraphNode = { readonly kind: 'input'; readonly input: ModelInput } | { readonly kind: 'layer'; readonly layer: LayerInstance };

/** How Keras's `model.summary()` lays a model out. */
export interface KerasLayout {
  /** Whether Keras would build it as a `Sequential` model: one input, a chain of one-input, one-output layers, one output. */
  readonly sequential: boolean;
  /** Keras's "sequential-like" test for a functional model: one node per depth, none with several inputs; else "Connected to" is shown. */
  readonly sequentialLike: boolean;
  /** The nodes in Keras's order (`Functional.layers`): by depth from the inputs, ties in the order a walk back from the outputs first meets them. */
  readonly nodes: readonly GraphNode[];
}

/** Whether Keras would build the model as `Sequential`: one input, one output, each kept layer taking the one before it. */
function isSequential(model: EvaluatedModel, kept: readonly LayerInstance[]): boolean {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) return false;
  let previous: TensorSource | undefined;
  for (const layer of kept) {
    if (layer.inputs.length !== 1 || layer.outputShapes) return false;
    const source = layer.inputs[0];
    if (!source) return false;
    if (previous ? source.kind !== 'layer' || source.layer !== (previous.kind === 'layer' ? previous.layer : undefined) : source.kind !== 'input') return false;
    previous = { kind: 'layer', layer, index: 0 };
  }
  return true;
}

/**
 * The layout Keras 3 gives the model (`keras/src/ops/function.py`, `map_graph`): a walk back from each
 * output in turn numbers the layers in the order it first meets them; a layer's depth is the longest
 * path from it to an output; the layers are listed deepest first, those of one depth by that number.
 */
export function kerasLayout(model: EvaluatedModel): KerasLayout {
  const kept = model.layers.filter((l) => !model.discarded.has(l));
  const inputNodes = model.inputs.map((input): GraphNode => ({ kind: 'input', input }));
  const layerNodes = new Map(kept.map((layer): [LayerInstance, GraphNode] => [layer, { kind: 'layer', layer }]));
  const nodeOf = (source: TensorSource): GraphNode | undefined => (source.kind === 'input' ? inputNodes[source.input.index] : layerNodes.get(source.layer));
  const parents = (node: GraphNode): GraphNode[] => (node.kind === 'input' ? [] : node.layer.inputs.map(nodeOf).filter((n): n is GraphNode => n !== undefined));
  if (isSequential(model, kept)) return { sequential: true, sequentialLike: true, nodes: [...inputNodes, ...kept.map((l) => layerNodes.get(l)).filter((n): n is GraphNode => n !== undefined)] };

  // Keras's `_build_map`: depth-first from each output, numbering nodes on first visit, listing them when finished.
  const number = new Map<GraphNode, number>();
  const finished = new Set<GraphNode>();
  const decreasingDepth: GraphNode[] = [];
  for (const output of model.outputs) {
    const start = nodeOf(output);
    if (!start || finished.has(start)) continue;
    if (!number.has(start)) number.set(start, number.size);
    // An explicit stack: a model of thousands of layers would overflow the call stack.
    const stack: { node: GraphNode; inbound: GraphNode[]; next: number }[] = [{ node: start, inbound: parents(start), next: 0 }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (!top) break;
      const child = top.inbound[top.next++];
      if (child) {
        if (finished.has(child)) continue;
        if (!number.has(child)) number.set(child, number.size);
        stack.push({ node: child, inbound: parents(child), next: 0 });
        continue;
      }
      finished.add(top.node);
      decreasingDepth.push(top.node);
      stack.pop();
    }
  }
  // Depths: an output's node is 0, a node's parents lie at least one deeper.
  const depth = new Map<GraphNode, number>();
  for (let i = decreasingDepth.length - 1; i >= 0; i--) {
    const node = decreasingDepth[i];
    if (!node) continue;
    const d = depth.get(node) ?? 0;
    depth.set(node, d);
    for (const parent of parents(node)) depth.set(parent, Math.max(d + 1, depth.get(parent) ?? 0));
  }
  // Inputs no output needs (an error here, accepted by Keras): depth 0, listed first among them.
  for (const node of inputNodes) {
    if (depth.has(node)) continue;
    depth.set(node, 0);
    number.set(node, -1);
  }
  const nodes = [...depth.keys()].sort((a, b) => (depth.get(b) ?? 0) - (depth.get(a) ?? 0) || (number.get(a) ?? 0) - (number.get(b) ?? 0));
  const perDepth = new Map<number, number>();
  for (const d of depth.values()) perDepth.set(d, (perDepth.get(d) ?? 0) + 1);
  const sequentialLike = [...perDepth.values()].every((n) => n === 1) && nodes.every((n) => n.kind === 'input' || n.layer.inputs.length === 1);
  return { sequential: false, sequentialLike, nodes };
}
