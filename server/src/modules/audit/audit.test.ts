import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { factory, logIn, logInAsAdmin, setupTestApp } from '../../../test/harness.js';

const { app, db } = await setupTestApp();
const admin = await logInAsAdmin(app);

interface Entry {
  id: string;
  at: string;
  actor_user_id: number | null;
  actor_username: string | null;
  ip: string | null;
  entity: string;
  entity_id: string;
  action: string;
  before: unknown;
  after: unknown;
}
type Page = { items: Entry[]; total: number };
type ErrorBody = { error: { code: string; field?: string } };

async function entry(fields: {
  entity: string;
  entityId?: string;
  action?: 'create' | 'update' | 'delete';
  actor?: { id: number; username: string } | null;
  at?: string;
}) {
  return db
    .insertInto('audit_log')
    .values({
      entity: fields.entity,
      entity_id: fields.entityId ?? '1',
      action: fields.action ?? 'update',
      actor_user_id: fields.actor?.id ?? null,
      actor_username: fields.actor === null ? 'system' : (fields.actor?.username ?? 'system'),
      ip: '10.0.0.1',
      request_id: null,
      before: JSON.stringify({ title: 'قبل' }),
      after: JSON.stringify({ title: 'بعد' }),
      ...(fields.at ? { at: fields.at } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

const list = async (s: { get(url: string): Promise<{ json<T>(): T }> }, query: string) =>
  (await s.get(`/api/v1/audit?${query}`)).json<Page>();

describe('audit trail page (B4)', () => {
  it('lists changes made through the API newest first with who, from where, before and after', async () => {
    const created = (await admin.post('/api/v1/loan-types', { code: 'A1', title: 'اول' })).json<{
      id: number;
    }>();
    await admin.patch(`/api/v1/loan-types/${created.id}`, { title: 'دوم', version: 1 });
    const page = await list(admin, `entity=loan_type&entity_id=${created.id}`);
    expect(page.total).toBe(2);
    const [update, create] = page.items;
    expect(update).toMatchObject({
      actor_username: 'admin',
      ip: '127.0.0.1',
      entity: 'loan_type',
      entity_id: String(created.id),
      action: 'update',
      before: { title: 'اول', version: 1 },
      after: { title: 'دوم', version: 2 },
    });
    expect(create).toMatchObject({ action: 'create', before: null, after: { code: 'A1' } });
    expect(update!.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(Number(update!.id)).toBeGreaterThan(Number(create!.id));
  });

  it('filters by user (id or username, any case), record type, record id and action', async () => {
    const u = await factory.user(db, { username: 'Auditor1' });
    const other = await factory.user(db, { username: 'auditor2' });
    await entry({ entity: 'flt', entityId: '7', action: 'create', actor: u });
    await entry({ entity: 'flt', entityId: '7', action: 'update', actor: u });
    await entry({ entity: 'flt', entityId: '8', action: 'update', actor: other });
    await entry({ entity: 'flt_other', entityId: '7', action: 'update', actor: u });
    expect((await list(admin, `entity=flt&user_id=${u.id}`)).total).toBe(2);
    expect((await list(admin, 'entity=flt&username=auditor1')).total).toBe(2);
    expect((await list(admin, 'username=AUDITOR1')).total).toBe(3);
    expect((await list(admin, 'entity=flt&entity_id=7')).total).toBe(2);
    expect((await list(admin, 'entity=flt&action=update')).items.map((e) => e.entity_id).sort()).toEqual([
      '7',
      '8',
    ]);
    expect((await list(admin, 'entity=flt&username=nobody')).total).toBe(0);
  });

  it('filters by business days in the configured time zone (Asia/Tehran), both ends included', async () => {
    // 2024-07-22 in Tehran (+03:30) runs from 2024-07-21T20:30Z to 2024-07-22T20:30Z.
    await entry({ entity: 'dated', entityId: 'before', at: '2024-07-21T20:29:00Z' });
    await entry({ entity: 'dated', entityId: 'first', at: '2024-07-21T20:31:00Z' });
    await entry({ entity: 'dated', entityId: 'last', at: '2024-07-22T20:29:00Z' });
    await entry({ entity: 'dated', entityId: 'after', at: '2024-07-22T20:31:00Z' });
    const day = await list(admin, 'entity=dated&from=2024-07-22&to=2024-07-22');
    expect(day.items.map((e) => e.entity_id)).toEqual(['last', 'first']);
    expect((await list(admin, 'entity=dated&from=2024-07-23')).items.map((e) => e.entity_id)).toEqual([
      'after',
    ]);
    expect((await list(admin, 'entity=dated&to=2024-07-21')).items.map((e) => e.entity_id)).toEqual([
      'before',
    ]);
    // Persian digits in a date are read too.
    expect((await list(admin, `entity=dated&from=${encodeURIComponent('۲۰۲۴-۰۷-۲۳')}`)).total).toBe(1);
  });

  it('refuses bad dates and a range that ends before it starts, naming the field', async () => {
    for (const [query, field] of [
      ['from=2024-02-30', 'from'],
      ['to=1403/05/01', 'to'],
      ['from=2024-07-22&to=2024-07-21', 'to'],
      ['action=rename', 'action'],
      ['page_size=501', 'page_size'],
    ]) {
      const res = await admin.get(`/api/v1/audit?${query}`);
      expect(res.statusCode).toBe(400);
      expect(res.json<ErrorBody>().error.field).toBe(field);
    }
  });

  it('pages on the server', async () => {
    for (let i = 0; i < 5; i += 1) await entry({ entity: 'paged', entityId: String(i) });
    const second = await list(admin, 'entity=paged&page=2&page_size=2');
    expect(second.total).toBe(5);
    expect(second.items.map((e) => e.entity_id)).toEqual(['2', '1']);
    expect(await list(admin, 'entity=paged&page=9&page_size=2')).toEqual({ items: [], total: 5 });
  });

  it('exports the filtered trail to Excel and records the export (B7)', async () => {
    await entry({ entity: 'exported', entityId: '1', action: 'create' });
    await entry({ entity: 'exported', entityId: '2', action: 'delete' });
    const res = await admin.get('/api/v1/audit/export?entity=exported');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual([
      'شناسه',
      'زمان',
      'کاربر',
      'IP',
      'نوع رکورد',
      'شناسه رکورد',
      'عملیات',
      'پیش از تغییر',
      'پس از تغییر',
    ]);
    expect(sheet.rowCount).toBe(3);
    expect(sheet.getRow(2).getCell(6).value).toBe('2');
    expect(sheet.getRow(2).getCell(7).value).toBe('حذف');
    expect(sheet.getRow(3).getCell(7).value).toBe('ایجاد');
    expect(sheet.getRow(2).getCell(2).text).toMatch(/^14\d\d\/\d\d\/\d\d \d\d:\d\d:\d\d$/);
    expect(JSON.parse(sheet.getRow(2).getCell(9).text)).toEqual({ title: 'بعد' });
    const loan = await admin.get('/api/v1/audit/export?entity=loan_type');
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(loan.rawPayload as unknown as ArrayBuffer);
    expect(wb2.worksheets[0]!.getRow(2).getCell(5).value).toBe('نوع وام');

    const record = await db
      .selectFrom('export_log')
      .selectAll()
      .where('name', '=', 'audit')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    expect(record).toMatchObject({
      username: 'admin',
      ip: '127.0.0.1',
      filter: { entity: 'exported' },
      row_count: 2,
    });
  });

  it('streams an export larger than one read batch', async () => {
    const { auditTimeline } = await import('./audit.repository.js');
    const at = '2023-01-01T10:00:00.123456Z'; // equal timestamps: the keyset falls back on the id
    for (let i = 0; i < 7; i += 1) await entry({ entity: 'batched', entityId: String(i), at });
    const ids: string[] = [];
    for await (const row of auditTimeline(db, { kind: 'hq' }, { entity: 'batched' }, 'Asia/Tehran').stream(
      3,
    )) {
      ids.push(row.entity_id);
    }
    expect(ids).toEqual(['6', '5', '4', '3', '2', '1', '0']);
  });
});

describe('audit scope', () => {
  it('HQ reads all; a province or branch user reads only entries made by users in their scope', async () => {
    const province = await factory.province(db);
    const otherProvince = await factory.province(db);
    const branch = await factory.branch(db, { provinceId: province.id });
    const sub = await factory.branch(db, { provinceId: province.id, parentId: branch.id });
    const sibling = await factory.branch(db, { provinceId: province.id });
    const far = await factory.branch(db, { provinceId: otherProvince.id });
    const provUser = await factory.user(db, { username: 'sc_prov', provinceId: province.id });
    const branchUser = await factory.user(db, { username: 'sc_branch', branchId: branch.id });
    const subUser = await factory.user(db, { username: 'sc_sub', branchId: sub.id });
    const siblingUser = await factory.user(db, { username: 'sc_sibling', branchId: sibling.id });
    const farUser = await factory.user(db, { username: 'sc_far', branchId: far.id });
    const hqUser = await factory.user(db, { username: 'sc_hq' });
    for (const actor of [provUser, branchUser, subUser, siblingUser, farUser, hqUser]) {
      await entry({ entity: 'scoped', entityId: actor.username, actor });
    }
    await entry({ entity: 'scoped', entityId: 'system', actor: null });

    const seen = async (username: string | null) => {
      const s = username ? await logIn(app, username, 'password-1234') : admin;
      return (await list(s, 'entity=scoped&page_size=100')).items.map((e) => e.entity_id).sort();
    };
    expect(await seen(null)).toEqual(
      ['sc_branch', 'sc_far', 'sc_hq', 'sc_prov', 'sc_sibling', 'sc_sub', 'system'].sort(),
    );
    expect(await seen('sc_prov')).toEqual(['sc_branch', 'sc_prov', 'sc_sibling', 'sc_sub']);
    expect(await seen('sc_branch')).toEqual(['sc_branch', 'sc_sub']);
    expect(await seen('sc_sub')).toEqual(['sc_sub']);
    expect(await seen('sc_far')).toEqual(['sc_far']);

    // Filtering by a user outside the scope shows nothing; the export keeps the scope too.
    const branchSession = await logIn(app, 'sc_branch', 'password-1234');
    expect((await list(branchSession, `user_id=${farUser.id}`)).total).toBe(0);
    const res = await branchSession.get('/api/v1/audit/export?entity=scoped');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const exported = workbook.worksheets[0]!.getColumn(6).values.slice(2).map(String).sort();
    expect(exported).toEqual(['sc_branch', 'sc_sub']);
  });

  it('refuses users whose groups lack the page', async () => {
    await factory.user(db, { username: 'sc_officer', group: 'collection_officer' });
    const s = await logIn(app, 'sc_officer', 'password-1234');
    expect((await s.get('/api/v1/audit')).statusCode).toBe(403);
    expect((await s.get('/api/v1/audit/export')).statusCode).toBe(403);
  });
});
