import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';

export interface UploadedFile {
  buffer: Buffer;
  fileName: string;
  /** What the client claimed; never trusted for the content's type (sniff the bytes). */
  declaredType: string;
  /** the form's text fields sent before the file (a multipart form's fields come in its order) */
  fields: Record<string, string>;
}

/**
 * Reads the one file of a multipart request into memory, refusing (413, Persian message) a file
 * over `maxBytes` and (400) a request that carries none. For small files only (photos, imports).
 */
export async function readSingleFile(
  request: FastifyRequest,
  maxBytes: number,
  tooLargeMessage: string,
): Promise<UploadedFile> {
  if (!request.isMultipart()) {
    throw new AppError('validation_failed', 'فایل باید به صورت multipart/form-data ارسال شود', 'file');
  }
  let part;
  try {
    part = await request.file({ limits: { fileSize: maxBytes, files: 1 } });
  } catch (error) {
    throw translate(error, tooLargeMessage);
  }
  if (!part) throw new AppError('validation_failed', 'فایلی ارسال نشده است؛ یک فایل انتخاب کنید', 'file');
  let buffer: Buffer;
  try {
    buffer = await part.toBuffer();
  } catch (error) {
    throw translate(error, tooLargeMessage);
  }
  if (buffer.length === 0) throw new AppError('validation_failed', 'فایل ارسال‌شده خالی است', 'file');
  const fields: Record<string, string> = {};
  for (const [name, field] of Object.entries(part.fields))
    if (field && !Array.isArray(field) && field.type === 'field' && typeof field.value === 'string')
      fields[name] = field.value;
  return { buffer, fileName: part.filename, declaredType: part.mimetype, fields };
}

function translate(error: unknown, tooLargeMessage: string): unknown {
  const code = (error as { code?: string }).code;
  if (code === 'FST_REQ_FILE_TOO_LARGE' || code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT') {
    return new AppError('payload_too_large', tooLargeMessage, 'file');
  }
  if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') {
    return new AppError('validation_failed', 'فایل باید به صورت multipart/form-data ارسال شود', 'file');
  }
  return error;
}
