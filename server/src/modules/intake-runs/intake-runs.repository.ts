import { sql } from 'kysely';
import type { IntakeRunFilter, IntakeRunStatus } from '@vosul/common/intake';
import type { Executor } from '../../platform/db/database.js';
import { whereInDays } from '../../platform/date-range.js';

const RUN_COLUMNS = [
  'r.id',
  'r.as_of',
  'r.source',
  'r.status',
  'r.forced',
  'r.original_name',
  'r.uploaded_by_name',
  'r.queued_at',
  'r.started_at',
  'r.finished_at',
  'r.seconds',
  'r.retries',
  'r.max_retries',
  'r.next_attempt_at',
  'r.progress',
  'r.stage',
  'r.refusal',
  'r.message',
  'r.counts',
  'r.rejects',
  'r.closed',
  'r.folder',
] as const;

/** The runs matching `filter`, newest first unless sorted otherwise (the report and its export). */
export function runsQuery(db: Executor, filter: Partial<IntakeRunFilter>, timeZone: string) {
  let query = db.selectFrom('snapshot_imports as r').select(RUN_COLUMNS);
  if (filter.status) query = query.where('r.status', '=', filter.status);
  if (filter.source) query = query.where('r.source', '=', filter.source);
  return whereInDays(query, 'r.queued_at', filter, timeZone);
}

export type RunRow = Awaited<ReturnType<ReturnType<typeof runsQuery>['executeTakeFirstOrThrow']>>;

export const SORTABLE: Record<string, string> = {
  started_at: 'r.queued_at',
  as_of: 'r.as_of',
  status: 'r.status',
  seconds: 'r.seconds',
  rejects: 'r.rejects',
};

export const findRun = (db: Executor, id: string) =>
  db.selectFrom('snapshot_imports as r').select(RUN_COLUMNS).where('r.id', '=', id).executeTakeFirst();

/** The rejects of a run per file (for the counts) and in full (for the Excel download). */
export async function rejectCountsByFile(
  db: Executor,
  ids: string[],
): Promise<Map<string, Map<string, number>>> {
  const result = new Map<string, Map<string, number>>();
  if (ids.length === 0) return result;
  const rows = await db
    .selectFrom('import_rejects')
    .select(['import_id', 'file', sql<string>`count(*)`.as('n')])
    .where('import_id', 'in', ids)
    .groupBy(['import_id', 'file'])
    .execute();
  for (const row of rows) {
    const byFile = result.get(row.import_id) ?? new Map<string, number>();
    byFile.set(row.file, Number(row.n));
    result.set(row.import_id, byFile);
  }
  return result;
}

/** A run's rejected rows in file and line order, read in batches (a run may reject millions). */
export async function* rejectsOf(db: Executor, id: string, batch = 5000) {
  let after = '0';
  for (;;) {
    const rows = await db
      .selectFrom('import_rejects')
      .select(['id', 'file', 'line', 'reason'])
      .where('import_id', '=', id)
      .where('id', '>', after)
      .orderBy('id')
      .limit(batch)
      .execute();
    for (const { id: _id, ...row } of rows) yield row;
    if (rows.length < batch) return;
    after = rows.at(-1)!.id;
  }
}

/** Every matching run, newest first, read in batches (the Excel export). */
export async function* streamRuns(
  db: Executor,
  filter: Partial<IntakeRunFilter>,
  timeZone: string,
  batch = 1000,
) {
  for (let offset = 0; ; offset += batch) {
    const rows = await runsQuery(db, filter, timeZone)
      .orderBy('r.queued_at', 'desc')
      .orderBy('r.id', 'desc')
      .limit(batch)
      .offset(offset)
      .execute();
    yield* rows;
    if (rows.length < batch) return;
  }
}

/** A run waiting in the queue; the as-of date is the one asked for (or today) until the import reads it. */
export async function insertQueuedRun(
  db: Executor,
  run: {
    asOf: string;
    source: 'upload' | 'drop_folder';
    folder: string;
    forced: boolean;
    maxRetries: number;
    uploadedBy: number | null;
    uploadedByName: string | null;
    originalName: string | null;
  },
): Promise<string> {
  const row = await db
    .insertInto('snapshot_imports')
    .values({
      as_of: run.asOf,
      source: run.source,
      folder: run.folder,
      forced: run.forced,
      status: 'queued',
      max_retries: run.maxRetries,
      uploaded_by: run.uploadedBy,
      uploaded_by_name: run.uploadedByName,
      original_name: run.originalName,
      started_at: sql<Date>`now()`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function recordAttempt(db: Executor, id: string, retries: number): Promise<void> {
  await db
    .updateTable('snapshot_imports')
    .set({ retries, next_attempt_at: null, progress: 0, stage: null, refusal: null })
    .where('id', '=', id)
    .execute();
}

export async function recordProgress(
  db: Executor,
  id: string,
  progress: number,
  stage: string,
): Promise<void> {
  await db
    .updateTable('snapshot_imports')
    .set({ progress, stage })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .execute();
}

export async function recordSuccess(db: Executor, id: string): Promise<void> {
  await db.updateTable('snapshot_imports').set({ progress: 1, stage: 'done' }).where('id', '=', id).execute();
}

/**
 * The outcome of an attempt that did not succeed. The import records its own failures; a run it
 * never started (a missing folder, a missing file) is settled here so that it never stays queued.
 */
export async function recordOutcome(
  db: Executor,
  id: string,
  outcome: { status: IntakeRunStatus; refusal: string | null; message: string; retryInSeconds?: number },
): Promise<void> {
  await db
    .updateTable('snapshot_imports')
    .set({
      status: outcome.status,
      refusal: outcome.refusal,
      message: sql<string>`coalesce(CASE WHEN status IN ('queued', 'retrying') THEN NULL ELSE message END, ${outcome.message})`,
      finished_at: sql<Date>`coalesce(finished_at, now())`,
      seconds: sql<string>`coalesce(seconds, round(extract(epoch FROM now() - started_at)::numeric, 3))`,
      next_attempt_at:
        outcome.retryInSeconds === undefined
          ? null
          : sql<Date>`now() + make_interval(secs => ${outcome.retryInSeconds})`,
    })
    .where('id', '=', id)
    .execute();
}

export async function moveRunFolder(db: Executor, id: string, folder: string): Promise<void> {
  await db.updateTable('snapshot_imports').set({ folder }).where('id', '=', id).execute();
}

/** Refused or finally failed runs since the latest success (at most a week back): what admins must see. */
export function alertRuns(db: Executor) {
  return db
    .selectFrom('snapshot_imports as r')
    .select(RUN_COLUMNS)
    .where('r.status', 'in', ['refused', 'failed'])
    .where('r.queued_at', '>', sql<Date>`now() - interval '7 days'`)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('snapshot_imports as s')
            .select('s.id')
            .where('s.status', '=', 'succeeded')
            .whereRef('s.queued_at', '>', 'r.queued_at'),
        ),
      ),
    )
    .orderBy('r.queued_at', 'desc')
    .limit(5)
    .execute();
}

/** Folders of the drop folder already queued or running (so a second scan does not take them again). */
export async function activeFolders(db: Executor): Promise<string[]> {
  const rows = await db
    .selectFrom('snapshot_imports')
    .select('folder')
    .where('status', 'in', ['queued', 'running', 'retrying'])
    .execute();
  return rows.map((r) => r.folder).filter((f): f is string => f !== null);
}
