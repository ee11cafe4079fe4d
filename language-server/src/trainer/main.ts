import { dirname } from 'node:path';
import { resolveTrainingBackend } from '../training/backend/index.js';
import { loadDataset } from '../training/data/load.js';
import { isToTrainer, type FromTrainer } from '../protocol/trainer.js';
import { largestMacsPerSample, runSession, SessionError } from '../training/session.js';
import { unsupportedLayerCheck } from '../training/layer-support.js';
import { DatasetError, type ProgressListener } from '../training/data/types.js';
import type { DatasetSpec } from '../training/config.js';
import { ModelBuildError } from '../training/build-model.js';
import { WriteError } from '../common/atomic-write.js';
import { runTuning, TuneError } from '../tuning/runner.js';
import { tfTrialTrainer } from '../tuning/tf-trainer.js';

/** The trainer process: the only place TensorFlow.js is loaded. Started by `launch.ts`. */

/** Resolves once every message sent so far has been handed to the IPC channel. */
let delivered: Promise<void> = Promise.resolve();

function send(message: FromTrainer): void {
  const sent = new Promise<void>((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, undefined, () => resolve());
  });
  delivered = delivered.then(() => sent);
}

const controller = new AbortController();
let started = false;

// No orphan: when the parent goes away, so does the trainer.
process.on('disconnect', () => process.exit(0));
// Ctrl+C in a terminal signals the whole process group, the trainer with the CLI: it stops
// after the current batch and saves, as the CLI's cancel asks (a second Ctrl+C makes the CLI kill it).
process.on('SIGINT', () => controller.abort());

process.on('message', (raw: unknown) => {
  if (!isToTrainer(raw)) return;
  if (raw.type === 'cancel') {
    controller.abort();
    return;
  }
  if (started) return;
  started = true;
  void (async () => {
    try {
      const macsPerSample = largestMacsPerSample(raw.request.text, raw.request.model);
      const unsupportedLayer = unsupportedLayerCheck(raw.request.text, raw.type === 'tune' ? 'tune' : 'train', raw.request.model);
      const backend = await resolveTrainingBackend(
        raw.backend,
        {
          projectDir: dirname(raw.request.file),
          ...(raw.nativeModulesPath ? { nativeModulesPath: raw.nativeModulesPath } : {}),
          ...(raw.threads ? { threads: raw.threads } : {}),
          ...(macsPerSample !== undefined ? { macsPerSample } : {}),
        },
        { unsupportedLayer },
      );
      send({ type: 'backend', name: backend.name, device: backend.device, notes: backend.notes });
      // The WebGPU backend was checked while it was chosen; the others train every layer but what TensorFlow.js itself cannot.
      const problem = backend.name === 'webgpu' ? undefined : await unsupportedLayer(backend.tf, backend.name);
      if (problem) throw new SessionError(`${raw.request.file}: ${problem} Replace the layer, or train another model of the file.`);
      const load = (spec: DatasetSpec, baseDir: string, onProgress: ProgressListener) => loadDataset(spec, { baseDir, onProgress });
      if (raw.type === 'tune') {
        const summaries = await runTuning(raw.request, {
          trainTrial: tfTrialTrainer({ backend, loadDataset: load }),
          onEvent: (event) => send({ type: 'tune-event', event }),
          signal: controller.signal,
        });
        send({ type: 'tune-done', summaries, cancelled: controller.signal.aborted });
        return;
      }
      const records = await runSession(raw.request, {
        backend,
        loadDataset: load,
        onEvent: (event) => send({ type: 'event', event }),
        signal: controller.signal,
      });
      send({ type: 'done', records, cancelled: controller.signal.aborted });
    } catch (error) {
      const userError = error instanceof SessionError || error instanceof TuneError || error instanceof DatasetError || error instanceof WriteError || (error instanceof ModelBuildError && error.unavailable);
      const details = error instanceof DatasetError && error.details.length ? { details: error.details } : {};
      send({ type: 'error', message: error instanceof Error ? error.message : String(error), userError, ...(error instanceof Error && error.stack ? { stack: error.stack } : {}), ...details });
    } finally {
      // Disconnecting at once would drop large messages still queued (a long run's record).
      await delivered;
      process.disconnect?.();
    }
  })();
});
