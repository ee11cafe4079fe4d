import type { GraphEdge, GraphGroup, GraphNode, ModelGraph } from '../features/model-graph.js';

/**
 * What is drawn of a model graph with some `repeat` groups folded: the nodes outside folded
 * groups, one box per folded group (the outermost folded one), the unfolded groups as frames
 * around their nodes, and the edges between what is drawn.
 */

export type VisibleItem = { readonly kind: 'node'; readonly id: string; readonly node: GraphNode; readonly parent?: string } | { readonly kind: 'folded'; readonly id: string; readonly group: GraphGroup; readonly parent?: string };

/** An unfolded group: a frame around its items. */
export interface VisibleFrame {
  readonly id: string;
  readonly group: GraphGroup;
  readonly parent?: string;
}

export interface VisibleEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  /** Connections this edge stands for: more than one where edges into or out of a folded group meet. */
  readonly count: number;
}

export interface VisibleGraph {
  readonly items: readonly VisibleItem[];
  readonly frames: readonly VisibleFrame[];
  readonly edges: readonly VisibleEdge[];
}

/** The groups from the outermost to `id`. */
function chain(groups: ReadonlyMap<string, GraphGroup>, id: string | undefined): GraphGroup[] {
  const path: GraphGroup[] = [];
  for (let group = id === undefined ? undefined : groups.get(id); group; group = group.parent === undefined ? undefined : groups.get(group.parent)) path.unshift(group);
  return path;
}

export function visibleGraph(graph: ModelGraph, folded: ReadonlySet<string>): VisibleGraph {
  const groups = new Map(graph.groups.map((g) => [g.id, g]));
  /** What stands for each node and group: itself, or the outermost folded group around it. */
  const standIn = new Map<string, string>();
  const frames: VisibleFrame[] = [];
  const foldedItems = new Map<string, VisibleItem>();
  for (const group of graph.groups) {
    const path = chain(groups, group.id);
    const outerFolded = path.find((g) => folded.has(g.id));
    if (outerFolded) {
      standIn.set(group.id, outerFolded.id);
      if (!foldedItems.has(outerFolded.id)) foldedItems.set(outerFolded.id, { kind: 'folded', id: outerFolded.id, group: outerFolded, ...(outerFolded.parent !== undefined ? { parent: outerFolded.parent } : {}) });
    } else frames.push({ id: group.id, group, ...(group.parent !== undefined ? { parent: group.parent } : {}) });
  }
  const items: VisibleItem[] = [];
  const placed = new Set<string>();
  for (const node of graph.nodes) {
    const inFolded = node.group === undefined ? undefined : standIn.get(node.group);
    if (inFolded === undefined) {
      items.push({ kind: 'node', id: node.id, node, ...(node.group !== undefined ? { parent: node.group } : {}) });
      standIn.set(node.id, node.id);
      continue;
    }
    standIn.set(node.id, inFolded);
    // A folded group is drawn where its first node would be, so the order of items stays the order of the model.
    if (!placed.has(inFolded)) {
      placed.add(inFolded);
      const item = foldedItems.get(inFolded);
      if (item) items.push(item);
    }
  }
  return { items, frames, edges: visibleEdges(graph.edges, standIn, foldedItems) };
}

function visibleEdges(edges: readonly GraphEdge[], standIn: ReadonlyMap<string, string>, folded: ReadonlyMap<string, VisibleItem>): VisibleEdge[] {
  const result: VisibleEdge[] = [];
  const merged = new Map<string, { edge: VisibleEdge; index: number }>();
  for (const edge of edges) {
    const source = standIn.get(edge.source) ?? edge.source;
    const target = standIn.get(edge.target) ?? edge.target;
    if (source === target) continue;
    if (!folded.has(source) && !folded.has(target)) {
      result.push({ id: edge.id, source, target, count: 1 });
      continue;
    }
    const key = `${source}->${target}`;
    const known = merged.get(key);
    if (known) {
      const edge = { ...known.edge, count: known.edge.count + 1 };
      result[known.index] = edge;
      known.edge = edge;
      continue;
    }
    const visible = { id: key, source, target, count: 1 };
    merged.set(key, { edge: visible, index: result.length });
    result.push(visible);
  }
  return result;
}

/**
 * Most boxes laid out at once: ELK's time grows faster than the number of boxes (about 2 s for
 * 1,000 on a laptop core), and a drawing of more is no longer read box by box. Beyond it, fold
 * `repeat` blocks, or read the model in `layerlab summary`.
 */
export const maxLaidOutBoxes = 2000;

/** Groups to fold by default so that a large model opens quickly: the outermost ones, while more than `limit` nodes are drawn. */
export function defaultFolds(graph: ModelGraph, limit = 300): Set<string> {
  const folded = new Set<string>();
  if (graph.nodes.length <= limit) return folded;
  const outer = graph.groups.filter((g) => g.parent === undefined).sort((a, b) => b.nodes.length - a.nodes.length);
  let drawn = graph.nodes.length;
  for (const group of outer) {
    if (drawn <= limit) break;
    folded.add(group.id);
    drawn -= group.nodes.length - 1;
  }
  return folded;
}
