import type { Executor } from './db/database.js';
import type { RequestContext } from './auth/context.js';

/**
 * B7: every export of personal data (Excel, CSV) is recorded — who, when, from where, which export
 * and with which filter. Call it from the service before the rows go out; when the rows are streamed
 * and their number is not known yet, wrap them in `countedRows` to fill it in once the last is sent.
 */
export async function recordExport(
  db: Executor,
  ctx: RequestContext,
  entry: { name: string; filter: Record<string, unknown>; rows?: number },
): Promise<string> {
  const filter = Object.fromEntries(Object.entries(entry.filter).filter(([, v]) => v !== undefined));
  const row = await db
    .insertInto('export_log')
    .values({
      user_id: ctx.user.id,
      username: ctx.user.username,
      ip: ctx.ip,
      request_id: ctx.requestId,
      name: entry.name,
      filter: JSON.stringify(filter),
      row_count: entry.rows ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Passes rows through and, after the last one, stores how many went out in the export's record. */
export async function* countedRows<Row>(
  db: Executor,
  exportId: string,
  rows: AsyncIterable<Row> | Iterable<Row>,
): AsyncGenerator<Row> {
  let count = 0;
  for await (const row of rows) {
    count += 1;
    yield row;
  }
  await db.updateTable('export_log').set({ row_count: count }).where('id', '=', exportId).execute();
}

/**
 * An export of personal data as a service hands it to the route: recorded first (B7), then the rows
 * pass through `countedRows` so the record gets their number once the last is sent.
 */
export async function recordedExport<Row>(
  db: Executor,
  ctx: RequestContext,
  entry: { name: string; filter: Record<string, unknown> },
  rows: AsyncIterable<Row> | Iterable<Row>,
): Promise<AsyncGenerator<Row>> {
  const exportId = await recordExport(db, ctx, entry);
  return countedRows(db, exportId, rows);
}

/** Maps streamed rows one by one (a row read from the database into the shape the export sends). */
export async function* mapRows<From, To>(
  rows: AsyncIterable<From>,
  map: (row: From) => To,
): AsyncGenerator<To> {
  for await (const row of rows) yield map(row);
}
