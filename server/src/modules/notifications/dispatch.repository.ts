import type pg from 'pg';
import type { SqlRunner } from './channels/adapter.js';
import type { Channel } from '@vosul/common/workflows';
import type { SmsLine } from './channels/adapter.js';

/**
 * All SQL of dispatch. Claims hold row locks for the batch's transaction (`FOR UPDATE SKIP LOCKED`).
 * An occasion's key ends in `#attempt`; the next attempt of the day takes the same key with the next.
 */
type Queryable = pg.PoolClient | pg.Pool;

export interface ClaimedNotification {
  id: string;
  attempt: number;
  channel: Channel;
  address: string;
  text: string;
  tries: number;
  window_ends_at: Date;
  /** SMS: the service line for a number known to block advertising lines (P5) */
  line: SmsLine;
  /**
   * a call: the workflow's recorded message — its code, and its content name `<sha256>.<format>` by
   * which the PBX fetches it — and the facility's figures to speak (else null)
   */
  recording: [code: string, file: string] | null;
  /** an informational SMS to a mobile that opted out («۱۱») since it was planned: held, not sent */
  opted_out: boolean;
  amount: string | null;
  overdue_days: number | null;
}

/** The channel's pause, when its provider was found down (its messages wait until then). */
export async function findPause(db: Queryable, channel: Channel): Promise<Date | null> {
  const { rows } = await db.query<{ paused_until: Date | null }>(
    `SELECT paused_until FROM channel_states WHERE channel = $1 AND paused_until > now()`,
    [channel],
  );
  return rows[0]?.paused_until ?? null;
}

/** Stops the channel for a backoff that doubles with each failure in a row (at most an hour). */
export async function pauseChannel(db: Queryable, channel: Channel, reason: string): Promise<void> {
  await db.query(
    `INSERT INTO channel_states AS s (channel, paused_until, failures, reason)
     VALUES ($1, now() + interval '15 seconds', 1, $2)
     ON CONFLICT (channel) DO UPDATE SET failures = s.failures + 1, reason = excluded.reason, updated_at = now(),
       paused_until = now() + least(interval '15 seconds' * power(2, s.failures), interval '1 hour')`,
    [channel, reason],
  );
}

export async function resumeChannel(db: Queryable, channel: Channel): Promise<void> {
  await db.query(
    `UPDATE channel_states SET paused_until = NULL, failures = 0, reason = NULL, updated_at = now()
     WHERE channel = $1 AND (failures > 0 OR paused_until IS NOT NULL)`,
    [channel],
  );
}

/** A provider that refused the account: an administrator must act (kept until it sends again). */
export async function raiseProviderAlert(
  db: SqlRunner,
  alert: { provider: string; channel: Channel; reason: string },
): Promise<void> {
  await db.query(
    `INSERT INTO provider_alerts AS a (provider, channel, reason) VALUES ($1, $2, $3)
     ON CONFLICT (provider) DO UPDATE SET channel = excluded.channel, reason = excluded.reason, updated_at = now()`,
    [alert.provider, alert.channel, alert.reason],
  );
}

/** The providers took messages again: their alerts are over. */
export async function clearProviderAlerts(db: SqlRunner, providers: readonly string[]): Promise<void> {
  if (providers.length === 0) return;
  await db.query(`DELETE FROM provider_alerts WHERE provider = ANY ($1::text[])`, [providers]);
}

/** A provider refusing its account, for the administrators. */
export interface ProviderAlertRow {
  channel: Channel;
  provider: string;
  reason: string;
  since: Date;
}

export async function findProviderAlerts(db: SqlRunner): Promise<ProviderAlertRow[]> {
  const { rows } = await db.query<ProviderAlertRow>(
    `SELECT channel, provider, reason, since FROM provider_alerts ORDER BY since, provider`,
  );
  return rows;
}

/** Due messages of a channel, oldest first; those another dispatcher holds are skipped. */
export async function claimDue(
  c: pg.PoolClient,
  channel: Channel,
  limit: number,
  optOutKinds: readonly string[] = [],
): Promise<ClaimedNotification[]> {
  const { rows } = await c.query<ClaimedNotification>(
    `SELECT id, attempt, channel, address, text, tries, window_ends_at,
       channel = 'sms'
         AND coalesce(message_kind, (SELECT w.message_kind FROM workflows w WHERE w.id = n.workflow_id)) = ANY ($3::text[])
         AND EXISTS (SELECT 1 FROM sms_opt_outs o WHERE o.mobile = n.address) AS opted_out,
       CASE WHEN channel = 'sms' AND EXISTS (SELECT 1 FROM sms_ad_blocked b WHERE b.mobile = n.address)
            THEN 'service' ELSE line END AS line,
       CASE WHEN channel = 'call' THEN (SELECT ARRAY[a.code, sf.sha256 || '.' || a.format] FROM workflow_templates t
         JOIN audio_files a ON a.id = t.audio_file_id JOIN stored_files sf ON sf.id = a.file_id
         WHERE t.workflow_id = n.workflow_id AND t.channel = 'call' AND t.recipient_role = n.recipient_role) END AS recording,
       CASE WHEN channel = 'call' THEN (SELECT f.overdue_amount FROM facility_figures f WHERE f.facility_id = n.facility_id) END AS amount,
       CASE WHEN channel = 'call' THEN (SELECT f.overdue_days FROM facility_figures f WHERE f.facility_id = n.facility_id) END AS overdue_days
     FROM notifications n
     WHERE status = 'queued' AND channel = $1 AND next_try_at <= now() AND scheduled_at <= now()
     ORDER BY next_try_at, id
     LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [channel, limit, optOutKinds],
  );
  return rows;
}

/** Claimed SMS held instead of sent: their mobile opted out («۱۱») after they were planned. */
export async function holdOptedOut(c: pg.PoolClient, ids: string[], reason: string): Promise<void> {
  if (ids.length === 0) return;
  await c.query(
    `WITH done AS (
       UPDATE notifications SET status = 'held', held_reason = $2, status_at = now()
       WHERE id = ANY($1::bigint[]) RETURNING id)
     INSERT INTO notification_events (notification_id, status, detail) SELECT id, 'held', $2 FROM done`,
    [ids, reason],
  );
}

/** Messages past their send window are not sent that day. */
export async function expireLate(c: pg.PoolClient, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await c.query(
    `WITH done AS (
       UPDATE notifications SET status = 'expired', status_at = now(), last_error = 'پنجره ارسال بسته شد'
       WHERE id = ANY($1::bigint[]) RETURNING id)
     INSERT INTO notification_events (notification_id, status, detail)
     SELECT id, 'expired', 'پنجره ارسال بسته شد' FROM done`,
    [ids],
  );
}

export async function markSent(
  c: pg.PoolClient,
  sent: { id: string; provider: string; providerId: string; line: SmsLine }[],
) {
  if (sent.length === 0) return;
  await c.query(
    `WITH done AS (
       UPDATE notifications n SET status = 'sent', provider = s.provider, provider_id = s.provider_id, line = s.line,
         sent_at = now(), status_at = now(), tries = n.tries + 1
       FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) AS s(id, provider, provider_id, line)
       WHERE n.id = s.id RETURNING n.id, s.provider, s.line)
     INSERT INTO notification_events (notification_id, status, detail)
     SELECT id, 'sent', CASE WHEN line = 'service' THEN provider || ' (خط خدماتی)' ELSE provider END FROM done`,
    [
      sent.map((s) => s.id),
      sent.map((s) => s.provider),
      sent.map((s) => s.providerId),
      sent.map((s) => s.line),
    ],
  );
}

/** A provider error: tried again after a backoff that doubles (30 s, 1 min, … at most an hour). */
export async function markRetry(c: pg.PoolClient, failed: { id: string; error: string }[]) {
  if (failed.length === 0) return;
  await c.query(
    `WITH done AS (
       UPDATE notifications n SET tries = n.tries + 1, last_error = f.error,
         next_try_at = now() + least(interval '30 seconds' * power(2, n.tries), interval '1 hour')
       FROM unnest($1::bigint[], $2::text[]) AS f(id, error)
       WHERE n.id = f.id RETURNING n.id, f.error)
     INSERT INTO notification_events (notification_id, status, detail)
     SELECT id, 'queued', error FROM done`,
    [failed.map((f) => f.id), failed.map((f) => f.error)],
  );
}

export async function markFailed(c: pg.PoolClient, failed: { id: string; error: string }[]) {
  if (failed.length === 0) return;
  await c.query(
    `WITH done AS (
       UPDATE notifications n SET status = 'failed', status_at = now(), last_error = f.error, tries = n.tries + 1
       FROM unnest($1::bigint[], $2::text[]) AS f(id, error)
       WHERE n.id = f.id RETURNING n.id, f.error)
     INSERT INTO notification_events (notification_id, status, detail)
     SELECT id, 'failed', error FROM done`,
    [failed.map((f) => f.id), failed.map((f) => f.error)],
  );
}

/** Sent messages of a channel still waiting for their report, oldest first. */
export async function claimAwaiting(c: pg.PoolClient, channel: Channel, limit: number) {
  const { rows } = await c.query<{ id: string; provider: string; provider_id: string }>(
    `SELECT id, provider, provider_id FROM notifications WHERE status = 'sent' AND channel = $1
     ORDER BY sent_at, id LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [channel, limit],
  );
  return rows;
}

/**
 * The reports received: each message takes its final status; a failed attempt (an SMS not delivered,
 * a call not answered, busy or rejected) makes the next attempt of the day `retry_minutes` later, while
 * attempts remain and it falls before the send window closes (interchange.md, "Workflow semantics").
 */
const BLOCKED_ADS = 'گیرنده پیامک خطوط تبلیغاتی را مسدود کرده است';

export async function recordReports(
  c: pg.PoolClient,
  reports: { id: string; status: string; at: Date; error?: string }[],
  /** a service line is configured: a number blocking advertising is sent to again through it */
  serviceLine = false,
): Promise<void> {
  if (reports.length === 0) return;
  await c.query(
    `CREATE TEMP TABLE IF NOT EXISTS dispatch_reports (id bigint, status text, at timestamptz, error text)
     ON COMMIT DELETE ROWS`,
  );
  await c.query(
    `INSERT INTO dispatch_reports SELECT * FROM unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::text[])`,
    [
      reports.map((r) => r.id),
      reports.map((r) => r.status),
      reports.map((r) => r.at),
      reports.map((r) => r.error ?? null),
    ],
  );
  await c.query(
    `WITH done AS (
       UPDATE notifications n SET status = CASE WHEN r.status = 'blocked_ads' THEN 'failed' ELSE r.status END,
         status_at = r.at,
         last_error = CASE WHEN r.status = 'blocked_ads' THEN $1 ELSE coalesce(r.error, n.last_error) END
       FROM dispatch_reports r WHERE n.id = r.id
       RETURNING n.id, n.status, r.at, CASE WHEN r.status = 'blocked_ads' THEN $1 ELSE r.error END AS detail)
     INSERT INTO notification_events (notification_id, status, at, detail)
     SELECT id, status, at, detail FROM done`,
    [BLOCKED_ADS],
  );
  // P5: the number is known to block advertising lines from now on
  await c.query(
    `INSERT INTO sms_ad_blocked (mobile, reported_at)
     SELECT DISTINCT ON (n.address) n.address, r.at FROM dispatch_reports r JOIN notifications n ON n.id = r.id
     WHERE r.status = 'blocked_ads'
     ORDER BY n.address, r.at DESC
     ON CONFLICT (mobile) DO UPDATE SET reported_at = excluded.reported_at`,
  );
  // ... and this message goes again at once through the service line (not an attempt of the day's count)
  if (serviceLine)
    await c.query(
      `INSERT INTO notifications (occasion_key, business_date, workflow_id, facility_id, facility_nos, branch_id,
         recipient_role, recipient_name, person_key, channel, address, text, attempt, max_attempts,
         retry_minutes, scheduled_at, window_ends_at, next_try_at, line)
       SELECT regexp_replace(n.occasion_key, '#[0-9]+$', '') || '#' || (n.attempt + 1), n.business_date, n.workflow_id,
         n.facility_id, n.facility_nos, n.branch_id, n.recipient_role, n.recipient_name, n.person_key, n.channel,
         n.address, n.text, n.attempt + 1, greatest(n.max_attempts, n.attempt + 1), n.retry_minutes, r.at,
         n.window_ends_at, r.at, 'service'
       FROM dispatch_reports r JOIN notifications n ON n.id = r.id
       WHERE r.status = 'blocked_ads' AND n.line = 'advertising' AND r.at < n.window_ends_at
       ON CONFLICT (occasion_key) DO NOTHING`,
    );
  await c.query(
    `INSERT INTO notifications (occasion_key, business_date, workflow_id, facility_id, facility_nos, branch_id,
       recipient_role, recipient_name, person_key, channel, address, text, attempt, max_attempts,
       retry_minutes, scheduled_at, window_ends_at, next_try_at)
     SELECT regexp_replace(n.occasion_key, '#[0-9]+$', '') || '#' || (n.attempt + 1), n.business_date, n.workflow_id, n.facility_id,
       n.facility_nos, n.branch_id, n.recipient_role, n.recipient_name, n.person_key, n.channel, n.address,
       n.text, n.attempt + 1, n.max_attempts, n.retry_minutes,
       r.at + make_interval(mins => n.retry_minutes), n.window_ends_at, r.at + make_interval(mins => n.retry_minutes)
     FROM dispatch_reports r JOIN notifications n ON n.id = r.id
     WHERE r.status IN ('failed', 'expired', 'no_answer', 'busy', 'rejected')
       AND n.attempt < n.max_attempts
       AND r.at + make_interval(mins => n.retry_minutes) < n.window_ends_at
     ON CONFLICT (occasion_key) DO NOTHING`,
  );
}

/**
 * What is left to do on a channel: due messages, and sent ones waiting for their report. Each part
 * reads its own partial index (queued, sent): one scan for both statuses read the whole outbox.
 */
export async function countOutstanding(db: Queryable, channel: Channel) {
  const { rows } = await db.query<{ due: number; awaiting: number; later: Date | null }>(
    `SELECT q.due, q.later,
       (SELECT count(*)::int FROM notifications WHERE status = 'sent' AND channel = $1) AS awaiting
     FROM (SELECT count(*) FILTER (WHERE next_try_at <= now() AND scheduled_at <= now())::int AS due,
             -- the first to fall due later (a paused channel's due messages are not waited for)
             min(greatest(next_try_at, scheduled_at)) FILTER (WHERE next_try_at > now() OR scheduled_at > now()) AS later
           FROM notifications WHERE status = 'queued' AND channel = $1) q`,
    [channel],
  );
  return rows[0]!;
}
