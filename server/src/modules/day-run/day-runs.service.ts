import type pg from 'pg';
import { addIsoDays, toJalali, toPersianDigits } from '@vosul/common';
import type { DayRun, DayRunQuery, StartDayRun } from '@vosul/common/day-runs';
import type { Database } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/auth/context.js';
import { todayIn } from '../../platform/date-range.js';
import { AppError, notFound } from '../../platform/errors.js';
import { fetchPage } from '../../platform/listing.js';
import { jobQueueFor, type JobLogger, type JobQueue, type JobRun } from '../../platform/jobs/index.js';
import { readSetting } from '../../platform/settings.js';
import { DayRunRefusedError, runDay } from './day-run.service.js';
import { latestCompletedDate } from './day-run.repository.js';
import * as repo from './day-runs.repository.js';

/** The runs of the day from the page and the schedule, on the job queue (issue 4, point 1). */
export const DAY_RUN_JOB = 'day-run';
export const DAILY_RUN_JOB = 'day-run-daily';

/** A run lasting longer than this is taken for dead and offered again (it is idempotent). */
const RUN_EXPIRE_MINUTES = 120;
/** The schedule catches up at most this many missed days, oldest first. */
const MAX_CATCH_UP_DAYS = 31;

export interface DayRunJob {
  runId: string;
  date: string;
  openingVouchers: boolean;
}

export interface DayRunWorkerDeps {
  db: Database;
  pool: pg.Pool;
  timezone: string;
  log: JobLogger;
}

export async function listRuns(db: Database, _ctx: RequestContext, query: DayRunQuery) {
  const { page, page_size, sort, order, ...filter } = query;
  const { items, total } = await fetchPage(
    repo.runsQuery(db, filter),
    { page, page_size, sort, order },
    repo.RUN_SORT,
    'queued_at',
    'r.id',
  );
  return { items: items.map(toRun), total };
}

export async function getRun(db: Database, _ctx: RequestContext, id: string): Promise<DayRun> {
  const row = /^\d{1,18}$/.test(id) ? await repo.findRun(db, id) : undefined;
  if (!row) throw notFound('اجرای روز کاری');
  return toRun(row);
}

/**
 * Queues a run of the day from the page (HQ only: it moves the whole book's books). One at a time:
 * while one is queued or running, another is refused with its name.
 */
export async function queueRun(
  db: Database,
  ctx: RequestContext,
  input: StartDayRun,
  timezone: string,
  queue?: JobQueue,
): Promise<DayRun> {
  if (ctx.user.scope.kind !== 'hq')
    throw new AppError('forbidden', 'اجرای روز کاری فقط برای کاربران ستاد مجاز است');
  const date = input.date ?? todayIn(timezone);
  const jobs = queue ?? (await jobQueueFor(db));
  const runId = await db.transaction().execute(async (trx) => {
    // serialises two clicks: the second sees the first's queued run
    await trx.selectNoFrom((eb) => eb.fn('pg_advisory_xact_lock', [eb.val(7_446_004)]).as('l')).execute();
    const active = await repo.findActiveRun(trx);
    if (active)
      throw new AppError(
        'conflict',
        `اجرای روز کاری ${toPersianDigits(toJalali(active.business_date))} (${active.started_by_name ?? 'زمان‌بندی'}) هنوز تمام نشده است`,
      );
    const id = await repo.insertQueuedRun(trx, {
      date,
      openingVouchers: input.opening_vouchers,
      userId: ctx.user.id,
      userName: `${ctx.user.firstName} ${ctx.user.lastName}`.trim(),
    });
    const job: DayRunJob = { runId: id, date, openingVouchers: input.opening_vouchers };
    await jobs.send(DAY_RUN_JOB, job, { expireInMinutes: RUN_EXPIRE_MINUTES }, trx);
    return id;
  });
  return getRun(db, ctx, runId);
}

/** Runs one queued run; a refusal or a failure is recorded on its row by runDay. */
export async function runQueuedDay(deps: DayRunWorkerDeps, job: JobRun<DayRunJob>): Promise<void> {
  const { runId, date, openingVouchers } = job.data;
  try {
    const result = await runDay(deps.pool, {
      date,
      openingVouchers,
      source: 'ui',
      runId,
      timezone: deps.timezone,
    });
    deps.log.info(`day run ${runId}: ${result.date} (${result.kind}) in ${result.seconds} s`);
  } catch (err) {
    if (err instanceof DayRunRefusedError) deps.log.error(`day run ${runId} refused: ${err.message}`);
    else throw err;
  }
}

/**
 * The daily run at the time in the settings: each business day from the one after the latest
 * completed run up to today, in order (interchange.md: missed days are caught up by running each).
 */
export async function catchUpDays(deps: DayRunWorkerDeps): Promise<string[]> {
  const today = todayIn(deps.timezone);
  const latest = await latestCompletedDate(deps.pool);
  const dates: string[] = [];
  for (let d = latest === null ? today : nextDay(latest); d <= today; d = nextDay(d)) dates.push(d);
  const due = dates.slice(-MAX_CATCH_UP_DAYS);
  if (dates.length > due.length)
    deps.log.error(`daily run: ${dates.length} days missed; only the last ${MAX_CATCH_UP_DAYS} are run`);
  for (const date of due) {
    try {
      await runDay(deps.pool, { date, source: 'schedule', timezone: deps.timezone });
    } catch (err) {
      // a refused day (e.g. before the latest snapshot) is skipped; anything else stops the catch-up
      if (!(err instanceof DayRunRefusedError)) throw err;
      deps.log.error(`daily run ${date} refused: ${err.message}`);
    }
  }
  return due;
}

/** Moves the daily run to the time in the settings. */
export async function scheduleDailyRun(db: Database, queue: JobQueue, timezone: string): Promise<void> {
  await queue.scheduleDaily(DAILY_RUN_JOB, await readSetting(db, 'day_run_time'), timezone);
}

const nextDay = (iso: string) => addIsoDays(iso, 1);

function toRun(row: repo.RunRow): DayRun {
  const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());
  return {
    id: row.id,
    business_date: row.business_date,
    kind: row.kind,
    source: row.source,
    status: row.status,
    opening_vouchers: row.opening_vouchers,
    started_by_name: row.started_by_name,
    queued_at: iso(row.queued_at)!,
    started_at: iso(row.started_at),
    finished_at: iso(row.finished_at),
    seconds: row.seconds === null ? null : Number(row.seconds),
    progress: Number(row.progress),
    stage: row.stage,
    facilities: row.facilities,
    class_changes: row.class_changes,
    vouchers: row.vouchers,
    message: row.message,
  };
}
