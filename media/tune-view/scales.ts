import type { PointValue } from '../../language-server/src/protocol/views.js';
import { linearTicks, logTicks, tickLabel } from '../view/ticks.js';
import type { SpaceAxis } from './search-space.js';

/**
 * How the values of one searched parameter (or the objective) map to a position
 * along an axis. With the search space: as the parameter was searched (a `log`
 * range on a log axis over the whole range, an integer range with whole-number
 * ticks, choices in their written order). Without it, from the values alone:
 * numbers linearly, or logarithmically when they span more than two decades,
 * with whole-number ticks when every value is one; booleans and names as evenly
 * spaced categories.
 */
export type Scale =
  | { readonly kind: 'linear'; readonly min: number; readonly max: number; readonly integer?: boolean }
  | { readonly kind: 'log'; readonly min: number; readonly max: number; readonly integer?: boolean }
  | { readonly kind: 'category'; readonly values: readonly PointValue[] };

export interface Tick {
  /** 0 at the axis' start, 1 at its end. */
  readonly at: number;
  readonly label: string;
}

/** More than two decades between the smallest and the largest positive value. */
const logSpan = 100;

function categoryOrder(a: PointValue, b: PointValue): number {
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return String(a).localeCompare(String(b));
}

/** A linear scale over min..max, widened around a single value. */
function linear(min: number, max: number, integer: boolean): Scale {
  if (min === max) {
    const pad = integer ? 1 : Math.abs(min) / 10 || 1;
    min -= pad;
    max += pad;
  }
  return integer ? { kind: 'linear', min, max, integer } : { kind: 'linear', min, max };
}

/** The scale of a parameter's values; `axis`, when the host described the search space, says how it was searched. */
export function scaleOf(values: readonly PointValue[], axis?: SpaceAxis): Scale {
  const numbers = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const allNumbers = numbers.length === values.length;
  if (axis?.kind === 'range' && allNumbers) {
    // The searched range, stretched over any value outside it (a search resumed with another range).
    const min = Math.min(axis.low, ...numbers);
    const max = Math.max(axis.high, ...numbers);
    const integer = axis.integer && numbers.every((v) => Number.isInteger(v));
    if (axis.log && min > 0 && max > min) return integer ? { kind: 'log', min, max, integer } : { kind: 'log', min, max };
    return linear(min, max, integer);
  }
  if (axis?.kind === 'choice') {
    const extra = [...new Set(values)].filter((v) => !axis.choices.includes(v)).sort(categoryOrder);
    return { kind: 'category', values: [...new Set(axis.choices), ...extra] };
  }
  if (values.length > 0 && allNumbers) {
    const min = Math.min(...numbers);
    const max = Math.max(...numbers);
    const integer = numbers.every((v) => Number.isInteger(v));
    if (min > 0 && max / min > logSpan) return integer ? { kind: 'log', min, max, integer } : { kind: 'log', min, max };
    return linear(min, max, integer);
  }
  const distinct = [...new Set(values)].sort(categoryOrder);
  return { kind: 'category', values: distinct };
}

/** Where a value sits on the scale (0..1), or undefined when it is not on it. */
export function positionOf(scale: Scale, value: PointValue | undefined): number | undefined {
  if (value === undefined) return undefined;
  switch (scale.kind) {
    case 'linear':
      return typeof value === 'number' && Number.isFinite(value) ? (value - scale.min) / (scale.max - scale.min) : undefined;
    case 'log':
      return typeof value === 'number' && value > 0 ? (Math.log(value) - Math.log(scale.min)) / (Math.log(scale.max) - Math.log(scale.min)) : undefined;
    case 'category': {
      const index = scale.values.indexOf(value);
      return index < 0 ? undefined : (index + 0.5) / scale.values.length;
    }
  }
}

export function ticksOf(scale: Scale, count = 5): Tick[] {
  switch (scale.kind) {
    case 'linear':
      return linearTicks(scale.min, scale.max, count, scale.integer === true).map((v) => ({ at: positionOf(scale, v) ?? 0, label: tickLabel(v) }));
    case 'log': {
      let values = logTicks(scale.min, scale.max);
      if (scale.integer) values = values.filter((v) => Number.isInteger(v));
      // Too many for the room: keep the powers of ten when there are two or more.
      const powers = values.filter((v) => Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9);
      if (values.length > count && powers.length >= 2) values = powers;
      if (values.length < 2) values = [scale.min, scale.max];
      return values.map((v) => ({ at: positionOf(scale, v) ?? 0, label: tickLabel(v) }));
    }
    case 'category':
      return scale.values.map((v) => ({ at: positionOf(scale, v) ?? 0, label: String(v) }));
  }
}

export function describeScale(scale: Scale): string {
  const kind = scale.kind === 'log' ? 'logarithmic' : scale.kind === 'linear' ? 'linear' : 'categories';
  return scale.kind !== 'category' && scale.integer ? `${kind}, whole numbers` : kind;
}

/** A parameter value as the table and the charts print it. */
export function formatValue(value: PointValue | undefined): string {
  if (value === undefined) return '–';
  if (typeof value !== 'number') return String(value);
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e6) ? value.toExponential(2) : String(Number(value.toPrecision(4)));
}
