import { openSync, closeSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../core/errors.ts';
import { processAlive } from '../store/ended-processes.ts';

/** The file that says an import is running in this data folder: the process id holding it. */
export const IMPORT_LOCK_FILE = 'import.lock';

/**
 * One import at a time per data folder, across processes (the window and `diemthu import`): a second
 * one is refused (IMPORT_BUSY) instead of reading the file for minutes and then waiting on the first's
 * swap. A lock left by a process that died (SIGKILL, power cut) is taken over. Returns the release.
 */
export function holdImportLock(dataDir: string): () => void {
  const path = join(dataDir, IMPORT_LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => unlinkSync(path);
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST' || attempt > 0) throw busyOr(error, path);
      const holder = Number(readFileSync(path, 'utf8').trim());
      if (processAlive(holder)) throw busy(holder);
      unlinkSync(path);
    }
  }
}

function busy(pid: number): AppError {
  return new AppError('IMPORT_BUSY', `Đang có một lần nhập bảng nợ khác chạy (tiến trình ${pid}): hãy chờ lần đó xong rồi nhập lại.`, { pid });
}

function busyOr(error: unknown, path: string): unknown {
  if ((error as { code?: string }).code !== 'EEXIST') return error;
  const holder = Number(readFileSync(path, 'utf8').trim());
  return busy(holder);
}
