import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startFakeKavenegar } from '../peers/kavenegar.js';
import { startFakeSmsc } from '../peers/smpp.js';
import { createSecretBox } from '../platform/secrets.js';
import { SETTING_DEFAULTS } from '../platform/settings.js';
import { runVosul } from './child.js';

export interface DispatchFigures {
  notifications: number;
  seconds: number;
  per_second: number;
}

/**
 * Dispatch end to end through the simulator provider: `n` SMS to borrowers of the book queued due
 * now (rows as the planner writes them), then `vosul dispatch --until-empty` as a child process —
 * claim, send, the provider's acceptance and its delivery report recorded for each.
 */
export async function measureDispatch(
  url: string,
  env: NodeJS.ProcessEnv,
  n: number,
): Promise<DispatchFigures> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // the simulator's usual answers, without its default rate limit: the figure is Vosul's own pace
    await client.query(
      `INSERT INTO settings (key, value) VALUES ('notification_simulator', $1)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [JSON.stringify({ ...SETTING_DEFAULTS.notification_simulator, per_second: 100_000 })],
    );
  } finally {
    await client.end();
  }
  return dispatchQueued(url, env, n);
}

/**
 * The same through Kavenegar's REST API (issue 6 point 8): the local Kavenegar of the tests
 * (`peers/kavenegar.ts`, answering as the published API) set as the SMS account, batches of 200 by
 * `sms/sendarray`, delivery by `sms/status`. The account is the simulator again afterwards.
 */
export async function measureKavenegarDispatch(
  url: string,
  env: NodeJS.ProcessEnv,
  n: number,
): Promise<DispatchFigures & { sendarray_calls: number }> {
  const apiKey = randomBytes(20).toString('hex');
  const fake = await startFakeKavenegar({ apiKey });
  try {
    const figures = await withSmsAccount(url, env, apiKey, { provider: 'kavenegar', api_url: fake.url }, n);
    if (fake.messages.length !== figures.notifications)
      throw new Error(`Kavenegar took ${fake.messages.length} messages of ${figures.notifications}`);
    return { ...figures, sendarray_calls: fake.calls.get('sms/sendarray') ?? 0 };
  } finally {
    await fake.close();
  }
}

/**
 * The same over SMPP v3.4 (issue 6 point 8): the local SMSC of the tests (`peers/smpp.ts`, made with
 * the same `smpp` package) as the SMS account — one transceiver bind, submit_sm through the window,
 * every message's delivery receipt (deliver_sm) kept and reported.
 */
export async function measureSmppDispatch(
  url: string,
  env: NodeJS.ProcessEnv,
  n: number,
): Promise<DispatchFigures & { submits: number; submits_per_second: number }> {
  const password = randomBytes(6).toString('hex');
  const smsc = await startFakeSmsc({ systemId: 'vosul_bench', password, receiptMs: 10 });
  try {
    const figures = await withSmsAccount(
      url,
      env,
      password,
      { provider: 'smpp', host: smsc.host, port: smsc.port, username: 'vosul_bench' },
      n,
    );
    if (smsc.messages.length !== figures.notifications)
      throw new Error(`the SMSC took ${smsc.messages.length} messages of ${figures.notifications}`);
    // each part of each message submitted once, none twice
    const parts = smsc.messages.reduce((sum, m) => sum + m.parts, 0);
    if (smsc.submits.length !== parts)
      throw new Error(
        `${smsc.submits.length} submit_sm for ${parts} parts of ${figures.notifications} messages`,
      );
    return {
      ...figures,
      submits: smsc.submits.length,
      submits_per_second: Math.round(smsc.submits.length / figures.seconds),
    };
  } finally {
    await smsc.close();
  }
}

/** `n` SMS dispatched with the SMS account set to `account` (its secret sealed as the settings keep it). */
async function withSmsAccount(
  url: string,
  env: NodeJS.ProcessEnv,
  secret: string,
  account: Record<string, unknown>,
  n: number,
): Promise<DispatchFigures> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const accounts = SETTING_DEFAULTS.channel_accounts;
    await client.query(
      `INSERT INTO settings (key, value) VALUES ('channel_accounts', $1)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [
        JSON.stringify({
          ...accounts,
          sms: {
            ...accounts.sms,
            line: '10004346',
            secret_sealed: createSecretBox(env.VOSUL_SECRET_KEY!).seal(secret),
            ...account,
          },
        }),
      ],
    );
    return await dispatchQueued(url, env, n);
  } finally {
    await client.query(`DELETE FROM settings WHERE key = 'channel_accounts'`).catch(() => undefined);
    await client.end();
  }
}

async function dispatchQueued(url: string, env: NodeJS.ProcessEnv, n: number): Promise<DispatchFigures> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // the day's plan of the bench's dunning ladder (run_day) is not part of this figure: set aside, so
    // the dispatcher sends exactly the rows below whatever the hour of the run
    await client.query(`UPDATE notifications SET status = 'cancelled' WHERE status IN ('queued', 'sent')`);
    // and its dead row versions cleared, so that no autovacuum of them runs inside the measured time
    await client.query('VACUUM (ANALYZE) notifications');
    const { rowCount } = await client.query(
      `INSERT INTO notifications (occasion_key, business_date, facility_id, facility_nos, branch_id, recipient_role,
         recipient_name, person_key, channel, address, text, scheduled_at, window_ends_at, next_try_at)
       SELECT 'bench:' || f.id || ':sms#1', current_date, f.id, ARRAY[f.facility_no], f.branch_id, 'borrower',
         btrim(coalesce(c.first_name, '') || ' ' || c.last_name), coalesce(c.national_id, c.mobile, c.customer_no), 'sms',
         coalesce(c.mobile, '09120000000'),
         'مشتری گرامی، قسط تسهیلات ' || f.facility_no || ' سررسید گذشته است؛ لطفاً پرداخت فرمایید.',
         now(), now() + interval '12 hours', now()
       FROM facilities f JOIN customers c ON c.id = f.customer_id
       ORDER BY f.id LIMIT $1`,
      [n],
    );
    const run = await runVosul(['dispatch', '--until-empty', '--json'], env);
    if (run.code !== 0)
      throw new Error(`vosul dispatch failed (exit ${run.code}):\n${run.stderr.slice(-2000)}`);
    const result = JSON.parse(run.stdout) as { sent: number; reports: number; seconds: number };
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM notifications WHERE occasion_key LIKE 'bench:%' AND status IN ('delivered', 'failed', 'expired')`,
    );
    if (rows[0]!.n !== rowCount)
      throw new Error(`dispatch left ${(rowCount ?? 0) - rows[0]!.n} notifications unreported`);
    return {
      notifications: rowCount ?? 0,
      seconds: result.seconds,
      per_second: Math.round((rowCount ?? 0) / result.seconds),
    };
  } finally {
    await client.query(`DELETE FROM notifications WHERE occasion_key LIKE 'bench:%'`).catch(() => undefined);
    await client.end();
  }
}
