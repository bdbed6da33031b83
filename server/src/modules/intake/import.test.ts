import {
  normalizeField,
  parseSnapshotAmount,
  parseSnapshotDate,
  parseSnapshotMobile,
  parseSnapshotNationalId,
} from './snapshot-values.js';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { fromJalali, normalizeMobile, normalizeNationalCode } from '@vosul/common';
import { createTestDatabase } from '../../../test/harness.js';
import { importSnapshot, ImportRefusedError, type ImportOptions } from './import.service.js';

const VOSUL = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/vosul.js');
const { url } = await createTestDatabase();
const pool = new pg.Pool({ connectionString: url, max: 4 });
afterAll(() => pool.end());

const tmpDirs: string[] = [];
afterAll(() => tmpDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

type Files = Record<string, string | Buffer>;

function snapshot(files: Files): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vosul-snap-'));
  tmpDirs.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}

const run = (files: Files, options: Partial<ImportOptions> = {}) =>
  importSnapshot(pool, { folder: snapshot(files), asOf: '2024-10-01', ...options });

async function q<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await pool.query(sql, params)).rows as T[];
}

async function resetBook(): Promise<void> {
  await pool.query(`TRUNCATE payments, installments, guarantors, account_balances, facilities, customers,
                    import_rejects, snapshot_imports RESTART IDENTITY CASCADE`);
  await pool.query(`DELETE FROM audit_log WHERE actor_username = 'import'`);
}

const BASE: Files = {
  'branches.csv':
    'branch_code,name,province_code,province_name,parent_branch_code\nB1,شعبه مرکزي,P1,تهران,\nB2,شعبه دو,P1,تهران,B1\n',
  'loan_types.csv': 'loan_type_code,title\nL1,قرض الحسنه\nL2,مضاربه\n',
  'customers.csv':
    'customer_no,first_name,last_name,national_id,mobile,branch_code\n' +
    'C1,علي,احمدی,0013542419,+989121234567,B1\n' +
    'C2,زهرا,كريمی,13542419,9121234568,B2\n',
  'facilities.csv':
    'facility_no,customer_no,branch_code,loan_type_code,granted_on,principal,annual_rate\n' +
    'F1,C1,B1,L1,1403/05/01,"100,000,000",18\n' +
    'F2,C2,B2,L2,20240722,۵۰۰۰۰۰۰۰.۰۰,4\n',
  'installments.csv':
    'facility_no,seq,due_on,amount,paid_amount,paid_on\n' +
    'F1,1,1403/06/01,1000000,1000000,1403/06/01\n' +
    'F1,2,1403/07/01,1000000,,\n' +
    'F2,1,14030801,500000,0,\n',
  'guarantors.csv':
    'facility_no,customer_no,first_name,last_name,national_id,mobile\nF1,C2,,,,\nF2,,حسن,حسنی,0013542419,09351112233\n',
  'payments.csv':
    'facility_no,paid_on,amount,reference\nF1,1403/06/01,1000000,R1\nF2,2024-09-01,500,\nF2,2024-09-01,500,\n',
};

describe('value readers (SQL helpers and the CSV stream agree)', () => {
  it('converts Jalali dates exactly like common/jalali.ts, month and year ends and leap years included', async () => {
    const cases: [number, number, number][] = [];
    for (let y = 1200; y < 1700; y++) {
      for (let m = 1; m <= 12; m++) for (const d of [1, 29, 30, 31]) cases.push([y, m, d]);
    }
    const rows = await q<{ d: string | null }>(
      `SELECT vosul_jalali_to_date(y, m, d)::text AS d
       FROM unnest($1::int[], $2::int[], $3::int[]) WITH ORDINALITY AS t(y, m, d, i) ORDER BY i`,
      [cases.map((c) => c[0]), cases.map((c) => c[1]), cases.map((c) => c[2])],
    );
    const mismatches = cases.filter(([y, m, d], i) => fromJalali(`${y}/${m}/${d}`) !== rows[i]!.d);
    expect(mismatches.slice(0, 5)).toEqual([]);
    // the reader of the CSV stream gives the same days
    const streamed = cases.filter(([y, m, d], i) => parseSnapshotDate(`${y}/${m}/${d}`) !== rows[i]!.d);
    expect(streamed.slice(0, 5)).toEqual([]);
    // a leap Esfand 30 (1403) and a common one (1402)
    expect(rows[cases.findIndex((c) => c.join() === '1403,12,30')]!.d).toBe('2025-03-20');
    expect(rows[cases.findIndex((c) => c.join() === '1402,12,30')]!.d).toBeNull();
  });

  it('reads every accepted date form and refuses days that do not exist', async () => {
    const forms: [string, string | null][] = [
      ['1403/05/01', '2024-07-22'],
      ['1403/5/1', '2024-07-22'],
      ['14030501', '2024-07-22'],
      ['1403-05-01', '2024-07-22'],
      ['20240722', '2024-07-22'],
      ['2024-07-22', '2024-07-22'],
      ['۱۴۰۳/۰۵/۰۱', '2024-07-22'],
      ['2024-02-29', '2024-02-29'],
      ['2000-02-29', '2000-02-29'],
      ['2023-02-29', null],
      ['1900-02-29', null],
      ['2024-02-30', null],
      ['1403/13/40', null],
      ['1403/07/31', null],
      ['1403/12/30', '2025-03-20'],
      ['1402/12/30', null],
      ['2024/07/22', null],
      ['22/07/2024', null],
      ['yesterday', null],
    ];
    const rows = await q<{ d: string | null }>(
      'SELECT vosul_parse_date(vosul_norm(v))::text AS d FROM unnest($1::text[]) WITH ORDINALITY t(v, i) ORDER BY i',
      [forms.map((f) => f[0])],
    );
    expect(rows.map((r) => r.d)).toEqual(forms.map((f) => f[1]));
    expect(forms.map((f) => parseSnapshotDate(normalizeField(f[0])))).toEqual(forms.map((f) => f[1]));
  });

  it('reads amounts: separators and zero fractions accepted, other fractions and negatives bad', async () => {
    const forms: [string, string | null][] = [
      ['100000000', '100000000'],
      ['100,000,000', '100000000'],
      ['100٬000٬000', '100000000'],
      ['۱۰۰۰', '1000'],
      ['100000000.0000', '100000000'],
      ['12.', '12'],
      ['12.50', null],
      ['-5', null],
      ['1e5', null],
      ['abc', null],
    ];
    const rows = await q<{ a: string | null }>(
      'SELECT vosul_parse_amount(vosul_norm(v))::text AS a FROM unnest($1::text[]) WITH ORDINALITY t(v, i) ORDER BY i',
      [forms.map((f) => f[0])],
    );
    expect(rows.map((r) => r.a)).toEqual(forms.map((f) => f[1]));
    expect(forms.map((f) => parseSnapshotAmount(normalizeField(f[0])))).toEqual(forms.map((f) => f[1]));
  });

  it('normalises mobiles and national codes like common/validators.ts', async () => {
    const mobiles = [
      '09121234567',
      '9121234567',
      '+989121234567',
      '989121234567',
      '00989121234567',
      '0912 123 4567',
      '0912123456',
      '08121234567',
      '۰۹۱۲۱۲۳۴۵۶۷',
    ];
    const codes = [
      '0013542419',
      '13542419',
      '013542419',
      '0013542418',
      '1111111111',
      '0000000000',
      '12345',
      '00135424190',
      '۰۰۱۳۵۴۲۴۱۹',
    ];
    const rows = await q<{ m: string | null; n: string | null }>(
      `SELECT vosul_mobile(vosul_norm(m)) AS m, vosul_national_code(vosul_norm(n)) AS n
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY t(m, n, i) ORDER BY i`,
      [mobiles, codes],
    );
    expect(rows.map((r) => r.m)).toEqual(mobiles.map(normalizeMobile));
    expect(rows.map((r) => r.n)).toEqual(codes.map(normalizeNationalCode));
    expect(mobiles.map((m) => parseSnapshotMobile(normalizeField(m)))).toEqual(mobiles.map(normalizeMobile));
    expect(codes.map((n) => parseSnapshotNationalId(normalizeField(n)))).toEqual(
      codes.map(normalizeNationalCode),
    );
  });

  it('checks 11-digit company national IDs', async () => {
    const rows = await q<{ id: string | null }>(
      'SELECT vosul_company_id(v) AS id FROM unnest($1::text[]) WITH ORDINALITY t(v, i) ORDER BY i',
      [['10101863722', '10101863723', '11111111111', '1010186372']],
    );
    expect(rows.map((r) => r.id)).toEqual(['10101863722', null, null, null]);
    expect(['10101863722', '10101863723', '11111111111'].map(parseSnapshotNationalId)).toEqual([
      '10101863722',
      null,
      null,
    ]);
  });
});

describe('vosul import', () => {
  beforeEach(resetBook);

  it('loads a snapshot: normalised values, references resolved, counts per file', async () => {
    const result = await run(BASE);
    expect(result.loaded).toEqual({
      'branches.csv': 2,
      'loan_types.csv': 2,
      'customers.csv': 2,
      'facilities.csv': 2,
      'installments.csv': 3,
      'guarantors.csv': 2,
      'payments.csv': 3,
    });
    expect(result.rejected).toEqual([]);
    expect(result.closed).toBe(0);
    const customers = await q(
      'SELECT customer_no, first_name, last_name, national_id, mobile, incomplete_reasons FROM customers ORDER BY customer_no',
    );
    expect(customers).toEqual([
      {
        customer_no: 'C1',
        first_name: 'علی',
        last_name: 'احمدی',
        national_id: '0013542419',
        mobile: '09121234567',
        incomplete_reasons: [],
      },
      {
        customer_no: 'C2',
        first_name: 'زهرا',
        last_name: 'کریمی',
        national_id: '0013542419',
        mobile: '09121234568',
        incomplete_reasons: [],
      },
    ]);
    const facilities = await q(
      `SELECT f.facility_no, f.granted_on, f.principal, f.annual_rate, f.status, b.code AS branch, c.customer_no
       FROM facilities f JOIN branches b ON b.id = f.branch_id JOIN customers c ON c.id = f.customer_id ORDER BY 1`,
    );
    expect(facilities).toEqual([
      {
        facility_no: 'F1',
        granted_on: '2024-07-22',
        principal: '100000000',
        annual_rate: '18.0000',
        status: 'active',
        branch: 'B1',
        customer_no: 'C1',
      },
      {
        facility_no: 'F2',
        granted_on: '2024-07-22',
        principal: '50000000',
        annual_rate: '4.0000',
        status: 'active',
        branch: 'B2',
        customer_no: 'C2',
      },
    ]);
    expect(
      await q('SELECT seq, due_on, amount, paid_amount, paid_on FROM installments ORDER BY facility_id, seq'),
    ).toEqual([
      { seq: 1, due_on: '2024-08-22', amount: '1000000', paid_amount: '1000000', paid_on: '2024-08-22' },
      { seq: 2, due_on: '2024-09-22', amount: '1000000', paid_amount: '0', paid_on: null },
      { seq: 1, due_on: '2024-10-22', amount: '500000', paid_amount: '0', paid_on: null },
    ]);
    const guarantors = await q(
      'SELECT first_name, last_name, mobile, national_id FROM guarantors ORDER BY facility_id',
    );
    expect(guarantors).toEqual([
      { first_name: 'زهرا', last_name: 'کریمی', mobile: '09121234568', national_id: null },
      { first_name: 'حسن', last_name: 'حسنی', mobile: '09351112233', national_id: '0013542419' },
    ]);
    const [branch] = await q<{ parent: string }>(
      "SELECT p.code AS parent FROM branches b JOIN branches p ON p.id = b.parent_id WHERE b.code = 'B2'",
    );
    expect(branch!.parent).toBe('B1');
    const [run1] = await q('SELECT status, rejects, closed, as_of FROM snapshot_imports');
    expect(run1).toEqual({ status: 'succeeded', rejects: 0, closed: 0, as_of: '2024-10-01' });
  });

  it('rejects bad rows with file, line and reason while the good rows load', async () => {
    const result = await run({
      ...BASE,
      'branches.csv': (BASE['branches.csv'] as string) + 'B1,تکراری,P1,,\nB3,,P1,,\nB4,شعبه,P1,,B99\n',
      'customers.csv':
        (BASE['customers.csv'] as string) +
        'C3,,بی‌نام,,,B1\n' + // line 4: person without first name
        'C4,رضا,محمدی,,,B9\n' + // line 5: unknown branch
        'C1,دوباره,احمدی,,,B1\n' + // line 6: duplicate key
        'C5,نرگس,نوری,,,B4\n' + // line 7: branch rejected in branches.csv
        ',نام,خانوادگی,,,B1\n' + // line 8: missing key
        'C6,یک,دو,سه\n', // line 9: wrong number of fields
      'facilities.csv':
        (BASE['facilities.csv'] as string) +
        'F3,C1,B1,L1,2024-02-30,1000,\n' + // bad date
        'F4,C1,B1,L1,2024-01-01,-1000,\n' + // negative amount
        'F5,C1,B1,L1,2024-01-01,1000.5,\n' + // fraction
        'F6,C3,B1,L1,2024-01-01,1000,\n' + // customer rejected
        'F7,C1,B1,L9,2024-01-01,1000,\n' + // unknown loan type
        'F8,C99,B1,L1,2024-01-01,1000,\n' + // unknown customer
        'F1,C1,B1,L1,2024-01-01,1000,\n', // duplicate
      'installments.csv':
        (BASE['installments.csv'] as string) +
        'F3,1,1403/07/01,1000,,\n' + // facility rejected
        'F1,2,1403/07/01,1000,,\n' + // duplicate seq
        'F1,3,1403/07/31,1000,,\n' + // no such Jalali day
        'F1,4,1403/08/01,,,\n' + // missing amount
        'F9,1,1403/07/01,1000,,\n', // facility not in the snapshot
      'guarantors.csv': (BASE['guarantors.csv'] as string) + 'F1,,علی,,,\nF6,,الف,ب,,\nF1,C77,,,,\n',
      'payments.csv': (BASE['payments.csv'] as string) + 'F1,,1000,\nF1,2024-01-01,1.5,\n',
    });
    expect(result.rejected).toEqual([
      { file: 'branches.csv', line: 4, reason: 'duplicate branch_code B1 (first at line 2)' },
      { file: 'branches.csv', line: 5, reason: 'name is required' },
      { file: 'branches.csv', line: 6, reason: 'unknown parent_branch_code B99' },
      { file: 'customers.csv', line: 4, reason: 'first_name is required for a person' },
      { file: 'customers.csv', line: 5, reason: 'unknown branch_code B9' },
      { file: 'customers.csv', line: 6, reason: 'duplicate customer_no C1 (first at line 2)' },
      { file: 'customers.csv', line: 7, reason: 'branch_code B4 was rejected (branches.csv line 6)' },
      { file: 'customers.csv', line: 8, reason: 'customer_no is required' },
      { file: 'customers.csv', line: 9, reason: 'wrong number of fields: 4 instead of 6' },
      { file: 'facilities.csv', line: 4, reason: 'bad date in granted_on: 2024-02-30' },
      { file: 'facilities.csv', line: 5, reason: 'bad amount in principal: -1000' },
      { file: 'facilities.csv', line: 6, reason: 'bad amount in principal: 1000.5' },
      { file: 'facilities.csv', line: 7, reason: 'customer_no C3 was rejected (customers.csv line 4)' },
      { file: 'facilities.csv', line: 8, reason: 'unknown loan_type_code L9' },
      { file: 'facilities.csv', line: 9, reason: 'unknown customer_no C99' },
      { file: 'facilities.csv', line: 10, reason: 'duplicate facility_no F1 (first at line 2)' },
      {
        file: 'guarantors.csv',
        line: 4,
        reason: 'first_name and last_name are required without customer_no',
      },
      { file: 'guarantors.csv', line: 5, reason: 'facility_no F6 was rejected (facilities.csv line 7)' },
      { file: 'guarantors.csv', line: 6, reason: 'unknown customer_no C77' },
      { file: 'installments.csv', line: 5, reason: 'facility_no F3 was rejected (facilities.csv line 4)' },
      { file: 'installments.csv', line: 6, reason: 'duplicate seq 2 of facility_no F1 (first at line 3)' },
      { file: 'installments.csv', line: 7, reason: 'bad date in due_on: 1403/07/31' },
      { file: 'installments.csv', line: 8, reason: 'amount is required' },
      { file: 'installments.csv', line: 9, reason: 'facility_no F9 is not in facilities.csv' },
      { file: 'payments.csv', line: 5, reason: 'paid_on is required' },
      { file: 'payments.csv', line: 6, reason: 'bad amount in amount: 1.5' },
    ]);
    expect(result.loaded['customers.csv']).toBe(2);
    expect(result.loaded['facilities.csv']).toBe(2);
    expect((await q('SELECT count(*)::int AS n FROM import_rejects'))[0]).toEqual({
      n: result.rejected.length,
    });
  });

  it('leaves doubtful values out and lists the case as incomplete', async () => {
    await run({
      ...BASE,
      'customers.csv':
        'customer_no,kind,first_name,last_name,national_id,mobile,postal_code,branch_code\n' +
        'C1,person,علی,احمدی,0013542418,0812345,12345,B1\n' +
        'C2,person,زهرا,کریمی,,,,B2\n' +
        'C3,company,,شرکت نمونه,10101863722,00989121234567,1234567890,B1\n',
      'facilities.csv': 'facility_no,customer_no,branch_code,loan_type_code,granted_on,principal\n',
      'installments.csv': 'facility_no,seq,due_on,amount\n',
      'guarantors.csv': 'facility_no\n',
    });
    expect(
      await q(
        'SELECT customer_no, kind, national_id, mobile, postal_code, incomplete_reasons FROM customers ORDER BY 1',
      ),
    ).toEqual([
      {
        customer_no: 'C1',
        kind: 'person',
        national_id: null,
        mobile: null,
        postal_code: null,
        incomplete_reasons: ['mobile_invalid', 'national_id_invalid', 'postal_code_invalid'],
      },
      {
        customer_no: 'C2',
        kind: 'person',
        national_id: null,
        mobile: null,
        postal_code: null,
        incomplete_reasons: ['mobile_missing', 'national_id_missing'],
      },
      {
        customer_no: 'C3',
        kind: 'company',
        national_id: '10101863722',
        mobile: '09121234567',
        postal_code: '1234567890',
        incomplete_reasons: [],
      },
    ]);
  });

  it('accepts any column order, ignores unknown columns, reads CRLF, a BOM and quoted fields', async () => {
    await run({
      ...BASE,
      'customers.csv':
        '\uFEFFbranch_code,extra,last_name,customer_no,first_name,address\r\n' +
        'B1,x,احمدی,C1,علی,"تهران، خیابان ""آزادی""\r\nپلاک ۱"\r\n' +
        'B2,y,کریمی,C2,زهرا,\r\n',
    });
    const rows = await q('SELECT customer_no, address FROM customers ORDER BY 1');
    expect(rows).toEqual([
      { customer_no: 'C1', address: 'تهران، خیابان "آزادی"\r\nپلاک 1' },
      { customer_no: 'C2', address: null },
    ]);
  });

  it('reads Windows-1256 with --encoding and names the file of invalid UTF-8 without it', async () => {
    const cp1256 = encodeWindows1256(BASE['customers.csv'] as string);
    const files = { ...BASE, 'customers.csv': cp1256 };
    await expect(run(files)).rejects.toThrow(/customers\.csv: not valid UTF-8.*--encoding windows-1256/);
    expect(await q('SELECT count(*)::int AS n FROM customers')).toEqual([{ n: 0 }]);
    const encoded = Object.fromEntries(
      Object.entries(BASE).map(([f, c]) => [f, encodeWindows1256(c as string)]),
    );
    await run(encoded, { encoding: 'windows-1256' });
    expect(await q('SELECT first_name FROM customers ORDER BY customer_no')).toEqual([
      { first_name: 'علی' },
      { first_name: 'زهرا' },
    ]);
  });

  it('checks manifest.csv and refuses a snapshot whose file differs', async () => {
    const sha = createHash('sha256')
      .update(BASE['customers.csv'] as string)
      .digest('hex');
    const good = { ...BASE, 'manifest.csv': `file,rows,sha256\ncustomers.csv,2,${sha}\nfacilities.csv,2,\n` };
    await run(good);
    await resetBook();
    await expect(run({ ...BASE, 'manifest.csv': 'file,rows\ncustomers.csv,3\n' })).rejects.toThrow(
      /customers\.csv has 2 rows but manifest\.csv says 3/,
    );
    await expect(
      run({ ...BASE, 'manifest.csv': `file,rows,sha256\ncustomers.csv,2,${'0'.repeat(64)}\n` }),
    ).rejects.toThrow(/customers\.csv does not match its sha256/);
    expect(await q('SELECT count(*)::int AS n FROM customers')).toEqual([{ n: 0 }]);
    expect(await q('SELECT status FROM snapshot_imports ORDER BY id')).toEqual([
      { status: 'refused' },
      { status: 'refused' },
    ]);
  });

  it('importing the same snapshot twice rewrites no row, moves no updated_at and writes no audit entry', async () => {
    await run(BASE);
    const state = async () => ({
      customers: await q('SELECT id, xmin::text, updated_at FROM customers ORDER BY id'),
      facilities: await q('SELECT id, xmin::text, updated_at FROM facilities ORDER BY id'),
      installments: await q(
        'SELECT facility_id, seq, xmin::text FROM installments ORDER BY facility_id, seq',
      ),
      guarantors: await q('SELECT id, xmin::text FROM guarantors ORDER BY id'),
      payments: await q('SELECT id, xmin::text FROM payments ORDER BY id'),
      branches: await q('SELECT id, xmin::text FROM branches ORDER BY id'),
      loanTypes: await q('SELECT id, xmin::text FROM loan_types ORDER BY id'),
      audit: await q('SELECT count(*)::int AS n FROM audit_log'),
    });
    const before = await state();
    const again = await run(BASE);
    expect(again.rejected).toEqual([]);
    expect(await state()).toEqual(before);
    // a real change is written and audited
    await run({
      ...BASE,
      'customers.csv': (BASE['customers.csv'] as string).replace('+989121234567', '09120000000'),
    });
    const [c1] = await q<{ mobile: string; version: number }>(
      "SELECT mobile, version FROM customers WHERE customer_no = 'C1'",
    );
    expect(c1).toEqual({ mobile: '09120000000', version: 2 });
    const audit = await q<{ entity: string; before: { mobile: string }; after: { mobile: string } }>(
      "SELECT entity, before, after FROM audit_log WHERE actor_username = 'import'",
    );
    expect(audit).toHaveLength(1);
    expect([audit[0]!.entity, audit[0]!.before.mobile, audit[0]!.after.mobile]).toEqual([
      'customer',
      '09121234567',
      '09120000000',
    ]);
  });

  it('replaces the installments and guarantors of a listed facility, only when they differ', async () => {
    await run(BASE);
    const f2Before = await q(
      "SELECT i.seq, i.xmin::text AS version FROM installments i JOIN facilities f ON f.id = i.facility_id WHERE f.facility_no = 'F2'",
    );
    await run({
      ...BASE,
      'installments.csv':
        'facility_no,seq,due_on,amount,paid_amount\nF1,1,1403/06/01,1000000,1000000\nF1,2,1403/08/01,600000,\nF1,3,1403/09/01,600000,\nF2,1,14030801,500000,0\n',
    });
    expect(
      await q(
        "SELECT seq, due_on FROM installments i JOIN facilities f ON f.id = i.facility_id WHERE f.facility_no = 'F1' ORDER BY seq",
      ),
    ).toEqual([
      { seq: 1, due_on: '2024-08-22' },
      { seq: 2, due_on: '2024-10-22' },
      { seq: 3, due_on: '2024-11-21' },
    ]);
    // paid_on of F1/1 was dropped from the file: F1 replaced; F2 untouched
    expect(
      await q(
        "SELECT i.seq, i.xmin::text AS version FROM installments i JOIN facilities f ON f.id = i.facility_id WHERE f.facility_no = 'F2'",
      ),
    ).toEqual(f2Before);
  });

  it('rejects a repeated installment key in a bulk first load and in a later unchanged schedule', async () => {
    // 3,000 facilities × 20 installments: above the bulk threshold, so the first load writes without
    // the table's key and finds the repeat only when the key is rebuilt, then loads again without it
    const facilities = Array.from({ length: 3000 }, (_, i) => `G${i + 1}`);
    const rows = facilities.flatMap((f) =>
      Array.from(
        { length: 20 },
        (_, k) => `${f},${k + 1},2024-${String((k % 12) + 1).padStart(2, '0')}-05,1000,,`,
      ),
    );
    const head = 'facility_no,seq,due_on,amount,paid_amount,paid_on\n';
    const files = (installments: string[]): Files => ({
      ...BASE,
      'facilities.csv':
        'facility_no,customer_no,branch_code,loan_type_code,granted_on,principal\n' +
        facilities.map((f) => `${f},C1,B1,L1,2024-01-01,20000\n`).join(''),
      'installments.csv': head + installments.join('\n') + '\n',
      'guarantors.csv': 'facility_no,customer_no\n',
      // as many payments, one reference listed twice: one payment, the first as listed
      'payments.csv':
        'facility_no,paid_on,amount,reference\nG9,2024-02-05,555,PG9-1\n' +
        rows
          .map((r) => r.split(','))
          .map(([f, k]) => `${f},2024-02-05,1000,P${f}-${k}\n`)
          .join(''),
    });
    const first = await run(files([...rows.slice(0, 30), 'G1,7,2024-07-05,999,,', ...rows.slice(30)]));
    expect(first.rejected).toEqual([
      { file: 'installments.csv', line: 32, reason: 'duplicate seq 7 of facility_no G1 (first at line 8)' },
    ]);
    expect(first.loaded['installments.csv']).toBe(60_000);
    const g1 = await q<{ seq: number; amount: string }>(
      `SELECT seq, amount::text FROM installments i JOIN facilities f ON f.id = i.facility_id
       WHERE f.facility_no = 'G1' AND seq = 7`,
    );
    expect(g1).toEqual([{ seq: 7, amount: '1000' }]);
    expect(await q(`SELECT count(*)::int AS n, sum(amount)::text AS total FROM payments`)).toEqual([
      { n: 60_000, total: String(59_999 * 1000 + 555) },
    ]);
    // the next day the same schedule with an exact repeat of a stored row: rejected, nothing rewritten
    const again = await run(files([...rows, rows[40]!]), { asOf: '2024-10-02' });
    expect(again.rejected).toEqual([
      {
        file: 'installments.csv',
        line: 60_002,
        reason: 'duplicate seq 1 of facility_no G3 (first at line 42)',
      },
    ]);
    expect((await q('SELECT count(*)::int AS n FROM installments'))[0]).toEqual({ n: 60_000 });
  });

  it('never doubles a payment, with or without a reference', async () => {
    await run(BASE);
    await run(BASE);
    expect(await q('SELECT reference, amount, occurrence FROM payments ORDER BY id')).toEqual([
      { reference: 'R1', amount: '1000000', occurrence: 1 },
      { reference: null, amount: '500', occurrence: 1 },
      { reference: null, amount: '500', occurrence: 2 },
    ]);
    await run({
      ...BASE,
      'payments.csv': (BASE['payments.csv'] as string) + 'F2,2024-09-01,500,\nF1,2024-09-02,7,R1\n',
    });
    expect(await q('SELECT count(*)::int AS n FROM payments')).toEqual([{ n: 4 }]);
  });

  it('keeps account balances per account and day: new ones added, changed ones updated, repeats rejected', async () => {
    const head = 'customer_no,account_no,account_type,on_date,balance\n';
    const first = await run({
      ...BASE,
      'account_balances.csv': head + 'C1,A1,جاری,2024-09-30,"1,000"\nC2,A2,جاری,2024-09-30,50\n',
    });
    expect(first.loaded['account_balances.csv']).toBe(2);
    const balances = () =>
      q<{ account_no: string; on_date: string; balance: string }>(
        'SELECT account_no, on_date::text, balance::text FROM account_balances ORDER BY account_no, on_date',
      );
    const before = await q<{ ctid: string }>(
      "SELECT ctid::text FROM account_balances WHERE account_no = 'A2'",
    );
    const second = await run(
      {
        ...BASE,
        'account_balances.csv':
          head +
          'C1,A1,جاری,2024-09-30,1200\n' + // changed
          'C2,A2,جاری,2024-09-30,50\n' + // unchanged
          'C1,A1,جاری,2024-10-01,1300\n' + // a new day
          'C1,A1,جاری,2024-10-01,1400\n', // repeat of the same account and day
      },
      { asOf: '2024-10-02' },
    );
    expect(second.rejected).toEqual([
      {
        file: 'account_balances.csv',
        line: 5,
        reason: 'duplicate account_no A1 on 2024-10-01 (first at line 4)',
      },
    ]);
    expect(await balances()).toEqual([
      { account_no: 'A1', on_date: '2024-09-30', balance: '1200' },
      { account_no: 'A1', on_date: '2024-10-01', balance: '1300' },
      { account_no: 'A2', on_date: '2024-09-30', balance: '50' },
    ]);
    // the unchanged balance was not rewritten
    expect(await q("SELECT ctid::text FROM account_balances WHERE account_no = 'A2'")).toEqual(before);
  });

  it('keeps one payment for a reference listed twice in one snapshot, the first as listed', async () => {
    const result = await run({
      ...BASE,
      'payments.csv':
        'facility_no,paid_on,amount,reference\nF1,2024-09-01,700,R7\nF2,2024-09-01,5,R8\nF1,2024-09-03,900,R7\n',
    });
    expect(result.rejected).toEqual([]);
    expect(await q('SELECT reference, amount::text FROM payments ORDER BY reference')).toEqual([
      { reference: 'R7', amount: '700' },
      { reference: 'R8', amount: '5' },
    ]);
  });

  it('keeps a staff correction until the core banking value changes', async () => {
    await run(BASE);
    await pool.query(
      `UPDATE customers SET mobile = '09390000000',
         overrides = '{"mobile": {"value": "09390000000", "core_value": "09121234567"}}' WHERE customer_no = 'C1'`,
    );
    await run(BASE);
    expect(await q("SELECT mobile, overrides FROM customers WHERE customer_no = 'C1'")).toEqual([
      { mobile: '09390000000', overrides: { mobile: { value: '09390000000', core_value: '09121234567' } } },
    ]);
    await run({
      ...BASE,
      'customers.csv': (BASE['customers.csv'] as string).replace('+989121234567', '09127777777'),
    });
    expect(await q("SELECT mobile, overrides FROM customers WHERE customer_no = 'C1'")).toEqual([
      { mobile: '09127777777', overrides: {} },
    ]);
  });

  it('marks facilities missing from the snapshot closed, guarded against closing more than 10%', async () => {
    const many = (n: number, skip: number[] = []) => {
      let facilities = 'facility_no,customer_no,branch_code,loan_type_code,granted_on,principal\n';
      for (let i = 1; i <= n; i++) if (!skip.includes(i)) facilities += `F${i},C1,B1,L1,2024-01-01,1000\n`;
      return {
        ...BASE,
        'facilities.csv': facilities,
        'installments.csv': 'facility_no,seq,due_on,amount\n',
        'guarantors.csv': 'facility_no\n',
        'payments.csv': 'facility_no,paid_on,amount\n',
      };
    };
    await run(many(20));
    const one = await run(many(20, [5]), { asOf: '2024-10-02' });
    expect(one.closed).toBe(1);
    expect(await q("SELECT status, closed_on FROM facilities WHERE facility_no = 'F5'")).toEqual([
      { status: 'closed', closed_on: '2024-10-02' },
    ]);
    // 3 of 19 active would close: refused, nothing changes
    const before = await q('SELECT facility_no, status, xmin::text FROM facilities ORDER BY id');
    await expect(run(many(20, [5, 6, 7, 8]), { asOf: '2024-10-03' })).rejects.toThrow(
      /would close 3 of 19 active facilities/,
    );
    expect(await q('SELECT facility_no, status, xmin::text FROM facilities ORDER BY id')).toEqual(before);
    const forced = await run(many(20, [5, 6, 7, 8]), { asOf: '2024-10-03', force: true });
    expect(forced.closed).toBe(3);
    // a closed facility that comes back is active again
    await run(many(20), { asOf: '2024-10-04', force: true });
    expect(await q("SELECT count(*)::int AS n FROM facilities WHERE status = 'closed'")).toEqual([{ n: 0 }]);
    expect(await q('SELECT count(*)::int AS n FROM facilities')).toEqual([{ n: 20 }]);
  });

  it('refuses a snapshot older than the latest imported one unless forced', async () => {
    await run(BASE, { asOf: '2024-10-05' });
    await expect(run(BASE, { asOf: '1403/07/13' })).rejects.toThrow(
      /older than the latest imported one \(2024-10-05\)/,
    );
    await expect(run(BASE, { asOf: '2024-10-04' })).rejects.toBeInstanceOf(ImportRefusedError);
    const forced = await run(BASE, { asOf: '2024-10-04', force: true });
    expect(forced.asOf).toBe('2024-10-04');
  });

  it('a kill -9 of the CLI mid-import leaves the previous state', async () => {
    await run(BASE);
    const snapshotBefore = await bookFingerprint();
    const big = snapshot(generateSnapshot(30_000));
    const child = spawn(
      process.execPath,
      [VOSUL, 'import', big, '--as-of', '2024-10-02', '--force', '--json'],
      {
        env: { ...process.env, DATABASE_URL: url, VOSUL_SECRET_KEY: 'x'.repeat(40), LOG_LEVEL: 'silent' },
        stdio: 'ignore',
      },
    );
    // wait until it is inside the transaction, loading
    let loading = false;
    for (let i = 0; i < 600 && !loading; i++) {
      const busy = await q(
        `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
           AND state = 'active' AND query ILIKE '%stg_%'`,
      );
      loading = busy.length > 0;
      if (!loading) await new Promise((r) => setTimeout(r, 25));
    }
    expect(loading).toBe(true);
    child.kill('SIGKILL');
    const signal = await new Promise((r) => child.once('exit', (_code, sig) => r(sig)));
    expect(signal).toBe('SIGKILL');
    for (let i = 0; i < 400; i++) {
      const left = await q(
        "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND application_name = 'vosul'",
      );
      if (left.length === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await bookFingerprint()).toEqual(snapshotBefore);
    // the killed run is recorded as interrupted once another import looks
    await run(BASE, { asOf: '2024-10-03' });
    const [killed] = await q("SELECT status, message FROM snapshot_imports WHERE as_of = '2024-10-02'");
    expect(killed?.status).toBe('failed');
    expect(String(killed?.message)).toMatch(/interrupted/);
  }, 120_000);
});

async function bookFingerprint() {
  return q(`SELECT (SELECT count(*) FROM customers)::int AS customers, (SELECT count(*) FROM facilities)::int AS facilities,
                   (SELECT count(*) FROM installments)::int AS installments, (SELECT count(*) FROM snapshot_imports WHERE status = 'succeeded')::int AS runs,
                   (SELECT max(xmin::text::bigint) FROM customers)::text AS xmin`);
}

/** A synthetic snapshot of n customers, each with one facility of 12 installments and a guarantor. */
export function generateSnapshot(n: number): Files {
  const customers = ['customer_no,first_name,last_name,national_id,mobile,branch_code'];
  const facilities = ['facility_no,customer_no,branch_code,loan_type_code,granted_on,principal,annual_rate'];
  const installments = ['facility_no,seq,due_on,amount,paid_amount,paid_on'];
  const guarantors = ['facility_no,first_name,last_name,mobile'];
  for (let i = 1; i <= n; i++) {
    customers.push(
      `C${i},نام${i},خانواده${i},${String(i).padStart(10, '0')},0912${String(i).padStart(7, '0')},B1`,
    );
    facilities.push(`F${i},C${i},B1,L1,1402/01/15,120000000,18`);
    for (let s = 1; s <= 12; s++)
      installments.push(
        `F${i},${s},1402/${String(s).padStart(2, '0')}/15,10000000,${s < 6 ? '10000000,1402/' + String(s).padStart(2, '0') + '/15' : '0,'}`,
      );
    guarantors.push(`F${i},ضامن,شماره ${i},0935${String(i).padStart(7, '0')}`);
  }
  return {
    'branches.csv': BASE['branches.csv']!,
    'loan_types.csv': BASE['loan_types.csv']!,
    'customers.csv': customers.join('\n') + '\n',
    'facilities.csv': facilities.join('\n') + '\n',
    'installments.csv': installments.join('\n') + '\n',
    'guarantors.csv': guarantors.join('\n') + '\n',
  };
}

function encodeWindows1256(text: string): Buffer {
  const decoder = new TextDecoder('windows-1256');
  const map = new Map<string, number>();
  for (let b = 0; b < 256; b++) map.set(decoder.decode(Uint8Array.of(b)), b);
  const bytes: number[] = [];
  // Windows-1256 has no Persian ی and ک: exporters write the Arabic letters, which the import normalises.
  // nor Persian digits: they are written as Latin ones.
  const arabic = text
    .replaceAll('ی', 'ي')
    .replaceAll('ک', 'ك')
    .replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0));
  for (const ch of arabic) {
    const b = map.get(ch);
    if (b === undefined) throw new Error(`not in Windows-1256: ${ch}`);
    bytes.push(b);
  }
  return Buffer.from(bytes);
}
