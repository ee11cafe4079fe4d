import type { FileAnalysis, ModelAnalysis } from '../analysis/analyze-file.js';
import type { Diagnostic } from '../analysis/diagnostics.js';
import { formatValue, type Value } from '../catalog/values.js';
import type { LineIndex } from '../text/line-index.js';
import { shapeOf, sourceName } from '../analysis/tensor-source.js';

/** The CLI's `--json` contract, read by tests and other tools. */
export interface SummaryJson {
  readonly file: string;
  readonly models: readonly ModelJson[];
  readonly diagnostics: readonly DiagnosticJson[];
}

export interface LayerJson {
  readonly label: string | null;
  readonly name: string;
  readonly type: string;
  readonly line: number;
  readonly output_shape: readonly (number | null)[];
  /** Every output's shape, for a layer with several (`return_state=true`); absent otherwise. */
  readonly output_shapes?: readonly (readonly (number | null)[])[];
  readonly params: number;
  readonly trainable_params: number;
  readonly non_trainable_params: number;
  readonly macs: number | null;
  readonly repetition: readonly number[] | null;
}

export interface ModelJson {
  readonly name: string;
  readonly line: number;
  readonly variant_of: string | null;
  readonly parameters: Readonly<Record<string, string>>;
  /** The first input's shape, and the first output's. */
  readonly input_shape: readonly (number | null)[] | null;
  readonly output_shape: readonly (number | null)[] | null;
  /** Every input in Keras's order (statement order): its name (label) and shape. */
  readonly inputs: readonly { readonly name: string; readonly shape: readonly (number | null)[] }[];
  /** Every output in order: the layer (or input) it comes from, which of its outputs (0 but for a layer's states), its shape. */
  readonly outputs: readonly { readonly name: string; readonly index: number; readonly shape: readonly (number | null)[] }[];
  readonly total_params: number;
  readonly trainable_params: number;
  readonly non_trainable_params: number;
  readonly macs: number | null;
  readonly flops: number | null;
  readonly weight_bytes: number;
  readonly complete: boolean;
  readonly layers: readonly LayerJson[];
  readonly search_space?: {
    readonly min: { readonly total: number; readonly at: Readonly<Record<string, number | string | boolean | null>> };
    readonly max: { readonly total: number; readonly at: Readonly<Record<string, number | string | boolean | null>> };
    readonly evaluated_points: number;
    readonly invalid_points: number;
  };
}

export interface DiagnosticJson {
  readonly severity: string;
  readonly code: string;
  readonly line: number;
  readonly column: number;
  readonly end_line: number;
  readonly end_column: number;
  readonly message: string;
}

function plain(value: Value): number | string | boolean | null {
  if (value.kind === 'number') return value.value;
  if (value.kind === 'bool') return value.value;
  if (value.kind === 'string') return value.value;
  if (value.kind === 'symbol') return value.name;
  if (value.kind === 'none') return null;
  return formatValue(value);
}

export function diagnosticJson(d: Diagnostic, lines: LineIndex): DiagnosticJson {
  const start = lines.positionAt(d.range.start);
  const end = lines.positionAt(d.range.end);
  return { severity: d.severity, code: d.code, line: start.line + 1, column: start.character + 1, end_line: end.line + 1, end_column: end.character + 1, message: d.message };
}

function modelJson(model: ModelAnalysis, analysis: FileAnalysis): ModelJson {
  const e = model.evaluated;
  const lineOf = (offset: number) => analysis.lines.positionAt(offset).line + 1;
  const range = [...analysis.tunes].map((t) => t.ranges.get(model.name)).find((r) => r !== undefined);
  const parameters: Record<string, string> = {};
  for (const [k, v] of e?.parameters ?? []) parameters[k] = formatValue(v);
  const toPlain = (at: Readonly<Record<string, Value>>) => Object.fromEntries(Object.entries(at).map(([k, v]) => [k, plain(v)]));
  return {
    name: model.name,
    line: lineOf(model.declaration.name.range.start),
    variant_of: model.variantOf ?? null,
    parameters,
    input_shape: e?.input && e.input.shape.length > 0 ? e.input.shape : null,
    output_shape: e?.output ? e.output.outputShape : null,
    inputs: (e?.inputs ?? []).map((i) => ({ name: i.name, shape: i.shape })),
    outputs: (e?.outputs ?? []).map((o) => ({ name: sourceName(o), index: o.kind === 'layer' ? o.index : 0, shape: shapeOf(o) })),
    total_params: e?.totals.params ?? 0,
    trainable_params: e?.totals.trainable ?? 0,
    non_trainable_params: e?.totals.nonTrainable ?? 0,
    macs: e?.totals.macs ?? null,
    flops: e?.totals.macs === null || e?.totals.macs === undefined ? null : 2 * e.totals.macs,
    weight_bytes: e?.totals.weightBytes ?? 0,
    complete: e?.complete ?? false,
    layers: (e?.layers ?? []).filter((l) => !e?.discarded.has(l)).map((l) => ({
      label: l.label ?? null,
      name: l.name,
      type: l.spec.name,
      line: lineOf(l.statement.call.callee.range.start),
      output_shape: l.outputShape,
      ...(l.outputShapes ? { output_shapes: l.outputShapes } : {}),
      params: l.params,
      trainable_params: l.trainableParams,
      non_trainable_params: l.nonTrainableParams,
      macs: l.macs,
      repetition: l.repetitions.length ? l.repetitions.map((r) => r.index) : null,
    })),
    ...(range && range.evaluatedPoints > range.invalidPoints
      ? {
          search_space: {
            min: { total: range.min.total, at: toPlain(range.min.at) },
            max: { total: range.max.total, at: toPlain(range.max.at) },
            evaluated_points: range.evaluatedPoints,
            invalid_points: range.invalidPoints,
          },
        }
      : {}),
  };
}

export function summaryJson(file: string, analysis: FileAnalysis, only?: string): SummaryJson {
  const models = analysis.models.filter((m) => only === undefined || m.name === only);
  return {
    file,
    models: models.map((m) => modelJson(m, analysis)),
    diagnostics: [...analysis.diagnostics].sort((a, b) => a.range.start - b.range.start).map((d) => diagnosticJson(d, analysis.lines)),
  };
}
