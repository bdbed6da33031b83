import { sql, type QueryExecutorProvider, type RawBuilder, type SelectQueryBuilder } from 'kysely';
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
  const counted = query.select(sql<string>`count(*) over ()`.as('__total'));
  const rows = await inPageOrder(counted, list, sortable, defaultSort, tieBreaker).execute();
  const total =
    rows.length > 0 ? Number((rows[0] as unknown as { __total: string }).__total) : await countAll(query);
  const items = rows.map((r) => {
    const { __total: _omit, ...rest } = r as unknown as O & { __total: string };
    return rest as O;
  });
  return { items, total };
}

/** The list's page of a query: sorted by a whitelisted column (else the default), then `tieBreaker`. */
function inPageOrder<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  list: Pick<ListQuery, 'page' | 'page_size' | 'sort' | 'order'>,
  sortable: Record<string, string>,
  defaultSort: string,
  tieBreaker: string,
): SelectQueryBuilder<DB, TB, O> {
  const column = (list.sort && sortable[list.sort]) || sortable[defaultSort] || defaultSort;
  return query
    .orderBy(sql.raw(column), list.order)
    .orderBy(sql.raw(tieBreaker))
    .limit(list.page_size)
    .offset((list.page - 1) * list.page_size);
}

async function countAll<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>): Promise<number> {
  // Only when the page is past the end: the window count had no row to ride on.
  const row = await query
    .clearSelect()
    .select(sql<string>`count(*)`.as('n'))
    .executeTakeFirst();
  return Number((row as { n?: string } | undefined)?.n ?? 0);
}

/**
 * A page and a total counted no further than `cap` (beyond it the total is `cap` and `total_capped`),
 * in one statement: a search on a national book may match tens of thousands of rows, and counting
 * them all would cost more than the page. `matches` selects the matching rows' ids (repeats allowed,
 * at least cap + 1 of them when there are that many), the cheapest way the caller knows. The page is
 * read in sort order, so with a LIMIT the planner may walk the sort column's index and check the
 * match on the way when matches are common.
 */
export async function fetchCappedPage<DB, TB extends keyof DB, O>(
  db: QueryExecutorProvider,
  query: SelectQueryBuilder<DB, TB, O>,
  matches: RawBuilder<unknown>,
  list: Pick<ListQuery, 'page' | 'page_size' | 'sort' | 'order'>,
  sortable: Record<string, string>,
  defaultSort: string,
  tieBreaker: string,
  cap: number,
): Promise<{ items: O[]; total: number; total_capped?: true }> {
  const page = inPageOrder(query, list, sortable, defaultSort, tieBreaker);
  // the count rides on every row; with the page past the end, one row of NULLs carries it alone
  const { rows } = await sql<O & { __matches: string; __row: number | null }>`
    select t.n as __matches, p.*
    from (select count(*) as n from (select 1 from (${matches}) as m limit ${cap + 1}) as capped) as t
    left join lateral (select page.*, 1 as __row from (${page}) as page) as p on true`.execute(db);
  const found = Number(rows[0]?.__matches ?? 0);
  const items = rows
    .filter((r) => r.__row !== null)
    .map((r) => {
      const { __matches: _m, __row: _r, ...rest } = r;
      return rest as unknown as O;
    });
  return found > cap ? { items, total: cap, total_capped: true } : { items, total: found };
}
