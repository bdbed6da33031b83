import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { Scope } from '../../platform/auth/context.js';

/** Holidays and closures with their province's name. */
function holidaysQuery(db: Executor) {
  return db
    .selectFrom('holidays as h')
    .leftJoin('provinces as p', 'p.id', 'h.province_id')
    .select(['h.id', 'h.day', 'h.title', 'h.kind', 'h.province_id', 'p.name as province_name', 'h.version']);
}

/** HQ sees every province's closures; anyone else the country-wide days and their own province's. */
const visibleTo = (scope: Scope) =>
  scope.kind === 'hq'
    ? sql<boolean>`true`
    : sql<boolean>`(h.province_id is null or h.province_id = ${scope.provinceId})`;

/** The days in [from, until) that the user may see; with `provinceId`, the country's and that province's. */
export function findHolidays(
  db: Executor,
  scope: Scope,
  range: { from: string; until: string; provinceId?: number | undefined },
) {
  let query = holidaysQuery(db)
    .where(visibleTo(scope))
    .where('h.day', '>=', range.from)
    .where('h.day', '<', range.until);
  if (range.provinceId !== undefined) {
    const provinceId = range.provinceId;
    query = query.where((eb) =>
      eb.or([eb('h.province_id', 'is', null), eb('h.province_id', '=', provinceId)]),
    );
  }
  return query
    .orderBy('h.day')
    .orderBy(sql`h.province_id nulls first`)
    .execute();
}

export function findHoliday(db: Executor, scope: Scope, id: number) {
  return holidaysQuery(db).where('h.id', '=', id).where(visibleTo(scope)).executeTakeFirst();
}

/** The entry already on `day` for the same province (or the country), other than `exceptId`. */
export function findSameDay(db: Executor, day: string, provinceId: number | null, exceptId?: number) {
  let query = db
    .selectFrom('holidays')
    .select(['id', 'title'])
    .where('day', '=', day)
    .where((eb) =>
      provinceId === null ? eb('province_id', 'is', null) : eb('province_id', '=', provinceId),
    );
  if (exceptId !== undefined) query = query.where('id', '<>', exceptId);
  return query.executeTakeFirst();
}

export function provinceExists(db: Executor, id: number) {
  return db.selectFrom('provinces').select('id').where('id', '=', id).executeTakeFirst();
}

export interface HolidayValues {
  day: string;
  title: string;
  kind: 'official' | 'closure';
  province_id: number | null;
}

export function insertHoliday(db: Executor, values: HolidayValues & { created_by: number }) {
  return db.insertInto('holidays').values(values).returning('id').executeTakeFirstOrThrow();
}

/** Applies the change only if nobody saved since `version`; undefined means stale. */
export function updateHoliday(db: Executor, id: number, version: number, values: Partial<HolidayValues>) {
  return db
    .updateTable('holidays')
    .set({ ...values, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning('id')
    .executeTakeFirst();
}

export function deleteHoliday(db: Executor, id: number) {
  return db
    .deleteFrom('holidays')
    .where('id', '=', id)
    .returning(['id', 'day', 'title', 'kind', 'province_id'])
    .executeTakeFirst();
}

/** The SQL function the planner uses, for callers in Node (one date at a time). */
export async function nextWorkingDay(db: Executor, date: string, provinceId: number | null): Promise<string> {
  const { rows } = await sql<{ day: string }>`
    select vosul_next_working_day(${date}::date, ${provinceId}::integer)::text as day`.execute(db);
  return rows[0]!.day;
}

export async function isWorkingDay(db: Executor, date: string, provinceId: number | null): Promise<boolean> {
  const { rows } = await sql<{ working: boolean }>`
    select vosul_is_working_day(${date}::date, ${provinceId}::integer) as working`.execute(db);
  return rows[0]!.working;
}
