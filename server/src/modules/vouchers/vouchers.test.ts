import ExcelJS from 'exceljs';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { factory, logIn, logInAsAdmin, setupTestApp } from '../../../test/harness.js';
import { createBook, plus } from '../../../test/book.js';
import { runDay } from '../day-run/day-run.service.js';

const { app, db, url } = await setupTestApp();
const pool = new pg.Pool({ connectionString: url, max: 4 });
afterAll(() => pool.end());
const admin = await logInAsAdmin(app);

const D = '2025-06-01';
const run = (date: string) => runDay(pool, { date, source: 'cli', timezone: 'Asia/Tehran' });

// F1 at B1 and F2 at B2 each fall 1,000 further overdue fifteen days on: one voucher each
await createBook(
  pool,
  ['B1', 'B2'].map((branch, i) => ({
    no: `F${i + 1}`,
    branch: branch as 'B1' | 'B2',
    installments: [
      { due: plus(D, -70), amount: 1000 },
      { due: plus(D, 10), amount: 1000 },
      { due: plus(D, 40), amount: 1000 },
    ],
  })),
  '2025-01-01',
);
await run(D);
const D1 = plus(D, 15);
await run(D1);

type Page = {
  items: { id: string; facility_no: string; date: string; kind: string; lines: unknown[] }[];
  total: number;
};

describe('GET /api/v1/vouchers (interchange.md)', () => {
  it('lists each voucher with its lines, debit before credit, filtered by facility and date', async () => {
    const all = (await admin.get(`/api/v1/vouchers?date=${D1}`)).json<Page>();
    expect(all.total).toBe(2);
    const one = (await admin.get(`/api/v1/vouchers?facility_no=F1`)).json<Page>();
    expect(one.items).toEqual([
      expect.objectContaining({
        facility_no: 'F1',
        date: D1,
        kind: 'transfer',
        lines: [
          { head: 'past_due', class: 'past_due', debit: '1000', credit: '0' },
          { head: 'current', class: 'current', debit: '0', credit: '1000' },
        ],
      }),
    ]);
    expect((await admin.get(`/api/v1/vouchers?date=${D}`)).json<Page>().total).toBe(0); // the opening
  });

  it('shows a branch only its own facilities’ vouchers, and no one without the page', async () => {
    const b1 = await db
      .selectFrom('branches')
      .select('id')
      .where('code', '=', 'B1')
      .executeTakeFirstOrThrow();
    // a branch manager has no vouchers page
    await factory.user(db, { username: 'vouch_mgr', group: 'branch_manager', branchId: b1.id });
    const manager = await logIn(app, 'vouch_mgr', 'password-1234');
    expect((await manager.get('/api/v1/vouchers')).statusCode).toBe(403);
    // an HQ administrator's group given to a branch user: scoped to that branch
    await factory.user(db, { username: 'vouch_b1', group: 'hq_admin', branchId: b1.id });
    const branchUser = await logIn(app, 'vouch_b1', 'password-1234');
    const seen = (await branchUser.get('/api/v1/vouchers')).json<Page>();
    expect(seen.items.map((v) => v.facility_no)).toEqual(['F1']);
  });

  it('exports the lines as Excel, and as CSV for the core banking system, marking them exported', async () => {
    const excel = await admin.get(`/api/v1/vouchers/export?date=${D1}`);
    expect(excel.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(excel.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets[0]!.rowCount).toBe(1 + 4); // header + two lines of two vouchers

    const before = await db.selectFrom('vouchers').select('exported_at').execute();
    expect(before.every((v) => v.exported_at === null)).toBe(true);
    const csv = await admin.get(`/api/v1/vouchers/export.csv?facility_no=F2`);
    expect(csv.headers['content-type']).toContain('text/csv');
    const [header, ...rows] = csv.body.trimEnd().split('\r\n');
    expect(header).toBe('voucher_id,date,facility_no,branch_code,kind,head,class,debit,credit');
    expect(rows.map((r) => r.split(',').slice(1))).toEqual([
      [D1, 'F2', 'B2', 'transfer', 'past_due', 'past_due', '1000', '0'],
      [D1, 'F2', 'B2', 'transfer', 'current', 'current', '0', '1000'],
    ]);
    const after = await db
      .selectFrom('vouchers as v')
      .innerJoin('facilities as f', 'f.id', 'v.facility_id')
      .select(['f.facility_no', 'v.exported_at'])
      .orderBy('f.facility_no')
      .execute();
    expect(after.map((v) => [v.facility_no, v.exported_at !== null])).toEqual([
      ['F1', false],
      ['F2', true],
    ]);
    const logged = await db.selectFrom('export_log').select('name').where('name', '=', 'vouchers').execute();
    expect(logged).toHaveLength(2);
  });
});
