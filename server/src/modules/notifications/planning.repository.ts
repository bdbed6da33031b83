import type pg from 'pg';
import type { PlaceholderKey } from '@vosul/common/workflows';
import { countKeys } from '../../platform/db/key-share.js';

/**
 * The planner's SQL (issue 5 point 3; interchange.md, "Workflow semantics"): set-based statements over
 * the whole book, run inside the daily run's transaction after the figures of the date are saved.
 */

export type Client = pg.PoolClient;

/** Advisory lock key: one planner at a time (the day run's, a dry run's), held to the end of its transaction. */
const PLANNING_LOCK = 7_446_030;

/**
 * Waits for any other planner to end, then holds the planning lock until this transaction ends: two
 * planners never stage the same occasions side by side, so the outbox insert needs no ON CONFLICT.
 */
export async function lockPlanning(c: Client): Promise<void> {
  await c.query('SELECT pg_advisory_xact_lock($1)', [PLANNING_LOCK]);
}

/** What a plan covers: the whole book's active workflows, or one workflow (a dry run, B2). */
export interface PlanScope {
  onlyWorkflowId?: number;
}

/**
 * The facility's figures a message says, read with the applying pairs and carried from there to the
 * stays that start and the occasions due, so the book's figures are read once.
 */
const FIGURES = [
  'branch_id',
  'overdue_days',
  'overdue_installments',
  'overdue_amount',
  'penalty',
  'collectible_amount',
  'unpaid_amount',
  'oldest_due_on',
  'next_due_on',
];
const figuresOf = (alias: string) => FIGURES.map((f) => `${alias}.${f}`).join(', ');

/**
 * The (workflow, facility) pairs that apply on `date`: an active workflow of the facility's loan type
 * and branch (none listed = all), a facility active or written off, and its day in the range — overdue
 * days with the overdue amount at least the minimum, or for a reminder (to <= -1) minus the days until
 * its next installment falls due, with nothing overdue and that installment's unpaid amount at least
 * the minimum. The figures are the date's (saved by the run just before).
 */
export async function findApplying(c: Client, date: string, scope: PlanScope = {}): Promise<void> {
  // each active workflow's (loan type, branch) pairs, a few thousand rows that the book is hash-joined
  // on; a table of its own so the planner knows its size and keeps the branch test out of the join.
  // A dry run plans its one workflow, active or not (it is tried before being switched on).
  await c.query(
    `CREATE TEMP TABLE plan_reach ON COMMIT DROP AS
     SELECT w.id AS workflow_id, wl.loan_type_id, b.id AS branch_id, w.from_day, w.to_day, w.min_overdue_amount
     FROM workflows w
     JOIN workflow_loan_types wl ON wl.workflow_id = w.id
     JOIN branches b
       ON NOT EXISTS (SELECT 1 FROM workflow_branches wb WHERE wb.workflow_id = w.id)
       OR EXISTS (SELECT 1 FROM workflow_branches wb WHERE wb.workflow_id = w.id AND wb.branch_id = b.id)
     WHERE CASE WHEN $1::int IS NULL THEN w.active ELSE w.id = $1 END`,
    [scope.onlyWorkflowId ?? null],
  );
  await c.query('ANALYZE plan_reach');
  await c.query(
    `CREATE TEMP TABLE plan_applies ON COMMIT DROP AS
     WITH candidates AS (
       SELECT r.workflow_id, r.from_day, r.min_overdue_amount, ff.facility_id, ${figuresOf('ff')}
       FROM plan_reach r
       JOIN facility_figures ff ON ff.loan_type_id = r.loan_type_id AND ff.branch_id = r.branch_id
       WHERE ff.status IN ('active', 'written_off')
         -- the few facilities any range can take, before the join multiplies the book by the workflows:
         -- those in arrears, and those whose next installment falls due within the widest reminder
         AND (ff.overdue_amount > 0
              OR (ff.overdue_installments = 0 AND ff.next_due_on BETWEEN
                    $1::date - (SELECT max(to_day) FROM plan_reach WHERE to_day <= -1)
                    AND $1::date - (SELECT min(from_day) FROM plan_reach WHERE to_day <= -1)))
         AND CASE WHEN r.from_day >= 1
               THEN ff.overdue_days >= r.from_day AND (r.to_day IS NULL OR ff.overdue_days <= r.to_day)
                    AND ff.overdue_amount > 0 AND ff.overdue_amount >= r.min_overdue_amount
               ELSE ff.overdue_installments = 0
                    AND $1::date - ff.next_due_on BETWEEN r.from_day AND r.to_day
             END
     )
     SELECT workflow_id, facility_id, ${FIGURES.join(', ')} FROM candidates
     WHERE from_day >= 1 OR min_overdue_amount = 0
        OR (SELECT sum(i.amount - i.paid_amount) FROM installments i
            WHERE i.facility_id = candidates.facility_id AND i.due_on = candidates.next_due_on
              AND i.paid_amount < i.amount) >= min_overdue_amount`,
    [date],
  );
  // unique by construction (one reach row per workflow, loan type and branch); no key to build
  await c.query('ANALYZE plan_applies');
}

/**
 * Stays: those that no longer apply end on `date`; one ended on `date` that applies again (a re-run
 * of the date after the book changed) is the same stay and reopens. The open stays and the applying
 * pairs are compared once (a full join), and only the few that differ are then touched, by their
 * index. The pairs that apply without an open stay are left in `plan_stay_changes` (`applies`) for
 * `findDue` to start.
 */
export async function updateStays(c: Client, date: string, scope: PlanScope = {}): Promise<void> {
  await c.query(
    `CREATE TEMP TABLE plan_stay_changes ON COMMIT DROP AS
     SELECT coalesce(s.workflow_id, a.workflow_id) AS workflow_id, coalesce(s.facility_id, a.facility_id) AS facility_id,
       a.workflow_id IS NOT NULL AS applies, ${figuresOf('a')}
     FROM (SELECT workflow_id, facility_id FROM workflow_stays
           WHERE ended_on IS NULL AND ($1::int IS NULL OR workflow_id = $1)) s
     FULL JOIN plan_applies a ON a.workflow_id = s.workflow_id AND a.facility_id = s.facility_id
     WHERE s.workflow_id IS NULL OR a.workflow_id IS NULL`,
    [scope.onlyWorkflowId ?? null],
  );
  await c.query('ANALYZE plan_stay_changes (workflow_id, facility_id, applies)');
  await c.query(
    `UPDATE workflow_stays s SET ended_on = $1
     FROM plan_stay_changes x
     WHERE NOT x.applies AND s.workflow_id = x.workflow_id AND s.facility_id = x.facility_id AND s.ended_on IS NULL`,
    [date],
  );
  // a reopened stay is no longer a pair to start
  await c.query(
    `WITH reopened AS (
       UPDATE workflow_stays s SET ended_on = NULL
       FROM plan_stay_changes x
       WHERE x.applies AND s.ended_on = $1 AND s.workflow_id = x.workflow_id AND s.facility_id = x.facility_id
         AND NOT EXISTS (SELECT 1 FROM workflow_stays o
                         WHERE o.workflow_id = s.workflow_id AND o.facility_id = s.facility_id AND o.ended_on IS NULL)
       RETURNING s.workflow_id, s.facility_id
     )
     DELETE FROM plan_stay_changes x USING reopened r
     WHERE x.workflow_id = r.workflow_id AND x.facility_id = r.facility_id`,
    [date],
  );
}

/**
 * The occasions due on `date`, with their facility's figures: open stays whose next occasion is on or
 * before it, and the pairs that start a stay today, when `date` is a working day in the province of
 * the facility's branch (otherwise they stay due for the next one). A new stay is written with
 * today's occasion already taken (`born`), so `advanceStays` does not touch it a second time. The
 * pairs that start one have no open stay (updateStays compared them) and no other planner runs
 * meanwhile (lockPlanning), so every one is written; the index of open stays still refuses a second.
 * Returns how many occasions are due.
 */
export async function findDue(c: Client, date: string, scope: PlanScope = {}): Promise<number> {
  // the calendar read once per branch, not once per stay
  await c.query(
    `CREATE TEMP TABLE plan_working ON COMMIT DROP AS
     SELECT b.id AS branch_id FROM branches b JOIN provinces p ON p.id = b.province_id
     WHERE vosul_is_working_day($1::date, p.id)`,
    [date],
  );
  await c.query('ANALYZE plan_working');
  await c.query(
    `CREATE TEMP TABLE plan_due ON COMMIT DROP AS
     SELECT s.workflow_id, s.facility_id, false AS born, ${figuresOf('a')}
     FROM workflow_stays s
     -- an open stay applies (updateStays ended the others): its figures are the applying pair's
     JOIN plan_applies a ON a.workflow_id = s.workflow_id AND a.facility_id = s.facility_id
     JOIN plan_working pw ON pw.branch_id = a.branch_id
     WHERE s.ended_on IS NULL AND s.next_on <= $1::date AND ($2::int IS NULL OR s.workflow_id = $2)`,
    [date, scope.onlyWorkflowId ?? null],
  );
  // a table of its own, so the planner knows how many stays start
  await c.query(
    `CREATE TEMP TABLE plan_fresh ON COMMIT DROP AS
     SELECT x.workflow_id, x.facility_id, pw.branch_id IS NOT NULL AS due_today, w.repeat_every_days, ${figuresOf('x')}
     FROM plan_stay_changes x
     JOIN workflows w ON w.id = x.workflow_id
     LEFT JOIN plan_working pw ON pw.branch_id = x.branch_id
     WHERE x.applies`,
  );
  await c.query('ANALYZE plan_fresh (workflow_id, facility_id, due_today)');
  await c.query(
    `INSERT INTO workflow_stays (workflow_id, facility_id, started_on, next_on, last_sent_on)
     SELECT workflow_id, facility_id, $1::date,
       CASE WHEN NOT due_today THEN $1::date WHEN repeat_every_days >= 1 THEN $1::date + repeat_every_days END,
       CASE WHEN due_today THEN $1::date END
     FROM plan_fresh`,
    [date],
  );
  await c.query(
    `INSERT INTO plan_due SELECT workflow_id, facility_id, true, ${FIGURES.join(', ')} FROM plan_fresh WHERE due_today`,
  );
  await c.query('ANALYZE plan_due (workflow_id, facility_id, branch_id)');
  // counted apart: a CREATE TABLE AS reports no row count through every driver (the dry run's)
  const { rows } = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM plan_due');
  return rows[0]!.n;
}

/** A template of an active workflow, by (workflow, channel, role). */
export interface TemplateRow {
  workflow_id: number;
  channel: string;
  recipient_role: string;
  text: string;
}

export async function findTemplates(c: Client, scope: PlanScope = {}): Promise<TemplateRow[]> {
  const { rows } = await c.query<TemplateRow>(
    `SELECT t.workflow_id, t.channel, t.recipient_role, t.text
     FROM workflow_templates t JOIN workflows w ON w.id = t.workflow_id
     WHERE CASE WHEN $1::int IS NULL THEN w.active ELSE w.id = $1 END
     ORDER BY t.workflow_id, t.channel, t.recipient_role`,
    [scope.onlyWorkflowId ?? null],
  );
  return rows;
}

/**
 * Where each placeholder's raw value comes from in `stageMessages` (the aliases below): the
 * recipient's own gender and, for a borrower's text, the first guarantor's name — as the template
 * preview shows them (workflows.repository.ts, findPreviewFacility).
 */
export const PLACEHOLDER_COLUMNS: Record<PlaceholderKey, string> = {
  gender_title: 'm.gender',
  borrower_first_name: 'm.first_name',
  borrower_last_name: 'm.last_name',
  customer_no: 'm.customer_no',
  national_code: 'm.national_id',
  facility_no: 'm.facility_no',
  loan_type: 'm.loan_type_title',
  principal: 'm.principal',
  overdue_days: 'm.overdue_days',
  overdue_installments: 'm.overdue_installments',
  overdue_amount: 'm.overdue_amount',
  penalty: 'm.penalty',
  collectible_amount: 'm.collectible_amount',
  unpaid_amount: 'm.unpaid_amount',
  due_date: 'coalesce(m.oldest_due_on, m.next_due_on)',
  installment_amount: `(SELECT sum(i.amount - i.paid_amount) FROM installments i
    WHERE i.facility_id = m.facility_id AND i.due_on = coalesce(m.oldest_due_on, m.next_due_on))`,
  branch_name: 'm.branch_name',
  guarantor_first_name: 'm.guarantor_first_name',
  guarantor_last_name: 'm.guarantor_last_name',
};

export interface StageOptions {
  date: string;
  timezone: string;
  /** `HH:MM`, the send window's end on the date */
  windowEnd: string;
  /**
   * The text of a message: an SQL expression over `m.template_key` (`workflow:channel:role`) and the
   * columns of PLACEHOLDER_COLUMNS; NULL when the workflow has no template for it.
   */
  textSql: string;
  params: unknown[];
  /** whether a borrower's text names the first guarantor (only then are they looked up) */
  firstGuarantor: boolean;
}

const HELD_REASONS = {
  mobile: 'شماره همراه ثبت نشده است',
  email: 'نشانی پست الکترونیک ثبت نشده است',
  address: 'نشانی پستی ثبت نشده است',
  template: 'الگوی متن این نوع اطلاع‌رسانی و گیرنده تعریف نشده است',
};

/**
 * The due (workflow, facility) pairs with everything their messages say and need, in one flat table
 * the planner knows the size of: joined once, by hash for a large day (index lookups per message were
 * most of a day's plan), with each facility's first guarantor when a borrower's text names them (looked
 * up by its index: a hash over every guarantor of the book cost more than the lookups of a large day).
 */
async function collectSubjects(c: Client, firstGuarantor: boolean): Promise<void> {
  // a day's few thousand facilities by their key; a first run's most of the book by one pass over it
  const { few } = await countKeys(c, 'SELECT count(*) FROM plan_due', ['facilities']);
  const facility = few
    ? `CROSS JOIN LATERAL (SELECT f.facility_no, f.principal, f.customer_id, f.loan_type_id FROM facilities f
         WHERE f.id = d.facility_id OFFSET 0) f`
    : 'JOIN facilities f ON f.id = d.facility_id';
  const guarantor = firstGuarantor
    ? `LEFT JOIN LATERAL (
         SELECT g.first_name, g.last_name FROM guarantors g WHERE g.facility_id = d.facility_id ORDER BY g.seq LIMIT 1
       ) fg ON true`
    : 'CROSS JOIN (SELECT NULL::text AS first_name, NULL::text AS last_name) fg';
  await c.query(
    `CREATE TEMP TABLE plan_subjects ON COMMIT DROP AS
     SELECT d.workflow_id, d.facility_id, w.recipients, w.channels, w.per_day, w.interval_minutes, w.start_time,
       w.message_kind,
       f.facility_no, f.principal, lt.title AS loan_type_title, c.first_name, c.last_name, c.customer_no,
       c.national_id, c.mobile AS borrower_mobile, c.email AS borrower_email, c.address AS borrower_address,
       c.gender AS borrower_gender, d.branch_id, b.name AS branch_name, d.overdue_days, d.overdue_installments,
       d.overdue_amount, d.penalty, d.collectible_amount, d.unpaid_amount, d.oldest_due_on, d.next_due_on,
       fg.first_name AS first_guarantor_first_name, fg.last_name AS first_guarantor_last_name
     FROM plan_due d
     JOIN workflows w ON w.id = d.workflow_id
     ${facility}
     JOIN customers c ON c.id = f.customer_id
     JOIN branches b ON b.id = d.branch_id
     JOIN loan_types lt ON lt.id = f.loan_type_id
     ${guarantor}`,
  );
  // only the columns later statements join or filter on: the texts' statistics cost more than the rest
  await c.query('ANALYZE plan_subjects (workflow_id, facility_id, recipients)');
}

/**
 * Stages the date's messages in `plan_messages` (dropped at commit): one per due occasion × recipient
 * (the borrower; each guarantor by `seq`) × channel of the workflow, rendered, with everything its
 * outbox row needs and what the contact rules read — severity (overdue days), the person's national
 * code and mobile apart as well as the key they are counted by. A recipient without the channel's
 * address, or a missing template, is held with the reason instead of dropped; letters are printed,
 * not dispatched (`planned`). An occasion already in the outbox is left out (a re-run writes nothing
 * twice). Returns how many.
 */
export async function stageMessages(c: Client, o: StageOptions): Promise<number> {
  const base = o.params.length;
  const p = (n: number) => `$${base + n}`;
  await collectSubjects(c, o.firstGuarantor);
  await c.query(
    `CREATE TEMP TABLE plan_messages ON COMMIT DROP AS
     WITH recipients AS (
       SELECT s.*, 'borrower' AS role, 0 AS seq,
         concat_ws(' ', s.first_name, s.last_name) AS name,
         coalesce(nullif(trim(s.national_id), ''), nullif(trim(s.borrower_mobile), ''), 'customer:' || s.customer_no)
           AS person_key,
         nullif(trim(s.national_id), '') AS national_code,
         nullif(trim(s.borrower_mobile), '') AS mobile, nullif(trim(s.borrower_email), '') AS email,
         nullif(trim(s.borrower_address), '') AS postal, s.borrower_gender AS gender,
         s.first_guarantor_first_name AS guarantor_first_name, s.first_guarantor_last_name AS guarantor_last_name
       FROM plan_subjects s
       WHERE 'borrower' = ANY (s.recipients)
       UNION ALL
       SELECT s.*, 'guarantor', g.seq,
         concat_ws(' ', coalesce(g.first_name, gc.first_name), coalesce(g.last_name, gc.last_name)),
         coalesce(nullif(trim(g.national_id), ''), nullif(trim(gc.national_id), ''), nullif(trim(g.mobile), ''),
                  nullif(trim(gc.mobile), ''), 'guarantor:' || g.id),
         coalesce(nullif(trim(g.national_id), ''), nullif(trim(gc.national_id), '')),
         coalesce(nullif(trim(g.mobile), ''), nullif(trim(gc.mobile), '')), nullif(trim(gc.email), ''),
         coalesce(nullif(trim(g.address), ''), nullif(trim(gc.address), '')), gc.gender,
         coalesce(g.first_name, gc.first_name), coalesce(g.last_name, gc.last_name)
       FROM plan_subjects s
       JOIN guarantors g ON g.facility_id = s.facility_id
       LEFT JOIN customers gc ON gc.id = g.customer_id
       WHERE 'guarantors' = ANY (s.recipients)
     ), messages AS (
       SELECT r.*, ch.channel, r.workflow_id || ':' || ch.channel || ':' || r.role AS template_key,
         CASE WHEN ch.channel IN ('sms', 'call') THEN r.mobile WHEN ch.channel = 'email' THEN r.email
              ELSE r.postal END AS address
       FROM recipients r
       CROSS JOIN LATERAL unnest(r.channels) AS ch (channel)
     ), rendered AS (
       -- every value at hand in the message's row: no lookup per message
       SELECT concat_ws(':', m.workflow_id, m.facility_id, m.role, m.seq, m.channel, ${p(1)}::text) || '#1' AS occasion_key,
         m.workflow_id, m.facility_id, m.facility_no, ARRAY[m.facility_no] AS facility_nos, m.branch_id,
         m.role AS recipient_role, m.seq, coalesce(nullif(m.name, ''), m.last_name) AS recipient_name,
         m.person_key, m.national_code, m.mobile, m.gender, m.channel, m.address, ${o.textSql} AS text,
         m.per_day, m.interval_minutes, m.start_time, m.message_kind,
         m.overdue_days AS severity, m.overdue_amount, m.collectible_amount
       FROM messages m
     )
     SELECT m.occasion_key, m.workflow_id, m.facility_id, m.facility_no, m.facility_nos, m.branch_id,
       m.recipient_role, m.seq, m.recipient_name, m.person_key, m.national_code, m.mobile, m.gender, m.channel,
       coalesce(m.address, '') AS address, coalesce(m.text, '') AS text,
       CASE WHEN m.address IS NULL OR m.text IS NULL THEN 'held'
            WHEN m.channel IN ('intro_letter', 'warning_notice', 'declaration') THEN 'planned'
            ELSE 'queued' END AS status,
       CASE WHEN m.address IS NULL THEN
              CASE WHEN m.channel IN ('sms', 'call') THEN ${p(4)} WHEN m.channel = 'email' THEN ${p(5)} ELSE ${p(6)} END
            WHEN m.text IS NULL THEN ${p(7)} END AS held_reason,
       m.per_day, m.interval_minutes, m.start_time,
       (${p(1)}::date + m.start_time) AT TIME ZONE ${p(2)}::text AS scheduled_at,
       (${p(1)}::date + ${p(3)}::time) AT TIME ZONE ${p(2)}::text AS window_ends_at,
       m.severity, m.overdue_amount, m.collectible_amount, m.message_kind
     FROM rendered m
     -- an occasion's key holds its date and its rows are of that date: only the date's rows are read
     WHERE NOT EXISTS (SELECT 1 FROM notifications n
                       WHERE n.business_date = ${p(1)}::date AND n.occasion_key = m.occasion_key)`,
    [
      ...o.params,
      o.date,
      o.timezone,
      o.windowEnd,
      HELD_REASONS.mobile,
      HELD_REASONS.email,
      HELD_REASONS.address,
      HELD_REASONS.template,
    ],
  );
  await c.query('ALTER TABLE plan_messages ADD PRIMARY KEY (occasion_key)');
  await c.query(
    'ANALYZE plan_messages (occasion_key, person_key, branch_id, channel, status, national_code, mobile)',
  );
  const { rows } = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM plan_messages');
  return rows[0]!.n;
}

/**
 * The staged messages, the contact rules applied, into the outbox in one statement. Returns the rows
 * written. No other planner writes meanwhile (lockPlanning), and an occasion an earlier plan wrote is
 * left out when staged, as is a person's merged message of the day when merged (mergeMessages). The
 * unique key remains the guarantee that an occasion is never written twice; `ON CONFLICT` would add a
 * speculative insert per row, 15% of a day's outbox insert at 1M.
 */
export async function writeStaged(c: Client, date: string): Promise<number> {
  const { rowCount } = await c.query(
    `INSERT INTO notifications (occasion_key, business_date, workflow_id, facility_id, facility_nos, branch_id,
       recipient_role, recipient_name, person_key, channel, address, text, status, held_reason, max_attempts,
       retry_minutes, scheduled_at, window_ends_at, next_try_at, message_kind)
     SELECT m.occasion_key, $1::date, m.workflow_id, m.facility_id, m.facility_nos, m.branch_id, m.recipient_role,
       m.recipient_name, m.person_key, m.channel, m.address, m.text, m.status, m.held_reason, m.per_day,
       m.interval_minutes, m.scheduled_at, m.window_ends_at, m.scheduled_at, m.message_kind
     FROM plan_messages m`,
    [date],
  );
  return rowCount ?? 0;
}

/** A row the planner wrote in this transaction (the dry run reads them back before rolling back). */
export interface PlannedRow {
  facility_no: string;
  facility_nos: string[];
  recipient_role: 'borrower' | 'guarantor';
  recipient_name: string;
  address: string;
  channel: string;
  text: string;
  status: string;
  held_reason: string | null;
  scheduled_at: Date;
}

/**
 * The outbox rows of the staged occasions that this transaction inserted (their `xmin`): exactly what
 * the plan wrote, in the order of facility, recipient and channel.
 */
export async function findWritten(c: Client): Promise<PlannedRow[]> {
  const { rows } = await c.query<PlannedRow>(
    `SELECT f.facility_no, n.facility_nos, n.recipient_role, n.recipient_name, n.address, n.channel, n.text,
       n.status, n.held_reason, n.scheduled_at
     FROM plan_messages m
     JOIN notifications n ON n.occasion_key = m.occasion_key
     JOIN facilities f ON f.id = n.facility_id
     WHERE n.xmin::text = (txid_current() % 4294967296)::text
     ORDER BY f.facility_no COLLATE "C", n.recipient_role, m.seq, n.channel`,
  );
  return rows;
}

/**
 * The occasions done: the next one `repeat_every_days` after today, or none (one per stay); a stay
 * started today was written so (`born`). Also when
 * a contact rule held the message: the occasion happened and the rule decided it is not sent, so it is
 * not tried again the next day (that would go round the caps and the do-not-contact list).
 */
export async function advanceStays(c: Client, date: string): Promise<void> {
  await c.query(
    `UPDATE workflow_stays s
     SET last_sent_on = $1,
         next_on = CASE WHEN w.repeat_every_days >= 1 THEN $1::date + w.repeat_every_days END
     FROM plan_due d JOIN workflows w ON w.id = d.workflow_id
     WHERE NOT d.born AND s.workflow_id = d.workflow_id AND s.facility_id = d.facility_id AND s.ended_on IS NULL`,
    [date],
  );
}
