import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { factory, logIn, logInAsAdmin, setupTestApp } from '../../../test/harness.js';

const { app, db } = await setupTestApp();
const admin = await logInAsAdmin(app);

interface Item {
  id: number;
  code: string;
  title: string;
  version: number;
}
type Page = { items: Item[]; total: number };
type ErrorBody = { error: { code: string; message: string; field?: string } };

for (const kind of [
  { api: '/api/v1/loan-types', entity: 'loan_type', label: 'نوع وام' },
  { api: '/api/v1/deposit-types', entity: 'deposit_type', label: 'نوع سپرده' },
]) {
  const { api } = kind;
  const create = async (code: string, title: string) => {
    const res = await admin.post(api, { code, title });
    expect(res.statusCode).toBe(201);
    return res.json<Item>();
  };

  describe(`${api} (V12, V31)`, () => {
    it('creates with Persian digits and Arabic letters normalised; reads back by id', async () => {
      const res = await admin.post(api, { code: '۱۰۱', title: ' قرض الحسنه ازدواج يكم ' });
      expect(res.statusCode).toBe(201);
      const item = res.json<Item>();
      expect(item).toMatchObject({ code: '101', title: 'قرض الحسنه ازدواج یکم', version: 1 });
      expect((await admin.get(`${api}/${item.id}`)).json<Item>()).toEqual(item);
      expect((await admin.get(`${api}/999999`)).statusCode).toBe(404);
    });

    it('searches code and title with Arabic ي/ك and Persian or Arabic-Indic digits', async () => {
      await create('102', 'مسکن جوانان');
      await create('2031', 'کالای ایرانی');
      const ids = async (q: string) =>
        (await admin.get(`${api}?q=${encodeURIComponent(q)}`))
          .json<Page>()
          .items.map((i) => i.code)
          .sort();
      expect(await ids('يكم')).toEqual(['101']);
      expect(await ids('كالاي')).toEqual(['2031']);
      expect(await ids('۱۰')).toEqual(['101', '102']);
      expect(await ids('١٠٢')).toEqual(['102']);
      expect(await ids('%')).toEqual([]);
    });

    it('pages and sorts on the server', async () => {
      const all = (await admin.get(`${api}?sort=code&order=asc&page_size=500`)).json<Page>();
      expect(all.items.map((i) => i.code)).toEqual([...all.items.map((i) => i.code)].sort());
      const second = (await admin.get(`${api}?sort=code&order=desc&page=2&page_size=1`)).json<Page>();
      expect(second.total).toBe(all.total);
      expect(second.items.map((i) => i.code)).toEqual([all.items[all.items.length - 2]!.code]);
      const byTitle = (await admin.get(`${api}?sort=title&order=asc&page_size=500`)).json<Page>();
      expect(byTitle.items.map((i) => i.title)).toEqual(
        [...byTitle.items.map((i) => i.title)].sort((a, b) => a.localeCompare(b, 'fa')),
      );
      const past = (await admin.get(`${api}?page=99&page_size=10`)).json<Page>();
      expect(past).toEqual({ items: [], total: all.total });
    });

    it('refuses a duplicate code with 409 naming the code, on create and on edit', async () => {
      const dup = await admin.post(api, { code: '۱۰۲', title: 'تکراری' });
      expect(dup.statusCode).toBe(409);
      const error = dup.json<ErrorBody>().error;
      expect(error).toMatchObject({ code: 'conflict', field: 'code' });
      expect(error.message).toContain('102');
      const other = await create('DUP-1', 'دیگری');
      const edit = await admin.patch(`${api}/${other.id}`, { code: '102', version: other.version });
      expect(edit.statusCode).toBe(409);
      expect(edit.json<ErrorBody>().error.field).toBe('code');
    });

    it('rejects bad fields with 400 naming the field', async () => {
      const cases: [object, string][] = [
        [{ code: '', title: 'x' }, 'code'],
        [{ code: 'کد', title: 'x' }, 'code'],
        [{ code: 'A'.repeat(21), title: 'x' }, 'code'],
        [{ code: 'X9', title: '   ' }, 'title'],
        [{ code: 'X9' }, 'title'],
        [{ code: 'X9', title: 'x'.repeat(201) }, 'title'],
      ];
      for (const [body, field] of cases) {
        const res = await admin.post(api, body);
        expect(res.statusCode).toBe(400);
        expect(res.json<ErrorBody>().error.field).toBe(field);
      }
      const item = await create('XA', 'ده');
      const noVersion = await admin.patch(`${api}/${item.id}`, { title: 'بی‌نسخه' });
      expect(noVersion.statusCode).toBe(400);
      expect(noVersion.json<ErrorBody>().error.field).toBe('version');
    });

    it('answers 409 to a stale edit and keeps the first save', async () => {
      const item = await create('ST1', 'اصلی');
      const first = await admin.patch(`${api}/${item.id}`, { title: 'اول', version: 1 });
      expect(first.statusCode).toBe(200);
      expect(first.json<Item>()).toMatchObject({ title: 'اول', version: 2 });
      const second = await admin.patch(`${api}/${item.id}`, { title: 'دوم', version: 1 });
      expect(second.statusCode).toBe(409);
      expect(second.json<ErrorBody>().error.code).toBe('stale_edit');
      expect((await admin.get(`${api}/${item.id}`)).json<Item>().title).toBe('اول');
      expect((await admin.patch(`${api}/999999`, { title: 'x', version: 1 })).statusCode).toBe(404);
    });

    it('deletes several at once; an unknown id deletes none of the selection', async () => {
      const a = await create('DEL1', 'حذفی یک');
      const b = await create('DEL2', 'حذفی دو');
      const bad = await admin.post(`${api}/delete`, { ids: [a.id, 999999] });
      expect(bad.statusCode).toBe(404);
      expect((await admin.get(`${api}/${a.id}`)).statusCode).toBe(200);
      expect((await admin.post(`${api}/delete`, { ids: [a.id, b.id] })).statusCode).toBe(204);
      expect((await admin.get(`${api}/${a.id}`)).statusCode).toBe(404);
      expect((await admin.get(`${api}/${b.id}`)).statusCode).toBe(404);
      expect((await admin.post(`${api}/delete`, { ids: [] })).statusCode).toBe(400);
    });

    it('audits create, update and delete with before and after', async () => {
      const item = await create('AUD1', 'ممیزی');
      await admin.patch(`${api}/${item.id}`, { title: 'ممیزی ۲', version: item.version });
      await admin.post(`${api}/delete`, { ids: [item.id] });
      const rows = await db
        .selectFrom('audit_log')
        .selectAll()
        .where('entity', '=', kind.entity)
        .where('entity_id', '=', String(item.id))
        .orderBy('id')
        .execute();
      expect(rows.map((r) => r.action)).toEqual(['create', 'update', 'delete']);
      expect(rows.every((r) => r.actor_username === 'admin')).toBe(true);
      expect(rows[0]!.before).toBeNull();
      expect(rows[1]!.before).toMatchObject({ title: 'ممیزی', version: 1 });
      expect(rows[1]!.after).toMatchObject({ title: 'ممیزی 2', version: 2 });
      expect(rows[2]!.before).toMatchObject({ code: 'AUD1' });
      expect(rows[2]!.after).toBeNull();
    });

    it('exports the filtered list to Excel', async () => {
      const res = await admin.get(`${api}/export?q=${encodeURIComponent('۱۰')}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const sheet = workbook.worksheets[0]!;
      expect(sheet.getRow(1).getCell(1).value).toBe(`کد ${kind.label}`);
      expect(sheet.getRow(1).getCell(2).value).toBe(`عنوان ${kind.label}`);
      expect(sheet.getRow(2).getCell(1).value).toBe('101');
      expect(sheet.getRow(3).getCell(1).value).toBe('102');
      expect(sheet.rowCount).toBe(3);
    });

    it('lets only HQ users change the bank-wide catalog; others with the page may read', async () => {
      const branch = await factory.branch(db);
      const username = `cat_branch_${kind.entity}`;
      await factory.user(db, { username, group: 'hq_admin', branchId: branch.id });
      const s = await logIn(app, username, 'password-1234');
      expect((await s.get(api)).statusCode).toBe(200);
      const res = await s.post(api, { code: 'BR1', title: 'شعبه‌ای' });
      expect(res.statusCode).toBe(403);
      const item = (await admin.get(`${api}?q=101`)).json<Page>().items[0]!;
      expect((await s.patch(`${api}/${item.id}`, { title: 'x', version: item.version })).statusCode).toBe(
        403,
      );
      expect((await s.post(`${api}/delete`, { ids: [item.id] })).statusCode).toBe(403);
    });

    it('refuses users whose groups lack the page', async () => {
      const username = `cat_officer_${kind.entity}`;
      await factory.user(db, { username, group: 'collection_officer' });
      const s = await logIn(app, username, 'password-1234');
      expect((await s.get(api)).statusCode).toBe(403);
      expect((await s.post(api, { code: 'Z1', title: 'z' })).statusCode).toBe(403);
    });
  });
}

describe('loan types in use', () => {
  it('refuses to delete a loan type that facilities use, with 409 naming تسهیلات; an unused one goes', async () => {
    const used = (await admin.post('/api/v1/loan-types', { code: 'USE1', title: 'کاربرد' })).json<Item>();
    const unused = (
      await admin.post('/api/v1/loan-types', { code: 'USE2', title: 'بی‌کاربرد' })
    ).json<Item>();
    const branch = await factory.branch(db);
    // a facility straight into the book, as the intake would leave it (server/test/book.ts)
    await sql`INSERT INTO customers (customer_no, first_name, last_name, branch_id)
      VALUES ('USE-C1', 'علی', 'احمدی', ${branch.id})`.execute(db);
    for (const no of ['USE-F1', 'USE-F2'])
      await sql`INSERT INTO facilities (facility_no, customer_id, branch_id, loan_type_id, granted_on, principal)
        VALUES (${no}, (SELECT id FROM customers WHERE customer_no = 'USE-C1'), ${branch.id}, ${used.id},
                '2024-01-01', 1000000)`.execute(db);

    const res = await admin.post('/api/v1/loan-types/delete', { ids: [unused.id, used.id] });
    expect(res.statusCode).toBe(409);
    const error = res.json<ErrorBody>().error;
    expect(error.code).toBe('in_use');
    expect(error.message).toContain('USE1');
    expect(error.message).toContain('۲ تسهیلات');
    expect(error.message).not.toContain('USE2');
    // all or nothing: the unused one of the selection stays too
    expect((await admin.get(`/api/v1/loan-types/${unused.id}`)).statusCode).toBe(200);
    expect((await admin.get(`/api/v1/loan-types/${used.id}`)).statusCode).toBe(200);
    expect((await admin.post('/api/v1/loan-types/delete', { ids: [unused.id] })).statusCode).toBe(204);
  });
});
