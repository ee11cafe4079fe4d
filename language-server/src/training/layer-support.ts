/**
 * Whether the models to train can train on the active backend: one forward and
 * backward pass on a batch of two, before any data is loaded. Where it fails
 * (a kernel the backend lacks, a gradient TensorFlow.js lacks), each layer is run
 * alone to name the one at fault, with its line.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { analyzeText } from '../analysis/analyze-file.js';
import type { EvaluatedModel } from '../analysis/model-types.js';
import type { LineIndex } from '../text/line-index.js';
import { firstLine } from './backend/modules.js';
import { buildTfModelLayers, ModelBuildError, type TfGraphModule } from './build-model.js';

type Tf = typeof tfjs;

interface ProbeLayer {
  readonly name: string;
  readonly input: unknown;
  readonly trainableWeights: readonly { read(): tfjs.Variable }[];
  apply(inputs: tfjs.Tensor | tfjs.Tensor[], kwargs?: { training?: boolean }): tfjs.Tensor | tfjs.Tensor[];
}

/** Shapes of a layer's input(s) for a batch of two; axes of unknown length get 3. */
function probeShapes(layer: ProbeLayer): number[][] {
  const inputs = Array.isArray(layer.input) ? layer.input : [layer.input];
  return inputs.map((symbolic: unknown) => {
    const shape = (symbolic as { shape?: readonly (number | null)[] }).shape ?? [];
    return shape.map((d, axis) => (axis === 0 ? 2 : (d ?? 3)));
  });
}

/** Runs forward and backward through `run` on zero inputs of `shapes`; throws what the backend throws. */
function forwardBackward(tf: Tf, shapes: number[][], dtypes: ('float32' | 'int32')[], weights: readonly tfjs.Variable[], run: (xs: tfjs.Tensor[]) => tfjs.Tensor | tfjs.Tensor[]): void {
  tf.tidy(() => {
    const inputs = shapes.map((shape, i) => (dtypes[i] === 'int32' ? tf.zeros(shape, 'int32') : tf.variable(tf.zeros(shape), true)));
    const floatInputs = inputs.filter((t): t is tfjs.Variable => t instanceof tf.Variable);
    try {
      const { grads } = tf.variableGrads(() => {
        const out = run(inputs);
        return tf.addN((Array.isArray(out) ? out : [out]).map((t) => tf.sum(tf.square(t)))) as tfjs.Scalar;
      }, [...floatInputs, ...weights]);
      tf.dispose(Object.values(grads));
    } finally {
      tf.dispose(floatInputs);
    }
  });
}

/** The dtype a layer's input is fed with: int32 for the indices of an Embedding. */
function inputDtypes(model: EvaluatedModel, layerIndex: number, count: number): ('float32' | 'int32')[] {
  const name = model.layers[layerIndex]?.spec.name;
  return new Array<'float32' | 'int32'>(count).fill(name === 'Embedding' ? 'int32' : 'float32');
}

/**
 * Undefined when `model` trains on the active backend; else which layer (type, name,
 * line) fails and how. A model TensorFlow.js cannot build, or of several inputs or
 * outputs, is left to the trainer.
 */
export function layerThatCannotTrain(tf: Tf, model: EvaluatedModel, lines: LineIndex | undefined, backendName: string): string | undefined {
  // Several inputs or outputs: the trainer refuses the model itself, saying why (training/output-check.ts).
  if (model.inputs.length !== 1 || model.outputs.length !== 1) return undefined;
  let built: ReturnType<typeof buildTfModelLayers>;
  try {
    built = buildTfModelLayers(tf as unknown as TfGraphModule, model, lines);
  } catch (error) {
    if (error instanceof ModelBuildError) return undefined;
    throw error;
  }
  const whole = built.model as tfjs.LayersModel;
  try {
    const shapes = [[2, ...(model.input?.shape ?? []).map((d) => d ?? 3)]];
    const embeddingFirst = model.layers[0]?.spec.name === 'Embedding';
    try {
      forwardBackward(tf, shapes, [embeddingFirst ? 'int32' : 'float32'], whole.trainableWeights.map((w) => w.read() as tfjs.Variable), (xs) => whole.apply(xs, { training: true }) as tfjs.Tensor);
      return undefined;
    } catch (wholeError) {
      for (const [index, chain] of built.layers.entries()) {
        for (const candidate of chain) {
          const layer = candidate as ProbeLayer;
          const layerShapes = probeShapes(layer);
          try {
            forwardBackward(tf, layerShapes, inputDtypes(model, index, layerShapes.length), layer.trainableWeights.map((w) => w.read()), (xs) => layer.apply(xs.length === 1 ? (xs[0] as tfjs.Tensor) : xs, { training: true }));
          } catch (error) {
            const ours = model.layers[index];
            const line = ours && lines ? ` (line ${lines.positionAt(ours.statement.range.start).line + 1})` : '';
            return `${ours?.spec.name ?? 'a layer'} \`${ours?.name ?? layer.name}\`${line} of model ${model.name} cannot train on the ${backendName} backend: ${firstLine(error)}.`;
          }
        }
      }
      return `model ${model.name} cannot train on the ${backendName} backend: ${firstLine(wholeError)}.`;
    }
  } finally {
    whole.dispose();
  }
}

/**
 * The check for the models a request trains: the named one, else those of the file's
 * first `train` block (or `tune` block, for a search).
 */
export function unsupportedLayerCheck(text: string, block: 'train' | 'tune', modelName?: string): (tf: Tf, backendName: string) => Promise<string | undefined> {
  return async (tf, backendName) => {
    const analysis = analyzeText(text);
    const names = modelName !== undefined ? [modelName] : ((block === 'train' ? analysis.trainings[0] : analysis.tunes[0])?.models.map((m) => m.name) ?? []);
    for (const m of analysis.models) {
      if (!names.includes(m.name)) continue;
      if (!m.evaluated || m.evaluated.errorCount > 0 || !m.evaluated.complete) continue;
      const problem = layerThatCannotTrain(tf, m.evaluated, analysis.lines, backendName);
      if (problem) return problem;
    }
    return undefined;
  };
}
