// File writes that never leave a half-written file, and fs errors as one line naming the path.
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';

/** A file-system failure, as one line naming what was being done and the path (exit 1). */
export class FileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FileError';
  }
}

const WHY: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ENAMETOOLONG: 'the name is too long',
  ENOENT: 'no such file or directory',
  EDQUOT: 'disk quota exceeded',
  EEXIST: 'it already exists',
};

/** Run an fs call; its error becomes a FileError "`what` PATH: reason (CODE)". */
export function fsDo<T>(what: string, path: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (!code) throw e;
    throw new FileError(`${what} ${path}: ${WHY[code] ?? (e as Error).message} (${code})`);
  }
}

/**
 * Write a whole file atomically: PATH.tmp is written and synced, then renamed over PATH, so a
 * failure (a full disk, a kill) never leaves PATH truncated; on failure the temporary is removed.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, what = 'cannot write'): void {
  const tmp = `${path}.tmp`;
  try {
    fsDo(what, path, () => {
      if (existsSync(path) && statSync(path).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      const fd = openSync(tmp, 'w');
      try {
        writeFileSync(fd, data);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, path);
    });
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
