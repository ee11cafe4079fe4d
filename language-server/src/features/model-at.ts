import type { FileAnalysis, ModelAnalysis } from '../analysis/analyze-file.js';
import { searchRangeOf } from './model-summary.js';

/** The model whose declaration contains `offset`, or the model named by the `train`/`tune` block there. */
export function modelAt(analysis: FileAnalysis, offset: number): ModelAnalysis | undefined {
  const inside = analysis.models.find((m) => m.declaration.range.start <= offset && offset <= m.declaration.range.end);
  if (inside) return inside;
  for (const block of [...analysis.trainings, ...analysis.tunes]) {
    const d = block.declaration;
    if (d.range.start <= offset && offset <= d.range.end) return block.models[0];
  }
  return undefined;
}

/** Plain totals for status bars and other front ends. */
export interface ModelTotalsSummary {
  readonly name: string;
  readonly params: number;
  readonly trainable: number;
  readonly nonTrainable: number;
  readonly flops: number | null;
  readonly weightBytes: number;
  readonly complete: boolean;
  readonly searchSpace?: { readonly min: number; readonly max: number };
}

export function modelTotals(model: ModelAnalysis, analysis?: FileAnalysis): ModelTotalsSummary | undefined {
  const e = model.evaluated;
  if (!e) return undefined;
  const space = analysis ? searchRangeOf(analysis, model) : undefined;
  return {
    name: model.name,
    params: e.totals.params,
    trainable: e.totals.trainable,
    nonTrainable: e.totals.nonTrainable,
    flops: e.totals.macs === null ? null : 2 * e.totals.macs,
    weightBytes: e.totals.weightBytes,
    complete: e.complete,
    ...(space ? { searchSpace: { min: space.min.total, max: space.max.total } } : {}),
  };
}
