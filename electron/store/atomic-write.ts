import * as nodeFs from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { processAlive } from './ended-processes.ts';

/**
 * The file-system calls an atomic write makes. Injected so tests can fail a write (ENOSPC) or
 * "crash" between write and rename; production passes node:fs.
 */
export type AtomicFs = Pick<
  typeof nodeFs,
  'openSync' | 'writeSync' | 'fsyncSync' | 'closeSync' | 'renameSync' | 'rmSync' | 'mkdirSync' | 'readdirSync'
>;

export const realFs: AtomicFs = nodeFs;

export interface FileToWrite {
  path: string;
  bytes: Uint8Array;
}

/** Temporary files of an unfinished write carry this marker, so a later run can sweep them. */
const TEMP_MARK = '.partial-';

function tempPath(path: string, tag: string): string {
  return join(dirname(path), `${basename(path)}${TEMP_MARK}${tag}`);
}

/**
 * Writes several files so that each one appears complete or not at all: every file goes to a
 * temporary name in the same folder and is fsynced; only when ALL are durable are they renamed,
 * then the folder is fsynced so the renames survive power loss. On any error the temporaries are
 * removed and the error is rethrown. A process killed midway leaves only temporaries, which
 * `sweepPartials` removes on the next run.
 */
export function writeFilesAtomically(files: FileToWrite[], fs: AtomicFs = realFs, tag = String(process.pid)): void {
  const temps: string[] = [];
  try {
    for (const file of files) {
      fs.mkdirSync(dirname(file.path), { recursive: true });
      const temp = tempPath(file.path, tag);
      temps.push(temp);
      writeDurably(fs, temp, file.bytes);
    }
    files.forEach((file, i) => fs.renameSync(temps[i]!, file.path));
  } catch (error) {
    for (const temp of temps) fs.rmSync(temp, { force: true });
    throw error;
  }
  for (const dir of new Set(files.map((f) => dirname(f.path)))) fsyncDir(fs, dir);
}

function writeDurably(fs: AtomicFs, path: string, bytes: Uint8Array): void {
  const fd = fs.openSync(path, 'w');
  try {
    let offset = 0;
    while (offset < bytes.length) offset += fs.writeSync(fd, bytes, offset, bytes.length - offset);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Makes renames in `dir` durable. Windows cannot open a folder for fsync; NTFS journals renames. */
export function fsyncDir(fs: AtomicFs, dir: string, platform: NodeJS.Platform = process.platform): void {
  if (platform === 'win32') return;
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** A temporary's tag is the pid of its writer: true while that process (not this one) is alive and may still be writing. */
function writerAlive(tag: string): boolean {
  const pid = Number(tag);
  return pid !== process.pid && processAlive(pid);
}

/**
 * Removes temporaries left in `dir` by a write that was killed before its renames. Those of another
 * live process are kept: it may be writing them now (exports hold no database lock while writing).
 */
export function sweepPartials(dir: string, fs: AtomicFs = realFs): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const partials = names.filter((n) => n.includes(TEMP_MARK) && !writerAlive(n.slice(n.lastIndexOf(TEMP_MARK) + TEMP_MARK.length)));
  for (const name of partials) fs.rmSync(join(dir, name), { force: true });
  return partials;
}
