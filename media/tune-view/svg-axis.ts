import type { PointValue } from '../../language-server/src/protocol/views.js';
import { svg } from '../view/dom.js';
import { describeScale, positionOf, ticksOf, type Scale } from './scales.js';

/** A straight axis in plot coordinates: from `start` (position 0) to `end` (position 1). */
export interface AxisLine {
  readonly start: { readonly x: number; readonly y: number };
  readonly end: { readonly x: number; readonly y: number };
}

const round = (v: number): number => Math.round(v * 10) / 10;

/** Where a value lies on the axis line, or undefined when the scale cannot place it. */
export function placeOn(line: AxisLine, scale: Scale, value: PointValue | undefined): { x: number; y: number } | undefined {
  const p = positionOf(scale, value);
  if (p === undefined || !Number.isFinite(p)) return undefined;
  return { x: round(line.start.x + (line.end.x - line.start.x) * p), y: round(line.start.y + (line.end.y - line.start.y) * p) };
}

/** The axis' line, ticks and tick labels; a vertical axis labels to its left, a horizontal one below. */
export function axisElement(name: string, scale: Scale, line: AxisLine, tickCount = 5): SVGGElement {
  const vertical = line.start.x === line.end.x;
  const group = svg('g', { class: 'axis', 'data-axis': name, 'data-scale': scale.kind });
  group.append(svg('line', { class: 'axis-line', x1: line.start.x, y1: line.start.y, x2: line.end.x, y2: line.end.y }));
  for (const tick of ticksOf(scale, tickCount)) {
    const at = placeOn(line, { kind: 'linear', min: 0, max: 1 }, tick.at);
    if (!at) continue;
    if (vertical) {
      group.append(svg('line', { class: 'tick', x1: at.x - 4, y1: at.y, x2: at.x, y2: at.y }));
      group.append(svg('text', { class: 'tick-label', x: at.x - 6, y: at.y + 3.5, 'text-anchor': 'end' }, [tick.label]));
    } else {
      group.append(svg('line', { class: 'tick', x1: at.x, y1: at.y, x2: at.x, y2: at.y + 4 }));
      group.append(svg('text', { class: 'tick-label', x: at.x, y: at.y + 15, 'text-anchor': 'middle' }, [tick.label]));
    }
  }
  group.append(svg('title', {}, [`${name}: ${describeScale(scale)} axis`]));
  return group;
}
