import { sql } from 'kysely';
import { likePattern, type ListQuery } from '@vosul/common';
import type { Executor } from '../../platform/db/database.js';
import { fetchPage } from '../../platform/listing.js';

/** Access groups with their pages and how many users hold each. */
function groupsQuery(db: Executor, q: string | undefined) {
  let query = db
    .selectFrom('access_groups as g')
    .select([
      'g.id',
      'g.code',
      'g.title',
      'g.needs_approval',
      'g.version',
      sql<
        string[]
      >`array(select gp.page_key from access_group_pages gp where gp.group_id = g.id order by gp.page_key)`.as(
        'pages',
      ),
      sql<number>`(select count(*)::int from user_groups ug where ug.group_id = g.id)`.as('user_count'),
    ]);
  if (q) query = query.where('g.title', 'ilike', likePattern(q));
  return query;
}

const GROUP_SORT = { title: 'g.title', user_count: 'user_count', id: 'g.id' };

export function findGroupsPage(db: Executor, list: ListQuery, onlyWithin: readonly string[] | undefined) {
  return fetchPage(withinPages(groupsQuery(db, list.q), onlyWithin), list, GROUP_SORT, 'title', 'g.id');
}

export function findAllGroups(db: Executor, q: string | undefined) {
  return groupsQuery(db, q).orderBy('g.title').execute();
}

export function findGroup(db: Executor, id: number) {
  return groupsQuery(db, undefined).where('g.id', '=', id).executeTakeFirst();
}

export function findGroupsByIds(db: Executor, ids: readonly number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return groupsQuery(db, undefined)
    .where('g.id', 'in', [...ids])
    .execute();
}

/** Groups by exact title (after normalisation), for the wizard's «گروه‌های دسترسی» column. */
export function findGroupsByTitles(db: Executor, titles: readonly string[]) {
  if (titles.length === 0) return Promise.resolve([]);
  return groupsQuery(db, undefined)
    .where('g.title', 'in', [...titles])
    .execute();
}

/** Only groups whose every page is in `pages` (the ones a user holding `pages` may grant). */
function withinPages<Q extends ReturnType<typeof groupsQuery>>(
  query: Q,
  pages: readonly string[] | undefined,
): Q {
  if (!pages) return query;
  return query.where(
    sql<boolean>`not exists (select 1 from access_group_pages gp where gp.group_id = g.id and not (gp.page_key = any(${sql.val([...pages])}::text[])))`,
  ) as Q;
}

export function findGroupIdByTitle(db: Executor, title: string, exceptId: number | undefined) {
  let q = db.selectFrom('access_groups').select('id').where('title', '=', title);
  if (exceptId !== undefined) q = q.where('id', '<>', exceptId);
  return q.executeTakeFirst();
}

export function insertGroup(db: Executor, title: string, needsApproval: boolean) {
  return db
    .insertInto('access_groups')
    .values({ title, code: null, needs_approval: needsApproval })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** Applies the change only if nobody saved since `version`; undefined means stale. */
export function updateGroup(
  db: Executor,
  id: number,
  version: number,
  values: { title?: string; needs_approval?: boolean },
) {
  return db
    .updateTable('access_groups')
    .set({ ...values, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning('id')
    .executeTakeFirst();
}

export async function replaceGroupPages(
  db: Executor,
  groupId: number,
  pages: readonly string[],
): Promise<void> {
  await db.deleteFrom('access_group_pages').where('group_id', '=', groupId).execute();
  if (pages.length > 0) {
    await db
      .insertInto('access_group_pages')
      .values(pages.map((page_key) => ({ group_id: groupId, page_key })))
      .execute();
  }
}

export function deleteGroups(db: Executor, ids: readonly number[]) {
  return db
    .deleteFrom('access_groups')
    .where('id', 'in', [...ids])
    .returning('id')
    .execute();
}

/** Serialises edits of group membership against deletes of groups (a delete checks, then deletes). */
export async function lockGroups(db: Executor, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .selectFrom('access_groups')
    .select('id')
    .where('id', 'in', [...ids])
    .forUpdate()
    .execute();
}
