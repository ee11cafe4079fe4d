import { edgeSvg, frameSvg, itemSvg, type GraphLayout, type GraphPalette, type PlacedItem } from '../../language-server/src/protocol/graph.js';
import { intersects, type Rect } from './viewport.js';

/**
 * The drawn graph, virtualised: every box, edge and frame has its bounds, and only those in
 * (or near) the visible part of the graph are in the page. Their markup is the same as the
 * exported SVG's (protocol/graph.ts's writer), inserted as SVG.
 */

type Layer = 'frames' | 'edges' | 'nodes';

interface Entry {
  readonly key: string;
  readonly layer: Layer;
  readonly bounds: Rect;
  readonly markup: () => string;
  readonly item?: PlacedItem;
}

const svgNamespace = 'http://www.w3.org/2000/svg';

function group(className: string): SVGGElement {
  const g = document.createElementNS(svgNamespace, 'g');
  g.setAttribute('class', className);
  return g;
}

/** Graph units drawn beyond each side of the view, so that a short pan shows what was already there. */
const overscan = 300;

export class Scene {
  readonly svg: SVGSVGElement;
  private readonly world = group('world');
  private readonly layers: Readonly<Record<Layer | 'marks', SVGGElement>> = { frames: group('frames'), edges: group('edges'), nodes: group('nodes'), marks: group('marks') };
  private entries: Entry[] = [];
  private readonly drawn = new Map<string, Element>();
  private items = new Map<string, PlacedItem>();
  private palette: GraphPalette | undefined;

  constructor() {
    this.svg = document.createElementNS(svgNamespace, 'svg');
    this.svg.setAttribute('class', 'graph');
    this.svg.setAttribute('role', 'img');
    this.world.append(this.layers.frames, this.layers.edges, this.layers.nodes, this.layers.marks);
    this.svg.append(this.world);
  }

  /** Shows a new layout (or the same in new colours): nothing of the last one stays drawn. */
  show(layout: GraphLayout, palette: GraphPalette): void {
    this.palette = palette;
    for (const element of this.drawn.values()) element.remove();
    this.drawn.clear();
    this.items = new Map(layout.items.map((i) => [i.item.id, i]));
    const entries: Entry[] = [];
    for (const frame of layout.frames) entries.push({ key: `frame:${frame.frame.id}`, layer: 'frames', bounds: frame, markup: () => frameSvg(frame, palette, true) });
    for (const edge of layout.edges) {
      if (edge.points.length < 2) continue;
      const xs = edge.points.map((p) => p.x);
      const ys = edge.points.map((p) => p.y);
      const bounds = { x: Math.min(...xs), y: Math.min(...ys), width: Math.max(...xs) - Math.min(...xs), height: Math.max(...ys) - Math.min(...ys) };
      entries.push({ key: `edge:${edge.edge.id}`, layer: 'edges', bounds, markup: () => edgeSvg(edge, palette) });
    }
    for (const item of layout.items) entries.push({ key: `node:${item.item.id}`, layer: 'nodes', bounds: { x: item.x, y: item.y, width: item.width + 4, height: item.height + 4 }, markup: () => itemSvg(item, palette), item });
    this.entries = entries;
  }

  setTransform(transform: string): void {
    this.world.setAttribute('transform', transform);
  }

  /** Draws what lies in `visible` (graph units) and removes what no longer does; returns how many boxes are in the page. */
  draw(visible: Rect): number {
    const area = { x: visible.x - overscan, y: visible.y - overscan, width: visible.width + 2 * overscan, height: visible.height + 2 * overscan };
    let boxes = 0;
    for (const entry of this.entries) {
      const inView = intersects(entry.bounds, area);
      const element = this.drawn.get(entry.key);
      if (inView && !element) this.drawn.set(entry.key, this.insert(entry));
      else if (!inView && element) {
        element.remove();
        this.drawn.delete(entry.key);
      }
      if (inView && entry.layer === 'nodes') boxes++;
    }
    return boxes;
  }

  private insert(entry: Entry): Element {
    const layer = this.layers[entry.layer];
    layer.insertAdjacentHTML('beforeend', entry.markup());
    const element = layer.lastElementChild ?? group('empty');
    if (entry.item) {
      element.setAttribute('tabindex', '0');
      element.setAttribute('role', 'button');
      element.setAttribute('aria-label', entry.item.title.replace(/\n/g, ', '));
    }
    const heading = entry.layer === 'frames' ? element.querySelector('.frame-heading') : null;
    if (heading) {
      heading.setAttribute('tabindex', '0');
      heading.setAttribute('role', 'button');
      heading.setAttribute('aria-label', `Fold ${heading.textContent?.replace(/^▾ /, '') ?? 'this repeat block'}`);
    }
    return element;
  }

  /** Rings the boxes of `ids` (the statement at the cursor). */
  mark(ids: readonly string[]): void {
    const marks = this.layers.marks;
    marks.replaceChildren();
    const colour = this.palette?.focus ?? '#0969da';
    for (const id of ids) {
      const item = this.items.get(id);
      if (!item) continue;
      const ring = document.createElementNS(svgNamespace, 'rect');
      const x = item.x + (item.width - item.boxWidth) / 2 - 4;
      for (const [name, value] of Object.entries({ x, y: item.y - 4, width: item.boxWidth + 8, height: item.boxHeight + 8, rx: 8, fill: 'none', stroke: colour, 'stroke-width': 3, class: 'cursor-mark', 'data-id': id })) ring.setAttribute(name, String(value));
      marks.append(ring);
    }
  }

  itemAt(id: string): PlacedItem | undefined {
    return this.items.get(id);
  }

  /** Ids of the boxes in the page. */
  drawnIds(): string[] {
    return [...this.drawn.keys()].filter((k) => k.startsWith('node:')).map((k) => k.slice('node:'.length));
  }
}
