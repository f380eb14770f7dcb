import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';

/** Temporary file beside the target, fsync, rename, fsync of the folder: the complete file or none. */
export function writeFileAtomically(path: string, bytes: Uint8Array, mode = 0o644): void {
  const temp = `${path}.${randomBytes(4).toString('hex')}.partial`;
  try {
    const fd = openSync(temp, 'wx', mode);
    try {
      for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  const dir = openSync(dirname(path), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}
