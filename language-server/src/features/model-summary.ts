import type { FileAnalysis, ModelAnalysis } from '../analysis/analyze-file.js';
import type { SearchSpaceRange } from '../analysis/search-space.js';
import { formatValue, type Value } from '../catalog/values.js';
import { compact, readableBytes, withCommas } from './format.js';
import { summaryLayout } from './summary-table.js';

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

/** Rows the hover shows at most; a longer model ends with how many more and where the whole table is. */
export const HOVER_TABLE_ROWS = 40;

/** A table cell: pipes escaped, so a markdown table keeps its columns. */
const cellText = (text: string): string => text.replace(/\|/g, '\\|');

/**
 * Markdown for a model: the totals first, then its layers as a markdown table (which
 * VS Code draws without the gaps a box-drawn table shows between rows), capped at
 * HOVER_TABLE_ROWS rows so that a hover on a long model is never cut off.
 */
export function modelSummaryMarkdown(analysis: FileAnalysis, model: ModelAnalysis): string {
  const e = model.evaluated;
  if (!e) return `**${model.name}**: cannot be analysed; see the errors in this file.`;
  const t = e.totals;
  const lines = [`**${model.name}**${model.variantOf ? ` — variant of \`${model.variantOf}\`` : ''}`];
  const facts = [`**${withCommas(t.params)} parameters**`, `${withCommas(t.trainable)} trainable`, `${withCommas(t.nonTrainable)} non-trainable`, `weights ${readableBytes(t.weightBytes)}`];
  if (t.macs !== null) facts.push(`${compact(2 * t.macs)} FLOPs per sample`);
  lines.push(facts.join(' · '));
  if (!e.complete) lines.push('_Incomplete: an error stopped the analysis; the figures cover the layers before it._');
  const range = searchRangeOf(analysis, model);
  if (range) lines.push(`Over the search space: ${rangeText(range)} parameters`);
  const { headers, right, rows } = summaryLayout(e);
  const table = [`| ${headers.map((h) => (h === 'Output Shape' ? 'Output shape' : h)).join(' | ')} |`, `| ${right.map((r) => (r ? '--:' : ':--')).join(' | ')} |`];
  for (const row of rows.slice(0, HOVER_TABLE_ROWS)) table.push(`| ${row.map((text, i) => (i === 1 ? `\`${cellText(text)}\`` : cellText(text))).join(' | ')} |`);
  lines.push(table.join('\n'));
  if (rows.length > HOVER_TABLE_ROWS) lines.push(`… and ${withCommas(rows.length - HOVER_TABLE_ROWS)} more layers: **Layerlab: Show Model Summary** opens the whole table.`);
  return lines.join('\n\n');
}
