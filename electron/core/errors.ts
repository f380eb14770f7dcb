/**
 * Errors a user may see: a stable code (for scripts, logs and support calls) and one Vietnamese
 * sentence. Anything that is not an AppError is an internal fault and is shown as INTERNAL.
 */
export class AppError extends Error {
  readonly code: string;
  readonly details: unknown;

  constructor(code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

export interface ErrorShape {
  code: string;
  message: string;
  details?: unknown;
}

/** Codes meaning "no space left": SQLite's own, the OS's (ENOSPC) and a user's disk quota (EDQUOT). */
const DISK_FULL_CODES = new Set(['SQLITE_FULL', 'ENOSPC', 'EDQUOT']);

/** True when `error`, or an error it wraps as its `cause`, says the disk (or the quota) is full. */
export function isDiskFull(error: unknown): boolean {
  for (let e = error, depth = 0; typeof e === 'object' && e !== null && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if (DISK_FULL_CODES.has(String((e as { code?: unknown }).code))) return true;
  }
  return false;
}

/** A full disk is not damage: nothing was written and nothing needs restoring, space needs freeing. */
export const DISK_FULL_MESSAGE =
  'Ổ đĩa đã đầy nên chương trình không ghi được dữ liệu: việc vừa làm chưa được thực hiện, dữ liệu đã có vẫn nguyên vẹn (không cần khôi phục). ' +
  'Hãy giải phóng chỗ trống trên ổ đĩa (xóa bớt tệp không cần, dọn Thùng rác) rồi làm lại.';

export function diskFullError(error: unknown, message = DISK_FULL_MESSAGE): AppError {
  return new AppError('DISK_FULL', message, { cause: String(error) });
}

/**
 * What a user may be told about `error`: the AppError itself, DISK_FULL for a full disk wherever it
 * surfaced (a payment, an export, a backup), or null for an internal fault. Every boundary (CLI,
 * IPC, the start-up dialog) goes through here.
 */
export function asAppError(error: unknown): AppError | null {
  if (isAppError(error)) return error;
  if (isDiskFull(error)) return diskFullError(error);
  return null;
}

/** What crosses a boundary (IPC, CLI --json): never a stack trace. */
export function toErrorShape(error: unknown): ErrorShape {
  const known = asAppError(error);
  if (known !== null) {
    return known.details === undefined
      ? { code: known.code, message: known.message }
      : { code: known.code, message: known.message, details: known.details };
  }
  return { code: 'INTERNAL', message: 'Lỗi nội bộ của chương trình. Hãy báo cho bộ phận kỹ thuật.' };
}
