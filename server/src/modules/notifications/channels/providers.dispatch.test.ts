import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { logInAsAdmin, setupTestApp } from '../../../../test/harness.js';
import { startFakeKavenegar } from '../../../peers/kavenegar.js';
import { startFakeSmsc } from '../../../peers/smpp.js';
import { createSecretBox } from '../../../platform/secrets.js';
import { dispatch } from '../dispatch.service.js';
import { channelAdapters } from './index.js';
import { closeSmppLinks } from './smpp.js';

const API_KEY = '7B5D3F1A9C8E6D4B2A0F9E8D7C6B5A4F3E2D1C0B';
const SERVICE_LINE = '2000567';
// a number ending in 14 blocks advertising lines; the rest are delivered
const fake = await startFakeKavenegar({
  apiKey: API_KEY,
  price: 100,
  finalStatus: (receptor, _kind, sender) => (receptor.endsWith('14') && sender !== SERVICE_LINE ? 14 : 10),
});
const { app, db, config, url } = await setupTestApp();
const pool = new pg.Pool({ connectionString: url, max: 4 });
afterAll(async () => {
  await pool.end();
  await fake.close();
});
const secrets = createSecretBox(config.secretKey!);
const admin = await logInAsAdmin(app);
// as an administrator sets it on the settings page
const saved = await admin.patch('/api/v1/settings/channels', {
  sms: { provider: 'kavenegar', line: '30001234', secret: API_KEY, api_url: fake.url },
});

const q = async <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
  (await pool.query(text, params)).rows as T[];

/** `n` SMS due now, as the planner writes them; their numbers end in `ending`. */
async function queue(n: number, ending = '0') {
  await pool.query(
    `INSERT INTO notifications (occasion_key, business_date, facility_id, facility_nos, branch_id, recipient_role,
       recipient_name, person_key, channel, address, text, scheduled_at, window_ends_at, next_try_at)
     SELECT 'w1:' || g || ':sms:2025-06-01#1', '2025-06-01', g, ARRAY['F-' || g], 1, 'borrower', 'مریم رضایی',
       'p' || g, 'sms', '0912' || lpad(g::text, 7 - length($2), '0') || $2, 'بدهی معوق شما ' || g || ' ریال است',
       now() - interval '1 minute', now() + interval '1 hour', now() - interval '1 minute'
     FROM generate_series(1, $1) g`,
    [n, ending],
  );
}

const run = async () =>
  dispatch(pool, await channelAdapters(db, pool, secrets), {
    untilEmpty: true,
    idleMs: 20,
    timezone: 'Asia/Tehran',
  });

beforeEach(async () => {
  await pool.query(
    'TRUNCATE letter_marks, notifications, notification_events, channel_states, sms_ad_blocked',
  );
  fake.credit = Number.MAX_SAFE_INTEGER;
});

describe('dispatch through Kavenegar (issue 6 points 1 and 7)', () => {
  it('an administrator sets the Kavenegar account; the SMS go through it in batches of 200 and are delivered', async () => {
    expect(saved.statusCode).toBe(200);
    expect(saved.json<{ sms: unknown }>().sms).toMatchObject({
      provider: 'kavenegar',
      api_url: fake.url,
      secret: { set: true },
    });
    await queue(450);
    const calls = fake.calls.get('sms/sendarray') ?? 0;
    const taken = fake.messages.length;
    const totals = await run();
    expect(totals).toMatchObject({ sent: 450, reports: 450, failed: 0 });
    expect(fake.calls.get('sms/sendarray')! - calls).toBe(3); // 200 + 200 + 50
    expect(fake.messages.length - taken).toBe(450);
    const rows = await q<{
      status: string;
      provider: string;
      provider_id: string;
      address: string;
      id: string;
    }>(`SELECT status, provider, provider_id, address, id::text FROM notifications`);
    const byLocalId = new Map(fake.messages.map((m) => [m.localid, m]));
    for (const r of rows) {
      expect(r).toMatchObject({ status: 'delivered', provider: 'kavenegar' });
      const sent = byLocalId.get(r.id)!;
      expect(sent).toMatchObject({ receptor: r.address, sender: '30001234' });
      expect(r.provider_id).toBe(String(sent.messageid));
    }
  });

  it('a number that blocks advertising lines (state 14) is sent again on the service line (P5)', async () => {
    await pool.query(
      `INSERT INTO settings (key, value) VALUES ('sms_lines', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [JSON.stringify({ advertising: '30001234', service: SERVICE_LINE })],
    );
    await queue(1, '14');
    await run();
    expect(await q(`SELECT attempt, line, status, provider FROM notifications ORDER BY attempt`)).toEqual([
      { attempt: 1, line: 'advertising', status: 'failed', provider: 'kavenegar' },
      { attempt: 2, line: 'service', status: 'delivered', provider: 'kavenegar' },
    ]);
    const [address] = await q<{ address: string }>(`SELECT address FROM notifications LIMIT 1`);
    expect(fake.messages.filter((m) => m.receptor === address!.address).map((m) => m.sender)).toEqual([
      '30001234',
      SERVICE_LINE,
    ]);
  });

  it('out of credit (418): the channel stops with the reason, the messages wait, and go once credit is back', async () => {
    fake.credit = 100 * 150; // enough for 150 of 250
    await queue(250);
    const taken = fake.messages.length;
    await run();
    expect(await q(`SELECT status, count(*)::int AS n FROM notifications GROUP BY 1`)).toEqual([
      { status: 'queued', n: 250 },
    ]);
    expect(fake.messages.length).toBe(taken);
    const [state] = await q<{ reason: string; paused: boolean }>(
      `SELECT reason, paused_until > now() AS paused FROM channel_states WHERE channel = 'sms'`,
    );
    expect(state).toMatchObject({ paused: true, reason: expect.stringContaining('اعتبار') as string });
    // the administrators are told, naming the provider and the reason
    const alerts = await admin.get('/api/v1/notifications/channel-alerts');
    expect(alerts.json<{ items: unknown[] }>().items).toEqual([
      {
        channel: 'sms',
        provider: 'kavenegar',
        reason: expect.stringContaining('(کد ۴۱۸)') as string,
        since: expect.any(String) as string,
      },
    ]);
    // credit bought; the pause runs out
    fake.credit = Number.MAX_SAFE_INTEGER;
    await pool.query(`UPDATE channel_states SET paused_until = now() WHERE channel = 'sms'`);
    expect(await run()).toMatchObject({ sent: 250 });
    expect(fake.messages.length - taken).toBe(250);
    expect(await q(`SELECT status, count(*)::int AS n FROM notifications GROUP BY 1`)).toEqual([
      { status: 'delivered', n: 250 },
    ]);
    expect(
      (await admin.get('/api/v1/notifications/channel-alerts')).json<{ items: unknown[] }>().items,
    ).toEqual([]);
  });
});

describe('a second SMS provider (issue 6 point 3)', () => {
  const BACKUP_KEY = '0F1E2D3C4B5A69788796A5B4C3D2E1F00F1E2D3C';
  it('carries the traffic while the first is out of credit; the report names it; the first takes over again', async () => {
    const backup = await startFakeKavenegar({ apiKey: BACKUP_KEY });
    try {
      const set = await admin.patch('/api/v1/settings/channels', {
        sms_backup: { provider: 'kavenegar', line: '30009999', secret: BACKUP_KEY, api_url: backup.url },
      });
      expect(set.statusCode).toBe(200);
      fake.credit = 0;
      await queue(300);
      expect(await run()).toMatchObject({ sent: 300, reports: 300 });
      expect(backup.messages).toHaveLength(300);
      expect(backup.messages.every((m) => m.sender === '30009999')).toBe(true);
      expect(await q(`SELECT status, provider, count(*)::int AS n FROM notifications GROUP BY 1, 2`)).toEqual(
        [{ status: 'delivered', provider: 'kavenegar_2', n: 300 }],
      );
      // the channel did not stop, yet the administrators are told the first refuses its account
      expect(await q(`SELECT count(*)::int AS n FROM channel_states WHERE paused_until > now()`)).toEqual([
        { n: 0 },
      ]);
      const alerts = await admin.get('/api/v1/notifications/channel-alerts');
      expect(alerts.json<{ items: { provider: string }[] }>().items.map((a) => a.provider)).toEqual([
        'kavenegar',
      ]);

      // credit bought: the next dispatcher pass goes through the first again, and the alert is over
      fake.credit = Number.MAX_SAFE_INTEGER;
      const taken = fake.messages.length;
      await pool.query(`UPDATE notifications SET occasion_key = 'old-' || id`);
      await queue(10);
      expect(await run()).toMatchObject({ sent: 10 });
      expect(fake.messages.length - taken).toBe(10);
      expect(backup.messages).toHaveLength(300);
      expect(
        (await admin.get('/api/v1/notifications/channel-alerts')).json<{ items: unknown[] }>().items,
      ).toEqual([]);
    } finally {
      await admin.patch('/api/v1/settings/channels', { sms_backup: { provider: 'none', secret: '' } });
      await backup.close();
    }
  });

  it('is refused with a simulator as the first provider, naming the field', async () => {
    const res = await admin.patch('/api/v1/settings/channels', {
      sms: { provider: 'simulator' },
      sms_backup: { provider: 'kavenegar', line: '30009999', secret: BACKUP_KEY },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { field: string } }>().error.field).toBe('sms_backup.provider');
  });
});

describe('SMS over SMPP (issue 6 point 2)', () => {
  it('an administrator sets the SMSC account and tests it; the SMS go through the bind and their receipts deliver them; SMPP also serves as the second provider', async () => {
    const smsc = await startFakeSmsc({ systemId: 'bank_esme', password: 'smpp-pass-4321', receiptMs: 10 });
    try {
      // the SMSC's account as the administrator types it: the user name is the system_id
      const smscAccount = {
        provider: 'smpp',
        line: '98100200',
        host: smsc.host,
        port: smsc.port,
        username: 'bank_esme',
        secret: 'smpp-pass-4321',
      };
      const set = await admin.patch('/api/v1/settings/channels', { sms: smscAccount });
      expect(set.statusCode).toBe(200);
      const tested = await admin.post('/api/v1/settings/channels/test', { group: 'sms' });
      expect(tested.json<unknown>()).toMatchObject({ ok: true, provider: 'smpp' });
      await queue(250);
      const t1 = await run();
      expect(t1).toMatchObject({ sent: 250, reports: 250, failed: 0 });
      const rows = await q<{ status: string; provider: string; provider_id: string; address: string }>(
        `SELECT status, provider, provider_id, address FROM notifications`,
      );
      expect(rows.every((r) => r.status === 'delivered' && r.provider === 'smpp')).toBe(true);
      const byId = new Map(smsc.messages.map((m) => [m.messageIds.join(','), m]));
      for (const r of rows) expect(byId.get(r.provider_id)?.destination).toBe(`98${r.address.slice(1)}`);
      // from the advertising line of the settings (P5, set by the test above), else the account's line
      const [lines] = await q<{ value: { advertising: string } }>(
        `SELECT value FROM settings WHERE key = 'sms_lines'`,
      );
      const line = lines?.value.advertising || '98100200';
      expect(new Set(smsc.messages.map((m) => m.source))).toEqual(new Set([line]));

      // Kavenegar first and out of credit: the SMSC, second, carries the traffic and the report says so
      await admin.patch('/api/v1/settings/channels', {
        sms: { provider: 'kavenegar', line: '30001234', secret: API_KEY, api_url: fake.url },
        sms_backup: smscAccount,
      });
      fake.credit = 0;
      await pool.query(`UPDATE notifications SET occasion_key = 'old-' || id`);
      await pool.query(`DELETE FROM notifications`);
      await queue(20);
      const t2 = await run();
      expect(t2).toMatchObject({ sent: 20, reports: 20 });
      expect(await q(`SELECT status, provider, count(*)::int AS n FROM notifications GROUP BY 1, 2`)).toEqual(
        [{ status: 'delivered', provider: 'smpp_2', n: 20 }],
      );
    } finally {
      await admin.patch('/api/v1/settings/channels', {
        sms: { provider: 'kavenegar', line: '30001234', secret: API_KEY, api_url: fake.url },
        sms_backup: { provider: 'none', secret: '' },
      });
      await closeSmppLinks();
      await smsc.close();
    }
  });
});

describe('test connection of the accounts (issue 6 point 7)', () => {
  const test = (group: string) => admin.post('/api/v1/settings/channels/test', { group });

  it('reports what Kavenegar answered: the credit left, a wrong key, or no answer at all', async () => {
    fake.credit = 1_250_000;
    expect((await test('sms')).json<unknown>()).toEqual({
      ok: true,
      provider: 'kavenegar',
      message: 'کاوه‌نگار پاسخ داد: حساب فعال است؛ اعتبار باقی‌مانده ۱٬۲۵۰٬۰۰۰ ریال',
    });
    await admin.patch('/api/v1/settings/channels', { sms: { secret: 'a-key-kavenegar-never-issued' } });
    try {
      expect((await test('sms')).json<unknown>()).toMatchObject({
        ok: false,
        message: expect.stringContaining('کلید API معتبر نیست') as string,
      });
    } finally {
      await admin.patch('/api/v1/settings/channels', { sms: { secret: API_KEY } });
    }
    await fake.down();
    try {
      expect((await test('sms')).json<unknown>()).toMatchObject({
        ok: false,
        message: expect.stringContaining('پاسخ نداد') as string,
      });
    } finally {
      await fake.up();
    }
  });

  it('the simulator needs no connection; a group that is not an account is refused by name', async () => {
    expect((await test('ivr')).json<unknown>()).toMatchObject({ ok: true, provider: 'simulator' });
    const bad = await test('fax');
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { message: string } }>().error.message).toContain('حساب مورد آزمون');
  });
});

describe('e-mail through the bank’s SMTP server (issue 6 point 5)', () => {
  it('an administrator sets the SMTP account; the e-mails go through it and are delivered', async () => {
    const received: { to: string; text: string }[] = [];
    const smtp = new SMTPServer({
      closeTimeout: 100,
      authOptional: false,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      onAuth: (auth, _s, done) =>
        auth.password === 'smtp-pass-9876' ? done(null, { user: 1 }) : done(new Error('Invalid login')),
      onData(stream, session, done) {
        void simpleParser(stream).then((mail) => {
          received.push({ to: session.envelope.rcptTo[0]!.address, text: mail.text?.trim() ?? '' });
          done();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    try {
      const set = await admin.patch('/api/v1/settings/channels', {
        email: {
          from: 'collection@bank.ir',
          host: '127.0.0.1',
          port: (smtp.server.address() as AddressInfo).port,
          security: 'none',
          username: 'collection',
          secret: 'smtp-pass-9876',
        },
      });
      expect(set.statusCode).toBe(200);
      const test = await admin.post('/api/v1/settings/channels/test', { group: 'email' });
      expect(test.json()).toMatchObject({ ok: true, provider: 'smtp' });
      await pool.query(
        `INSERT INTO notifications (occasion_key, business_date, facility_id, facility_nos, branch_id, recipient_role,
           recipient_name, person_key, channel, address, text, scheduled_at, window_ends_at, next_try_at)
         SELECT 'w1:' || g || ':email:2025-06-01#1', '2025-06-01', g, ARRAY['F-' || g], 1, 'borrower', 'مریم رضایی',
           'p' || g, 'email', 'person' || g || '@example.ir', 'قسط شما ' || g || ' روز معوق است',
           now() - interval '1 minute', now() + interval '1 hour', now() - interval '1 minute'
         FROM generate_series(1, 3) g`,
      );
      expect(await run()).toMatchObject({ sent: 3, reports: 3 });
      expect(await q(`SELECT status, provider, count(*)::int AS n FROM notifications GROUP BY 1, 2`)).toEqual(
        [{ status: 'delivered', provider: 'smtp', n: 3 }],
      );
      expect(received.sort((a, b) => a.to.localeCompare(b.to))).toEqual([
        { to: 'person1@example.ir', text: 'قسط شما 1 روز معوق است' },
        { to: 'person2@example.ir', text: 'قسط شما 2 روز معوق است' },
        { to: 'person3@example.ir', text: 'قسط شما 3 روز معوق است' },
      ]);
    } finally {
      await admin.patch('/api/v1/settings/channels', {
        email: { from: '', host: '', port: null, username: '', secret: '' },
      });
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    }
  });
});
