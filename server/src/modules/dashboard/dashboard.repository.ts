import { CompiledQuery, sql } from 'kysely';
import type pg from 'pg';
import type { Executor } from '../../platform/db/database.js';
import type { Scope } from '../../platform/auth/context.js';
import { branchInScope } from '../../platform/scope.js';
import { SERIES_MONTHS } from '@vosul/common/dashboard';
import { jalaliMonthsUntil } from './months.js';

/**
 * The home page's figures (V32, T9). The daily run summarises the book per business date and branch
 * (a few hundred rows) and refreshes what was collected per month and in the recovery window, inside
 * its own transaction; the home page then sums only the rows of the branches in scope, whatever the
 * book's size.
 */

/** The date's row naming the run summarised (`$1` the business date, `$2` the run or null). */
const SUMMARY_DATE = `INSERT INTO day_summary_dates (business_date, run_id) VALUES ($1::date, $2::bigint)
  ON CONFLICT (business_date) DO UPDATE SET run_id = excluded.run_id`;

/** Runs one statement: the run's pg client or a Kysely executor (a settings save). */
type Query = (text: string, params: unknown[]) => Promise<{ rows: unknown[] }>;

/**
 * Summarises `date` (replacing its rows): one pass over the figures (which carry their branch and
 * status) into a few thousand groups, then the four groupings over those. A day's range and an
 * amount's threshold count are lookups in two arrays read first and bound as parameters, so the pass
 * reads the book in parallel (into a table of its own: an INSERT may not).
 */
async function summarize(query: Query, date: string): Promise<void> {
  const { rows } = await query(
    `SELECT (SELECT coalesce(array_agg(coalesce((
               SELECT r.position FROM overdue_day_ranges r
               WHERE d >= r.from_days AND (r.to_days IS NULL OR d <= r.to_days)
               ORDER BY r.position LIMIT 1), 0) ORDER BY d), '{}')
             FROM generate_series(1, (SELECT max(overdue_days) FROM facility_figures WHERE overdue_amount > 0)) d)
              AS positions,
            (SELECT coalesce(array_agg(amount ORDER BY amount), '{}') FROM overdue_amount_thresholds) AS amounts`,
    [],
  );
  const { positions, amounts } = rows[0] as { positions: number[]; amounts: string[] };
  // a re-run (or a settings change) summarises the date again; earlier dates keep only their totals
  // (the chart over time), the page reads this date's buckets
  await query(`DELETE FROM day_summaries WHERE business_date = $1::date`, [date]);
  await query(`DELETE FROM day_summaries WHERE dimension <> 'total' AND business_date <> $1::date`, [date]);
  await query(
    `CREATE TEMP TABLE summary_groups ON COMMIT DROP AS
     SELECT ff.branch_id, coalesce(ff.cbi_class, 'written_off') AS cls,
       nullif(CASE WHEN ff.overdue_days > 0 THEN ($1::int[])[ff.overdue_days] END, 0)::text AS rng,
       CASE WHEN ff.overdue_days > 0 THEN width_bucket(ff.overdue_amount, $2::bigint[])::text END AS amt,
       CASE WHEN ff.overdue_days > 0 THEN 'arrears' END AS arr,
       count(*) AS facilities, sum(ff.overdue_amount) AS overdue_amount,
       sum(ff.collectible_amount) AS collectible_amount, sum(ff.unpaid_amount) AS unpaid_amount
     FROM facility_figures ff
     WHERE ff.status IN ('active', 'written_off')
     GROUP BY 1, 2, 3, 4, 5`,
    [positions, amounts],
  );
  await query(
    `INSERT INTO day_summaries (business_date, branch_id, dimension, bucket, facilities, overdue_amount,
       collectible_amount, unpaid_amount)
     SELECT $1::date, branch_id, dimension, bucket, facilities, overdue_amount, collectible_amount, unpaid_amount
     FROM (
       SELECT x.branch_id,
         CASE WHEN grouping(x.cls) = 0 THEN 'class' WHEN grouping(x.rng) = 0 THEN 'range'
              WHEN grouping(x.amt) = 0 THEN 'amount' ELSE 'total' END AS dimension,
         coalesce(x.cls, x.rng, x.amt, x.arr) AS bucket,
         sum(x.facilities)::int AS facilities,
         coalesce(sum(x.overdue_amount), 0) AS overdue_amount,
         coalesce(sum(x.collectible_amount), 0) AS collectible_amount,
         coalesce(sum(x.unpaid_amount), 0) AS unpaid_amount
       FROM summary_groups x
       GROUP BY GROUPING SETS ((x.branch_id, x.cls), (x.branch_id, x.rng), (x.branch_id, x.amt), (x.branch_id, x.arr))
     ) g
     WHERE bucket IS NOT NULL`,
    [date],
  );
  await query('DROP TABLE summary_groups', []);
}

/**
 * Collected per Jalali month and branch for the chart's months (`$1` keys, `$2`/`$3` their first and
 * last days), summed again from the days (a few hundred rows per day at most).
 */
const MONTH_COLLECTIONS = {
  remove: `DELETE FROM month_collections WHERE month = ANY($1::text[])`,
  insert: `INSERT INTO month_collections (month, branch_id, amount)
   SELECT m.month, d.branch_id, sum(d.amount)
   FROM unnest($1::text[], $2::date[], $3::date[]) AS m(month, since, until)
   JOIN day_collections d ON d.paid_on BETWEEN m.since AND m.until
   GROUP BY m.month, d.branch_id`,
};

/**
 * Adds the payments of the imports not counted yet to the days they were paid on. The sums are taken
 * into a table of their own first: that statement may read the payments in parallel (an INSERT may
 * not), which is what the first run over a national book needs (every payment ever imported).
 */
async function addNewCollections(c: pg.PoolClient): Promise<boolean> {
  const { rows } = await c.query<{ ids: string[] | null }>(
    `SELECT array_agg(i.id) AS ids FROM snapshot_imports i
     WHERE i.status = 'succeeded' AND NOT EXISTS (SELECT 1 FROM collected_imports c WHERE c.import_id = i.id)`,
  );
  const imports = rows[0]!.ids;
  if (!imports) return false;
  await c.query(
    `CREATE TEMP TABLE run_collected ON COMMIT DROP AS
     SELECT p.paid_on, f.branch_id, sum(p.amount) AS amount
     FROM payments p JOIN facilities f ON f.id = p.facility_id
     WHERE p.import_id = ANY($1::bigint[])
     GROUP BY p.paid_on, f.branch_id`,
    [imports],
  );
  await c.query(
    `INSERT INTO day_collections AS d (paid_on, branch_id, amount)
     SELECT paid_on, branch_id, amount FROM run_collected
     ON CONFLICT (paid_on, branch_id) DO UPDATE SET amount = d.amount + excluded.amount`,
  );
  await c.query('INSERT INTO collected_imports SELECT unnest($1::bigint[])', [imports]);
  return true;
}

/**
 * Summarises the figures the run just wrote for `date` (replacing that date's summaries) and
 * refreshes what was collected (the chart's months, the recovery window) from payments; called
 * inside the daily run's transaction, so a re-run replaces rather than adds.
 */
export async function summarizeDay(c: pg.PoolClient, runId: string, date: string): Promise<void> {
  await c.query(SUMMARY_DATE, [date, runId]);
  await summarize((text, params) => c.query(text, params), date);
  const added = await addNewCollections(c);
  const months = jalaliMonthsUntil(date, SERIES_MONTHS);
  // only the chart's months new to it or with payments just counted are summed again from the days
  const { rows } = await c.query<{ key: string; since: string; until: string }>(
    `SELECT m.key, m.since::text, m.until::text FROM unnest($1::text[], $2::date[], $3::date[]) AS m(key, since, until)
     WHERE NOT EXISTS (SELECT 1 FROM month_collections mc WHERE mc.month = m.key)
       ${added ? 'OR EXISTS (SELECT 1 FROM run_collected r WHERE r.paid_on BETWEEN m.since AND m.until)' : ''}`,
    [months.map((m) => m.key), months.map((m) => m.since), months.map((m) => m.until)],
  );
  if (rows.length === 0) return;
  const keys = rows.map((m) => m.key);
  await c.query(MONTH_COLLECTIONS.remove, [keys]);
  await c.query(MONTH_COLLECTIONS.insert, [keys, rows.map((m) => m.since), rows.map((m) => m.until)]);
}

/** The same summary of `date` outside a run (the case settings changed the buckets). */
export async function resummarizeDay(db: Executor, runId: string | null, date: string): Promise<void> {
  await db.executeQuery(CompiledQuery.raw(SUMMARY_DATE, [date, runId]));
  await summarize((text, params) => db.executeQuery(CompiledQuery.raw(text, params)), date);
}

/** The date and run of the figures users see: the latest successful run (as the case lists show). */
export async function findLatestRun(db: Executor) {
  return db
    .selectFrom('day_runs')
    .select(['id', 'business_date'])
    .where('status', '=', 'succeeded')
    .orderBy('finished_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** A date's summaries summed over the branches in scope, per dimension and bucket. */
export function sumBuckets(db: Executor, scope: Scope, date: string) {
  return db
    .selectFrom('day_summaries as s')
    .select([
      's.dimension',
      's.bucket',
      sql<number>`sum(s.facilities)::int`.as('facilities'),
      sql<string>`sum(s.overdue_amount)::text`.as('overdue_amount'),
      sql<string>`sum(s.collectible_amount)::text`.as('collectible_amount'),
      sql<string>`sum(s.unpaid_amount)::text`.as('unpaid_amount'),
    ])
    .where('s.business_date', '=', date)
    .where(branchInScope(scope, sql.ref('s.branch_id')))
    .groupBy(['s.dimension', 's.bucket'])
    .execute();
}

/** The branches in scope with the largest overdue amount on `date`. */
export function findTopBranches(db: Executor, scope: Scope, date: string, limit: number) {
  return db
    .selectFrom('day_summaries as s')
    .innerJoin('branches as b', 'b.id', 's.branch_id')
    .select([
      's.branch_id',
      'b.code',
      'b.name',
      's.facilities',
      sql<string>`s.overdue_amount::text`.as('overdue_amount'),
      sql<string>`s.collectible_amount::text`.as('collectible_amount'),
    ])
    .where('s.business_date', '=', date)
    .where('s.dimension', '=', 'total')
    .where('s.bucket', '=', 'arrears')
    .where(branchInScope(scope, sql.ref('s.branch_id')))
    .orderBy('s.overdue_amount', 'desc')
    .orderBy('b.code')
    .limit(limit)
    .execute();
}

/** The summarised business dates from `since` to `until` (one per run date: a few hundred a year). */
export async function findSummaryDates(db: Executor, since: string, until: string): Promise<string[]> {
  const rows = await db
    .selectFrom('day_summary_dates')
    .select('business_date')
    .where('business_date', '>=', since)
    .where('business_date', '<=', until)
    .orderBy('business_date')
    .execute();
  return rows.map((r) => r.business_date);
}

/** The overdue amount in scope on each of `dates`. */
export function findOverdueOnDates(db: Executor, scope: Scope, dates: string[]) {
  return db
    .selectFrom('day_summaries as s')
    .select(['s.business_date', sql<string>`sum(s.overdue_amount)::text`.as('overdue_amount')])
    .where('s.dimension', '=', 'total')
    .where('s.business_date', 'in', dates)
    .where('s.bucket', '=', 'arrears')
    .where(branchInScope(scope, sql.ref('s.branch_id')))
    .groupBy('s.business_date')
    .execute();
}

/** Collected in scope per Jalali month among `months`. */
export function findCollectedByMonth(db: Executor, scope: Scope, months: string[]) {
  return db
    .selectFrom('month_collections as m')
    .select(['m.month', sql<string>`sum(m.amount)::text`.as('amount')])
    .where('m.month', 'in', months)
    .where(branchInScope(scope, sql.ref('m.branch_id')))
    .groupBy('m.month')
    .execute();
}

/** Collected in scope in the recovery window, `since` to `until`. */
export async function sumCollectedBetween(
  db: Executor,
  scope: Scope,
  since: string,
  until: string,
): Promise<string> {
  const row = await db
    .selectFrom('day_collections as d')
    .select(sql<string>`coalesce(sum(d.amount), 0)::text`.as('amount'))
    .where('d.paid_on', '>=', since)
    .where('d.paid_on', '<=', until)
    .where(branchInScope(scope, sql.ref('d.branch_id')))
    .executeTakeFirstOrThrow();
  return row.amount;
}

/** The overdue-day ranges in order (their titles name the range buckets). */
export function findRanges(db: Executor) {
  return db.selectFrom('overdue_day_ranges').selectAll().orderBy('position').execute();
}

export function findThresholds(db: Executor) {
  return db.selectFrom('overdue_amount_thresholds').selectAll().orderBy('position').execute();
}
