import type { PointValue } from '../../language-server/src/protocol/views.js';

/**
 * How one parameter was searched, as the host describes it next to a search
 * (the `space` of a `search` event or of a search summary): the runner's Axis
 * (tuning/space.ts) without its source position. A `log` range plots on a log
 * axis, an `integer` one gets whole-number ticks, and a choice lists its
 * choices in the order they were written.
 */
export type SpaceAxis =
  | { readonly kind: 'choice'; readonly name: string; readonly choices: readonly PointValue[] }
  | { readonly kind: 'range'; readonly name: string; readonly low: number; readonly high: number; readonly step?: number; readonly log: boolean; readonly integer: boolean };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** A choice as a point value: already one, or an analysis Value (`{ kind: 'symbol', name }`, `{ kind: 'number', value }`, …) as the runner's Axis holds it. */
function choiceValue(value: unknown): PointValue | undefined {
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') return value;
  if (!isObject(value)) return undefined;
  if (value['kind'] === 'symbol' && typeof value['name'] === 'string') return value['name'];
  const inner = value['value'];
  return typeof inner === 'number' || typeof inner === 'boolean' || typeof inner === 'string' ? inner : undefined;
}

function axisOf(value: unknown): SpaceAxis | undefined {
  if (!isObject(value) || typeof value['name'] !== 'string') return undefined;
  const name = value['name'];
  if (value['kind'] === 'choice') {
    if (!Array.isArray(value['choices'])) return undefined;
    const choices = value['choices'].map(choiceValue);
    return choices.every((c): c is PointValue => c !== undefined) ? { kind: 'choice', name, choices } : undefined;
  }
  if (value['kind'] !== 'range') return undefined;
  const { low, high, step } = value;
  if (!isFiniteNumber(low) || !isFiniteNumber(high) || high < low) return undefined;
  const log = value['log'] === true && low > 0;
  const integer = value['integer'] === true || (value['integer'] === undefined && Number.isInteger(low) && Number.isInteger(high) && (step === undefined || Number.isInteger(step)));
  return { kind: 'range', name, low, high, ...(isFiniteNumber(step) && step > 0 ? { step } : {}), log, integer };
}

/**
 * The search space a message carries in its `space` field (an array of axes),
 * by parameter name; undefined when it has none. Axes that do not make sense are
 * left out: their parameters are plotted from their values, as without a space.
 */
export function spaceOf(message: unknown): ReadonlyMap<string, SpaceAxis> | undefined {
  const space = isObject(message) ? message['space'] : undefined;
  if (!Array.isArray(space)) return undefined;
  const axes = new Map<string, SpaceAxis>();
  for (const entry of space) {
    const axis = axisOf(entry);
    if (axis) axes.set(axis.name, axis);
  }
  return axes;
}
