/**
 * Finding and loading the packages the backends come from: the user's folders
 * first (a folder named in the settings, the project of the .model file), then
 * this install. Shared by the loaders of resolve.ts and webgpu.ts.
 */
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import type { Tf } from './wasm-kernels.js';

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}

/** The package itself is missing (not one of its own dependencies). */
export function isNotInstalled(error: unknown, pkg: string): boolean {
  const code = errorCode(error);
  if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_MODULE_NOT_FOUND') return false;
  return firstLine(error).includes(`'${pkg}'`);
}

/** An error's first line, without its final full stop: for notes that go on after it. */
export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n')[0] ?? text).trim().replace(/\.$/, '');
}

export function notFound(pkg: string): Error {
  return Object.assign(new Error(`Cannot find module '${pkg}'`), { code: 'MODULE_NOT_FOUND' });
}

export function isTfModule(value: unknown): value is Tf {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { setBackend?: unknown; tensor?: unknown; engine?: unknown };
  return typeof candidate.setBackend === 'function' && typeof candidate.tensor === 'function' && typeof candidate.engine === 'function';
}

/** Where this module runs from: its URL, or the bundle's file when bundled to CommonJS. */
export function defaultBase(): string {
  // Bundled to CommonJS (dist/trainer.cjs), import.meta.url is empty and __filename is the bundle.
  const url: unknown = import.meta.url;
  if (typeof url === 'string' && url) return url;
  if (typeof __filename === 'string') return __filename;
  return join(process.cwd(), 'index.js');
}

export function moduleRequire(from: string | undefined): NodeJS.Require {
  return createRequire(from ?? defaultBase());
}

/** require.resolve from the user's folders first (in order, each upward), then from this install. */
export function resolvePackage(req: NodeJS.Require, pkg: string, userFolders: readonly string[]): string {
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

/** The package's folder from the path of its entry file. */
export function packageFolder(entry: string, pkg: string): string {
  const marker = `${sep}${pkg.split('/').join(sep)}${sep}`;
  const at = entry.lastIndexOf(marker);
  return at >= 0 ? entry.slice(0, at + marker.length - 1) : dirname(entry);
}

/** A CommonJS package's exports, whether the import gave them as the namespace or as its default. */
export function exportsOf(namespace: unknown, looksRight: (value: unknown) => boolean): unknown {
  if (typeof namespace !== 'object' || namespace === null) return namespace;
  const fallback = (namespace as { default?: unknown }).default;
  return fallback !== undefined && looksRight(fallback) ? fallback : namespace;
}

// A literal specifier in import(): the trainer's esbuild bundle includes the package
// (and still loads it only when called); unbundled, Node imports it from node_modules.
export async function importTf(): Promise<Tf> {
  const tf = exportsOf(await import('@tensorflow/tfjs'), isTfModule);
  if (!isTfModule(tf)) throw new Error('@tensorflow/tfjs is not a TensorFlow.js module');
  return tf;
}
