import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Whether a process of this id runs. Signal 0 checks without signalling; EPERM is a live process of another user. */
export function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the files of `dir` whose name (matched by `pattern`, its first group the process id) belongs
 * to a process that has ended: scratch files a kill or a power cut left behind. A live process's stay;
 * one that cannot be removed (another user's, in a shared temp folder) is left.
 */
export function removeFilesOfEndedProcesses(dir: string, pattern: RegExp): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = pattern.exec(name)?.[1];
    if (pid === undefined || processAlive(Number(pid))) continue;
    try {
      rmSync(join(dir, name), { force: true });
    } catch {
      // not ours to remove
    }
  }
}
