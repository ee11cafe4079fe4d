/**
 * Picks the TensorFlow.js backend the trainer runs on.
 *
 * `auto` tries, in order: `@tensorflow/tfjs-node-gpu` (libtensorflow on a CUDA
 * GPU), WebGPU on a hardware adapter (any GPU with a Vulkan, Metal or Direct3D 12
 * driver; webgpu.ts), `@tensorflow/tfjs-node` (libtensorflow on the CPU), the
 * WebAssembly backend (a dependency, always there) and the pure-JavaScript `cpu`
 * backend. The two native packages download libtensorflow when installed, so
 * they are never dependencies: they are loaded when the user has installed them,
 * from this install's node_modules or from a folder the user names.
 *
 * Everything is loaded through `BackendLoaders`, called only from
 * `resolveBackend`: importing this module loads no TensorFlow.js.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerWasmTrainingKernels, type Tf } from './wasm-kernels.js';
import { defaultBase, exportsOf, firstLine, importTf, isNotInstalled, isTfModule, moduleRequire, packageFolder, resolvePackage } from './modules.js';

export { isNotInstalled } from './modules.js';

export type { Tf } from './wasm-kernels.js';

import type { BackendPreference } from './preferences.js';
import { adapterLabel, loadWebGpuAdapter, NoAdapterError, softwareAdapter, WEBGPU_PACKAGE, type WebGpuAdapter } from './webgpu.js';

export type { BackendPreference } from './preferences.js';
export type BackendName = Exclude<BackendPreference, 'auto'>;

export interface ResolvedBackend {
  readonly name: BackendName;
  /** What runs the kernels, for people: 'NVIDIA H100 via CUDA (libtensorflow 2.9.1)', 'CPU (wasm SIMD, 1 thread)'. */
  readonly device: string;
  /** The TensorFlow.js module to build and train with: with a native backend, the native package itself. */
  readonly tf: Tf;
  /** Which backend runs, on which device, why not a faster one, and how to get the GPU one. */
  readonly notes: readonly string[];
}

/** A native package (`@tensorflow/tfjs-node-gpu` or `@tensorflow/tfjs-node`) once loaded. */
export interface NativeLoad {
  readonly tf: Tf;
  /** libtensorflow found a CUDA GPU (tfjs-node's `isUsingGpuDevice`). */
  readonly gpuDevice: boolean;
  /** libtensorflow's version, e.g. '2.9.1'. */
  readonly tensorflowVersion?: string;
  /** Where the package was loaded from. */
  readonly location?: string;
}

export interface WasmLoad {
  readonly tf: Tf;
  readonly threads: number;
  /** Why fewer threads run than the machine has logical cores; absent when they all run. */
  readonly threadsNote?: string;
  readonly simd: boolean;
  /** Kernels registered so that the wasm backend can train (see wasm-kernels.ts). */
  readonly kernels: readonly string[];
}

/**
 * How each backend is loaded. Each loader throws when its backend is not
 * available: an error with code 'MODULE_NOT_FOUND' naming the package means
 * "not installed"; anything else is reported as a failure to load.
 */
export interface BackendLoaders {
  tensorflowGpu(): Promise<NativeLoad>;
  tensorflow(): Promise<NativeLoad>;
  wasm(): Promise<WasmLoad>;
  /** Dawn's preferred WebGPU adapter, not yet in use (webgpu.ts). */
  webgpu(): Promise<WebGpuAdapter>;
  /** TensorFlow.js with the pure-JavaScript cpu backend set. */
  cpu(): Promise<Tf>;
  /** The GPU's name for the device line ('NVIDIA H100 80GB HBM3'); undefined when unknown. */
  gpuName?(): Promise<string | undefined>;
}

/** A backend that was asked for by name cannot run; the message says what to install or change. */
export class BackendError extends Error {
  constructor(
    message: string,
    readonly preference: BackendPreference,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const GPU_PACKAGE = '@tensorflow/tfjs-node-gpu';
export const CPU_NATIVE_PACKAGE = '@tensorflow/tfjs-node';
export const WASM_PACKAGE = '@tensorflow/tfjs-backend-wasm';

/**
 * What `@tensorflow/tfjs-node-gpu` 4.22.0 needs. Its scripts/deps-constants.js pins
 * LIBTENSORFLOW_VERSION = '2.9.1'; TensorFlow's tested build configurations list
 * 2.9 with CUDA 11.2 and cuDNN 8.1. Its install script downloads the GPU build of
 * libtensorflow for Linux x86-64 and Windows x64 only.
 */
export const GPU_REQUIREMENTS = { libtensorflow: '2.9.1', cuda: '11.2', cudnn: '8.1' } as const;

const GPU_HOW_TO = `For the GPU backend: \`npm install ${GPU_PACKAGE}\` in the project of the .model file (Linux x86-64 or Windows x64 with an NVIDIA GPU; it downloads libtensorflow ${GPU_REQUIREMENTS.libtensorflow}, which needs CUDA ${GPU_REQUIREMENTS.cuda} and cuDNN ${GPU_REQUIREMENTS.cudnn} libraries where the system loader finds them).`;
const CPU_NATIVE_HOW_TO = `For native CPU speed: \`npm install ${CPU_NATIVE_PACKAGE}\` in the project of the .model file (downloads libtensorflow ${GPU_REQUIREMENTS.libtensorflow}).`;
const WEBGPU_INSTALL = `Layerlab's VSIX for your platform carries it; the CLI gets it with \`npm install\` (an optional dependency), or \`npm install ${WEBGPU_PACKAGE}\` in the project of the .model file.`;
const WEBGPU_HOW_TO = `For GPU training on any GPU (NVIDIA, AMD, Intel, Apple) without CUDA: the backend 'webgpu'. ${WEBGPU_INSTALL}`;
/** What a user does to give WebGPU a GPU adapter, per native API. */
function WEBGPU_DRIVER_HOW_TO(api: string): string {
  if (api === 'Metal') return 'WebGPU on macOS needs a Mac with Metal (every Mac since 2012) and macOS 11 or later.';
  if (api === 'Direct3D 12') return "WebGPU on Windows needs a GPU driver with Direct3D 12: install your GPU vendor's current driver.";
  return "For WebGPU on a GPU, install its Vulkan driver: NVIDIA's driver includes one; AMD and Intel GPUs use Mesa's (`sudo apt install mesa-vulkan-drivers libvulkan1` on Debian and Ubuntu). `vulkaninfo --summary` (package vulkan-tools) lists the devices Vulkan sees.";
}
const CPU_LAST_RESORT =
  'The pure-JavaScript cpu backend is a last resort: it is measured at about 21 hours for one MNIST epoch of a small CNN.';

/** Checks the resolver runs on a backend before it settles on it. */
export interface ResolveChecks {
  /**
   * Why the models to train cannot train on this backend (a layer whose kernels it lacks),
   * naming the layer and its line; undefined when they can. Run on the WebGPU backend,
   * the one whose kernels do not cover every layer.
   */
  readonly unsupportedLayer?: (tf: Tf, backend: BackendName) => Promise<string | undefined>;
}

/** Resolves the backend the trainer should use; never loads one that `preference` excludes. */
export async function resolveBackend(preference: BackendPreference, loaders: BackendLoaders, checks: ResolveChecks = {}): Promise<ResolvedBackend> {
  switch (preference) {
    case 'tensorflow-gpu':
      return explicitGpu(loaders);
    case 'webgpu':
      return explicitWebGpu(loaders, checks);
    case 'tensorflow':
      return explicitNative(loaders);
    case 'wasm':
      return explicitWasm(loaders);
    case 'cpu':
      return cpuBackend(loaders, 'as asked', [CPU_LAST_RESORT, WEBGPU_HOW_TO, GPU_HOW_TO]);
    case 'auto':
      return autoBackend(loaders, checks);
  }
}

/** The first note: which backend, on which device, and why it was chosen. */
function headline(name: BackendName, device: string, why: string): string {
  return `Backend ${name} on ${device}, ${why}.`;
}

async function autoBackend(loaders: BackendLoaders, checks: ResolveChecks): Promise<ResolvedBackend> {
  const skipped: string[] = [];
  let gpuPackageOnCpu: NativeLoad | undefined;
  try {
    const gpu = await loaders.tensorflowGpu();
    if (gpu.gpuDevice) return gpuBackend(gpu, loaders, 'picked by auto');
    gpuPackageOnCpu = gpu;
    skipped.push(`${GPU_PACKAGE} is installed but ${noCudaDevice()}`);
  } catch (error) {
    skipped.push(unavailable(GPU_PACKAGE, error));
  }
  const webgpu = await autoWebGpu(loaders, checks);
  if ('backend' in webgpu) return { ...webgpu.backend, notes: [...webgpu.backend.notes, ...skipped] };
  skipped.push(webgpu.skipped);
  if (gpuPackageOnCpu) {
    // libtensorflow is in the process now; a second one (tfjs-node) must not be loaded, so it runs on the CPU.
    const device = `CPU (libtensorflow${version(gpuPackageOnCpu)}, from ${GPU_PACKAGE})`;
    return { name: 'tensorflow', device, tf: gpuPackageOnCpu.tf, notes: [headline('tensorflow', device, 'picked by auto'), ...skipped, ...where(gpuPackageOnCpu)] };
  }
  try {
    return nativeBackend(await loaders.tensorflow(), 'picked by auto', skipped);
  } catch (error) {
    skipped.push(unavailable(CPU_NATIVE_PACKAGE, error));
  }
  try {
    return wasmBackend(await loaders.wasm(), 'picked by auto', [...skipped, CPU_NATIVE_HOW_TO, GPU_HOW_TO]);
  } catch (error) {
    skipped.push(unavailable(WASM_PACKAGE, error));
  }
  return cpuBackend(loaders, 'picked by auto: no faster backend could be loaded', [
    CPU_LAST_RESORT,
    ...skipped,
    "Reinstall the project's dependencies (`npm ci`) to get the WebAssembly backend back.",
    GPU_HOW_TO,
  ]);
}

/** WebGPU for `auto`: the backend on a hardware adapter that trains every layer, or why not (one note). */
async function autoWebGpu(loaders: BackendLoaders, checks: ResolveChecks): Promise<{ backend: ResolvedBackend } | { skipped: string }> {
  let adapter: WebGpuAdapter;
  try {
    adapter = await loaders.webgpu();
  } catch (error) {
    return { skipped: webgpuUnavailable(error) };
  }
  const software = softwareAdapter(adapter.facts);
  if (software) {
    return {
      skipped: `WebGPU's only adapter is ${adapterLabel(adapter.facts)}: ${software}, so auto does not pick it (it trains slower than the wasm backend); the backend 'webgpu' runs on it when asked for by name. ${WEBGPU_DRIVER_HOW_TO(adapter.api)}`,
    };
  }
  try {
    const tf = await adapter.activate();
    const unsupported = await checks.unsupportedLayer?.(tf, 'webgpu');
    if (unsupported) return { skipped: `WebGPU on ${adapterLabel(adapter.facts)} is not used: ${unsupported}` };
    return { backend: webgpuBackend(adapter, tf, 'picked by auto', []) };
  } catch (error) {
    return { skipped: `WebGPU on ${adapterLabel(adapter.facts)} failed to start: ${firstLine(error)}.` };
  }
}

async function explicitWebGpu(loaders: BackendLoaders, checks: ResolveChecks): Promise<ResolvedBackend> {
  let adapter: WebGpuAdapter;
  try {
    adapter = await loaders.webgpu();
  } catch (error) {
    throw new BackendError(
      isNotInstalled(error, WEBGPU_PACKAGE)
        ? `The webgpu backend needs the npm package ${WEBGPU_PACKAGE} (Dawn's WebGPU for Node.js), which is not here. ${WEBGPU_INSTALL} Or choose the backend 'auto'.`
        : error instanceof NoAdapterError
          ? `The webgpu backend found no GPU: ${firstLine(error)}. ${WEBGPU_DRIVER_HOW_TO(nativeApiOf(error))} Or choose the backend 'auto'.`
          : `${WEBGPU_PACKAGE} failed to load: ${firstLine(error)}. ${WEBGPU_INSTALL} Or choose the backend 'auto'.`,
      'webgpu',
      { cause: error },
    );
  }
  let tf: Tf;
  try {
    tf = await adapter.activate();
  } catch (error) {
    throw new BackendError(`The webgpu backend failed to start on ${adapterLabel(adapter.facts)}: ${firstLine(error)}. Update the GPU driver, or choose the backend 'auto'.`, 'webgpu', { cause: error });
  }
  const unsupported = await checks.unsupportedLayer?.(tf, 'webgpu');
  if (unsupported) throw new BackendError(`${unsupported} Choose the backend 'auto' or 'wasm' for this model.`, 'webgpu');
  const software = softwareAdapter(adapter.facts);
  const softwareNote = software
    ? [`This adapter is not a GPU: ${software}. Training on it runs slower than on the wasm backend (about 16× its CPU time, measured on a small CNN): right for checking results, not for speed. ${WEBGPU_DRIVER_HOW_TO(adapter.api)}`]
    : [];
  return webgpuBackend(adapter, tf, software ? 'as asked (a software adapter)' : 'as asked', softwareNote);
}

function webgpuBackend(adapter: WebGpuAdapter, tf: Tf, why: string, rest: string[]): ResolvedBackend {
  const device = `${adapterLabel(adapter.facts)} via WebGPU on ${adapter.api}`;
  return { name: 'webgpu', device, tf, notes: [headline('webgpu', device, why), ...rest, `Dawn (the npm package ${WEBGPU_PACKAGE}) loaded from ${adapter.location}.`] };
}

function nativeApiOf(error: unknown): string {
  return error instanceof NoAdapterError ? error.api : 'Vulkan';
}

function webgpuUnavailable(error: unknown): string {
  if (isNotInstalled(error, WEBGPU_PACKAGE)) return `${WEBGPU_PACKAGE} is not installed (WebGPU, for GPU training on any GPU). ${WEBGPU_INSTALL}`;
  if (error instanceof NoAdapterError) return `WebGPU: ${firstLine(error)}. ${WEBGPU_DRIVER_HOW_TO(error.api)}`;
  return `${WEBGPU_PACKAGE} failed to load: ${firstLine(error)}.`;
}

async function explicitGpu(loaders: BackendLoaders): Promise<ResolvedBackend> {
  let gpu: NativeLoad;
  try {
    gpu = await loaders.tensorflowGpu();
  } catch (error) {
    throw new BackendError(
      isNotInstalled(error, GPU_PACKAGE)
        ? `The tensorflow-gpu backend needs ${GPU_PACKAGE}, which is not installed. ${GPU_HOW_TO} Or choose the backend 'auto'.`
        : `${GPU_PACKAGE} is installed but failed to load: ${firstLine(error)}. ${GPU_HOW_TO}`,
      'tensorflow-gpu',
      { cause: error },
    );
  }
  if (!gpu.gpuDevice) {
    throw new BackendError(
      `${GPU_PACKAGE} loaded but ${noCudaDevice()} Check \`nvidia-smi\`, or choose the backend 'tensorflow' or 'auto' to train on the CPU.`,
      'tensorflow-gpu',
    );
  }
  return gpuBackend(gpu, loaders, 'as asked');
}

async function explicitNative(loaders: BackendLoaders): Promise<ResolvedBackend> {
  let native: NativeLoad;
  try {
    native = await loaders.tensorflow();
  } catch (error) {
    throw new BackendError(
      isNotInstalled(error, CPU_NATIVE_PACKAGE)
        ? `The tensorflow backend needs ${CPU_NATIVE_PACKAGE}, which is not installed: \`npm install ${CPU_NATIVE_PACKAGE}\` (it downloads libtensorflow ${GPU_REQUIREMENTS.libtensorflow}). Or choose the backend 'auto' or 'wasm'.`
        : `${CPU_NATIVE_PACKAGE} is installed but failed to load: ${firstLine(error)}. Reinstall it (\`npm install ${CPU_NATIVE_PACKAGE}\`), or choose the backend 'auto' or 'wasm'.`,
      'tensorflow',
      { cause: error },
    );
  }
  return nativeBackend(native, 'as asked', []);
}

async function explicitWasm(loaders: BackendLoaders): Promise<ResolvedBackend> {
  let wasm: WasmLoad;
  try {
    wasm = await loaders.wasm();
  } catch (error) {
    throw new BackendError(
      `The wasm backend failed to load: ${firstLine(error)}. It ships with Layerlab as ${WASM_PACKAGE}; reinstall the dependencies (\`npm ci\`), or choose the backend 'cpu'.`,
      'wasm',
      { cause: error },
    );
  }
  return wasmBackend(wasm, 'as asked', [CPU_NATIVE_HOW_TO, GPU_HOW_TO]);
}

async function gpuBackend(gpu: NativeLoad, loaders: BackendLoaders, why: string): Promise<ResolvedBackend> {
  let name: string | undefined;
  try {
    name = await loaders.gpuName?.();
  } catch {
    name = undefined;
  }
  const device = `${name ?? 'NVIDIA GPU'} via CUDA (libtensorflow${version(gpu)})`;
  return { name: 'tensorflow-gpu', device, tf: gpu.tf, notes: [headline('tensorflow-gpu', device, why), ...where(gpu)] };
}

function nativeBackend(native: NativeLoad, why: string, skipped: string[]): ResolvedBackend {
  const device = `CPU (libtensorflow${version(native)})`;
  return { name: 'tensorflow', device, tf: native.tf, notes: [headline('tensorflow', device, why), ...skipped, ...where(native), GPU_HOW_TO] };
}

function wasmBackend(wasm: WasmLoad, why: string, rest: string[]): ResolvedBackend {
  const device = `CPU (wasm${wasm.simd ? ' SIMD' : ''}, ${wasm.threads} thread${wasm.threads === 1 ? '' : 's'})`;
  return {
    name: 'wasm',
    device,
    tf: wasm.tf,
    notes: [
      headline('wasm', device, why),
      ...(wasm.threadsNote ? [wasm.threadsNote] : []),
      ...(wasm.kernels.length ? [`Layerlab registers the kernels the shipped wasm backend lacks, runs slowly or computes wrongly for training: ${wasm.kernels.join(', ')}.`] : []),
      ...rest,
    ],
  };
}

async function cpuBackend(loaders: BackendLoaders, why: string, rest: string[]): Promise<ResolvedBackend> {
  const tf = await loaders.cpu();
  const device = 'CPU (pure JavaScript)';
  return { name: 'cpu', device, tf, notes: [headline('cpu', device, why), ...rest] };
}

function noCudaDevice(): string {
  return `libtensorflow found no CUDA GPU. libtensorflow ${GPU_REQUIREMENTS.libtensorflow} needs an NVIDIA driver, CUDA ${GPU_REQUIREMENTS.cuda} and cuDNN ${GPU_REQUIREMENTS.cudnn} (libcudart.so.11.0, libcudnn.so.8 on Linux) where the system loader finds them, e.g. on LD_LIBRARY_PATH; its log on stderr names the library it could not open.`;
}

function version(load: NativeLoad): string {
  return load.tensorflowVersion ? ` ${load.tensorflowVersion}` : '';
}

function where(load: NativeLoad): string[] {
  return load.location ? [`Loaded from ${load.location}.`] : [];
}

function unavailable(pkg: string, error: unknown): string {
  return isNotInstalled(error, pkg) ? `${pkg} is not installed.` : `${pkg} failed to load: ${firstLine(error)}.`;
}

// ---------------------------------------------------------------------------
// The real loaders

export interface LoaderOptions {
  /**
   * A folder to load the native packages from first: one holding `node_modules`
   * (where `npm install @tensorflow/tfjs-node-gpu` was run) or a `node_modules` itself.
   */
  readonly nativeModulesPath?: string;
  /** The .model file's folder: native packages installed in its project (found from there upward) come next. */
  readonly projectDir?: string;
  /** Where require() of the native packages starts otherwise (default: this module's location). */
  readonly from?: string;
  /** The folder holding the .wasm binaries (default: the installed package's dist/, else this module's folder). */
  readonly wasmPath?: string;
  /** Threads of the wasm backend: 0 or absent to let Layerlab choose (the `layerlab.training.threads` setting). */
  readonly threads?: number;
  /** Multiply-adds per sample of the largest model to train, for the choice of threads. */
  readonly macsPerSample?: number;
}

interface TfjsNodeBackend {
  readonly isUsingGpuDevice?: unknown;
  readonly binding?: { readonly TF_Version?: unknown };
}

interface WasmPackage {
  setWasmPaths(prefix: string): void;
  setThreadsCount(count: number): void;
  getThreadsCount(): number;
  /** Set by Layerlab's build, which makes the package's threads work under Node (scripts/wasm-node-threads.mjs). */
  readonly nodeThreads?: unknown;
}

function isWasmPackage(value: unknown): value is WasmPackage {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { setWasmPaths?: unknown; getThreadsCount?: unknown; setThreadsCount?: unknown };
  return typeof candidate.setWasmPaths === 'function' && typeof candidate.getThreadsCount === 'function' && typeof candidate.setThreadsCount === 'function';
}

/** The folders named by the user to load packages from, in order: the setting's, then the .model file's project. */
function userFolders(options: LoaderOptions): string[] {
  return [options.nativeModulesPath, options.projectDir].filter((folder): folder is string => Boolean(folder));
}

async function loadNative(pkg: string, options: LoaderOptions): Promise<NativeLoad> {
  const req = moduleRequire(options.from);
  const entry = resolvePackage(req, pkg, userFolders(options));
  const loaded: unknown = req(entry);
  if (!isTfModule(loaded)) throw new Error(`${pkg} at ${entry} is not a TensorFlow.js module`);
  const tf = loaded;
  await tf.ready();
  if (tf.getBackend() !== 'tensorflow') throw new Error(`${pkg} loaded but the active backend is ${tf.getBackend()}, not tensorflow`);
  const backend = tf.backend() as unknown as TfjsNodeBackend;
  const tfVersion = backend.binding?.TF_Version;
  return {
    tf,
    gpuDevice: backend.isUsingGpuDevice === true,
    ...(typeof tfVersion === 'string' ? { tensorflowVersion: tfVersion } : {}),
    location: packageFolder(entry, pkg),
  };
}

async function importWasmPackage(): Promise<WasmPackage> {
  const wasm = exportsOf(await import('@tensorflow/tfjs-backend-wasm'), isWasmPackage);
  if (!isWasmPackage(wasm)) throw new Error(`${WASM_PACKAGE} does not export setWasmPaths`);
  return wasm;
}

const WASM_BINARIES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm'];
/** What the threaded build needs beside the binaries under Node (written by scripts/build.mjs). */
export const WASM_THREAD_FILES = ['tfjs-backend-wasm-threaded-simd.wasm', 'tfjs-backend-wasm-threaded-simd.worker.cjs', 'tfjs-backend-wasm-threaded-simd.js'];

/**
 * Below this many multiply-adds per sample, the thread pool's wake-ups cost more than the
 * threads give. Measured on 2 cores, batch 128, samples/s on 1 → 2 threads: the dense
 * net 784-256-10 (0.20 M) 5,650 → 5,270; a conv net of 0.06 M 2,856 → 2,871; conv and
 * dense nets of 0.66 M 1,255 → 1,564 and 2,412 → 2,610.
 */
export const SMALL_MODEL_MACS = 400_000;

/** What the wasm backend can run threaded here, before it starts. */
export interface WasmThreadPlan {
  /** Threads to ask the backend for (1: the single-threaded build). */
  readonly threads: number;
  /** Why not every logical core, for the backend's notes. */
  readonly note?: string;
}

/**
 * How many threads the wasm backend gets: every logical core unless `requested`
 * (the setting) is lower, and one where this copy of the backend cannot start
 * threads under Node (not Layerlab's build, its worker files missing) or where
 * WebAssembly has no SIMD (the only threaded binary is the SIMD one).
 */
export function planWasmThreads(input: {
  readonly requested?: number;
  readonly logicalCores: number;
  readonly patched: boolean;
  readonly filesPresent: boolean;
  readonly simd: boolean;
  readonly macsPerSample?: number;
}): WasmThreadPlan {
  const cores = Math.max(1, input.logicalCores);
  const set = input.requested !== undefined && input.requested > 0;
  if (!set && cores > 1 && input.macsPerSample !== undefined && input.macsPerSample < SMALL_MODEL_MACS) {
    return {
      threads: 1,
      note: `The WebAssembly backend runs on 1 thread: the model is small (${input.macsPerSample.toLocaleString('en-US')} multiply-adds per sample), and below ${SMALL_MODEL_MACS.toLocaleString('en-US')} threads cost more than they give; --threads or layerlab.training.threads sets them.`,
    };
  }
  const asked = set ? Math.floor(input.requested ?? 1) : cores;
  if (asked <= 1) {
    return cores > 1 ? { threads: 1, note: `The WebAssembly backend runs on 1 thread, as set (layerlab.training.threads or --threads); this machine has ${cores} logical cores.` } : { threads: 1 };
  }
  const single = (why: string): WasmThreadPlan => ({ threads: 1, note: `The WebAssembly backend runs on 1 thread: ${why}.` });
  if (!input.patched) return single("this copy of tfjs-backend-wasm keeps its threads off under Node.js (Layerlab's build turns them on: run the bundled trainer, dist/trainer.cjs)");
  if (!input.filesPresent) return single(`the threaded build's files (${WASM_THREAD_FILES.join(', ')}) are missing next to the .wasm binaries; rebuild with \`npm run build\``);
  if (!input.simd) return single('this Node.js has no WebAssembly SIMD, which the threaded build needs');
  return asked < cores ? { threads: asked, note: `The WebAssembly backend runs on ${asked} of ${cores} logical cores, as set (layerlab.training.threads or --threads).` } : { threads: asked };
}

/**
 * The folder with the .wasm binaries: the one given, else this module's folder (the
 * trainer bundle has them copied beside it, with the threaded build's worker files),
 * else the installed package's dist/.
 */
function wasmDirectory(options: LoaderOptions): string {
  const complete = (dir: string): boolean => WASM_BINARIES.every((file) => existsSync(join(dir, file)));
  if (options.wasmPath) {
    if (!complete(options.wasmPath)) throw new Error(`${WASM_BINARIES.join(' and ')} are not both in ${options.wasmPath}`);
    return options.wasmPath;
  }
  const base = options.from ?? defaultBase();
  const candidates: string[] = [dirname(base.startsWith('file:') ? fileURLToPath(base) : base)];
  try {
    candidates.push(join(dirname(moduleRequire(options.from).resolve(`${WASM_PACKAGE}/package.json`)), 'dist'));
  } catch {
    // not installed as a package: only the bundle's own copies
  }
  const found = candidates.find(complete);
  if (!found) throw new Error(`${WASM_BINARIES[0]} was found neither in ${candidates.join(' nor in ')}`);
  return found;
}

async function loadWasm(options: LoaderOptions): Promise<WasmLoad> {
  const tf = await importTf();
  const wasmPackage = await importWasmPackage();
  if (!tf.findBackendFactory('wasm')) {
    throw new Error(`${WASM_PACKAGE} registered itself with another copy of @tensorflow/tfjs-core; install ${WASM_PACKAGE}@${tf.version_core}`);
  }
  // Pointing at the shipped binaries keeps the backend from fetching anything.
  const dir = wasmDirectory(options);
  wasmPackage.setWasmPaths(dir.endsWith(sep) ? dir : dir + sep);
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  const plan = planWasmThreads({
    ...(options.threads !== undefined ? { requested: options.threads } : {}),
    ...(options.macsPerSample !== undefined ? { macsPerSample: options.macsPerSample } : {}),
    logicalCores: availableParallelism(),
    patched: wasmPackage.nodeThreads === true,
    filesPresent: WASM_THREAD_FILES.every((file) => existsSync(join(dir, file))),
    simd,
  });
  if (plan.threads > 1) {
    // tfjs-backend-wasm answers false under Node; Layerlab's build makes it true.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
    wasmPackage.setThreadsCount(plan.threads);
  }
  const kernels = registerWasmTrainingKernels(tf);
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend failed to initialise');
  const threads = wasmPackage.getThreadsCount();
  const threadsNote = threads < plan.threads ? `The WebAssembly backend asked for ${plan.threads} threads and runs ${threads}.` : plan.note;
  return { tf, threads, ...(threadsNote ? { threadsNote } : {}), simd, kernels: [...kernels.added, ...kernels.replaced, ...kernels.corrected] };
}

async function loadCpu(): Promise<Tf> {
  const tf = await importTf();
  if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend failed to initialise');
  return tf;
}

function nvidiaSmiName(): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('nvidia-smi', ['--query-gpu=name', '--format=csv,noheader'], { timeout: 5000 }, (error, stdout) => {
      const first = error ? undefined : stdout.split('\n')[0]?.trim();
      resolve(first ? first : undefined);
    });
  });
}

/** Loaders that really load the packages (dynamically, at call time). */
export function defaultLoaders(options: LoaderOptions = {}): BackendLoaders {
  return {
    tensorflowGpu: () => loadNative(GPU_PACKAGE, options),
    tensorflow: () => loadNative(CPU_NATIVE_PACKAGE, options),
    webgpu: () => loadWebGpuAdapter({ userFolders: userFolders(options), ...(options.from ? { from: options.from } : {}) }),
    wasm: () => loadWasm(options),
    cpu: () => loadCpu(),
    gpuName: nvidiaSmiName,
  };
}
