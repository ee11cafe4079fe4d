import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { analyzeText, type ModelAnalysis } from '../../language-server/src/analysis/analyze-file.js';
import { kerasCode } from '../../language-server/src/features/keras-code.js';
import { importKeras } from '../../language-server/src/keras-import/import-keras.js';

/**
 * A round trip: every model of examples/*.model and of the documentation's ```model blocks →
 * Copy as Keras Code (kerasCode) → the importer → the analyser: the same layers, output shapes and
 * parameter counts as the original, layer by layer.
 */

const root = fileURLToPath(new URL('../../../', import.meta.url));

function sources(): { where: string; text: string }[] {
  const out: { where: string; text: string }[] = [];
  for (const file of readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.model'))) out.push({ where: `examples/${file}`, text: readFileSync(join(root, 'examples', file), 'utf8') });
  for (const file of ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)]) {
    const markdown = readFileSync(join(root, file), 'utf8');
    let n = 0;
    for (const m of markdown.matchAll(/```model\n([\s\S]*?)```/g)) out.push({ where: `${file} block ${++n}`, text: m[1] ?? '' });
  }
  return out;
}

function layersOf(model: ModelAnalysis | undefined): string[] {
  const evaluated = model?.evaluated;
  if (!evaluated) return [];
  return evaluated.layers.filter((l) => !evaluated.discarded.has(l)).map((l) => `${l.spec.name} (${l.outputShape.map((d) => (d === null ? 'None' : d)).join(', ')}) ${l.params}`);
}

test('every example and documentation model survives Copy as Keras Code → import, layer by layer', () => {
  let models = 0;
  for (const source of sources()) {
    const original = analyzeText(source.text);
    for (const model of original.models) {
      if (!model.evaluated?.complete || !model.evaluated.input) continue;
      const code = kerasCode(original, model);
      const result = importKeras(`${model.name}.py`, code);
      if ('error' in result) assert.fail(result.error);
      const back = analyzeText(result.text);
      const errors = back.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
      assert.deepEqual(errors, [], `${source.where}: ${model.name}\n${code}\n${result.text}`);
      const imported = back.models.find((m) => m.name === model.name);
      assert.ok(imported, `${source.where}: ${model.name} is not in\n${result.text}`);
      assert.deepEqual(layersOf(imported), layersOf(model), `${source.where}: ${model.name}\n${result.text}`);
      assert.equal(imported.evaluated?.totals.params, model.evaluated.totals.params, `${source.where}: ${model.name}`);
      models++;
    }
  }
  assert.ok(models >= 15, `only ${models} models made the round trip`);
});
