/** The closed set of error codes of the HTTP API, with their statuses (interchange.md, "Errors"). */
export const ERROR_STATUS = {
  validation_failed: 400,
  unauthenticated: 401,
  csrf_failed: 403,
  forbidden: 403,
  not_found: 404,
  stale_edit: 409,
  conflict: 409,
  in_use: 409,
  workflow_overlap: 409,
  payload_too_large: 413,
  unsupported_media: 415,
  too_many_attempts: 429,
  internal: 500,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; field?: string; request_id: string; details?: unknown };
}
