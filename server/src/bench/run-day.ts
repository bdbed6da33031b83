import { addIsoDays } from '@vosul/common';
import pg from 'pg';
import { runVosul } from './child.js';

export interface RunDayFigures {
  facilities: number;
  /** the first run over the book (it also opens the books) */
  seconds: number;
  /** one bare aggregate over the installments: overdue count, oldest due date, overdue amount per facility */
  bare_aggregate_seconds: number;
  ratio: number;
  /** the next business day (figures moved, vouchers issued) */
  next_day_seconds: number;
  next_day_ratio: number;
  /** the same date again (nothing to write) */
  rerun_seconds: number;
  /** seconds per stage of each run (`vosul run-day --json`), where the time goes */
  steps: { first: Steps; next_day: Steps; rerun: Steps };
  /** the notifications each run planned (the bench book carries a four-step dunning ladder) */
  planned: { first: number; next_day: number; rerun: number };
  /** planning's seconds over the rest of the next day's run: what planning adds to it (issue 5: ≤ 0.5) */
  next_day_planning_share: number;
}

type Steps = Record<string, number>;

/**
 * The daily run against the physical limit of its core: `vosul run-day` for the day before `today`
 * (the first run), for `today` (a day later) and `today` again, each a child process; and one bare
 * SQL aggregate over the installments for `today`, timed in the same run.
 */
export async function measureRunDay(
  url: string,
  env: NodeJS.ProcessEnv,
  today: string,
): Promise<RunDayFigures> {
  const first = await runDayOnce(previousDay(today), env);
  const next = await runDayOnce(today, env);
  const rerun = await runDayOnce(today, env);
  // in milliseconds (a small book's aggregate takes a few), never 0; the ratio is of the figure shown
  const bare = Math.max(Math.round((await bareAggregateSeconds(url, today)) * 1000) / 1000, 0.001);
  return {
    facilities: first.facilities,
    seconds: first.seconds,
    bare_aggregate_seconds: bare,
    ratio: round(first.seconds / bare),
    next_day_seconds: next.seconds,
    next_day_ratio: round(next.seconds / bare),
    rerun_seconds: rerun.seconds,
    steps: { first: first.steps, next_day: next.steps, rerun: rerun.steps },
    planned: { first: first.planned, next_day: next.planned, rerun: rerun.planned },
    next_day_planning_share: round((next.steps.planning ?? 0) / (next.seconds - (next.steps.planning ?? 0))),
  };
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

const round = (n: number) => Math.round(n * 100) / 100;

export const previousDay = (iso: string) => addIsoDays(iso, -1);
