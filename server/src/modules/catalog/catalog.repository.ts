import { sql } from 'kysely';
import { likePattern, type ListQuery } from '@vosul/common';
import type { Executor } from '../../platform/db/database.js';
import { fetchPage, sortColumn } from '../../platform/listing.js';

/** Both catalogs share one shape (`CatalogTable`); the table is chosen by the service's kind. */
export type CatalogTableName = 'loan_types' | 'deposit_types';

// Kysely cannot narrow a union of table names; both tables have the same columns.
const table = (name: CatalogTableName) => name as 'loan_types';

function catalogQuery(db: Executor, name: CatalogTableName, q: string | undefined) {
  let query = db.selectFrom(table(name)).select(['id', 'code', 'title', 'version']);
  if (q) {
    const pattern = likePattern(q);
    query = query.where((eb) => eb.or([eb('code', 'ilike', pattern), eb('title', 'ilike', pattern)]));
  }
  return query;
}

const SORT = { code: 'code', title: 'title', id: 'id' };

export function findCatalogPage(db: Executor, name: CatalogTableName, list: ListQuery) {
  return fetchPage(catalogQuery(db, name, list.q), list, SORT, 'code', 'id');
}

export function findAllCatalog(
  db: Executor,
  name: CatalogTableName,
  list: Pick<ListQuery, 'q' | 'sort' | 'order'>,
) {
  const column = sortColumn(SORT, list.sort) ?? 'code';
  return catalogQuery(db, name, list.q).orderBy(sql.raw(column), list.order).orderBy('id').execute();
}

export function findCatalogItem(db: Executor, name: CatalogTableName, id: number) {
  return catalogQuery(db, name, undefined).where('id', '=', id).executeTakeFirst();
}

export function findCatalogIdByCode(db: Executor, name: CatalogTableName, code: string, exceptId?: number) {
  let query = db.selectFrom(table(name)).select('id').where('code', '=', code);
  if (exceptId !== undefined) query = query.where('id', '<>', exceptId);
  return query.executeTakeFirst();
}

export function insertCatalogItem(
  db: Executor,
  name: CatalogTableName,
  values: { code: string; title: string },
) {
  return db.insertInto(table(name)).values(values).returning('id').executeTakeFirstOrThrow();
}

/** Applies the change only if nobody saved since `version`; undefined means stale (or gone). */
export function updateCatalogItem(
  db: Executor,
  name: CatalogTableName,
  id: number,
  version: number,
  values: { code?: string; title?: string },
) {
  return db
    .updateTable(table(name))
    .set({ ...values, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning('id')
    .executeTakeFirst();
}

export function deleteCatalogItems(db: Executor, name: CatalogTableName, ids: number[]) {
  return db
    .deleteFrom(table(name))
    .where('id', 'in', ids)
    .returning(['id', 'code', 'title', 'version'])
    .execute();
}

/** What refers to one catalog record: a Persian label of the referring records and how many there are. */
export interface CatalogUsage {
  id: number;
  code: string;
  uses: { what: string; count: number }[];
}

/**
 * What still uses each loan type: the facilities of the book (`facilities.loan_type_id`) and the
 * workflows (`workflow_loan_types`), so deleting a used loan type is refused with 409 instead of a
 * foreign-key error.
 */
export async function findLoanTypeUsage(db: Executor, ids: number[]): Promise<CatalogUsage[]> {
  const rows = await db
    .selectFrom('loan_types as t')
    .select([
      't.id',
      't.code',
      sql<number>`(select count(*)::int from facilities f where f.loan_type_id = t.id)`.as('facilities'),
      sql<number>`(select count(*)::int from workflow_loan_types w where w.loan_type_id = t.id)`.as(
        'workflows',
      ),
    ])
    .where('t.id', 'in', ids)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    uses: [
      { what: 'تسهیلات', count: r.facilities },
      { what: 'گردش کار', count: r.workflows },
    ],
  }));
}

/**
 * What still uses each deposit type. Nothing yet; the club issue (C7) adds the account balances
 * whose `account_type` names a deposit type.
 */
export async function findDepositTypeUsage(db: Executor, ids: number[]): Promise<CatalogUsage[]> {
  const rows = await db
    .selectFrom('deposit_types as t')
    .select(['t.id', 't.code'])
    .where('t.id', 'in', ids)
    .execute();
  return rows.map((r) => ({ id: r.id, code: r.code, uses: [] }));
}
