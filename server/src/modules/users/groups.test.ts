import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { PAGES } from '@vosul/common';
import { factory, logIn, logInAsAdmin, setupTestApp } from '../../../test/harness.js';

const { app, db } = await setupTestApp();
const admin = await logInAsAdmin(app);

interface Group {
  id: number;
  code: string | null;
  title: string;
  predefined: boolean;
  pages: string[];
  needs_approval: boolean;
  user_count: number;
  grantable: boolean;
  version: number;
}
interface ErrorBody {
  error: {
    code: string;
    message: string;
    field?: string;
    details?: { in_use?: { id: number; title: string; users: number }[] };
  };
}

const groupByCode = async (code: string) =>
  (await admin.get('/api/v1/groups?page_size=500'))
    .json<{ items: Group[] }>()
    .items.find((g) => g.code === code)!;

/** A user holding one group by id (factory users hold a predefined one; this swaps it). */
async function userWithGroup(
  username: string,
  groupId: number,
  place: { branchId?: number; provinceId?: number } = {},
) {
  const user = await factory.user(db, { username, ...place });
  await db.deleteFrom('user_groups').where('user_id', '=', user.id).execute();
  await db.insertInto('user_groups').values({ user_id: user.id, group_id: groupId }).execute();
  return user;
}

describe('the page catalogue', () => {
  it('lists every page once, by menu section with Persian titles, marked grantable for the caller', async () => {
    const res = await admin.get('/api/v1/pages');
    expect(res.statusCode).toBe(200);
    const { sections } = res.json<{
      sections: { key: string; title: string; pages: { key: string; title: string; grantable: boolean }[] }[];
    }>();
    expect(sections[0]).toMatchObject({ key: 'system', title: 'مدیریت سیستم' });
    expect(sections[0]!.pages.slice(0, 3).map((p) => p.title)).toEqual([
      'گروه‌ها',
      'کاربران',
      'جادوی کاربری',
    ]);
    const all = sections.flatMap((s) => s.pages.map((p) => p.key));
    expect(all.sort()).toEqual(PAGES.map((p) => p.key).sort());
    expect(sections.every((s) => s.pages.every((p) => p.grantable))).toBe(true);
  });
});

describe('access groups (V2)', () => {
  it('creates a group with a normalised title and its pages, and refuses bad input naming the field', async () => {
    const res = await admin.post('/api/v1/groups', {
      title: 'كارشناس گزارش‌ها',
      pages: ['login_report', 'audit_log', 'login_report'],
      needs_approval: true,
    });
    expect(res.statusCode).toBe(201);
    const group = res.json<Group>();
    expect(group).toMatchObject({
      title: 'کارشناس گزارش‌ها',
      predefined: false,
      code: null,
      needs_approval: true,
      user_count: 0,
      version: 1,
    });
    expect(group.pages.sort()).toEqual(['audit_log', 'login_report']);
    // the list says whether the group's case changes need approval (its «نیاز به تأیید» column)
    const listed = (await admin.get(`/api/v1/groups?q=${encodeURIComponent('کارشناس گزارش‌ها')}`)).json<{
      items: Group[];
    }>().items;
    expect(listed.map((g) => [g.title, g.needs_approval])).toEqual([['کارشناس گزارش‌ها', true]]);

    const cases: [object, string, number][] = [
      [{ title: '', pages: ['users'] }, 'title', 400],
      [{ title: 'گروه بی‌صفحه', pages: [] }, 'pages', 400],
      [{ title: 'گروه نادرست', pages: ['users', 'no_such_page'] }, 'pages.1', 400],
      [{ title: 'کارشناس گزارش‌ها', pages: ['users'] }, 'title', 409],
    ];
    for (const [body, field, status] of cases) {
      const bad = await admin.post('/api/v1/groups', body);
      expect({ body, status: bad.statusCode, field: bad.json<ErrorBody>().error.field }).toEqual({
        body,
        status,
        field,
      });
    }
    expect(
      (await admin.get(`/api/v1/groups?q=${encodeURIComponent('گروه نادرست')}`)).json<{ total: number }>()
        .total,
    ).toBe(0);
  });

  it('edits with the version: pages replaced, stale edit 409; the holders’ pages change at once', async () => {
    const group = (
      await admin.post('/api/v1/groups', { title: 'گروه ویرایشی', pages: ['loan_types'] })
    ).json<Group>();
    await userWithGroup('holder.edit', group.id);
    const holder = await logIn(app, 'holder.edit', 'password-1234');
    expect((await holder.get('/api/v1/loan-types')).statusCode).toBe(200);
    expect((await holder.get('/api/v1/branches')).statusCode).toBe(403);

    const first = await admin.patch(`/api/v1/groups/${group.id}`, { pages: ['branches'], version: 1 });
    expect(first.statusCode).toBe(200);
    expect(first.json<Group>()).toMatchObject({ pages: ['branches'], version: 2, user_count: 1 });
    const stale = await admin.patch(`/api/v1/groups/${group.id}`, { title: 'دیر رسیده', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json<ErrorBody>().error.code).toBe('stale_edit');
    expect((await admin.get(`/api/v1/groups/${group.id}`)).json<Group>().title).toBe('گروه ویرایشی');

    expect((await holder.get('/api/v1/branches')).statusCode).toBe(200);
    expect((await holder.get('/api/v1/loan-types')).statusCode).toBe(403);
  });

  it('refuses to delete a group still held (409 naming it and how many hold it) and deletes none of the selection', async () => {
    const held = (
      await admin.post('/api/v1/groups', { title: 'گروه در حال استفاده', pages: ['branches'] })
    ).json<Group>();
    const free = (
      await admin.post('/api/v1/groups', { title: 'گروه آزاد', pages: ['branches'] })
    ).json<Group>();
    await userWithGroup('holder.one', held.id);
    await userWithGroup('holder.two', held.id);
    const res = await admin.post('/api/v1/groups/delete', { ids: [free.id, held.id] });
    expect(res.statusCode).toBe(409);
    const error = res.json<ErrorBody>().error;
    expect(error.code).toBe('in_use');
    expect(error.message).toContain('گروه در حال استفاده');
    expect(error.message).toContain('۲ کاربر');
    expect(error.details?.in_use).toEqual([{ id: held.id, title: 'گروه در حال استفاده', users: 2 }]);
    expect((await admin.get(`/api/v1/groups/${free.id}`)).statusCode).toBe(200);
    expect((await admin.get(`/api/v1/groups/${held.id}`)).statusCode).toBe(200);

    expect((await admin.post('/api/v1/groups/delete', { ids: [free.id] })).statusCode).toBe(204);
    expect((await admin.get(`/api/v1/groups/${free.id}`)).statusCode).toBe(404);
  });

  it('lets predefined groups be edited but never deleted', async () => {
    const officer = await groupByCode('collection_officer');
    expect(officer.predefined).toBe(true);
    const edited = await admin.patch(`/api/v1/groups/${officer.id}`, {
      title: 'کارشناس وصول مطالبات',
      version: officer.version,
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json<Group>()).toMatchObject({ title: 'کارشناس وصول مطالبات', code: 'collection_officer' });
    // Deleting a predefined group is refused even when nobody holds it.
    const province = await groupByCode('province_admin');
    const res = await admin.post('/api/v1/groups/delete', { ids: [province.id] });
    expect(res.statusCode).toBe(409);
    expect(res.json<ErrorBody>().error.message).toContain(province.title);
    expect((await admin.get(`/api/v1/groups/${province.id}`)).statusCode).toBe(200);
  });

  it('audits create, update and delete with the pages before and after', async () => {
    const group = (
      await admin.post('/api/v1/groups', { title: 'گروه ممیزی', pages: ['provinces'] })
    ).json<Group>();
    await admin.patch(`/api/v1/groups/${group.id}`, { pages: ['provinces', 'branches'], version: 1 });
    await admin.post('/api/v1/groups/delete', { ids: [group.id] });
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity', '=', 'access_group')
      .where('entity_id', '=', String(group.id))
      .orderBy('id')
      .execute();
    expect(rows.map((r) => r.action)).toEqual(['create', 'update', 'delete']);
    expect((rows[1]!.before as Group).pages).toEqual(['provinces']);
    expect((rows[1]!.after as Group).pages.sort()).toEqual(['branches', 'provinces']);
    expect(rows[2]!.actor_username).toBe('admin');
  });

  it('exports the groups to Excel', async () => {
    const res = await admin.get(`/api/v1/groups/export?q=${encodeURIComponent('مدیران')}`);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe('عنوان گروه دسترسی');
    expect(sheet.getRow(2).getCell(1).value).toBe('مدیران شعب');
    expect(sheet.getRow(2).getCell(5).text).toContain('کاربران');
  });
});

describe('no escalation through groups', () => {
  it('offers a user only the groups within its own pages (grantable)', async () => {
    const branch = await factory.branch(db);
    await factory.user(db, { username: 'mgr.groups', group: 'branch_manager', branchId: branch.id });
    const m = await logIn(app, 'mgr.groups', 'password-1234');
    const offered = (await m.get('/api/v1/groups?grantable=true&page_size=500')).json<{ items: Group[] }>()
      .items;
    const codes = offered.map((g) => g.code);
    expect(codes).toEqual(expect.arrayContaining(['branch_manager', 'collection_officer']));
    expect(codes).not.toContain('hq_admin');
    expect(offered.every((g) => g.grantable)).toBe(true);
    // The group pages themselves are not open to a branch manager.
    expect((await m.get('/api/v1/pages')).statusCode).toBe(403);
    expect((await m.post('/api/v1/groups', { title: 'x', pages: ['users'] })).statusCode).toBe(403);
  });

  it('an HQ user with the groups page cannot create or widen a group beyond its own pages', async () => {
    const limited = (
      await admin.post('/api/v1/groups', {
        title: 'مدیر گروه‌ها (محدود)',
        pages: ['groups', 'users', 'branches'],
      })
    ).json<Group>();
    await userWithGroup('limited.hq', limited.id);
    const s = await logIn(app, 'limited.hq', 'password-1234');
    const catalogue = (await s.get('/api/v1/pages')).json<{
      sections: { pages: { key: string; grantable: boolean }[] }[];
    }>();
    const grantable = catalogue.sections
      .flatMap((x) => x.pages)
      .filter((p) => p.grantable)
      .map((p) => p.key);
    expect(grantable.sort()).toEqual(['branches', 'groups', 'users']);

    const wider = await s.post('/api/v1/groups', { title: 'راه فرار', pages: ['users', 'audit_log'] });
    expect(wider.statusCode).toBe(403);
    expect(wider.json<ErrorBody>().error.message).toContain('گزارش تغییرات');
    expect(
      (await s.post('/api/v1/groups', { title: 'زیرمجموعه مجاز', pages: ['branches'] })).statusCode,
    ).toBe(201);
    // Nor add pages to its own group, nor touch a group stronger than itself.
    const own = (await s.get(`/api/v1/groups/${limited.id}`)).json<Group>();
    expect(
      (
        await s.patch(`/api/v1/groups/${limited.id}`, {
          pages: [...own.pages, 'system_settings'],
          version: own.version,
        })
      ).statusCode,
    ).toBe(403);
    const hq = await groupByCode('hq_admin');
    expect(
      (await s.patch(`/api/v1/groups/${hq.id}`, { pages: ['users'], version: hq.version })).statusCode,
    ).toBe(403);
    expect((await admin.get(`/api/v1/groups/${hq.id}`)).json<Group>().pages.length).toBe(PAGES.length);
  });

  it('a branch or province user with the groups page may not change the organisation-wide groups', async () => {
    const editor = (
      await admin.post('/api/v1/groups', { title: 'ویرایشگر گروه شعبه', pages: ['groups', 'users'] })
    ).json<Group>();
    const branch = await factory.branch(db);
    await userWithGroup('branch.groups', editor.id, { branchId: branch.id });
    const s = await logIn(app, 'branch.groups', 'password-1234');
    expect((await s.get('/api/v1/groups')).statusCode).toBe(200);
    const res = await s.post('/api/v1/groups', { title: 'گروه شعبه', pages: ['users'] });
    expect(res.statusCode).toBe(403);
    expect(res.json<ErrorBody>().error.message).toContain('ستاد');
  });
});
