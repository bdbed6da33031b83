import type pg from 'pg';

/** Above this share of a table's rows, one pass over the table costs less than a look-up per key. */
const WHOLE_TABLE_SHARE = 0.2;

/**
 * How many keys `keys` (a count query) gives, and whether they are few enough to look up one at a
 * time against the largest of `tables`, by its size as the statistics have it (counting would read it
 * all; a table not analysed yet, -1, counts as empty). The planner's own choice goes wrong both ways
 * on a large book: a hash over the whole table for a few thousand keys, or (before a first run's rows
 * are analysed) a look-up per key for most of it.
 */
export async function countKeys(
  c: pg.ClientBase,
  keys: string,
  tables: string[],
): Promise<{ count: number; few: boolean }> {
  const { rows } = await c.query<{ count: number; size: number }>(
    `SELECT (${keys})::int AS count,
            (SELECT greatest(max(reltuples), 0) FROM pg_class WHERE oid = ANY($1::regclass[])) AS size`,
    [tables],
  );
  return { count: rows[0]!.count, few: rows[0]!.count <= WHOLE_TABLE_SHARE * rows[0]!.size };
}
