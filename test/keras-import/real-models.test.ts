import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { analyzeText } from '../../language-server/src/analysis/analyze-file.js';
import { importKeras } from '../../language-server/src/keras-import/import-keras.js';

/**
 * Published Keras models, written as their authors write them (models/*.py: keras.io examples,
 * the Keras 2 examples, TensorFlow tutorials, Deep Learning with Python, the Keras applications'
 * builders), each with the total its `model.summary()` prints (`# expect NAME: TOTAL`, the source
 * of the figure in the file's comment). The importer reads the code, the project's analyser reads
 * the `.model` text, and the totals must be Keras's.
 */

const folder = join(fileURLToPath(new URL('../../../', import.meta.url)), 'test/keras-import/models');
const files = readdirSync(folder).filter((f) => f.endsWith('.py') || f.endsWith('.ipynb'));

function expectations(source: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const m of source.matchAll(/^# expect (\w+): (\d+)$/gm)) found.set(m[1] ?? '', Number(m[2]));
  return found;
}

test('the real models are at least twenty, each with a printed total to meet', () => {
  const count = files.reduce((n, f) => n + expectations(readFileSync(join(folder, f), 'utf8')).size, 0);
  assert.ok(count >= 20, `only ${count} real models`);
});

for (const file of files) {
  test(`${file}: imported, the .model text analyses without errors and every total is Keras's`, () => {
    const source = readFileSync(join(folder, file), 'utf8');
    const expected = expectations(source);
    assert.ok(expected.size > 0, `${file} names no expected total`);
    const result = importKeras(file, source);
    if ('error' in result) assert.fail(result.error);
    const analysis = analyzeText(result.text);
    const errors = analysis.diagnostics.filter((d) => d.severity === 'error').map((d) => `${analysis.lines.positionAt(d.range.start).line + 1}: ${d.message}`);
    assert.deepEqual(errors, [], `${file}: errors in\n${result.text}`);
    for (const [name, total] of expected) {
      const model = analysis.models.find((m) => m.name === name);
      assert.ok(model, `${file}: no model ${name}; the import wrote ${result.models.join(', ')}`);
      assert.equal(model.evaluated?.complete, true, `${file}: ${name} is incomplete`);
      assert.equal(model.evaluated?.totals.params, total, `${file}: ${name}`);
    }
    for (const note of result.notes) assert.match(note.where, new RegExp(`^${file.replace('.', '\\.')}:\\d+$`), 'every note names the file and line');
  });
}
