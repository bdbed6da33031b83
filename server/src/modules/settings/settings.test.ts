import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { factory, logIn, logInAsAdmin, setupTestApp, type Session } from '../../../test/harness.js';
import { hashToken } from '../../platform/auth/guard.js';

const { app, db } = await setupTestApp();
const admin = await logInAsAdmin(app);
type ErrorBody = { error: { code: string; field?: string; message: string } };

/** Makes one session look idle for `minutes`. */
const idle = (session: Session, minutes: number) =>
  db
    .updateTable('sessions')
    .set({ last_seen_at: sql`now() - make_interval(mins => ${minutes})` })
    .where('token_hash', '=', hashToken(decodeURIComponent(session.cookie.replace(/^vosul_session=/, ''))))
    .execute();

describe('security settings (V8, part)', () => {
  it('reads the defaults', async () => {
    const res = await admin.get('/api/v1/settings/security');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      session_idle_minutes: 30,
      login_max_failures: 5,
      login_lockout_minutes: 15,
    });
  });

  it('validates each range and names the field; nothing is saved', async () => {
    const cases: [object, string][] = [
      [{ session_idle_minutes: 4 }, 'session_idle_minutes'],
      [{ session_idle_minutes: 481 }, 'session_idle_minutes'],
      [{ session_idle_minutes: 10.5 }, 'session_idle_minutes'],
      [{ login_max_failures: 2 }, 'login_max_failures'],
      [{ login_max_failures: 21 }, 'login_max_failures'],
      [{ login_lockout_minutes: 0 }, 'login_lockout_minutes'],
      [{ login_lockout_minutes: 1441 }, 'login_lockout_minutes'],
      [{ login_lockout_minutes: '10' }, 'login_lockout_minutes'],
      [{ session_idle_minutes: 60, login_max_failures: 50 }, 'login_max_failures'],
    ];
    for (const [body, field] of cases) {
      const res = await admin.patch('/api/v1/settings/security', body);
      expect(res.statusCode).toBe(400);
      const error = res.json<ErrorBody>().error;
      expect(error.field).toBe(field);
      expect(error.message).toMatch(/[آ-ی]/);
    }
    expect((await admin.patch('/api/v1/settings/security', {})).statusCode).toBe(400);
    expect((await admin.get('/api/v1/settings/security')).json()).toMatchObject({ session_idle_minutes: 30 });
  });

  it('accepts the range ends, saves a partial change and audits before and after', async () => {
    const res = await admin.patch('/api/v1/settings/security', {
      login_max_failures: 20,
      login_lockout_minutes: 1440,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      session_idle_minutes: 30,
      login_max_failures: 20,
      login_lockout_minutes: 1440,
    });
    const row = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity', '=', 'setting')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      entity_id: 'security',
      action: 'update',
      actor_username: 'admin',
      before: { login_max_failures: 5, login_lockout_minutes: 15 },
      after: { login_max_failures: 20, login_lockout_minutes: 1440 },
    });
    await admin.patch('/api/v1/settings/security', { login_max_failures: 5, login_lockout_minutes: 15 });
  });

  it('changing the idle limit changes when sessions expire', async () => {
    expect((await admin.patch('/api/v1/settings/security', { session_idle_minutes: 5 })).statusCode).toBe(
      200,
    );
    const short = await logInAsAdmin(app);
    await idle(short, 4);
    expect((await short.get('/api/v1/auth/me')).statusCode).toBe(200);
    await idle(short, 6);
    expect((await short.get('/api/v1/auth/me')).statusCode).toBe(401);

    const fresh = await logInAsAdmin(app);
    expect((await fresh.patch('/api/v1/settings/security', { session_idle_minutes: 60 })).statusCode).toBe(
      200,
    );
    const long = await logInAsAdmin(app);
    await idle(long, 45); // past the default 30, within the new 60
    expect((await long.get('/api/v1/auth/me')).statusCode).toBe(200);
    await idle(long, 61);
    expect((await long.get('/api/v1/auth/me')).statusCode).toBe(401);
    expect((await fresh.patch('/api/v1/settings/security', { session_idle_minutes: 30 })).statusCode).toBe(
      200,
    );
  });

  it('changing the failure limit changes when an account locks', async () => {
    expect((await admin.patch('/api/v1/settings/security', { login_max_failures: 3 })).statusCode).toBe(200);
    await factory.user(db, { username: 'st_locked' });
    const attempt = (password: string) =>
      app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'st_locked', password } });
    expect((await attempt('bad-1')).statusCode).toBe(401);
    expect((await attempt('bad-2')).statusCode).toBe(401);
    expect((await attempt('bad-3')).statusCode).toBe(429);
    expect((await attempt('password-1234')).statusCode).toBe(429);
    expect((await admin.patch('/api/v1/settings/security', { login_max_failures: 5 })).statusCode).toBe(200);
  });

  it('lets only HQ users change settings, and only users with the page read them', async () => {
    const province = await factory.province(db);
    await factory.user(db, { username: 'st_prov', provinceId: province.id });
    const prov = await logIn(app, 'st_prov', 'password-1234');
    expect((await prov.get('/api/v1/settings/security')).statusCode).toBe(200);
    const res = await prov.patch('/api/v1/settings/security', { login_max_failures: 10 });
    expect(res.statusCode).toBe(403);
    expect((await admin.get('/api/v1/settings/security')).json()).toMatchObject({ login_max_failures: 5 });
    await factory.user(db, { username: 'st_officer', group: 'collection_officer' });
    const officer = await logIn(app, 'st_officer', 'password-1234');
    expect((await officer.get('/api/v1/settings/security')).statusCode).toBe(403);
  });
});

describe('daily run settings (issue 4)', () => {
  it('reads the defaults, saves a time in any digits and the payment posting, audits, and moves the schedule', async () => {
    expect((await admin.get('/api/v1/settings/day-run')).json()).toEqual({
      day_run_time: '04:00',
      manager_mail_time: '20:30',
      payment_posting: 'current',
    });
    const saved = await admin.patch('/api/v1/settings/day-run', {
      day_run_time: '۵:۳۰',
      manager_mail_time: '۲۱:۱۵',
      payment_posting: 'class',
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toEqual({
      day_run_time: '05:30',
      manager_mail_time: '21:15',
      payment_posting: 'class',
    });
    const audit = await db
      .selectFrom('audit_log')
      .select(['before', 'after'])
      .where('entity', '=', 'setting')
      .where('entity_id', '=', 'day_run')
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({
      before: { day_run_time: '04:00', manager_mail_time: '20:30', payment_posting: 'current' },
      after: { day_run_time: '05:30', manager_mail_time: '21:15', payment_posting: 'class' },
    });
    const schedule = await sql<{ name: string; cron: string; timezone: string }>`
      SELECT name, cron, timezone FROM pgboss.schedule
      WHERE name IN ('day-run-daily', 'province-manager-mail') ORDER BY name`.execute(db);
    expect(schedule.rows).toEqual([
      { name: 'day-run-daily', cron: '30 5 * * *', timezone: 'Asia/Tehran' },
      { name: 'province-manager-mail', cron: '15 21 * * *', timezone: 'Asia/Tehran' },
    ]);
  });

  it('refuses a time that is none and names the field', async () => {
    const res = await admin.patch('/api/v1/settings/day-run', { day_run_time: '25:00' });
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error.message).toContain('ساعت اجرای روزانه');
    expect((await admin.get('/api/v1/settings/day-run')).json()).toMatchObject({ day_run_time: '05:30' });
  });
});

describe('notification settings (issue 5: V8, B1, B2, P5)', () => {
  const PATH = '/api/v1/settings/notifications';

  it('reads the defaults', async () => {
    const res = await admin.get(PATH);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      send_window_end: '20:00',
      contact_rules: { sms_per_day: 2, sms_per_week: 6, calls_per_day: 1, calls_per_week: 3, quiet_from: '' },
      notification_prices: { sms_part: 250, call_minute: 1200, call_minutes: 1 },
      sms_lines: { advertising: '', service: '' },
      sms_opt_out: { stop_reminder: true, stop_overdue_notice: true, append_text: false },
      notification_simulator: { down: false, delivered: 0.95 },
    });
  });

  it('refuses bad values, naming the field in Persian; nothing is saved', async () => {
    const cases: [object, string, string][] = [
      [{ send_window_end: '24:10' }, 'send_window_end', 'پایان ساعت ارسال'],
      [{ contact_rules: { sms_per_day: 0 } }, 'contact_rules.sms_per_day', 'سقف پیامک هر شخص در روز'],
      [{ contact_rules: { calls_per_week: 2.5 } }, 'contact_rules.calls_per_week', 'سقف تماس'],
      [{ contact_rules: { sms_per_day: 10 } }, 'contact_rules.sms_per_week', 'سقف پیامک هر شخص در هفته'],
      [{ contact_rules: { quiet_from: '22:00' } }, 'contact_rules.quiet_to', 'ساعات سکوت'],
      [{ contact_rules: { quiet_to: '7:5' } }, 'contact_rules.quiet_to', 'پایان ساعات سکوت'],
      [
        { merged_message_template: 'سلام {{borrower_first_name}}' },
        'merged_message_template',
        '{{borrower_first_name}}',
      ],
      [{ merged_message_template: 'x'.repeat(2001) }, 'merged_message_template', 'متن پیام تجمیعی'],
      [{ notification_prices: { sms_part: -1 } }, 'notification_prices.sms_part', 'بهای هر بخش پیامک'],
      [{ notification_prices: { call_minute: 10.5 } }, 'notification_prices.call_minute', 'بهای هر دقیقه'],
      [{ sms_lines: { service: '۱۲۳' } }, 'sms_lines.service', 'شماره خط خدماتی'],
      [{ sms_lines: { advertising: '3000abc' } }, 'sms_lines.advertising', 'شماره خط تبلیغاتی'],
      [{ notification_simulator: { delivered: 1.2 } }, 'notification_simulator.delivered', 'تحویل'],
      [{ notification_simulator: { failed: 0.2 } }, 'notification_simulator.failed', 'از ۱ بیشتر'],
      [{ notification_simulator: { busy: 0.3 } }, 'notification_simulator.busy', 'از ۱ بیشتر'],
      [{ notification_simulator: { per_second: 0 } }, 'notification_simulator.per_second', 'سقف ارسال'],
      [{ notification_simulator: { down: 'yes' } }, 'notification_simulator.down', 'دسترس'],
      [{ sms_opt_out: { append_text: 1 } }, 'sms_opt_out.append_text', 'لغو۱۱'],
    ];
    for (const [body, field, words] of cases) {
      const res = await admin.patch(PATH, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      const error = res.json<ErrorBody>().error;
      expect(error.field, JSON.stringify(body)).toBe(field);
      expect(error.message).toContain(words);
    }
    expect((await admin.patch(PATH, {})).statusCode).toBe(400);
    expect((await admin.get(PATH)).json()).toMatchObject({
      send_window_end: '20:00',
      contact_rules: { sms_per_day: 2, quiet_from: '', quiet_to: '' },
      sms_lines: { service: '' },
    });
  });

  it('saves part of a group in any digits, keeps the rest, and audits before and after', async () => {
    const res = await admin.patch(PATH, {
      send_window_end: '۲۱:۳۰',
      contact_rules: { sms_per_day: 3, quiet_from: '22:00', quiet_to: '۷:۰۰' },
      sms_lines: { service: '۳۰۰۰ ۱۲۳۴', advertising: '98100' },
      merged_message_template: '{{gender_title}} {{recipient_name}}: {{count}} تسهیلات ({{facility_nos}})',
      notification_simulator: { down: true, delivered: 0.5, failed: 0.5 },
      sms_opt_out: { append_text: true },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      send_window_end: '21:30',
      contact_rules: { sms_per_day: 3, sms_per_week: 6, quiet_from: '22:00', quiet_to: '07:00' },
      sms_lines: { service: '30001234', advertising: '98100' },
      notification_prices: { sms_part: 250 },
      notification_simulator: { down: true, delivered: 0.5, failed: 0.5, answered: 0.6 },
      sms_opt_out: { stop_reminder: true, stop_overdue_notice: true, append_text: true },
    });
    expect((await admin.get(PATH)).json()).toEqual(res.json());
    const audit = await db
      .selectFrom('audit_log')
      .select(['before', 'after', 'actor_username'])
      .where('entity', '=', 'setting')
      .where('entity_id', '=', 'notifications')
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({
      actor_username: 'admin',
      before: { send_window_end: '20:00', contact_rules: { sms_per_day: 2 }, sms_lines: { service: '' } },
      after: {
        send_window_end: '21:30',
        contact_rules: { sms_per_day: 3 },
        sms_lines: { service: '30001234' },
      },
    });
    // what the planner and dispatcher read
    const stored = await db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', 'sms_lines')
      .executeTakeFirstOrThrow();
    expect(stored.value).toEqual({ advertising: '98100', service: '30001234' });
    await admin.patch(PATH, {
      notification_simulator: { down: false, delivered: 0.95, failed: 0.03 },
      sms_opt_out: { append_text: false },
    });
  });

  it('takes an empty merged text (merging off)', async () => {
    const res = await admin.patch(PATH, { merged_message_template: '   ' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ merged_message_template: '' });
  });

  it('lets only HQ change them', async () => {
    const province = await factory.province(db);
    await factory.user(db, { username: 'st_prov_n', provinceId: province.id });
    const prov = await logIn(app, 'st_prov_n', 'password-1234');
    expect((await prov.get(PATH)).statusCode).toBe(200);
    expect((await prov.patch(PATH, { send_window_end: '19:00' })).statusCode).toBe(403);
  });
});
