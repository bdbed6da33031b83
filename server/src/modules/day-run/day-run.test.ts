import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/harness.js';
import {
  createBook,
  markScheduleChanged,
  plus,
  type FacilitySpec,
  type InstallmentSpec,
} from '../../../test/book.js';
import { DayRunRefusedError, runDay } from './day-run.service.js';
import * as repo from './day-run.repository.js';

const VOSUL = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/vosul.js');
const { url } = await createTestDatabase();
const pool = new pg.Pool({ connectionString: url, max: 6 });
afterAll(() => pool.end());

async function q<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  return (await pool.query(text, params)).rows as T[];
}

const SNAPSHOT_AS_OF = '2025-01-01';
const book = (facilities: FacilitySpec[], asOf = SNAPSHOT_AS_OF) => createBook(pool, facilities, asOf);

const run = (date: string, options: { openingVouchers?: boolean } = {}) =>
  runDay(pool, { date, source: 'cli', timezone: 'Asia/Tehran', ...options });

interface Figures {
  overdue_installments: number;
  overdue_days: number;
  overdue_amount: string;
  unpaid_amount: string;
  penalty: string;
  collectible_amount: string;
  cbi_class: string | null;
}

async function figures(no: string): Promise<Figures> {
  const [row] = await q<Figures>(
    `SELECT ff.overdue_installments, ff.overdue_days, ff.overdue_amount, ff.unpaid_amount, ff.penalty,
       ff.collectible_amount, ff.cbi_class
     FROM facility_figures ff JOIN facilities f ON f.id = ff.facility_id WHERE f.facility_no = $1`,
    [no],
  );
  if (!row) throw new Error(`no figures for ${no}`);
  return row;
}

/** A facility's books: amount per head. */
async function books(no: string): Promise<Record<string, string>> {
  const rows = await q<{ head: string; amount: string }>(
    `SELECT lb.head, lb.amount FROM ledger_balances lb JOIN facilities f ON f.id = lb.facility_id
     WHERE f.facility_no = $1 AND lb.amount <> 0 ORDER BY lb.head`,
    [no],
  );
  return Object.fromEntries(rows.map((r) => [r.head, r.amount]));
}

/** The vouchers of a facility and date as head → signed amount (debit positive). */
async function vouchers(no: string, date?: string) {
  return q<{ business_date: string; kind: string; lines: { head: string; debit: string; credit: string }[] }>(
    `SELECT v.business_date, v.kind,
       json_agg(json_build_object('head', l.head, 'debit', l.debit::text, 'credit', l.credit::text) ORDER BY l.head) AS lines
     FROM vouchers v JOIN voucher_lines l ON l.voucher_id = v.id JOIN facilities f ON f.id = v.facility_id
     WHERE f.facility_no = $1 AND ($2::date IS NULL OR v.business_date = $2)
     GROUP BY v.id ORDER BY v.id`,
    [no, date ?? null],
  );
}

/** One transfer voucher of `date` between the current and past-due heads (positive: into past due). */
const pastDueTransfer = (date: string, amount: number) => [
  {
    business_date: date,
    kind: 'transfer',
    lines: [
      { head: 'current', debit: String(Math.max(-amount, 0)), credit: String(Math.max(amount, 0)) },
      { head: 'past_due', debit: String(Math.max(amount, 0)), credit: String(Math.max(-amount, 0)) },
    ],
  },
];

const D = '2025-06-01';

beforeEach(async () => {
  await book([]);
});

// ---- derived figures ----------------------------------------------------------------------------------

describe('derived figures (interchange.md)', () => {
  it('does not count an installment due on the business date as overdue; the day before it is', async () => {
    await book([
      { no: 'DUE-TODAY', installments: [{ due: D, amount: 1000 }] },
      {
        no: 'DUE-YESTERDAY',
        installments: [
          { due: plus(D, -1), amount: 1000 },
          { due: D, amount: 500 },
        ],
      },
    ]);
    const result = await run(D);
    expect(result).toMatchObject({ kind: 'forward', facilities: 2 });
    expect(await figures('DUE-TODAY')).toMatchObject({
      overdue_installments: 0,
      overdue_days: 0,
      overdue_amount: '0',
      unpaid_amount: '1000',
      cbi_class: 'current',
    });
    expect(await figures('DUE-YESTERDAY')).toMatchObject({
      overdue_installments: 1,
      overdue_days: 1,
      overdue_amount: '1000',
      unpaid_amount: '1500',
    });
  });

  it.each([
    [60, 'current'],
    [61, 'past_due'],
    [180, 'past_due'],
    [181, 'deferred'],
    [540, 'deferred'],
    [541, 'doubtful'],
  ])('classes a facility %i days overdue as %s (the directive of 1385)', async (days, cls) => {
    await book([{ no: 'F', installments: [{ due: plus(D, -days), amount: 1000 }] }]);
    await run(D);
    expect(await figures('F')).toMatchObject({ overdue_days: days, cbi_class: cls });
  });

  it('counts the oldest unpaid installment: overpaid ones have no unpaid part, partial payments leave theirs', async () => {
    await book([
      {
        no: 'F',
        rate: '0',
        installments: [
          { due: plus(D, -40), amount: 1000, paid: 1500 }, // overpaid
          { due: plus(D, -10), amount: 1000, paid: 400 }, // partly paid: 600 overdue for 10 days
          { due: plus(D, 20), amount: 1000, paid: 100 }, // not due yet, partly paid
        ],
      },
    ]);
    await run(D);
    // penalty: 600 × 6% × 10 / 365 = 0.98… → 0
    expect(await figures('F')).toEqual({
      overdue_installments: 1,
      overdue_days: 10,
      overdue_amount: '600',
      unpaid_amount: '1500',
      penalty: '0',
      collectible_amount: '600',
      cbi_class: 'current',
    });
  });

  it('accrues the penalty at the contract rate + 6 on 365 days, or the loan type’s own rate and basis, rounded down once', async () => {
    await book([
      { no: 'CONTRACT', rate: '18', installments: [{ due: plus(D, -30), amount: 1_000_000 }] },
      { no: 'FUND', loanType: 'L2', rate: '4', installments: [{ due: plus(D, -30), amount: 1_000_000 }] },
      {
        // three installments of 100, ten days late at 24%: 0.657… each, 1.97… in all
        no: 'SUMMED',
        rate: '18',
        installments: [1, 2, 3].map(() => ({ due: plus(D, -10), amount: 100 })),
      },
    ]);
    await run(D);
    // 1,000,000 × 24 / 100 × 30 / 365 = 19,726.02…
    expect(await figures('CONTRACT')).toMatchObject({ penalty: '19726', collectible_amount: '1019726' });
    // 1,000,000 × 12 / 100 × 30 / 360 = 10,000 (the fund's rate, not 4 + 6)
    expect(await figures('FUND')).toMatchObject({ penalty: '10000', collectible_amount: '1010000' });
    expect(await figures('SUMMED')).toMatchObject({ penalty: '1', collectible_amount: '301' });
  });

  it('takes the contract rate as 0 when the snapshot has none', async () => {
    await book([{ no: 'F', rate: null, installments: [{ due: plus(D, -365), amount: 1_000_000 }] }]);
    await run(D);
    expect(await figures('F')).toMatchObject({ penalty: '60000' }); // 6% for a year
  });

  it('gives a written-off facility its figures but no class and no voucher', async () => {
    await book([{ no: 'W', status: 'written_off', installments: [{ due: plus(D, -400), amount: 5000 }] }]);
    await run(D);
    expect(await figures('W')).toMatchObject({ overdue_days: 400, overdue_amount: '5000', cbi_class: null });
    await run(plus(D, 30));
    expect(await books('W')).toEqual({});
    expect(await vouchers('W')).toEqual([]);
  });
});

// ---- Apache Fineract's days-past-due cases, ported --------------------------------------------------
// Fineract's rule is Vosul's: an installment is overdue when its due date is before the business date
// and something of it is unpaid; days past due run from the oldest such due date. Its amounts have
// cents; here they are whole Rials (× 100). Fineract's pause periods and chargebacks have no
// counterpart in a core banking snapshot and are left out.

describe('days past due, as Apache Fineract counts them', () => {
  const fineract = (installments: InstallmentSpec[]) =>
    book([{ no: 'LOAN', rate: '0', installments }], '2012-01-01');

  it('ports LoanDelinquencyDomainServiceTest.givenLoanAccountWithoutOverdueThenCalculateDelinquentData', async () => {
    await fineract([{ due: '2012-03-01', amount: 1000 }]); // due on the business date
    await run('2012-03-01');
    expect(await figures('LOAN')).toMatchObject({ overdue_days: 0, overdue_amount: '0' });
  });

  it('ports LoanDelinquencyDomainServiceTest.givenLoanAccountWithOverdueThenCalculateDelinquentData', async () => {
    await fineract([{ due: '2012-02-28', amount: 1000 }]); // due two days before
    await run('2012-03-01');
    expect(await figures('LOAN')).toMatchObject({ overdue_days: 2, overdue_amount: '1000' });
  });

  it('ports LoanDelinquencyDomainServiceTest.givenLoanAccountWithoutOverdueWithChargebackThenCalculateDelinquentData', async () => {
    await fineract([{ due: '2012-03-03', amount: 1000 }]); // not due for two more days
    await run('2012-03-01');
    expect(await figures('LOAN')).toMatchObject({ overdue_days: 0, overdue_amount: '0' });
  });

  it('ports DelinquencyBucketsIntegrationTest.testDelinquencyWithPauseLettingPauseExpire (without the pause)', async () => {
    // 10,000 over 12 months at 2% a period, equal principal: 1,033.33 due 1 Feb 2012, 1,016.66 due 1 Mar
    await fineract([
      { due: '2012-02-01', amount: 103333 },
      { due: '2012-03-01', amount: 101666 },
    ]);
    await run('2012-02-06');
    expect(await figures('LOAN')).toMatchObject({ overdue_days: 5, overdue_amount: '103333' });
    await run('2012-03-12'); // Fineract: 40 days less its 4 paused days = 36
    expect(await figures('LOAN')).toMatchObject({ overdue_days: 40, overdue_amount: '204999' });
  });

  it('ports DelinquencyBucketsIntegrationTest.testLoanClassificationToValidateNegatives', async () => {
    await fineract([{ due: '2012-02-01', amount: 103333 }]);
    await run('2012-01-31'); // the first due date is still ahead: zero, never negative
    expect(await figures('LOAN')).toMatchObject({ overdue_days: 0 });
  });

  it('ports DelinquencyBucketsIntegrationTest.testLoanClassificationStepAsPartOfCOB', async () => {
    await fineract([{ due: '2012-04-01', amount: 103333 }]);
    await run('2012-04-01');
    expect(await figures('LOAN')).toMatchObject({ overdue_days: 0 });
    await run('2012-04-04');
    expect(await figures('LOAN')).toMatchObject({ overdue_days: 3 });
  });

  it('ports DelinquencyBucketsIntegrationTest.testLoanClassificationRealtime', async () => {
    await fineract([{ due: '2012-02-10', amount: 103333 }]);
    await run('2012-03-01');
    expect(await figures('LOAN')).toMatchObject({ overdue_days: 20, overdue_amount: '103333' });
    // a partial repayment of 100 leaves it overdue, as long as before
    await pool.query('UPDATE installments SET paid_amount = 10000');
    await markScheduleChanged(pool);
    await run('2012-03-01');
    expect(await figures('LOAN')).toMatchObject({ overdue_days: 20, overdue_amount: '93333' });
    // repaying the rest lifts it
    await pool.query('UPDATE installments SET paid_amount = amount');
    await markScheduleChanged(pool);
    await run('2012-03-01');
    expect(await figures('LOAN')).toMatchObject({ overdue_days: 0, overdue_amount: '0' });
  });
});

// ---- business dates ---------------------------------------------------------------------------------

describe('business dates', () => {
  it('refuses a date before the latest snapshot, a future date and a date that is none', async () => {
    const refusal = (date: string) => run(date).catch((e: unknown) => e);
    expect(await refusal('2024-12-31')).toMatchObject({ reason: 'before_snapshot' });
    expect(await refusal('2999-01-01')).toMatchObject({ reason: 'future_date' });
    expect(await refusal('1404/13/01')).toMatchObject({ reason: 'bad_input' });
    const runs = await q<{ status: string }>('SELECT status FROM day_runs ORDER BY id');
    expect(runs.map((r) => r.status)).toEqual(['refused', 'refused']); // a date that is none never starts
  });

  it('accepts a Jalali date in Persian digits', async () => {
    await book([{ no: 'F', installments: [{ due: '2025-05-01', amount: 10 }] }]);
    const result = await run('۱۴۰۴/۰۳/۱۱'); // 2025-06-01
    expect(result.date).toBe('2025-06-01');
    expect(await figures('F')).toMatchObject({ overdue_days: 31 });
  });

  it('moves forward, completes the latest date without issuing twice, and only recomputes an earlier one', async () => {
    await book([
      {
        no: 'F',
        installments: [
          { due: plus(D, -70), amount: 1000 },
          { due: plus(D, 10), amount: 1000 },
          { due: plus(D, 40), amount: 1000 },
        ],
      },
    ]);
    expect((await run(D)).kind).toBe('forward');
    const later = plus(D, 15);
    expect(await run(later)).toMatchObject({ kind: 'forward', vouchers: 1 });
    expect(await run(later)).toMatchObject({ kind: 'latest', vouchers: 0, classChanges: 0 });
    const whatIf = await run(plus(D, 5));
    expect(whatIf).toMatchObject({ kind: 'what_if', vouchers: 0, classChanges: 0 });
    expect(await figures('F')).toMatchObject({ overdue_days: 75, overdue_amount: '1000' });
    // the API's as-of date is the latest run's, the what-if
    const [asOf] = await q<{ business_date: string }>(
      `SELECT business_date FROM day_runs WHERE status = 'succeeded' ORDER BY finished_at DESC LIMIT 1`,
    );
    expect(asOf!.business_date).toBe(plus(D, 5));
    expect(await vouchers('F')).toHaveLength(1);
  });
});

// ---- vouchers ---------------------------------------------------------------------------------------

describe('vouchers (P7)', () => {
  const schedule = (): FacilitySpec => ({
    no: 'F',
    installments: [
      { due: plus(D, -70), amount: 1000 },
      { due: plus(D, 10), amount: 1000 },
      { due: plus(D, 40), amount: 1000 },
    ],
  });

  it('opens the books without a voucher, moves newly overdue money, and reverses it after a payment', async () => {
    await book([schedule()]);
    await run(D);
    expect(await books('F')).toEqual({ current: '2000', past_due: '1000' });
    expect(await vouchers('F')).toEqual([]);

    // 15 days on, the second installment is overdue too: 1,000 more into past due
    const d1 = plus(D, 15);
    await run(d1);
    expect(await vouchers('F', d1)).toEqual(pastDueTransfer(d1, 1000));
    expect(await books('F')).toEqual({ current: '1000', past_due: '2000' });

    // the oldest is paid (the core posted 1,000 against the current head): 6 days overdue is current
    await pool.query(`UPDATE installments SET paid_amount = amount WHERE seq = 1`);
    await markScheduleChanged(pool);
    const d2 = plus(d1, 1);
    await run(d2);
    expect(await figures('F')).toMatchObject({ overdue_days: 6, cbi_class: 'current' });
    expect(await vouchers('F', d2)).toEqual(pastDueTransfer(d2, -2000));
    expect(await books('F')).toEqual({ current: '2000' });
    const history = await q(
      `SELECT business_date, from_class, to_class, overdue_days FROM facility_class_changes ORDER BY id`,
    );
    expect(history).toEqual([
      { business_date: D, from_class: null, to_class: 'past_due', overdue_days: 70 },
      { business_date: d2, from_class: 'past_due', to_class: 'current', overdue_days: 6 },
    ]);
  });

  it('carries a facility in arrears to later dates without rewriting it, and moves its class on the day it crosses a threshold', async () => {
    // one installment 55 days overdue, the next not due for a year: nothing is read afresh for months
    await book([
      {
        no: 'F',
        installments: [
          { due: plus(D, -55), amount: 10000 },
          { due: plus(D, 365), amount: 10000 },
        ],
      },
    ]);
    await run(D);
    const stored = () =>
      q<{ as_of: string }>(
        `SELECT s.as_of FROM facility_figures_stored s JOIN facilities f ON f.id = s.facility_id WHERE f.facility_no = 'F'`,
      );
    // day 60: still current; the stored row is the first run's, the figures are the date's
    const d60 = plus(D, 5);
    await run(d60);
    expect(await stored()).toEqual([{ as_of: D }]);
    const want60 = expectedFigures([{ due: plus(D, -55), amount: 10000 }], d60, 24, 365);
    expect(await figures('F')).toMatchObject({
      overdue_days: 60,
      penalty: String(want60.penalty),
      collectible_amount: String(10000n + want60.penalty),
      cbi_class: 'current',
    });
    expect(await books('F')).toEqual({ current: '20000' });
    // day 61: past due — the class change, its history and its voucher on that date
    const d61 = plus(D, 6);
    await run(d61);
    expect(await stored()).toEqual([{ as_of: d61 }]);
    expect(await figures('F')).toMatchObject({ overdue_days: 61, cbi_class: 'past_due' });
    expect(await books('F')).toEqual({ current: '10000', past_due: '10000' });
    expect((await vouchers('F', d61)).map((v) => v.kind)).toEqual(['transfer']);
    // 100 days later in one step (a gap of missed dates): deferred at 181 is crossed, past due kept
    const d161 = plus(d61, 100);
    await run(d161);
    expect(await figures('F')).toMatchObject({ overdue_days: 161, cbi_class: 'past_due' });
    expect(await stored()).toEqual([{ as_of: d61 }]);
    const d181 = plus(d61, 120);
    await run(d181);
    expect(await figures('F')).toMatchObject({ overdue_days: 181, cbi_class: 'deferred' });
    expect(await books('F')).toEqual({ current: '10000', deferred: '10000' });
    const history = await q(
      `SELECT business_date, from_class, to_class, overdue_days FROM facility_class_changes ORDER BY id`,
    );
    expect(history).toEqual([
      { business_date: d61, from_class: 'current', to_class: 'past_due', overdue_days: 61 },
      { business_date: d181, from_class: 'past_due', to_class: 'deferred', overdue_days: 181 },
    ]);
  });

  it('moves the books of the few facilities a day changes in a book whose size the statistics know', async () => {
    // 30 facilities on the books that nothing moves; with the statistics taken (as autovacuum does),
    // the day's two moving facilities are read one at a time rather than with every ledger row
    const quiet: FacilitySpec[] = Array.from({ length: 30 }, (_, n) => ({
      no: `Q${n}`,
      installments: [{ due: plus(D, 900), amount: 1000 }],
    }));
    await book([schedule(), { ...schedule(), no: 'G' }, ...quiet]);
    await run(D);
    await pool.query('ANALYZE ledger_balances, facility_figures_stored');
    const d1 = plus(D, 15);
    await run(d1);
    for (const no of ['F', 'G']) expect(await vouchers(no, d1)).toEqual(pastDueTransfer(d1, 1000));
    // a payment on G only: its books follow, F's stay, the quiet ones are never touched
    await pool.query(
      `UPDATE installments SET paid_amount = amount WHERE seq = 1 AND facility_id = (SELECT id FROM facilities WHERE facility_no = 'G')`,
    );
    await markScheduleChanged(pool, 'G');
    const d2 = plus(d1, 1);
    await run(d2);
    expect(await books('F')).toEqual({ current: '1000', past_due: '2000' });
    expect(await books('G')).toEqual({ current: '2000' });
    expect(await vouchers('G', d2)).toEqual(pastDueTransfer(d2, -2000));
    const touched = await q(
      `SELECT DISTINCT f.facility_no FROM vouchers v JOIN facilities f ON f.id = v.facility_id ORDER BY 1`,
    );
    expect(touched).toEqual([{ facility_no: 'F' }, { facility_no: 'G' }]);
    expect(await books('Q7')).toEqual({ current: '1000' });
  });

  it('takes a payment off the class head first where the bank posts payments there', async () => {
    await book([schedule()]);
    await pool.query(`INSERT INTO settings (key, value) VALUES ('payment_posting', '"class"')`);
    await run(D); // books: past due 1,000, current 2,000
    await pool.query(`UPDATE installments SET paid_amount = 400 WHERE seq = 1`);
    await markScheduleChanged(pool);
    const d1 = plus(D, 1);
    await run(d1);
    // the core took 400 off past due itself: the books already agree, no voucher
    expect(await books('F')).toEqual({ current: '2000', past_due: '600' });
    expect(await vouchers('F', d1)).toEqual([]);
    const [ledger] = await q(
      `SELECT sum(core_posted)::text AS posted FROM ledger_balances WHERE head = 'past_due'`,
    );
    expect(ledger).toEqual({ posted: '400' });
  });

  it('puts the whole unpaid amount in the class head when the loan type says so, in its own heads', async () => {
    await book([
      { ...schedule(), no: 'WHOLE', loanType: 'L3' },
      { ...schedule(), no: 'HEADS', loanType: 'L2' },
    ]);
    await run(D);
    expect(await books('WHOLE')).toEqual({ past_due: '3000' });
    expect(await books('HEADS')).toEqual({ '1401': '2000', '1402': '1000' });
  });

  it('issues opening vouchers when asked', async () => {
    await book([schedule()]);
    await run(D, { openingVouchers: true });
    expect(await vouchers('F')).toEqual([
      {
        business_date: D,
        kind: 'opening',
        lines: [
          { head: 'current', debit: '2000', credit: '0' },
          { head: 'past_due', debit: '1000', credit: '0' },
        ],
      },
    ]);
  });

  it('moves the books when a loan type changes its heads', async () => {
    await book([schedule()]);
    await run(D);
    await pool.query(`UPDATE loan_types SET head_past_due = '5102' WHERE code = 'L1'`);
    const d1 = plus(D, 1);
    await run(d1);
    expect(await vouchers('F', d1)).toEqual([
      {
        business_date: d1,
        kind: 'transfer',
        lines: [
          { head: '5102', debit: '1000', credit: '0' },
          { head: 'past_due', debit: '0', credit: '1000' },
        ],
      },
    ]);
  });
});

// ---- one run at a time, and a crash ------------------------------------------------------------------

describe('running', () => {
  it('refuses a second run while one holds the lock, naming it', async () => {
    await book([{ no: 'F', installments: [{ due: plus(D, -3), amount: 10 }] }]);
    const holder = await pool.connect();
    try {
      const id = await repo.insertRun(holder, {
        date: '2025-05-20',
        source: 'ui',
        openingVouchers: false,
        userName: 'مریم رضایی',
      });
      await repo.startRun(holder, id);
      await holder.query('BEGIN');
      expect(await repo.tryLockDayRun(holder)).toBe(true);
      const refusal = await run(D).catch((e: unknown) => e);
      expect(refusal).toBeInstanceOf(DayRunRefusedError);
      expect((refusal as DayRunRefusedError).reason).toBe('busy');
      expect((refusal as Error).message).toContain('مریم رضایی');
      expect((refusal as Error).message).toContain('۱۴۰۴/۰۲/۳۰'); // 2025-05-20
      await holder.query('ROLLBACK');
    } finally {
      holder.release();
    }
    expect(await q(`SELECT count(*)::int AS n FROM facility_figures`)).toEqual([{ n: 0 }]);
    expect((await run(D)).kind).toBe('forward'); // the lock is free again
  });

  it('leaves nothing of a run killed half-way, records it as failed, and a re-run does the day once', async () => {
    await book([
      {
        no: 'F',
        installments: [
          { due: plus(D, -70), amount: 1000 },
          { due: plus(D, 10), amount: 1000 },
        ],
      },
    ]);
    await run(plus(D, -1)); // the books are open
    // hold the class history so the run stops there, its figures written, then kill it
    const blocker = await pool.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE facility_class_changes IN ACCESS EXCLUSIVE MODE');
    const child = spawn(process.execPath, [VOSUL, 'run-day', '--date', D], {
      env: {
        ...process.env,
        DATABASE_URL: url,
        VOSUL_SECRET_KEY: 'test-secret-key-test-secret-key-0123456789',
        VOSUL_DEMO: '0',
      },
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    for (let i = 0; i < 300; i++) {
      const [r] = await q<{ stage: string | null }>(`SELECT stage FROM day_runs WHERE business_date = $1`, [
        D,
      ]);
      if (r?.stage === 'تغییر طبقه‌ها') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill('SIGKILL');
    await exited;
    await blocker.query('ROLLBACK');
    blocker.release();
    // the killed run's session goes away with its process; until then it may still look alive
    for (let i = 0; i < 100; i++) {
      if ((await repo.failInterruptedDayRuns(pool)) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const [killed] = await q<{ status: string }>(`SELECT status FROM day_runs WHERE business_date = $1`, [D]);
    expect(killed!.status).toBe('failed');
    expect(await figures('F')).toMatchObject({ overdue_days: 69 }); // still the day before's
    const rerun = await run(D);
    expect(rerun).toMatchObject({ kind: 'forward', vouchers: 0 });
    expect(await figures('F')).toMatchObject({ overdue_days: 70 });
  });
});

// ---- the books always add up ------------------------------------------------------------------------

/** The figures of interchange.md computed in TypeScript: the oracle of the property test. */
function expectedFigures(installments: InstallmentSpec[], date: string, rate: number, basis: number) {
  let overdueInstallments = 0;
  let oldest: string | null = null;
  let overdue = 0n;
  let unpaid = 0n;
  let unpaidDays = 0n; // Σ unpaid × days, for the penalty
  for (const i of installments) {
    const part = BigInt(Math.max(i.amount - (i.paid ?? 0), 0));
    if (part === 0n) continue;
    unpaid += part;
    if (i.due < date) {
      overdueInstallments += 1;
      overdue += part;
      if (oldest === null || i.due < oldest) oldest = i.due;
      unpaidDays += part * BigInt(dayDiff(date, i.due));
    }
  }
  const overdueDays = oldest === null ? 0 : dayDiff(date, oldest);
  const penalty = (unpaidDays * BigInt(Math.round(rate * 10000))) / BigInt(1_000_000 * basis);
  const cls =
    overdueDays > 540
      ? 'doubtful'
      : overdueDays > 180
        ? 'deferred'
        : overdueDays > 60
          ? 'past_due'
          : 'current';
  return { overdueInstallments, overdueDays, overdue, unpaid, penalty, cls };
}

const dayDiff = (a: string, b: string) => Math.round((Date.parse(a) - Date.parse(b)) / 86_400_000);

describe('the books always add up (property)', () => {
  it('keeps, after any sequence of snapshots and runs, the books at the targets and every voucher accounted for', async () => {
    type Step =
      | { kind: 'advance'; days: number }
      | { kind: 'pay'; facility: number; seq: number; amount: number }
      | { kind: 'what_if'; back: number }
      | { kind: 'rerun' }
      | { kind: 'posting'; to: 'current' | 'class' }
      | { kind: 'holds'; to: 'overdue' | 'unpaid' }
      | { kind: 'autovacuum' };
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ kind: fc.constant('advance' as const), days: fc.integer({ min: 1, max: 200 }) }),
      fc.record({
        kind: fc.constant('pay' as const),
        facility: fc.integer({ min: 0, max: 2 }),
        seq: fc.integer({ min: 1, max: 6 }),
        amount: fc.integer({ min: 1, max: 3000 }),
      }),
      fc.record({ kind: fc.constant('what_if' as const), back: fc.integer({ min: 1, max: 60 }) }),
      fc.record({ kind: fc.constant('rerun' as const) }),
      fc.record({
        kind: fc.constantFrom('posting' as const),
        to: fc.constantFrom('current' as const, 'class' as const),
      }),
      fc.record({
        kind: fc.constantFrom('holds' as const),
        to: fc.constantFrom('overdue' as const, 'unpaid' as const),
      }),
      // the statistics as autovacuum leaves them: with the books' size known, a day that moves a few
      // facilities' books reads them one facility at a time, and one that moves most reads them whole
      fc.record({ kind: fc.constant('autovacuum' as const) }),
    );
    const schedules = fc.array(
      fc.array(
        fc.record({ offset: fc.integer({ min: -400, max: 400 }), amount: fc.integer({ min: 1, max: 2000 }) }),
        {
          minLength: 1,
          maxLength: 6,
        },
      ),
      { minLength: 3, maxLength: 3 },
    );

    await fc.assert(
      fc.asyncProperty(schedules, fc.array(step, { minLength: 1, maxLength: 8 }), async (plans, steps) => {
        const start = '2025-02-01';
        const specs: FacilitySpec[] = plans.map((plan, n) => ({
          no: `P${n}`,
          rate: '18',
          installments: plan.map((p) => ({ due: plus(start, p.offset), amount: p.amount })),
        }));
        // facilities nothing moves, with books of their own: once the statistics know the books' size,
        // the few that move are read one facility at a time (before that, and on a first run, whole)
        const quiet: FacilitySpec[] = Array.from({ length: 20 }, (_, n) => ({
          no: `Q${n}`,
          installments: [{ due: '2030-01-01', amount: 1000 }],
        }));
        await book([...specs, ...quiet]);
        let latest = start;
        await run(latest);
        await checkBooks(specs, latest);
        for (const s of steps) {
          if (s.kind === 'advance') {
            if (plus(latest, s.days) > '2026-06-01') continue;
            latest = plus(latest, s.days);
            await run(latest);
          } else if (s.kind === 'pay') {
            const inst = specs[s.facility]!.installments[s.seq - 1];
            if (!inst) continue;
            inst.paid = (inst.paid ?? 0) + s.amount;
            await pool.query(
              `UPDATE installments SET paid_amount = $3 WHERE seq = $2
                 AND facility_id = (SELECT id FROM facilities WHERE facility_no = $1)`,
              [`P${s.facility}`, s.seq, inst.paid],
            );
            await markScheduleChanged(pool, `P${s.facility}`);
            continue; // a new snapshot: the books move at the next run
          } else if (s.kind === 'what_if') {
            const back = plus(latest, -s.back);
            if (back < SNAPSHOT_AS_OF) continue;
            await run(back);
            await checkFigures(specs, back);
            continue; // the books stay at the latest date: they are checked after the next forward run
          } else if (s.kind === 'rerun') {
            await run(latest);
          } else if (s.kind === 'posting') {
            await pool.query(
              `INSERT INTO settings (key, value) VALUES ('payment_posting', $1)
               ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
              [JSON.stringify(s.to)],
            );
            continue;
          } else if (s.kind === 'holds') {
            await pool.query(`UPDATE loan_types SET class_holds = $1 WHERE code = 'L1'`, [s.to]);
            continue;
          } else {
            await pool.query('ANALYZE ledger_balances, facility_figures_stored');
            continue;
          }
          await checkBooks(specs, latest);
        }
      }),
      { numRuns: 25, seed: 4_240_626 },
    );
  }, 240_000);
});

/** The figures every reader sees after a run: as the oracle computes them for its date. */
async function checkFigures(specs: FacilitySpec[], date: string): Promise<void> {
  for (const spec of specs) {
    const want = expectedFigures(spec.installments, date, 24, 365);
    expect(await figures(spec.no)).toEqual({
      overdue_installments: want.overdueInstallments,
      overdue_days: want.overdueDays,
      overdue_amount: String(want.overdue),
      unpaid_amount: String(want.unpaid),
      penalty: String(want.penalty),
      collectible_amount: String(want.overdue + want.penalty),
      cbi_class: want.cls,
    });
  }
}

/** After a run that moved the books: figures as the oracle says, books at the targets, vouchers accounted. */
async function checkBooks(specs: FacilitySpec[], date: string): Promise<void> {
  await checkFigures(specs, date);
  const [{ holds }] = (await q<{ holds: string }>(
    `SELECT class_holds AS holds FROM loan_types WHERE code = 'L1'`,
  )) as [{ holds: string }];
  for (const spec of specs) {
    const want = expectedFigures(spec.installments, date, 24, 365);
    const held = want.cls === 'current' ? 0n : holds === 'unpaid' ? want.unpaid : want.overdue;
    const targets: Record<string, string> = {};
    if (held > 0n) targets[want.cls] = String(held);
    if (want.unpaid - held > 0n) targets.current = String(want.unpaid - held);
    expect(await books(spec.no)).toEqual(targets);
  }
  // every head: opening + Σ vouchers (debit − credit) − the core's postings = what is booked
  const unaccounted = await q(
    `SELECT lb.facility_id, lb.head, lb.amount, lb.opening, lb.core_posted, coalesce(v.net, 0) AS net
     FROM ledger_balances lb
     LEFT JOIN (SELECT v.facility_id, l.head, sum(l.debit - l.credit) AS net
                FROM vouchers v JOIN voucher_lines l ON l.voucher_id = v.id WHERE v.kind = 'transfer'
                GROUP BY v.facility_id, l.head) v ON v.facility_id = lb.facility_id AND v.head = lb.head
     WHERE lb.amount <> lb.opening + coalesce(v.net, 0) - lb.core_posted`,
  );
  expect(unaccounted).toEqual([]);
  // a transfer moves money between heads: its debits equal its credits
  const unbalanced = await q(
    `SELECT v.id FROM vouchers v JOIN voucher_lines l ON l.voucher_id = v.id
     WHERE v.kind = 'transfer' GROUP BY v.id HAVING sum(l.debit) <> sum(l.credit)`,
  );
  expect(unbalanced).toEqual([]);
}
