import { describe, expect, it } from 'vitest';
import { factory, logIn, logInAsAdmin, setupTestApp } from '../../../test/harness.js';
import { createSecretBox } from '../../platform/secrets.js';
import { readChannelAccounts } from './settings.service.js';

const { app, db, config } = await setupTestApp();
const secrets = createSecretBox(config.secretKey!);
const admin = await logInAsAdmin(app);
const PATH = '/api/v1/settings/channels';
type ErrorBody = { error: { code: string; field?: string; message: string } };

const API_KEY = '4F6A2B3C9D0E1F7A8B5C-kavenegar-1234';
const NEW_API_KEY = 'another-api-key-from-kavenegar-5678';
const SMTP_PASSWORD = 'smtp-pass-word-9876';

/** The setting's JSON exactly as it lies in the database. */
const rawSetting = async () =>
  (
    await db
      .selectFrom('settings')
      .select((eb) => eb.cast<string>('value', 'text').as('text'))
      .where('key', '=', 'channel_accounts')
      .executeTakeFirstOrThrow()
  ).text;

const auditRows = () =>
  db
    .selectFrom('audit_log')
    .select(['before', 'after', 'actor_username'])
    .where('entity', '=', 'setting')
    .where('entity_id', '=', 'channel_accounts')
    .orderBy('id')
    .execute();

describe('provider accounts (V8; issue 5 point 7)', () => {
  it('reads no accounts at first: simulators, nothing set', async () => {
    const res = await admin.get(PATH);
    expect(res.statusCode).toBe(200);
    // an SMS account with nothing set: the first provider's and the second's
    const noSms = {
      line: '',
      username: '',
      secret: { set: false, last4: null },
      host: '',
      port: null,
      system_type: '',
      api_url: '',
    };
    expect(res.json()).toEqual({
      sms: { provider: 'simulator', ...noSms },
      sms_backup: { provider: 'none', ...noSms },
      email: {
        from: '',
        host: '',
        port: null,
        security: 'starttls',
        username: '',
        secret: { set: false, last4: null },
      },
      ivr: {
        number: '',
        provider: 'simulator',
        ari_url: '',
        ari_app: 'vosul',
        ari_endpoint: '',
        ari_media_url: '',
        username: '',
        secret: { set: false, last4: null },
        api_url: '',
      },
    });
    expect(await readChannelAccounts(db, secrets)).toMatchObject({
      sms: { provider: 'simulator', secret: null },
      email: { secret: null },
      ivr: { provider: 'simulator', secret: null },
    });
  });

  it('seals a secret: the database holds no plain secret, GET shows only set and the last 4', async () => {
    const res = await admin.patch(PATH, {
      sms: { provider: 'kavenegar', line: '۳۰۰۰ ۴۵۶۷۸', secret: `  ${API_KEY}\n` },
      email: {
        from: 'collection@bank.ir',
        host: 'smtp.bank.ir',
        port: 587,
        username: 'vosul',
        secret: SMTP_PASSWORD,
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).not.toContain(API_KEY);
    expect(res.body).not.toContain(SMTP_PASSWORD);
    expect(res.json()).toMatchObject({
      sms: { provider: 'kavenegar', line: '300045678', secret: { set: true, last4: '…1234' } },
      email: { host: 'smtp.bank.ir', port: 587, secret: { set: true, last4: '…9876' } },
      ivr: { secret: { set: false, last4: null } },
    });
    const get = await admin.get(PATH);
    expect(get.json()).toEqual(res.json());
    expect(get.body).not.toContain(API_KEY);

    const raw = await rawSetting();
    expect(raw).not.toContain(API_KEY);
    expect(raw).not.toContain(API_KEY.slice(0, 12));
    expect(raw).not.toContain(SMTP_PASSWORD);
    const stored = JSON.parse(raw) as { sms: Record<string, unknown> };
    expect(stored.sms).toMatchObject({ secret_sealed: expect.stringMatching(/^v1\./) as unknown });
    expect(stored.sms).not.toHaveProperty('secret');

    // what the adapters of issue 6 read: the secret opened, trimmed as typed
    expect(await readChannelAccounts(db, secrets)).toMatchObject({
      sms: { provider: 'kavenegar', line: '300045678', secret: API_KEY },
      email: { host: 'smtp.bank.ir', port: 587, username: 'vosul', secret: SMTP_PASSWORD },
      ivr: { secret: null },
    });
  });

  it('keeps a secret that is not sent, replaces one that is, clears one sent empty', async () => {
    // absent: kept, while other fields change
    let res = await admin.patch(PATH, { sms: { username: 'bank-user' }, email: { security: 'tls' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      sms: { username: 'bank-user', secret: { set: true, last4: '…1234' } },
      email: { security: 'tls', secret: { set: true, last4: '…9876' } },
    });
    expect((await readChannelAccounts(db, secrets)).sms.secret).toBe(API_KEY);

    // a value: replaced
    res = await admin.patch(PATH, { sms: { secret: NEW_API_KEY } });
    expect(res.json()).toMatchObject({ sms: { secret: { set: true, last4: '…5678' } } });
    expect((await readChannelAccounts(db, secrets)).sms.secret).toBe(NEW_API_KEY);
    expect(await rawSetting()).not.toContain(NEW_API_KEY);

    // '': cleared (the simulator needs no key)
    res = await admin.patch(PATH, { sms: { provider: 'simulator', secret: '' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ sms: { provider: 'simulator', secret: { set: false, last4: null } } });
    const opened = await readChannelAccounts(db, secrets);
    expect(opened.sms.secret).toBeNull();
    expect(opened.email.secret).toBe(SMTP_PASSWORD);
    expect(await rawSetting()).toContain('"secret_sealed": null');
  });

  it('shows nothing of a short secret and keeps its characters as typed (Persian digits too)', async () => {
    const res = await admin.patch(PATH, {
      ivr: {
        provider: 'asterisk_ari',
        ari_url: 'http://10.0.0.5:8088/ari',
        ari_endpoint: 'PJSIP/{number}@trunk',
        username: 'ari',
        secret: 'ر۱۲۳',
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ ivr: { secret: { set: true, last4: null } } });
    expect((await readChannelAccounts(db, secrets)).ivr.secret).toBe('ر۱۲۳');
  });

  it('audits every change in the masked form: no audit row holds a secret', async () => {
    const rows = await auditRows();
    expect(rows.length).toBeGreaterThanOrEqual(4);
    const text = JSON.stringify(rows);
    for (const secret of [API_KEY, NEW_API_KEY, SMTP_PASSWORD, 'ر۱۲۳']) expect(text).not.toContain(secret);
    expect(text).not.toContain('v1.');
    expect(rows[0]).toMatchObject({
      actor_username: 'admin',
      before: { sms: { provider: 'simulator', secret: { set: false, last4: null } } },
      after: { sms: { provider: 'kavenegar', line: '300045678', secret: { set: true, last4: '…1234' } } },
    });
    expect(rows[2]).toMatchObject({
      before: { sms: { secret: { set: true, last4: '…1234' } } },
      after: { sms: { secret: { set: true, last4: '…5678' } } },
    });
  });

  it('refuses bad values, naming the field in Persian; nothing is saved', async () => {
    const before = (await admin.get(PATH)).body;
    const cases: [object, string, string][] = [
      [{ sms: { port: 0 } }, 'sms.port', 'درگاه مرکز پیامک'],
      [{ sms: { port: 65_536 } }, 'sms.port', '۶۵۵۳۵'],
      [{ email: { port: 25.5 } }, 'email.port', 'درگاه سرور SMTP'],
      [{ email: { port: '587' } }, 'email.port', 'درگاه سرور SMTP'],
      [{ email: { from: 'collection.bank.ir' } }, 'email.from', 'نشانی فرستنده'],
      [{ email: { host: 'http://smtp.bank.ir' } }, 'email.host', 'نشانی سرور SMTP'],
      [{ email: { security: 'ssl3' } }, 'email.security', 'رمزنگاری'],
      [{ ivr: { ari_url: 'ftp://10.0.0.5/ari' } }, 'ivr.ari_url', 'نشانی ARI'],
      [{ ivr: { ari_url: 'نشانی' } }, 'ivr.ari_url', 'نشانی ARI'],
      [{ ivr: { number: '12ab' } }, 'ivr.number', 'شماره سامانه تلفن گویا'],
      [{ sms: { line: '30-00-x' } }, 'sms.line', 'شماره خط'],
      [{ sms: { provider: 'magfa' } }, 'sms.provider', 'سرویس‌دهنده پیامک'],
      [{ sms: { system_type: 'x'.repeat(13) } }, 'sms.system_type', 'نوع سامانه'],
      [{ sms: { api_url: 'api.kavenegar.com' } }, 'sms.api_url', 'نشانی وب‌سرویس پیامک'],
      [{ ivr: { api_url: 'ftp://api.kavenegar.com' } }, 'ivr.api_url', 'نشانی وب‌سرویس تماس'],
      [{ ivr: { ari_endpoint: 'PJSIP/09121234567@trunk' } }, 'ivr.ari_endpoint', '{number}'],
      [{ ivr: { ari_app: 'وصول' } }, 'ivr.ari_app', 'نام برنامه Stasis'],
      // what a chosen provider needs, on the merged values
      [{ sms: { provider: 'kavenegar', line: '30004567' } }, 'sms.secret', 'کلید API'],
      [{ sms: { provider: 'smpp', line: '30004567', secret: 'smpp-password' } }, 'sms.host', 'SMPP'],
      [
        { sms: { provider: 'smpp', line: '30004567', secret: 'smpp-password', host: 'smsc.bank.ir' } },
        'sms.port',
        'درگاه',
      ],
      [{ email: { port: null } }, 'email.port', 'درگاه سرور SMTP'],
      [{ ivr: { ari_url: '' } }, 'ivr.ari_url', 'نشانی ARI'],
      [{ ivr: { ari_endpoint: '' } }, 'ivr.ari_endpoint', 'مقصد تماس در Asterisk'],
      [{ ivr: { ari_media_url: 'vosul.bank.local' } }, 'ivr.ari_media_url', 'نشانی وصول از دید مرکز تلفن'],
      [{ ivr: { ari_media_url: 'http://10.0.0.9:3000/?a=1' } }, 'ivr.ari_media_url', 'نشانی پایه'],
      [{ ivr: { provider: 'kavenegar_tts' } }, 'ivr.number', 'شماره سامانه'],
    ];
    for (const [body, field, words] of cases) {
      const res = await admin.patch(PATH, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      const error = res.json<ErrorBody>().error;
      expect(error.field, JSON.stringify(body)).toBe(field);
      expect(error.message, JSON.stringify(body)).toContain(words);
    }
    expect((await admin.patch(PATH, {})).statusCode).toBe(400);
    expect((await admin.get(PATH)).body).toBe(before);
    // a refused secret is not echoed back either
    const refused = await admin.patch(PATH, { sms: { secret: API_KEY, port: 0 } });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).not.toContain(API_KEY);
  });

  it('is for HQ only: a province user and a user without the page get 403', async () => {
    const province = await factory.province(db);
    await factory.user(db, { username: 'ca_prov', provinceId: province.id });
    const prov = await logIn(app, 'ca_prov', 'password-1234');
    expect(prov.user.pages).toContain('system_settings');
    expect((await prov.get(PATH)).statusCode).toBe(403);
    expect((await prov.patch(PATH, { sms: { secret: '' } })).statusCode).toBe(403);

    await factory.user(db, { username: 'ca_officer', group: 'collection_officer' });
    const officer = await logIn(app, 'ca_officer', 'password-1234');
    expect((await officer.get(PATH)).statusCode).toBe(403);
    expect((await officer.patch(PATH, { sms: { secret: '' } })).statusCode).toBe(403);
    expect((await readChannelAccounts(db, secrets)).email.secret).toBe(SMTP_PASSWORD);
  });
});
