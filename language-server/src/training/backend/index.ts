import { defaultLoaders, resolveBackend, type BackendPreference, type ResolvedBackend } from './resolve.js';

export * from './resolve.js';
export { registerWasmTrainingKernels, ADDED_KERNELS, REPLACED_KERNELS, type WasmKernelRegistration } from './wasm-kernels.js';

/**
 * The trainer's entry: the backend for a preference, with the native packages also looked for in
 * `nativeModulesPath` (the setting), then in the project of the .model file (`projectDir`, upward).
 */
export function resolveTrainingBackend(preference: BackendPreference, nativeModulesPath?: string, projectDir?: string, threads?: number): Promise<ResolvedBackend> {
  return resolveBackend(preference, defaultLoaders({ ...(nativeModulesPath ? { nativeModulesPath } : {}), ...(projectDir ? { projectDir } : {}), ...(threads ? { threads } : {}) }));
}
