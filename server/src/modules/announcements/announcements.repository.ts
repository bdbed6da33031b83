import { sql } from 'kysely';
import { likePattern } from '@vosul/common';
import type { AnnouncementListQuery } from '@vosul/common/announcements';
import type { Executor } from '../../platform/db/database.js';
import type { Scope } from '../../platform/auth/context.js';
import { fetchPage, sortColumn } from '../../platform/listing.js';

/** V10: announcements with their province's name; `visible` limits them to what the user may see. */
function announcementsQuery(db: Executor) {
  return db
    .selectFrom('announcements as a')
    .leftJoin('provinces as p', 'p.id', 'a.province_id')
    .select([
      'a.id',
      'a.code',
      'a.title',
      'a.description',
      'a.announced_on',
      'a.author_name',
      'a.status',
      'a.province_id',
      'p.name as province_name',
      'a.file_name',
      sql<boolean>`a.file_id is not null`.as('has_file'),
      'a.version',
    ]);
}

/** HQ sees every announcement; anyone else the general ones and their own province's. */
const visibleTo = (scope: Scope) =>
  scope.kind === 'hq'
    ? sql<boolean>`true`
    : sql<boolean>`(a.province_id is null or a.province_id = ${scope.provinceId})`;

function filtered(db: Executor, scope: Scope, filter: Omit<AnnouncementListQuery, 'page' | 'page_size'>) {
  let query = announcementsQuery(db).where(visibleTo(scope));
  if (filter.q) {
    const pattern = likePattern(filter.q);
    query = query.where((eb) =>
      eb.or([
        eb('a.code', 'ilike', pattern),
        eb('a.title', 'ilike', pattern),
        eb('a.author_name', 'ilike', pattern),
      ]),
    );
  }
  if (filter.status) query = query.where('a.status', '=', filter.status);
  if (filter.province_id) query = query.where('a.province_id', '=', filter.province_id);
  return query;
}

const SORT = {
  code: 'a.code',
  title: 'a.title',
  announced_on: 'a.announced_on',
  author_name: 'a.author_name',
  status: 'a.status',
  province_name: 'p.name',
  id: 'a.id',
};

export function findAnnouncementPage(db: Executor, scope: Scope, list: AnnouncementListQuery) {
  return fetchPage(filtered(db, scope, list), list, SORT, 'announced_on', 'a.id');
}

export function findAllAnnouncements(
  db: Executor,
  scope: Scope,
  filter: Omit<AnnouncementListQuery, 'page' | 'page_size'>,
) {
  const column = sortColumn(SORT, filter.sort) ?? 'a.announced_on';
  return filtered(db, scope, filter).orderBy(sql.raw(column), filter.order).orderBy('a.id').execute();
}

export function findAnnouncement(db: Executor, scope: Scope, id: number) {
  return announcementsQuery(db).where('a.id', '=', id).where(visibleTo(scope)).executeTakeFirst();
}

/** The active announcements dated up to today that concern a user: general, or their province's. */
export function findCurrentAnnouncements(db: Executor, provinceId: number | null, limit: number) {
  return announcementsQuery(db)
    .where('a.status', '=', 'active')
    .where('a.announced_on', '<=', sql<string>`current_date`)
    .where((eb) =>
      provinceId === null
        ? eb('a.province_id', 'is', null)
        : eb.or([eb('a.province_id', 'is', null), eb('a.province_id', '=', provinceId)]),
    )
    .orderBy('a.announced_on', 'desc')
    .orderBy('a.id', 'desc')
    .limit(limit)
    .execute();
}

export function findIdByCode(db: Executor, code: string, exceptId?: number) {
  let query = db.selectFrom('announcements').select('id').where('code', '=', code);
  if (exceptId !== undefined) query = query.where('id', '<>', exceptId);
  return query.executeTakeFirst();
}

export interface AnnouncementValues {
  code: string;
  title: string;
  description: string | null;
  announced_on: string;
  status: 'active' | 'inactive';
  province_id: number | null;
}

export function insertAnnouncement(
  db: Executor,
  values: AnnouncementValues & { author_id: number; author_name: string },
) {
  return db.insertInto('announcements').values(values).returning('id').executeTakeFirstOrThrow();
}

/** Applies the change only if nobody saved since `version`; undefined means stale. */
export function updateAnnouncement(
  db: Executor,
  id: number,
  version: number,
  values: Partial<AnnouncementValues>,
) {
  return db
    .updateTable('announcements')
    .set({ ...values, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning('id')
    .executeTakeFirst();
}

export function deleteAnnouncements(db: Executor, ids: number[]) {
  return db
    .deleteFrom('announcements')
    .where('id', 'in', ids)
    .returning(['id', 'code', 'title', 'announced_on', 'status', 'province_id', 'file_id'])
    .execute();
}

export function findFileId(db: Executor, id: number) {
  return db
    .selectFrom('announcements')
    .select(['file_id', 'file_name'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function setFile(
  db: Executor,
  id: number,
  file: { id: string; name: string } | null,
): Promise<void> {
  await db
    .updateTable('announcements')
    .set({
      file_id: file?.id ?? null,
      file_name: file?.name ?? null,
      version: sql`version + 1`,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .execute();
}

export function insertStoredFile(
  db: Executor,
  file: { media_type: string; byte_size: number; sha256: string; content: Buffer },
) {
  return db.insertInto('stored_files').values(file).returning('id').executeTakeFirstOrThrow();
}

export function findStoredFile(db: Executor, id: string) {
  return db
    .selectFrom('stored_files')
    .select(['media_type', 'byte_size', 'sha256', 'content'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function deleteStoredFiles(db: Executor, ids: readonly string[]): Promise<void> {
  if (ids.length > 0)
    await db
      .deleteFrom('stored_files')
      .where('id', 'in', [...ids])
      .execute();
}
