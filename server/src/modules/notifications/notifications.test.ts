import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { factory, logIn, logInAsAdmin, setupTestApp } from '../../../test/harness.js';
import { createBook, plus } from '../../../test/book.js';
import { SETTING_DEFAULTS } from '../../platform/settings.js';
import { simulatorAdapter } from './channels/simulator.js';
import { dispatch } from './dispatch.service.js';

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
  { untilEmpty: true, idleMs: 20 },
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
      attempt: 1,
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
        'attempt',
        'scheduled_at',
        'sent_at',
        'status_at',
      ].sort(),
    );
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
