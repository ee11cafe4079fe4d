import type { SearchDimension } from '../analysis/search-space.js';
import { DiagnosticSink } from '../analysis/diagnostics.js';
import { evaluate } from '../analysis/expressions.js';
import type { Value } from '../catalog/values.js';
import { seededRandom } from '../common/random.js';

/** One value of a search axis as it is stored and shown: `relu` and `'relu'` both become the text relu. */
export type PointValue = number | boolean | string;
/** A configuration of the search: axis name → value. */
export type Point = Readonly<Record<string, PointValue>>;

/** A search axis with what sampling and enumeration need, taken from the analysis' SearchDimension. */
export type Axis =
  | { readonly kind: 'choice'; readonly name: string; readonly target: 'model' | 'training'; readonly line: number; readonly choices: readonly Value[] }
  | {
      readonly kind: 'range';
      readonly name: string;
      readonly target: 'model' | 'training';
      readonly line: number;
      readonly low: number;
      readonly high: number;
      /** The grid low + k·step; undefined for a continuous range. */
      readonly step?: number;
      readonly log: boolean;
      /** Integer ends (and step): values are whole numbers. */
      readonly integer: boolean;
    };

/** The search space cannot be used as asked (e.g. a grid over a continuous range). */
export class SpaceError extends Error {}

const noBindings = new Map<string, Value>();

function numberOf(value: Value): number | undefined {
  return value.kind === 'number' ? value.value : undefined;
}

/** `lineOf(offset)` gives 1-based lines for messages. */
export function axesOf(dimensions: readonly SearchDimension[], lineOf: (offset: number) => number): Axis[] {
  return dimensions.map((dimension): Axis => {
    const domain = dimension.parameter.domain;
    const base = { name: dimension.name, target: dimension.target, line: lineOf(dimension.parameter.range.start) };
    if (domain.kind === 'choice') return { kind: 'choice', ...base, choices: dimension.values };
    // The analysis checked the domain; evaluating the ends again cannot fail here.
    const sink = new DiagnosticSink();
    const low = numberOf(evaluate(domain.low, noBindings, sink)) ?? 0;
    const high = numberOf(evaluate(domain.high, noBindings, sink)) ?? low;
    const stepValue = domain.step ? numberOf(evaluate(domain.step, noBindings, sink)) : undefined;
    const integer = Number.isInteger(low) && Number.isInteger(high) && (stepValue === undefined || Number.isInteger(stepValue));
    // As the analysis does: an integer range without `log` steps by 1.
    const step = stepValue ?? (integer && !domain.log ? 1 : undefined);
    return { kind: 'range', ...base, low, high, ...(step !== undefined ? { step } : {}), log: domain.log, integer };
  });
}

export function pointValueOf(value: Value): PointValue {
  switch (value.kind) {
    case 'number':
    case 'bool':
    case 'string':
      return value.value;
    case 'symbol':
      return value.name;
    default:
      return String(value.kind);
  }
}

/** Back from a stored value to the analysis' Value: a choice keeps its kind (symbol or string). */
export function valueOf(axis: Axis, value: PointValue): Value {
  if (axis.kind === 'choice') {
    const match = axis.choices.find((choice) => pointValueOf(choice) === value);
    if (match) return match;
  }
  if (typeof value === 'number') return { kind: 'number', value };
  if (typeof value === 'boolean') return { kind: 'bool', value };
  return { kind: 'symbol', name: value };
}

/** Removes float noise such as 0.30000000000000004 from stepped values (as the analysis does). */
function roundToStep(value: number, step: number): number {
  const decimals = Math.min(12, Math.max(0, -Math.floor(Math.log10(Math.abs(step) || 1)) + 2));
  return Number(value.toFixed(decimals));
}

function gridSize(axis: Extract<Axis, { kind: 'range' }>, step: number): number {
  return Math.floor((axis.high - axis.low) / step + 1e-9) + 1;
}

function gridValue(axis: Extract<Axis, { kind: 'range' }>, step: number, index: number): number {
  return roundToStep(axis.low + index * step, step);
}

/** One axis value from a uniform draw in [0, 1), as Keras Tuner's `prob_to_value`. */
export function valueAt(axis: Axis, probability: number): PointValue {
  if (axis.kind === 'choice') {
    const choice = axis.choices[Math.min(axis.choices.length - 1, Math.floor(probability * axis.choices.length))];
    return choice ? pointValueOf(choice) : '';
  }
  const { low, high, step } = axis;
  if (axis.log) {
    const continuous = Math.exp(Math.log(low) + probability * (Math.log(high) - Math.log(low)));
    if (step !== undefined) {
      const index = Math.min(gridSize(axis, step) - 1, Math.max(0, Math.round((continuous - low) / step)));
      return gridValue(axis, step, index);
    }
    return axis.integer ? Math.min(high, Math.max(low, Math.round(continuous))) : continuous;
  }
  if (step !== undefined) {
    const count = gridSize(axis, step);
    return gridValue(axis, step, Math.min(count - 1, Math.floor(probability * count)));
  }
  return low + probability * (high - low);
}

/**
 * A random point, as Keras Tuner's `_random_values`: each axis draws from its
 * own generator seeded with the running seed state, which then advances by one.
 */
export function randomPoint(axes: readonly Axis[], seedState: number): { point: Point; seedState: number } {
  const point: Record<string, PointValue> = {};
  let state = seedState;
  for (const axis of axes) {
    point[axis.name] = valueAt(axis, seededRandom(state)());
    state++;
  }
  return { point, seedState: state };
}

/** Identity of a point for duplicate detection (Keras Tuner hashes the sorted `name=value` pairs). */
export function pointKey(point: Point): string {
  return Object.keys(point)
    .sort()
    .map((name) => `${name}=${String(point[name])}`)
    .join(',');
}

/** The step of a range for a grid search; a continuous range has none, and GridSearch refuses it. */
function gridStep(axis: Extract<Axis, { kind: 'range' }>): number {
  if (axis.step === undefined) {
    throw new SpaceError(`line ${axis.line}: GridSearch needs every range to be a finite grid, but \`${axis.name} in ${axis.low}..${axis.high}${axis.log ? ' log' : ''}\` is continuous; add a step, e.g. \`step ${niceStep(axis.low, axis.high)}\`, or use RandomSearch or Hyperband`);
  }
  return axis.step;
}

/** How many values an axis has in a grid search, counted, not listed (`u in 1..1e15 step 1` is one number). */
export function gridAxisSize(axis: Axis): number {
  return axis.kind === 'choice' ? axis.choices.length : gridSize(axis, gridStep(axis));
}

/** The i-th value of an axis in a grid search. */
export function gridAxisValue(axis: Axis, index: number): PointValue {
  if (axis.kind === 'choice') {
    const choice = axis.choices[index];
    return choice ? pointValueOf(choice) : '';
  }
  return gridValue(axis, gridStep(axis), index);
}

/** The values of an axis for a grid search, in order; continuous ranges need a step. For display: it lists them all. */
export function gridValues(axis: Axis): PointValue[] {
  return Array.from({ length: gridAxisSize(axis) }, (_, i) => gridAxisValue(axis, i));
}

function niceStep(low: number, high: number): number {
  const span = Math.abs(high - low) / 10 || 1;
  return Number((10 ** Math.floor(Math.log10(span))).toPrecision(1));
}

/** Number of grid points (the product of the axis sizes). */
export function gridCount(axes: readonly Axis[]): number {
  return axes.reduce((count, axis) => count * gridAxisSize(axis), 1);
}

/**
 * The grid point at a position in GridSearch order: the last axis changes
 * fastest (Keras Tuner's GridSearchOracle bumps the last hyperparameter first).
 * Each value is computed from its index: no axis is built.
 */
export function gridPoint(axes: readonly Axis[], index: number): Point {
  const point: Record<string, PointValue> = {};
  let rest = index;
  for (let k = axes.length - 1; k >= 0; k--) {
    const axis = axes[k];
    if (!axis) continue;
    const size = gridAxisSize(axis);
    point[axis.name] = gridAxisValue(axis, rest % size);
    rest = Math.floor(rest / size);
  }
  // Keep the declared axis order in the object, for display.
  return Object.fromEntries(axes.map((axis) => [axis.name, point[axis.name] ?? '']));
}

/** The point split into model parameter values and training setting values. */
export function splitPoint(axes: readonly Axis[], point: Point): { model: Map<string, Value>; training: Map<string, Value> } {
  const model = new Map<string, Value>();
  const training = new Map<string, Value>();
  for (const axis of axes) {
    const value = point[axis.name];
    if (value === undefined) continue;
    (axis.target === 'model' ? model : training).set(axis.name, valueOf(axis, value));
  }
  return { model, training };
}

/** `units=208, bn=true` for progress lines. */
export function describePoint(point: Point): string {
  return Object.entries(point)
    .map(([name, value]) => `${name}=${typeof value === 'number' && !Number.isInteger(value) ? Number(value.toPrecision(4)) : String(value)}`)
    .join(', ');
}
