import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import type { TrainingConfig } from './config.js';
import type { BatchLogs, EpochLogs, TestResults, StopReason } from './loop.js';
import { writeFileAtomic } from '../common/atomic-write.js';

/** Everything about one training run, saved as `run.json` in its folder. */
export interface RunRecord {
  readonly version: 1;
  readonly model: { readonly name: string; readonly file: string; readonly params: number; readonly trainableParams: number; readonly nonTrainableParams: number; readonly flops: number | null };
  readonly settings: TrainingConfig;
  readonly dataset: { readonly name: string; readonly source: string; readonly classNames: readonly string[]; readonly shape: readonly number[]; readonly splitNote?: string; readonly train: number; readonly validation: number; readonly test: number };
  readonly backend: { readonly name: string; readonly device: string; readonly notes: readonly string[] };
  /** `interrupted`: found `running` but its trainer is gone (killed, a crash, a full disk); set when read, never written. */
  readonly status: 'running' | StopReason | 'failed' | 'interrupted';
  /** The trainer process that writes the record while it runs, to tell a live run from an interrupted one. */
  readonly trainer?: { readonly pid: number; readonly host: string };
  readonly message?: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly history: readonly EpochLogs[];
  readonly batches: readonly BatchLogs[];
  readonly bestEpoch?: number;
  readonly test?: {
    readonly loss: number;
    readonly accuracy: number;
    readonly confusion: number[][];
    readonly precision: number[];
    readonly recall: number[];
    readonly perClassAccuracy: number[];
    readonly misclassified: number[];
    readonly predicted: number[];
    readonly confidence: number[];
  };
  readonly samplesPerSecond?: number;
  readonly wallSeconds?: number;
  readonly overfitting?: { readonly trainAccuracy: number; readonly validationAccuracy: number; readonly gap: number };
  /** Weights of the model as trained (the best epoch's when they were restored), in TensorFlow.js format. */
  readonly weights?: string;
  /** Test images per confusion-matrix cell (`gallery.json`, a training/gallery.ts `Gallery`), for the training view. */
  readonly gallery?: string;
}

export function writeRecord(dir: string, record: RunRecord): void {
  writeFileAtomic(join(dir, 'run.json'), JSON.stringify(record, null, 1) + '\n');
}

/**
 * A new run folder, `.layerlab/runs/<time>-<model>/` next to the .model file, created atomically: two runs started in the same
 * second (two terminals, the editor and a terminal) get `<time>-<model>-2`, `-3`, …,
 * never the same folder.
 */
export function createRunDir(baseDir: string, model: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-').replace('T', '_').slice(0, 19);
  const parent = join(baseDir, '.layerlab', 'runs');
  mkdirSync(parent, { recursive: true });
  for (let n = 1; ; n++) {
    const dir = join(parent, n === 1 ? `${stamp}-${model}` : `${stamp}-${model}-${n}`);
    try {
      // Without `recursive`, mkdir fails when the folder exists: the claim is atomic.
      mkdirSync(dir);
      return dir;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

export function testSection(test: TestResults): NonNullable<RunRecord['test']> {
  return {
    loss: test.loss,
    accuracy: test.accuracy,
    confusion: test.report.confusion,
    precision: test.report.precision,
    recall: test.report.recall,
    perClassAccuracy: test.report.accuracy,
    misclassified: test.report.misclassified,
    predicted: test.predicted,
    confidence: test.confidence,
  };
}

/** Saves the model in TensorFlow.js format (model.json + weights.bin), each file atomically. */
export async function saveWeights(tf: typeof tfjs, model: tfjs.LayersModel, dir: string): Promise<string> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = artifacts.weightData;
      const buffers = weights === undefined ? [] : Array.isArray(weights) ? weights : [weights];
      const bytes = Buffer.concat(buffers.map((b) => Buffer.from(b)));
      writeFileAtomic(join(dir, 'weights.bin'), bytes);
      const manifest = {
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['./weights.bin'], weights: artifacts.weightSpecs ?? [] }],
      };
      writeFileAtomic(join(dir, 'model.json'), JSON.stringify(manifest));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: bytes.length } };
    }),
  );
  return join(dir, 'model.json');
}
