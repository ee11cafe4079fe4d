/**
 * The VS Code extension's one way into the core, besides the protocol modules
 * (language-server/src/protocol/): the host services it calls, re-exported from
 * where they are made, as the CLI uses them. Re-exports only, checked by
 * test/architecture.test.ts; the extension imports nothing else of the core.
 */

// Starting the trainer process (training runs and searches) and waiting on it: the host side of protocol/trainer.ts.
export { launchTraining, launchTuning, TrainingFailure } from '../trainer/launch.js';
export type { LaunchOptions, LaunchTuningOptions, RunningTrainer, RunningTraining, RunningTuning, TrainerProcessOptions, TrainingResult, TuningResult } from '../trainer/launch.js';

// Saved folders: a run or search folder read into the view message that shows it, and picked folders told apart.
export { loadViewRun } from '../report/load-run.js';
export { loadSearch } from '../tuning/load-search.js';
export { classifyPicked } from '../report/saved-folders.js';
export type { PickedFolder } from '../report/saved-folders.js';

// Progress in words, the same as the CLI writes it: downloads and reads, a search's trials, a searched point.
export { ProgressText } from '../training/data/progress-text.js';
export { SearchProgress } from '../tuning/search-progress.js';
export { describePoint } from '../tuning/space.js';

// The limits of a quick run, which the run picker states.
export { QUICK } from '../training/quick.js';

// Keras code (a file picked, or the clipboard) → .model text and the importer's notes, for Import Keras Model….
export { importKeras } from '../keras-import/import-keras.js';
export type { ImportNote, KerasImport } from '../keras-import/import-keras.js';
