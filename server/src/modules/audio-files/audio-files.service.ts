import { createHash } from 'node:crypto';
import { toPersianDigits, type ListQuery } from '@vosul/common';
import { AUDIO_FILE_MAX_BYTES, AUDIO_MAX_SECONDS, audioFileInputSchema } from '@vosul/common/audio-files';
import type { Database, Executor } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/auth/context.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, invalidField, notFound } from '../../platform/errors.js';
import type { UploadedFile } from '../../platform/http/upload.js';
import { readAudioContent } from './audio-format.js';
import * as repo from './audio-files.repository.js';
import { requireHq } from '../../platform/auth/guard.js';

const ENTITY = 'audio_file';

/**
 * V30. The list and playback are for the page's users and the workflow editors (who pick a file
 * for a call); uploading and deleting are HQ's, since every branch's calls play the same files.
 */
export const listAudioFiles = (db: Database, list: ListQuery) => repo.findAudioFilePage(db, list);

export const fileTooLarge = () =>
  new AppError(
    'payload_too_large',
    `حجم فایل صوتی حداکثر ${toPersianDigits(AUDIO_FILE_MAX_BYTES / 1024 / 1024)} مگابایت است`,
    'file',
  );

/** Stores a recording after reading what it is from its bytes: WAV or MP3, at most two minutes. */
export async function uploadAudioFile(db: Database, ctx: RequestContext, upload: UploadedFile) {
  requireHq(ctx, HQ_ONLY);
  const parsed = audioFileInputSchema.safeParse(upload.fields);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalidField(String(issue.path[0] ?? 'file'), issue.message);
  }
  if (upload.buffer.length > AUDIO_FILE_MAX_BYTES) throw fileTooLarge();
  const audio = readAudioContent(upload.buffer);
  if (!audio)
    throw new AppError(
      'unsupported_media',
      'فایل صوتی باید WAV یا MP3 باشد؛ محتوای این فایل صدای WAV یا MP3 نیست',
      'file',
    );
  if (audio.durationMs > AUDIO_MAX_SECONDS * 1000)
    throw invalidField(
      'file',
      `مدت فایل صوتی ${toPersianDigits(Math.ceil(audio.durationMs / 1000))} ثانیه است؛ حداکثر ${toPersianDigits(AUDIO_MAX_SECONDS)} ثانیه مجاز است`,
    );
  const { code, title } = parsed.data;
  return db.transaction().execute(async (trx) => {
    if (await repo.findIdByCode(trx, code))
      throw new AppError('conflict', `کد فایل صوتی ${code} قبلاً ثبت شده است`, 'code');
    const sha256 = createHash('sha256').update(upload.buffer).digest('hex');
    const stored = await repo.insertStoredFile(trx, {
      media_type: audio.mediaType,
      byte_size: upload.buffer.length,
      sha256,
      content: upload.buffer,
    });
    const { id } = await repo.insertAudioFile(trx, {
      code,
      title,
      format: audio.format,
      duration_ms: audio.durationMs,
      file_id: stored.id,
      uploaded_by: ctx.user.id,
      uploaded_by_name: `${ctx.user.firstName} ${ctx.user.lastName}`.trim() || ctx.user.username,
    });
    const after = (await repo.findAudioFile(trx, id))!;
    await recordAudit(trx, ctx, {
      entity: ENTITY,
      entityId: id,
      action: 'create',
      after: { ...after, sha256 },
    });
    return after;
  });
}

/** Multi-select delete: all or nothing; a file a workflow's call plays is refused, naming the workflow. */
export async function deleteAudioFiles(db: Database, ctx: RequestContext, ids: number[]) {
  requireHq(ctx, HQ_ONLY);
  await db.transaction().execute(async (trx) => {
    const used = await repo.findWorkflowsUsing(trx, ids);
    if (used.length > 0)
      throw new AppError(
        'in_use',
        `فایل صوتی ${used[0]!.code} در تماس گردش کار «${used[0]!.title}» به کار رفته است و حذف نمی‌شود`,
        'ids',
        { in_use: used },
      );
    const deleted = await repo.deleteAudioFiles(trx, ids);
    if (deleted.length !== new Set(ids).size) throw notFound('فایل صوتی');
    await repo.deleteStoredFiles(
      trx,
      deleted.map((d) => d.file_id),
    );
    for (const { file_id: _f, ...row } of deleted)
      await recordAudit(trx, ctx, { entity: ENTITY, entityId: row.id, action: 'delete', before: row });
  });
}

/** For the workflows: each named recording exists, else the field naming it is refused. */
export async function assertAudioFilesExist(db: Executor, refs: readonly { id: number; field: string }[]) {
  if (refs.length === 0) return;
  const found = new Set(
    await repo.findExistingIds(
      db,
      refs.map((r) => r.id),
    ),
  );
  const missing = refs.find((r) => !found.has(r.id));
  if (missing)
    throw invalidField(missing.field, 'فایل صوتی انتخاب‌شده برای تماس یافت نشد؛ فایل دیگری برگزینید');
}

export interface AudioStream {
  status: 200 | 206 | 304 | 416;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * The recording for the browser's `<audio>`: whole, or the one byte range asked for (a player seeks
 * with `Range: bytes=a-b`), read from the database in that range only.
 */
export async function streamAudioFile(db: Database, id: number, rangeHeader: string | undefined) {
  const head = await repo.findAudioFile(db, id);
  if (!head) throw notFound('فایل صوتی');
  const size = head.byte_size;
  const range = rangeHeader === undefined ? undefined : byteRange(rangeHeader, size);
  const common = {
    'accept-ranges': 'bytes',
    'cache-control': 'private, no-cache',
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'",
  };
  if (range === null)
    return {
      status: 416,
      headers: { ...common, 'content-range': `bytes */${size}` },
      body: Buffer.alloc(0),
    } as AudioStream;
  const file = await repo.findContent(db, id, range);
  if (!file) throw notFound('فایل صوتی');
  const headers: Record<string, string> = {
    ...common,
    'content-type': file.media_type,
    'content-disposition': `inline; filename="${file.code}.${file.format}"`,
  };
  if (!range) return { status: 200, headers, body: file.content } as AudioStream;
  return {
    status: 206,
    headers: { ...headers, 'content-range': `bytes ${range.start}-${range.end}/${size}` },
    body: file.content,
  } as AudioStream;
}

/** A recording's name for the phone system: its content's SHA-256 and its format (`<sha256>.wav`). */
const RECORDING_NAME = /^([0-9a-f]{64})\.(wav|mp3)$/;

/**
 * A recording as the phone system fetches it over HTTP (Asterisk plays `sound:http://…` through its
 * media cache): by the name of its content, which nobody without the file can guess, so no session is
 * needed; the name changes with the content, so the PBX's cache never plays a replaced recording.
 */
export async function readRecordingForPhoneSystem(
  db: Database,
  name: string,
  ifNoneMatch: string | undefined,
): Promise<AudioStream> {
  const match = RECORDING_NAME.exec(name);
  if (!match) throw notFound('فایل صوتی');
  const etag = `"${match[1]}"`;
  // a cache asking again whether its copy still holds: it does while the recording exists (the name
  // is the content), and its bytes are not read
  const revalidating = ifNoneMatch?.split(',').some((t) => t.trim() === etag) ?? false;
  const file = await repo.findRecordingByContent(db, match[1]!, match[2] as 'wav' | 'mp3', !revalidating);
  if (!file) throw notFound('فایل صوتی');
  if (revalidating) return { status: 304, headers: { etag }, body: Buffer.alloc(0) };
  return {
    status: 200,
    headers: {
      'content-type': file.media_type,
      'cache-control': 'public, max-age=31536000, immutable',
      etag,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'",
    },
    body: file.content,
  };
}

/**
 * One `bytes=` range (RFC 9110: `a-b`, `a-`, or the last `-n`), clipped to the file; undefined for
 * a header we do not serve ranges for (several ranges, or an invalid one: the whole file), null when
 * unsatisfiable.
 */
function byteRange(header: string, size: number): { start: number; end: number } | undefined | null {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  if (match[1] === '') {
    const last = Number(match[2]);
    if (last === 0) return null;
    return { start: Math.max(0, size - last), end: size - 1 };
  }
  const start = Number(match[1]);
  // a last position before the first makes the header invalid, which is ignored (RFC 9110 §14.1.1)
  if (match[2] !== '' && Number(match[2]) < start) return undefined;
  if (start >= size) return null;
  return { start, end: match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1) };
}

const HQ_ONLY = 'فایل‌های صوتی را فقط کاربران ستاد بارگذاری یا حذف می‌کنند';
