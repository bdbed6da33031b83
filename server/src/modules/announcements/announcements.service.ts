import { createHash } from 'node:crypto';
import {
  ANNOUNCEMENT_FILE_MAX_BYTES,
  type AnnouncementInput,
  type AnnouncementListQuery,
} from '@vosul/common/announcements';
import type { Database, Executor } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/auth/context.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, notFound, staleEdit } from '../../platform/errors.js';
import { recordedExport } from '../../platform/export-log.js';
import { sniffImageType } from '../users/photo.js';
import * as repo from './announcements.repository.js';

/** How many announcements the home page shows. */
const CURRENT_LIMIT = 20;
const ENTITY = 'announcement';

/**
 * V10. HQ manages every announcement; a province or branch user with the page manages only their own
 * province's (general ones concern every province, so they are HQ's) and sees the general ones.
 */
export const listAnnouncements = (db: Database, ctx: RequestContext, list: AnnouncementListQuery) =>
  repo.findAnnouncementPage(db, ctx.user.scope, list);

export async function exportAnnouncements(db: Database, ctx: RequestContext, list: AnnouncementListQuery) {
  const { page: _p, page_size: _s, ...filter } = list;
  const rows = await repo.findAllAnnouncements(db, ctx.user.scope, filter);
  return recordedExport(db, ctx, { name: 'announcements', filter }, rows);
}

export async function getAnnouncement(db: Executor, ctx: RequestContext, id: number) {
  return (await repo.findAnnouncement(db, ctx.user.scope, id)) ?? throwNotFound();
}

/** The home page's announcements: active, dated today or earlier, general or of the user's province. */
export async function currentAnnouncements(db: Database, ctx: RequestContext) {
  const provinceId = ctx.user.scope.kind === 'hq' ? null : ctx.user.scope.provinceId;
  return { items: await repo.findCurrentAnnouncements(db, provinceId, CURRENT_LIMIT) };
}

export async function createAnnouncement(db: Database, ctx: RequestContext, input: AnnouncementInput) {
  assertMayWrite(ctx, input.province_id, 'ثبت');
  return db.transaction().execute(async (trx) => {
    await assertUniqueCode(trx, input.code, undefined);
    const { id } = await repo.insertAnnouncement(trx, {
      ...input,
      author_id: ctx.user.id,
      author_name: `${ctx.user.firstName} ${ctx.user.lastName}`.trim() || ctx.user.username,
    });
    const after = await getAnnouncement(trx, ctx, id);
    await recordAudit(trx, ctx, { entity: ENTITY, entityId: id, action: 'create', after });
    return after;
  });
}

export async function updateAnnouncement(
  db: Database,
  ctx: RequestContext,
  id: number,
  input: Partial<AnnouncementInput> & { version: number },
) {
  return db.transaction().execute(async (trx) => {
    const before = await getAnnouncement(trx, ctx, id);
    assertMayWrite(ctx, before.province_id, 'ویرایش');
    const { version, ...changes } = input;
    const values = Object.fromEntries(
      Object.entries(changes).filter(([, v]) => v !== undefined),
    ) as Partial<repo.AnnouncementValues>;
    if (values.province_id !== undefined) assertMayWrite(ctx, values.province_id, 'ویرایش');
    if (values.code !== undefined) await assertUniqueCode(trx, values.code, id);
    if (!(await repo.updateAnnouncement(trx, id, version, values))) throw staleEdit();
    const after = await getAnnouncement(trx, ctx, id);
    await recordAudit(trx, ctx, { entity: ENTITY, entityId: id, action: 'update', before, after });
    return after;
  });
}

/** Multi-select delete: all or nothing; an id out of sight is 404. Their files go with them. */
export async function deleteAnnouncements(db: Database, ctx: RequestContext, ids: number[]) {
  await db.transaction().execute(async (trx) => {
    for (const id of ids) {
      const found = await getAnnouncement(trx, ctx, id);
      assertMayWrite(ctx, found.province_id, 'حذف');
    }
    const deleted = await repo.deleteAnnouncements(trx, ids);
    await repo.deleteStoredFiles(
      trx,
      deleted.flatMap((d) => (d.file_id ? [d.file_id] : [])),
    );
    for (const row of deleted)
      await recordAudit(trx, ctx, { entity: ENTITY, entityId: row.id, action: 'delete', before: row });
  });
}

// ---- the attached file ----------------------------------------------------------------------------

export const fileTooLarge = () =>
  new AppError('payload_too_large', 'حجم فایل پیوست حداکثر ۵ مگابایت است', 'file');

/** Attaches (or replaces) the announcement's file; any type, served back only as a download. */
export async function putAnnouncementFile(
  db: Database,
  ctx: RequestContext,
  id: number,
  file: { buffer: Buffer; fileName: string },
) {
  const found = await getAnnouncement(db, ctx, id);
  assertMayWrite(ctx, found.province_id, 'ویرایش');
  if (file.buffer.length > ANNOUNCEMENT_FILE_MAX_BYTES) throw fileTooLarge();
  const name = cleanFileName(file.fileName);
  return db.transaction().execute(async (trx) => {
    const old = await repo.findFileId(trx, id);
    const sha256 = createHash('sha256').update(file.buffer).digest('hex');
    const stored = await repo.insertStoredFile(trx, {
      media_type: mediaTypeOf(file.buffer),
      byte_size: file.buffer.length,
      sha256,
      content: file.buffer,
    });
    await repo.setFile(trx, id, { id: stored.id, name });
    if (old?.file_id) await repo.deleteStoredFiles(trx, [old.file_id]);
    const after = await getAnnouncement(trx, ctx, id);
    await recordAudit(trx, ctx, {
      entity: ENTITY,
      entityId: id,
      action: 'update',
      before: { file_name: old?.file_name ?? null },
      after: { file_name: name, byte_size: file.buffer.length, sha256 },
    });
    return after;
  });
}

/** The file of an announcement the user may see (the list's, or the home page's). */
export async function getAnnouncementFile(db: Database, ctx: RequestContext, id: number) {
  await getAnnouncement(db, ctx, id);
  const ref = await repo.findFileId(db, id);
  const file = ref?.file_id ? await repo.findStoredFile(db, ref.file_id) : undefined;
  if (!file || !ref) throw notFound('فایل پیوست اعلان');
  return { ...file, name: ref.file_name ?? 'attachment' };
}

export async function deleteAnnouncementFile(db: Database, ctx: RequestContext, id: number) {
  const found = await getAnnouncement(db, ctx, id);
  assertMayWrite(ctx, found.province_id, 'ویرایش');
  await db.transaction().execute(async (trx) => {
    const old = await repo.findFileId(trx, id);
    if (!old?.file_id) return;
    await repo.setFile(trx, id, null);
    await repo.deleteStoredFiles(trx, [old.file_id]);
    await recordAudit(trx, ctx, {
      entity: ENTITY,
      entityId: id,
      action: 'update',
      before: { file_name: old.file_name },
      after: { file_name: null },
    });
  });
}

/** PDF or an image by its bytes; anything else is sent as opaque bytes. */
function mediaTypeOf(content: Buffer): string {
  if (content.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  return sniffImageType(content) ?? 'application/octet-stream';
}

/** The uploaded name without folders or control characters, at most 200 characters. */
function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f"]/g, '')
    .trim()
    .slice(-200);
  return clean || 'attachment';
}

function assertMayWrite(ctx: RequestContext, provinceId: number | null, action: string) {
  const scope = ctx.user.scope;
  if (scope.kind === 'hq') return;
  if (provinceId === null)
    throw new AppError('forbidden', `${action} اعلان عمومی فقط برای کاربران ستاد مجاز است`, 'province_id');
  if (provinceId !== scope.provinceId)
    throw new AppError('forbidden', `${action} اعلان استان دیگر مجاز نیست`, 'province_id');
}

async function assertUniqueCode(trx: Executor, code: string, exceptId: number | undefined) {
  if (await repo.findIdByCode(trx, code, exceptId))
    throw new AppError('conflict', `کد اعلان ${code} قبلاً ثبت شده است`, 'code');
}

function throwNotFound(): never {
  throw notFound('اعلان');
}
