import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildTfModel, type TfGraphModule } from '../training/build-model.js';
import { seedGlobalRandom } from '../common/random.js';
import type { DatasetSpec } from '../training/config.js';
import type { ImageDataset, ProgressListener } from '../training/data/types.js';
import { limitDataset } from '../training/data/subset.js';
import { outputMismatch } from '../training/output-check.js';
import { splitCounts, train } from '../training/loop.js';
import { saveWeights } from '../training/results.js';
import type { TrainingBackend } from '../training/session.js';
import { isBetter } from './objective.js';
import { TuneError, type TrialContext, type TrialResult, type TrialTrainer } from './runner.js';

// TensorFlow.js types through the backend: only training/ names the package (see test/architecture.test.ts).
type Tf = TrainingBackend['tf'];
type LayersModel = Awaited<ReturnType<Tf['loadLayersModel']>>;
type Tensor = ReturnType<Tf['tensor']>;
type WeightsManifestEntry = Parameters<Tf['io']['decodeWeights']>[1][number];

export interface TfTrialTrainerOptions {
  readonly backend: TrainingBackend;
  readonly loadDataset: (spec: DatasetSpec, baseDir: string, onProgress: ProgressListener) => Promise<ImageDataset>;
}

/** Without a test evaluation per trial: the search scores on validation data, and the test set stays unseen. */
function withoutTestSet(dataset: ImageDataset): ImageDataset {
  return { ...dataset, test: { images: new Uint8Array(0), labels: new Uint8Array(0), count: 0 } };
}

/**
 * The parent trial's checkpoint into `model`, matched by position: layer names
 * differ between models built in one process, their order does not.
 */
function loadCheckpoint(tf: Tf, model: LayersModel, dir: string): void {
  const manifestPath = join(dir, 'model.json');
  if (!existsSync(manifestPath)) throw new Error(`the checkpoint of the promoted trial is missing (${manifestPath}); pass --overwrite to start the search over`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { weightsManifest: { weights: WeightsManifestEntry[] }[] };
  const specs = manifest.weightsManifest.flatMap((group) => group.weights);
  const bytes = readFileSync(join(dir, 'weights.bin'));
  const named = tf.io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), specs);
  const tensors = specs.map((spec) => named[spec.name]).filter((t): t is Tensor => t !== undefined);
  try {
    if (tensors.length !== model.weights.length) throw new Error(`the checkpoint in ${dir} has ${tensors.length} weights but the model ${model.weights.length}`);
    model.setWeights(tensors);
  } finally {
    tensors.forEach((t) => t.dispose());
  }
}

/**
 * Trains trials with TensorFlow.js: builds the model at the trial's point,
 * continues a promoted trial from its parent's checkpoint, trains epochs
 * initialEpoch+1..epochs, and saves the weights of the best epoch by the
 * objective (Keras Tuner's SaveBestEpoch). Data sets load once per search.
 */
export function tfTrialTrainer(options: TfTrialTrainerOptions): TrialTrainer {
  const { tf } = options.backend;
  const datasets = new Map<string, Promise<ImageDataset>>();
  const dataFor = (context: TrialContext): Promise<ImageDataset> => {
    const key = JSON.stringify(context.config.dataset);
    let pending = datasets.get(key);
    if (!pending) {
      pending = options.loadDataset(context.config.dataset, context.baseDir, (p) => context.onData(p.stage, p.done, p.total));
      datasets.set(key, pending);
    }
    return pending;
  };

  return async (context: TrialContext): Promise<TrialResult> => {
    const dataset = await dataFor(context);
    // The search's data do not fit the model: every trial would fail the same way, so the search stops.
    const mismatch = outputMismatch(context.evaluated, dataset.name, dataset.classNames.length, context.lines);
    if (mismatch) throw new TuneError(mismatch);
    seedGlobalRandom(context.config.seed);
    const model = buildTfModel(tf as unknown as TfGraphModule, context.evaluated, context.lines) as LayersModel;
    let bestWeights: Tensor[] | undefined;
    let bestValue: number | undefined;
    try {
      const params = model.countParams();
      if (params !== context.evaluated.totals.params) throw new Error(`TensorFlow.js built ${params} parameters but the analysis counts ${context.evaluated.totals.params} (please report this)`);
      if (context.parentDir) loadCheckpoint(tf, model, context.parentDir);
      // Every trial draws the same images: the limit's subset depends on the seed only.
      const limited = context.limit !== undefined ? limitDataset(dataset, context.limit, context.config.seed) : dataset;
      const data = context.config.validation.kind === 'test' ? limited : withoutTestSet(limited);
      context.onDataset?.({ name: dataset.name, ...splitCounts(limited.train.count, context.config.validation.kind === 'test' ? limited.test.count : 0, context.config) });
      const outcome = await train(tf, model, data, context.config, {
        initialEpoch: context.plan.initialEpoch,
        ...(context.signal ? { signal: context.signal } : {}),
        onEvent: context.onTraining,
        onEpochSaved: (history) => {
          const logs = history[history.length - 1] as unknown as Readonly<Record<string, number>> | undefined;
          const value = logs?.[context.objective.name];
          if (value === undefined || !isBetter(value, bestValue, context.objective.direction)) return;
          bestValue = value;
          bestWeights?.forEach((w) => w.dispose());
          bestWeights = model.getWeights().map((w) => w.clone());
        },
      });
      let checkpoint: string | undefined;
      if (outcome.stopReason !== 'cancelled' && bestWeights) {
        model.setWeights(bestWeights);
        await saveWeights(tf, model, context.trialDir);
        checkpoint = 'model.json';
      }
      return { history: outcome.history, stopReason: outcome.stopReason, ...(outcome.stopMessage ? { stopMessage: outcome.stopMessage } : {}), params, ...(checkpoint ? { checkpoint } : {}) };
    } finally {
      bestWeights?.forEach((w) => w.dispose());
      model.dispose();
    }
  };
}
