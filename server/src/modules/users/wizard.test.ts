import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { WIZARD_COLUMNS } from '@vosul/common';
import { factory, logIn, logInAsAdmin, setupTestApp, type Session } from '../../../test/harness.js';
import { uploadFile } from '../../../test/upload.js';

const { app, db } = await setupTestApp();
const admin = await logInAsAdmin(app);

interface RowError {
  row: number;
  field: string;
  column: string | null;
  reason: string;
}
interface ErrorBody {
  error: {
    code: string;
    message: string;
    field?: string;
    details?: { rows: RowError[]; workbook_base64: string; workbook_name: string };
  };
}

const province = await factory.province(db, { code: '96', name: 'تهران (غرب)' });
const branchA = await factory.branch(db, { code: '6140', name: 'اکباتان تهران', provinceId: province.id });
const branchB = await factory.branch(db, { code: '6150', name: 'شهرک غرب', provinceId: province.id });

const HEADERS = WIZARD_COLUMNS.map((c) => c.header);
type Row = Partial<Record<(typeof WIZARD_COLUMNS)[number]['key'], string | number>>;

/** A workbook as a person would fill the template: header row, then users. */
async function workbook(rows: Row[], headers: readonly string[] = HEADERS): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('کاربران');
  sheet.addRow([...headers]);
  for (const row of rows) sheet.addRow(WIZARD_COLUMNS.map((c) => row[c.key] ?? null));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const good = (username: string, over: Row = {}): Row => ({
  username,
  password: 'wizard-password-1',
  first_name: 'علی',
  last_name: 'رضایی',
  user_type: 'تمام وقت',
  groups: 'وصول مطالبات',
  branch_code: '6140',
  gender: 'مرد',
  ...over,
});

const upload = (s: Session, content: Buffer, format?: 'xlsx') =>
  uploadFile(app, s, 'POST', `/api/v1/users/wizard${format ? '?format=xlsx' : ''}`, {
    content,
    name: 'users.xlsx',
  });
const usernames = async () =>
  (await db.selectFrom('users').select('username').execute()).map((u) => u.username);

async function statusColumn(content: Buffer): Promise<Map<number, string>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(content as unknown as ArrayBuffer);
  const sheet = wb.worksheets[0]!;
  let col = 0;
  sheet.getRow(1).eachCell((cell, c) => {
    if (cell.value === 'وضعیت') col = c;
  });
  expect(col).toBeGreaterThan(0);
  const out = new Map<number, string>();
  for (let r = 2; r <= sheet.rowCount; r++) out.set(r, sheet.getRow(r).getCell(col).text);
  return out;
}

describe('user wizard (V6)', () => {
  it('offers an .xlsx template: right-to-left, the Persian header in order, an example row', async () => {
    const res = await admin.get('/api/v1/users/wizard/template');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain('.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.views[0]?.rightToLeft).toBe(true);
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(HEADERS);
    expect(header.slice(0, 7)).toEqual([
      'نام کاربری',
      'کلمه عبور',
      'نام',
      'نام خانوادگی',
      'نوع کاربر',
      'گروه‌های دسترسی',
      'کد شعبه',
    ]);
    expect(sheet.getRow(2).getCell(1).value).toBe('r.ahmadi');
    expect(sheet.getRow(2).getCell(5).value).toBe('تمام وقت');
    // The guide lists the groups the caller may grant and the branches it may use.
    const guide = wb.getWorksheet('راهنما')!;
    const guideText = JSON.stringify(guide.getSheetValues());
    expect(guideText).toContain('وصول مطالبات');
    expect(guideText).toContain('6140');
  });

  it('the filled template itself (its example row) is accepted', async () => {
    const template = await admin.get('/api/v1/users/wizard/template');
    const res = await upload(admin, template.rawPayload);
    expect(res.statusCode).toBe(201);
    expect(res.json<{ count: number }>().count).toBe(1);
    expect(await usernames()).toContain('r.ahmadi');
  });

  it('creates every user of a good file in one go, normalised like the form, audited, able to sign in', async () => {
    const content = await workbook([
      good('wiz.one', {
        mobile: 9121234567,
        national_code: 13542419,
        email: 'one@bank.ir',
        personnel_code: 1001,
      }),
      good('wiz.two', {
        user_type: 'پاره وقت',
        gender: 'زن',
        groups: 'وصول مطالبات، مدیران شعب',
        branch_code: '۶۱۵۰',
        mobile: '+989351112233',
      }),
      good('wiz.three', {
        first_name: 'علي',
        branch_code: '',
        province_code: '96',
        groups: 'ادمین استان‌ها',
      }),
    ]);
    const res = await upload(admin, content);
    expect(res.statusCode).toBe(201);
    const body = res.json<{ count: number; created: { row: number; username: string; id: number }[] }>();
    expect(body.count).toBe(3);
    expect(body.created.map((c) => [c.row, c.username])).toEqual([
      [2, 'wiz.one'],
      [3, 'wiz.two'],
      [4, 'wiz.three'],
    ]);
    const one = (await admin.get(`/api/v1/users/${body.created[0]!.id}`)).json<Record<string, unknown>>();
    expect(one).toMatchObject({
      mobile: '09121234567',
      national_code: '0013542419',
      personnel_code: '1001',
      branch_code: '6140',
      user_type: 'full_time',
      gender: 'M',
    });
    const two = (await admin.get(`/api/v1/users/${body.created[1]!.id}`)).json<{
      groups: { title: string }[];
      branch_code: string;
      user_type: string;
    }>();
    expect(two.groups.map((g) => g.title).sort()).toEqual(['مدیران شعب', 'وصول مطالبات']);
    expect(two).toMatchObject({ branch_code: '6150', user_type: 'part_time' });
    const three = (await admin.get(`/api/v1/users/${body.created[2]!.id}`)).json<Record<string, unknown>>();
    expect(three).toMatchObject({ first_name: 'علی', branch_id: null, province_code: '96' });
    expect((await logIn(app, 'wiz.two', 'wizard-password-1')).user.id).toBe(body.created[1]!.id);
    const audited = await db
      .selectFrom('audit_log')
      .select('entity_id')
      .where('entity', '=', 'user')
      .where('action', '=', 'create')
      .execute();
    expect(audited.map((a) => Number(a.entity_id))).toEqual(
      expect.arrayContaining(body.created.map((c) => c.id)),
    );
  });

  it('creates nothing when any row is bad, and reports every bad row by its Excel row number, field and reason', async () => {
    const before = await usernames();
    const content = await workbook([
      good('bad.ok1'), // row 2: good
      good('bad.nc', { national_code: '0013542418' }), // row 3
      good('bad.ok1'), // row 4: same username as row 2
      good('bad.group', { groups: 'گروه ناموجود' }), // row 5
      good('bad.branch', { branch_code: '9999' }), // row 6
      good('bad.many', { password: 'short', mobile: '12345', user_type: 'قراردادی' }), // row 7
      {}, // row 8: empty, skipped
      good('wiz.one'), // row 9: taken by the earlier import
      good('bad.ok2'), // row 10: good
    ]);
    const res = await upload(admin, content);
    expect(res.statusCode).toBe(400);
    const error = res.json<ErrorBody>().error;
    expect(error.code).toBe('validation_failed');
    expect(error.message).toContain('هیچ کاربری ثبت نشد');
    const rows = error.details!.rows;
    const pairs = rows.map((r) => `${r.row}:${r.field}`);
    expect(pairs).toEqual(
      expect.arrayContaining([
        '2:username',
        '3:national_code',
        '4:username',
        '5:groups',
        '6:branch_code',
        '7:password',
        '7:mobile',
        '7:user_type',
        '9:username',
      ]),
    );
    expect(rows.some((r) => r.row === 10 || r.row === 8)).toBe(false);
    expect(rows.find((r) => r.row === 4)!.reason).toContain('۲');
    expect(rows.find((r) => r.row === 3)!.column).toBe('کد ملی');
    expect(rows.every((r) => /[\u0600-\u06FF]/.test(r.reason))).toBe(true);
    expect(await usernames()).toEqual(before);

    // The same workbook comes back with a «وضعیت» column per row.
    const annotated = Buffer.from(error.details!.workbook_base64, 'base64');
    const status = await statusColumn(annotated);
    expect(status.get(3)).toMatch(/^خطا: کد ملی: /);
    expect(status.get(6)).toContain('9999');
    expect(status.get(10)).toContain('بدون خطا');
  });

  it('?format=xlsx answers the annotated workbook itself', async () => {
    const content = await workbook([good('fmt.ok'), good('fmt.bad', { email: 'not-an-email' })]);
    const res = await upload(admin, content, 'xlsx');
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['x-wizard-errors']).toBe('1');
    const status = await statusColumn(res.rawPayload);
    expect(status.get(2)).toContain('بدون خطا');
    expect(status.get(3)).toContain('پست الکترونیکی');
    expect(await usernames()).not.toContain('fmt.ok');

    // Fixed and uploaded again (its old «وضعیت» column is overwritten, not read as data): all created.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    wb.worksheets[0]!.getRow(3).getCell(HEADERS.indexOf('پست الکترونیکی') + 1).value = 'fmt@bank.ir';
    const fixed = Buffer.from(await wb.xlsx.writeBuffer());
    const again = await upload(admin, fixed, 'xlsx');
    expect(again.statusCode).toBe(201);
    const after = await statusColumn(again.rawPayload);
    expect([after.get(2), after.get(3)]).toEqual(['ثبت شد', 'ثبت شد']);
    expect(await usernames()).toEqual(expect.arrayContaining(['fmt.ok', 'fmt.bad']));
  });

  it('accepts the columns in any order, and refuses a file without a required column naming it', async () => {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('Sheet1');
    sheet.addRow(['گروه های دسترسی', 'نام', 'نام خانوادگی', 'username', 'رمز عبور', 'نوع کاربر', 'کد شعبه']);
    sheet.addRow(['وصول مطالبات', 'مریم', 'کریمی', 'order.free', 'wizard-password-1', 'full_time', '6140']);
    const res = await upload(admin, Buffer.from(await wb.xlsx.writeBuffer()));
    expect(res.statusCode).toBe(201);

    const missing = await upload(
      admin,
      await workbook(
        [good('no.pass')],
        HEADERS.map((h) => (h === 'کلمه عبور' ? 'چیز دیگر' : h)),
      ),
    );
    expect(missing.statusCode).toBe(400);
    expect(missing.json<ErrorBody>().error.message).toContain('کلمه عبور');
    expect(missing.json<ErrorBody>().error.details!.rows[0]).toMatchObject({ row: 1, field: 'password' });
  });

  it('refuses a file that is not an Excel workbook by its content (415), and an empty one', async () => {
    const text = await uploadFile(app, admin, 'POST', '/api/v1/users/wizard', {
      content: Buffer.from('username,password\nx,y'),
      name: 'users.xlsx',
    });
    expect(text.statusCode).toBe(415);
    expect(text.json<ErrorBody>().error.message).toContain('اکسل');
    const empty = await upload(admin, await workbook([]));
    expect(empty.statusCode).toBe(400);
  });
});

describe('wizard scope and escalation', () => {
  it('a branch-level wizard user may only create users in its branch, with groups within its own pages', async () => {
    const { id: groupId } = await db
      .insertInto('access_groups')
      .values({ title: 'جادوگر شعبه', code: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('access_group_pages')
      .values(
        ['users', 'user_wizard', 'followup_cartable', 'followup_register', 'overdue_cases'].map(
          (page_key) => ({
            group_id: groupId,
            page_key,
          }),
        ),
      )
      .execute();
    const user = await factory.user(db, { username: 'wizard.branch', branchId: branchA.id });
    await db.deleteFrom('user_groups').where('user_id', '=', user.id).execute();
    await db.insertInto('user_groups').values({ user_id: user.id, group_id: groupId }).execute();
    const s = await logIn(app, 'wizard.branch', 'password-1234');

    const before = await usernames();
    const res = await upload(
      s,
      await workbook([
        good('br.ok'),
        good('br.escalate', { groups: 'ادمین معاونت حقوقی و وصول مطالبات' }),
        good('br.next', { branch_code: '6150' }),
        good('br.hq', { branch_code: '' }),
        good('br.province', { branch_code: '', province_code: '96' }),
      ]),
    );
    expect(res.statusCode).toBe(400);
    const pairs = res.json<ErrorBody>().error.details!.rows.map((r) => `${r.row}:${r.field}`);
    expect(pairs).toEqual(['3:groups', '4:branch_code', '5:branch_code', '6:branch_code']);
    expect(await usernames()).toEqual(before);

    const ok = await upload(s, await workbook([good('br.ok')]));
    expect(ok.statusCode).toBe(201);
    // The template's guide offers only what this user may use.
    const template = await s.get('/api/v1/users/wizard/template');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(template.rawPayload as unknown as ArrayBuffer);
    const guide = JSON.stringify(wb.getWorksheet('راهنما')!.getSheetValues());
    expect(guide).toContain('6140');
    expect(guide).not.toContain('6150');
    expect(guide).not.toContain('ادمین معاونت');
  });

  it('is closed to a user without the wizard page', async () => {
    await factory.user(db, { username: 'no.wizard', group: 'branch_manager', branchId: branchB.id });
    const s = await logIn(app, 'no.wizard', 'password-1234');
    expect((await s.get('/api/v1/users/wizard/template')).statusCode).toBe(403);
    expect((await upload(s, await workbook([good('x.y.z')]))).statusCode).toBe(403);
  });
});
