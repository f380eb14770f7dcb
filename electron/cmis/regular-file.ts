import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/**
 * Files the program reads whole (snapshot, mapping profile) are opened only when they are regular
 * files of a bounded size: `/dev/zero` never ends, a FIFO blocks the open until someone writes, a
 * folder has no bytes. The check is made on the open descriptor, so a path swapped between a check
 * and the read changes nothing; O_NONBLOCK (where the platform has it) keeps a FIFO's open from blocking.
 */
export type FileRefusal = { refused: 'not-a-file' | 'too-large'; size: number } | { refused: 'unreadable'; cause: string };

const NONBLOCK: number = (constants as Partial<typeof constants>).O_NONBLOCK ?? 0;
const CHUNK = 1 << 20;

export function openRegularFile(path: string, maxBytes: number): { fd: number; size: number } | FileRefusal {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | NONBLOCK);
  } catch (error) {
    return { refused: 'unreadable', cause: String(error) };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) {
      closeSync(fd);
      return { refused: 'not-a-file', size: 0 };
    }
    if (stat.size > maxBytes) {
      closeSync(fd);
      return { refused: 'too-large', size: stat.size };
    }
    return { fd, size: stat.size };
  } catch (error) {
    closeSync(fd);
    return { refused: 'unreadable', cause: String(error) };
  }
}

/**
 * Streams a regular file in chunks of `chunkBytes` (1 MB unless told; the buffer is reused: copy what
 * you keep). Stops with `too-large` when the file grows past `maxBytes` while it is read.
 */
export function forEachChunk(path: string, maxBytes: number, onChunk: (bytes: Buffer) => void, chunkBytes = CHUNK): FileRefusal | null {
  const opened = openRegularFile(path, maxBytes);
  if ('refused' in opened) return opened;
  try {
    const buf = Buffer.allocUnsafe(chunkBytes);
    let total = 0;
    for (;;) {
      let n: number;
      try {
        n = readSync(opened.fd, buf, 0, chunkBytes, null);
      } catch (error) {
        return { refused: 'unreadable', cause: String(error) };
      }
      if (n === 0) return null;
      total += n;
      if (total > maxBytes) return { refused: 'too-large', size: total };
      onChunk(buf.subarray(0, n));
    }
  } finally {
    closeSync(opened.fd);
  }
}

/** The whole of a small regular file, or why not. */
export function readRegularFile(path: string, maxBytes: number): Buffer | FileRefusal {
  const parts: Buffer[] = [];
  const refused = forEachChunk(path, maxBytes, (bytes) => parts.push(Buffer.from(bytes)));
  return refused ?? Buffer.concat(parts);
}
