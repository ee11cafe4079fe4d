import type { GraphLayout, GraphPosition, GraphRange, ModelGraph, PlacedItem } from '../../language-server/src/protocol/graph.js';
import { intersects, type Rect } from './viewport.js';

/** Which boxes the view is about: the ones at the cursor, the one to keep in place across a new layout, the block in view. */

/** Whether `position` lies in `range` (lines and characters from 0). */
export function contains(range: GraphRange, position: GraphPosition): boolean {
  const after = (a: GraphPosition, b: GraphPosition) => a.line > b.line || (a.line === b.line && a.character >= b.character);
  return after(position, range.start) && after(range.end, position);
}

/** The boxes of the layer statement at `position` (one per repetition); else the folded block that holds it. */
export function boxesAt(layout: GraphLayout, position: GraphPosition): string[] {
  const layers = layout.items.filter((i) => i.item.kind === 'node' && contains(i.item.node.range, position));
  if (layers.length) return layers.map((i) => i.item.id);
  return layout.items.filter((i) => i.item.kind === 'folded' && contains(i.item.group.range, position)).map((i) => i.item.id);
}

/**
 * What stands for `id` in a layout: itself; for a block unfolded, its first layer; for a layer
 * (or a block) folded away, the box of the block that holds it.
 */
export function standIn(graph: ModelGraph, layout: GraphLayout, id: string): string {
  const drawn = new Set(layout.items.map((i) => i.item.id));
  if (drawn.has(id)) return id;
  const first = graph.groups.find((g) => g.id === id)?.nodes[0];
  if (first !== undefined && drawn.has(first)) return first;
  const folded = layout.items.find((i) => i.item.kind === 'folded' && i.item.group.nodes.includes(first ?? id));
  return folded?.item.id ?? id;
}

/** The box the user looks at: the first of `marked` in view, else the one nearest the middle of `visible`. */
export function lookedAt(layout: GraphLayout, visible: Rect, marked: readonly string[]): PlacedItem | undefined {
  const byId = new Map(layout.items.map((i) => [i.item.id, i]));
  const ringed = marked.map((id) => byId.get(id)).find((i): i is PlacedItem => i !== undefined && intersects(i, visible));
  if (ringed) return ringed;
  const centre = { x: visible.x + visible.width / 2, y: visible.y + visible.height / 2 };
  let best: PlacedItem | undefined;
  let distance = Infinity;
  for (const item of layout.items) {
    const d = Math.hypot(item.x + item.width / 2 - centre.x, item.y + item.height / 2 - centre.y);
    if (d < distance) {
      distance = d;
      best = item;
    }
  }
  return best;
}

/** The top-most `repeat` block in view, a frame or a folded box. */
export function blockIn(layout: GraphLayout, visible: Rect): string | undefined {
  const blocks: { id: string; box: Rect }[] = [...layout.frames.map((f) => ({ id: f.frame.id, box: f })), ...layout.items.filter((i) => i.item.kind === 'folded').map((i) => ({ id: i.item.id, box: i }))];
  return blocks.filter((b) => intersects(b.box, visible)).sort((a, b) => a.box.y - b.box.y)[0]?.id;
}
