/**
 * Shared helpers for the layer and argument tests: analyse a tiny `.model`
 * snippet and read back what Keras `model.summary()` would show.
 */
import assert from 'node:assert/strict';
import { analyzeText, type FileAnalysis } from '../../language-server/src/analysis/analyze-file.js';
import type { Diagnostic } from '../../language-server/src/analysis/diagnostics.js';
import type { LayerInstance } from '../../language-server/src/analysis/model-types.js';

/** Wraps model-body lines in `model m { ... }`; a text that already declares a model is kept as it is. */
export function source(body: string): string {
  return /^\s*model\s/m.test(body) ? body : `model m {\n${body}\n}\n`;
}

export function analyze(body: string): FileAnalysis {
  return analyzeText(source(body));
}

/** Error diagnostics only (warnings such as discarded outputs are left out). */
export function errorsOf(body: string): Diagnostic[] {
  return analyze(body).diagnostics.filter((d) => d.severity === 'error');
}

/** The single error a snippet must produce; fails the test if there is not exactly one. */
export function errorOf(body: string): Diagnostic {
  const errors = errorsOf(body);
  assert.equal(errors.length, 1, `expected exactly one error, got ${errors.length}: ${errors.map((e) => `[${e.code}] ${e.message}`).join(' | ')}`);
  return errors[0] as Diagnostic;
}

/** The layers of the first model; fails the test if the snippet has any error. */
export function layersOf(body: string): readonly LayerInstance[] {
  const analysis = analyze(body);
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((e) => `[${e.code}] ${e.message}`), [], 'the snippet should analyse without errors');
  const model = analysis.models[0];
  assert.ok(model?.evaluated, 'the model should be evaluated');
  return model.evaluated.layers;
}

/** The last layer of the first model (the one a snippet is usually about). */
export function lastLayer(body: string): LayerInstance {
  const layers = layersOf(body);
  const last = layers[layers.length - 1];
  assert.ok(last, 'the model should have at least one layer');
  return last;
}

export interface Figures {
  readonly shape: readonly (number | null)[];
  readonly params: number;
  readonly trainable: number;
  readonly nonTrainable: number;
}

/** What `model.summary()` shows for a layer: output shape (batch axis left out) and parameter counts. */
export function figures(layer: LayerInstance): Figures {
  return { shape: [...layer.outputShape], params: layer.params, trainable: layer.trainableParams, nonTrainable: layer.nonTrainableParams };
}

/** Figures of the last layer, for the common case of a fully trainable layer. */
export function lastFigures(body: string): Figures {
  return figures(lastLayer(body));
}

/** Expected figures of a layer whose parameters are all trainable. */
export function trainable(shape: readonly (number | null)[], params: number): Figures {
  return { shape, params, trainable: params, nonTrainable: 0 };
}

/**
 * Evaluates a hover formula such as `(3·3·1 + 1)·32` or `4·(4 + 8 + 1)·8`, so a test
 * can check that the formula shown to the user adds up to the parameter count.
 */
export function evaluateFormula(formula: string): number {
  const expression = formula.replace(/·/g, '*');
  assert.match(expression, /^[\d\s+*()]+$/, `not a plain arithmetic formula: ${formula}`);
  return Number(new Function(`return (${expression});`)());
}
