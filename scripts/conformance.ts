// Checks every example in <shared>/examples against <shared>/conformance/examples.json:
// totals, the per-layer tables given, the expected diagnostics, and no other errors.
// Usage: node out/scripts/conformance.js ../shared
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyzeText } from '../language-server/src/analysis/analyze-file.js';
import { summaryJson } from '../language-server/src/features/summary-json.js';

interface ExpectedModel {
  file: string;
  model: string;
  total: number;
  trainable: number;
  non_trainable: number;
  per_layer?: [string, (number | null)[], number][];
  search_space?: { min: { total: number; at: Record<string, unknown> }; max: { total: number; at: Record<string, unknown> } };
}

interface ExpectedDiagnostic {
  file: string;
  model: string;
  expect: string;
  line: number;
  severity: string;
}

const shared = resolve(process.argv[2] ?? '../shared');
const expected = JSON.parse(readFileSync(join(shared, 'conformance', 'examples.json'), 'utf8')) as { models: ExpectedModel[]; diagnostics: ExpectedDiagnostic[] };
const examplesDir = join(shared, 'examples');
const files = readdirSync(examplesDir).filter((f) => f.endsWith('.model')).sort();
const failures: string[] = [];
let checks = 0;

const check = (ok: boolean, what: string): void => {
  checks++;
  if (!ok) failures.push(what);
};

const results = new Map(files.map((file) => [file, summaryJson(file, analyzeText(readFileSync(join(examplesDir, file), 'utf8')))]));

for (const m of expected.models) {
  const model = results.get(m.file)?.models.find((x) => x.name === m.model);
  if (!model) {
    check(false, `${m.file}: model ${m.model} not found`);
    continue;
  }
  check(model.total_params === m.total, `${m.file} ${m.model}: total ${model.total_params}, expected ${m.total}`);
  check(model.trainable_params === m.trainable, `${m.file} ${m.model}: trainable ${model.trainable_params}, expected ${m.trainable}`);
  check(model.non_trainable_params === m.non_trainable, `${m.file} ${m.model}: non-trainable ${model.non_trainable_params}, expected ${m.non_trainable}`);
  if (m.per_layer) {
    check(model.layers.length === m.per_layer.length, `${m.file} ${m.model}: ${model.layers.length} layers, expected ${m.per_layer.length}`);
    m.per_layer.forEach(([type, shape, params], i) => {
      const layer = model.layers[i];
      const ok = layer !== undefined && layer.type === type && JSON.stringify(layer.output_shape) === JSON.stringify(shape) && layer.params === params;
      check(ok, `${m.file} ${m.model} layer ${i + 1}: got ${layer ? `${layer.type} ${JSON.stringify(layer.output_shape)} ${layer.params}` : 'nothing'}, expected ${type} ${JSON.stringify(shape)} ${params}`);
    });
  }
  if (m.search_space) {
    const space = model.search_space;
    for (const end of ['min', 'max'] as const) {
      const want = m.search_space[end];
      const got = space?.[end];
      check(got?.total === want.total, `${m.file} ${m.model}: search-space ${end} ${got?.total}, expected ${want.total}`);
      for (const [k, v] of Object.entries(want.at)) check(got?.at[k] === v, `${m.file} ${m.model}: search-space ${end} at ${k}=${String(got?.at[k])}, expected ${String(v)}`);
    }
  }
}

const expectedDiagnostics = new Set(expected.diagnostics.map((d) => `${d.file}:${d.line}:${d.severity}`));
for (const d of expected.diagnostics) {
  const found = results.get(d.file)?.diagnostics.some((x) => x.line === d.line && x.severity === d.severity);
  check(found === true, `${d.file}:${d.line}: expected ${d.severity}: ${d.expect}`);
}
for (const [file, result] of results) {
  for (const d of result.diagnostics) {
    if (d.severity === 'error' && !expectedDiagnostics.has(`${file}:${d.line}:error`)) check(false, `${file}:${d.line}:${d.column}: unexpected error: ${d.message}`);
  }
}

for (const f of failures) console.log(`FAIL ${f}`);
console.log(`conformance: ${files.length} files, ${expected.models.length} models, ${expected.diagnostics.length} expected diagnostics`);
console.log(`${checks - failures.length} passed, ${failures.length} failed`);
process.exitCode = failures.length === 0 ? 0 : 1;
