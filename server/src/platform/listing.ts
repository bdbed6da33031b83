import { sql, type QueryExecutorProvider, type SelectQueryBuilder } from 'kysely';
import type { ListQuery } from '@vosul/common';

/**
 * Pages a list query on the server: sorting by a whitelisted column (anything else falls back to the
 * default; `tieBreaker` keeps pages stable among equal values), and the total from a window count in the same round trip.
 */
export async function fetchPage<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  list: Pick<ListQuery, 'page' | 'page_size' | 'sort' | 'order'>,
  sortable: Record<string, string>,
  defaultSort: string,
  tieBreaker = 'id',
): Promise<{ items: O[]; total: number }> {
  const column = (list.sort && sortable[list.sort]) || sortable[defaultSort] || defaultSort;
  const rows = await query
    .select(sql<string>`count(*) over ()`.as('__total'))
    .orderBy(sql.raw(column), list.order)
    .orderBy(sql.raw(tieBreaker))
    .limit(list.page_size)
    .offset((list.page - 1) * list.page_size)
    .execute();
  const total =
    rows.length > 0 ? Number((rows[0] as unknown as { __total: string }).__total) : await countAll(query);
  const items = rows.map((r) => {
    const { __total: _omit, ...rest } = r as unknown as O & { __total: string };
    return rest as O;
  });
  return { items, total };
}

async function countAll<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>): Promise<number> {
  // Only when the page is past the end: the window count had no row to ride on.
  const row = await query
    .clearSelect()
    .select(sql<string>`count(*)`.as('n'))
    .executeTakeFirst();
  return Number((row as { n?: string } | undefined)?.n ?? 0);
}

/** One page of rows, sorted by a whitelisted column, without a total. */
export async function fetchPageRows<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  list: Pick<ListQuery, 'page' | 'page_size' | 'sort' | 'order'>,
  sortable: Record<string, string>,
  defaultSort: string,
  tieBreaker = 'id',
): Promise<O[]> {
  const column = (list.sort && sortable[list.sort]) || sortable[defaultSort] || defaultSort;
  return query
    .orderBy(sql.raw(column), list.order)
    .orderBy(sql.raw(tieBreaker))
    .limit(list.page_size)
    .offset((list.page - 1) * list.page_size)
    .execute();
}

/** How many rows the query has, counting no further than `limit` (the scan stops there). */
export async function countUpTo<DB, TB extends keyof DB, O>(
  db: QueryExecutorProvider,
  query: SelectQueryBuilder<DB, TB, O>,
  limit: number,
): Promise<number> {
  const capped = query
    .clearSelect()
    .select(sql<number>`1`.as('one'))
    .limit(limit);
  const { rows } = await sql<{ n: string }>`select count(*) as n from (${capped}) as capped`.execute(db);
  return Number(rows[0]?.n ?? 0);
}
