import { addIsoDays } from '@vosul/common';
import pg from 'pg';
import { runVosul } from './child.js';

export interface RunDayFigures {
  facilities: number;
  /** the run of a business day after the one before it: figures moved, vouchers issued, reminders planned */
  seconds: number;
  /** one bare aggregate over the installments: overdue count, oldest due date, overdue amount per facility */
  bare_aggregate_seconds: number;
  ratio: number;
  /** the same run without its planning stage (issue 5 budgets planning against the rest of the run) */
  seconds_without_planning: number;
  ratio_without_planning: number;
  /** the first run over the book, once per installation (it opens the books and starts every ladder) */
  first_run_seconds: number;
  first_run_ratio: number;
  /** the same date again (nothing to write) */
  rerun_seconds: number;
  /** the two business dates run: the first run's and the day's */
  dates: { first: string; day: string };
  /** seconds per stage of each run (`vosul run-day --json`), where the time goes */
  steps: { first: Steps; day: Steps; rerun: Steps };
  /** the notifications each run planned (the bench book carries a four-step dunning ladder) */
  planned: { first: number; day: number; rerun: number };
  /** planning's seconds over the rest of the day's run: what planning adds to it (issue 5: ≤ 0.5) */
  day_planning_share: number;
  /**
   * Planning's own physical limit: the day's planned rows written again into the outbox, with its keys and
   * indexes, in a transaction rolled back — what any planner of that day must at least write.
   */
  outbox_write_seconds: number;
  /** planning's seconds over that write */
  planning_ratio_to_outbox_write: number;
  /** that write alone over the rest of the day's run: the part of issue 5's budget no planner can save */
  outbox_write_share: number;
}

type Steps = Record<string, number>;

/**
 * The daily run against the physical limit of its core: `vosul run-day` for `dates.first` (the first
 * run), for `dates.day` (the next day) and that day again, each a child process; and one bare SQL
 * aggregate over the installments for the day, timed in the same run.
 */
export async function measureRunDay(
  url: string,
  env: NodeJS.ProcessEnv,
  dates: BenchDates,
): Promise<RunDayFigures> {
  const first = await runDayOnce(dates.first, env);
  const day = await runDayOnce(dates.day, env);
  const rerun = await runDayOnce(dates.day, env);
  // in milliseconds (a small book's aggregate takes a few), never 0; the ratio is of the figure shown
  const bare = Math.max(Math.round((await bareAggregateSeconds(url, dates.day)) * 1000) / 1000, 0.001);
  const rest = Math.round((day.seconds - (day.steps.planning ?? 0)) * 1000) / 1000;
  const write = Math.max(Math.round((await outboxWriteSeconds(url, dates.day)) * 1000) / 1000, 0.001);
  return {
    facilities: first.facilities,
    seconds: day.seconds,
    bare_aggregate_seconds: bare,
    ratio: round(day.seconds / bare),
    seconds_without_planning: rest,
    ratio_without_planning: round(rest / bare),
    first_run_seconds: first.seconds,
    first_run_ratio: round(first.seconds / bare),
    rerun_seconds: rerun.seconds,
    dates,
    steps: { first: first.steps, day: day.steps, rerun: rerun.steps },
    planned: { first: first.planned, day: day.planned, rerun: rerun.planned },
    day_planning_share: round((day.steps.planning ?? 0) / rest),
    outbox_write_seconds: write,
    planning_ratio_to_outbox_write: round((day.steps.planning ?? 0) / write),
    outbox_write_share: round(write / rest),
  };
}

export interface BenchDates {
  first: string;
  day: string;
}

/**
 * The latest working day (no Friday, no holiday of the calendar) up to `today` whose day before is one
 * too: its run is an ordinary day's — a day off plans nothing, the day after one plans two days.
 * `url` is a migrated database (the calendar is seeded by the migrations).
 */
export async function chooseBenchDates(url: string, today: string): Promise<BenchDates> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ day: string }>(
      `SELECT d::date::text AS day FROM generate_series($1::date, $1::date - 60, '-1 day') d
       WHERE vosul_is_working_day(d::date, NULL) AND vosul_is_working_day(d::date - 1, NULL)
       ORDER BY d DESC LIMIT 1`,
      [today],
    );
    const day = rows[0]?.day ?? today;
    return { first: previousDay(day), day };
  } finally {
    await client.end();
  }
}

async function runDayOnce(
  date: string,
  env: NodeJS.ProcessEnv,
): Promise<{ seconds: number; facilities: number; planned: number; steps: Steps }> {
  const run = await runVosul(['run-day', '--date', date, '--json'], env);
  if (run.code !== 0) throw new Error(`vosul run-day failed (exit ${run.code}):\n${run.stderr.slice(-2000)}`);
  return JSON.parse(run.stdout) as { seconds: number; facilities: number; planned: number; steps: Steps };
}

async function bareAggregateSeconds(url: string, date: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SET work_mem = '512MB'"); // as the run has
    const started = performance.now();
    // the aggregate is computed in full; only its size travels back
    await client.query(
      `SELECT count(*) FROM (
         SELECT facility_id, count(*), min(due_on), sum(amount - paid_amount)
         FROM installments WHERE due_on < $1::date AND paid_amount < amount
         GROUP BY facility_id) a`,
      [date],
    );
    return (performance.now() - started) / 1000;
  } finally {
    await client.end();
  }
}

/**
 * The day's outbox rows inserted again as the planner inserts them (one INSERT … SELECT, the run's
 * WAL setting), each under its own key beside the original (so every index takes it where a new row
 * of that day would go), timed alone and rolled back. Read first into a temporary table, so only the
 * write is timed.
 */
async function outboxWriteSeconds(url: string, date: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const columns = `business_date, workflow_id, facility_id, facility_nos, branch_id, recipient_role, recipient_name,
    person_key, channel, address, text, status, held_reason, max_attempts, retry_minutes, scheduled_at,
    window_ends_at, next_try_at`;
  try {
    await client.query('BEGIN');
    await client.query(
      `SELECT set_config('wal_compression', 'off', true) WHERE has_parameter_privilege('wal_compression', 'SET')`,
    );
    await client.query(
      `CREATE TEMP TABLE floor_rows ON COMMIT DROP AS
       SELECT occasion_key || ':again' AS occasion_key, ${columns} FROM notifications WHERE business_date = $1::date`,
      [date],
    );
    const started = performance.now();
    await client.query(
      `INSERT INTO notifications (occasion_key, ${columns}) SELECT occasion_key, ${columns} FROM floor_rows`,
    );
    return (performance.now() - started) / 1000;
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    await client.end();
  }
}

const round = (n: number) => Math.round(n * 100) / 100;

export const previousDay = (iso: string) => addIsoDays(iso, -1);
