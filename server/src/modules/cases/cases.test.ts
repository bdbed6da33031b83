import ExcelJS from 'exceljs';
import { CompiledQuery } from 'kysely';
import { describe, expect, it } from 'vitest';
import { factory, logIn, logInAsAdmin, setupTestApp } from '../../../test/harness.js';
import type { Database } from '../../platform/db/database.js';
import { compileCaseSearch, SEARCH_COUNT_CAP } from './cases.repository.js';

const { app, db } = await setupTestApp();
const admin = await logInAsAdmin(app);

interface CaseBody {
  id: number;
  customer_no: string;
  mobile: string | null;
  national_id: string | null;
  overridden: string[];
  core: Record<string, string | null> | null;
  version: number;
}
type ErrorBody = { error: { code: string; field?: string; message: string } };

/** A valid national code from nine digits (the check digit computed). */
function nationalCode(nine: string): string {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(nine[i]) * (10 - i);
  const r = sum % 11;
  return nine + String(r < 2 ? r : 11 - r);
}

let seq = 0;
const loanType = await db
  .insertInto('loan_types')
  .values({ code: 'LT1', title: 'مرابحه' })
  .returning('id')
  .executeTakeFirstOrThrow();

async function customer(
  database: Database,
  fields: {
    branchId: number;
    customerNo?: string;
    firstName?: string;
    lastName?: string;
    mobile?: string | null;
    nationalId?: string | null;
    importId?: string | null;
  },
) {
  seq += 1;
  const row = await database
    .insertInto('customers')
    .values({
      customer_no: fields.customerNo ?? `C${seq}`,
      first_name: fields.firstName ?? 'علی',
      last_name: fields.lastName ?? `احمدی ${seq}`,
      father_name: null,
      national_id:
        fields.nationalId === undefined ? nationalCode(String(100000000 + seq)) : fields.nationalId,
      birth_cert_no: null,
      gender: 'M',
      mobile: fields.mobile === undefined ? `0912${String(1000000 + seq)}` : fields.mobile,
      email: null,
      home_phone: null,
      work_phone: null,
      address: 'تهران',
      postal_code: null,
      branch_id: fields.branchId,
      import_id: fields.importId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

async function facility(
  database: Database,
  fields: { customerId: number; branchId: number; facilityNo?: string; status?: 'active' | 'settled' },
) {
  seq += 1;
  const row = await database
    .insertInto('facilities')
    .values({
      facility_no: fields.facilityNo ?? `8329-307-${seq}-1`,
      customer_id: String(fields.customerId),
      branch_id: fields.branchId,
      loan_type_id: loanType.id,
      granted_on: '2024-07-22',
      principal: '1500000000',
      annual_rate: '18',
      installment_count: 12,
      status: fields.status ?? 'active',
      closed_on: null,
      import_id: null,
    })
    .returning(['id', 'facility_no'])
    .executeTakeFirstOrThrow();
  return { id: row.id, facility_no: row.facility_no };
}

const province = await factory.province(db);
const home = await factory.branch(db, { provinceId: province.id });
const other = await factory.branch(db, { provinceId: province.id });

/** The ids of the active cases a search finds, as the administrator sees them. */
const find = async (q: string) =>
  (await admin.get(`/api/v1/cases?q=${encodeURIComponent(q)}`))
    .json<{ items: { id: number }[] }>()
    .items.map((c) => c.id);

describe('active cases (V15)', () => {
  it('searches customer number, names and mobile with Persian digits and Arabic ي/ك', async () => {
    const id = await customer(db, {
      branchId: home.id,
      customerNo: '7700123',
      firstName: 'کیوان',
      lastName: 'یکتایی',
      mobile: '09127700123',
    });
    expect(await find('كيوان')).toContain(id); // Arabic ي and ك
    expect(await find('يكتايي')).toContain(id);
    expect(await find('۷۷۰۰۱۲۳')).toContain(id); // Persian digits
    expect(await find('٠٩١٢٧٧٠٠١٢٣')).toContain(id); // Arabic-Indic digits
    expect(await find('+989127700123')).toContain(id); // mobile in its international form
    expect(await find('کیوان یکتایی')).toContain(id); // full name
    expect(await find('9999999999')).not.toContain(id);
    const company = await customer(db, {
      branchId: home.id,
      customerNo: '7700124',
      lastName: 'Parsian Trading',
    });
    expect(await find('parsian trad')).toContain(company); // Latin letters in any case
    expect(await find('PARSIAN')).toContain(company);
    const list = await admin.get('/api/v1/cases?q=7700123');
    const item = list.json<{ items: Record<string, unknown>[] }>().items[0]!;
    expect(item).toMatchObject({ customer_no: '7700123', full_name: 'کیوان یکتایی', facility_count: 0 });
  });

  it('pages a broad search through its first matches with a capped total, a narrow one exactly', async () => {
    // SEARCH_COUNT_CAP + 5 cases share a surname; three of them also carry a rarer first name
    const n = SEARCH_COUNT_CAP + 5;
    await db.executeQuery(
      CompiledQuery.raw(
        `INSERT INTO customers (customer_no, first_name, last_name, branch_id)
         SELECT 'B' || lpad(i::text, 6, '0'), CASE WHEN i % 400 = 0 THEN 'نیلوفر' ELSE 'مریم' END, 'پرشمار', $1
         FROM generate_series(1, ${n}) AS i`,
        [home.id],
      ),
    );
    type Page = {
      items: { customer_no: string; full_name: string }[];
      total: number;
      total_capped?: boolean;
    };
    const pageOf = async (query: string) =>
      (await admin.get(`/api/v1/cases?q=${encodeURIComponent('پرشمار')}&page_size=5${query}`)).json<Page>();
    const numbers = (page: Page) => page.items.map((c) => c.customer_no);
    const first = await pageOf('');
    expect([first.total, first.total_capped]).toEqual([SEARCH_COUNT_CAP, true]);
    // past the cap a search pages through the matches it read (the list asks to narrow it), in order
    const second = await pageOf('&page=2');
    const ascending = [...numbers(first), ...numbers(second)];
    expect(ascending).toHaveLength(10);
    expect(ascending).toEqual([...ascending].sort());
    expect(new Set(ascending).size).toBe(10);
    const descending = numbers(await pageOf('&order=desc'));
    expect(descending).toEqual([...descending].sort().reverse());
    expect(descending[0]! > ascending[9]!).toBe(true);
    for (const c of [...first.items, ...second.items]) expect(c.full_name).toMatch(/ پرشمار$/);
    const narrow = (await admin.get(`/api/v1/cases?q=${encodeURIComponent('نیلوفر پرشمار')}`)).json<Page>();
    expect([narrow.total, narrow.total_capped]).toEqual([2, undefined]); // i = 400, 800
    expect(narrow.items.map((c) => c.customer_no)).toEqual(['B000400', 'B000800']);
    const narrowDown = (
      await admin.get(`/api/v1/cases?q=${encodeURIComponent('نیلوفر پرشمار')}&order=desc&sort=customer_no`)
    ).json<Page>();
    expect(numbers(narrowDown)).toEqual(['B000800', 'B000400']);
    await db.executeQuery(CompiledQuery.raw(`DELETE FROM customers WHERE customer_no LIKE 'B0%'`));
  });

  it('reads the matches of a search from the covering indexes of its keys alone', async () => {
    // a book of a few thousand cases, vacuumed as an import leaves it, so the planner chooses as on a real one
    await db.executeQuery(
      CompiledQuery.raw(
        `INSERT INTO customers (customer_no, first_name, last_name, mobile, branch_id)
         SELECT 'P' || lpad(i::text, 6, '0'), 'نام' || (i % 97), 'خانواده' || (i % 89),
                '0912' || lpad((i * 7919 % 10000000)::text, 7, '0'), $1
         FROM generate_series(1, 5000) AS i`,
        [home.id],
      ),
    );
    await db.executeQuery(CompiledQuery.raw('VACUUM (ANALYZE) customers'));
    const planOf = async (q: string) => {
      const compiled = compileCaseSearch(db, q);
      return db.transaction().execute(async (trx) => {
        // a few thousand rows are still a small table: rule out the scans only a small table takes
        // (PostgreSQL 15 prefers them here); index scans, index-only ones among them, stay allowed
        await trx.executeQuery(CompiledQuery.raw('SET LOCAL enable_seqscan = off'));
        await trx.executeQuery(CompiledQuery.raw('SET LOCAL enable_bitmapscan = off'));
        const res = await trx.executeQuery<{ 'QUERY PLAN': string }>(
          CompiledQuery.raw(`EXPLAIN ${compiled.sql}`, [...compiled.parameters]),
        );
        return res.rows.map((r) => r['QUERY PLAN']).join('\n');
      });
    };
    const arms = (plan: string) => plan.match(/Index Only Scan using customers_\w+_key/g)?.sort() ?? [];
    const only = (...indexes: string[]) => indexes.map((index) => `Index Only Scan using ${index}`).sort();
    // letters are no mobile: the number, the last name and the full name
    expect(arms(await planOf('خانواده1'))).toEqual(
      only('customers_full_name_key', 'customers_last_name_key', 'customers_no_key'),
    );
    // digits are also a mobile's start and its last digits
    expect(arms(await planOf('0912123'))).toEqual(
      only(
        'customers_full_name_key',
        'customers_last_name_key',
        'customers_mobile_key',
        'customers_mobile_tail_key',
        'customers_no_key',
      ),
    );
    await db.executeQuery(CompiledQuery.raw(`DELETE FROM customers WHERE customer_no LIKE 'P0%'`));
  });

  it("finds a case by the start of its keys and by its mobile's last digits, not by a middle part", async () => {
    const id = await customer(db, {
      branchId: home.id,
      customerNo: 'PFX-5501',
      firstName: 'ترانه',
      lastName: 'شکوهی‌فر',
      mobile: '09351234987',
    });
    expect(await find('pfx-55')).toContain(id); // a customer number's start, Latin letters folded
    expect(await find('شکوه')).toContain(id); // a last name's start
    expect(await find('ترانه شکو')).toContain(id); // the full name's start
    expect(await find('۰۹۳۵۱۲')).toContain(id); // the mobile's start
    expect(await find('234987')).toContain(id); // the mobile's last digits
    expect(await find('1234987')).toContain(id);
    expect(await find('5501')).not.toContain(id); // the middle of a customer number
    expect(await find('کوهی')).not.toContain(id); // the middle of a name
    expect(await find('351234')).not.toContain(id); // the middle of a mobile
    expect(await find('pfx_5501')).not.toContain(id); // LIKE's own characters are literal
  });

  it('creates a case with normalised values and refuses bad fields naming the field', async () => {
    const res = await admin.post('/api/v1/cases', {
      customer_no: '۸۸۰۰۱',
      branch_id: home.id,
      first_name: 'زهرا',
      last_name: 'كاظمي',
      national_id: '13542419', // 8 digits: padded to 0013542419
      mobile: '+98 912 123 4567',
      postal_code: '۱۲۳۴۵۶۷۸۹۰',
      email: 'z.kazemi@bank.ir',
      gender: 'F',
    });
    expect(res.statusCode).toBe(201);
    const created = res.json<CaseBody & { last_name: string; postal_code: string }>();
    expect(created).toMatchObject({
      customer_no: '88001',
      last_name: 'کاظمی',
      national_id: '0013542419',
      mobile: '09121234567',
      postal_code: '1234567890',
      overridden: [],
      core: null,
      version: 1,
    });
    const base = { customer_no: '88002', branch_id: home.id, first_name: 'الف', last_name: 'ب' };
    const bad: [object, string][] = [
      [{ ...base, national_id: '0013542418' }, 'national_id'],
      [{ ...base, mobile: '0212345678' }, 'mobile'],
      [{ ...base, postal_code: '12345' }, 'postal_code'],
      [{ ...base, email: 'not-an-email' }, 'email'],
      [{ ...base, last_name: '' }, 'last_name'],
      [{ ...base, customer_no: '88001' }, 'customer_no'],
      [{ ...base, branch_id: 999999 }, 'branch_id'],
    ];
    for (const [body, field] of bad) {
      const r = await admin.post('/api/v1/cases', body);
      expect({ field, status: [400, 409].includes(r.statusCode) }).toEqual({ field, status: true });
      expect(r.json<ErrorBody>().error.field).toBe(field);
    }
    expect(
      await db.selectFrom('customers').select('id').where('customer_no', '=', '88002').executeTakeFirst(),
    ).toBeUndefined();
  });

  it('answers 409 to a stale edit instead of overwriting', async () => {
    const id = await customer(db, { branchId: home.id });
    const first = await admin.patch(`/api/v1/cases/${id}`, { father_name: 'حسن', version: 1 });
    expect(first.statusCode).toBe(200);
    expect(first.json<CaseBody>().version).toBe(2);
    const second = await admin.patch(`/api/v1/cases/${id}`, { father_name: 'حسین', version: 1 });
    expect(second.statusCode).toBe(409);
    expect(second.json<ErrorBody>().error.code).toBe('stale_edit');
    expect((await admin.get(`/api/v1/cases/${id}`)).json<{ father_name: string }>().father_name).toBe('حسن');
  });

  it('keeps a staff edit of a core value as an override, showing both, and drops it when set back', async () => {
    const run = await db
      .insertInto('snapshot_imports')
      .values({ as_of: '2024-07-22', status: 'succeeded' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = await customer(db, { branchId: home.id, mobile: '09350000001', importId: run.id });
    const edited = await admin.patch(`/api/v1/cases/${id}`, { mobile: '09121112233', version: 1 });
    expect(edited.statusCode).toBe(200);
    const body = edited.json<CaseBody>();
    expect(body.mobile).toBe('09121112233');
    expect(body.overridden).toEqual(['mobile']);
    expect(body.core!.mobile).toBe('09350000001');
    const stored = await db
      .selectFrom('customers')
      .select(['mobile', 'overrides'])
      .where('id', '=', String(id))
      .executeTakeFirstOrThrow();
    expect(stored.mobile).toBe('09121112233');
    expect(stored.overrides).toEqual({ mobile: { value: '09121112233', core_value: '09350000001' } });
    const customerNo = await admin.patch(`/api/v1/cases/${id}`, { customer_no: 'X1', version: 2 });
    expect(customerNo.json<ErrorBody>().error.field).toBe('customer_no');
    const back = await admin.patch(`/api/v1/cases/${id}`, { mobile: '09350000001', version: 2 });
    expect(back.json<CaseBody>().overridden).toEqual([]);
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('entity', '=', 'case')
      .where('entity_id', '=', String(id))
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['update', 'update']);
  });

  it('refuses to delete a case with an active facility, naming it, and deletes none of the selection', async () => {
    const busy = await customer(db, { branchId: home.id, customerNo: 'BUSY1' });
    await facility(db, { customerId: busy, branchId: home.id });
    const free = await customer(db, { branchId: home.id });
    const settled = await customer(db, { branchId: home.id });
    await facility(db, { customerId: settled, branchId: home.id, status: 'settled' });
    const res = await admin.post('/api/v1/cases/delete', { ids: [free, busy] });
    expect(res.statusCode).toBe(409);
    const error = res.json<ErrorBody>().error;
    expect(error.code).toBe('in_use');
    expect(error.message).toContain('BUSY1');
    expect(error.message).toContain('تسهیلات فعال');
    expect((await admin.get(`/api/v1/cases/${free}`)).statusCode).toBe(200);
    expect((await admin.post('/api/v1/cases/delete', { ids: [free, settled] })).statusCode).toBe(204);
    expect((await admin.get(`/api/v1/cases/${free}`)).statusCode).toBe(404);
    expect((await admin.get(`/api/v1/cases/${settled}`)).statusCode).toBe(404);
  });

  it('exports the filtered list to Excel and records the export', async () => {
    await customer(db, { branchId: home.id, customerNo: 'EXP-1' });
    const res = await admin.get('/api/v1/cases/export?q=EXP-1');
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe('شماره مشتری');
    expect(sheet.getRow(2).getCell(1).value).toBe('EXP-1');
    const log = await db
      .selectFrom('export_log')
      .selectAll()
      .where('name', '=', 'cases')
      .executeTakeFirstOrThrow();
    expect(log.filter).toEqual({ q: 'EXP-1' });
    expect(log.row_count).toBe(1);
  });
});

describe('facilities and guarantors (V16, V17)', () => {
  it('answers a facility with null figures before the daily run, its installments and guarantors', async () => {
    const id = await customer(db, { branchId: home.id });
    const f = await facility(db, { customerId: id, branchId: home.id, facilityNo: '8329-307-1401659-1' });
    await db
      .insertInto('installments')
      .values([
        {
          facility_id: f.id,
          seq: 1,
          due_on: '2024-08-22',
          amount: '130000000',
          paid_amount: '130000000',
          paid_on: '2024-08-20',
        },
        {
          facility_id: f.id,
          seq: 2,
          due_on: '2024-09-22',
          amount: '130000000',
          paid_amount: '0',
          paid_on: null,
        },
      ])
      .execute();
    await db
      .insertInto('guarantors')
      .values({
        facility_id: f.id,
        seq: 1,
        first_name: 'رضا',
        last_name: 'نوری',
        mobile: '09120000099',
        address: 'قم',
        national_id: null,
        customer_id: null,
      })
      .execute();

    const res = await admin.get('/api/v1/facilities/8329-307-1401659-1');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      facility_no: '8329-307-1401659-1',
      customer_id: id,
      loan_type_code: 'LT1',
      granted_on: '2024-07-22',
      principal: '1500000000',
      currency: 'IRR',
      status: 'active',
      guarantor_count: 1,
      overdue_days: null,
      overdue_installments: null,
      overdue_amount: null,
      unpaid_amount: null,
      penalty: null,
      collectible_amount: null,
      cbi_class: null,
      as_of: null,
    });
    const installments = (await admin.get('/api/v1/facilities/8329-307-1401659-1/installments')).json<{
      items: { seq: number; unpaid_amount: string }[];
    }>();
    expect(installments.items.map((i) => [i.seq, i.unpaid_amount])).toEqual([
      [1, '0'],
      [2, '130000000'],
    ]);
    const guarantors = (await admin.get('/api/v1/facilities/8329-307-1401659-1/guarantors')).json<{
      items: { full_name: string; mobile: string }[];
    }>();
    expect(guarantors.items).toEqual([
      expect.objectContaining({ full_name: 'رضا نوری', mobile: '09120000099' }),
    ]);
    const list = (await admin.get(`/api/v1/cases/${id}/facilities`)).json<{
      items: { facility_no: string }[];
      total: number;
    }>();
    expect(list.total).toBe(1);
    expect(list.items[0]!.facility_no).toBe('8329-307-1401659-1');
    expect((await admin.get('/api/v1/facilities/NO-SUCH')).statusCode).toBe(404);
  });
});

describe('data scope', () => {
  it("a branch user sees its branch's cases only; another branch's case and facility answer 404", async () => {
    const mine = await customer(db, { branchId: home.id, customerNo: 'SCOPE-MINE' });
    const theirs = await customer(db, { branchId: other.id, customerNo: 'SCOPE-THEIRS' });
    const f = await facility(db, { customerId: theirs, branchId: other.id });
    await factory.user(db, { username: 'casesbranch', group: 'hq_admin', branchId: home.id });
    const s = await logIn(app, 'casesbranch', 'password-1234');
    const ids = (await s.get('/api/v1/cases?q=SCOPE'))
      .json<{ items: { id: number }[] }>()
      .items.map((c) => c.id);
    expect(ids).toEqual([mine]);
    expect((await s.get(`/api/v1/cases/${theirs}`)).statusCode).toBe(404);
    expect((await s.patch(`/api/v1/cases/${theirs}`, { father_name: 'x', version: 1 })).statusCode).toBe(404);
    expect((await s.post('/api/v1/cases/delete', { ids: [theirs] })).statusCode).toBe(404);
    expect((await s.get(`/api/v1/cases/${theirs}/facilities`)).statusCode).toBe(404);
    expect((await s.get(`/api/v1/facilities/${f.facility_no}`)).statusCode).toBe(404);
    expect((await s.get(`/api/v1/facilities/${f.facility_no}/guarantors`)).statusCode).toBe(404);
    const created = await s.post('/api/v1/cases', {
      customer_no: 'SCOPE-NEW',
      branch_id: other.id,
      first_name: 'الف',
      last_name: 'ب',
    });
    expect(created.json<ErrorBody>().error.field).toBe('branch_id');
  });
});

describe('incomplete data (V29)', () => {
  it('lists cases that cannot be notified with their reasons, filtered by reason and branch', async () => {
    const noMobile = await customer(db, { branchId: other.id, customerNo: 'INC-1', mobile: null });
    const badCode = await customer(db, { branchId: other.id, customerNo: 'INC-2', nationalId: '1234567890' });
    const guarantorless = await customer(db, { branchId: other.id, customerNo: 'INC-3' });
    const f = await facility(db, { customerId: guarantorless, branchId: other.id });
    await db
      .insertInto('guarantors')
      .values({
        facility_id: f.id,
        seq: 1,
        first_name: 'مریم',
        last_name: 'صبوری',
        mobile: null,
        address: null,
        national_id: null,
        customer_id: null,
      })
      .execute();
    const complete = await customer(db, { branchId: other.id, customerNo: 'INC-4' });

    const res = await admin.get(`/api/v1/incomplete-data?branch_id=${other.id}&page_size=100`);
    expect(res.statusCode).toBe(200);
    const items = res.json<{
      items: { id: number; reasons: string[]; guarantors_without_phone: { name: string }[] }[];
    }>().items;
    const byId = new Map(items.map((i) => [i.id, i]));
    expect(byId.get(noMobile)!.reasons).toEqual(['no_mobile']);
    expect(byId.get(badCode)!.reasons).toEqual(['bad_national_code']);
    expect(byId.get(guarantorless)!.reasons).toEqual(['guarantor_no_phone']);
    expect(byId.get(guarantorless)!.guarantors_without_phone).toEqual([
      { facility_no: f.facility_no, name: 'مریم صبوری' },
    ]);
    expect(byId.has(complete)).toBe(false);

    const filtered = await admin.get(
      `/api/v1/incomplete-data?branch_id=${other.id}&reason=bad_national_code`,
    );
    expect(filtered.json<{ items: { id: number }[] }>().items.map((i) => i.id)).toEqual([badCode]);

    // A staff correction clears the reason at once (and the reason the import stored).
    await db
      .updateTable('customers')
      .set({ incomplete_reasons: ['mobile_missing', 'postal_code_invalid'] })
      .where('id', '=', String(noMobile))
      .execute();
    await admin.patch(`/api/v1/cases/${noMobile}`, { mobile: '09123334455', version: 1 });
    const stored = await db
      .selectFrom('customers')
      .select('incomplete_reasons')
      .where('id', '=', String(noMobile))
      .executeTakeFirstOrThrow();
    expect(stored.incomplete_reasons).toEqual(['postal_code_invalid']);
    const after = await admin.get(`/api/v1/incomplete-data?branch_id=${other.id}&reason=no_mobile`);
    expect(after.json<{ items: { id: number }[] }>().items.map((i) => i.id)).not.toContain(noMobile);

    const exported = await admin.get(`/api/v1/incomplete-data/export?branch_id=${other.id}`);
    expect(exported.headers['content-type']).toContain('spreadsheetml');
    const log = await db
      .selectFrom('export_log')
      .selectAll()
      .where('name', '=', 'incomplete_data')
      .executeTakeFirstOrThrow();
    expect(log.filter).toEqual({ branch_id: other.id });
  });
});
