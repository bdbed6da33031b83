import ExcelJS from 'exceljs';
import pg from 'pg';
import type { NotificationSummary } from '@vosul/common/notifications';
import { afterAll, describe, expect, it } from 'vitest';
import { factory, logIn, logInAsAdmin, setupTestApp } from '../../../test/harness.js';
import { createBook, plus } from '../../../test/book.js';
import { SETTING_DEFAULTS } from '../../platform/settings.js';
import { simulatorAdapter } from './channels/simulator.js';
import { dispatch } from './dispatch.service.js';
import { streamNotifications } from './notifications.repository.js';

const { app, db, url } = await setupTestApp();
const pool = new pg.Pool({ connectionString: url, max: 4 });
afterAll(() => pool.end());
const admin = await logInAsAdmin(app);

const D = '2025-06-01';
await createBook(
  pool,
  ['B1', 'B2'].map((branch, i) => ({
    no: `F${i + 1}`,
    branch: branch as 'B1' | 'B2',
    installments: [{ due: plus(D, -10), amount: 1000 }],
  })),
  '2025-01-01',
);
// one SMS for each facility's borrower, the first one a merged message naming a second facility
await pool.query(
  `INSERT INTO notifications (occasion_key, business_date, facility_id, facility_nos, branch_id, recipient_role,
     recipient_name, person_key, channel, address, text, scheduled_at, window_ends_at, next_try_at)
   SELECT 'test:' || f.facility_no || '#1', $1, f.id,
     CASE WHEN f.facility_no = 'F1' THEN ARRAY['F1', 'F9'] ELSE ARRAY[f.facility_no] END, f.branch_id,
     'borrower', 'مریم رضایی', 'p-' || f.id, 'sms', '09121234567', 'قسط ' || f.facility_no || ' معوق است',
     now() - interval '1 minute', now() + interval '1 hour', now() - interval '1 minute'
   FROM facilities f ORDER BY f.facility_no`,
  [D],
);
await dispatch(
  pool,
  {
    sms: simulatorAdapter(pool, 'sms', {
      ...SETTING_DEFAULTS.notification_simulator,
      delivered: 1,
      failed: 0,
    }),
  },
  { untilEmpty: true, idleMs: 20, timezone: 'Asia/Tehran' },
);

// a call to F2's borrower the next day, held back by the contact rules (no dispatch reaches it)
const D2 = plus(D, 1);
await pool.query(
  `INSERT INTO notifications (occasion_key, business_date, facility_id, facility_nos, branch_id, recipient_role,
     recipient_name, person_key, channel, address, text, status, held_reason, scheduled_at, window_ends_at,
     next_try_at)
   SELECT 'test:held', $1, f.id, ARRAY[f.facility_no], f.branch_id, 'borrower', 'علی کریمی', 'p-held', 'call',
     '09351112233', 'تماس یادآوری', 'held', 'سقف تماس روزانه', now(), now() + interval '1 hour', now()
   FROM facilities f WHERE f.facility_no = 'F2'`,
  [D2],
);

type Page = { items: Record<string, unknown>[]; total: number };

describe('GET /api/v1/notifications (interchange.md)', () => {
  it('lists each notification with its recipient, text, status and times', async () => {
    const page = (await admin.get(`/api/v1/notifications?from=${D}&to=${D}&channel=sms`)).json<Page>();
    expect(page.total).toBe(2);
    const f1 = page.items.find((n) => n.facility_no === 'F1')!;
    expect(f1).toMatchObject({
      facility_nos: ['F1', 'F9'],
      workflow: null,
      recipient_role: 'borrower',
      recipient_name: 'مریم رضایی',
      address: '09121234567',
      channel: 'sms',
      text: 'قسط F1 معوق است',
      status: 'delivered',
      held_reason: null,
      attempt: 1,
      // who sent it (the report's «سرویس‌دهنده»)
      provider: 'simulator-sms',
    });
    expect(Date.parse(f1.sent_at as string)).toBeLessThanOrEqual(Date.parse(f1.status_at as string));
    expect(Object.keys(f1).sort()).toEqual(
      [
        'id',
        'facility_no',
        'facility_nos',
        'workflow',
        'recipient_role',
        'recipient_name',
        'address',
        'channel',
        'text',
        'status',
        'held_reason',
        'attempt',
        'provider',
        'scheduled_at',
        'sent_at',
        'status_at',
      ].sort(),
    );
  });

  it('says why a held message was held back', async () => {
    const held = (await admin.get('/api/v1/notifications?status=held')).json<Page>();
    expect(held.items.map((n) => [n.channel, n.held_reason])).toEqual([['call', 'سقف تماس روزانه']]);
  });

  it('finds a merged message by any facility it names, and filters by status', async () => {
    const merged = (await admin.get('/api/v1/notifications?facility_no=F9')).json<Page>();
    expect(merged.items.map((n) => n.facility_no)).toEqual(['F1']);
    expect((await admin.get('/api/v1/notifications?status=failed')).json<Page>().total).toBe(0);
    expect((await admin.get('/api/v1/notifications?status=delivered')).json<Page>().total).toBe(2);
  });

  it('refuses an unknown channel naming it in Persian', async () => {
    const res = await admin.get('/api/v1/notifications?channel=fax');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('کانال ارسال معتبر نیست');
  });

  it('shows a branch only its own notifications, and no one without the page', async () => {
    const b1 = await db
      .selectFrom('branches')
      .select('id')
      .where('code', '=', 'B1')
      .executeTakeFirstOrThrow();
    await factory.user(db, { username: 'notif_officer', group: 'collection_officer', branchId: b1.id });
    const officer = await logIn(app, 'notif_officer', 'password-1234');
    expect((await officer.get('/api/v1/notifications')).statusCode).toBe(403);
    await factory.user(db, { username: 'notif_b1', group: 'hq_admin', branchId: b1.id });
    const branchUser = await logIn(app, 'notif_b1', 'password-1234');
    const seen = (await branchUser.get('/api/v1/notifications')).json<Page>();
    expect(seen.items.map((n) => n.facility_no)).toEqual(['F1']);
  });
});

describe('the notification report (V23)', () => {
  it('counts by channel × status and by day × status for the filters', async () => {
    const all = (await admin.get('/api/v1/notifications/summary')).json<NotificationSummary>();
    expect(all).toEqual({
      total: 3,
      by_channel: [
        { channel: 'call', status: 'held', count: 1 },
        { channel: 'sms', status: 'delivered', count: 2 },
      ],
      by_day: [
        { date: D, status: 'delivered', count: 2 },
        { date: D2, status: 'held', count: 1 },
      ],
    });
    const b2 = await db
      .selectFrom('branches')
      .select('id')
      .where('code', '=', 'B2')
      .executeTakeFirstOrThrow();
    const inB2 = (
      await admin.get(`/api/v1/notifications/summary?branch_id=${b2.id}&from=${D}&to=${D}`)
    ).json<NotificationSummary>();
    expect(inB2).toMatchObject({ total: 1, by_day: [{ date: D, status: 'delivered', count: 1 }] });
  });

  it('finds recipients by name or number typed with Persian digits or Arabic letters', async () => {
    const byNumber = (
      await admin.get(`/api/v1/notifications?recipient=${encodeURIComponent('۰۹۳۵۱')}`)
    ).json<Page>();
    expect(byNumber.items.map((n) => n.recipient_name)).toEqual(['علی کریمی']);
    const byName = (
      await admin.get(`/api/v1/notifications?recipient=${encodeURIComponent('كريمي')}`)
    ).json<Page>();
    expect(byName.items.map((n) => n.address)).toEqual(['09351112233']);
    expect((await admin.get('/api/v1/notifications?customer_no=C1')).json<Page>().total).toBe(3);
    expect((await admin.get('/api/v1/notifications?customer_no=C9')).json<Page>().total).toBe(0);
  });

  it('exports the filtered notifications to Excel with Persian headers and Jalali dates, and logs it', async () => {
    const res = await admin.get(`/api/v1/notifications/export?facility_no=F2`);
    expect(res.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.name).toBe('گزارش اطلاع‌رسانی');
    const rows = sheet.getSheetValues().slice(1) as unknown[][];
    const header = rows[0]!.slice(1);
    const cell = (row: unknown[], name: string) => row[header.indexOf(name) + 1];
    expect(header).toContain('وضعیت');
    const data = rows.slice(1);
    // newest first: the held call, then the delivered SMS
    expect(data.map((r) => cell(r, 'وضعیت'))).toEqual(['نگه‌داشته', 'تحویل‌شده']);
    expect(data.map((r) => cell(r, 'کانال'))).toEqual(['تماس تلفنی', 'پیامک']);
    expect(cell(data[0]!, 'تاریخ')).toBe('1404/03/12');
    expect(cell(data[0]!, 'علت نگه‌داشتن')).toBe('سقف تماس روزانه');
    expect(cell(data[1]!, 'شماره تسهیلات')).toBe('F2');
    const logged = await db
      .selectFrom('export_log')
      .select(['row_count'])
      .where('name', '=', 'notifications')
      .execute();
    expect(logged).toEqual([{ row_count: 2 }]);
  });

  it("shows a notification's status history, and none from another branch", async () => {
    const f1 = (await admin.get('/api/v1/notifications?facility_no=F1')).json<Page>().items[0]!;
    const events = (await admin.get(`/api/v1/notifications/${f1.id as string}/events`)).json<{
      items: { status: string; at: string }[];
    }>();
    expect(events.items.map((e) => e.status)).toEqual(['sent', 'delivered']);
    expect(Date.parse(events.items[0]!.at)).toBeLessThanOrEqual(Date.parse(events.items[1]!.at));

    const f2 = (await admin.get('/api/v1/notifications?facility_no=F2&channel=sms')).json<Page>().items[0]!;
    const b1 = await db
      .selectFrom('branches')
      .select('id')
      .where('code', '=', 'B1')
      .executeTakeFirstOrThrow();
    await factory.user(db, { username: 'notif_b1_report', group: 'hq_admin', branchId: b1.id });
    const b1User = await logIn(app, 'notif_b1_report', 'password-1234');
    expect((await b1User.get(`/api/v1/notifications/${f2.id as string}/events`)).statusCode).toBe(404);
    expect((await b1User.get(`/api/v1/notifications/${f1.id as string}/events`)).statusCode).toBe(200);
    expect((await b1User.get('/api/v1/notifications/summary')).json<NotificationSummary>()).toMatchObject({
      total: 1,
    });
    const res = await b1User.get('/api/v1/notifications/export');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets[0]!.rowCount).toBe(2);
  });

  it('streams the export in keyset batches (no batch repeats or skips a row)', async () => {
    const ids: string[] = [];
    for await (const row of streamNotifications(db, { kind: 'hq' }, {}, 2)) ids.push(row.id);
    const expected = await db.selectFrom('notifications').select('id').orderBy('id', 'desc').execute();
    expect(ids).toEqual(expected.map((r) => r.id));
  });
});
