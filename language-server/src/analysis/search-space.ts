import type { SearchParameter } from '../syntax/ast.js';
import { trainSettings } from '../catalog/training.js';
import { didYouMean, suggest } from './did-you-mean.js';
import { DiagnosticSink } from './diagnostics.js';
import { evaluate } from './expressions.js';
import type { EvaluatedModel } from './model-types.js';
import { describeKind, formatValue, type Value } from '../catalog/values.js';

export interface SearchDimension {
  readonly name: string;
  readonly parameter: SearchParameter;
  /** The points of this axis that the editor evaluates: every value for small axes, else representative ones. */
  readonly values: readonly Value[];
  /** Total number of distinct values, or Infinity for continuous ranges. */
  readonly size: number;
  readonly target: 'model' | 'training';
}

export interface SpacePoint {
  readonly total: number;
  readonly at: Readonly<Record<string, Value>>;
}

export interface SearchSpaceRange {
  readonly min: SpacePoint;
  readonly max: SpacePoint;
  readonly evaluatedPoints: number;
  readonly invalidPoints: number;
  readonly firstInvalid?: { readonly at: Readonly<Record<string, Value>>; readonly message: string };
}

const noBindings = new Map<string, Value>();
/** Enough to enumerate every point of typical spaces, few enough to stay instant while typing. */
const maxPoints = 2048;
const maxAxisValues = 64;

/** Values of one search axis; reports malformed ranges. */
export function searchDimension(parameter: SearchParameter, modelParameters: ReadonlySet<string>, sink: DiagnosticSink): SearchDimension | undefined {
  const name = parameter.name.name;
  const settingNames = trainSettings.map((s) => s.name);
  const target = modelParameters.has(name) ? 'model' : settingNames.includes(name) ? 'training' : undefined;
  if (!target) {
    const candidates = [...modelParameters, ...settingNames];
    sink.error('search-space', `\`${name}\` is neither a parameter of the model nor a training setting${didYouMean(name, candidates)}`, parameter.name.range, { replacements: suggest(name, candidates) });
    return undefined;
  }
  const domain = parameter.domain;
  if (domain.kind === 'choice') {
    const values = domain.values.map((v) => evaluate(v, noBindings, sink));
    if (values.length === 0) {
      sink.error('search-space', `\`${name} in []\` has no choices; list at least one`, domain.range);
      return undefined;
    }
    return { name, parameter, values, size: values.length, target };
  }
  const low = evaluate(domain.low, noBindings, sink);
  const high = evaluate(domain.high, noBindings, sink);
  const step = domain.step ? evaluate(domain.step, noBindings, sink) : undefined;
  if (low.kind !== 'number' || high.kind !== 'number') {
    if (low.kind !== 'error' && high.kind !== 'error') sink.error('search-space', `a range needs numbers at both ends, got ${describeKind(low.kind !== 'number' ? low : high)}`, domain.range);
    return undefined;
  }
  if (high.value < low.value) {
    sink.error('search-space', `the range ${formatValue(low)}..${formatValue(high)} is empty: the upper end is below the lower`, domain.range);
    return undefined;
  }
  if (step && (step.kind !== 'number' || step.value <= 0)) {
    sink.error('search-space', `\`step\` must be a positive number, got ${describeKind(step)}`, domain.step?.range ?? domain.range);
    return undefined;
  }
  if (domain.log && low.value <= 0) {
    sink.error('search-space', `a \`log\` range must start above 0, got ${formatValue(low)}`, domain.range);
    return undefined;
  }
  const integral = Number.isInteger(low.value) && Number.isInteger(high.value) && (!step || (step.kind === 'number' && Number.isInteger(step.value)));
  const stepValue = step?.kind === 'number' ? step.value : integral && !domain.log ? 1 : undefined;
  if (stepValue === undefined) {
    const mid = domain.log ? Math.sqrt(low.value * high.value) : (low.value + high.value) / 2;
    return { name, parameter, values: [low.value, mid, high.value].map(num), size: Infinity, target };
  }
  const count = Math.floor((high.value - low.value) / stepValue + 1e-9) + 1;
  const at = (i: number) => num(roundTo(low.value + i * stepValue, stepValue));
  if (count <= maxAxisValues) return { name, parameter, values: Array.from({ length: count }, (_, i) => at(i)), size: count, target };
  return { name, parameter, values: [at(0), at(Math.floor((count - 1) / 2)), at(count - 1)], size: count, target };
}

function num(value: number): Value {
  return { kind: 'number', value };
}

/** Removes float noise such as 0.30000000000000004 from stepped values. */
function roundTo(value: number, step: number): number {
  const decimals = Math.min(12, Math.max(0, -Math.floor(Math.log10(Math.abs(step) || 1)) + 2));
  return Number(value.toFixed(decimals));
}

/**
 * The smallest and largest total parameter count over a search space. Axes that
 * leave the total unchanged (dropout, slopes) are found first and held fixed, so
 * only the axes that shape the network are enumerated.
 */
export function searchSpaceRange(
  dimensions: readonly SearchDimension[],
  defaults: ReadonlyMap<string, Value>,
  evaluateAt: (bindings: ReadonlyMap<string, Value>, sink: DiagnosticSink) => EvaluatedModel,
): SearchSpaceRange | undefined {
  const modelAxes = dimensions.filter((d) => d.target === 'model');
  const base = new Map(defaults);
  for (const axis of modelAxes) base.set(axis.name, axis.values[0] ?? { kind: 'none' });
  const totalAt = (bindings: ReadonlyMap<string, Value>): { total?: number; message?: string } => {
    const sink = new DiagnosticSink();
    const model = evaluateAt(bindings, sink);
    const firstError = sink.items.find((d) => d.severity === 'error');
    if (firstError || !model.complete) return { message: firstError?.message ?? 'the model is incomplete' };
    return { total: model.totals.params };
  };

  const relevant = modelAxes.filter((axis) => {
    const seen = new Set<number | string>();
    for (const value of axis.values) {
      const bindings = new Map(base);
      bindings.set(axis.name, value);
      const result = totalAt(bindings);
      seen.add(result.total ?? 'invalid');
      if (seen.size > 1) return true;
    }
    return false;
  });

  let axes = relevant.map((a) => a.values);
  const product = () => axes.reduce((p, values) => p * values.length, 1);
  if (product() > maxPoints) axes = axes.map((values) => (values.length > 3 ? [values[0], values[Math.floor(values.length / 2)], values[values.length - 1]].filter((v): v is Value => v !== undefined) : values));
  let min: SpacePoint | undefined;
  let max: SpacePoint | undefined;
  let evaluatedPoints = 0;
  let invalidPoints = 0;
  let firstInvalid: SearchSpaceRange['firstInvalid'];
  const indices = new Array<number>(axes.length).fill(0);
  for (;;) {
    const bindings = new Map(base);
    const at: Record<string, Value> = {};
    relevant.forEach((axis, k) => {
      const value = axes[k]?.[indices[k] ?? 0] ?? { kind: 'none' };
      bindings.set(axis.name, value);
      at[axis.name] = value;
    });
    const result = totalAt(bindings);
    evaluatedPoints++;
    if (result.total === undefined) {
      invalidPoints++;
      firstInvalid ??= { at, message: result.message ?? '' };
    } else {
      if (!min || result.total < min.total) min = { total: result.total, at };
      if (!max || result.total > max.total) max = { total: result.total, at };
    }
    let k = axes.length - 1;
    while (k >= 0) {
      indices[k] = (indices[k] ?? 0) + 1;
      if ((indices[k] ?? 0) < (axes[k]?.length ?? 0)) break;
      indices[k] = 0;
      k--;
    }
    if (k < 0) break;
  }
  if (!min || !max) return firstInvalid ? { min: { total: 0, at: {} }, max: { total: 0, at: {} }, evaluatedPoints, invalidPoints, firstInvalid } : undefined;
  return { min, max, evaluatedPoints, invalidPoints, ...(firstInvalid ? { firstInvalid } : {}) };
}
