import type { EvaluatedModel } from '../analysis/model-types.js';
import { severalInputsOrOutputs } from '../analysis/training-checks.js';
import type { LineIndex } from '../text/line-index.js';

/**
 * Why a model cannot train on a data set of `classes` classes, before any run starts:
 * it must have one input and one output (the data give one image and one label), and
 * its output must be one value per class (TensorFlow.js would fail mid-run with a
 * shape error), and a classifier needs two classes at least. Undefined when it can.
 */
export function outputMismatch(model: EvaluatedModel, datasetName: string, classes: number, lines: LineIndex | undefined, file?: string): string | undefined {
  const several = severalInputsOrOutputs(model, datasetName);
  if (several) return `${file ? `${file}: ` : ''}${several}`;
  if (classes < 2) return `${file ? `${file}: ` : ''}data set ${datasetName} has ${classes} class${classes === 1 ? '' : 'es'}; a classifier needs two at least (one sub-folder of images per class)`;
  const output = model.output;
  if (!output) return undefined;
  const lineNumber = lines ? lines.positionAt(output.statement.range.start).line + 1 : undefined;
  const where = file ? `${file}${lineNumber ? `:${lineNumber}` : ''}: ` : lineNumber ? `line ${lineNumber}: ` : '';
  const shape = output.outputShape;
  if (shape.length === 1 && shape[0] === classes) return undefined;
  const written = `(${shape.map((d) => d ?? 'None').join(', ')})`;
  const fix =
    shape.length === 1 ? `make the last layer Dense(${classes}, activation=softmax)` : `add Flatten() (or a global pooling layer) before a last Dense(${classes}, activation=softmax)`;
  return `${where}model ${model.name} gives ${written} but ${datasetName} has ${classes} classes, so training needs (${classes},); ${fix}`;
}
