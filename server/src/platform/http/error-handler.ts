import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { ErrorBody, ErrorCode } from '@vosul/common';
import { AppError } from '../errors.js';

/** The one place where errors become the `{"error":{code,message,field?,request_id}}` shape of interchange.md. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    const appError = toAppError(error);
    if (appError.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: appError.code, field: appError.field }, appError.message);
    if (appError.code === 'too_many_attempts' && typeof appError.details === 'object' && appError.details) {
      const wait = (appError.details as { retry_after_seconds?: number }).retry_after_seconds;
      if (wait) void reply.header('retry-after', String(wait));
    }
    const body: ErrorBody = {
      error: {
        code: appError.code,
        message: appError.message,
        ...(appError.field ? { field: appError.field } : {}),
        request_id: String(request.id),
        ...(appError.details === undefined ? {} : { details: appError.details }),
      },
    };
    return reply.status(appError.status).send(body);
  });
}

function toAppError(error: FastifyError | AppError): AppError {
  if (error instanceof AppError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issue = error.validation[0];
    const field = issue?.instancePath.replace(/^\//, '').replace(/\//g, '.') || undefined;
    const where = field ? `«${field}»: ` : '';
    return new AppError('validation_failed', `${where}${issue?.message ?? 'مقدار نامعتبر است'}`, field);
  }
  const pgCode = (error as { code?: string }).code;
  if (pgCode === '23505') return new AppError('conflict', 'این مقدار تکراری است و قبلاً ثبت شده است');
  if (pgCode === '23503') return new AppError('in_use', 'این رکورد به رکورد دیگری وابسته است');
  const status = error.statusCode;
  if (status && status < 500) return new AppError(codeForStatus(status), error.message);
  return new AppError('internal', 'خطای داخلی سامانه؛ شناسه درخواست را به پشتیبانی اعلام کنید');
}

function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 401:
      return 'unauthenticated';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 409:
      return 'conflict';
    case 413:
      return 'payload_too_large';
    case 415:
      return 'unsupported_media';
    case 429:
      return 'too_many_attempts';
    default:
      return 'validation_failed';
  }
}
