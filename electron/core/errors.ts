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

/** What crosses a boundary (IPC, CLI --json): never a stack trace. */
export function toErrorShape(error: unknown): ErrorShape {
  if (isAppError(error)) {
    return error.details === undefined
      ? { code: error.code, message: error.message }
      : { code: error.code, message: error.message, details: error.details };
  }
  return { code: 'INTERNAL', message: 'Lỗi nội bộ của chương trình. Hãy báo cho bộ phận kỹ thuật.' };
}
