/** The user reference in docs/: its examples are real `.model` code that analyses without errors. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { analyzeText } from '../language-server/src/analysis/analyze-file.js';

const root = join(fileURLToPath(import.meta.url), '../../..');

test('every example in docs/language.md analyses without errors (the blocks together make one file)', () => {
  const text = readFileSync(join(root, 'docs/language.md'), 'utf8');
  const blocks = [...text.matchAll(/^```\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');
  assert.ok(blocks.length >= 5, `${blocks.length} examples found`);
  const analysis = analyzeText(blocks.join('\n'));
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
  assert.deepEqual(errors, []);
  assert.deepEqual(analysis.models.map((m) => m.name).sort(), ['cifar_net', 'cifar_wide', 'mnist_cnn', 'residual', 'tunable_mlp']);
});
