import { sql, type AliasedRawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';

/**
 * Append-only logs read newest first (the audit trail, login events): a table aliased `alias` with a
 * timestamptz `at` and a bigint `id`, ordered by `(at, id)` descending. Its query selects `id` and
 * `timelineKey(alias)` so a long read can resume after the last row it got (keyset paging).
 */
export interface TimelineRow {
  id: string;
  at_key: string;
}

/** `at` at full precision (microseconds), as the key the next batch starts after. */
export const timelineKey = (alias: string): AliasedRawBuilder<string, 'at_key'> =>
  sql<string>`to_json(${sql.ref(`${alias}.at`)}) #>> '{}'`.as('at_key');

function newestFirst<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>, alias: string) {
  return query.orderBy(sql.ref(`${alias}.at`), 'desc').orderBy(sql.ref(`${alias}.id`), 'desc');
}

/** One page, newest first, with the total in the same round trip (a second query only past the end). */
async function findTimelinePage<DB, TB extends keyof DB, O extends TimelineRow>(
  query: SelectQueryBuilder<DB, TB, O>,
  alias: string,
  page: { page: number; page_size: number },
): Promise<{ rows: O[]; total: number }> {
  const rows = await newestFirst(query.select(sql<string>`count(*) over ()`.as('total')), alias)
    .limit(page.page_size)
    .offset((page.page - 1) * page.page_size)
    .execute();
  const total =
    rows.length > 0
      ? Number((rows[0] as unknown as { total: string }).total)
      : Number(
          (
            (await query
              .clearSelect()
              .select(sql<string>`count(*)`.as('n'))
              .executeTakeFirstOrThrow()) as unknown as { n: string }
          ).n,
        );
  const items = rows.map((row) => {
    const { total: _total, ...rest } = row as unknown as O & { total: string };
    return rest as unknown as O;
  });
  return { rows: items, total };
}

/** Every matching row, newest first, read in keyset batches so a large export never sits in memory. */
async function* streamTimeline<DB, TB extends keyof DB, O extends TimelineRow>(
  query: SelectQueryBuilder<DB, TB, O>,
  alias: string,
  batch = 2000,
): AsyncGenerator<O> {
  let last: { at: string; id: string } | undefined;
  for (;;) {
    let next = query;
    if (last) {
      const { at, id } = last;
      next = next.where(
        sql<SqlBool>`(${sql.ref(`${alias}.at`)}, ${sql.ref(`${alias}.id`)}) < (${at}::timestamptz, ${id}::bigint)`,
      );
    }
    const rows = await newestFirst(next, alias).limit(batch).execute();
    yield* rows as O[];
    if (rows.length < batch) return;
    const tail = rows[rows.length - 1] as O;
    last = { at: tail.at_key, id: tail.id };
  }
}

/** A filtered timeline query, read a page at a time (lists) or streamed whole (exports). */
export interface Timeline<Row> {
  page(page: { page: number; page_size: number }): Promise<{ rows: Row[]; total: number }>;
  stream(batch?: number): AsyncGenerator<Row>;
}

export type TimelineRowOf<T> = T extends Timeline<infer Row> ? Row : never;

/** `query` (over the table aliased `alias`, selecting `id` and `timelineKey(alias)`) as a timeline. */
export function timeline<DB, TB extends keyof DB, O extends TimelineRow>(
  query: SelectQueryBuilder<DB, TB, O>,
  alias: string,
): Timeline<O> {
  return {
    page: (page) => findTimelinePage(query, alias, page),
    stream: (batch = 2000) => streamTimeline(query, alias, batch),
  };
}
