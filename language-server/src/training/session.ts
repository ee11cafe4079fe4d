import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import { analyzeText, type ModelAnalysis, type TrainingAnalysis } from '../analysis/analyze-file.js';
import { buildTfModel, type TfGraphModule } from './build-model.js';
import { seedGlobalRandom } from '../common/random.js';
import { trainingConfig, type DatasetSpec, type TrainingConfig } from './config.js';
import type { ImageDataset, ProgressListener } from './data/types.js';
import { limitDataset } from './data/subset.js';
import { QUICK, quickLimit } from './quick.js';
import { outputMismatch } from './output-check.js';
import { splitCounts, train, type TrainingEvent } from './loop.js';
import { buildGallery } from './gallery.js';
import { createRunDir, saveWeights, testSection, writeRecord, type RunRecord } from './results.js';
import { writeFileAtomic } from '../common/atomic-write.js';

export interface TrainingBackend {
  readonly name: string;
  readonly device: string;
  readonly notes: readonly string[];
  readonly tf: typeof tfjs;
}

export interface SessionRequest {
  readonly file: string;
  readonly text: string;
  /** Train only this model of the block (default: every model of the first `train` block). */
  readonly model?: string;
  readonly epochs?: number;
  readonly limit?: number;
  /** A quick run (quick.ts): one epoch on at most QUICK.limit images of each split. */
  readonly quick?: boolean;
  /** Where `.layerlab/runs` goes; default: the .model file's folder. */
  readonly outputDir?: string;
}

export type SessionEvent =
  | { readonly type: 'model'; readonly model: string; readonly index: number; readonly count: number; readonly runDir: string; readonly params: number; readonly epochs: number }
  | { readonly type: 'data'; readonly stage: string; readonly done: number; readonly total?: number }
  /** The data set once loaded (and limited): what the views' header shows. */
  | { readonly type: 'dataset'; readonly name: string; readonly train: number; readonly validation: number; readonly test: number }
  | { readonly type: 'training'; readonly model: string; readonly event: TrainingEvent }
  | { readonly type: 'finished'; readonly model: string; readonly record: RunRecord; readonly runDir: string };

export interface SessionDependencies {
  readonly backend: TrainingBackend;
  readonly loadDataset: (spec: DatasetSpec, baseDir: string, onProgress: ProgressListener) => Promise<ImageDataset>;
  readonly onEvent: (event: SessionEvent) => void;
  readonly signal?: AbortSignal;
}

/** A problem the user can fix (no train block, unknown model, model with errors); reported without a stack. */
export class SessionError extends Error {}

function pickTraining(analysis: ReturnType<typeof analyzeText>, model: string | undefined): { block: TrainingAnalysis; models: ModelAnalysis[] } {
  const blocks = analysis.trainings;
  if (model !== undefined) {
    const block = blocks.find((b) => b.models.some((m) => m.name === model));
    const found = analysis.models.find((m) => m.name === model);
    if (!found) throw new SessionError(`no model named ${model}; the file has ${analysis.models.map((m) => m.name).join(', ') || 'no models'}`);
    if (!block) throw new SessionError(`model ${model} is in no \`train\` block; add \`train ${model} { dataset = mnist }\``);
    return { block, models: [found] };
  }
  const block = blocks[0];
  if (!block) throw new SessionError('the file has no `train` block; add one, e.g. `train my_model { dataset = mnist }`');
  return { block, models: [...block.models] };
}

/**
 * Multiply-adds per sample of the model to train (`model`), else of the largest in the file:
 * what the wasm backend's threads are chosen for. Undefined when none analyses.
 */
export function largestMacsPerSample(text: string, model?: string): number | undefined {
  const macs = analyzeText(text)
    .models.filter((m) => model === undefined || m.name === model)
    .map((m) => m.evaluated?.totals.macs)
    .filter((n): n is number => typeof n === 'number');
  return macs.length ? macs.reduce((a, b) => Math.max(a, b)) : undefined;
}

/**
 * Trains the models of a `train` block one after another, saving each run under
 * `.layerlab/runs/<time>-<model>/` as it goes.
 */
export async function runSession(request: SessionRequest, deps: SessionDependencies): Promise<RunRecord[]> {
  const analysis = analyzeText(request.text);
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    const first = errors[0];
    const line = first ? analysis.lines.positionAt(first.range.start).line + 1 : 0;
    throw new SessionError(`${request.file}:${line}: ${first?.message ?? 'error'} (${errors.length} error${errors.length === 1 ? '' : 's'} in the file; fix them before training)`);
  }
  const { block, models } = pickTraining(analysis, request.model);
  const baseDir = dirname(request.file);
  const { tf } = deps.backend;
  const records: RunRecord[] = [];
  for (const [index, model] of models.entries()) {
    if (deps.signal?.aborted) break;
    const evaluated = model.evaluated;
    if (!evaluated) throw new SessionError(`model ${model.name} cannot be analysed`);
    const base: TrainingConfig = trainingConfig(block.settings, evaluated.input?.dataset);
    const limit = request.quick ? quickLimit(request.limit ?? base.limit) : (request.limit ?? base.limit);
    const epochs = request.epochs ?? (request.quick ? Math.min(base.epochs, QUICK.epochs) : base.epochs);
    const config: TrainingConfig = { ...base, epochs, ...(limit !== undefined ? { limit } : {}) };
    seedGlobalRandom(config.seed);
    const tfModel = buildTfModel(tf as unknown as TfGraphModule, evaluated, analysis.lines) as tfjs.LayersModel;
    const built = tfModel.countParams();
    if (built !== evaluated.totals.params) {
      tfModel.dispose();
      throw new SessionError(`model ${model.name}: TensorFlow.js built ${built.toLocaleString('en-US')} parameters but the analysis counts ${evaluated.totals.params.toLocaleString('en-US')}; training refuses to start (please report this)`);
    }
    // The data first: a data set that fails to load leaves no run folder behind.
    let dataset: ImageDataset;
    try {
      const loaded = await deps.loadDataset(config.dataset, baseDir, (p) => deps.onEvent({ type: 'data', ...p }));
      dataset = limit !== undefined ? limitDataset(loaded, limit, config.seed) : loaded;
    } catch (error) {
      tfModel.dispose();
      throw error;
    }
    const mismatch = outputMismatch(evaluated, dataset.name, dataset.classNames.length, analysis.lines, request.file);
    if (mismatch) {
      tfModel.dispose();
      throw new SessionError(mismatch);
    }
    const runDir = createRunDir(request.outputDir ?? baseDir, model.name);
    deps.onEvent({ type: 'model', model: model.name, index, count: models.length, runDir, params: built, epochs: config.epochs });
    deps.onEvent({ type: 'dataset', name: dataset.name, ...splitCounts(dataset.train.count, dataset.test.count, config) });
    const startedAt = new Date().toISOString();
    const header = {
      version: 1 as const,
      model: {
        name: model.name,
        file: request.file,
        params: evaluated.totals.params,
        trainableParams: evaluated.totals.trainable,
        nonTrainableParams: evaluated.totals.nonTrainable,
        flops: evaluated.totals.macs === null ? null : 2 * evaluated.totals.macs,
      },
      settings: config,
      backend: { name: deps.backend.name, device: deps.backend.device, notes: deps.backend.notes },
      trainer: { pid: process.pid, host: hostname() },
      startedAt,
    };
    const counts = { train: 0, validation: 0, test: 0 };
    const datasetInfo = () => ({
      name: dataset.name,
      source: dataset.source,
      classNames: dataset.classNames,
      shape: [...dataset.shape],
      ...(dataset.splitNote ? { splitNote: dataset.splitNote } : {}),
      ...counts,
    });
    writeRecord(runDir, { ...header, dataset: datasetInfo(), status: 'running', history: [], batches: [] });
    let savedHistory: RunRecord['history'] = [];
    try {
      const outcome = await train(tf, tfModel, dataset, config, {
        ...(deps.signal ? { signal: deps.signal } : {}),
        onEvent: (event) => deps.onEvent({ type: 'training', model: model.name, event }),
        // An interrupted run keeps everything up to its last finished epoch.
        onEpochSaved: (history) => {
          savedHistory = [...history];
          writeRecord(runDir, { ...header, dataset: datasetInfo(), status: 'running', history: savedHistory, batches: [] });
        },
      });
      counts.train = outcome.trainSamples;
      counts.validation = outcome.validationSamples;
      counts.test = outcome.testSamples;
      const weights = outcome.stopReason === 'diverged' ? undefined : await saveWeights(tf, tfModel, runDir);
      if (outcome.test) {
        const gallery = buildGallery(dataset.test, dataset.shape, outcome.test.predicted, outcome.test.confidence, dataset.classNames.length);
        writeFileAtomic(join(runDir, 'gallery.json'), JSON.stringify(gallery));
      }
      const record: RunRecord = {
        ...header,
        dataset: datasetInfo(),
        status: outcome.stopReason,
        ...(outcome.stopMessage ? { message: outcome.stopMessage } : {}),
        finishedAt: new Date().toISOString(),
        history: outcome.history,
        batches: outcome.batches,
        ...(outcome.bestEpoch !== undefined ? { bestEpoch: outcome.bestEpoch } : {}),
        ...(outcome.test ? { test: testSection(outcome.test) } : {}),
        samplesPerSecond: outcome.samplesPerSecond,
        wallSeconds: outcome.seconds,
        ...(outcome.overfitting ? { overfitting: outcome.overfitting } : {}),
        ...(weights ? { weights: 'model.json' } : {}),
        ...(outcome.test ? { gallery: 'gallery.json' } : {}),
      };
      writeRecord(runDir, record);
      records.push(record);
      deps.onEvent({ type: 'finished', model: model.name, record, runDir });
    } catch (error) {
      writeRecord(runDir, { ...header, dataset: datasetInfo(), status: 'failed', message: error instanceof Error ? error.message : String(error), history: savedHistory, batches: [] });
      throw error;
    } finally {
      tfModel.dispose();
    }
  }
  return records;
}
