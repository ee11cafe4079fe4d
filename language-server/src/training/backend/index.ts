import { defaultLoaders, resolveBackend, type BackendPreference, type LoaderOptions, type ResolveChecks, type ResolvedBackend } from './resolve.js';

export * from './resolve.js';
export { adapterLabel, nativeApi, softwareAdapter, NoAdapterError, WEBGPU_PACKAGE, type AdapterFacts, type WebGpuAdapter } from './webgpu.js';
export { registerWasmTrainingKernels, ADDED_KERNELS, REPLACED_KERNELS, type WasmKernelRegistration } from './wasm-kernels.js';

/**
 * The trainer's entry: the backend for a preference, with the native packages also looked for in
 * `nativeModulesPath` (the setting), then in the project of the .model file (`projectDir`, upward);
 * the wasm backend's threads as `threads` and `macsPerSample` decide (see planWasmThreads).
 */
export function resolveTrainingBackend(
  preference: BackendPreference,
  options: Pick<LoaderOptions, 'nativeModulesPath' | 'projectDir' | 'threads' | 'macsPerSample'> = {},
  checks: ResolveChecks = {},
): Promise<ResolvedBackend> {
  return resolveBackend(preference, defaultLoaders(options), checks);
}
