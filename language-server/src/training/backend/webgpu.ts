/**
 * The WebGPU backend: `@tensorflow/tfjs-backend-webgpu` (bundled with the
 * trainer) on Dawn's Node binding, the npm package `webgpu`, which carries its
 * native `dawn.node` per platform and reaches the GPU through Vulkan (Linux),
 * Metal (macOS) or Direct3D 12 (Windows): any GPU with a current driver, no CUDA.
 *
 * Loading is in two steps, so that `auto` can look at the adapter before it
 * commits: `loadWebGpuAdapter` finds the package and asks Dawn for an adapter;
 * `activate` then creates the device and makes `webgpu` TensorFlow.js's backend.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { defaultBase, exportsOf, importTf, moduleRequire, notFound, packageFolder, resolvePackage } from './modules.js';
import type { Tf } from './wasm-kernels.js';

export const WEBGPU_PACKAGE = 'webgpu';
export const WEBGPU_TF_PACKAGE = '@tensorflow/tfjs-backend-webgpu';
/** Where the build puts a copy of the package for one platform (the platform's VSIX carries it), beside the trainer bundle. */
export const BUNDLED_WEBGPU_FOLDER = 'webgpu';

/** What Dawn says of an adapter (GPUAdapterInfo), as Layerlab reports it. */
export interface AdapterFacts {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  /** The adapter is a fallback (software) one by WebGPU's own flag. */
  readonly fallback: boolean;
}

/** An adapter found, not yet in use. */
export interface WebGpuAdapter {
  readonly facts: AdapterFacts;
  /** The native API Dawn runs on here: Vulkan, Metal or Direct3D 12. */
  readonly api: string;
  /** Where the `webgpu` package was loaded from. */
  readonly location: string;
  /** Creates the GPU device and makes `webgpu` the backend of the TensorFlow.js module it returns. */
  activate(): Promise<Tf>;
}

/** Dawn loaded but it offers no adapter: no GPU driver with the API it needs. */
export class NoAdapterError extends Error {
  readonly code = 'NO_WEBGPU_ADAPTER';
  constructor(
    message: string,
    /** The native API Dawn looked for a driver of. */
    readonly api: string,
  ) {
    super(message);
  }
}

/** The native API Dawn uses on a platform. */
export function nativeApi(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return 'Metal';
  if (platform === 'win32') return 'Direct3D 12';
  return 'Vulkan';
}

const SOFTWARE_RENDERERS = /llvmpipe|lavapipe|softpipe|swiftshader|basic render driver|\bwarp\b/i;

/**
 * Why an adapter is a software one (a rasteriser on the CPU: Mesa's llvmpipe,
 * Google's SwiftShader, Microsoft Basic Render Driver / WARP); undefined for a GPU.
 */
export function softwareAdapter(facts: AdapterFacts): string | undefined {
  const named = [facts.description, facts.device, facts.vendor, facts.architecture].join(' ').match(SOFTWARE_RENDERERS);
  if (named) return `${named[0]} is a software rasteriser that runs on the CPU`;
  if (facts.fallback) return 'WebGPU marks it as a fallback adapter, which runs on the CPU';
  if (facts.architecture.toLowerCase() === 'software') return 'its architecture is "software"';
  return undefined;
}

/** The adapter for people: its description, with vendor, architecture and device where Dawn gives them. */
export function adapterLabel(facts: AdapterFacts): string {
  const name = facts.description || [facts.vendor, facts.device].filter(Boolean).join(' ') || 'unnamed adapter';
  const parts = [
    facts.vendor ? `vendor ${facts.vendor}` : '',
    facts.architecture ? `architecture ${facts.architecture}` : '',
    facts.device ? `device ${facts.device}` : '',
  ].filter(Boolean);
  return parts.length ? `${name} (${parts.join(', ')})` : name;
}

// ---------------------------------------------------------------------------
// Dawn's binding, as far as Layerlab uses it

interface GpuAdapterInfoLike {
  readonly vendor?: unknown;
  readonly architecture?: unknown;
  readonly device?: unknown;
  readonly description?: unknown;
  readonly isFallbackAdapter?: unknown;
}

interface GpuAdapterLike {
  readonly info?: GpuAdapterInfoLike;
  readonly features: { has(name: string): boolean };
  readonly limits: Record<string, number>;
  requestDevice(descriptor: { requiredFeatures: string[]; requiredLimits: Record<string, number> }): Promise<unknown>;
}

interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<GpuAdapterLike | null>;
}

interface DawnModule {
  create(options: string[]): GpuLike;
  readonly globals: object;
}

interface WebGpuTfPackage {
  readonly WebGPUBackend: new (device: unknown, adapterInfo: unknown) => object;
}

function isDawnModule(value: unknown): value is DawnModule {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { create?: unknown; globals?: unknown };
  return typeof candidate.create === 'function' && typeof candidate.globals === 'object' && candidate.globals !== null;
}

function isWebGpuTfPackage(value: unknown): value is WebGpuTfPackage {
  return typeof value === 'object' && value !== null && typeof (value as { WebGPUBackend?: unknown }).WebGPUBackend === 'function';
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export function adapterFacts(info: GpuAdapterInfoLike | undefined): AdapterFacts {
  return {
    vendor: text(info?.vendor),
    architecture: text(info?.architecture),
    device: text(info?.device),
    description: text(info?.description),
    fallback: info?.isFallbackAdapter === true,
  };
}

export interface WebGpuLoaderOptions {
  /** Folders to look for the `webgpu` package in first (the setting's folder, the .model file's project). */
  readonly userFolders: readonly string[];
  /** Where require() starts otherwise (default: this module's location). */
  readonly from?: string;
}

/**
 * The `webgpu` package's entry: from the user's folders, else the copy beside the trainer
 * bundle (a platform's VSIX), else this install's node_modules (the CLI, development).
 */
export function findWebGpuEntry(options: WebGpuLoaderOptions): string {
  const req = moduleRequire(options.from);
  if (options.userFolders.length > 0) {
    try {
      return req.resolve(WEBGPU_PACKAGE, { paths: [...options.userFolders] });
    } catch {
      // not in the user's folders: Layerlab's own copy
    }
  }
  const base = options.from ?? defaultBase();
  const bundled = join(dirname(base.startsWith('file:') ? fileURLToPath(base) : base), BUNDLED_WEBGPU_FOLDER, 'index.js');
  if (existsSync(bundled)) return bundled;
  return resolvePackage(req, WEBGPU_PACKAGE, []);
}

/** Dawn's `navigator.gpu` and the globals (GPUBufferUsage, …) the TensorFlow.js backend uses. */
function installGlobals(dawn: DawnModule, gpu: GpuLike): void {
  Object.assign(globalThis, dawn.globals);
  // Node.js 20 has no navigator; 21 and later have one without `gpu`.
  const existing = (globalThis as { navigator?: object }).navigator;
  if (existing && typeof existing === 'object') {
    try {
      Object.defineProperty(existing, 'gpu', { value: gpu, configurable: true });
      return;
    } catch {
      // a frozen navigator: replace it below
    }
  }
  Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
}

/** Finds the package and Dawn's preferred adapter; throws when the package is missing or there is no adapter. */
export async function loadWebGpuAdapter(options: WebGpuLoaderOptions): Promise<WebGpuAdapter> {
  let entry: string;
  try {
    entry = findWebGpuEntry(options);
  } catch {
    throw notFound(WEBGPU_PACKAGE);
  }
  const dawn = exportsOf(await import(pathToFileURL(entry).href), isDawnModule);
  if (!isDawnModule(dawn)) throw new Error(`${WEBGPU_PACKAGE} at ${entry} does not export create() and globals`);
  const gpu = dawn.create([]);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  const api = nativeApi();
  if (!adapter) throw new NoAdapterError(`Dawn found no WebGPU adapter: no GPU driver with ${api} support was found`, api);
  const location = entry.includes(`${WEBGPU_PACKAGE}`) ? packageFolder(entry, WEBGPU_PACKAGE) : dirname(entry);
  const activate = async (): Promise<Tf> => {
    installGlobals(dawn, gpu);
    const tf = await importTf();
    const webgpu = exportsOf(await import('@tensorflow/tfjs-backend-webgpu'), isWebGpuTfPackage);
    if (!isWebGpuTfPackage(webgpu)) throw new Error(`${WEBGPU_TF_PACKAGE} does not export WebGPUBackend`);
    // As the package's own factory asks (base.ts), but on the adapter Layerlab looked at.
    const limits = adapter.limits;
    const device = await adapter.requestDevice({
      requiredFeatures: ['timestamp-query'].filter((feature) => adapter.features.has(feature)),
      requiredLimits: Object.fromEntries(
        ['maxComputeWorkgroupStorageSize', 'maxComputeWorkgroupsPerDimension', 'maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeWorkgroupSizeX', 'maxComputeInvocationsPerWorkgroup']
          .filter((name) => typeof limits[name] === 'number')
          .map((name) => [name, limits[name] as number]),
      ),
    });
    if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
    tf.registerBackend('webgpu', () => new webgpu.WebGPUBackend(device, adapter.info) as ReturnType<Parameters<Tf['registerBackend']>[1]>, 3);
    if (!(await tf.setBackend('webgpu'))) throw new Error('the webgpu backend failed to initialise');
    return tf;
  };
  // An adapter gives one device: a second activation returns the first one's result.
  let activation: Promise<Tf> | undefined;
  return {
    facts: adapterFacts(adapter.info),
    api,
    location,
    activate: () => (activation ??= activate()),
  };
}
