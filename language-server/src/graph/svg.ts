import { withCommas } from '../features/format.js';
import type { GraphNode, ModelGraph } from '../features/model-graph.js';
import { barGap, barHeight, type ElkPoint, type GraphLayout, type PlacedEdge, type PlacedFrame, type PlacedItem } from './layout.js';
import { charWidth, fontSize, lineHeight, paddingX, paddingY, totalsLines, type SpanRole } from './node-text.js';
import { mix, type GraphPalette } from './palette.js';

/**
 * The SVG of a laid-out graph, as text: `layerlab graph` writes it, the view exports it, and
 * the view draws the same pieces (one item, edge or frame at a time) into its page. Colours
 * are presentation attributes, so the file needs no stylesheet and any SVG renderer draws it.
 */

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const n = (value: number): string => String(Math.round(value * 10) / 10);

function spanColour(role: SpanRole, palette: GraphPalette): string {
  switch (role) {
    case 'type':
    case 'figures':
      return palette.foreground;
    case 'label':
      return palette.label;
    case 'error':
      return palette.error;
    case 'name':
    case 'detail':
    case 'note':
      return palette.muted;
  }
}

/** The node behind an item, for its look: the first of a folded group stands for the group's family. */
function familyColour(placed: PlacedItem, palette: GraphPalette): string {
  const family: GraphNode['family'] = placed.item.kind === 'node' ? placed.item.node.family : 'core';
  return palette.families[family];
}

/** One box: a band as wide as its value (when sizing by one), the box, a family stripe, its lines, and its full text as a tooltip. */
export function itemSvg(placed: PlacedItem, palette: GraphPalette): string {
  const { item, width, boxWidth, boxHeight: height, barWidth, share } = placed;
  const node = item.kind === 'node' ? item.node : undefined;
  const errors = node?.errors.length ?? 0;
  const faded = node !== undefined && (node.affected || node.discarded) && errors === 0;
  const boxX = (width - boxWidth) / 2;
  const parts: string[] = [];
  const kind = node ? node.kind : 'folded';
  const attributes = [`class="node"`, `data-id="${escapeXml(item.id)}"`, `data-kind="${kind}"`, `data-type="${escapeXml(node ? node.type : 'repeat')}"`];
  if (node?.shapeText) attributes.push(`data-shape="${escapeXml(node.shapeText)}"`);
  if (item.kind === 'folded') attributes.push(`data-group="${escapeXml(item.group.id)}"`);
  if (errors) attributes.push('data-error="true"');
  else if (node?.affected) attributes.push('data-affected="true"');
  parts.push(`<g ${attributes.join(' ')} transform="translate(${n(placed.x)},${n(placed.y)})"${faded ? ' opacity="0.55"' : ''}>`);
  parts.push(`<title>${escapeXml(placed.title)}</title>`);
  const heat = share > 0 ? mix(palette.heatLow, palette.heatHigh, share) : undefined;
  const stroke = errors ? palette.error : item.kind === 'folded' ? palette.focus : palette.nodeStroke;
  const dash = faded || node?.kind === 'pending' ? ' stroke-dasharray="4 3"' : '';
  const double = item.kind === 'folded' ? `<rect x="${n(boxX + 4)}" y="4" width="${n(boxWidth)}" height="${n(height)}" rx="5" fill="${palette.nodeFill}" stroke="${stroke}" stroke-width="1"/>` : '';
  parts.push(double);
  parts.push(`<rect class="box" x="${n(boxX)}" y="0" width="${n(boxWidth)}" height="${n(height)}" rx="5" fill="${heat ? mix(palette.nodeFill, heat, 0.55) : palette.nodeFill}" stroke="${stroke}" stroke-width="${errors ? 2 : 1}"${dash}/>`);
  parts.push(`<rect class="stripe" x="${n(boxX + 1)}" y="1" width="4" height="${n(height - 2)}" rx="2" fill="${errors ? palette.error : familyColour(placed, palette)}"/>`);
  if (heat && barWidth > 0) parts.push(`<rect class="bar" x="${n((width - barWidth) / 2)}" y="${n(height + barGap)}" width="${n(barWidth)}" height="${barHeight}" rx="2" fill="${heat}"/>`);
  placed.lines.forEach((line, i) => {
    const y = paddingY + (i + 1) * lineHeight - 4;
    const spans = line.map((span) => `<tspan fill="${spanColour(span.role, palette)}"${span.role === 'type' ? ' font-weight="bold"' : ''}>${escapeXml(span.text)}</tspan>`).join('');
    parts.push(`<text x="${n(boxX + paddingX)}" y="${n(y)}" xml:space="preserve">${spans}</text>`);
  });
  parts.push('</g>');
  return parts.join('');
}

function arrowHead(points: readonly ElkPoint[]): string {
  const end = points[points.length - 1];
  const before = points[points.length - 2];
  if (!end || !before) return '';
  const dx = end.x - before.x;
  const dy = end.y - before.y;
  const length = Math.hypot(dx, dy) || 1;
  const ux = dx / length;
  const uy = dy / length;
  const size = 7;
  const baseX = end.x - ux * size;
  const baseY = end.y - uy * size;
  const corner = (sign: number) => `${n(baseX - uy * size * 0.5 * sign)},${n(baseY + ux * size * 0.5 * sign)}`;
  return `${n(end.x)},${n(end.y)} ${corner(1)} ${corner(-1)}`;
}

/** A polyline with rounded corners, ending short of the arrowhead's tip. */
function pathOf(points: readonly ElkPoint[]): string {
  const radius = 6;
  const parts: string[] = [];
  points.forEach((p, i) => {
    if (i === 0) {
      parts.push(`M${n(p.x)} ${n(p.y)}`);
      return;
    }
    const previous = points[i - 1] ?? p;
    const next = points[i + 1];
    if (!next) {
      parts.push(`L${n(p.x)} ${n(p.y)}`);
      return;
    }
    const inLength = Math.hypot(p.x - previous.x, p.y - previous.y);
    const outLength = Math.hypot(next.x - p.x, next.y - p.y);
    const r = Math.min(radius, inLength / 2, outLength / 2);
    if (r < 0.5) {
      parts.push(`L${n(p.x)} ${n(p.y)}`);
      return;
    }
    const ax = p.x - ((p.x - previous.x) / inLength) * r;
    const ay = p.y - ((p.y - previous.y) / inLength) * r;
    const bx = p.x + ((next.x - p.x) / outLength) * r;
    const by = p.y + ((next.y - p.y) / outLength) * r;
    parts.push(`L${n(ax)} ${n(ay)} Q${n(p.x)} ${n(p.y)} ${n(bx)} ${n(by)}`);
  });
  return parts.join(' ');
}

export function edgeSvg(placed: PlacedEdge, palette: GraphPalette): string {
  const { edge, points } = placed;
  if (points.length < 2) return '';
  const width = edge.count > 1 ? 2.25 : 1.25;
  const label = edge.count > 1 ? `<title>${edge.count} connections</title>` : '';
  return `<g class="edge" data-id="${escapeXml(edge.id)}" data-source="${escapeXml(edge.source)}" data-target="${escapeXml(edge.target)}" data-count="${edge.count}">${label}<path d="${pathOf(points)}" fill="none" stroke="${palette.edge}" stroke-width="${width}"/><polygon points="${arrowHead(points)}" fill="${palette.edge}"/></g>`;
}

export function frameHeadingText(frame: PlacedFrame): string {
  const g = frame.frame.group;
  return `repeat ×${g.count} · ${g.types.length} layer${g.types.length === 1 ? '' : 's'} each · ${withCommas(g.params)} params`;
}

/** A `repeat` frame; `foldable` (the view) marks its heading as the control that folds it. */
export function frameSvg(placed: PlacedFrame, palette: GraphPalette, foldable = false): string {
  const g = placed.frame.group;
  const room = Math.max(8, Math.floor((placed.width - 2 * paddingX) / charWidth));
  const heading = `${foldable ? '▾ ' : ''}${frameHeadingText(placed)}`;
  const text = heading.length > room ? `${heading.slice(0, room - 1)}…` : heading;
  return (
    `<g class="frame" data-group="${escapeXml(g.id)}" transform="translate(${n(placed.x)},${n(placed.y)})">` +
    `<rect width="${n(placed.width)}" height="${n(placed.height)}" rx="8" fill="${palette.frameFill}" stroke="${palette.frameStroke}" stroke-dasharray="5 3"/>` +
    `<text class="frame-heading" x="${paddingX}" y="18" fill="${palette.muted}" xml:space="preserve">${escapeXml(text)}</text></g>`
  );
}

export interface TotalsBox {
  readonly svg: string;
  readonly width: number;
  readonly height: number;
}

/** The model's totals, for a corner of the drawing. */
export function totalsSvg(graph: ModelGraph, palette: GraphPalette, x = 12, y = 12): TotalsBox {
  const lines = totalsLines(graph);
  const width = Math.ceil(Math.max(...lines.map((l) => l.length)) * charWidth + 2 * paddingX);
  const height = lines.length * lineHeight + 2 * paddingY;
  const text = lines
    .map((line, i) => {
      const colour = i === 0 ? palette.foreground : i === 3 ? palette.error : palette.muted;
      return `<text x="${paddingX}" y="${paddingY + (i + 1) * lineHeight - 4}" fill="${colour}"${i === 0 ? ' font-weight="bold"' : ''} xml:space="preserve">${escapeXml(line)}</text>`;
    })
    .join('');
  return { svg: `<g class="totals" transform="translate(${x},${y})"><rect width="${width}" height="${height}" rx="5" fill="${palette.nodeFill}" stroke="${palette.nodeStroke}"/>${text}</g>`, width, height };
}

/** A standalone SVG document of the whole graph: background, totals in the top left corner, then frames, edges and boxes. */
export function graphSvg(graph: ModelGraph, layout: GraphLayout, palette: GraphPalette): string {
  const margin = 12;
  const totals = totalsSvg(graph, palette, margin, margin);
  const top = margin + totals.height + 8;
  const width = Math.ceil(Math.max(layout.width, totals.width + 2 * margin));
  const height = Math.ceil(top + layout.height + margin);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(palette.fontFamily)}" font-size="${fontSize}">`,
    `<title>${escapeXml(`${graph.model}: ${totalsLines(graph).slice(1).join(', ')}`)}</title>`,
    `<rect width="${width}" height="${height}" fill="${palette.background}"/>`,
    totals.svg,
    `<g class="graph" transform="translate(0,${top})">`,
    `<g class="frames">${layout.frames.map((f) => frameSvg(f, palette)).join('')}</g>`,
    `<g class="edges">${layout.edges.map((e) => edgeSvg(e, palette)).join('')}</g>`,
    `<g class="nodes">${layout.items.map((i) => itemSvg(i, palette)).join('')}</g>`,
    '</g>',
    '</svg>',
  ].join('\n');
}
