import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { factory, logIn, logInAsAdmin, setupTestApp, type Session } from '../../../test/harness.js';
import { send, uploadFile } from '../../../test/upload.js';

const { app, db } = await setupTestApp();
const admin = await logInAsAdmin(app);

interface User {
  id: number;
  username: string;
  first_name: string;
  last_name: string;
  user_type: string;
  gender: string | null;
  branch_id: number | null;
  branch_code: string | null;
  province_id: number | null;
  province_code: string | null;
  groups: { id: number; title: string }[];
  national_code: string | null;
  mobile: string | null;
  email: string | null;
  phones: string | null;
  birth_cert_no: string | null;
  personnel_code: string | null;
  address: string | null;
  has_photo: boolean;
  version: number;
}
interface ErrorBody {
  error: { code: string; message: string; field?: string; details?: unknown };
}
const PERSIAN = /[\u0600-\u06FF]/;

async function groupId(code: string): Promise<number> {
  return (
    await db.selectFrom('access_groups').select('id').where('code', '=', code).executeTakeFirstOrThrow()
  ).id;
}
const exists = async (id: number) =>
  !!(await db.selectFrom('users').select('id').where('id', '=', id).executeTakeFirst());

// The organisation: province P1 with branch A (sub-branch A1) and the next branch B; province P2 with C.
const p1 = await factory.province(db, { code: '96', name: 'تهران (غرب)' });
const p2 = await factory.province(db, { code: '73', name: 'لرستان' });
const branchA = await factory.branch(db, { code: '6140', name: 'اکباتان تهران', provinceId: p1.id });
const branchA1 = await factory.branch(db, {
  code: '6141',
  name: 'باجه اکباتان',
  provinceId: p1.id,
  parentId: branchA.id,
});
const branchB = await factory.branch(db, { code: '6150', name: 'شهرک غرب', provinceId: p1.id });
const branchC = await factory.branch(db, { code: '7305', name: 'شهید مطهری لرستان', provinceId: p2.id });
// A province of its own for the list and search tests.
const p3 = await factory.province(db, { code: '51', name: 'خراسان رضوی' });
const branchD = await factory.branch(db, { code: '5101', name: 'مشهد مرکزی', provinceId: p3.id });
const OFFICER = await groupId('collection_officer');
const BRANCH_MANAGER = await groupId('branch_manager');
const HQ_ADMIN = await groupId('hq_admin');

const validUser = (over: Record<string, unknown> = {}) => ({
  username: `u${Math.random().toString(36).slice(2, 9)}`,
  password: 'a-long-password-1',
  first_name: 'رضا',
  last_name: 'احمدی',
  user_type: 'full_time',
  group_ids: [OFFICER],
  branch_id: branchA.id,
  ...over,
});

describe('users: create, read, edit (V3)', () => {
  it('creates a user with every V3 field, normalised (digits, ي/ك, mobile, national code), and audits it', async () => {
    const res = await admin.post('/api/v1/users', {
      username: '۵۹۷۹',
      password: 'Mehr-1403-password',
      first_name: 'جمشيد',
      last_name: 'ملكی زاده',
      user_type: 'part_time',
      group_ids: [OFFICER],
      branch_id: branchA.id,
      gender: 'M',
      address: 'تهران، اکباتان، فاز ۲',
      personnel_code: '۵۸۲۱۳',
      national_code: '13542419',
      birth_cert_no: '۱۲۳۴',
      phones: '021-44123456، 021-44123457',
      mobile: '+98 912 123 4567',
      email: 'j.maleki@bank.ir',
    });
    expect(res.statusCode).toBe(201);
    const user = res.json<User>();
    expect(user).toMatchObject({
      username: '5979',
      first_name: 'جمشید',
      last_name: 'ملکی زاده',
      user_type: 'part_time',
      gender: 'M',
      branch_id: branchA.id,
      branch_code: '6140',
      province_id: p1.id,
      province_code: '96',
      personnel_code: '58213',
      national_code: '0013542419',
      birth_cert_no: '1234',
      phones: '021-44123456, 021-44123457',
      mobile: '09121234567',
      email: 'j.maleki@bank.ir',
      address: 'تهران، اکباتان، فاز 2',
      has_photo: false,
      version: 1,
    });
    expect(user.groups.map((g) => g.id)).toEqual([OFFICER]);
    expect(user).not.toHaveProperty('password_hash');
    expect((await admin.get(`/api/v1/users/${user.id}`)).json<User>()).toEqual(user);
    // The new user can sign in with the password given.
    const session = await logIn(app, '5979', 'Mehr-1403-password');
    expect(session.user.pages).toEqual(expect.arrayContaining(['followup_cartable']));
    const audit = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity', '=', 'user')
      .where('entity_id', '=', String(user.id))
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['create']);
    expect(audit[0]!.actor_username).toBe('admin');
    expect(JSON.stringify(audit[0]!.after)).not.toContain('Mehr-1403-password');
  });

  it('accepts every mobile form and stores 09xxxxxxxxx', async () => {
    for (const mobile of [
      '09121234567',
      '9121234567',
      '+989121234567',
      '989121234567',
      '00989121234567',
      '۰۹۱۲۱۲۳۴۵۶۷',
    ]) {
      const res = await admin.post('/api/v1/users', validUser({ mobile }));
      expect({ mobile, status: res.statusCode }).toEqual({ mobile, status: 201 });
      expect(res.json<User>().mobile).toBe('09121234567');
    }
  });

  it('rejects bad fields with 400 (409 for a taken username) naming the field, in Persian, and saves nothing', async () => {
    const taken = validUser({ username: 'Taken.User' });
    expect((await admin.post('/api/v1/users', taken)).statusCode).toBe(201);
    const cases: [Record<string, unknown>, string, number][] = [
      [{ username: 'ab' }, 'username', 400],
      [{ username: 'رضا' }, 'username', 400],
      [{ username: 'has space' }, 'username', 400],
      [{ username: 'taken.user' }, 'username', 409],
      [{ password: 'short' }, 'password', 400],
      [{ username: 'samepass12', password: 'SamePass12' }, 'password', 400],
      [{ first_name: '' }, 'first_name', 400],
      [{ last_name: '   ' }, 'last_name', 400],
      [{ user_type: 'contractor' }, 'user_type', 400],
      [{ group_ids: [] }, 'group_ids', 400],
      [{ group_ids: [999999] }, 'group_ids', 400],
      [{ national_code: '0013542418' }, 'national_code', 400],
      [{ national_code: '1111111111' }, 'national_code', 400],
      [{ national_code: '1234567' }, 'national_code', 400],
      [{ mobile: '0912123' }, 'mobile', 400],
      [{ mobile: '02144123456' }, 'mobile', 400],
      [{ email: 'name@' }, 'email', 400],
      [{ birth_cert_no: '12a' }, 'birth_cert_no', 400],
      [{ gender: 'X' }, 'gender', 400],
      [{ branch_id: 999999 }, 'branch_id', 400],
      [{ branch_id: branchA.id, province_id: p2.id }, 'province_id', 400],
    ];
    for (const [over, field, status] of cases) {
      const body = validUser({ username: 'rejected.user', ...over });
      const res = await admin.post('/api/v1/users', body);
      const error = res.json<ErrorBody>().error;
      expect({ over, status: res.statusCode, field: error.field }).toEqual({ over, status, field });
      expect(error.message).toMatch(PERSIAN);
    }
    expect(
      await db.selectFrom('users').select('id').where('username', '=', 'rejected.user').executeTakeFirst(),
    ).toBeUndefined();
  });

  it('lists with the V3 columns, searches them (ي/ك, Persian digits, group title, user type) and pages on the server', async () => {
    const mk = async (username: string, first: string, last: string, branchId: number, type = 'full_time') =>
      (
        await admin.post(
          '/api/v1/users',
          validUser({ username, first_name: first, last_name: last, branch_id: branchId, user_type: type }),
        )
      ).json<User>();
    await mk('list.one', 'بهرام', 'علیپور', branchD.id);
    await mk('list.two', 'زینب', 'قبادیان', branchD.id, 'part_time');
    const search = async (q: string) =>
      (await admin.get(`/api/v1/users?q=${encodeURIComponent(q)}&page_size=100`)).json<{
        items: User[];
        total: number;
      }>();
    expect((await search('علي')).items.map((u) => u.username)).toContain('list.one');
    expect((await search('قباديان')).items.map((u) => u.username)).toEqual(['list.two']);
    expect((await search('LIST.TWO')).items.map((u) => u.username)).toEqual(['list.two']);
    expect((await search('۵۱۰۱')).items.map((u) => u.username).sort()).toEqual(['list.one', 'list.two']);
    expect((await search('خراسان')).total).toBe(2);
    expect((await search('پاره وقت')).items.map((u) => u.username)).toContain('list.two');
    expect((await search('پاره وقت')).items.map((u) => u.username)).not.toContain('list.one');
    const byGroup = await search('وصول مطالبات');
    expect(byGroup.items.map((u) => u.username)).toEqual(expect.arrayContaining(['list.one', 'list.two']));
    expect(byGroup.items.every((u) => u.groups.some((g) => g.title.includes('وصول مطالبات')))).toBe(true);
    expect(byGroup.items.map((u) => u.username)).not.toContain('prov.p1');

    const page = (
      await admin.get(`/api/v1/users?province_id=${p3.id}&sort=username&order=desc&page=2&page_size=1`)
    ).json<{ items: User[]; total: number }>();
    expect(page.total).toBe(2);
    expect(page.items.map((u) => u.username)).toEqual(['list.one']);
    const item = page.items[0]!;
    expect(item).toMatchObject({
      branch_code: '5101',
      province_code: '51',
      first_name: 'بهرام',
      last_name: 'علیپور',
      user_type: 'full_time',
    });
  });

  it('answers 409 to a stale edit instead of overwriting, and audits the update with before and after', async () => {
    const created = (await admin.post('/api/v1/users', validUser())).json<User>();
    const first = await admin.patch(`/api/v1/users/${created.id}`, {
      first_name: 'نام اول',
      group_ids: [OFFICER, BRANCH_MANAGER],
      version: 1,
    });
    expect(first.statusCode).toBe(200);
    expect(first.json<User>()).toMatchObject({ first_name: 'نام اول', version: 2 });
    expect(
      first
        .json<User>()
        .groups.map((g) => g.id)
        .sort(),
    ).toEqual([OFFICER, BRANCH_MANAGER].sort());
    const second = await admin.patch(`/api/v1/users/${created.id}`, {
      first_name: 'نام دوم',
      group_ids: [OFFICER],
      version: 1,
    });
    expect(second.statusCode).toBe(409);
    expect(second.json<ErrorBody>().error.code).toBe('stale_edit');
    const now = (await admin.get(`/api/v1/users/${created.id}`)).json<User>();
    expect(now.first_name).toBe('نام اول');
    expect(now.groups).toHaveLength(2);
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity', '=', 'user')
      .where('entity_id', '=', String(created.id))
      .orderBy('id')
      .execute();
    expect(rows.map((r) => r.action)).toEqual(['create', 'update']);
    expect((rows[1]!.before as User).first_name).toBe('رضا');
    expect((rows[1]!.after as User).first_name).toBe('نام اول');
  });

  it('moves a user to a province (no branch) and to HQ (neither)', async () => {
    const created = (await admin.post('/api/v1/users', validUser())).json<User>();
    const toProvince = (
      await admin.patch(`/api/v1/users/${created.id}`, { branch_id: null, province_id: p2.id, version: 1 })
    ).json<User>();
    expect(toProvince).toMatchObject({ branch_id: null, province_id: p2.id, province_code: '73' });
    const toHq = (
      await admin.patch(`/api/v1/users/${created.id}`, { branch_id: null, province_id: null, version: 2 })
    ).json<User>();
    expect(toHq).toMatchObject({ branch_id: null, province_id: null });
  });

  it('multi-deletes, refuses to delete oneself (nothing deleted), and ends the deleted users’ sessions', async () => {
    const a = (await admin.post('/api/v1/users', validUser({ username: 'del.a' }))).json<User>();
    const b = (await admin.post('/api/v1/users', validUser({ username: 'del.b' }))).json<User>();
    const sessionA = await logIn(app, 'del.a', 'a-long-password-1');
    expect((await sessionA.get('/api/v1/auth/me')).statusCode).toBe(200);

    const self = await admin.post('/api/v1/users/delete', { ids: [a.id, admin.user.id] });
    expect(self.statusCode).toBe(409);
    expect(self.json<ErrorBody>().error.message).toMatch(PERSIAN);
    expect(await exists(a.id)).toBe(true);

    expect((await admin.post('/api/v1/users/delete', { ids: [a.id, b.id] })).statusCode).toBe(204);
    expect(await exists(a.id)).toBe(false);
    expect(await exists(b.id)).toBe(false);
    expect((await sessionA.get('/api/v1/auth/me')).statusCode).toBe(401);
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'before'])
      .where('entity', '=', 'user')
      .where('entity_id', '=', String(a.id))
      .where('action', '=', 'delete')
      .executeTakeFirst();
    expect((audit!.before as User).username).toBe('del.a');
  });

  it('exports the filtered list to Excel with Persian headers', async () => {
    const res = await admin.get(`/api/v1/users/export?q=${encodeURIComponent('خراسان')}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe('نام کاربری');
    expect(sheet.getRow(1).getCell(4).value).toBe('نوع کاربر');
    expect(sheet.rowCount).toBe(3);
    expect([sheet.getRow(2).getCell(1).value, sheet.getRow(3).getCell(1).value].sort()).toEqual([
      'list.one',
      'list.two',
    ]);
    expect(sheet.getRow(2).getCell(5).value).toBe('5101');
  });
});

describe('V4: an administrator sets a user’s password', () => {
  it('sets it, ends that user’s sessions, and the new password works (the old does not)', async () => {
    const target = (await admin.post('/api/v1/users', validUser({ username: 'pw.target' }))).json<User>();
    const before = await logIn(app, 'pw.target', 'a-long-password-1');
    const res = await admin.post(`/api/v1/users/${target.id}/password`, {
      new_password: 'brand-new-pass-2',
      repeat_password: 'brand-new-pass-2',
    });
    expect(res.statusCode).toBe(204);
    expect((await before.get('/api/v1/auth/me')).statusCode).toBe(401);
    await expect(logIn(app, 'pw.target', 'a-long-password-1')).rejects.toThrow();
    expect((await logIn(app, 'pw.target', 'brand-new-pass-2')).user.id).toBe(target.id);
    const audit = await db
      .selectFrom('audit_log')
      .select('after')
      .where('entity', '=', 'user')
      .where('entity_id', '=', String(target.id))
      .where('action', '=', 'update')
      .execute();
    expect(JSON.stringify(audit)).not.toContain('brand-new-pass-2');
  });

  it('refuses a mismatched repeat, a short password and one equal to the username, naming the field', async () => {
    const target = (await admin.post('/api/v1/users', validUser({ username: 'pw.rules' }))).json<User>();
    const cases: [object, string][] = [
      [{ new_password: 'brand-new-pass-2', repeat_password: 'brand-new-pass-3' }, 'repeat_password'],
      [{ new_password: 'short', repeat_password: 'short' }, 'new_password'],
      [{ new_password: 'PW.RULES', repeat_password: 'PW.RULES' }, 'new_password'],
    ];
    for (const [body, field] of cases) {
      const res = await admin.post(`/api/v1/users/${target.id}/password`, body);
      expect(res.statusCode).toBe(400);
      expect(res.json<ErrorBody>().error.field).toBe(field);
    }
    expect((await logIn(app, 'pw.rules', 'a-long-password-1')).user.id).toBe(target.id);
  });
});

// A branch manager at A; users at A1 (sub-branch), B (next branch), C (other province), a province user of P1, an HQ user.
const mgr = await factory.user(db, { username: 'mgr.a', group: 'branch_manager', branchId: branchA.id });
const atA1 = await factory.user(db, {
  username: 'officer.a1',
  group: 'collection_officer',
  branchId: branchA1.id,
});
const atB = await factory.user(db, {
  username: 'officer.b',
  group: 'collection_officer',
  branchId: branchB.id,
});
const atC = await factory.user(db, {
  username: 'officer.c',
  group: 'collection_officer',
  branchId: branchC.id,
});
await factory.user(db, { username: 'prov.p1', group: 'province_admin', provinceId: p1.id });
const strongAtA = await factory.user(db, { username: 'strong.a', group: 'hq_admin', branchId: branchA.id });

describe('scope and privilege escalation (an attacker from the next branch)', () => {
  let m: Session;
  let prov: Session;

  it('a branch manager lists only the users of its branch and sub-branches', async () => {
    m = await logIn(app, 'mgr.a', 'password-1234');
    const list = (await m.get('/api/v1/users?page_size=500')).json<{ items: User[] }>();
    const names = list.items.map((u) => u.username);
    expect(names).toEqual(expect.arrayContaining(['mgr.a', 'officer.a1', 'strong.a']));
    for (const outside of ['officer.b', 'officer.c', 'prov.p1', 'admin'])
      expect(names).not.toContain(outside);
    expect(list.items.every((u) => u.branch_id === branchA.id || u.branch_id === branchA1.id)).toBe(true);
    // Searching does not widen the scope.
    expect((await m.get('/api/v1/users?q=officer.b')).json<{ total: number }>().total).toBe(0);
    const exported = await m.get('/api/v1/users/export');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(exported.rawPayload as unknown as ArrayBuffer);
    const col = workbook.worksheets[0]!.getColumn(1).values.slice(2);
    expect(col).not.toContain('officer.b');
  });

  it('answers 404 for every action on a user of the next branch, and changes nothing', async () => {
    const id = atB.id;
    expect((await m.get(`/api/v1/users/${id}`)).statusCode).toBe(404);
    expect((await m.patch(`/api/v1/users/${id}`, { first_name: 'hijack', version: 1 })).statusCode).toBe(404);
    expect(
      (
        await m.post(`/api/v1/users/${id}/password`, {
          new_password: 'hijacked-pass-1',
          repeat_password: 'hijacked-pass-1',
        })
      ).statusCode,
    ).toBe(404);
    expect((await m.post('/api/v1/users/delete', { ids: [atA1.id, id] })).statusCode).toBe(404);
    expect((await m.get(`/api/v1/users/${id}/photo`)).statusCode).toBe(404);
    expect(
      (
        await uploadFile(app, m, 'PUT', `/api/v1/users/${id}/photo`, {
          content: PNG,
          name: 'x.png',
          type: 'image/png',
        })
      ).statusCode,
    ).toBe(404);
    expect((await send(app, m, 'DELETE', `/api/v1/users/${id}/photo`)).statusCode).toBe(404);
    expect(await exists(atA1.id)).toBe(true);
    const row = await db
      .selectFrom('users')
      .select(['first_name', 'password_hash', 'version'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.first_name).toBe('کاربر');
    expect(row.version).toBe(1);
    expect((await logIn(app, 'officer.b', 'password-1234')).user.id).toBe(id);
  });

  it('creates users only inside its branch tree, never at another branch, a province or HQ', async () => {
    expect((await m.post('/api/v1/users', validUser({ branch_id: branchA1.id }))).statusCode).toBe(201);
    const refused: [Record<string, unknown>, string][] = [
      [{ branch_id: branchB.id }, 'branch_id'],
      [{ branch_id: branchC.id }, 'branch_id'],
      [{ branch_id: null, province_id: p1.id }, 'branch_id'],
      [{ branch_id: null, province_id: null }, 'branch_id'],
      [{ branch_id: branchA.id, province_id: p2.id }, 'province_id'],
    ];
    for (const [over, field] of refused) {
      const res = await m.post('/api/v1/users', validUser({ username: 'escape.try', ...over }));
      expect({ over, status: res.statusCode, field: res.json<ErrorBody>().error.field }).toEqual({
        over,
        status: 400,
        field,
      });
    }
    expect(
      await db.selectFrom('users').select('id').where('username', '=', 'escape.try').executeTakeFirst(),
    ).toBeUndefined();
  });

  it('cannot grant a group holding pages it lacks, on create or edit', async () => {
    const escalate = await m.post(
      '/api/v1/users',
      validUser({ username: 'escalated', group_ids: [HQ_ADMIN] }),
    );
    expect(escalate.statusCode).toBe(403);
    expect(escalate.json<ErrorBody>().error.field).toBe('group_ids');
    expect(
      await db.selectFrom('users').select('id').where('username', '=', 'escalated').executeTakeFirst(),
    ).toBeUndefined();
    // Not even onto itself.
    const self = (await m.get(`/api/v1/users/${mgr.id}`)).json<User>();
    expect(
      (
        await m.patch(`/api/v1/users/${mgr.id}`, {
          group_ids: [BRANCH_MANAGER, HQ_ADMIN],
          version: self.version,
        })
      ).statusCode,
    ).toBe(403);
    const officer = (await m.get(`/api/v1/users/${atA1.id}`)).json<User>();
    expect(
      (await m.patch(`/api/v1/users/${atA1.id}`, { group_ids: [HQ_ADMIN], version: officer.version }))
        .statusCode,
    ).toBe(403);
    expect((await m.get(`/api/v1/users/${atA1.id}`)).json<User>().groups.map((g) => g.id)).toEqual([OFFICER]);
    // A group within its own pages is fine.
    expect(
      (
        await m.patch(`/api/v1/users/${atA1.id}`, {
          group_ids: [OFFICER, BRANCH_MANAGER],
          version: officer.version,
        })
      ).statusCode,
    ).toBe(200);
  });

  it('cannot move a user of its branch to another branch', async () => {
    const officer = (await m.get(`/api/v1/users/${atA1.id}`)).json<User>();
    const res = await m.patch(`/api/v1/users/${atA1.id}`, {
      branch_id: branchB.id,
      version: officer.version,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error.field).toBe('branch_id');
    expect((await m.get(`/api/v1/users/${atA1.id}`)).json<User>().branch_id).toBe(branchA1.id);
  });

  it('cannot take over a stronger account placed in its branch (edit, password, photo, delete: 403)', async () => {
    const strong = (await m.get(`/api/v1/users/${strongAtA.id}`)).json<User>();
    expect(strong.username).toBe('strong.a');
    expect(
      (await m.patch(`/api/v1/users/${strongAtA.id}`, { email: 'x@y.ir', version: strong.version }))
        .statusCode,
    ).toBe(403);
    expect(
      (
        await m.post(`/api/v1/users/${strongAtA.id}/password`, {
          new_password: 'taken-over-pass',
          repeat_password: 'taken-over-pass',
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await uploadFile(app, m, 'PUT', `/api/v1/users/${strongAtA.id}/photo`, {
          content: PNG,
          name: 'x.png',
        })
      ).statusCode,
    ).toBe(403);
    expect((await m.post('/api/v1/users/delete', { ids: [strongAtA.id] })).statusCode).toBe(403);
    expect(await exists(strongAtA.id)).toBe(true);
    expect((await logIn(app, 'strong.a', 'password-1234')).user.id).toBe(strongAtA.id);
  });

  it('a province admin sees and manages its province only', async () => {
    prov = await logIn(app, 'prov.p1', 'password-1234');
    const names = (await prov.get('/api/v1/users?page_size=500'))
      .json<{ items: User[] }>()
      .items.map((u) => u.username);
    expect(names).toEqual(expect.arrayContaining(['mgr.a', 'officer.a1', 'officer.b', 'prov.p1']));
    expect(names).not.toContain('officer.c');
    expect(names).not.toContain('admin');
    expect((await prov.get(`/api/v1/users/${atC.id}`)).statusCode).toBe(404);
    expect((await prov.get(`/api/v1/users/${atB.id}`)).statusCode).toBe(200);
    expect((await prov.post('/api/v1/users', validUser({ branch_id: branchB.id }))).statusCode).toBe(201);
    expect(
      (await prov.post('/api/v1/users', validUser({ branch_id: null, province_id: p1.id }))).statusCode,
    ).toBe(201);
    const refused: [Record<string, unknown>, string][] = [
      [{ branch_id: branchC.id }, 'branch_id'],
      [{ branch_id: null, province_id: p2.id }, 'province_id'],
      [{ branch_id: null, province_id: null }, 'branch_id'],
    ];
    for (const [over, field] of refused) {
      const res = await prov.post('/api/v1/users', validUser({ ...over }));
      expect({ over, status: res.statusCode, field: res.json<ErrorBody>().error.field }).toEqual({
        over,
        status: 400,
        field,
      });
    }
  });

  it('HQ sees everyone', async () => {
    const names = (await admin.get('/api/v1/users?page_size=500'))
      .json<{ items: User[] }>()
      .items.map((u) => u.username);
    expect(names).toEqual(expect.arrayContaining(['admin', 'officer.b', 'officer.c', 'prov.p1', 'mgr.a']));
  });
});

// ---- photo ------------------------------------------------------------------------------------

// A 1×1 PNG, and the first bytes of a JPEG and a WebP.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);
const JPEG = Buffer.concat([Buffer.from('ffd8ffe000104a46494600', 'hex'), Buffer.alloc(200, 1)]);
const WEBP = Buffer.concat([
  Buffer.from('RIFF'),
  Buffer.from([0x20, 0, 0, 0]),
  Buffer.from('WEBPVP8 '),
  Buffer.alloc(40, 2),
]);

describe('user photo', () => {
  it('stores an image checked by its bytes, serves it with its type, replaces and removes it', async () => {
    const user = (await admin.post('/api/v1/users', validUser())).json<User>();
    const put = await uploadFile(app, admin, 'PUT', `/api/v1/users/${user.id}/photo`, {
      content: PNG,
      name: 'me.png',
      type: 'image/png',
    });
    expect(put.statusCode).toBe(200);
    expect(put.json<User>().has_photo).toBe(true);
    expect(put.json<User>().version).toBe(user.version); // a photo does not make an open edit form stale
    const got = await admin.get(`/api/v1/users/${user.id}/photo`);
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('image/png');
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.compare(got.rawPayload, PNG)).toBe(0);

    // Named .png and declared as PNG, but a JPEG/WebP by content: stored with the real type.
    await uploadFile(app, admin, 'PUT', `/api/v1/users/${user.id}/photo`, {
      content: JPEG,
      name: 'me.png',
      type: 'image/png',
    });
    expect((await admin.get(`/api/v1/users/${user.id}/photo`)).headers['content-type']).toBe('image/jpeg');
    await uploadFile(app, admin, 'PUT', `/api/v1/users/${user.id}/photo`, { content: WEBP, name: 'me.webp' });
    expect((await admin.get(`/api/v1/users/${user.id}/photo`)).headers['content-type']).toBe('image/webp');
    // The replaced files are gone.
    const files = await db
      .selectFrom('stored_files')
      .select('id')
      .where('media_type', 'like', 'image/%')
      .execute();
    const photoId = (
      await db.selectFrom('users').select('photo_file_id').where('id', '=', user.id).executeTakeFirstOrThrow()
    ).photo_file_id;
    expect(files.map((f) => f.id)).toContain(photoId);
    expect(files.filter((f) => f.id !== photoId).length).toBe(0);

    expect((await send(app, admin, 'DELETE', `/api/v1/users/${user.id}/photo`)).statusCode).toBe(204);
    expect((await admin.get(`/api/v1/users/${user.id}/photo`)).statusCode).toBe(404);
    expect(
      await db.selectFrom('stored_files').select('id').where('id', '=', photoId!).executeTakeFirst(),
    ).toBeUndefined();
    const audit = await db
      .selectFrom('audit_log')
      .select('after')
      .where('entity', '=', 'user')
      .where('entity_id', '=', String(user.id))
      .where('action', '=', 'update')
      .execute();
    expect(audit.length).toBe(4);
  });

  it('refuses a non-image whatever its name or declared type (415, Persian), and one over 1 MB (413)', async () => {
    const user = (await admin.post('/api/v1/users', validUser())).json<User>();
    const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\n');
    const TEXT = Buffer.from('hello, this is not a photo');
    for (const [content, name, type] of [
      [PDF, 'photo.jpg', 'image/jpeg'],
      [TEXT, 'photo.png', 'image/png'],
      [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'photo.svg', 'image/svg+xml'],
    ] as const) {
      const res = await uploadFile(app, admin, 'PUT', `/api/v1/users/${user.id}/photo`, {
        content,
        name,
        type,
      });
      expect({ name, status: res.statusCode }).toEqual({ name, status: 415 });
      expect(res.json<ErrorBody>().error.message).toMatch(PERSIAN);
    }
    const big = Buffer.concat([JPEG, Buffer.alloc(1024 * 1024, 0)]);
    const tooBig = await uploadFile(app, admin, 'PUT', `/api/v1/users/${user.id}/photo`, {
      content: big,
      name: 'big.jpg',
      type: 'image/jpeg',
    });
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json<ErrorBody>().error.message).toMatch(PERSIAN);
    const notMultipart = await send(app, admin, 'PUT', `/api/v1/users/${user.id}/photo`, { photo: 'x' });
    expect(notMultipart.statusCode).toBe(400);
    expect((await admin.get(`/api/v1/users/${user.id}`)).json<User>().has_photo).toBe(false);
  });
});
