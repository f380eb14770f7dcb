/**
 * Folder and file paths that cross a boundary (the IPC contract, the services) must be absolute: a
 * relative one would be resolved against whatever folder the process happens to run in, so files
 * would land somewhere nobody looks and answers would name paths that do not exist.
 *
 * win32: a drive and a separator (`C:\`, `C:/`) or a UNC share (`\\server\share`). `C:GachNo`
 * (relative to drive C's current folder) and `\GachNo` (the current drive's root) are refused.
 * posix: starts with `/`. A NUL byte is never part of a path.
 */
import { AppError } from './errors.ts';

export type PathStyle = 'win32' | 'posix';

const WIN32_ABSOLUTE = /^(?:[A-Za-z]:[\\/]|[\\/]{2}[^\\/]+[\\/]+[^\\/]+)/;

export function isAbsolutePath(path: string, style: PathStyle | 'either' = hostPathStyle()): boolean {
  if (path.includes('\0')) return false;
  const posix = path.startsWith('/');
  const win32 = WIN32_ABSOLUTE.test(path);
  return style === 'posix' ? posix : style === 'win32' ? win32 : posix || win32;
}

/**
 * The path style of the machine this runs on. Main knows its platform; the sandboxed renderer has no
 * `process` and accepts either form (main checks again with its own).
 */
function hostPathStyle(): PathStyle | 'either' {
  const platform = (globalThis as { process?: { platform?: string } }).process?.platform;
  if (platform === undefined) return 'either';
  return platform === 'win32' ? 'win32' : 'posix';
}

/** For the services: refuses a relative folder with a sentence the user can act on. */
export function requireAbsolute(path: string, what: string): string {
  if (!isAbsolutePath(path)) {
    throw new AppError('PATH_NOT_ABSOLUTE', `${what} phải là đường dẫn đầy đủ (ví dụ D:\\GachNo hoặc /media/usb), không phải "${path}".`, { path });
  }
  return path;
}
