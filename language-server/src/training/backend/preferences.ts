/** Where training runs: the setting `layerlab.training.backend` and `--backend`. No imports: protocol/trainer.ts validates messages with it. */
export const backendPreferences = ['auto', 'tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'] as const;

export type BackendPreference = (typeof backendPreferences)[number];
