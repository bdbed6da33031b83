import type pg from 'pg';
import { toJalali, toJalaliDateTime, toPersianDigits } from '@vosul/common';
import { todayIn } from '../../platform/date-range.js';
import { SETTING_DEFAULTS } from '../../platform/settings.js';
import { normalizeField, parseSnapshotDate } from '../intake/snapshot-values.js';
import * as repo from './day-run.repository.js';
import { summarizeDay } from '../dashboard/dashboard.service.js';
import { planNotifications } from '../notifications/planning.service.js';

/**
 * `vosul run-day` (issue 4): the derived figures of every facility as of a business date, the class
 * history and the vouchers, in one transaction (all or nothing: a crash leaves nothing half-done, and
 * the re-run does the whole day once). The book is read by one statement (the figures), so an import
 * committing meanwhile cannot mix two snapshots; the later steps read what the run wrote. Business
 * dates as in interchange.md: a date after every completed run moves the books forward; the latest
 * completed date again completes it and issues nothing twice (the books already hold its targets);
 * an earlier date only recomputes the figures (a what-if).
 */

export type DayRunRefusal = 'busy' | 'no_snapshot' | 'before_snapshot' | 'future_date' | 'bad_input';

export class DayRunRefusedError extends Error {
  constructor(
    readonly reason: DayRunRefusal,
    message: string,
  ) {
    super(message);
  }
}

export interface RunDayOptions {
  /** The business date as typed (Gregorian or Jalali, any digits); today in the zone when absent. */
  date?: string | undefined;
  openingVouchers?: boolean;
  source: 'cli' | 'ui' | 'schedule';
  /** A run already recorded (queued from the page). */
  runId?: string;
  user?: { id: number; name: string };
  timezone: string;
}

export interface DayRunResult {
  runId: string;
  /** seconds per stage */
  steps: Record<string, number>;
  date: string;
  kind: repo.RunKind;
  /** every facility that is not closed (their figures hold as of the date) */
  facilities: number;
  /** those whose installments were read afresh (stale, or an installment fell due) */
  computed: number;
  figuresChanged: number;
  classChanges: number;
  vouchers: number;
  /** notifications written to the outbox for the date (none for a what-if) */
  planned: number;
  seconds: number;
}

/** The share of the run done when each stage starts (the page's progress bar). */
const STAGES = {
  figures: [0.02, 'محاسبه ارقام معوقات'],
  saving: [0.55, 'ثبت ارقام تسهیلات'],
  history: [0.7, 'تغییر طبقه‌ها'],
  vouchers: [0.75, 'اسناد حسابداری'],
  planning: [0.9, 'برنامه‌ریزی اطلاع‌رسانی'],
  summary: [0.95, 'خلاصه‌های صفحه اصلی'],
  statistics: [0.98, 'به‌روزرسانی آمار جدول‌ها'],
} as const;

export function resolveBusinessDate(value: string | undefined, timezone: string): string {
  if (value === undefined) return todayIn(timezone);
  const date = parseSnapshotDate(normalizeField(value));
  if (!date) throw new DayRunRefusedError('bad_input', `--date: «${value}» تاریخ معتبری نیست`);
  return date;
}

export async function runDay(pool: pg.Pool, options: RunDayOptions): Promise<DayRunResult> {
  const started = performance.now();
  const seconds = () => Math.round(performance.now() - started) / 1000;
  const date = resolveBusinessDate(options.date, options.timezone);
  await repo.failInterruptedDayRuns(pool);
  const runId =
    options.runId ??
    (await repo.insertRun(pool, {
      date,
      source: options.source,
      openingVouchers: options.openingVouchers ?? false,
      ...(options.user ? { userId: options.user.id, userName: options.user.name } : {}),
    }));
  // each stage's seconds, for the operator and the benchmark
  const steps: Record<string, number> = {};
  let stageStarted = performance.now();
  let current: string | null = null;
  const stage = async (key: keyof typeof STAGES | 'done') => {
    const now = performance.now();
    if (current) steps[current] = Math.round(now - stageStarted) / 1000;
    current = key;
    stageStarted = now;
    if (key !== 'done') await repo.setRunProgress(pool, runId, STAGES[key][0], STAGES[key][1]);
  };
  const client = await pool.connect();
  try {
    await repo.startRun(client, runId);
    await client.query('BEGIN');
    if (!(await repo.tryLockDayRun(client))) throw await busy(pool, runId, options.timezone);
    const snapshot = await repo.latestSnapshot(client);
    if (!snapshot)
      throw new DayRunRefusedError('no_snapshot', 'هنوز اطلاعاتی از سامانه متمرکز دریافت نشده است');
    if (date < snapshot.as_of)
      throw new DayRunRefusedError(
        'before_snapshot',
        `تاریخ ${fa(date)} پیش از تاریخ آخرین اطلاعات دریافتی (${fa(snapshot.as_of)}) است؛ پرداخت‌های بعد از آن در اطلاعات آمده است`,
      );
    const today = todayIn(options.timezone);
    if (date > today)
      throw new DayRunRefusedError('future_date', `تاریخ ${fa(date)} هنوز نرسیده است (امروز ${fa(today)})`);
    const latest = await repo.latestCompletedDate(client);
    const kind: repo.RunKind =
      latest === null || date > latest ? 'forward' : date === latest ? 'latest' : 'what_if';

    await stage('figures');
    // a what-if goes back before figures already computed: every facility is read afresh
    const computed = await repo.computeFigures(client, date, kind === 'what_if');
    await repo.dropClosedFigures(client);
    const facilities = await repo.countOpenFacilities(client);
    await stage('saving');
    const movesBooks = kind !== 'what_if';
    await repo.findChanges(client, movesBooks);
    const figuresChanged = await repo.saveFigures(client, date, movesBooks);
    let classChanges = 0;
    let vouchers = 0;
    let planned = 0;
    if (movesBooks) {
      await stage('history');
      classChanges = await repo.recordClassChanges(client, runId, date);
      await stage('vouchers');
      const posting = await readPosting(client);
      vouchers = await repo.postVouchers(client, runId, date, {
        openingVouchers: options.openingVouchers ?? false,
        posting,
      });
      await repo.clearStale(client);
      await stage('planning');
      planned = await planNotifications(client, date, options.timezone);
    }
    await stage('summary');
    await summarizeDay(client, runId, date);
    await stage('statistics');
    await repo.analyzeChangedTables(client);
    await stage('done');
    const result = {
      steps,
      runId,
      date,
      kind,
      facilities,
      computed,
      figuresChanged,
      classChanges,
      vouchers,
      planned,
      seconds: seconds(),
    };
    await repo.finishRun(client, runId, { ...result, snapshotId: snapshot.id });
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    const refused = err instanceof DayRunRefusedError;
    await repo
      .endRun(pool, runId, refused ? 'refused' : 'failed', (err as Error).message, seconds())
      .catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

async function readPosting(client: repo.Client): Promise<repo.PaymentPosting> {
  const { rows } = await client.query<{ value: unknown }>(
    "SELECT value FROM settings WHERE key = 'payment_posting'",
  );
  const value = rows[0]?.value;
  return value === 'class' || value === 'current' ? value : SETTING_DEFAULTS.payment_posting;
}

/** The refusal of a second run while one holds the lock: it names the run, who started it and when. */
async function busy(pool: pg.Pool, self: string, timezone: string): Promise<DayRunRefusedError> {
  const holder = await repo.findRunningRun(pool, self);
  if (!holder) return new DayRunRefusedError('busy', 'اجرای دیگری از روز کاری در جریان است');
  const who = holder.started_by_name ?? SOURCE_NAMES[holder.source] ?? holder.source;
  const since = toPersianDigits(toJalaliDateTime(holder.started_at, timezone));
  return new DayRunRefusedError(
    'busy',
    `اجرای روز کاری ${fa(holder.business_date)} از ${since} توسط ${who} در جریان است؛ پس از پایان آن دوباره اجرا کنید`,
  );
}

const SOURCE_NAMES: Record<string, string> = {
  cli: 'خط فرمان',
  schedule: 'اجرای زمان‌بندی‌شده',
  ui: 'کاربر',
};

const fa = (iso: string) => toPersianDigits(toJalali(iso));
