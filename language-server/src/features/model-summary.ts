import type { FileAnalysis, ModelAnalysis } from '../analysis/analyze-file.js';
import type { SearchSpaceRange } from '../analysis/search-space.js';
import { formatValue, type Value } from '../analysis/values.js';
import { compact, readableBytes, withCommas } from './format.js';
import { summaryTable } from './summary-table.js';

export function searchRangeOf(analysis: FileAnalysis, model: ModelAnalysis): SearchSpaceRange | undefined {
  for (const tune of analysis.tunes) {
    const range = tune.ranges.get(model.name);
    if (range && range.evaluatedPoints > range.invalidPoints) return range;
  }
  return undefined;
}

export function rangeText(range: SearchSpaceRange): string {
  const at = (values: Readonly<Record<string, Value>>) =>
    Object.entries(values)
      .map(([k, v]) => `${k}=${formatValue(v)}`)
      .join(', ');
  return `${withCommas(range.min.total)} (${at(range.min.at)}) – ${withCommas(range.max.total)} (${at(range.max.at)})`;
}

/** Markdown for a model: its Keras-style table and totals. */
export function modelSummaryMarkdown(analysis: FileAnalysis, model: ModelAnalysis): string {
  const e = model.evaluated;
  if (!e) return `**${model.name}**: cannot be analysed; see the errors in this file.`;
  const t = e.totals;
  const lines = [`**${model.name}**${model.variantOf ? ` — variant of \`${model.variantOf}\`` : ''}`];
  lines.push('```\n' + summaryTable(e) + '\n```');
  const facts = [`${withCommas(t.params)} parameters`, `weights ${readableBytes(t.weightBytes)}`];
  if (t.macs !== null) facts.push(`${compact(2 * t.macs)} FLOPs per sample`);
  lines.push(facts.join(' · '));
  const range = searchRangeOf(analysis, model);
  if (range) lines.push(`Over the search space: ${rangeText(range)} parameters`);
  return lines.join('\n\n');
}
