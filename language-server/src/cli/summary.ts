import { parseArgs } from 'node:util';
import { analyzeText } from '../analysis/analyze-file.js';
import { summaryJson, diagnosticJson } from '../features/summary-json.js';
import { summaryTable } from '../features/summary-table.js';
import type { CliIo } from './io.js';
import { outJson } from './json-stream.js';
import { readModelFile } from './read-model-file.js';
import { usage } from './usage.js';

/** `layerlab summary FILE`: Keras-style summaries of the file's models, and its diagnostics on standard error. */
export function summaryCommand(argv: readonly string[], io: CliIo): number {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: { model: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    io.err(`layerlab summary: ${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return 2;
  }
  if (parsed.values.help) {
    io.out(usage);
    return 0;
  }
  const file = parsed.positionals[0];
  if (!file || parsed.positionals.length > 1) {
    io.err(`layerlab summary: expected exactly one FILE\n\n${usage}`);
    return 2;
  }
  const read = readModelFile(file);
  if ('error' in read) {
    io.err(`layerlab summary: cannot read ${file}: ${read.error}`);
    return 2;
  }
  const text = read.text;
  const analysis = analyzeText(text);
  const only = parsed.values.model;
  if (only !== undefined && !analysis.models.some((m) => m.name === only)) {
    io.err(`layerlab summary: ${file} has no model named ${only}; it has ${analysis.models.map((m) => m.name).join(', ') || 'no models'}`);
    return 2;
  }
  const hasErrors = analysis.diagnostics.some((d) => d.severity === 'error');
  if (parsed.values.json) {
    outJson(io, summaryJson(file, analysis, only));
    return hasErrors ? 1 : 0;
  }
  const sections: string[] = [];
  for (const model of analysis.models) {
    if (only !== undefined && model.name !== only) continue;
    if (model.evaluated) sections.push(summaryTable(model.evaluated));
    else sections.push(`Model: "${model.name}" could not be analysed; see the errors below.`);
  }
  if (sections.length) io.out(sections.join('\n\n'));
  const diagnostics = [...analysis.diagnostics].sort((a, b) => a.range.start - b.range.start);
  for (const d of diagnostics) {
    const j = diagnosticJson(d, analysis.lines);
    io.err(`${file}:${j.line}:${j.column}: ${j.severity}: ${j.message}`);
  }
  return hasErrors ? 1 : 0;
}
