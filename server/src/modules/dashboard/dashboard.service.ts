import { addIsoDays, formatMoney, toPersianDigits } from '@vosul/common';
import { CBI_CLASSES, FACILITY_STATUSES } from '@vosul/common/cases-labels';
import {
  RECOVERY_WINDOW_DAYS,
  SERIES_MONTHS,
  type Dashboard,
  type DashboardBucket,
} from '@vosul/common/dashboard';
import type { Database, Executor } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/auth/context.js';
import * as repo from './dashboard.repository.js';
import { jalaliMonthKey, jalaliMonthsUntil } from './months.js';

export { summarizeDay } from './dashboard.repository.js';

const TOP_BRANCHES = 10;
const CLASS_ORDER: readonly string[] = [...Object.keys(CBI_CLASSES), 'written_off'];
const CLASS_TITLES: Record<string, string> = { ...CBI_CLASSES, written_off: FACILITY_STATUSES.written_off };

/**
 * The collection picture (V32, T9, P8) for the user's scope: every figure is a sum of the latest
 * run's per-branch summaries, so the page costs the same on any book.
 */
export async function getDashboard(db: Database, ctx: RequestContext): Promise<Dashboard> {
  const scope = ctx.user.scope;
  const run = await repo.findLatestRun(db);
  if (!run) return emptyDashboard(db);
  const date = run.business_date;
  const months = jalaliMonthsUntil(date, SERIES_MONTHS);
  const windowStart = addIsoDays(date, -(RECOVERY_WINDOW_DAYS - 1));
  const [buckets, top, rangeDefs, thresholds, runDates, collected, inWindow] = await Promise.all([
    repo.sumBuckets(db, scope, date),
    repo.findTopBranches(db, scope, date, TOP_BRANCHES),
    repo.findRanges(db),
    repo.findThresholds(db),
    repo.findSummaryDates(db, months[0]!.since, date),
    repo.findCollectedByMonth(
      db,
      scope,
      months.map((m) => m.key),
    ),
    repo.sumCollectedBetween(db, scope, windowStart, date),
  ]);
  // the overdue amount of a month is the one at its last run
  const monthEnds = new Map(runDates.map((d) => [jalaliMonthKey(d), d]));
  const overdue = new Map(
    (await repo.findOverdueOnDates(db, scope, [...monthEnds.values()])).map((o) => [
      jalaliMonthKey(o.business_date),
      o.overdue_amount,
    ]),
  );
  const collectedByMonth = new Map(collected.map((c) => [c.month, c.amount]));

  const of = (dimension: string) => buckets.filter((b) => b.dimension === dimension);
  const [classes, ranges, amounts] = [of('class'), of('range'), of('amount')];
  const arrears = of('total').find((t) => t.bucket === 'arrears');
  const overdueNow = arrears?.overdue_amount ?? '0';
  const denominator = BigInt(inWindow) + BigInt(overdueNow);

  return {
    as_of: date,
    totals: {
      facilities_in_arrears: arrears?.facilities ?? 0,
      overdue_amount: overdueNow,
      collectible_amount: arrears?.collectible_amount ?? '0',
      unpaid_amount: arrears?.unpaid_amount ?? '0',
    },
    by_class: CLASS_ORDER.map((key) => bucketOf(classes, key, CLASS_TITLES[key]!)),
    by_range: rangeDefs.map((r) => bucketOf(ranges, String(r.position), r.title)),
    by_amount: amountBuckets(
      amounts,
      thresholds.map((t) => t.amount),
    ),
    top_branches: top.map((b) => ({
      key: b.code,
      title: toPersianDigits(`${b.code} - ${b.name}`),
      branch_id: b.branch_id,
      facilities: b.facilities,
      overdue_amount: b.overdue_amount,
      collectible_amount: b.collectible_amount,
    })),
    series: months.map((m) => ({
      month: m.key,
      collected: collectedByMonth.get(m.key) ?? '0',
      overdue_amount: overdue.get(m.key) ?? null,
    })),
    recovery: {
      rate: denominator === 0n ? null : Number((BigInt(inWindow) * 10000n) / denominator) / 10000,
      collected: inWindow,
      window_days: RECOVERY_WINDOW_DAYS,
    },
  };
}

/**
 * Summarises the latest run's date again: the case settings changed the range and amount buckets.
 * Runs in the caller's transaction (the settings' save).
 */
export async function resummarizeLatest(db: Executor): Promise<void> {
  const run = await repo.findLatestRun(db);
  if (run) await repo.resummarizeDay(db, run.id, run.business_date);
}

type Row = Awaited<ReturnType<typeof repo.sumBuckets>>[number];

function bucketOf(rows: Row[], key: string, title: string): DashboardBucket {
  const row = rows.find((r) => r.bucket === key);
  return {
    key,
    title,
    facilities: row?.facilities ?? 0,
    overdue_amount: row?.overdue_amount ?? '0',
    collectible_amount: row?.collectible_amount ?? '0',
  };
}

/** Bucket i holds the overdue amounts that reach i thresholds: «کمتر از ۱۰٬۰۰۰٬۰۰۰», «… تا …», «۱٬۰۰۰٬۰۰۰٬۰۰۰ و بیشتر». */
function amountBuckets(rows: Row[], thresholds: string[]): DashboardBucket[] {
  const money = (v: string) => formatMoney(v);
  return [0, ...thresholds.map((_, i) => i + 1)].map((i) => {
    const low = thresholds[i - 1];
    const high = thresholds[i];
    const title =
      low === undefined
        ? high === undefined
          ? 'همه مبالغ'
          : `کمتر از ${money(high)}`
        : high === undefined
          ? `${money(low)} و بیشتر`
          : `${money(low)} تا کمتر از ${money(high)}`;
    return bucketOf(rows, String(i), title);
  });
}

/** Before the first run: the buckets at zero, so the page shows its charts and says why they are empty. */
async function emptyDashboard(db: Database): Promise<Dashboard> {
  const [rangeDefs, thresholds] = await Promise.all([repo.findRanges(db), repo.findThresholds(db)]);
  return {
    as_of: null,
    totals: { facilities_in_arrears: 0, overdue_amount: '0', collectible_amount: '0', unpaid_amount: '0' },
    by_class: CLASS_ORDER.map((key) => bucketOf([], key, CLASS_TITLES[key]!)),
    by_range: rangeDefs.map((r) => bucketOf([], String(r.position), r.title)),
    by_amount: amountBuckets(
      [],
      thresholds.map((t) => t.amount),
    ),
    top_branches: [],
    series: [],
    recovery: { rate: null, collected: '0', window_days: RECOVERY_WINDOW_DAYS },
  };
}
