import type { MergedPlaceholderKey } from '@vosul/common/workflows';
import type { Client } from './planning.repository.js';
import { countKeys } from '../../platform/db/key-share.js';

/**
 * The contact rules across workflows (B1), applied set-based to the day's staged messages
 * (`plan_messages`, planning.repository.ts) before they go to the outbox, in this order: the
 * do-not-contact list, merging a person's messages of a channel, quiet hours, then the caps (a message
 * that cannot go out does not take a place under a cap). A person is their national code, else their
 * mobile (`person_key`). Letters are legal documents: no rule holds or merges them.
 */

/** The channels that reach a person directly (letters are printed and served). */
const CONTACT = `('sms', 'call', 'email')`;

/**
 * A recipient on the do-not-contact list on `date` (by national code or by mobile, a block without an
 * end or ending on or after the date): their SMS, calls and e-mails are held with the block's reason.
 * A message already held (no address) keeps its first reason.
 */
export async function holdBlocked(c: Client, date: string): Promise<number> {
  // two equality joins rather than one join on OR, so each is a hash join whatever the list's size
  const { rowCount } = await c.query(
    `WITH hit AS (
       SELECT DISTINCT ON (occasion_key) occasion_key, reason FROM (
         SELECT m.occasion_key, b.reason, b.id FROM plan_messages m
         JOIN contact_blocks b ON b.national_code = m.national_code
         WHERE (b.until IS NULL OR b.until >= $1::date)
         UNION ALL
         SELECT m.occasion_key, b.reason, b.id FROM plan_messages m
         JOIN contact_blocks b ON b.mobile = m.mobile
         WHERE (b.until IS NULL OR b.until >= $1::date)
       ) blocked
       ORDER BY occasion_key, id
     )
     UPDATE plan_messages m SET status = 'held', held_reason = 'عدم تماس: ' || hit.reason
     FROM hit
     WHERE m.occasion_key = hit.occasion_key AND m.status <> 'held' AND m.channel IN ${CONTACT}`,
    [date],
  );
  return rowCount ?? 0;
}

/** A workflow's kind of message, by how much it must go: reminder, overdue notice, legal warning. */
const KIND_WEIGHT = `CASE message_kind WHEN 'legal_warning' THEN 2 WHEN 'overdue_notice' THEN 1 ELSE 0 END`;

/** Why an SMS is held: its mobile replied «۱۱» to the bank's line. */
export const OPTED_OUT_REASON = 'انصراف از دریافت پیامک (لغو۱۱)';

/**
 * SMS of the informational kinds `kinds` (reminders, overdue notices: settings `sms_opt_out`) to a
 * mobile that opted out of the bank's lines are held; a legal warning is never in `kinds`.
 */
export async function holdOptedOut(c: Client, kinds: readonly string[]): Promise<number> {
  if (kinds.length === 0) return 0;
  const { rowCount } = await c.query(
    `UPDATE plan_messages m SET status = 'held', held_reason = $2
     WHERE m.channel = 'sms' AND m.status <> 'held' AND m.message_kind = ANY ($1::text[])
       AND m.message_kind <> 'legal_warning'
       AND EXISTS (SELECT 1 FROM sms_opt_outs o WHERE o.mobile = m.mobile)`,
    [kinds, OPTED_OUT_REASON],
  );
  return rowCount ?? 0;
}

/** The regulator's opt-out words, at the end of every informational SMS (a setting). */
export async function appendOptOutText(c: Client): Promise<number> {
  const { rowCount } = await c.query(
    `UPDATE plan_messages SET text = text || E'\\n' || 'لغو۱۱'
     WHERE channel = 'sms' AND status = 'queued' AND message_kind <> 'legal_warning'`,
  );
  return rowCount ?? 0;
}

/**
 * The occasion key of the one message that merges a person's messages of a channel and day: a re-run
 * that merges again writes no second one (its members' occasions are done, so it rarely stages any;
 * occasions new to a re-run of the date are then not sent: the person has had the day's message).
 */
const mergedKey = (person: string, branch: string, channel: string, date: string) =>
  `'person:' || ${person} || ':' || ${branch} || ':' || ${channel} || ':' || ${date}::text || '#1'`;

/** Where each placeholder of the merged text comes from in `mergeMessages` (the `g` row of a group). */
export const MERGED_COLUMNS: Record<MergedPlaceholderKey, string> = {
  gender_title: 'g.gender',
  recipient_name: 'g.recipient_name',
  facility_nos: `array_to_string(g.facility_nos, '، ')`,
  count: 'cardinality(g.facility_nos)',
  overdue_days: 'g.severity',
  overdue_amount: 'g.overdue_amount',
  collectible_amount: 'g.collectible_amount',
};

export interface MergeOptions {
  date: string;
  /** the merged SMS and call text over MERGED_COLUMNS; null: merging is off */
  textSql: string | null;
  params: unknown[];
}

/**
 * A person's several SMS of the day in one branch that are not held — across facilities and workflows —
 * become one message (within a branch: a branch sees its own messages, never another's facilities), and so do their calls and their e-mails. It takes its schedule, workflow, facility and
 * address from the lead message (the most overdue days, ties by facility number) and names every
 * facility; SMS and calls say it in the merged template, e-mails join their texts with a blank line.
 * Its key is the person's for the channel and day, so a re-run never writes a second one. Returns how
 * many merged messages were made.
 */
export async function mergeMessages(c: Client, o: MergeOptions): Promise<number> {
  // merging off: e-mails, which need no template, still go as one
  const channels = o.textSql === null ? `('email')` : CONTACT;
  const p = (n: number) => `$${o.params.length + n}`;
  await c.query(
    `CREATE TEMP TABLE plan_merged ON COMMIT DROP AS
     SELECT person_key, branch_id, channel FROM plan_messages
     WHERE status <> 'held' AND channel IN ${channels}
     GROUP BY person_key, branch_id, channel HAVING count(*) > 1`,
  );
  const { rows } = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM plan_merged');
  if (rows[0]!.n === 0) return 0;
  await c.query('ANALYZE plan_merged');
  // each group's lead, facilities, sums and joined e-mail text in one grouping pass (no join between
  // per-group sets, which the planner cannot size), then the lead's row by its key
  await c.query(
    `CREATE TEMP TABLE plan_groups ON COMMIT DROP AS
     WITH members AS (
       SELECT m.* FROM plan_messages m JOIN plan_merged USING (person_key, branch_id, channel)
       WHERE m.status <> 'held'
     ), per_facility AS (
       -- each facility once, however many of its messages reach the person
       SELECT person_key, branch_id, channel, facility_no, max(overdue_amount) AS overdue_amount,
         max(collectible_amount) AS collectible_amount
       FROM members GROUP BY person_key, branch_id, channel, facility_no
     ), sums AS (
       SELECT person_key, branch_id, channel,
         array_agg(facility_no ORDER BY facility_no COLLATE "C") AS facility_nos,
         sum(overdue_amount)::bigint AS overdue_amount, sum(collectible_amount)::bigint AS collectible_amount
       FROM per_facility GROUP BY person_key, branch_id, channel
     ), heads AS (
       SELECT person_key, branch_id, channel,
         (array_agg(occasion_key ORDER BY severity DESC, facility_no COLLATE "C", occasion_key))[1] AS lead_key,
         string_agg(text, E'\\n\\n' ORDER BY severity DESC, facility_no COLLATE "C", occasion_key)
           FILTER (WHERE channel = 'email') AS joined,
         -- one message that carries a legal warning is a legal warning (never stopped by an opt-out)
         (array_agg(message_kind ORDER BY ${KIND_WEIGHT} DESC))[1] AS message_kind
       FROM members GROUP BY person_key, branch_id, channel
     )
     SELECT h.lead_key, h.joined, h.message_kind, s.facility_nos, s.overdue_amount, s.collectible_amount
     FROM heads h JOIN sums s USING (person_key, branch_id, channel)`,
  );
  await c.query('ANALYZE plan_groups');
  await c.query(
    `INSERT INTO plan_messages (occasion_key, workflow_id, facility_id, facility_no, facility_nos, branch_id,
       recipient_role, seq, recipient_name, person_key, national_code, mobile, gender, channel, address, text,
       status, held_reason, per_day, interval_minutes, start_time, scheduled_at, window_ends_at, severity,
       overdue_amount, collectible_amount, message_kind)
     WITH g AS (
       -- the lead's row with the group's facilities and sums (what MERGED_COLUMNS read)
       SELECT l.workflow_id, l.facility_id, l.facility_no, grp.facility_nos, l.branch_id, l.recipient_role, l.seq,
         l.recipient_name, l.person_key, l.national_code, l.mobile, l.gender, l.channel, l.address, l.per_day,
         l.interval_minutes, l.start_time, l.scheduled_at, l.window_ends_at, l.severity, grp.overdue_amount,
         grp.collectible_amount, grp.joined, grp.message_kind
       FROM plan_groups grp JOIN plan_messages l ON l.occasion_key = grp.lead_key
     )
     SELECT g.key, g.workflow_id, g.facility_id, g.facility_no,
       g.facility_nos, g.branch_id, g.recipient_role, g.seq, g.recipient_name, g.person_key, g.national_code,
       g.mobile, g.gender, g.channel, g.address,
       CASE WHEN g.channel = 'email' THEN g.joined ELSE ${o.textSql ?? 'NULL::text'} END,
       'queued', NULL, g.per_day, g.interval_minutes, g.start_time, g.scheduled_at, g.window_ends_at, g.severity,
       g.overdue_amount, g.collectible_amount, g.message_kind
     FROM (SELECT g.*, ${mergedKey('g.person_key', 'g.branch_id', 'g.channel', p(1))} AS key FROM g) g
     -- an earlier run of the date wrote the person's one message of the day already: not a second
     WHERE NOT EXISTS (SELECT 1 FROM notifications n WHERE n.business_date = ${p(1)}::date AND n.occasion_key = g.key)`,
    [...o.params, o.date],
  );
  await c.query(
    `DELETE FROM plan_messages m USING plan_merged g
     WHERE m.person_key = g.person_key AND m.branch_id = g.branch_id AND m.channel = g.channel
       AND m.status <> 'held'
       AND m.occasion_key NOT LIKE 'person:%'`,
  );
  return rows[0]!.n;
}

export interface QuietHours {
  date: string;
  timezone: string;
  /** `HH:MM`; both empty: none */
  from: string;
  to: string;
  /** `HH:MM`, the send window's end */
  windowEnd: string;
}

const QUIET_HELD = 'ساعات سکوت';

/**
 * Quiet hours (`from`–`to`, which may wrap midnight): a message starting inside them starts at `to`
 * the same day instead; one that would then start at or after the send window's end, or that starts
 * in the evening part of a wrapping span (its day's sending time is over), is held.
 */
export async function applyQuietHours(c: Client, q: QuietHours): Promise<number> {
  if (!q.from || !q.to || q.from === q.to) return 0;
  const { rowCount } = await c.query(
    `WITH quiet AS (SELECT $1::time AS qf, $2::time AS qt, $3::time AS we)
     UPDATE plan_messages m SET
       status = CASE WHEN quiet.qt >= quiet.we OR (quiet.qf > quiet.qt AND m.start_time >= quiet.qf)
                     THEN 'held' ELSE m.status END,
       held_reason = CASE WHEN quiet.qt >= quiet.we OR (quiet.qf > quiet.qt AND m.start_time >= quiet.qf)
                          THEN $6 ELSE m.held_reason END,
       start_time = quiet.qt,
       scheduled_at = ($4::date + quiet.qt) AT TIME ZONE $5::text
     FROM quiet
     WHERE m.status <> 'held' AND m.channel IN ${CONTACT}
       AND vosul_in_quiet_hours(m.start_time, quiet.qf, quiet.qt)`,
    [q.from, q.to, q.windowEnd, q.date, q.timezone, QUIET_HELD],
  );
  return rowCount ?? 0;
}

export interface Caps {
  date: string;
  sms: { day: number; week: number };
  call: { day: number; week: number };
  /** the held reasons, in Persian, per channel and period */
  reasons: { sms: { day: string; week: string }; call: { day: string; week: string } };
}

/**
 * At most `day` messages of a channel (SMS, call) to a person on the date and `week` in the seven days
 * ending on it: those already in the outbox count (earlier dates and earlier runs of the date, neither
 * held nor cancelled, first attempts only: a retry is the same message), then the person's messages
 * of this run in order of severity; those beyond a cap are held naming it.
 */
export async function holdOverCaps(c: Client, caps: Caps): Promise<number> {
  const counted = `n.business_date BETWEEN $1::date - 6 AND $1::date AND n.channel IN ('sms', 'call')
    AND n.attempt = 1 AND n.status NOT IN ('held', 'cancelled')`;
  // a day's people by their index (notifications_person): one pass over a week of the outbox, hashed
  // against them, is what the planner picks for tens of thousands and costs several times more
  const { few } = await countKeys(
    c,
    `SELECT count(*) FROM plan_messages WHERE status <> 'held' AND channel IN ('sms', 'call')`,
    ['notifications'],
  );
  const prior = few
    ? `SELECT p.person_key, n.channel, count(*) FILTER (WHERE n.business_date = $1::date) AS today, count(*) AS week
       FROM people p
       CROSS JOIN LATERAL (SELECT n.channel, n.business_date FROM notifications n
                           WHERE n.person_key = p.person_key AND ${counted} OFFSET 0) n
       GROUP BY p.person_key, n.channel`
    : `SELECT n.person_key, n.channel, count(*) FILTER (WHERE n.business_date = $1::date) AS today, count(*) AS week
       FROM notifications n JOIN people USING (person_key)
       WHERE ${counted}
       GROUP BY n.person_key, n.channel`;
  const { rowCount } = await c.query(
    `WITH people AS (
       SELECT DISTINCT person_key FROM plan_messages WHERE status <> 'held' AND channel IN ('sms', 'call')
     ), prior AS (
       ${prior}
     ), ranked AS (
       SELECT m.occasion_key, m.channel,
         coalesce(p.today, 0) + row_number() OVER w AS nth_today,
         coalesce(p.week, 0) + row_number() OVER w AS nth_week
       FROM plan_messages m LEFT JOIN prior p USING (person_key, channel)
       WHERE m.status <> 'held' AND m.channel IN ('sms', 'call')
       WINDOW w AS (PARTITION BY m.person_key, m.channel
                    ORDER BY m.severity DESC, m.facility_no COLLATE "C", m.occasion_key)
     ), caps AS (
       SELECT * FROM (VALUES ('sms', $2::int, $3::int, $6, $7), ('call', $4::int, $5::int, $8, $9))
         AS caps (channel, per_day, per_week, day_reason, week_reason)
     )
     UPDATE plan_messages m SET status = 'held',
       held_reason = CASE WHEN r.nth_today > caps.per_day THEN caps.day_reason ELSE caps.week_reason END
     FROM ranked r JOIN caps USING (channel)
     WHERE m.occasion_key = r.occasion_key AND (r.nth_today > caps.per_day OR r.nth_week > caps.per_week)`,
    [
      caps.date,
      caps.sms.day,
      caps.sms.week,
      caps.call.day,
      caps.call.week,
      caps.reasons.sms.day,
      caps.reasons.sms.week,
      caps.reasons.call.day,
      caps.reasons.call.week,
    ],
  );
  return rowCount ?? 0;
}
