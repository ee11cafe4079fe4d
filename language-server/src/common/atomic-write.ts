import { renameSync, rmSync, writeFileSync } from 'node:fs';

/** A file that could not be written, in words a user can act on (a full disk, a read-only folder). */
export class WriteError extends Error {
  constructor(
    readonly path: string,
    readonly code: string | undefined,
    cause: unknown,
  ) {
    const why: Record<string, string> = {
      ENOSPC: 'the disk is full; free some space and run it again',
      EDQUOT: 'the disk quota is used up; free some space and run it again',
      EROFS: 'the file system is read-only',
      EACCES: 'permission denied',
      EPERM: 'permission denied',
    };
    super(`could not write ${path}: ${(code && why[code]) ?? (cause instanceof Error ? cause.message : String(cause))}`, { cause });
  }
}

/**
 * Writes a file so that readers see the old or the new content, never half of one; when the
 * write fails (a full disk), the temporary file is removed and a {@link WriteError} thrown.
 */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new WriteError(path, (error as NodeJS.ErrnoException).code, error);
  }
}
