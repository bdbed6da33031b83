import { sql } from 'kysely';
import type { DayRunQuery } from '@vosul/common/day-runs';
import type { Executor } from '../../platform/db/database.js';

/** The runs of the day as the page lists them (Kysely; the run's own SQL is in day-run.repository.ts). */
export function runsQuery(db: Executor, filter: Pick<DayRunQuery, 'status' | 'from' | 'to'>) {
  let query = db.selectFrom('day_runs as r').selectAll('r');
  if (filter.status) query = query.where('r.status', '=', filter.status);
  if (filter.from) query = query.where('r.business_date', '>=', filter.from);
  if (filter.to) query = query.where('r.business_date', '<=', filter.to);
  return query;
}

export const RUN_SORT = {
  business_date: 'r.business_date',
  queued_at: 'r.queued_at',
  status: 'r.status',
  seconds: 'r.seconds',
  id: 'r.id',
};

export type RunRow = Awaited<ReturnType<ReturnType<typeof runsQuery>['executeTakeFirstOrThrow']>>;

export function findRun(db: Executor, id: string) {
  return db.selectFrom('day_runs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A run queued or running now (the page refuses to queue another). */
export function findActiveRun(db: Executor) {
  return db
    .selectFrom('day_runs')
    .selectAll()
    .where('status', 'in', ['queued', 'running'])
    .orderBy('queued_at')
    .executeTakeFirst();
}

export async function insertQueuedRun(
  db: Executor,
  run: { date: string; openingVouchers: boolean; userId: number; userName: string },
): Promise<string> {
  const row = await db
    .insertInto('day_runs')
    .values({
      business_date: run.date,
      source: 'ui',
      opening_vouchers: run.openingVouchers,
      started_by: run.userId,
      started_by_name: run.userName,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A queued run whose job will never run (the queue refused it): recorded as failed. */
export async function failQueuedRun(db: Executor, id: string, message: string): Promise<void> {
  await db
    .updateTable('day_runs')
    .set({ status: 'failed', message, finished_at: sql`now()` })
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .execute();
}
