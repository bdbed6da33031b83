import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dashboard } from '@vosul/common/dashboard';
import { factory, logIn, logInAsAdmin, setupTestApp } from '../../../test/harness.js';
import { runDay } from '../day-run/day-run.service.js';

const { app, db, url } = await setupTestApp();
const pool = new pg.Pool({ connectionString: url, max: 3 });
afterAll(() => pool.end());

const RUN_DATE = '2025-03-01';
let branchA: number;
let branchB: number;

/**
 * A small book on two branches of two provinces, as of RUN_DATE:
 *   A1  14 days overdue,   5,000,000   (current,  range 1–30,    under 10M)
 *   A2  90 days overdue,  50,000,000   (past due, range 61–180,  10M–100M)
 *   A3  not due yet                    (current, not in arrears)
 *   B1 273 days overdue, 200,000,000   (deferred, range 181–540, 100M–1B)
 * and one payment of 1,000,000 on A1 on 2025-02-10 (1403/11/22), 19 days before the run.
 */
async function seedBook() {
  const pa = await factory.province(db, { name: 'تهران' });
  const pb = await factory.province(db, { name: 'اصفهان' });
  branchA = (await factory.branch(db, { code: 'BA', name: 'شعبه الف', provinceId: pa.id })).id;
  branchB = (await factory.branch(db, { code: 'BB', name: 'شعبه ب', provinceId: pb.id })).id;
  await pool.query(`INSERT INTO snapshot_imports (as_of, status) VALUES ('2025-01-01', 'succeeded')`);
  await pool.query(`INSERT INTO loan_types (code, title) VALUES ('L1', 'مشارکت مدنی')`);
  await pool.query(
    `INSERT INTO customers (customer_no, first_name, last_name, branch_id) VALUES ('C1', 'علی', 'احمدی', $1)`,
    [branchA],
  );
  const facility = async (no: string, branch: number, due: string, amount: number) => {
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO facilities (facility_no, customer_id, branch_id, loan_type_id, granted_on, principal, annual_rate)
       VALUES ($1, (SELECT id FROM customers LIMIT 1), $2, (SELECT id FROM loan_types LIMIT 1), '2024-01-01', 1000000000, 18)
       RETURNING id`,
      [no, branch],
    );
    await pool.query(
      `INSERT INTO installments (facility_id, seq, due_on, amount, paid_amount) VALUES ($1, 1, $2, $3, 0)`,
      [rows[0]!.id, due, amount],
    );
    return rows[0]!.id;
  };
  const a1 = await facility('A1', branchA, '2025-02-15', 5_000_000);
  await facility('A2', branchA, '2024-12-01', 50_000_000);
  await facility('A3', branchA, '2025-06-01', 70_000_000);
  await facility('B1', branchB, '2024-06-01', 200_000_000);
  await pool.query(
    // payments come with a snapshot (their import is what the run counts them by)
    `INSERT INTO payments (facility_id, paid_on, amount, reference, import_id)
     VALUES ($1, '2025-02-10', 1000000, 'R1', (SELECT min(id) FROM snapshot_imports))`,
    [a1],
  );
}

/** The harness's session has no PUT; sent the same way (cookie and CSRF header). */
const put = (s: Awaited<ReturnType<typeof logIn>>, url: string, payload: object) =>
  app.inject({ method: 'PUT', url, payload, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });

const run = (date = RUN_DATE) => runDay(pool, { date, source: 'cli', timezone: 'Asia/Tehran' });

async function dashboardOf(session: Awaited<ReturnType<typeof logIn>>): Promise<Dashboard> {
  const res = await session.get('/api/v1/dashboard');
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Dashboard>();
}

const counts = (buckets: Dashboard['by_class']) =>
  Object.fromEntries(buckets.map((b) => [b.title, b.facilities]));
const amounts = (buckets: Dashboard['by_class']) =>
  Object.fromEntries(buckets.filter((b) => b.facilities > 0).map((b) => [b.title, b.overdue_amount]));

beforeAll(async () => {
  await seedBook();
});

describe('GET /api/v1/dashboard', () => {
  it('is empty before the first run', async () => {
    const admin = await logInAsAdmin(app);
    const d = await dashboardOf(admin);
    expect(d.as_of).toBeNull();
    expect(d.totals.facilities_in_arrears).toBe(0);
  });

  it('after a run, sums the book by class, range, amount and branch for HQ', async () => {
    await run();
    const d = await dashboardOf(await logInAsAdmin(app));
    expect(d.as_of).toBe(RUN_DATE);
    expect(d.totals).toEqual({
      facilities_in_arrears: 3,
      overdue_amount: '255000000',
      collectible_amount: expect.any(String) as unknown,
      unpaid_amount: expect.any(String) as unknown,
    });
    expect(counts(d.by_class)).toEqual({ جاری: 2, 'سررسید گذشته': 1, معوق: 1, مشکوک‌الوصول: 0, سوخت‌شده: 0 });
    expect(amounts(d.by_class)).toEqual({ جاری: '5000000', 'سررسید گذشته': '50000000', معوق: '200000000' });
    expect(counts(d.by_range)).toEqual({
      'تا ۳۰ روز': 1,
      '۳۱ تا ۶۰ روز': 0,
      '۶۱ تا ۱۸۰ روز': 1,
      '۱۸۱ تا ۵۴۰ روز': 1,
      'بیش از ۵۴۰ روز': 0,
    });
    expect(d.by_amount.map((b) => [b.title, b.facilities])).toEqual([
      ['کمتر از ۱۰٬۰۰۰٬۰۰۰', 1],
      ['۱۰٬۰۰۰٬۰۰۰ تا کمتر از ۱۰۰٬۰۰۰٬۰۰۰', 1],
      ['۱۰۰٬۰۰۰٬۰۰۰ تا کمتر از ۱٬۰۰۰٬۰۰۰٬۰۰۰', 1],
      ['۱٬۰۰۰٬۰۰۰٬۰۰۰ و بیشتر', 0],
    ]);
    expect(d.top_branches.map((b) => [b.key, b.facilities, b.overdue_amount])).toEqual([
      ['BB', 1, '200000000'],
      ['BA', 2, '55000000'],
    ]);
    // the payment in its Jalali month (Bahman), the run's overdue in the run's month (Esfand)
    const bahman = d.series.find((m) => m.month === '1403/11');
    const esfand = d.series.find((m) => m.month === '1403/12');
    expect(d.series).toHaveLength(12);
    expect(bahman?.collected).toBe('1000000');
    expect(esfand?.overdue_amount).toBe('255000000');
    expect(d.recovery.collected).toBe('1000000');
    expect(d.recovery.rate).toBeCloseTo(1_000_000 / 256_000_000, 4);
  });

  it('a re-run of the same date replaces its summaries (nothing counted twice)', async () => {
    await run();
    const d = await dashboardOf(await logInAsAdmin(app));
    expect(d.totals.facilities_in_arrears).toBe(3);
    expect(d.totals.overdue_amount).toBe('255000000');
    expect(d.recovery.collected).toBe('1000000');
  });

  it('a branch user sees only their branch; a province user only their province', async () => {
    await factory.user(db, { username: 'branch_a', group: 'collection_officer', branchId: branchA });
    const d = await dashboardOf(await logIn(app, 'branch_a', 'password-1234'));
    expect(d.totals.facilities_in_arrears).toBe(2);
    expect(d.totals.overdue_amount).toBe('55000000');
    expect(d.top_branches.map((b) => b.key)).toEqual(['BA']);
    expect(counts(d.by_class)['معوق']).toBe(0);
    expect(d.recovery.collected).toBe('1000000');

    const provinceB = (
      await db
        .selectFrom('branches')
        .select('province_id')
        .where('id', '=', branchB)
        .executeTakeFirstOrThrow()
    ).province_id;
    await factory.user(db, { username: 'province_b', group: 'province_admin', provinceId: provinceB });
    const p = await dashboardOf(await logIn(app, 'province_b', 'password-1234'));
    expect(p.totals.facilities_in_arrears).toBe(1);
    expect(p.top_branches.map((b) => b.key)).toEqual(['BB']);
    expect(p.recovery.collected).toBe('0');
  });

  it('new case settings re-bucket the latest run at once', async () => {
    const admin = await logInAsAdmin(app);
    const res = await put(admin, '/api/v1/case-settings', {
      ranges: [
        { from_days: 1, to_days: 100, title: 'کوتاه' },
        { from_days: 101, to_days: null, title: 'بلند' },
      ],
      thresholds: ['100000000'],
    });
    expect(res.statusCode).toBe(200);
    const d = await dashboardOf(admin);
    expect(counts(d.by_range)).toEqual({ کوتاه: 2, بلند: 1 });
    expect(d.by_amount.map((b) => [b.title, b.facilities])).toEqual([
      ['کمتر از ۱۰۰٬۰۰۰٬۰۰۰', 2],
      ['۱۰۰٬۰۰۰٬۰۰۰ و بیشتر', 1],
    ]);
  });

  it('a later run moves the picture on and keeps the earlier month’s overdue in the chart', async () => {
    // 2025-04-01 is 1404/01/12: A1 is now 45 days overdue, A2 121, B1 304 (the same amounts: the
    // installments' paid parts come with the next snapshot); a payment on A2 that day, in a new snapshot
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO snapshot_imports (as_of, status) VALUES ('2025-04-01', 'succeeded') RETURNING id`,
    );
    await pool.query(
      `INSERT INTO payments (facility_id, paid_on, amount, reference, import_id)
       SELECT id, '2025-04-01', 2000000, 'R2', $1 FROM facilities WHERE facility_no = 'A2'`,
      [rows[0]!.id],
    );
    await run('2025-04-01');
    const d = await dashboardOf(await logInAsAdmin(app));
    expect(d.as_of).toBe('2025-04-01');
    expect(d.series.at(-1)).toEqual({ month: '1404/01', collected: '2000000', overdue_amount: '255000000' });
    expect(d.series.at(-2)).toEqual({ month: '1403/12', collected: '0', overdue_amount: '255000000' });
    expect(d.recovery.collected).toBe('2000000');
    expect(counts(d.by_range)).toEqual({ کوتاه: 1, بلند: 2 });
    const buckets = await db
      .selectFrom('day_summaries')
      .select(['business_date', 'dimension'])
      .distinct()
      .orderBy('business_date')
      .orderBy('dimension')
      .execute();
    expect(buckets).toEqual([
      { business_date: RUN_DATE, dimension: 'total' },
      { business_date: '2025-04-01', dimension: 'amount' },
      { business_date: '2025-04-01', dimension: 'class' },
      { business_date: '2025-04-01', dimension: 'range' },
      { business_date: '2025-04-01', dimension: 'total' },
    ]);

    // the next day's snapshot brings another payment of the same month: the month is summed again
    const next = await pool.query<{ id: string }>(
      `INSERT INTO snapshot_imports (as_of, status) VALUES ('2025-04-02', 'succeeded') RETURNING id`,
    );
    await pool.query(
      `INSERT INTO payments (facility_id, paid_on, amount, reference, import_id)
       SELECT id, '2025-04-02', 500000, 'R3', $1 FROM facilities WHERE facility_no = 'B1'`,
      [next.rows[0]!.id],
    );
    await run('2025-04-02');
    const later = await dashboardOf(await logInAsAdmin(app));
    expect(later.series.at(-1)).toMatchObject({ month: '1404/01', collected: '2500000' });
    expect(later.series.at(-2)).toMatchObject({ month: '1403/12', collected: '0' });
  });

  it('a signed-in user of any group has the home page; an anonymous caller does not', async () => {
    await factory.user(db, { username: 'pageless_home', group: 'collection_officer' });
    const s = await logIn(app, 'pageless_home', 'password-1234');
    expect((await s.get('/api/v1/dashboard')).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/v1/dashboard' })).statusCode).toBe(401);
  });
});
