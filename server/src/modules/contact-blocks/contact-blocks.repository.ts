import { sql } from 'kysely';
import { likePattern, normalizeMobile, normalizeText, type ListQuery } from '@vosul/common';
import type { Executor } from '../../platform/db/database.js';
import { fetchPage, sortColumn } from '../../platform/listing.js';

/** The blocks with whether they still hold (an end date not yet passed, on the business clock). */
function blocksQuery(db: Executor) {
  return db
    .selectFrom('contact_blocks as b')
    .select([
      'b.id',
      'b.national_code',
      'b.mobile',
      'b.person_name',
      'b.reason',
      'b.until',
      sql<boolean>`(b.until is null or b.until >= current_date)`.as('active'),
      'b.created_by_name',
      'b.created_at',
      'b.version',
    ]);
}

const SORT: Record<string, string> = {
  national_code: 'b.national_code',
  mobile: 'b.mobile',
  person_name: 'b.person_name',
  reason: 'b.reason',
  until: 'b.until',
  active: 'active',
  created_by_name: 'b.created_by_name',
  created_at: 'b.created_at',
};

/** `q` over national code, mobile (as typed or in its stored form), name and reason. */
function matching(db: Executor, q: string | undefined) {
  const query = blocksQuery(db);
  const text = q ? normalizeText(q) : '';
  if (!text) return query;
  const patterns = [likePattern(text)];
  const mobile = normalizeMobile(text);
  if (mobile && mobile !== text) patterns.push(likePattern(mobile));
  return query.where((eb) =>
    eb.or(
      patterns.flatMap((p) => [
        eb('b.national_code', 'ilike', p),
        eb('b.mobile', 'ilike', p),
        eb('b.person_name', 'ilike', p),
        eb('b.reason', 'ilike', p),
      ]),
    ),
  );
}

const NEWEST_FIRST = { sort: 'created_at', order: 'desc' as const };

/** One page of the matches, the newest first unless sorted. */
export function findBlocksPage(db: Executor, list: ListQuery) {
  const sorted = list.sort ? list : { ...list, ...NEWEST_FIRST };
  return fetchPage(matching(db, list.q), sorted, SORT, 'created_at', 'b.id');
}

/** Every match in the list's order (the export; the list is a few thousand people at most). */
export function findAllBlocks(db: Executor, list: Pick<ListQuery, 'q' | 'sort' | 'order'>) {
  const { sort, order } = list.sort ? { sort: list.sort, order: list.order } : NEWEST_FIRST;
  const column = sortColumn(SORT, sort) ?? SORT.created_at!;
  return matching(db, list.q).orderBy(sql.raw(column), order).orderBy('b.id').execute();
}

export function findBlock(db: Executor, id: number) {
  return blocksQuery(db).where('b.id', '=', id).executeTakeFirst();
}

/** Another block of the same national code or mobile (each person is listed once). */
export function findSamePerson(
  db: Executor,
  person: { national_code: string | null; mobile: string | null },
  exceptId?: number,
) {
  let query = db
    .selectFrom('contact_blocks')
    .select(['id', 'national_code', 'mobile'])
    .where((eb) =>
      eb.or([
        ...(person.national_code ? [eb('national_code', '=', person.national_code)] : []),
        ...(person.mobile ? [eb('mobile', '=', person.mobile)] : []),
      ]),
    );
  if (exceptId !== undefined) query = query.where('id', '<>', exceptId);
  return query.executeTakeFirst();
}

/** The name of the customer with this national code, else this mobile; '' when none is. */
export async function findPersonName(
  db: Executor,
  person: { national_code: string | null; mobile: string | null },
): Promise<string> {
  for (const [column, value] of [
    ['national_id', person.national_code],
    ['mobile', person.mobile],
  ] as const) {
    if (!value) continue;
    const row = await db
      .selectFrom('customers')
      .select(sql<string>`btrim(coalesce(first_name, '') || ' ' || last_name)`.as('name'))
      .where(column, '=', value)
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    if (row) return row.name;
  }
  return '';
}

export interface BlockValues {
  national_code: string | null;
  mobile: string | null;
  person_name: string;
  reason: string;
  until: string | null;
}

export function insertBlock(
  db: Executor,
  values: BlockValues & { created_by: number; created_by_name: string },
) {
  return db.insertInto('contact_blocks').values(values).returning('id').executeTakeFirstOrThrow();
}

/** Applies the change only if nobody saved since `version`; undefined means stale. */
export function updateBlock(db: Executor, id: number, version: number, values: Partial<BlockValues>) {
  return db
    .updateTable('contact_blocks')
    .set({ ...values, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning('id')
    .executeTakeFirst();
}

export function deleteBlock(db: Executor, id: number) {
  return db.deleteFrom('contact_blocks').where('id', '=', id).execute();
}

/** Whether `day` is before today on the business clock (the session's time zone). */
export async function isPast(db: Executor, day: string): Promise<boolean> {
  const row = await db
    .selectNoFrom(sql<boolean>`${day}::date < current_date`.as('past'))
    .executeTakeFirstOrThrow();
  return row.past;
}
