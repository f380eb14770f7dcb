import { AppError, isAppError, toErrorShape, type ErrorShape } from '../../electron/core/errors.ts';

/** HTTP status of each refusal the API gives; any other AppError is a 400, anything not an AppError a 500. */
const STATUS: Record<string, number> = {
  TOKEN_MISSING: 401,
  TOKEN_INVALID: 401,
  POINT_NOT_YOURS: 403,
  POINT_UNKNOWN: 403,
  ROUTE_UNKNOWN: 404,
  REQUEST_TOO_LARGE: 413,
  REQUEST_NOT_JSON: 415,
  SERVER_BUSY: 503,
  INTERNAL: 500,
};

export function statusOf(error: ErrorShape): number {
  return STATUS[error.code] ?? 400;
}

/** Fastify's own failures (body parsing, size, media type, validation) as our codes and Vietnamese sentences. */
export function fromFastify(error: unknown): ErrorShape {
  if (isAppError(error)) return toErrorShape(error);
  const code = (error as { code?: unknown }).code;
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return toErrorShape(new AppError('REQUEST_TOO_LARGE', 'Yêu cầu quá lớn: hãy gửi ít mục hơn mỗi lần.'));
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return toErrorShape(new AppError('REQUEST_NOT_JSON', 'Yêu cầu phải là JSON (Content-Type: application/json).'));
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return toErrorShape(new AppError('REQUEST_INVALID_JSON', 'Nội dung yêu cầu không phải JSON hợp lệ; không ghi gì.'));
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return toErrorShape(new AppError('REQUEST_INVALID', 'Độ dài yêu cầu không khớp nội dung; không ghi gì.'));
    default: {
      const validation = (error as { validation?: unknown }).validation;
      if (validation !== undefined) {
        return toErrorShape(new AppError('REQUEST_INVALID', 'Yêu cầu không đúng mẫu của giao thức đồng bộ; không ghi gì.', { issues: validation }));
      }
      return toErrorShape(error);
    }
  }
}
