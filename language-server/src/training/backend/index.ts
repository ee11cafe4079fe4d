import { defaultLoaders, resolveBackend, type BackendPreference, type LoaderOptions, type ResolvedBackend } from './resolve.js';

export * from './resolve.js';
export { registerWasmTrainingKernels, ADDED_KERNELS, REPLACED_KERNELS, type WasmKernelRegistration } from './wasm-kernels.js';

/**
 * The trainer's entry: the backend for a preference, with the native packages also looked for in
 * `nativeModulesPath` (the setting), then in the project of the .model file (`projectDir`, upward);
 * the wasm backend's threads as `threads` and `macsPerSample` decide (see planWasmThreads).
 */
export function resolveTrainingBackend(preference: BackendPreference, options: Pick<LoaderOptions, 'nativeModulesPath' | 'projectDir' | 'threads' | 'macsPerSample'> = {}): Promise<ResolvedBackend> {
  return resolveBackend(preference, defaultLoaders(options));
}
