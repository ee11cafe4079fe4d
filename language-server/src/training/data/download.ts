import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { messageOf } from './files.js';
import { DatasetError, type ProgressListener } from './types.js';

/**
 * Where downloaded data sets are kept: `LAYERLAB_CACHE`, else
 * `$XDG_CACHE_HOME/layerlab`, else `~/.cache/layerlab`.
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const own = env['LAYERLAB_CACHE'];
  if (own) return resolve(own);
  const xdg = env['XDG_CACHE_HOME'];
  // The XDG spec says to ignore a relative XDG_CACHE_HOME.
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache'), 'layerlab');
}

export interface FetchOptions {
  /** Expected SHA-256 of the whole file, hex. */
  readonly sha256?: string;
  /** Expected MD5 of the whole file, hex (what some data-set pages publish). */
  readonly md5?: string;
  readonly onProgress?: ProgressListener;
  readonly signal?: AbortSignal;
  /** How many times an interrupted download resumes within this call (default 3). */
  readonly retries?: number;
}

/** A download that stopped part-way; what arrived is kept in the partial file. */
class Interrupted extends Error {}

const MB = 1024 * 1024;

function megabytes(bytes: number): string {
  return `${(bytes / MB).toFixed(1)} MB`;
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

/** `bytes START-END/TOTAL` → start and total (total undefined when `*`). */
function parseContentRange(header: string | null): { start: number; total: number | undefined } | undefined {
  const match = header ? /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(header.trim()) : null;
  if (!match) return undefined;
  return { start: Number(match[1]), total: match[2] === '*' ? undefined : Number(match[2]) };
}

/** One request: appends to the partial file (Range) or rewrites it. */
async function downloadOnce(url: string, partial: string, cacheFile: string, options: FetchOptions): Promise<void> {
  const offset = await sizeOf(partial);
  let response: Response;
  try {
    response = await fetch(url, { headers: offset > 0 ? { Range: `bytes=${offset}-` } : {}, signal: options.signal ?? null, redirect: 'follow' });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    throw new Interrupted(`${messageOf(error)}${cause}`);
  }
  if (response.status === 416 && offset > 0) {
    // The partial file does not fit what the server has now: start over.
    await rm(partial, { force: true });
    throw new Interrupted('the server refused to resume (HTTP 416)');
  }
  if (!response.ok) {
    await response.body?.cancel();
    const message = `Downloading ${url} failed: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
    if (response.status >= 500) throw new Interrupted(message);
    throw new DatasetError(`${message}. To work offline, put the file at ${cacheFile} yourself.`, cacheFile);
  }
  let append = false;
  let total: number | undefined;
  if (response.status === 206) {
    const range = parseContentRange(response.headers.get('content-range'));
    if (!range || range.start !== offset) {
      await response.body?.cancel();
      await rm(partial, { force: true });
      throw new Interrupted('the server resumed at the wrong place');
    }
    append = true;
    total = range.total;
  } else {
    const length = response.headers.get('content-length');
    total = length !== null && /^\d+$/.test(length) ? Number(length) : undefined;
  }
  const body = response.body;
  if (!body) throw new Interrupted('the server sent no body');
  const start = append ? offset : 0;
  let done = start;
  let reported = -Infinity;
  const stage = `downloading ${basename(cacheFile)}`;
  const file = await open(partial, append ? 'a' : 'w');
  try {
    for await (const chunk of body) {
      await file.write(chunk);
      done += chunk.length;
      if (done - reported >= 256 * 1024) {
        reported = done;
        options.onProgress?.({ stage, done, ...(total !== undefined ? { total } : {}) });
      }
    }
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new Interrupted(`the connection broke after ${megabytes(done)}${total !== undefined ? ` of ${megabytes(total)}` : ''} (${messageOf(error)})`);
  } finally {
    await file.close();
  }
  if (total !== undefined && done !== total) throw new Interrupted(`the connection closed after ${megabytes(done)} of ${megabytes(total)}`);
  options.onProgress?.({ stage, done, total: done });
}

export async function hashFile(file: string, algorithm: 'sha256' | 'md5'): Promise<string> {
  const hash = createHash(algorithm);
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function exists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/** A file in the cache that fails its checksum: no download is tried; the message says to delete it. */
export class CorruptCacheFile extends DatasetError {}

/**
 * A file already in the cache (downloaded before, or put there by hand for offline
 * use) is checked against the checksum too, once: a `.verified` note beside it
 * records the size and time of the file it checked, so later runs skip the hashing.
 */
async function verifyCached(cacheFile: string, options: FetchOptions): Promise<void> {
  const checks = (['sha256', 'md5'] as const).flatMap((algorithm) => (options[algorithm] ? [{ algorithm, expected: (options[algorithm] ?? '').toLowerCase() }] : []));
  if (checks.length === 0) return;
  const info = await stat(cacheFile);
  const note = `${cacheFile}.verified`;
  const stamp = JSON.stringify({ checks, size: info.size, mtimeMs: info.mtimeMs });
  try {
    if ((await readFile(note, 'utf8')) === stamp) return;
  } catch {
    // not checked yet
  }
  for (const { algorithm, expected } of checks) {
    options.onProgress?.({ stage: `verifying ${basename(cacheFile)}`, done: 0 });
    const actual = await hashFile(cacheFile, algorithm);
    if (actual !== expected) {
      throw new CorruptCacheFile(`${cacheFile} is not the file expected: its ${algorithm} is ${actual}, expected ${expected}. Delete it and run again to download it, or put the right file there.`, cacheFile);
    }
  }
  try {
    await writeFile(note, stamp);
  } catch {
    // a read-only cache: it is checked again next time
  }
}

/**
 * Downloads `url` to `cacheFile` unless it is there already. Bytes go to
 * `cacheFile.partial`; an interrupted download resumes from it with an HTTP
 * Range request (here, up to `retries` times, or on a later call). The file is
 * checked against the checksum, then renamed into place, so `cacheFile` only
 * ever exists complete and verified. Returns `cacheFile`.
 */
export async function fetchToCache(url: string, cacheFile: string, options: FetchOptions = {}): Promise<string> {
  if (await exists(cacheFile)) {
    await verifyCached(cacheFile, options);
    return cacheFile;
  }
  try {
    await mkdir(dirname(cacheFile), { recursive: true });
  } catch (error) {
    throw new DatasetError(`Cannot create the cache folder ${dirname(cacheFile)}: ${messageOf(error)}. Set LAYERLAB_CACHE to a folder you can write to.`, cacheFile);
  }
  const partial = `${cacheFile}.partial`;
  const retries = options.retries ?? 3;
  for (let attempt = 0; ; attempt++) {
    try {
      await downloadOnce(url, partial, cacheFile, options);
      break;
    } catch (error) {
      if (!(error instanceof Interrupted)) throw error;
      if (attempt < retries) continue;
      const kept = await sizeOf(partial);
      const resume = kept > 0 ? ` The ${megabytes(kept)} received are kept in ${partial}; the next try resumes from there.` : '';
      throw new DatasetError(`Could not download ${url}: ${error.message}.${resume} Check the internet connection, or put the file at ${cacheFile} yourself.`, cacheFile);
    }
  }
  for (const algorithm of ['sha256', 'md5'] as const) {
    const expected = options[algorithm]?.toLowerCase();
    if (!expected) continue;
    options.onProgress?.({ stage: `verifying ${basename(cacheFile)}`, done: 0 });
    const actual = await hashFile(partial, algorithm);
    if (actual !== expected) {
      await rm(partial, { force: true });
      throw new DatasetError(
        `The download of ${url} is corrupt: its ${algorithm} is ${actual}, expected ${expected}. The download was deleted; try again (a proxy or a changed file on the server can cause this).`,
        cacheFile,
      );
    }
  }
  await rename(partial, cacheFile);
  return cacheFile;
}

/** What went wrong with every mirror, in a few words (no addresses): the one kind of failure, or each kind once. */
export function downloadFailureCause(failures: readonly string[]): string {
  const kinds = failures.map((failure) => {
    if (/^Cannot create the cache folder/.test(failure)) return 'the cache folder cannot be created (set LAYERLAB_CACHE to a folder you can write to)';
    if (/ENOTFOUND|EAI_AGAIN|getaddrinfo/i.test(failure)) return 'no network (the download servers cannot be found)';
    if (/is corrupt/.test(failure)) return 'the files that arrived do not match their checksums';
    const http = /HTTP (\d{3})/.exec(failure);
    if (http) return `the servers answered HTTP ${http[1]}`;
    if (/ECONNREFUSED|ECONNRESET|ETIMEDOUT|timed? ?out|fetch failed|connection/i.test(failure)) return 'the connection to the download servers failed';
    return 'the download failed';
  });
  return [...new Set(kinds)].join('; ') || 'no download address was tried';
}
