import type { FileAnalysis, ModelAnalysis } from '../analysis/analyze-file.js';
import type { ModelTotals } from '../analysis/model-types.js';
import type { Range } from '../syntax/ast.js';
import { compact, readableBytes, withCommas } from './format.js';
import { searchRangeOf } from './model-summary.js';

export interface CodeLens {
  readonly range: Range;
  readonly title: string;
  /** A command the editor runs when the lens is clicked; absent for information-only lenses. */
  readonly command?: { readonly id: string; readonly arguments: readonly unknown[] };
}

export const commands = {
  showSummary: 'layerlab.showSummary',
  showModelGraph: 'layerlab.showModelGraph',
  train: 'layerlab.train',
  tune: 'layerlab.tune',
} as const;

function errorsText(n: number): string {
  return `${n} error${n === 1 ? '' : 's'}`;
}

/** Parameters (non-trainable in brackets), FLOPs and weight memory of `totals`. */
function figures(t: ModelTotals): string {
  const parts = [`${withCommas(t.params)} params${t.nonTrainable ? ` (${withCommas(t.nonTrainable)} non-trainable)` : ''}`];
  if (t.macs !== null) parts.push(`${compact(2 * t.macs)} FLOPs`);
  parts.push(readableBytes(t.weightBytes));
  return parts.join(' · ');
}

/**
 * The figures lens of a model. With errors it never shows totals that look final: without any layer
 * analysed it says there are no figures; otherwise it marks the figures as partial (the layers up to the errors).
 */
function figuresTitle(analysis: FileAnalysis, model: ModelAnalysis): string {
  const declaration = model.declaration.range;
  const inModel = analysis.diagnostics.filter((d) => d.severity === 'error' && d.range.start >= declaration.start && d.range.end <= declaration.end).length;
  const e = model.evaluated;
  // A variant whose base has the errors: they are counted there.
  const errors = inModel > 0 ? errorsText(inModel) : model.variantOf ? `errors in \`${model.variantOf}\`` : 'errors';
  if (!e) return `${errors}: no figures`;
  if (e.complete && inModel === 0 && e.errorCount === 0) return figures(e.totals);
  const analysed = e.layers.filter((l) => !e.discarded.has(l)).length;
  if (analysed === 0) return `${errors}: no figures`;
  if (!e.complete) return `${errors} · partial, ${analysed} layer${analysed === 1 ? '' : 's'}: ${figures(e.totals)}`;
  // Every shape is known (a duplicate layer name, say), but Keras would still refuse the model.
  return `${figures(e.totals)} · ${errors}`;
}

export interface CodeLensOptions {
  /** The client may train (Train and Tune lenses). */
  readonly trainAvailable: boolean;
  /** The client shows model graphs (Layerlab's VS Code extension: the Graph lens). */
  readonly graphAvailable?: boolean;
}

/** Above each model: totals (non-trainable in brackets), FLOPs, weight memory; Summary, Graph and Train actions. */
export function codeLenses(analysis: FileAnalysis, uri: string, options: CodeLensOptions = { trainAvailable: false }): CodeLens[] {
  const lenses: CodeLens[] = [];
  for (const model of analysis.models) {
    const range = model.declaration.keyword;
    lenses.push({ range, title: figuresTitle(analysis, model) });
    const space = searchRangeOf(analysis, model);
    if (space) lenses.push({ range, title: `search space: ${withCommas(space.min.total)}–${withCommas(space.max.total)} params` });
    lenses.push({ range, title: 'Summary', command: { id: commands.showSummary, arguments: [uri, model.name] } });
    if (options.graphAvailable) lenses.push({ range, title: 'Graph', command: { id: commands.showModelGraph, arguments: [uri, model.name] } });
    if (options.trainAvailable) lenses.push({ range, title: 'Train', command: { id: commands.train, arguments: [uri, model.name] } });
  }
  for (const tune of analysis.tunes) {
    for (const model of tune.models) {
      const space = tune.ranges.get(model.name);
      if (!space || space.evaluatedPoints === space.invalidPoints) continue;
      lenses.push({ range: tune.declaration.keyword, title: `${model.name}: ${withCommas(space.min.total)}–${withCommas(space.max.total)} params over ${space.evaluatedPoints} points checked` });
    }
    if (options.trainAvailable) for (const model of tune.models) lenses.push({ range: tune.declaration.keyword, title: tune.models.length > 1 ? `Tune ${model.name}` : 'Tune', command: { id: commands.tune, arguments: [uri, model.name] } });
  }
  return lenses;
}
