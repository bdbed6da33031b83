import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProvinceManager } from '@vosul/common/province-managers';
import { factory, logIn, logInAsAdmin, setupTestApp } from '../../../test/harness.js';
import { createSecretBox } from '../../platform/secrets.js';
import { sendManagerMails } from './manager-mail.service.js';

const { app, db, config, url } = await setupTestApp();
const pool = new pg.Pool({ connectionString: url, max: 2 });
afterAll(() => pool.end());
const admin = await logInAsAdmin(app);
type ErrorBody = { error: { code: string; field?: string; message: string } };
const q = async <T = Record<string, unknown>>(text: string, values: unknown[] = []) =>
  (await pool.query(text, values)).rows as T[];

const tehran = await factory.province(db, { code: 'TH', name: 'تهران' });
const isfahan = await factory.province(db, { code: 'IS', name: 'اصفهان' });
const fars = await factory.province(db, { code: 'FA', name: 'فارس' });
// Gilan: a province without a manager
await factory.province(db, { code: 'GI', name: 'گیلان' });
const tehranBranch = await factory.branch(db, { code: 'TH1', provinceId: tehran.id });
const isfahanBranch = await factory.branch(db, { code: 'IS1', provinceId: isfahan.id });
await factory.branch(db, { code: 'FA1', provinceId: fars.id });
await factory.user(db, { username: 'pm_tehran', group: 'province_admin', provinceId: tehran.id });
await factory.user(db, { username: 'pm_branch', group: 'branch_manager', branchId: tehranBranch.id });
const tehranAdmin = await logIn(app, 'pm_tehran', 'password-1234');

const PATH = '/api/v1/province-managers';
const manager = (fields: Record<string, unknown> = {}) => ({
  manager_name: 'مریم رضایی',
  email: 'rezaei@bank.ir',
  mobile: '09121234567',
  daily_mail: true,
  version: 0,
  ...fields,
});

describe('province manager information (V7)', () => {
  it('lists every province, none with a manager yet', async () => {
    const res = await admin.get(`${PATH}?sort=province_code`);
    expect(res.statusCode).toBe(200);
    const body = res.json<{ items: ProvinceManager[]; total: number }>();
    expect(body.items.map((m) => [m.province_name, m.manager_name, m.daily_mail, m.version])).toEqual([
      ['فارس', null, false, 0],
      ['گیلان', null, false, 0],
      ['اصفهان', null, false, 0],
      ['تهران', null, false, 0],
    ]);
  });

  it('refuses a bad mobile, a bad e-mail, a missing name and a daily mail without an address, naming the field', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ mobile: '0212345678' }, 'mobile', 'تلفن همراه'],
      [{ email: 'rezaei@bank' }, 'email', 'پست الکترونیکی'],
      [{ manager_name: '  ' }, 'manager_name', 'نام مدیر استان'],
      [{ email: '', daily_mail: true }, 'email', 'پست الکترونیک مدیر'],
    ];
    for (const [fields, field, words] of cases) {
      const res = await admin.patch(`${PATH}/${tehran.id}`, manager(fields));
      expect(res.statusCode, JSON.stringify(fields)).toBe(400);
      const error = res.json<ErrorBody>().error;
      expect(error.field).toBe(field);
      expect(error.message).toContain(words);
    }
    expect((await admin.get(`${PATH}/${tehran.id}`)).json()).toMatchObject({
      manager_name: null,
      version: 0,
    });
  });

  it('records a manager with digits in any script, changes it with its version, and audits both', async () => {
    const created = await admin.patch(`${PATH}/${tehran.id}`, manager({ mobile: '۰۹۱۲ ۱۲۳ ۴۵۶۷' }));
    expect(created.statusCode).toBe(200);
    expect(created.json()).toMatchObject({
      province_name: 'تهران',
      manager_name: 'مریم رضایی',
      mobile: '09121234567',
      email: 'rezaei@bank.ir',
      daily_mail: true,
      version: 1,
    });
    const changed = await admin.patch(
      `${PATH}/${tehran.id}`,
      manager({ email: 'm.rezaei@bank.ir', mobile: '+989351112233', version: 1 }),
    );
    expect(changed.json()).toMatchObject({ email: 'm.rezaei@bank.ir', mobile: '09351112233', version: 2 });
    // someone else's older version is a stale edit
    const stale = await admin.patch(`${PATH}/${tehran.id}`, manager({ version: 1 }));
    expect(stale.statusCode).toBe(409);
    const audit = await q<{ action: string; before: unknown; after: unknown; actor_username: string }>(
      `SELECT action, before, after, actor_username FROM audit_log
       WHERE entity = 'province_manager' AND entity_id = $1 ORDER BY id`,
      [String(tehran.id)],
    );
    expect(audit).toEqual([
      {
        action: 'create',
        actor_username: 'admin',
        before: null,
        after: {
          province: 'تهران',
          manager_name: 'مریم رضایی',
          email: 'rezaei@bank.ir',
          mobile: '09121234567',
          daily_mail: true,
        },
      },
      {
        action: 'update',
        actor_username: 'admin',
        before: expect.objectContaining({ email: 'rezaei@bank.ir', mobile: '09121234567' }) as unknown,
        after: expect.objectContaining({ email: 'm.rezaei@bank.ir', mobile: '09351112233' }) as unknown,
      },
    ]);
  });

  it('a province user sees and edits only their own province; another province is out of sight', async () => {
    const list = (await tehranAdmin.get(PATH)).json<{ items: ProvinceManager[]; total: number }>();
    expect(list.total).toBe(1);
    expect(list.items[0]).toMatchObject({ province_name: 'تهران', email: 'm.rezaei@bank.ir' });
    expect((await tehranAdmin.get(`${PATH}/${isfahan.id}`)).statusCode).toBe(404);
    const other = await tehranAdmin.patch(`${PATH}/${isfahan.id}`, manager({ manager_name: 'نفوذی' }));
    expect(other.statusCode).toBe(404);
    expect((await admin.get(`${PATH}/${isfahan.id}`)).json()).toMatchObject({ manager_name: null });
    const own = await tehranAdmin.patch(`${PATH}/${tehran.id}`, manager({ daily_mail: false, version: 2 }));
    expect(own.statusCode).toBe(200);
    const [audit] = await q<{ actor_username: string }>(
      `SELECT actor_username FROM audit_log WHERE entity = 'province_manager' ORDER BY id DESC LIMIT 1`,
    );
    expect(audit?.actor_username).toBe('pm_tehran');
  });

  it('a branch user does not get the page', async () => {
    const branchUser = await logIn(app, 'pm_branch', 'password-1234');
    expect(branchUser.user.pages).not.toContain('province_managers');
    expect((await branchUser.get(PATH)).statusCode).toBe(403);
    expect((await branchUser.patch(`${PATH}/${tehran.id}`, manager())).statusCode).toBe(403);
  });
});

// ---- the daily activity mail ------------------------------------------------------------------

// a working day (Sunday 1404/03/11)
const DAY = '2025-06-01';

/** What happened on DAY (and the day before, which must not count) in Tehran and Isfahan. */
async function createDayActivity() {
  await q(`INSERT INTO loan_types (code, title) VALUES ('L1', 'مشارکت مدنی')`);
  const [today] = await q<{ id: string }>(
    `INSERT INTO snapshot_imports (as_of, status) VALUES ($1, 'succeeded') RETURNING id`,
    [DAY],
  );
  const [yesterday] = await q<{ id: string }>(
    `INSERT INTO snapshot_imports (as_of, status) VALUES ('2025-05-31', 'succeeded') RETURNING id`,
  );
  for (const [branchId, no] of [
    [tehranBranch.id, 'C-TH'],
    [isfahanBranch.id, 'C-IS'],
  ] as const)
    await q(`INSERT INTO customers (customer_no, last_name, branch_id) VALUES ($1, 'احمدی', $2)`, [
      no,
      branchId,
    ]);
  const facility = async (no: string, customerNo: string, importId: string) =>
    (
      await q<{ id: string }>(
        `INSERT INTO facilities (facility_no, customer_id, branch_id, loan_type_id, granted_on, principal, import_id)
         SELECT $1, c.id, c.branch_id, (SELECT id FROM loan_types WHERE code = 'L1'), '2024-01-01', 1000000, $3
         FROM customers c WHERE c.customer_no = $2 RETURNING id`,
        [no, customerNo, importId],
      )
    )[0]!.id;
  const th1 = await facility('F-TH-1', 'C-TH', today!.id);
  await facility('F-TH-2', 'C-TH', today!.id);
  await facility('F-TH-3', 'C-TH', today!.id);
  await facility('F-TH-OLD', 'C-TH', yesterday!.id);
  await facility('F-IS-1', 'C-IS', today!.id);
  await q(
    `INSERT INTO payments (facility_id, paid_on, amount, reference, import_id) VALUES
       ($1, '2025-05-31', 1500000, 'R1', $2), ($1, '2025-05-31', 2250000, 'R2', $2), ($1, '2025-05-30', 9000, 'R0', $3)`,
    [th1, today!.id, yesterday!.id],
  );
  let n = 0;
  const outbox = async (date: string, branchId: number, channel: string, status: string, sent: boolean) => {
    n += 1;
    await q(
      `INSERT INTO notifications (occasion_key, business_date, facility_id, facility_nos, branch_id, recipient_role,
         recipient_name, person_key, channel, address, text, status, scheduled_at, window_ends_at, next_try_at, sent_at)
       VALUES ($1, $2, 1, ARRAY['F'], $3, 'borrower', 'مریم', 'p', $4, 'a', 'متن', $5, now(), now(), now(),
               CASE WHEN $6 THEN now() END)`,
      [`k${n}`, date, branchId, channel, status, sent],
    );
  };
  await outbox(DAY, tehranBranch.id, 'sms', 'delivered', true);
  await outbox(DAY, tehranBranch.id, 'sms', 'delivered', true);
  await outbox(DAY, tehranBranch.id, 'sms', 'failed', true);
  await outbox(DAY, tehranBranch.id, 'sms', 'held', false);
  await outbox(DAY, tehranBranch.id, 'call', 'answered', true);
  await outbox('2025-05-31', tehranBranch.id, 'sms', 'delivered', true);
  await outbox(DAY, isfahanBranch.id, 'email', 'delivered', true);
  // a case change requested on the day, and one requested the day before and decided on the day
  await q(
    `INSERT INTO change_requests (kind, customer_no, full_name, branch_id, proposed, requested_by_name, requested_at,
       status, reviewed_at, reviewed_by_name) VALUES
       ('create', 'N1', 'علی احمدی', $1, '{}', 'کاربر', '2025-06-01 10:00+03:30', 'pending', NULL, NULL),
       ('create', 'N2', 'زهرا احمدی', $1, '{}', 'کاربر', '2025-05-31 10:00+03:30', 'accepted',
        '2025-06-01 09:00+03:30', 'مدیر')`,
    [tehranBranch.id],
  );
}

describe('the daily activity mail to the province managers (V7)', () => {
  const received: { to: string; mail: ParsedMail }[] = [];
  const smtp = new SMTPServer({
    closeTimeout: 100,
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    onAuth: (auth, _s, done) =>
      auth.username === 'reports' && auth.password === 'smtp-pass-5555'
        ? done(null, { user: 1 })
        : done(new Error('Invalid login')),
    onData(stream, session, done) {
      simpleParser(stream).then(
        (mail) => {
          received.push({ to: session.envelope.rcptTo[0]!.address, mail });
          done();
        },
        (err: Error) => done(err),
      );
    },
  });
  const errors: string[] = [];
  const deps = {
    db,
    secrets: createSecretBox(config.secretKey!),
    timezone: 'Asia/Tehran',
    log: { info: () => undefined, error: (m: string) => void errors.push(m) },
  };

  beforeAll(async () => {
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    await createDayActivity();
    // Tehran and Isfahan get the mail; Fars's manager has it off; Gilan has no manager
    for (const [province, fields] of [
      [tehran, { manager_name: 'مریم رضایی', email: 'tehran@bank.ir', daily_mail: true, version: 3 }],
      [isfahan, { manager_name: 'حسین کریمی', email: 'isfahan@bank.ir', daily_mail: true, version: 0 }],
      [fars, { manager_name: 'سارا نیک', email: 'fars@bank.ir', daily_mail: false, version: 0 }],
    ] as const) {
      const res = await admin.patch(`${PATH}/${province.id}`, manager(fields));
      expect(res.statusCode, res.body).toBe(200);
    }
  });
  afterAll(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

  it('without an e-mail account sends nothing, says so once, and the page shows it', async () => {
    expect(await sendManagerMails(deps, DAY)).toEqual({ sent: 0, already_sent: 0, no_smtp: 2, failed: 0 });
    expect(received).toEqual([]);
    expect(errors).toEqual([expect.stringContaining('no e-mail account is set, 2 not sent') as string]);
    const list = (await admin.get(`${PATH}?sort=province_code`)).json<{ items: ProvinceManager[] }>();
    expect(list.items.map((m) => [m.province_name, m.last_mail_date, m.last_mail_status])).toEqual([
      ['فارس', null, null],
      ['گیلان', null, null],
      ['اصفهان', DAY, 'no_smtp'],
      ['تهران', DAY, 'no_smtp'],
    ]);
  });

  it('through the configured SMTP account, each manager gets one mail with their province’s figures', async () => {
    const set = await admin.patch('/api/v1/settings/channels', {
      email: {
        from: 'reports@bank.ir',
        host: '127.0.0.1',
        port: (smtp.server.address() as AddressInfo).port,
        security: 'none',
        username: 'reports',
        secret: 'smtp-pass-5555',
      },
    });
    expect(set.statusCode).toBe(200);
    expect(await sendManagerMails(deps, DAY)).toEqual({ sent: 2, already_sent: 0, no_smtp: 0, failed: 0 });
    expect(received.map((r) => r.to).sort()).toEqual(['isfahan@bank.ir', 'tehran@bank.ir']);

    const tehranMail = received.find((r) => r.to === 'tehran@bank.ir')!.mail;
    expect(tehranMail.subject).toBe('گزارش روزانه وصول مطالبات استان تهران — ۱۴۰۴/۰۳/۱۱');
    expect(tehranMail.from?.text).toBe('reports@bank.ir');
    expect(tehranMail.html).toContain('dir="rtl"');
    const lines = tehranMail.text!.split('\n').map((l) => l.trim());
    expect(lines).toEqual(
      expect.arrayContaining([
        'مریم رضایی گرامی،',
        'گزارش فعالیت سامانه وصول در استان تهران در روز ۱۴۰۴/۰۳/۱۱:',
        'تسهیلات جدید یا تغییرکرده در اطلاعات دریافتی: ۳',
        'پرداخت‌های دریافتی: ۲',
        'مبلغ پرداخت‌های دریافتی (ریال): ۳٬۷۵۰٬۰۰۰',
        'پیامک — برنامه‌ریزی‌شده: ۴، ارسال‌شده: ۳، تحویل‌شده: ۲، ناموفق: ۱، نگه‌داشته: ۱',
        'تماس تلفنی — برنامه‌ریزی‌شده: ۱، ارسال‌شده: ۱، تحویل‌شده: ۱، ناموفق: ۰، نگه‌داشته: ۰',
        'جمع — برنامه‌ریزی‌شده: ۵، ارسال‌شده: ۴، تحویل‌شده: ۳، ناموفق: ۱، نگه‌داشته: ۱',
        'درخواست‌های تغییر پرونده ثبت‌شده: ۱',
        'درخواست‌های تغییر پرونده بررسی‌شده: ۱',
      ]),
    );
    // the HTML part carries the same figures
    expect(tehranMail.html).toContain('۳٬۷۵۰٬۰۰۰');

    const isfahanLines = received
      .find((r) => r.to === 'isfahan@bank.ir')!
      .mail.text!.split('\n')
      .map((l) => l.trim());
    expect(isfahanLines).toEqual(
      expect.arrayContaining([
        'تسهیلات جدید یا تغییرکرده در اطلاعات دریافتی: ۱',
        'پرداخت‌های دریافتی: ۰',
        'مبلغ پرداخت‌های دریافتی (ریال): ۰',
        'پست الکترونیک — برنامه‌ریزی‌شده: ۱، ارسال‌شده: ۱، تحویل‌شده: ۱، ناموفق: ۰، نگه‌داشته: ۰',
        'درخواست‌های تغییر پرونده ثبت‌شده: ۰',
      ]),
    );
    const rows = await q(
      `SELECT province_id, status, email, message_id IS NOT NULL AS has_id FROM province_manager_mails
       ORDER BY province_id`,
    );
    expect(rows).toEqual([
      { province_id: tehran.id, status: 'sent', email: 'tehran@bank.ir', has_id: true },
      { province_id: isfahan.id, status: 'sent', email: 'isfahan@bank.ir', has_id: true },
    ]);
  });

  it('a second run of the day mails no one again; two runs at once neither', async () => {
    const before = received.length;
    expect(await sendManagerMails(deps, DAY)).toEqual({ sent: 0, already_sent: 2, no_smtp: 0, failed: 0 });
    expect(received.length).toBe(before);
    // a later day is a new mail, once, even with two workers at the same moment
    const next = '2025-06-02';
    const both = await Promise.all([sendManagerMails(deps, next), sendManagerMails(deps, next)]);
    expect(both.map((t) => t.sent).reduce((a, b) => a + b)).toBe(2);
    expect(both.map((t) => t.already_sent).reduce((a, b) => a + b)).toBe(2);
    expect(received.length).toBe(before + 2);
  });

  it('a mail server out of reach fails the day’s mails once, with its reason; a later run sends them', async () => {
    const day = '2025-06-03';
    const port = (smtp.server.address() as AddressInfo).port;
    await admin.patch('/api/v1/settings/channels', { email: { port: 1 } });
    errors.length = 0;
    const before = received.length;
    expect(await sendManagerMails(deps, day)).toEqual({ sent: 0, already_sent: 0, no_smtp: 0, failed: 2 });
    expect(errors).toEqual([expect.stringContaining('سرور پست الکترونیک در دسترس نیست') as string]);
    const tehranRow = (await admin.get(`${PATH}/${tehran.id}`)).json<ProvinceManager>();
    expect(tehranRow).toMatchObject({ last_mail_date: day, last_mail_status: 'failed' });
    expect(tehranRow.last_mail_error).toContain('در دسترس نیست');

    await admin.patch('/api/v1/settings/channels', { email: { port } });
    expect(await sendManagerMails(deps, day)).toEqual({ sent: 2, already_sent: 0, no_smtp: 0, failed: 0 });
    expect(received.length).toBe(before + 2);
  });

  it('a Friday is no business day: nothing is mailed', async () => {
    const before = received.length;
    expect(await sendManagerMails(deps, '2025-06-06')).toEqual({
      sent: 0,
      already_sent: 0,
      no_smtp: 0,
      failed: 0,
    });
    expect(received.length).toBe(before);
  });
});

describe('the province managers export', () => {
  it('a province user exports their own province alone, and the export is logged', async () => {
    const res = await tehranAdmin.get(`${PATH}/export`);
    expect(res.statusCode).toBe(200);
    const logged = await q<{ name: string; row_count: number }>(
      `SELECT name, row_count FROM export_log WHERE name = 'province_managers'`,
    );
    expect(logged).toEqual([{ name: 'province_managers', row_count: 1 }]);
  });
});
