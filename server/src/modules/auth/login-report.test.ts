import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { factory, logIn, logInAsAdmin, setupTestApp } from '../../../test/harness.js';

const { app, db } = await setupTestApp();
const admin = await logInAsAdmin(app);

interface LoginEvent {
  id: string;
  at: string;
  username: string;
  user_id: number | null;
  succeeded: boolean;
  reason: string | null;
  ip: string | null;
  user_agent: string | null;
}
type Page = { items: LoginEvent[]; total: number };
type ErrorBody = { error: { code: string; field?: string } };

const list = async (s: { get(url: string): Promise<{ json<T>(): T }> }, query: string) =>
  (await s.get(`/api/v1/login-events?${query}`)).json<Page>();

async function event(fields: {
  username: string;
  userId?: number | null;
  succeeded?: boolean;
  reason?: string | null;
  ip?: string;
  at?: string;
}) {
  await db
    .insertInto('login_events')
    .values({
      username: fields.username,
      user_id: fields.userId ?? null,
      succeeded: fields.succeeded ?? true,
      reason: fields.reason ?? null,
      ip: fields.ip ?? '10.0.0.1',
      user_agent: 'test-agent',
      ...(fields.at ? { at: fields.at } : {}),
    })
    .execute();
}

const attempt = (username: string, password: string, ip: string) =>
  app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password },
    remoteAddress: ip,
    headers: { 'user-agent': 'Mozilla/5.0 test' },
  });

describe('login report (V28)', () => {
  it('lists real sign-ins and failures newest first with user, reason, IP and browser', async () => {
    const user = await factory.user(db, { username: 'lr_real' });
    await attempt('lr_real', 'wrong-password', '10.9.8.7');
    await attempt('lr_real', 'password-1234', '10.9.8.7');
    await attempt('lr_ghost', 'whatever-1234', '10.9.8.6');
    const mine = await list(admin, 'username=LR_REAL');
    expect(mine.items).toHaveLength(2);
    expect(mine.items[0]).toMatchObject({
      username: 'lr_real',
      user_id: user.id,
      succeeded: true,
      reason: null,
      ip: '10.9.8.7',
      user_agent: 'Mozilla/5.0 test',
    });
    expect(mine.items[1]).toMatchObject({ succeeded: false, reason: 'bad_password' });
    expect(mine.items[0]!.at).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z$/);
    const ghost = await list(admin, 'username=lr_ghost');
    expect(ghost.items[0]).toMatchObject({ user_id: null, succeeded: false, reason: 'unknown_user' });
  });

  it('filters by result, IP prefix and business days in the configured time zone', async () => {
    await event({ username: 'lr_f', at: '2024-07-21T20:29:00Z', ip: '172.16.1.1' });
    await event({
      username: 'lr_f',
      at: '2024-07-21T20:31:00Z',
      ip: '172.16.1.2',
      succeeded: false,
      reason: 'locked',
    });
    await event({ username: 'lr_f', at: '2024-07-22T20:29:00Z', ip: '172.16.2.1' });
    await event({ username: 'lr_f', at: '2024-07-22T20:31:00Z', ip: '172.17.0.1' });
    const day = await list(admin, 'username=lr_f&from=2024-07-22&to=2024-07-22');
    expect(day.items.map((e) => e.ip)).toEqual(['172.16.2.1', '172.16.1.2']);
    expect((await list(admin, 'username=lr_f&succeeded=false')).items.map((e) => e.reason)).toEqual([
      'locked',
    ]);
    expect((await list(admin, 'username=lr_f&succeeded=true')).total).toBe(3);
    expect((await list(admin, 'username=lr_f&ip=172.16.')).total).toBe(3);
    expect((await list(admin, `username=lr_f&ip=${encodeURIComponent('۱۷۲.۱۷')}`)).total).toBe(1);
    expect((await list(admin, 'username=lr_f&ip=172.16.1.2')).total).toBe(1);
    expect((await list(admin, 'username=lr_f&ip=_')).total).toBe(0);
  });

  it('pages on the server and refuses bad filters naming the field', async () => {
    for (let i = 0; i < 5; i += 1) await event({ username: 'lr_paged', ip: `10.1.1.${i}` });
    const second = await list(admin, 'username=lr_paged&page=2&page_size=2');
    expect(second.total).toBe(5);
    expect(second.items.map((e) => e.ip)).toEqual(['10.1.1.2', '10.1.1.1']);
    for (const [query, field] of [
      ['succeeded=yes', 'succeeded'],
      ['from=2024-13-01', 'from'],
      ['from=2024-07-22&to=2024-07-01', 'to'],
    ]) {
      const res = await admin.get(`/api/v1/login-events?${query}`);
      expect(res.statusCode).toBe(400);
      expect(res.json<ErrorBody>().error.field).toBe(field);
    }
  });

  it('exports the filtered report to Excel and records the export (B7)', async () => {
    await event({ username: 'lr_x', succeeded: false, reason: 'ip_not_allowed', ip: '192.168.5.5' });
    await event({ username: 'lr_x', succeeded: true, ip: '192.168.5.6' });
    const res = await admin.get('/api/v1/login-events/export?username=lr_x');
    expect(res.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([
      'زمان',
      'نام کاربری',
      'نتیجه',
      'علت',
      'IP',
      'مرورگر',
    ]);
    expect(sheet.rowCount).toBe(3);
    expect((sheet.getRow(2).values as unknown[]).slice(2, 6)).toEqual([
      'lr_x',
      'موفق',
      undefined,
      '192.168.5.6',
    ]);
    expect((sheet.getRow(3).values as unknown[]).slice(2, 6)).toEqual([
      'lr_x',
      'ناموفق',
      'IP غیرمجاز',
      '192.168.5.5',
    ]);
    const record = await db
      .selectFrom('export_log')
      .selectAll()
      .where('name', '=', 'login_report')
      .executeTakeFirstOrThrow();
    expect(record).toMatchObject({ username: 'admin', filter: { username: 'lr_x' }, row_count: 2 });
  });
});

describe('login report scope', () => {
  it('HQ sees every attempt; province and branch users only attempts on accounts in their scope', async () => {
    const province = await factory.province(db);
    const otherProvince = await factory.province(db);
    const branch = await factory.branch(db, { provinceId: province.id });
    const sibling = await factory.branch(db, { provinceId: province.id });
    const far = await factory.branch(db, { provinceId: otherProvince.id });
    const provUser = await factory.user(db, { username: 'ls_prov', provinceId: province.id });
    const branchUser = await factory.user(db, { username: 'ls_branch', branchId: branch.id });
    const siblingUser = await factory.user(db, { username: 'ls_sibling', branchId: sibling.id });
    const farUser = await factory.user(db, { username: 'ls_far', branchId: far.id });
    for (const u of [provUser, branchUser, siblingUser, farUser]) {
      await event({ username: u.username, userId: u.id, ip: '10.77.0.1' });
    }
    await event({
      username: 'ls_unknown',
      userId: null,
      succeeded: false,
      reason: 'unknown_user',
      ip: '10.77.0.1',
    });

    const seen = async (username: string | null) => {
      const s = username ? await logIn(app, username, 'password-1234', '10.88.0.1') : admin;
      return (await list(s, 'ip=10.77.&page_size=100')).items.map((e) => e.username).sort();
    };
    expect(await seen(null)).toEqual(['ls_branch', 'ls_far', 'ls_prov', 'ls_sibling', 'ls_unknown']);
    expect(await seen('ls_prov')).toEqual(['ls_branch', 'ls_prov', 'ls_sibling']);
    expect(await seen('ls_branch')).toEqual(['ls_branch']);
    expect(await seen('ls_far')).toEqual(['ls_far']);

    const s = await logIn(app, 'ls_branch', 'password-1234', '10.88.0.1');
    const res = await s.get('/api/v1/login-events/export?ip=10.77.');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(workbook.worksheets[0]!.rowCount).toBe(2);
  });

  it('refuses users whose groups lack the page', async () => {
    await factory.user(db, { username: 'ls_officer', group: 'collection_officer' });
    const s = await logIn(app, 'ls_officer', 'password-1234');
    expect((await s.get('/api/v1/login-events')).statusCode).toBe(403);
    expect((await s.get('/api/v1/login-events/export')).statusCode).toBe(403);
  });
});
