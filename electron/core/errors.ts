/**
 * Errors a user may see: a stable code (for scripts, logs and support calls) and one Vietnamese
 * sentence. Anything that is not an AppError is an internal fault and is shown as INTERNAL.
 */
/**
 * Every code a user may see, one list the compiler knows: the renderer compares codes against it, and
 * a code nobody declared here does not compile. `SCAN_<reason>` carries the scanner's own reasons.
 */
export const ERROR_CODES = [
  'APPROVAL_INVALID', 'APPROVAL_REQUIRED', 'APP_QUITTING', 'BACKUP_FAILED', 'BACKUP_INVALID',
  'BACKUP_NOT_DIEMTHU', 'BACKUP_OTHER_POINT', 'BACKUP_TOO_NEW', 'BAD_REQUEST', 'BAD_RESPONSE',
  'BATCH_BODY_CHANGED', 'BATCH_RECEIPT_IN_OTHER_BATCH', 'BATCH_RECEIPT_UNKNOWN',
  'BATCH_RECEIPT_VOIDED', 'BATCH_TOTALS_MISMATCH', 'BATCH_VOID_EXPORTED', 'BILL_ALREADY_PAID',
  'BILL_DUPLICATE', 'BILL_NOT_FOUND', 'BILL_NOT_OUTSTANDING', 'BILL_ORDER', 'BILL_PAID_AT_OTHER_COUNTER',
  'CANCELLED', 'CHANGE_ROUNDING_CHANGED',
  'CLI_BAD_ARGS', 'CLI_UNKNOWN_COMMAND', 'CONSOLIDATE_NOTHING', 'COUNT_INVALID',
  'CUSTOMER_NOT_FOUND', 'DATABASE_BUSY', 'DATA_DIR_MOVE_FAILED', 'DATE_INVALID', 'DB_CORRUPT', 'DB_MISSING',
  'DB_OPEN_FAILED', 'DB_TOO_NEW', 'DECISION_BILL_UNKNOWN',
  'DEPOSIT_COUNT_INVALID', 'DEPOSIT_DAY_CLOSED', 'DEPOSIT_EXISTS', 'DEPOSIT_NOT_FOUND', 'DEPOSIT_NO_SHIFTS', 'DEPOSIT_REASON_INVALID',
  'DEPOSIT_REASON_REQUIRED', 'DEPOSIT_REFERENCE_EXISTS', 'DEPOSIT_REFERENCE_INVALID', 'DEPOSIT_SHIFT_OPEN', 'DEPOSIT_WRITE_FAILED', 'DISK_FULL', 'EXPORT_BATCH_MISMATCH', 'EXPORT_BATCH_UNKNOWN',
  'EXPORT_NOTHING_NEW', 'EXPORT_UNSAFE_FIELD', 'EXPORT_VERIFY_FAILED', 'EXPORT_WRITE_FAILED',
  'FILE_TOO_LARGE', 'FILE_UNREADABLE', 'FIRST_USER_SUPERVISOR', 'FLOAT_INVALID',
  'FORBIDDEN_SENDER', 'IDEMPOTENCY_KEY_INVALID', 'IDEMPOTENCY_KEY_REUSED', 'ID_HDON', 'IMPORT_BUSY', 'IMPORT_STOPPED',
  'INGEST_BATCH_MISMATCH', 'INGEST_COLUMNS_INVALID', 'INGEST_CSV_INVALID',
  'INGEST_FILE_UNREADABLE', 'INGEST_MANIFEST_INVALID', 'INGEST_MANIFEST_MISMATCH',
  'INGEST_NAME_INVALID', 'INGEST_RECEIPT_INCONSISTENT', 'INGEST_ROW_INVALID',
  'INGEST_SHA_MISMATCH', 'INTERNAL', 'IPC_FAILED', 'LINE_ALREADY_DECIDED', 'LINE_NOT_REJECTED', 'LOGIN_FAILED', 'NOTHING_TO_COLLECT',
  'NOT_INITIALISED', 'NOT_LOGGED_IN', 'NO_SHIFT', 'NO_SNAPSHOT', 'OFFICE_INVALID',
  'PATH_NOT_ABSOLUTE', 'PAYMENT_ALREADY_EXPORTED', 'PAYMENT_ALREADY_VOIDED', 'PAYMENT_VOIDED',
  'PIN_CHANGE_REQUIRED', 'PIN_INVALID', 'PIN_KEY_INVALID', 'PIN_KEY_MISMATCH', 'PIN_KEY_MISSING',
  'PIN_REQUIRED', 'PIN_UNCHANGED', 'POINT_ALREADY_INITIALISED', 'POINT_CODE_INVALID',
  'POINT_EXISTS', 'POINT_NOT_YOURS', 'POINT_UNKNOWN', 'PRINTER_BUSY', 'PRINTER_COVER_OPEN',
  'PRINTER_DISCONNECTED', 'PRINTER_ERROR', 'PRINTER_NO_REPLY', 'PRINTER_OFFLINE',
  'PRINTER_ONE_WAY', 'PRINTER_PAPER_OUT', 'PRINTER_SETTING_INVALID', 'PRINTER_SPOOLER',
  'PRINTER_STATUS_GARBLED', 'PRINTER_TIMEOUT', 'PRINTER_UNREACHABLE', 'PRINTER_UNSUPPORTED',
  'PRINT_DOCUMENT_MISMATCH', 'PRINT_JOB_NOT_FOUND', 'PRINT_JOB_UNREADABLE', 'PROFILE_INVALID',
  'PROFILE_UNREADABLE', 'RECEIPT_DOCUMENT_MISSING', 'RECEIPT_NOT_FOUND', 'RECEIPT_SEQUENCE_FULL',
  'REFUND_LINKED_USERS', 'REFUND_REASON_REQUIRED', 'REFUND_SAME_PERSON', 'REPORT_DAY_INVALID', 'REQUEST_INVALID', 'REQUEST_INVALID_JSON', 'REQUEST_NOT_JSON',
  'REQUEST_TOO_LARGE', 'RESTORE_BACKUP_CHANGED', 'RESTORE_CORRUPT', 'RESTORE_DB_IN_USE', 'RESTORE_FILE_MISSING', 'RESTORE_NOT_CONFIRMED',
  'RESEND_LINE_CHANGED', 'RESEND_LINE_UNKNOWN', 'RESTORE_JOURNAL_BROKEN', 'RESTORE_OLDER_THAN_CURRENT', 'RESTORE_UNAVAILABLE', 'RESULT_BATCH_UNKNOWN', 'RESULT_CHANGED',
  'RESULT_HEADER_INVALID', 'RESULT_INVALID', 'RESULT_LINE_UNKNOWN', 'RESULT_NAME_INVALID',
  'RESULT_NO_ROWS', 'RESULT_OTHER_POINT', 'RESULT_UNREADABLE', 'SECOND_SUPERVISOR_REQUIRED',
  'SERVER_BUSY', 'SERVER_DATABASE_REQUIRED', 'SERVER_DATABASE_UNREACHABLE',
  'SERVER_DB_NOT_MIGRATED', 'SERVER_DB_TOO_NEW', 'SERVE_LISTEN_FAILED', 'SESSION_LOCKED', 'SETTING_INVALID',
  'SETTING_UNKNOWN', 'SHIFT_ALREADY_CLOSED', 'SHIFT_ALREADY_OPEN', 'SHIFT_NOT_FOUND', 'SHIFT_STILL_OPEN',
  'SHIFT_NOT_OPEN', 'SMS_FILE_INVALID', 'SMS_FILE_NAME', 'SMS_FILE_UNREADABLE',
  'SMS_GATEWAY_PROFILE_INVALID', 'SMS_GATEWAY_REPORTS_FAILED', 'SMS_PROFILE_INVALID',
  'SMS_PROFILE_UNREADABLE', 'SNAPSHOT_ALREADY_IMPORTED', 'SNAPSHOT_BAD_ENCODING',
  'SNAPSHOT_CLEARS_MANY', 'SNAPSHOT_CONFIRMATION_REQUIRED', 'SNAPSHOT_EMPTY',
  'SNAPSHOT_FEWER_CUSTOMERS', 'SNAPSHOT_HEADER_INVALID', 'SNAPSHOT_INVALID', 'SNAPSHOT_NOT_A_FILE',
  'SNAPSHOT_NO_ROWS', 'SNAPSHOT_OLDER', 'SNAPSHOT_READER_FAILED', 'SNAPSHOT_RECORD_TOO_LARGE',
  'SNAPSHOT_TOO_LARGE', 'SNAPSHOT_TOTAL_TOO_LARGE', 'SNAPSHOT_UNIT_NOT_SERVED',
  'SNAPSHOT_UNREADABLE', 'SUPERVISOR_REQUIRED', 'SYNC_BAD_ANSWER', 'SYNC_BODY_INVALID',
  'SYNC_FINGERPRINT_INVALID', 'SYNC_ITEMS_REFUSED', 'SYNC_ITEM_TOO_LARGE', 'SYNC_NETWORK',
  'SYNC_NOT_CONFIGURED', 'SYNC_TIMEOUT', 'SYNC_TLS_PIN_MISMATCH', 'SYNC_TLS_UNTRUSTED',
  'SYNC_TOKEN_FILE', 'SYNC_UNREACHABLE', 'SYNC_URL_INVALID', 'SYNC_URL_NOT_HTTPS',
  'TENDERED_INVALID', 'TENDERED_TOO_LITTLE', 'TLS_CERT_INVALID', 'TLS_FILE_UNREADABLE',
  'TLS_PAIR_REQUIRED', 'TOKEN_INVALID', 'TOKEN_MISSING', 'UI_ERROR', 'UNIT_CODE_INVALID',
  'UNKNOWN_CHANNEL', 'USER_CODE_INVALID', 'USER_EXISTS', 'USER_HAS_OPEN_SHIFT', 'USER_LOCKED',
  'USER_NAME_REQUIRED', 'USER_NOT_FOUND', 'USER_ROLE_INVALID', 'USER_SELF', 'VERIFY_FAILED',
  'VERIFY_MANIFESTS_UNREADABLE', 'VOID_LINKED_USERS', 'VOID_OWN_PAYMENT', 'VOID_REASON_REQUIRED',
  'VOID_SHIFT_CLOSED', 'VOID_SUPERVISOR_TOO_NEW',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number] | `SCAN_${string}`;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
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
  code: ErrorCode;
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

/**
 * An error as it crosses to another thread (a worker's answer): its shape, and for an internal error
 * the original text, which the receiving thread logs.
 */
export interface CrossedError {
  error: ErrorShape;
  internal: string | null;
}

export function crossError(error: unknown): CrossedError {
  const shape = toErrorShape(error);
  return { error: shape, internal: shape.code === 'INTERNAL' ? String(error) : null };
}

/** The error again on the receiving thread: an AppError as it was thrown, an internal one as a plain Error with its text. */
export function uncrossError({ error, internal }: CrossedError): Error {
  return internal !== null ? new Error(internal) : new AppError(error.code, error.message, error.details);
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
