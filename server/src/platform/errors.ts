import { ERROR_STATUS, type ErrorCode } from '@vosul/common';

/** The one error type of the server: a closed code (mapped to its HTTP status in one place) and a Persian message. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.status = ERROR_STATUS[code];
  }
}

export const notFound = (what = 'رکورد') => new AppError('not_found', `${what} یافت نشد`);

export const invalidField = (field: string, reason: string) =>
  new AppError('validation_failed', reason, field);

export const staleEdit = () =>
  new AppError('stale_edit', 'این رکورد را کاربر دیگری تغییر داده است؛ صفحه را دوباره بارگذاری کنید');
