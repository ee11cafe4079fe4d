import assert from 'node:assert/strict';
import { analyzeText, type TuneAnalysis } from '../../language-server/src/analysis/analyze-file.js';
import { axesOf, type Axis } from '../../language-server/src/tuning/space.js';

/** The first tune block of a source, checked free of errors. */
export function tuneOf(source: string): TuneAnalysis {
  const analysis = analyzeText(source);
  assert.deepEqual(analysis.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  const tune = analysis.tunes[0];
  assert.ok(tune, 'the source has a tune block');
  return tune;
}

/** The search axes of `lines` (one search line each) in a tune block over a small dense model. */
export function axesFor(lines: string, parameters = 'units = 8, depth = 1, x = 0'): Axis[] {
  const source = `model m(${parameters}) {\n  input (8, 8, 1)\n  Flatten()\n  repeat depth {\n    Dense(units, activation=relu)\n  }\n  Dense(4, activation=softmax)\n}\ntune m {\n${lines}\n}\n`;
  return axesOf(tuneOf(source).dimensions, () => 0);
}
