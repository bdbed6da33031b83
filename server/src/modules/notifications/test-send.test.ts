import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { factory, logIn, logInAsAdmin, setupTestApp } from '../../../test/harness.js';

const { app, db } = await setupTestApp();
const admin = await logInAsAdmin(app);
const PATH = '/api/v1/notifications/test-send';
type Result = {
  accepted: boolean;
  provider: string;
  provider_id: string | null;
  error: string | null;
  address: string;
};
type ErrorBody = { error: { code: string; field?: string; message: string } };

describe('test send (issue 5 point 2)', () => {
  it('sends an SMS through the simulator on the service line; it is accepted and audited', async () => {
    await admin.patch('/api/v1/settings/notifications', { sms_lines: { service: '30001234' } });
    const res = await admin.post(PATH, {
      channel: 'sms',
      address: '۰۹۱۲ ۳۴۵ ۶۷۸۹',
      text: 'پیام آزمایشی وصول',
    });
    expect(res.statusCode).toBe(200);
    const result = res.json<Result>();
    expect(result).toMatchObject({
      accepted: true,
      provider: 'simulator-sms',
      address: '09123456789',
      error: null,
    });
    // the simulator provider's own record of what it accepted
    const { rows: sent } = await sql<{ address: string; text: string; line: string }>`
      SELECT address, text, line FROM simulator_messages WHERE message_id = ${result.provider_id}::bigint`.execute(
      db,
    );
    expect(sent).toEqual([{ address: '09123456789', text: 'پیام آزمایشی وصول', line: 'service' }]);
    const audit = await db
      .selectFrom('audit_log')
      .select(['actor_username', 'after'])
      .where('entity', '=', 'test_send')
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({
      actor_username: 'admin',
      after: { accepted: true, provider_id: result.provider_id, text: 'پیام آزمایشی وصول' },
    });
    // no outbox row: a test counts against no one's caps and is in no report
    expect(await db.selectFrom('notifications').select('id').execute()).toEqual([]);
  });

  it('sends an e-mail and a call', async () => {
    const mail = await admin.post(PATH, { channel: 'email', address: 'tester@bank.ir', text: 'سلام' });
    expect(mail.json()).toMatchObject({ accepted: true, provider: 'simulator-email' });
    const call = await admin.post(PATH, { channel: 'call', address: '9121234567', text: 'سلام' });
    expect(call.json()).toMatchObject({ accepted: true, provider: 'simulator-call', address: '09121234567' });
  });

  it('answers the provider being down with its Persian error, and records it', async () => {
    await admin.patch('/api/v1/settings/notifications', { notification_simulator: { down: true } });
    const res = await admin.post(PATH, { channel: 'sms', address: '09123456789', text: 'آزمون' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      accepted: false,
      provider_id: null,
      error: 'سرویس‌دهنده شبیه‌ساز در دسترس نیست',
    });
    const audit = await db
      .selectFrom('audit_log')
      .select('after')
      .where('entity', '=', 'test_send')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.after).toMatchObject({ accepted: false, error: 'سرویس‌دهنده شبیه‌ساز در دسترس نیست' });
    await admin.patch('/api/v1/settings/notifications', {
      notification_simulator: { down: false, invalid: 1 },
    });
    const rejected = await admin.post(PATH, { channel: 'sms', address: '09123456789', text: 'آزمون' });
    expect(rejected.json()).toMatchObject({ accepted: false, error: 'گیرنده نامعتبر' });
    await admin.patch('/api/v1/settings/notifications', { notification_simulator: { invalid: 0 } });
  });

  it('refuses a bad address or an empty text under its field', async () => {
    const cases: [object, string][] = [
      [{ channel: 'sms', address: '0912', text: 'x' }, 'address'],
      [{ channel: 'email', address: 'not-mail', text: 'x' }, 'address'],
      [{ channel: 'sms', address: '09123456789', text: '  ' }, 'text'],
      [{ channel: 'intro_letter', address: '09123456789', text: 'x' }, 'channel'],
    ];
    for (const [body, field] of cases) {
      const res = await admin.post(PATH, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json<ErrorBody>().error.field).toBe(field);
      expect(res.json<ErrorBody>().error.message).toMatch(/[آ-ی]/);
    }
  });

  it('needs the workflows page', async () => {
    await factory.user(db, { username: 'ts_officer', group: 'collection_officer' });
    const officer = await logIn(app, 'ts_officer', 'password-1234');
    expect(officer.user.pages).not.toContain('workflows');
    expect((await officer.post(PATH, { channel: 'sms', address: '09123456789', text: 'x' })).statusCode).toBe(
      403,
    );
  });
});
