import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { factory, logIn, logInAsAdmin, setupTestApp } from '../../../test/harness.js';

const { app, db } = await setupTestApp();
const admin = await logInAsAdmin(app);

interface Branch {
  id: number;
  code: string;
  name: string;
  province_id: number;
  parent_id: number | null;
  ip: string | null;
  version: number;
}

describe('provinces and branches (V11)', () => {
  it('creates a province and a branch with a sub-branch; normalises Persian digits and Arabic letters', async () => {
    const p = await admin.post('/api/v1/provinces', { code: '۹۶', name: 'تهران (غرب)' });
    expect(p.statusCode).toBe(201);
    const province = p.json<{ id: number; code: string }>();
    expect(province.code).toBe('96');
    const b = await admin.post('/api/v1/branches', {
      code: '6140',
      name: 'اكباتان تهران',
      province_id: province.id,
      ip: '10.10.1.0/24',
    });
    expect(b.statusCode).toBe(201);
    const branch = b.json<Branch>();
    expect(branch.name).toBe('اکباتان تهران');
    const sub = await admin.post('/api/v1/branches', {
      code: '6141',
      name: 'باجه اکباتان',
      province_id: province.id,
      parent_id: branch.id,
    });
    expect(sub.json<Branch & { parent_code: string }>().parent_code).toBe('6140');
  });

  it('searches by name or code, with Arabic ي/ك and Persian digits, and pages on the server', async () => {
    const byName = await admin.get(`/api/v1/branches?q=${encodeURIComponent('اكباتان')}`);
    expect(byName.json<{ total: number }>().total).toBe(2);
    const byCode = await admin.get(`/api/v1/branches?q=${encodeURIComponent('۶۱۴۰')}`);
    expect(byCode.json<{ items: Branch[] }>().items.map((b) => b.code)).toEqual(['6140']);
    const paged = await admin.get('/api/v1/branches?page=2&page_size=1&sort=code&order=asc');
    const page = paged.json<{ items: Branch[]; total: number }>();
    expect(page.total).toBe(2);
    expect(page.items.map((b) => b.code)).toEqual(['6141']);
  });

  it('rejects bad fields with 400 naming the field, and saves nothing', async () => {
    const province = await factory.province(db);
    const cases: [object, string][] = [
      [{ code: '', name: 'x', province_id: province.id }, 'code'],
      [{ code: '7001', name: '', province_id: province.id }, 'name'],
      [{ code: '7001', name: 'x' }, 'province_id'],
      [{ code: '7001', name: 'x', province_id: province.id, ip: '300.1.1.1' }, 'ip'],
      [{ code: '7001', name: 'x', province_id: 999999 }, 'province_id'],
      [{ code: '6140', name: 'x', province_id: province.id }, 'code'],
    ];
    for (const [body, field] of cases) {
      const res = await admin.post('/api/v1/branches', body);
      expect([400, 409]).toContain(res.statusCode);
      expect(res.json<{ error: { field: string; message: string } }>().error.field).toBe(field);
    }
    expect(
      await db.selectFrom('branches').select('id').where('code', '=', '7001').executeTakeFirst(),
    ).toBeUndefined();
  });

  it('refuses a parent in another province and a cycle', async () => {
    const [a, b] = await Promise.all([factory.province(db), factory.province(db)]);
    const parent = await factory.branch(db, { provinceId: a.id });
    const child = await factory.branch(db, { provinceId: a.id, parentId: parent.id });
    const other = await admin.post('/api/v1/branches', {
      code: 'X1',
      name: 'x',
      province_id: b.id,
      parent_id: parent.id,
    });
    expect(other.json<{ error: { field: string } }>().error.field).toBe('parent_id');
    const cycle = await admin.patch(`/api/v1/branches/${parent.id}`, { parent_id: child.id, version: 1 });
    expect(cycle.statusCode).toBe(400);
    expect(cycle.json<{ error: { field: string } }>().error.field).toBe('parent_id');
  });

  it('answers 409 to a stale edit instead of overwriting', async () => {
    const branch = await factory.branch(db);
    const first = await admin.patch(`/api/v1/branches/${branch.id}`, { name: 'نام اول', version: 1 });
    expect(first.statusCode).toBe(200);
    expect(first.json<Branch>().version).toBe(2);
    const second = await admin.patch(`/api/v1/branches/${branch.id}`, { name: 'نام دوم', version: 1 });
    expect(second.statusCode).toBe(409);
    expect(second.json<{ error: { code: string } }>().error.code).toBe('stale_edit');
    expect((await admin.get(`/api/v1/branches/${branch.id}`)).json<Branch>().name).toBe('نام اول');
  });

  it('refuses to delete a branch still in use, names it and the reason, and deletes none of the selection', async () => {
    const used = await factory.branch(db);
    const free = await factory.branch(db);
    await factory.user(db, { branchId: used.id, group: 'collection_officer' });
    const res = await admin.post('/api/v1/branches/delete', { ids: [free.id, used.id] });
    expect(res.statusCode).toBe(409);
    const error = res.json<{ error: { code: string; message: string } }>().error;
    expect(error.code).toBe('in_use');
    expect(error.message).toContain(used.code);
    expect(error.message).toContain('کاربر');
    expect(
      await db.selectFrom('branches').select('id').where('id', '=', free.id).executeTakeFirst(),
    ).toBeDefined();
    expect((await admin.post('/api/v1/branches/delete', { ids: [free.id] })).statusCode).toBe(204);
    expect((await admin.get(`/api/v1/branches/${free.id}`)).statusCode).toBe(404);
  });

  it('audits create, update and delete with before and after', async () => {
    const province = await factory.province(db);
    const created = (
      await admin.post('/api/v1/branches', { code: 'AUD1', name: 'ممیزی', province_id: province.id })
    ).json<Branch>();
    await admin.patch(`/api/v1/branches/${created.id}`, {
      address: 'خیابان آزادی',
      version: created.version,
    });
    await admin.post('/api/v1/branches/delete', { ids: [created.id] });
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity', '=', 'branch')
      .where('entity_id', '=', String(created.id))
      .orderBy('id')
      .execute();
    expect(rows.map((r) => r.action)).toEqual(['create', 'update', 'delete']);
    expect(rows[1]!.actor_username).toBe('admin');
    expect((rows[1]!.before as { address: string | null }).address).toBeNull();
    expect((rows[1]!.after as { address: string }).address).toBe('خیابان آزادی');
  });

  it('exports the filtered list to Excel', async () => {
    const res = await admin.get(`/api/v1/branches/export?q=6140`);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe('کد شعبه');
    expect(sheet.getRow(2).getCell(1).value).toBe('6140');
    expect(sheet.rowCount).toBe(2);
  });
});

describe('data scope', () => {
  it("a branch user sees its branch and sub-branches only; another branch's record by id is 404", async () => {
    const province = await factory.province(db);
    const home = await factory.branch(db, { provinceId: province.id });
    const sub = await factory.branch(db, { provinceId: province.id, parentId: home.id });
    const neighbour = await factory.branch(db, { provinceId: province.id });
    await factory.user(db, { username: 'branchmgr', group: 'hq_admin', branchId: home.id });
    const s = await logIn(app, 'branchmgr', 'password-1234');
    const list = (await s.get('/api/v1/branches?page_size=100')).json<{ items: Branch[] }>();
    expect(list.items.map((b) => b.id).sort()).toEqual([home.id, sub.id].sort());
    expect((await s.get(`/api/v1/branches/${neighbour.id}`)).statusCode).toBe(404);
    expect(
      (await s.patch(`/api/v1/branches/${neighbour.id}`, { name: 'hijack', version: 1 })).statusCode,
    ).toBe(404);
    expect((await s.post('/api/v1/branches/delete', { ids: [neighbour.id] })).statusCode).toBe(404);
  });

  it('a province user sees the branches of its province only', async () => {
    const [mine, theirs] = await Promise.all([factory.province(db), factory.province(db)]);
    const a = await factory.branch(db, { provinceId: mine.id });
    const b = await factory.branch(db, { provinceId: theirs.id });
    await factory.user(db, { username: 'provadmin', group: 'hq_admin', provinceId: mine.id });
    const s = await logIn(app, 'provadmin', 'password-1234');
    const ids = (await s.get('/api/v1/branches?page_size=500'))
      .json<{ items: Branch[] }>()
      .items.map((x) => x.id);
    expect(ids).toContain(a.id);
    expect(ids).not.toContain(b.id);
    expect((await s.get(`/api/v1/branches/${b.id}`)).statusCode).toBe(404);
    expect((await s.get(`/api/v1/provinces/${theirs.id}`)).statusCode).toBe(404);
  });
});
