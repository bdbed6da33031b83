import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/harness.js';
import { SETTING_DEFAULTS, type SimulatorRates } from '../../platform/settings.js';
import { simulatorAdapter } from './channels/simulator.js';
import { dispatch, sendBatch } from './dispatch.service.js';

const VOSUL = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/vosul.js');
const { url } = await createTestDatabase();
const pool = new pg.Pool({ connectionString: url, max: 8 });
afterAll(() => pool.end());

const q = async <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
  (await pool.query(text, params)).rows as T[];

const RATES: SimulatorRates = { ...SETTING_DEFAULTS.notification_simulator, delivered: 1, failed: 0 };
const sms = (rates: Partial<SimulatorRates> = {}) => ({
  sms: simulatorAdapter(pool, 'sms', { ...RATES, ...rates }),
});

/** `n` messages of one channel due now (as the planner writes them), their window open for an hour. */
async function queue(
  n: number,
  fields: { channel?: string; maxAttempts?: number; retryMinutes?: number; windowMinutes?: number } = {},
) {
  await pool.query(
    `INSERT INTO notifications (occasion_key, business_date, facility_id, facility_nos, branch_id, recipient_role,
       recipient_name, person_key, channel, address, text, max_attempts, retry_minutes, scheduled_at,
       window_ends_at, next_try_at)
     SELECT 'w1:' || g || ':' || $1 || ':2025-06-01#1', '2025-06-01', g, ARRAY['F-' || g], 1, 'borrower',
       'مریم رضایی', 'p' || g, $1, '0912' || lpad(g::text, 7, '0'), 'بدهی معوق شما', $2, $3,
       now() - interval '1 minute', now() + make_interval(mins => $4), now() - interval '1 minute'
     FROM generate_series(1, $5) g`,
    [
      fields.channel ?? 'sms',
      fields.maxAttempts ?? 1,
      fields.retryMinutes ?? 0,
      fields.windowMinutes ?? 60,
      n,
    ],
  );
}

const statuses = () =>
  q<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM notifications GROUP BY 1 ORDER BY 1`,
  );

beforeEach(async () => {
  await pool.query('TRUNCATE notifications, notification_events, channel_states, simulator_messages');
});

describe('dispatch through the simulator provider', () => {
  it('sends due messages, keeps the provider id and every status change with its time', async () => {
    await queue(3);
    const totals = await dispatch(pool, sms(), { untilEmpty: true, idleMs: 20 });
    expect(totals).toMatchObject({ sent: 3, reports: 3 });
    expect(await statuses()).toEqual([{ status: 'delivered', n: 3 }]);
    const rows = await q<{ provider: string; provider_id: string; message_id: string }>(
      `SELECT n.provider, n.provider_id, s.message_id::text FROM notifications n
       JOIN simulator_messages s ON s.local_id = n.id || '-' || n.attempt`,
    );
    expect(rows).toHaveLength(3);
    for (const r of rows) expect(r).toMatchObject({ provider: 'simulator-sms', provider_id: r.message_id });
    const events = await q<{ statuses: string[] }>(
      `SELECT array_agg(status ORDER BY at, id) AS statuses FROM notification_events GROUP BY notification_id`,
    );
    expect(events).toEqual(Array(3).fill({ statuses: ['sent', 'delivered'] }));
  });

  it('two dispatchers at once send every message exactly once', async () => {
    await queue(1500);
    const [a, b] = await Promise.all([
      dispatch(pool, sms(), { untilEmpty: true, idleMs: 20 }),
      dispatch(pool, sms(), { untilEmpty: true, idleMs: 20 }),
    ]);
    expect(a.sent + b.sent).toBe(1500);
    expect(a.sent).toBeGreaterThan(0);
    expect(b.sent).toBeGreaterThan(0);
    expect(await q(`SELECT count(*)::int AS n FROM simulator_messages`)).toEqual([{ n: 1500 }]);
    expect(
      await q(
        `SELECT count(*)::int AS n FROM notification_events WHERE status = 'sent' GROUP BY notification_id HAVING count(*) > 1`,
      ),
    ).toEqual([]);
  });

  it('stops a channel whose provider is down, loses nothing, and sends everything once it is back', async () => {
    await queue(50);
    const down = await sendBatch(pool, sms({ down: true }).sms, 'sms');
    expect(down).toMatchObject({ paused: true, sent: 0 });
    expect(await statuses()).toEqual([{ status: 'queued', n: 50 }]);
    const [pause] = await q<{ reason: string; later: boolean }>(
      `SELECT reason, paused_until > now() AS later FROM channel_states WHERE channel = 'sms'`,
    );
    expect(pause).toEqual({ reason: 'سرویس‌دهنده شبیه‌ساز در دسترس نیست', later: true });
    // while paused nothing is claimed, even with the provider back
    expect(await sendBatch(pool, sms().sms, 'sms')).toMatchObject({ paused: true, claimed: 0 });
    await pool.query(`UPDATE channel_states SET paused_until = now() - interval '1 second'`);
    await dispatch(pool, sms(), { untilEmpty: true, idleMs: 20 });
    expect(await statuses()).toEqual([{ status: 'delivered', n: 50 }]);
    expect(await q(`SELECT failures, paused_until FROM channel_states`)).toEqual([
      { failures: 0, paused_until: null },
    ]);
  });

  it('tries a provider error again with backoff, and fails a recipient the provider rejects', async () => {
    await queue(200);
    const batch = await sendBatch(pool, sms({ retry: 0.3, invalid: 0.1 }).sms, 'sms');
    expect(batch.retried).toBeGreaterThan(20);
    expect(batch.failed).toBeGreaterThan(5);
    expect(batch.sent + batch.retried + batch.failed).toBe(200);
    const [retried] = await q<{ n: number; waits: boolean; tries: number; error: string }>(
      `SELECT count(*)::int AS n, bool_and(next_try_at > now() + interval '25 seconds') AS waits,
         max(tries)::int AS tries, max(last_error) AS error
       FROM notifications WHERE status = 'queued'`,
    );
    expect(retried).toEqual({
      n: batch.retried,
      waits: true,
      tries: 1,
      error: 'سرویس‌دهنده موقتاً پاسخ نداد',
    });
    // not due yet: the next batch takes none of them
    expect((await sendBatch(pool, sms().sms, 'sms')).claimed).toBe(0);
    expect(await q(`SELECT count(*)::int AS n FROM notifications WHERE status = 'failed'`)).toEqual([
      { n: batch.failed },
    ]);
  });

  it('calls again a recipient who did not answer, the interval later, until the day’s attempts are used', async () => {
    // every call goes unanswered; three attempts a day, 30 minutes apart, the window open 2 hours
    await queue(1, { channel: 'call', maxAttempts: 3, retryMinutes: 30, windowMinutes: 120 });
    const call = { call: simulatorAdapter(pool, 'call', { ...RATES, answered: 0, no_answer: 1 }) };
    await dispatch(pool, call, { untilEmpty: true, idleMs: 20 });
    const attempts = await q<{ occasion_key: string; attempt: number; status: string; after: number }>(
      `SELECT occasion_key, attempt, status,
         round(extract(epoch FROM scheduled_at - min(scheduled_at) OVER ()) / 60)::int AS after
       FROM notifications ORDER BY attempt`,
    );
    expect(attempts).toEqual([
      { occasion_key: 'w1:1:call:2025-06-01#1', attempt: 1, status: 'no_answer', after: 0 },
      { occasion_key: 'w1:1:call:2025-06-01#2', attempt: 2, status: 'queued', after: 31 },
    ]);
    // the third attempt would fall after the window closes: none is made
    await pool.query(`UPDATE notifications SET scheduled_at = now() - interval '1 minute',
      next_try_at = now() - interval '1 minute', window_ends_at = now() + interval '20 minutes' WHERE attempt = 2`);
    await dispatch(pool, call, { untilEmpty: true, idleMs: 20 });
    expect(await q(`SELECT attempt, status FROM notifications ORDER BY attempt`)).toEqual([
      { attempt: 1, status: 'no_answer' },
      { attempt: 2, status: 'no_answer' },
    ]);
  });

  it('expires a message whose send window closed before it could go', async () => {
    await queue(2, { windowMinutes: -1 });
    const batch = await sendBatch(pool, sms().sms, 'sms');
    expect(batch).toMatchObject({ claimed: 2, expired: 2, sent: 0 });
    expect(await statuses()).toEqual([{ status: 'expired', n: 2 }]);
  });

  it('loses and doubles nothing when a dispatcher is killed with kill -9 in the middle of a batch', async () => {
    await queue(120);
    // the child dispatcher reads the simulator's answers from the settings, as `vosul dispatch` does
    await pool.query(
      `INSERT INTO settings (key, value) VALUES ('notification_simulator', $1)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [JSON.stringify(RATES)],
    );
    // the provider has accepted the batch, but the dispatcher cannot record it: then it is killed
    const blocker = await pool.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE notification_events IN ACCESS EXCLUSIVE MODE');
    const child = spawn(process.execPath, [VOSUL, 'dispatch', '--until-empty'], {
      env: {
        ...process.env,
        DATABASE_URL: url,
        VOSUL_SECRET_KEY: 'test-secret-key-test-secret-key-0123456789',
        VOSUL_DEMO: '0',
      },
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    let accepted = 0;
    for (let i = 0; i < 400 && accepted < 120; i++) {
      accepted = (await q<{ n: number }>(`SELECT count(*)::int AS n FROM simulator_messages`))[0]!.n;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(accepted).toBe(120);
    child.kill('SIGKILL');
    await exited;
    await blocker.query('ROLLBACK');
    blocker.release();
    // nothing of the killed batch was recorded: the messages are due again
    expect(await statuses()).toEqual([{ status: 'queued', n: 120 }]);
    await dispatch(pool, sms(), { untilEmpty: true, idleMs: 20 });
    expect(await statuses()).toEqual([{ status: 'delivered', n: 120 }]);
    // the provider has each message once, and each notification is the provider's one message
    expect(await q(`SELECT count(*)::int AS n FROM simulator_messages`)).toEqual([{ n: 120 }]);
    expect(
      await q(`SELECT n.id FROM notifications n JOIN simulator_messages s ON s.local_id = n.id || '-' || n.attempt
               WHERE n.provider_id <> s.message_id::text`),
    ).toEqual([]);
  }, 60_000);
});
