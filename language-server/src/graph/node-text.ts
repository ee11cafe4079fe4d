import { compact, compactShape, readableBytes, withCommas } from '../features/format.js';
import type { GraphGroup, GraphNode, ModelGraph } from '../features/model-graph.js';
import type { VisibleItem } from './visible.js';

/**
 * The text of each drawn box, and its size. Text is monospace so that the size is known
 * from the number of characters, alike in the CLI (no fonts to measure with) and the view.
 */

export type SpanRole = 'type' | 'name' | 'label' | 'detail' | 'figures' | 'error' | 'note';

export interface Span {
  readonly text: string;
  readonly role: SpanRole;
}

export type TextLine = readonly Span[];

export const fontSize = 12;
/** Advance of one character of a monospace font at `fontSize` (0.6 em, DejaVu Sans Mono, Menlo, Consolas). */
export const charWidth = 7.25;
export const lineHeight = 16;
export const paddingX = 10;
export const paddingY = 7;
export const minBoxWidth = 150;
/** Longest line a box shows; the rest is in its tooltip. */
export const maxLineChars = 46;

export function truncate(text: string, max = maxLineChars): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Fits spans into `maxLineChars`, shortening the last ones first. */
function fitted(spans: readonly Span[]): TextLine {
  const result: Span[] = [];
  let room = maxLineChars;
  for (const span of spans) {
    if (room <= 1) break;
    const text = truncate(span.text, room);
    result.push({ text, role: span.role });
    room -= text.length;
  }
  return result;
}

const plural = (n: number, word: string): string => `${withCommas(n)} ${word}${n === 1 ? '' : 's'}`;

/** `→ 26×26×32 · 320 params`: the output shape, as the editor's hints write it, and the parameters when there are any. */
function figures(shape: string, params: number): string {
  return params > 0 ? `→ ${shape} · ${plural(params, 'param')}` : `→ ${shape}`;
}

function nodeLines(node: GraphNode): TextLine[] {
  const title: Span[] = [{ text: node.type, role: 'type' }];
  if (node.kind !== 'pending' || node.labelled) title.push({ text: ` ${node.name}`, role: node.labelled ? 'label' : 'name' });
  const lines: TextLine[] = [fitted(title)];
  if (node.details.length) lines.push(fitted([{ text: node.details.join(' · '), role: 'detail' }]));
  if (node.kind === 'pending') lines.push(fitted([{ text: 'not analysed', role: 'note' }]));
  else lines.push(fitted([{ text: figures(node.shapeText || '?', node.params), role: 'figures' }]));
  const error = node.errors[0];
  if (error !== undefined) lines.push(fitted([{ text: `⚠ ${error}`, role: 'error' }]));
  else if (node.discarded) lines.push(fitted([{ text: 'unused: not in the model', role: 'note' }]));
  return lines;
}

/** `Conv2D ×3, ReLU`: the types of one repetition, runs of one type counted. */
export function typeRuns(types: readonly string[]): string {
  const runs: string[] = [];
  for (let i = 0; i < types.length; ) {
    let j = i;
    while (j < types.length && types[j] === types[i]) j++;
    runs.push(j - i > 1 ? `${types[i]} ×${j - i}` : (types[i] ?? ''));
    i = j;
  }
  return runs.join(', ');
}

function foldedLines(group: GraphGroup, last: GraphNode | undefined): TextLine[] {
  return [
    fitted([
      { text: `repeat ×${group.count}`, role: 'type' },
      { text: ` · ${plural(group.nodes.length, 'layer')}`, role: 'name' },
    ]),
    fitted([{ text: typeRuns(group.types), role: 'detail' }]),
    fitted([{ text: figures(last?.shape ? compactShape(last.shape) : '?', group.params), role: 'figures' }]),
  ];
}

/** The lines of a drawn item. */
export function itemLines(item: VisibleItem, nodesById: ReadonlyMap<string, GraphNode>): TextLine[] {
  if (item.kind === 'node') return nodeLines(item.node);
  const last = nodesById.get(item.group.nodes[item.group.nodes.length - 1] ?? '');
  return foldedLines(item.group, last);
}

/** The full text of an item, for its tooltip: every line unshortened, every error. */
export function itemTitle(item: VisibleItem, nodesById: ReadonlyMap<string, GraphNode>): string {
  if (item.kind === 'folded') {
    const g = item.group;
    const last = nodesById.get(g.nodes[g.nodes.length - 1] ?? '');
    return [`repeat ×${g.count} (${plural(g.nodes.length, 'layer')})`, typeRuns(g.types), figures(last?.shapeText || '?', g.params)].join('\n');
  }
  const n = item.node;
  const lines = [`${n.name} (${n.type})`];
  if (n.details.length) lines.push(n.details.join(' · '));
  lines.push(n.kind === 'pending' ? 'not analysed: an error above leaves its input unknown' : figures(n.shapeText || '?', n.params));
  if (n.repetition) lines.push(`repetition ${n.repetition}`);
  if (n.discarded) lines.push('unused: its output leads nowhere, so it is not part of the model');
  lines.push(...n.errors.map((e) => `error: ${e}`));
  return lines.join('\n');
}

export interface BoxSize {
  readonly width: number;
  readonly height: number;
}

export function boxSize(lines: readonly TextLine[]): BoxSize {
  const chars = Math.max(0, ...lines.map((line) => line.reduce((n, span) => n + span.text.length, 0)));
  return { width: Math.max(minBoxWidth, Math.ceil(chars * charWidth + 2 * paddingX)), height: lines.length * lineHeight + 2 * paddingY };
}

/** The lines of the totals box in a corner. */
export function totalsLines(graph: ModelGraph): string[] {
  const t = graph.totals;
  const lines = [graph.model, `${plural(t.params, 'param')}${t.nonTrainable ? ` (${withCommas(t.nonTrainable)} non-trainable)` : ''}`];
  const flops = t.macs === null ? undefined : `${compact(2 * t.macs)} FLOPs`;
  lines.push([plural(t.layers, 'layer'), flops, `${readableBytes(t.weightBytes)} weights`].filter(Boolean).join(' · '));
  if (!t.complete) lines.push(graph.errors.length ? `${plural(graph.errors.length, 'error')}: figures up to the first` : 'incomplete: see the errors');
  return lines;
}
