import type { GraphNode, ModelGraph } from '../features/model-graph.js';
import { boxSize, itemLines, itemTitle, type TextLine } from './node-text.js';
import type { VisibleEdge, VisibleFrame, VisibleGraph, VisibleItem } from './visible.js';

/**
 * Lays a visible graph out with ELK's layered algorithm (top to bottom, crossings minimised,
 * `repeat` frames as compound nodes). The ELK engine is passed in: the CLI gives it elkjs's
 * bundled build, the view the same build in the browser; nothing here loads a package.
 */

export interface ElkPoint {
  readonly x: number;
  readonly y: number;
}

export interface ElkInputEdge {
  readonly id: string;
  readonly sources: string[];
  readonly targets: string[];
}

export interface ElkInputNode {
  readonly id: string;
  readonly width?: number;
  readonly height?: number;
  readonly layoutOptions?: Record<string, string>;
  readonly children?: ElkInputNode[];
  readonly edges?: ElkInputEdge[];
}

export interface ElkOutputNode {
  readonly id: string;
  readonly x?: number;
  readonly y?: number;
  readonly width?: number;
  readonly height?: number;
  readonly children?: readonly ElkOutputNode[];
  readonly edges?: readonly { readonly id: string; readonly sections?: readonly { readonly startPoint: ElkPoint; readonly endPoint: ElkPoint; readonly bendPoints?: readonly ElkPoint[] }[] }[];
}

/** What the layout needs of elkjs: `new ELK()` from `elkjs/lib/elk.bundled.js` is one. */
export interface LayoutEngine {
  layout(graph: ElkInputNode): Promise<ElkOutputNode>;
}

/** What the width of a box and its colour show, besides its text. */
export type SizeBy = 'none' | 'params' | 'memory';

export interface PlacedItem {
  readonly item: VisibleItem;
  readonly lines: readonly TextLine[];
  /** Every line unshortened and every error: the tooltip. */
  readonly title: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** The text box, centred in the placed width, at the top. */
  readonly boxWidth: number;
  readonly boxHeight: number;
  /** The value bar under the box, centred: as wide as the value's share of the largest; 0 when not sizing by a value. */
  readonly barWidth: number;
  /** Parameters or activation bytes, with `sizeBy`; 0 otherwise. */
  readonly value: number;
  /** `value` on a square-root scale, 0–1 of the largest: the bar's width and the box's colour. */
  readonly share: number;
}

export interface PlacedFrame {
  readonly frame: VisibleFrame;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface PlacedEdge {
  readonly edge: VisibleEdge;
  readonly points: readonly ElkPoint[];
}

export interface GraphLayout {
  readonly width: number;
  readonly height: number;
  readonly items: readonly PlacedItem[];
  readonly frames: readonly PlacedFrame[];
  readonly edges: readonly PlacedEdge[];
  readonly sizeBy: SizeBy;
}

/** Width of the value bar of the largest item; the smallest non-zero one gets `barMin`. */
export const barMax = 440;
export const barMin = 12;
/** The bar's thickness, and the gap above it. */
export const barHeight = 6;
export const barGap = 4;
/** Room above a frame's contents for its `repeat` heading. */
export const frameHeading = 26;

const layoutOptions: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.layered.spacing.nodeNodeBetweenLayers': '26',
  'elk.layered.spacing.edgeNodeBetweenLayers': '12',
  'elk.spacing.nodeNode': '26',
  'elk.spacing.edgeNode': '14',
  'elk.spacing.edgeEdge': '10',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.nodePlacement.bk.fixedAlignment': 'BALANCED',
  // The order of the statements breaks ties, so the main path stays where the source has it.
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.layered.thoroughness': '3',
  'elk.padding': '[top=8,left=8,bottom=8,right=8]',
  // Every coordinate comes back relative to the root: no sums over parents.
  'org.eclipse.elk.json.shapeCoords': 'ROOT',
  'org.eclipse.elk.json.edgeCoords': 'ROOT',
};

const frameOptions: Record<string, string> = {
  'elk.padding': `[top=${frameHeading + 8},left=12,bottom=12,right=12]`,
};

function valueOf(item: VisibleItem, sizeBy: SizeBy, nodesById: ReadonlyMap<string, GraphNode>): number {
  if (sizeBy === 'none') return 0;
  const nodes = item.kind === 'node' ? [item.node] : item.group.nodes.map((id) => nodesById.get(id));
  let total = 0;
  for (const node of nodes) {
    if (!node || node.discarded) continue;
    total += sizeBy === 'params' ? node.params : (node.activationBytes ?? 0);
  }
  return total;
}

type Measured = Omit<PlacedItem, 'x' | 'y'>;

function measure(graph: ModelGraph, visible: VisibleGraph, sizeBy: SizeBy): Measured[] {
  const nodesById = new Map(graph.nodes.map((n) => [n.id, n]));
  const values = visible.items.map((item) => valueOf(item, sizeBy, nodesById));
  const largest = Math.max(0, ...values);
  return visible.items.map((item, i) => {
    const lines = itemLines(item, nodesById);
    const box = boxSize(lines);
    const value = values[i] ?? 0;
    const share = largest > 0 ? Math.sqrt(value / largest) : 0;
    const barWidth = value > 0 ? Math.round(barMin + (barMax - barMin) * share) : 0;
    const height = sizeBy === 'none' ? box.height : box.height + barGap + barHeight;
    return { item, lines, title: itemTitle(item, nodesById), boxWidth: box.width, boxHeight: box.height, barWidth, width: Math.max(box.width, barWidth), height, value, share };
  });
}

/** The ELK graph: frames as compound nodes holding their items and inner frames; each edge in the root (coordinates are the root's). */
function elkGraph(visible: VisibleGraph, measured: readonly Measured[]): ElkInputNode {
  const childrenOf = new Map<string | undefined, ElkInputNode[]>();
  const add = (parent: string | undefined, node: ElkInputNode) => (childrenOf.get(parent) ?? childrenOf.set(parent, []).get(parent))?.push(node);
  for (const m of measured) add(m.item.parent, { id: m.item.id, width: m.width, height: m.height });
  const build = (frame: VisibleFrame): ElkInputNode => ({ id: frame.id, layoutOptions: frameOptions, children: [...(childrenOf.get(frame.id) ?? []), ...visible.frames.filter((f) => f.parent === frame.id).map(build)] });
  const roots = [...(childrenOf.get(undefined) ?? []), ...visible.frames.filter((f) => f.parent === undefined).map(build)];
  return { id: 'root', layoutOptions, children: roots, edges: visible.edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })) };
}

function collect(node: ElkOutputNode, into: Map<string, ElkOutputNode>): void {
  for (const child of node.children ?? []) {
    into.set(child.id, child);
    collect(child, into);
  }
}

export async function layoutGraph(engine: LayoutEngine, graph: ModelGraph, visible: VisibleGraph, sizeBy: SizeBy = 'none'): Promise<GraphLayout> {
  const measured = measure(graph, visible, sizeBy);
  const result = await engine.layout(elkGraph(visible, measured));
  const shapes = new Map<string, ElkOutputNode>();
  collect(result, shapes);
  const items = measured.map((m): PlacedItem => {
    const shape = shapes.get(m.item.id);
    return { ...m, x: shape?.x ?? 0, y: shape?.y ?? 0 };
  });
  const frames = visible.frames.map((frame): PlacedFrame => {
    const shape = shapes.get(frame.id);
    return { frame, x: shape?.x ?? 0, y: shape?.y ?? 0, width: shape?.width ?? 0, height: shape?.height ?? 0 };
  });
  const routes = new Map<string, ElkPoint[]>();
  for (const edge of result.edges ?? []) {
    const section = edge.sections?.[0];
    if (section) routes.set(edge.id, [section.startPoint, ...(section.bendPoints ?? []), section.endPoint]);
  }
  const edges = visible.edges.map((edge): PlacedEdge => ({ edge, points: routes.get(edge.id) ?? [] }));
  return { width: result.width ?? 0, height: result.height ?? 0, items, frames, edges, sizeBy };
}
