import { closeSync, fsyncSync, linkSync, openSync, readFileSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { AppError } from '../core/errors.ts';
import { pinKey, type PinKey } from '../core/pin-hash.ts';
import { fsyncDir, realFs } from '../store/atomic-write.ts';
import { PIN_KEY_FILE } from '../store/data-dir.ts';

const KEY_BYTES = 32;

/**
 * The key every PIN hash is made with: 32 random bytes in <data folder>/pin.key (mode 0600). It is
 * not in the database, so no backup (the database's own backup API) carries it: a backup alone
 * cannot confirm a PIN guess. Moving the point to another PC means moving this file too.
 */
export function readPinKey(dataDir: string): PinKey | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(join(dataDir, PIN_KEY_FILE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  if (bytes.length !== KEY_BYTES) {
    throw new AppError('PIN_KEY_INVALID', `Tệp khóa PIN ${join(dataDir, PIN_KEY_FILE)} bị hỏng (không đủ ${KEY_BYTES} byte). Hãy chép lại tệp này từ bản lưu của bộ phận CNTT.`);
  }
  return pinKey(bytes);
}

/**
 * Makes the key file: written whole to a temporary file, then linked to its name, which fails if
 * another process made it first (then theirs is used). A crash leaves either no key or a whole one.
 */
export function createPinKey(dataDir: string): PinKey {
  const path = join(dataDir, PIN_KEY_FILE);
  const temp = `${path}.${process.pid}.partial`;
  rmSync(temp, { force: true }); // left by a killed run of a process with the same id
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, randomBytes(KEY_BYTES));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temp);
  }
  fsyncDir(realFs, dataDir);
  return readPinKey(dataDir) as PinKey;
}

/** The refusal when the database's PIN hashes need a key file that is not in the data folder. */
export function missingPinKey(dataDir: string): AppError {
  return new AppError(
    'PIN_KEY_MISSING',
    `Không tìm thấy tệp khóa PIN ${join(dataDir, PIN_KEY_FILE)}: không kiểm tra được mã PIN nào. Khi chuyển sang máy mới, phải chép tệp này cùng thư mục dữ liệu; hãy liên hệ bộ phận CNTT.`,
  );
}
