import ExcelJS from 'exceljs';
import { CompiledQuery, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { factory, logIn, logInAsAdmin, setupTestApp } from '../../../test/harness.js';
import { todayIn } from '../../platform/date-range.js';
import { compileMaturingPage } from './maturing.repository.js';

const { app, db, config } = await setupTestApp();
const admin = await logInAsAdmin(app);

type ErrorBody = { error: { code: string; field?: string; message: string } };
interface Item {
  facility_no: string;
  customer_no: string;
  customer_name: string;
  branch_code: string;
  loan_type_title: string;
  principal: string;
  collectible_amount: string | null;
  unpaid_amount: string;
  due_amount: string;
  due_installments: number;
  next_due_on: string;
  status: string;
  granted_on: string;
  currency: string;
  last_due_on: string;
}
type Page = { items: Item[]; total: number };

const today = todayIn(config.timezone);
/** `today` moved by `days` (UTC arithmetic on a calendar date). */
const day = (days: number) => {
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};
const until = day(30);

const loanType = await db
  .insertInto('loan_types')
  .values({ code: 'MT1', title: 'مرابحه' })
  .returning('id')
  .executeTakeFirstOrThrow();

const province = await factory.province(db);
const home = await factory.branch(db, { provinceId: province.id, code: 'H100' });
const sub = await factory.branch(db, { provinceId: province.id, code: 'S110', parentId: home.id });
const subSub = await factory.branch(db, { provinceId: province.id, code: 'S111', parentId: sub.id });
const other = await factory.branch(db, { provinceId: province.id, code: 'O200' });

let seq = 0;
/** A facility of a new borrower with installments `[due_on, amount, paid_amount]` (seq in order). */
async function facility(
  branchId: number,
  installments: [string, number, number][],
  status: 'active' | 'settled' = 'active',
) {
  seq += 1;
  const customer = await db
    .insertInto('customers')
    .values({
      customer_no: `MC${seq}`,
      first_name: 'مریم',
      last_name: `رضایی ${seq}`,
      father_name: null,
      national_id: null,
      birth_cert_no: null,
      gender: 'F',
      mobile: null,
      email: null,
      home_phone: null,
      work_phone: null,
      address: null,
      postal_code: null,
      branch_id: branchId,
      import_id: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const f = await db
    .insertInto('facilities')
    .values({
      facility_no: `MF-${seq}`,
      customer_id: customer.id,
      branch_id: branchId,
      loan_type_id: loanType.id,
      granted_on: '2024-07-22',
      principal: '900000000',
      annual_rate: '18',
      installment_count: installments.length,
      status,
      closed_on: null,
      import_id: null,
    })
    .returning(['id', 'facility_no'])
    .executeTakeFirstOrThrow();
  await db
    .insertInto('installments')
    .values(
      installments.map(([due_on, amount, paid], i) => ({
        facility_id: f.id,
        seq: i + 1,
        due_on,
        amount: String(amount),
        paid_amount: String(paid),
      })),
    )
    .execute();
  return f;
}

// The window runs from today to `until`, both included.
const edges = await facility(home.id, [
  [day(-1), 100, 0], // overdue already: not maturing
  [today, 200, 0],
  [until, 300, 50],
  [day(31), 400, 0], // after the date
]);
const allPaid = await facility(home.id, [[day(5), 500, 500]]);
const onlyLater = await facility(home.id, [[day(31), 500, 0]]);
const onlyOverdue = await facility(home.id, [[day(-10), 500, 0]]);
const settled = await facility(home.id, [[day(5), 500, 0]], 'settled');
const inSub = await facility(sub.id, [[day(10), 700, 0]]);
const inSubSub = await facility(subSub.id, [[day(20), 800, 0]]);
const inOther = await facility(other.id, [[day(3), 900, 0]]);

const list = async (query: string, session = admin) => {
  const res = await session.get(`/api/v1/maturing-facilities?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Page>();
};
const numbers = (page: Page) => page.items.map((i) => i.facility_no).sort();

describe('maturing facilities (T6)', () => {
  it('lists the unpaid installments due from today to the date, both included', async () => {
    const page = await list(`until=${until}&branch_id=${home.id}`);
    expect(numbers(page)).toEqual([edges.facility_no]);
    expect(page.items[0]!.customer_name).toMatch(/^مریم رضایی \d+$/);
    expect(page.items[0]).toMatchObject({
      facility_no: edges.facility_no,
      branch_code: 'H100',
      loan_type_title: 'مرابحه',
      principal: '900000000',
      collectible_amount: null, // no daily run yet
      unpaid_amount: '950', // 100 + 200 + 250 + 400: every installment's unpaid part
      due_amount: '450', // 200 due today + the 250 left of the one due on the date
      due_installments: 2,
      next_due_on: today,
      status: 'active',
      granted_on: '2024-07-22',
      currency: 'IRR',
      last_due_on: day(31),
    });
    // nothing before today: the window's first day is today even when the date is today
    const todayOnly = await list(`until=${today}&branch_id=${home.id}`);
    expect(todayOnly.items[0]).toMatchObject({ facility_no: edges.facility_no, due_amount: '200' });
    // one day further takes in the installment after the date and the facility due only then
    const later = await list(`until=${day(31)}&branch_id=${home.id}`);
    expect(numbers(later)).toEqual([edges.facility_no, onlyLater.facility_no].sort());
    expect(numbers(later)).not.toContain(allPaid.facility_no);
    expect(numbers(later)).not.toContain(onlyOverdue.facility_no);
    expect(numbers(later)).not.toContain(settled.facility_no);
  });

  it('shows the collectible amount of the latest daily run', async () => {
    await db
      .insertInto('facility_figures_stored')
      .values({
        facility_id: edges.id,
        as_of: today,
        overdue_installments: 1,
        overdue_days: 1,
        overdue_amount: '100',
        unpaid_amount: '950',
        penalty: '3',
        collectible_amount: '103',
        cbi_class: 'current',
        ledger_class: 'current',
      })
      .execute();
    const page = await list(`until=${until}&branch_id=${home.id}`);
    expect(page.items[0]!.collectible_amount).toBe('103');
  });

  it('takes in the sub-branches at every depth only when asked', async () => {
    expect(numbers(await list(`until=${until}&branch_id=${sub.id}`))).toEqual([inSub.facility_no]);
    const withSubs = await list(`until=${until}&branch_id=${home.id}&include_sub_branches=true`);
    expect(numbers(withSubs)).toEqual([edges.facility_no, inSub.facility_no, inSubSub.facility_no].sort());
    expect(withSubs.total).toBe(3);
    const paged = await list(
      `until=${until}&branch_id=${home.id}&include_sub_branches=true&page=2&page_size=2&sort=due_amount&order=desc`,
    );
    expect(paged.total).toBe(3);
    expect(paged.items.map((i) => i.facility_no)).toEqual([edges.facility_no]); // 800, 700, then 450
  });

  it('refuses a past date and, for HQ, a missing branch, naming the field in Persian', async () => {
    const past = await admin.get(`/api/v1/maturing-facilities?until=${day(-1)}&branch_id=${home.id}`);
    expect(past.statusCode).toBe(400);
    expect(past.json<ErrorBody>().error).toMatchObject({ field: 'until' });
    expect(past.json<ErrorBody>().error.message).toContain('پیش از امروز');
    const noBranch = await admin.get(`/api/v1/maturing-facilities?until=${until}`);
    expect(noBranch.statusCode).toBe(400);
    expect(noBranch.json<ErrorBody>().error).toMatchObject({
      field: 'branch_id',
      message: 'شعبه را انتخاب کنید',
    });
    const noDate = await admin.get(`/api/v1/maturing-facilities?branch_id=${home.id}`);
    expect(noDate.statusCode).toBe(400);
    expect(noDate.json<ErrorBody>().error.message).toContain('تاریخ سررسید');
  });

  it('keeps a branch user to its own branches: another branch answers 404, none means its own', async () => {
    await factory.user(db, { username: 'maturingother', group: 'branch_manager', branchId: other.id });
    const s = await logIn(app, 'maturingother', 'password-1234');
    const theirs = await s.get(`/api/v1/maturing-facilities?until=${until}&branch_id=${home.id}`);
    expect(theirs.statusCode).toBe(404);
    const sneaky = await s.get(`/api/v1/maturing-facilities/export?until=${until}&branch_id=${sub.id}`);
    expect(sneaky.statusCode).toBe(404);
    expect(numbers(await list(`until=${until}`, s))).toEqual([inOther.facility_no]);
    const options = (await s.get('/api/v1/maturing-facilities/branches')).json<{
      items: { code: string }[];
    }>();
    expect(options.items.map((b) => b.code)).toEqual(['O200']);

    await factory.user(db, { username: 'maturinghome', group: 'branch_manager', branchId: home.id });
    const h = await logIn(app, 'maturinghome', 'password-1234');
    const mine = await list(`until=${until}&include_sub_branches=1`, h);
    expect(numbers(mine)).toEqual([edges.facility_no, inSub.facility_no, inSubSub.facility_no].sort());
  });

  it('answers 403 to a user whose groups do not grant the page', async () => {
    await factory.user(db, { username: 'maturingofficer', group: 'collection_officer', branchId: home.id });
    const s = await logIn(app, 'maturingofficer', 'password-1234');
    expect((await s.get(`/api/v1/maturing-facilities?until=${until}`)).statusCode).toBe(403);
  });

  it('exports the whole list to Excel with Jalali dates and records the export', async () => {
    const res = await admin.get(
      `/api/v1/maturing-facilities/export?until=${until}&branch_id=${home.id}&include_sub_branches=true`,
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe('شماره تسهیلات');
    expect(sheet.rowCount).toBe(4); // the header and three facilities, first due first
    expect(sheet.getRow(2).getCell(1).value).toBe(edges.facility_no);
    expect(sheet.getRow(2).getCell(14).value).toBe('1403/05/01'); // granted on 2024-07-22
    const log = await db
      .selectFrom('export_log')
      .selectAll()
      .where('name', '=', 'maturing-facilities')
      .executeTakeFirstOrThrow();
    expect(log.filter).toEqual({ until, branch_id: home.id, include_sub_branches: true });
    expect(log.row_count).toBe(3);
  });

  it("reads a branch's facilities through facilities_branch_id and their installments through their key", async () => {
    // a book where the branch is a small part: 3,000 facilities elsewhere with 12 installments each
    const big = await factory.branch(db, { provinceId: province.id, code: 'BIG1' });
    const owner = await db
      .selectFrom('customers')
      .select('id')
      .where('branch_id', '=', other.id)
      .executeTakeFirstOrThrow();
    await sql`insert into facilities (facility_no, customer_id, branch_id, loan_type_id, granted_on, principal)
      select 'BIG-' || n, ${owner.id}, ${big.id}, ${loanType.id}, '2024-07-22', 1000 from generate_series(1, 3000) n`.execute(
      db,
    );
    await sql`insert into installments (facility_id, seq, due_on, amount)
      select f.id, s, ${today}::date + s * 30, 100 from facilities f, generate_series(1, 12) s
      where f.branch_id = ${big.id}`.execute(db);
    await sql`analyze facilities`.execute(db);
    await sql`analyze installments`.execute(db);
    const compiled = compileMaturingPage(db, {
      from: today,
      until,
      branchIds: [home.id, sub.id, subSub.id],
    });
    const plan = (
      await db.executeQuery<{ 'QUERY PLAN': string }>(
        CompiledQuery.raw(`EXPLAIN ${compiled.sql}`, [...compiled.parameters]),
      )
    ).rows
      .map((r) => r['QUERY PLAN'])
      .join('\n');
    expect(plan).toMatch(/Index Scan (on|using) facilities_branch_id/);
    expect(plan).toContain('installments_pkey');
    expect(plan).not.toMatch(/Seq Scan on (facilities|installments)/);
  });
});
