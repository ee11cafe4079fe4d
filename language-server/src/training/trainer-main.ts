import { resolveTrainingBackend } from './backend/index.js';
import { loadDataset } from './data/load.js';
import { isToTrainer, type FromTrainer } from './protocol.js';
import { runSession, SessionError } from './session.js';
import { DatasetError } from './data/types.js';
import { ModelBuildError } from './build-model.js';

/** The trainer process: the only place TensorFlow.js is loaded. Started by `launch.ts`. */
function send(message: FromTrainer): void {
  process.send?.(message);
}

const controller = new AbortController();
let started = false;

// No orphan: when the parent goes away, so does the trainer.
process.on('disconnect', () => process.exit(0));

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
      const backend = await resolveTrainingBackend(raw.backend, raw.nativeModulesPath);
      send({ type: 'backend', name: backend.name, device: backend.device, notes: backend.notes });
      const records = await runSession(raw.request, {
        backend,
        loadDataset: (spec, baseDir, onProgress) => loadDataset(spec, { baseDir, onProgress }),
        onEvent: (event) => send({ type: 'event', event }),
        signal: controller.signal,
      });
      send({ type: 'done', records, cancelled: controller.signal.aborted });
    } catch (error) {
      const userError = error instanceof SessionError || error instanceof DatasetError || (error instanceof ModelBuildError && error.unavailable);
      send({ type: 'error', message: error instanceof Error ? error.message : String(error), userError, ...(error instanceof Error && error.stack ? { stack: error.stack } : {}) });
    } finally {
      process.disconnect?.();
    }
  })();
});
