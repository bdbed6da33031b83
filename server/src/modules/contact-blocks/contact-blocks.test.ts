import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { factory, logIn, logInAsAdmin, setupTestApp } from '../../../test/harness.js';

const { app, db } = await setupTestApp();
const admin = await logInAsAdmin(app);
const PATH = '/api/v1/contact-blocks';
type ErrorBody = { error: { code: string; field?: string; message: string } };
type Block = {
  id: number;
  national_code: string | null;
  mobile: string | null;
  person_name: string;
  reason: string;
  until: string | null;
  active: boolean;
  created_by_name: string;
  version: number;
};

const branch = await factory.branch(db);
await db
  .insertInto('customers')
  .values({
    customer_no: '5500001',
    first_name: 'مریم',
    last_name: 'کریمی',
    national_id: '1234567891',
    mobile: '09121112233',
    branch_id: branch.id,
  })
  .execute();

describe('the do-not-contact list (B1)', () => {
  let byCode: Block;

  it('adds a person by national code in Persian digits and names them from the customers', async () => {
    const res = await admin.post(PATH, {
      national_code: '۱۲۳۴۵۶۷۸۹۱',
      reason: 'شکایت مشتری',
      until: '2099-01-01',
    });
    expect(res.statusCode).toBe(201);
    byCode = res.json<Block>();
    expect(byCode).toMatchObject({
      national_code: '1234567891',
      mobile: null,
      person_name: 'مریم کریمی',
      reason: 'شکایت مشتری',
      until: '2099-01-01',
      active: true,
      version: 1,
    });
    expect(byCode.created_by_name).not.toBe('');
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'after'])
      .where('entity', '=', 'contact_block')
      .where('entity_id', '=', String(byCode.id))
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ action: 'create', after: { national_code: '1234567891' } });
  });

  it('adds a person by mobile only, in any form, without an end', async () => {
    const res = await admin.post(PATH, { mobile: '+98 ۹۳۵ ۰۰۰ ۱۱۲۲', reason: 'درخواست وکیل' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      mobile: '09350001122',
      national_code: null,
      person_name: '',
      until: null,
    });
  });

  it('refuses bad input, naming the field in Persian', async () => {
    const cases: [object, string, number][] = [
      [{ reason: 'بدون شناسه' }, 'national_code', 400],
      [{ national_code: '1234567890', reason: 'x' }, 'national_code', 400],
      [{ mobile: '0912', reason: 'x' }, 'mobile', 400],
      [{ mobile: '09120000000', reason: '  ' }, 'reason', 400],
      [{ mobile: '09120000000', reason: 'x', until: '1405/01/01' }, 'until', 400],
      [{ mobile: '09120000000', reason: 'x', until: '2001-01-01' }, 'until', 400],
      [{ national_code: '1234567891', reason: 'دوباره' }, 'national_code', 409],
      [{ mobile: '۰۹۳۵۰۰۰۱۱۲۲', reason: 'دوباره' }, 'mobile', 409],
    ];
    for (const [body, field, status] of cases) {
      const res = await admin.post(PATH, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      const error = res.json<ErrorBody>().error;
      expect(error.field, JSON.stringify(body)).toBe(field);
      expect(error.message).toMatch(/[آ-ی]/);
    }
  });

  it('finds people by national code, mobile in any form, name and reason (ي/ك normalised)', async () => {
    const search = async (q: string) =>
      (await admin.get(`${PATH}?q=${encodeURIComponent(q)}`)).json<{ items: Block[]; total: number }>();
    expect((await search('۱۲۳۴۵۶')).items.map((b) => b.id)).toEqual([byCode.id]);
    expect((await search('+989350001122')).items.map((b) => b.mobile)).toEqual(['09350001122']);
    expect((await search('كريمي')).items.map((b) => b.id)).toEqual([byCode.id]);
    expect((await search('وكيل')).total).toBe(1);
    expect((await search('')).total).toBe(2);
    expect((await search('هیچ‌کس')).total).toBe(0);
    // the Excel export holds the same matches, in Persian
    const exported = await admin.get(`${PATH}/export?q=${encodeURIComponent('كريمي')}`);
    expect(exported.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(exported.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(2);
    expect(sheet.getRow(2).getCell(1).text).toBe('مریم کریمی');
    expect(sheet.getRow(2).getCell(2).text).toBe('۱۲۳۴۵۶۷۸۹۱');
    expect(sheet.getRow(2).getCell(6).text).toBe(byCode.active ? 'برقرار' : 'پایان‌یافته');
  });

  it('edits with the loaded version; a stale version is refused with 409', async () => {
    const res = await admin.patch(`${PATH}/${byCode.id}`, { reason: 'شکایت کتبی', until: null, version: 1 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      reason: 'شکایت کتبی',
      until: null,
      version: 2,
      person_name: 'مریم کریمی',
    });
    const stale = await admin.patch(`${PATH}/${byCode.id}`, { reason: 'دیگر', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json<ErrorBody>().error.code).toBe('stale_edit');
    const cleared = await admin.patch(`${PATH}/${byCode.id}`, { national_code: null, version: 2 });
    expect(cleared.statusCode).toBe(400);
    expect(cleared.json<ErrorBody>().error.field).toBe('national_code');
  });

  it('is HQ only: a branch user is refused even with the page, and sees nothing', async () => {
    await factory.user(db, { username: 'cb_branch_admin', branchId: branch.id });
    const withPage = await logIn(app, 'cb_branch_admin', 'password-1234');
    expect(withPage.user.pages).toContain('contact_blocks');
    expect((await withPage.get(PATH)).statusCode).toBe(403);
    expect((await withPage.get(`${PATH}/export`)).statusCode).toBe(403);
    expect((await withPage.get(`${PATH}/${byCode.id}`)).statusCode).toBe(403);
    expect((await withPage.post(PATH, { mobile: '09121234567', reason: 'x' })).statusCode).toBe(403);
    expect((await withPage.delete(`${PATH}/${byCode.id}`)).statusCode).toBe(403);
    await factory.user(db, { username: 'cb_manager', group: 'branch_manager', branchId: branch.id });
    const manager = await logIn(app, 'cb_manager', 'password-1234');
    expect((await manager.get(PATH)).statusCode).toBe(403);
  });

  it('lifts a block (audited); it is gone', async () => {
    const res = await admin.delete(`${PATH}/${byCode.id}`);
    expect(res.statusCode).toBe(204);
    expect((await admin.get(`${PATH}/${byCode.id}`)).statusCode).toBe(404);
    const audit = await db
      .selectFrom('audit_log')
      .select(['before'])
      .where('entity', '=', 'contact_block')
      .where('action', '=', 'delete')
      .executeTakeFirstOrThrow();
    expect(audit.before).toMatchObject({ national_code: '1234567891', reason: 'شکایت کتبی' });
    expect((await admin.delete(`${PATH}/${byCode.id}`)).statusCode).toBe(404);
  });
});
