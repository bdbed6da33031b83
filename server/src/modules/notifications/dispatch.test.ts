import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/harness.js';
import { SETTING_DEFAULTS, type SimulatorRates } from '../../platform/settings.js';
import { simulatorAdapter } from './channels/simulator.js';
import { QUIET_HOURS_CASES } from '../../../test/quiet-hours.cases.js';
import { dispatch, inQuietHours, sendBatch, type SendRules } from './dispatch.service.js';
import { OPTED_OUT_REASON } from './contact-rules.repository.js';
import { saveInboundSms } from './channels/smpp.repository.js';

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
  await pool.query(
    'TRUNCATE letter_marks, notifications, notification_events, channel_states, simulator_messages, sms_ad_blocked',
  );
  await pool.query(`DELETE FROM settings WHERE key IN ('sms_lines', 'contact_rules')`);
});

describe('dispatch through the simulator provider', () => {
  it('sends due messages, keeps the provider id and every status change with its time', async () => {
    await queue(3);
    const totals = await dispatch(pool, sms(), { untilEmpty: true, idleMs: 20, timezone: 'Asia/Tehran' });
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
      dispatch(pool, sms(), { untilEmpty: true, idleMs: 20, timezone: 'Asia/Tehran' }),
      dispatch(pool, sms(), { untilEmpty: true, idleMs: 20, timezone: 'Asia/Tehran' }),
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
    await dispatch(pool, sms(), { untilEmpty: true, idleMs: 20, timezone: 'Asia/Tehran' });
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
    await dispatch(pool, call, { untilEmpty: true, idleMs: 20, timezone: 'Asia/Tehran' });
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
    await dispatch(pool, call, { untilEmpty: true, idleMs: 20, timezone: 'Asia/Tehran' });
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
    await dispatch(pool, sms(), { untilEmpty: true, idleMs: 20, timezone: 'Asia/Tehran' });
    expect(await statuses()).toEqual([{ status: 'delivered', n: 120 }]);
    // the provider has each message once, and each notification is the provider's one message
    expect(await q(`SELECT count(*)::int AS n FROM simulator_messages`)).toEqual([{ n: 120 }]);
    expect(
      await q(`SELECT n.id FROM notifications n JOIN simulator_messages s ON s.local_id = n.id || '-' || n.attempt
               WHERE n.provider_id <> s.message_id::text`),
    ).toEqual([]);
  }, 60_000);
});

describe('the service line and quiet hours', () => {
  const setting = (key: string, value: unknown) =>
    pool.query(
      `INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [key, JSON.stringify(value)],
    );

  it('sends an SMS again through the service line when the number blocks advertising lines (P5)', async () => {
    await setting('sms_lines', { advertising: '30001234', service: '2000567' });
    await queue(1);
    // every number blocks advertising lines
    await dispatch(pool, sms({ blocks_ads: 1 }), { untilEmpty: true, idleMs: 20, timezone: 'Asia/Tehran' });
    expect(await q(`SELECT attempt, line, status, last_error FROM notifications ORDER BY attempt`)).toEqual([
      {
        attempt: 1,
        line: 'advertising',
        status: 'failed',
        last_error: 'گیرنده پیامک خطوط تبلیغاتی را مسدود کرده است',
      },
      { attempt: 2, line: 'service', status: 'delivered', last_error: null },
    ]);
    // the provider got the second one on the service line
    expect(await q(`SELECT line FROM simulator_messages ORDER BY message_id`)).toEqual([
      { line: 'advertising' },
      { line: 'service' },
    ]);
    // a later message to that number goes on the service line from the start
    await pool.query(`UPDATE notifications SET occasion_key = 'old-' || id`);
    await queue(1);
    await dispatch(pool, sms({ blocks_ads: 1 }), { untilEmpty: true, idleMs: 20, timezone: 'Asia/Tehran' });
    expect(
      await q(`SELECT line, status FROM notifications WHERE occasion_key NOT LIKE 'old-%' ORDER BY attempt`),
    ).toEqual([{ line: 'service', status: 'delivered' }]);
  });

  it('leaves a blocked SMS failed when no service line is configured', async () => {
    await queue(2);
    await dispatch(pool, sms({ blocks_ads: 1 }), { untilEmpty: true, idleMs: 20, timezone: 'Asia/Tehran' });
    expect(await statuses()).toEqual([{ status: 'failed', n: 2 }]);
    expect(await q(`SELECT count(*)::int AS n FROM sms_ad_blocked`)).toEqual([{ n: 2 }]);
  });

  it('an SMS to a mobile that replied «۱۱» after its plan is held when taken, with its event; a legal warning and other mobiles go', async () => {
    const [notice] = await q<{ id: number }>(
      `INSERT INTO workflows (title, from_day, to_day, channels, recipients, start_time, message_kind)
       VALUES ('اطلاع معوق', 1, 30, '{sms}', '{borrower}', '09:00', 'overdue_notice') RETURNING id`,
    );
    const planned = async (key: string, mobile: string, kind: string | null, workflowId: number | null) =>
      pool.query(
        `INSERT INTO notifications (occasion_key, business_date, workflow_id, facility_id, facility_nos, branch_id,
           recipient_role, recipient_name, person_key, channel, address, text, message_kind, scheduled_at,
           window_ends_at, next_try_at)
         VALUES ($1, '2025-06-01', $2, 1, '{F-1}', 1, 'borrower', 'علی', $3, 'sms', $3, 'قسط شما', $4,
           now() - interval '1 minute', now() + interval '1 hour', now() - interval '1 minute')`,
        [key, workflowId, mobile, kind],
      );
    await planned('a-reminder', '09124445566', 'reminder', null);
    // planned before the outbox kept the kind: its workflow's is read
    await planned('a-notice', '09124445566', null, notice!.id);
    // a merged SMS that carries a legal warning is one, whichever workflow leads it
    await planned('a-legal', '09124445566', 'legal_warning', notice!.id);
    await planned('b-reminder', '09124445577', 'reminder', null);
    // the reply, recorded as the SMPP link records it
    await saveInboundSms(pool, {
      provider: 'smpp',
      source: '09124445566',
      line: '30001234',
      text: 'لغو۱۱',
      optOut: true,
    });
    const totals = await dispatch(pool, sms(), { untilEmpty: true, idleMs: 20, timezone: 'Asia/Tehran' });
    expect(totals).toMatchObject({ sent: 2 });
    expect(
      await q(
        `SELECT n.occasion_key AS key, n.status, n.held_reason, e.detail FROM notifications n
         LEFT JOIN notification_events e ON e.notification_id = n.id AND e.status = 'held'
         ORDER BY n.occasion_key`,
      ),
    ).toEqual([
      { key: 'a-legal', status: 'delivered', held_reason: null, detail: null },
      { key: 'a-notice', status: 'held', held_reason: OPTED_OUT_REASON, detail: OPTED_OUT_REASON },
      { key: 'a-reminder', status: 'held', held_reason: OPTED_OUT_REASON, detail: OPTED_OUT_REASON },
      { key: 'b-reminder', status: 'delivered', held_reason: null, detail: null },
    ]);
    await pool.query('TRUNCATE sms_opt_outs, inbound_sms');
  });

  it('sends nothing in the quiet hours; the messages wait for their end', async () => {
    await queue(2);
    const now = new Date();
    const hhmm = (d: Date) =>
      new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Asia/Tehran',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }).format(d);
    const quiet: SendRules = {
      lines: { advertising: '', service: '' },
      quiet: {
        from: hhmm(new Date(now.getTime() - 3_600_000)),
        to: hhmm(new Date(now.getTime() + 3_600_000)),
      },
      timezone: 'Asia/Tehran',
      optOutKinds: [],
    };
    expect(await sendBatch(pool, sms().sms, 'sms', quiet)).toMatchObject({ claimed: 0, sent: 0 });
    expect(await statuses()).toEqual([{ status: 'queued', n: 2 }]);
    const open = { ...quiet, quiet: null };
    expect(await sendBatch(pool, sms().sms, 'sms', open)).toMatchObject({ claimed: 2, sent: 2 });
  });

  it('reads quiet hours as the planner does, also past midnight (shared cases)', () => {
    for (const c of QUIET_HOURS_CASES) {
      const rules: SendRules = {
        lines: { advertising: '', service: '' },
        quiet: { from: c.from, to: c.to },
        timezone: 'Asia/Tehran',
        optOutKinds: [],
      };
      // Tehran is UTC+03:30
      const at = new Date(`2026-01-10T${c.at}:00+03:30`);
      expect({ ...c, quiet: inQuietHours(at, rules) }).toEqual(c);
    }
  });
});
