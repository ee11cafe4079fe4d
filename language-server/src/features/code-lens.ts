import type { FileAnalysis } from '../analysis/analyze-file.js';
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
  train: 'layerlab.train',
  tune: 'layerlab.tune',
} as const;

/** Above each model: totals (non-trainable in brackets), FLOPs, weight memory; Summary and Train actions. */
export function codeLenses(analysis: FileAnalysis, uri: string, options: { readonly trainAvailable: boolean } = { trainAvailable: false }): CodeLens[] {
  const lenses: CodeLens[] = [];
  for (const model of analysis.models) {
    const range = model.declaration.keyword;
    const e = model.evaluated;
    if (e) {
      const t = e.totals;
      const parts = [`${withCommas(t.params)} params${t.nonTrainable ? ` (${withCommas(t.nonTrainable)} non-trainable)` : ''}`];
      if (t.macs !== null) parts.push(`${compact(2 * t.macs)} FLOPs`);
      parts.push(readableBytes(t.weightBytes));
      if (!e.complete) parts.push('incomplete: see errors');
      lenses.push({ range, title: parts.join(' · ') });
    } else {
      lenses.push({ range, title: 'cannot be analysed: see errors' });
    }
    const space = searchRangeOf(analysis, model);
    if (space) lenses.push({ range, title: `search space: ${withCommas(space.min.total)}–${withCommas(space.max.total)} params` });
    lenses.push({ range, title: 'Summary', command: { id: commands.showSummary, arguments: [uri, model.name] } });
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
