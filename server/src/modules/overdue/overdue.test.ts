import ExcelJS from 'exceljs';
import { CompiledQuery } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { CbiClass } from '@vosul/common/cases-labels';
import { overdueQuerySchema } from '@vosul/common/overdue';
import { plus } from '../../../test/book.js';
import { factory, logIn, logInAsAdmin, setupTestApp } from '../../../test/harness.js';
import { compileOverduePage } from './overdue.repository.js';

const { app, db } = await setupTestApp();
const admin = await logInAsAdmin(app);

interface Item {
  facility_no: string;
  customer_no: string;
  borrower_name: string;
  branch_code: string;
  loan_type_code: string;
  overdue_days: number;
  overdue_amount: string;
  cbi_class: CbiClass | null;
  as_of: string | null;
}
interface Page {
  items: Item[];
  total: number;
}

const province = await factory.province(db);
const home = await factory.branch(db, { provinceId: province.id, code: 'OV-HOME' });
const sub = await factory.branch(db, { provinceId: province.id, parentId: home.id, code: 'OV-SUB' });
const other = await factory.branch(db, { provinceId: province.id, code: 'OV-OTHER' });
const [mortgage, qard] = await db
  .insertInto('loan_types')
  .values([
    { code: 'OV-M', title: 'مرابحه' },
    { code: 'OV-Q', title: 'قرض الحسنه' },
  ])
  .returning('id')
  .execute();

let seq = 0;
/** A borrower with one facility and its figures (as a run writes them), or none when `figures` is null. */
async function facility(fields: {
  branchId: number;
  loanTypeId?: string | number;
  lastName?: string;
  status?: 'active' | 'written_off' | 'settled';
  days?: number;
  amount?: number;
  cbi?: CbiClass | null;
  figures?: false;
}) {
  seq += 1;
  const customer = await db
    .insertInto('customers')
    .values({
      customer_no: `OVC${seq}`,
      first_name: 'رضا',
      last_name: fields.lastName ?? `کاظمی ${seq}`,
      father_name: null,
      national_id: null,
      birth_cert_no: null,
      gender: 'M',
      mobile: `0912${String(3000000 + seq)}`,
      email: null,
      home_phone: null,
      work_phone: null,
      address: null,
      postal_code: null,
      branch_id: fields.branchId,
      import_id: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const f = await db
    .insertInto('facilities')
    .values({
      facility_no: `7100-${seq}`,
      customer_id: customer.id,
      branch_id: fields.branchId,
      loan_type_id: Number(fields.loanTypeId ?? mortgage!.id),
      granted_on: '2024-03-20',
      principal: '900000000',
      annual_rate: '23',
      installment_count: 36,
      status: fields.status ?? 'active',
      closed_on: null,
      import_id: null,
    })
    .returning(['id', 'facility_no'])
    .executeTakeFirstOrThrow();
  if (fields.figures !== false) {
    const amount = fields.amount ?? 1_000_000;
    await db
      .insertInto('facility_figures_stored')
      .values({
        facility_id: f.id,
        as_of: '2025-03-01',
        overdue_installments: Math.ceil((fields.days ?? 0) / 30),
        overdue_days: fields.days ?? 0,
        // as the run writes it: the days are counted from the oldest overdue due date
        oldest_due_on: fields.days ? plus('2025-03-01', -fields.days) : null,
        overdue_amount: String(amount),
        unpaid_amount: String(amount * 10),
        penalty: String(Math.round(amount / 50)),
        collectible_amount: String(amount + Math.round(amount / 50)),
        cbi_class: fields.cbi === undefined ? 'past_due' : fields.cbi,
        ledger_class: null,
      })
      .execute();
  }
  return f.facility_no;
}

// The book of this file: five facilities in arrears and four that are not.
const a = await facility({
  branchId: home.id,
  days: 400,
  amount: 50_000_000,
  cbi: 'deferred',
  lastName: 'یکتا',
});
const b = await facility({
  branchId: home.id,
  days: 75,
  amount: 8_000_000,
  cbi: 'past_due',
  loanTypeId: qard!.id,
});
const c = await facility({ branchId: sub.id, days: 30, amount: 2_000_000, cbi: 'current' });
const d = await facility({ branchId: other.id, days: 900, amount: 120_000_000, cbi: 'doubtful' });
const e = await facility({
  branchId: home.id,
  days: 700,
  amount: 70_000_000,
  cbi: null,
  status: 'written_off',
});
await facility({ branchId: home.id, days: 0, amount: 0, cbi: 'current' }); // paid up
await facility({ branchId: home.id, days: 90, amount: 5_000_000, status: 'settled' }); // no longer followed
await facility({ branchId: home.id, figures: false }); // never went through a run

const list = async (query = '') => (await admin.get(`/api/v1/overdue-facilities?${query}`)).json<Page>();
const numbers = async (query = '') => (await list(query)).items.map((i) => i.facility_no);

describe('overdue cases (V33)', () => {
  it('lists every facility in arrears, most overdue days first, with its figures', async () => {
    const page = await list();
    expect(page.items.map((i) => i.facility_no)).toEqual([d, e, a, b, c]);
    expect(page.total).toBe(5);
    expect(page.items[2]).toMatchObject({
      facility_no: a,
      borrower_name: 'رضا یکتا',
      branch_code: 'OV-HOME',
      loan_type_code: 'OV-M',
      overdue_days: 400,
      overdue_amount: '50000000',
      cbi_class: 'deferred',
      as_of: '2025-03-01',
    });
    expect(page.items[1]!.cbi_class).toBeNull(); // written off: no class
  });

  it('narrows by branch (with its sub-branches on request), loan type, class, days and amount', async () => {
    expect(await numbers(`branch_id=${home.id}`)).toEqual([e, a, b]);
    expect(await numbers(`branch_id=${home.id}&sub_branches=true`)).toEqual([e, a, b, c]);
    expect(await numbers(`loan_type_id=${qard!.id}`)).toEqual([b]);
    expect(await numbers('cbi_class=deferred')).toEqual([a]);
    expect(await numbers('cbi_class=deferred&cbi_class=doubtful')).toEqual([d, a]);
    expect(await numbers('days_from=75&days_to=700')).toEqual([e, a, b]);
    expect(await numbers(`days_from=${encodeURIComponent('۴۰۰')}`)).toEqual([d, e, a]); // Persian digits
    expect(await numbers('amount_from=8000000&amount_to=70000000')).toEqual([e, a, b]);
    const page = await list('amount_to=2000000');
    expect(page).toMatchObject({ total: 1, items: [{ facility_no: c }] });
  });

  it('searches the start of the facility number, customer number or last name (any digits, ي/ك)', async () => {
    expect(
      await numbers(`q=${encodeURIComponent(a.replace(/\d/g, (x) => '۰۱۲۳۴۵۶۷۸۹'[Number(x)]!))}`),
    ).toEqual([a]);
    expect(await numbers(`q=${encodeURIComponent('يكت')}`)).toEqual([a]); // Arabic ي and ك
    expect(await numbers('q=ovc2')).toContain(b);
  });

  it('sorts by any column, ties by facility', async () => {
    expect(await numbers('sort=overdue_amount&order=asc')).toEqual([c, b, a, e, d]);
    expect(await numbers('sort=facility_no&order=asc')).toEqual([a, b, c, d, e]);
    // by class severity, the written-off (no class) last
    expect(await numbers('sort=cbi_class&order=asc')).toEqual([c, b, a, d, e]);
    expect(await numbers('sort=overdue_days&order=asc&page=2&page_size=2')).toEqual([a, e]);
    const bad = await admin.get('/api/v1/overdue-facilities?sort=principal');
    expect(bad.statusCode).toBe(400);
  });

  it('refuses a range whose end is below its start, naming the field in Persian', async () => {
    const res = await admin.get('/api/v1/overdue-facilities?days_from=100&days_to=10');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('روزهای معوق');
  });

  it('reads the default page from the index of arrears instead of sorting them all', async () => {
    const compiled = compileOverduePage(db, overdueQuerySchema.parse({}));
    await db.executeQuery(CompiledQuery.raw('ANALYZE facility_figures_stored'));
    await db.executeQuery(CompiledQuery.raw('SET enable_seqscan = off'));
    const plan = (
      await db.executeQuery<{ 'QUERY PLAN': string }>(
        CompiledQuery.raw(`EXPLAIN ${compiled.sql}`, [...compiled.parameters]),
      )
    ).rows
      .map((r) => r['QUERY PLAN'])
      .join('\n');
    await db.executeQuery(CompiledQuery.raw('RESET enable_seqscan'));
    expect(plan).toContain('facility_figures_overdue');
  });

  it('exports the filtered list to Excel in its order and records the export', async () => {
    const res = await admin.get(`/api/v1/overdue-facilities/export?branch_id=${home.id}&sub_branches=true`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe('شماره تسهیلات');
    const column = (n: number) => [2, 3, 4, 5].map((r) => sheet.getRow(r).getCell(n).value);
    expect(column(1)).toEqual([e, a, b, c]);
    expect(column(14)).toEqual(['سوخت‌شده', 'معوق', 'سررسید گذشته', 'جاری']);
    expect(sheet.getRow(6).getCell(1).value).toBeNull();
    const log = await db
      .selectFrom('export_log')
      .selectAll()
      .where('name', '=', 'overdue_cases')
      .executeTakeFirstOrThrow();
    expect(log.filter).toMatchObject({ branch_id: home.id, sub_branches: true });
    expect(log.row_count).toBe(4);
  });
});

describe('data scope and access', () => {
  it("a branch user sees its branch's (and sub-branches') arrears only; another branch's user sees none of them", async () => {
    await factory.user(db, { username: 'ovhome', group: 'branch_manager', branchId: home.id });
    await factory.user(db, { username: 'ovother', group: 'collection_officer', branchId: other.id });
    const mine = await logIn(app, 'ovhome', 'password-1234');
    const mineList = (await mine.get('/api/v1/overdue-facilities')).json<Page>();
    expect(mineList.items.map((i) => i.facility_no).sort()).toEqual([a, b, c, e].sort());
    const theirs = await logIn(app, 'ovother', 'password-1234');
    const page = (await theirs.get('/api/v1/overdue-facilities?page_size=100')).json<Page>();
    expect(page).toEqual({ items: [expect.objectContaining({ facility_no: d })], total: 1 });
    // asking for the other branch by id or by search finds nothing either
    expect((await theirs.get(`/api/v1/overdue-facilities?branch_id=${home.id}`)).json<Page>()).toEqual({
      items: [],
      total: 0,
    });
    expect((await theirs.get(`/api/v1/overdue-facilities?q=${a}`)).json<Page>().total).toBe(0);
    const exported = await theirs.get(`/api/v1/overdue-facilities/export?branch_id=${home.id}`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(exported.rawPayload as unknown as ArrayBuffer);
    expect(workbook.worksheets[0]!.rowCount).toBe(1); // the header alone
  });

  it('answers 403 to a user whose groups do not grant the page', async () => {
    const user = await factory.user(db, {
      username: 'ovnopage',
      group: 'collection_officer',
      branchId: home.id,
    });
    const group = await db
      .insertInto('access_groups')
      .values({ title: 'بدون صفحه معوق' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.deleteFrom('user_groups').where('user_id', '=', user.id).execute();
    await db.insertInto('user_groups').values({ user_id: user.id, group_id: group.id }).execute();
    const s = await logIn(app, 'ovnopage', 'password-1234');
    expect((await s.get('/api/v1/overdue-facilities')).statusCode).toBe(403);
    expect((await s.get('/api/v1/overdue-facilities/export')).statusCode).toBe(403);
  });
});
