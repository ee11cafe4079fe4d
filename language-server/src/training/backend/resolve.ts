/**
 * Picks the TensorFlow.js backend the trainer runs on.
 *
 * `auto` tries, in order: `@tensorflow/tfjs-node-gpu` (libtensorflow on a CUDA
 * GPU), `@tensorflow/tfjs-node` (libtensorflow on the CPU), the WebAssembly
 * backend (a dependency, always there) and the pure-JavaScript `cpu` backend.
 * The two native packages download libtensorflow when installed, so they are
 * never dependencies: they are loaded when the user has installed them, from
 * this install's node_modules or from a folder the user names.
 *
 * Everything is loaded through `BackendLoaders`, called only from
 * `resolveBackend`: importing this module loads no TensorFlow.js.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerWasmTrainingKernels, type Tf } from './wasm-kernels.js';

export type { Tf } from './wasm-kernels.js';

export type BackendPreference = 'auto' | 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';
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
const CPU_LAST_RESORT =
  'The pure-JavaScript cpu backend is a last resort: it is measured at about 21 hours for one MNIST epoch of a small CNN.';

/** Resolves the backend the trainer should use; never loads one that `preference` excludes. */
export async function resolveBackend(preference: BackendPreference, loaders: BackendLoaders): Promise<ResolvedBackend> {
  switch (preference) {
    case 'tensorflow-gpu':
      return explicitGpu(loaders);
    case 'tensorflow':
      return explicitNative(loaders);
    case 'wasm':
      return explicitWasm(loaders);
    case 'cpu':
      return cpuBackend(loaders, 'as asked', [CPU_LAST_RESORT, GPU_HOW_TO]);
    case 'auto':
      return autoBackend(loaders);
  }
}

/** The first note: which backend, on which device, and why it was chosen. */
function headline(name: BackendName, device: string, why: string): string {
  return `Backend ${name} on ${device}, ${why}.`;
}

async function autoBackend(loaders: BackendLoaders): Promise<ResolvedBackend> {
  const skipped: string[] = [];
  try {
    const gpu = await loaders.tensorflowGpu();
    if (gpu.gpuDevice) return gpuBackend(gpu, loaders, 'picked by auto');
    // libtensorflow is in the process now; a second one (tfjs-node) must not be loaded, so it runs on the CPU.
    const device = `CPU (libtensorflow${version(gpu)}, from ${GPU_PACKAGE})`;
    return {
      name: 'tensorflow',
      device,
      tf: gpu.tf,
      notes: [headline('tensorflow', device, 'picked by auto'), `${GPU_PACKAGE} is installed but ${noCudaDevice()}`, ...where(gpu)],
    };
  } catch (error) {
    skipped.push(unavailable(GPU_PACKAGE, error));
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
      ...(wasm.kernels.length ? [`Layerlab registers the kernels the shipped wasm backend lacks or runs slowly for training: ${wasm.kernels.join(', ')}.`] : []),
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

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}

/** The package itself is missing (not one of its own dependencies). */
export function isNotInstalled(error: unknown, pkg: string): boolean {
  const code = errorCode(error);
  if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_MODULE_NOT_FOUND') return false;
  return firstLine(error).includes(`'${pkg}'`);
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n')[0] ?? text).trim().replace(/\.$/, '');
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

function isTfModule(value: unknown): value is Tf {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { setBackend?: unknown; tensor?: unknown; engine?: unknown };
  return typeof candidate.setBackend === 'function' && typeof candidate.tensor === 'function' && typeof candidate.engine === 'function';
}

function isWasmPackage(value: unknown): value is WasmPackage {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { setWasmPaths?: unknown; getThreadsCount?: unknown; setThreadsCount?: unknown };
  return typeof candidate.setWasmPaths === 'function' && typeof candidate.getThreadsCount === 'function' && typeof candidate.setThreadsCount === 'function';
}

function moduleRequire(from: string | undefined): NodeJS.Require {
  return createRequire(from ?? defaultBase());
}

function defaultBase(): string {
  // Bundled to CommonJS (dist/trainer.cjs), import.meta.url is empty and __filename is the bundle.
  const url: unknown = import.meta.url;
  if (typeof url === 'string' && url) return url;
  if (typeof __filename === 'string') return __filename;
  return join(process.cwd(), 'index.js');
}

function notFound(pkg: string): Error {
  return Object.assign(new Error(`Cannot find module '${pkg}'`), { code: 'MODULE_NOT_FOUND' });
}

/** require.resolve from the user's folders first (in order, each upward), then from this install. */
function resolvePackage(req: NodeJS.Require, pkg: string, userFolders: readonly string[]): string {
  if (userFolders.length > 0) {
    try {
      return req.resolve(pkg, { paths: [...userFolders] });
    } catch (error) {
      if (!isNotInstalled(error, pkg)) throw error;
    }
  }
  try {
    return req.resolve(pkg);
  } catch (error) {
    throw isNotInstalled(error, pkg) ? notFound(pkg) : error;
  }
}

async function loadNative(pkg: string, options: LoaderOptions): Promise<NativeLoad> {
  const req = moduleRequire(options.from);
  const entry = resolvePackage(req, pkg, [options.nativeModulesPath, options.projectDir].filter((folder): folder is string => Boolean(folder)));
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

function packageFolder(entry: string, pkg: string): string {
  const marker = `${sep}${pkg.split('/').join(sep)}${sep}`;
  const at = entry.lastIndexOf(marker);
  return at >= 0 ? entry.slice(0, at + marker.length - 1) : dirname(entry);
}

/** A CommonJS package's exports, whether the import gave them as the namespace or as its default. */
function exportsOf(namespace: unknown): unknown {
  if (typeof namespace !== 'object' || namespace === null) return namespace;
  const fallback = (namespace as { default?: unknown }).default;
  return fallback !== undefined && (isTfModule(fallback) || isWasmPackage(fallback)) ? fallback : namespace;
}

// Literal specifiers in import(): the trainer's esbuild bundle includes these two
// packages (and still loads them only when called); unbundled, Node imports them from node_modules.
async function importTf(): Promise<Tf> {
  const tf = exportsOf(await import('@tensorflow/tfjs'));
  if (!isTfModule(tf)) throw new Error('@tensorflow/tfjs is not a TensorFlow.js module');
  return tf;
}

async function importWasmPackage(): Promise<WasmPackage> {
  const wasm = exportsOf(await import('@tensorflow/tfjs-backend-wasm'));
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
  return { tf, threads, ...(threadsNote ? { threadsNote } : {}), simd, kernels: [...kernels.added, ...kernels.replaced] };
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
    wasm: () => loadWasm(options),
    cpu: () => loadCpu(),
    gpuName: nvidiaSmiName,
  };
}
