import { describe, expect, it } from 'vitest';
import { factory, logIn, logInAsAdmin, setupTestApp, type Session } from '../../../test/harness.js';

const { app, db } = await setupTestApp();

const put = (s: Session, payload: object) =>
  app.inject({
    method: 'PUT',
    url: '/api/v1/case-settings',
    payload,
    headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
  });

const DEFAULT_RANGES = [
  { from_days: 1, to_days: 30, title: 'تا ۳۰ روز' },
  { from_days: 31, to_days: 60, title: '۳۱ تا ۶۰ روز' },
  { from_days: 61, to_days: 180, title: '۶۱ تا ۱۸۰ روز' },
  { from_days: 181, to_days: 540, title: '۱۸۱ تا ۵۴۰ روز' },
  { from_days: 541, to_days: null, title: 'بیش از ۵۴۰ روز' },
];

describe('case settings (V9)', () => {
  it('starts with the default ranges and thresholds', async () => {
    const admin = await logInAsAdmin(app);
    const res = await admin.get('/api/v1/case-settings');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      ranges: DEFAULT_RANGES,
      thresholds: ['10000000', '100000000', '1000000000'],
    });
  });

  it('saves ranges and thresholds typed with Persian digits and separators, and audits the change', async () => {
    const admin = await logInAsAdmin(app);
    const res = await put(admin, {
      ranges: [
        { from_days: 1, to_days: 90, title: 'كوتاه‌مدت' },
        { from_days: 91, to_days: null, title: 'بلندمدت' },
      ],
      thresholds: ['۵۰٬۰۰۰٬۰۰۰', '500,000,000'],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      ranges: [
        { from_days: 1, to_days: 90, title: 'کوتاه‌مدت' },
        { from_days: 91, to_days: null, title: 'بلندمدت' },
      ],
      thresholds: ['50000000', '500000000'],
    });
    const audit = await db
      .selectFrom('audit_log')
      .select(['entity', 'entity_id', 'action'])
      .where('entity_id', '=', 'case_settings')
      .execute();
    expect(audit).toEqual([{ entity: 'setting', entity_id: 'case_settings', action: 'update' }]);
  });

  it.each([
    [
      'overlapping ranges',
      {
        ranges: [
          { from_days: 1, to_days: 30, title: 'الف' },
          { from_days: 30, to_days: 60, title: 'ب' },
        ],
        thresholds: [],
      },
      'ranges.1.from_days',
      'بازه ۲: «از روز» (۳۰) باید بیشتر از «تا روز» بازه قبلی (۳۰) باشد',
    ],
    [
      'a range ending before it starts',
      { ranges: [{ from_days: 40, to_days: 10, title: 'الف' }], thresholds: [] },
      'ranges.0.to_days',
      'بازه ۱: «تا روز» (۱۰) نباید از «از روز» (۴۰) کمتر باشد',
    ],
    [
      'an open-ended range before the last',
      {
        ranges: [
          { from_days: 1, to_days: null, title: 'الف' },
          { from_days: 31, to_days: 60, title: 'ب' },
        ],
        thresholds: [],
      },
      'ranges.0.to_days',
      'فقط بازه آخر می‌تواند بدون «تا روز» باشد',
    ],
    [
      'descending thresholds',
      { ranges: DEFAULT_RANGES, thresholds: ['100000000', '10000000'] },
      'thresholds.1',
      'آستانه مبلغ ۲ باید بیشتر از آستانه قبلی باشد',
    ],
    [
      'a threshold that is not an amount',
      { ranges: DEFAULT_RANGES, thresholds: ['ده میلیون'] },
      'thresholds.0',
      'مبلغ آستانه باید عدد صحیح مثبت (ریال) باشد',
    ],
    [
      'a range without a title',
      { ranges: [{ from_days: 1, to_days: 30, title: ' ' }], thresholds: [] },
      'ranges.0.title',
      'عنوان بازه را وارد کنید',
    ],
    ['no ranges at all', { ranges: [], thresholds: [] }, 'ranges', 'دست‌کم یک بازه روز معوق لازم است'],
  ])('refuses %s, naming the field in Persian', async (_name, body, field, message) => {
    const admin = await logInAsAdmin(app);
    const before = (await admin.get('/api/v1/case-settings')).json<unknown>();
    const res = await put(admin, body);
    expect(res.statusCode).toBe(400);
    const error = res.json<{ error: { field: string; message: string } }>().error;
    expect(error.field).toBe(field);
    expect(error.message).toContain(message);
    expect((await admin.get('/api/v1/case-settings')).json()).toEqual(before);
  });

  it('only HQ changes them; the page is needed to read them', async () => {
    const province = await factory.province(db);
    const user = await factory.user(db, {
      username: 'prov_settings',
      group: 'hq_admin',
      provinceId: province.id,
    });
    const s = await logIn(app, user.username, 'password-1234');
    const res = await put(s, { ranges: DEFAULT_RANGES, thresholds: [] });
    expect(res.statusCode).toBe(403);
    expect(res.json<{ error: { message: string } }>().error.message).toContain('فقط برای کاربران ستاد');

    await factory.user(db, { username: 'officer_settings', group: 'collection_officer' });
    const officer = await logIn(app, 'officer_settings', 'password-1234');
    expect((await officer.get('/api/v1/case-settings')).statusCode).toBe(403);
  });
});
