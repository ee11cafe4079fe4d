import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { MAX_ANALYSED_LENGTH } from '../analysis/analyze-file.js';

/**
 * Reads a .model file for the CLI, or says why not, in words: a folder, a device or a pipe
 * that never ends (`/dev/zero`), or a file larger than Layerlab analyses is refused before
 * it is read, instead of growing memory without end.
 */
export function readModelFile(file: string): { text: string } | { error: string } {
  let size: number;
  try {
    const info = statSync(file);
    if (info.isDirectory()) return { error: 'it is a folder' };
    if (!info.isFile()) return { error: 'it is not a regular file (a device or a pipe)' };
    size = info.size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { error: code === 'ENOENT' ? 'no such file' : error instanceof Error ? error.message : String(error) };
  }
  if (size > MAX_ANALYSED_LENGTH * 3) return { error: `it is ${(size / (1024 * 1024)).toFixed(1)} MB, more than Layerlab analyses (${MAX_ANALYSED_LENGTH / (1024 * 1024)} MB of text)` };
  const buffer = Buffer.alloc(size);
  const fd = openSync(file, 'r');
  try {
    let read = 0;
    while (read < size) {
      const n = readSync(fd, buffer, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    return { text: buffer.subarray(0, read).toString('utf8') };
  } finally {
    closeSync(fd);
  }
}
