import {
  sql,
  type QueryExecutorProvider,
  type RawBuilder,
  type SelectQueryBuilder,
  type SqlBool,
} from 'kysely';
import type { ListQuery } from '@vosul/common';

/**
 * The whitelisted column of a sort name, or undefined: only the list's own keys (`constructor`,
 * `__proto__` and the like are no sort, never an object's inherited property).
 */
export function sortColumn(sortable: Record<string, string>, sort: string | undefined): string | undefined {
  return sort && Object.hasOwn(sortable, sort) ? sortable[sort] : undefined;
}

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
  const column = sortColumn(sortable, list.sort) ?? sortable[defaultSort] ?? defaultSort;
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

/** A search's capped matches: rows of `id` (and `sort_key`, the value of `sortedBy`) from a fast path. */
export interface CappedMatches {
  /** Selects `id` and `sort_key`: every match when there are at most cap + 1, else at least cap + 1 of them. */
  readonly rows: RawBuilder<unknown>;
  /** The list query's column holding the id `rows` selects. */
  readonly idColumn: string;
  /** The sortable whose value `sort_key` holds: a page in its order needs only the first rows. */
  readonly sortedBy: string;
}

/** The statement of fetchCappedPage (also for EXPLAIN). */
export function cappedPageQuery<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  matches: CappedMatches,
  list: Pick<ListQuery, 'page' | 'page_size' | 'sort' | 'order'>,
  sortable: Record<string, string>,
  defaultSort: string,
  cap: number,
  tieBreaker: string,
) {
  const sortName = sortColumn(sortable, list.sort) ? list.sort! : defaultSort;
  const direction = sql.raw(list.order === 'desc' ? 'desc' : 'asc');
  const wanted =
    sortName === matches.sortedBy
      ? sql`select id from m order by sort_key ${direction}, id limit ${list.page * list.page_size}`
      : sql`select id from m`;
  const page = inPageOrder(
    query.where(sql<boolean>`${sql.ref(matches.idColumn)} in (${wanted})`),
    list,
    sortable,
    defaultSort,
    tieBreaker,
  );
  // the count rides on every row; with the page past the end, one row of NULLs carries it alone
  return sql<O & { __matches: string; __row: number | null }>`
    with m as materialized (${matches.rows})
    select t.n as __matches, p.*
    from (select count(*) as n from (select 1 from m limit ${cap + 1}) as capped) as t
    left join lateral (select page.*, 1 as __row from (${page}) as page) as p on true`;
}

/**
 * A search's page and its total counted no further than `cap` (beyond it the total is `cap` and
 * `total_capped`), in one statement: a search on a national book may match tens of thousands of
 * rows, and counting or sorting them all would cost far more than the page. The matches are read once
 * (the caller reads them from covering indexes); the page is `query`'s rows among them, in the list's
 * order. A search past the cap pages through the matches read, which is what "more than N, refine
 * the search" promises. In the matches' own order only the page's first rows are looked up.
 */
export async function fetchCappedPage<DB, TB extends keyof DB, O>(
  db: QueryExecutorProvider,
  ...statement: Parameters<typeof cappedPageQuery<DB, TB, O>>
): Promise<{ items: O[]; total: number; total_capped?: true }> {
  const cap = statement[5];
  const { rows } = await cappedPageQuery(...statement).execute(db);
  const found = Number(rows[0]?.__matches ?? 0);
  const items = rows
    .filter((r) => r.__row !== null)
    .map((r) => {
      const { __matches: _m, __row: _r, ...rest } = r;
      return rest as unknown as O;
    });
  return found > cap ? { items, total: cap, total_capped: true } : { items, total: found };
}

/**
 * Every row of `query`, newest first by its bigint key `idColumn` (selected as `id`), read in keyset
 * batches so an export of a million rows never holds more than one batch in memory.
 */
export async function* streamNewestFirst<DB, TB extends keyof DB, O extends { id: string }>(
  query: SelectQueryBuilder<DB, TB, O>,
  idColumn: string,
  batch = 2000,
): AsyncGenerator<O> {
  let before: string | null = null;
  for (;;) {
    let next = query.orderBy(sql.ref(idColumn), 'desc').limit(batch);
    if (before !== null) next = next.where(sql<SqlBool>`${sql.ref(idColumn)} < ${before}::bigint`);
    const rows = await next.execute();
    yield* rows;
    if (rows.length < batch) return;
    before = rows[rows.length - 1]!.id;
  }
}
