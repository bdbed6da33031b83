import { sql } from 'kysely';
import { likePattern, normalizeMobile, normalizeText, type ListQuery } from '@vosul/common';
import type { ManagerMailStatus } from '@vosul/common/province-managers';
import type { Executor } from '../../platform/db/database.js';
import type { Scope } from '../../platform/auth/context.js';
import { provinceInScope } from '../../platform/scope.js';
import { fetchPage, sortColumn } from '../../platform/listing.js';

/** Every province in scope with its manager (if recorded) and its latest daily mail. */
function managersQuery(db: Executor, scope: Scope) {
  return db
    .selectFrom('provinces as p')
    .leftJoin('province_managers as m', 'm.province_id', 'p.id')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('province_manager_mails as pm')
          .select(['pm.business_date', 'pm.status', 'pm.error'])
          .whereRef('pm.province_id', '=', 'p.id')
          .orderBy('pm.business_date', 'desc')
          .limit(1)
          .as('last'),
      (join) => join.onTrue(),
    )
    .where(provinceInScope(scope, sql.ref('p.id')))
    .select([
      'p.id as id',
      'p.code as province_code',
      'p.name as province_name',
      'm.manager_name',
      'm.email',
      'm.mobile',
      sql<boolean>`coalesce(m.daily_mail, false)`.as('daily_mail'),
      sql<string | null>`last.business_date::text`.as('last_mail_date'),
      sql<ManagerMailStatus | null>`last.status`.as('last_mail_status'),
      sql<string | null>`last.error`.as('last_mail_error'),
      sql<string | null>`nullif(m.updated_by_name, '')`.as('updated_by_name'),
      'm.updated_at',
      sql<number>`coalesce(m.version, 0)`.as('version'),
    ]);
}

const SORT: Record<string, string> = {
  province_name: 'p.name',
  province_code: 'p.code',
  manager_name: 'm.manager_name',
  email: 'm.email',
  mobile: 'm.mobile',
  daily_mail: 'daily_mail',
  last_mail_date: 'last_mail_date',
};

/** `q` over the province's code and name and the manager's name, e-mail and mobile. */
function matching(db: Executor, scope: Scope, q: string | undefined) {
  const query = managersQuery(db, scope);
  const text = q ? normalizeText(q) : '';
  if (!text) return query;
  const patterns = [likePattern(text)];
  const mobile = normalizeMobile(text);
  if (mobile && mobile !== text) patterns.push(likePattern(mobile));
  return query.where((eb) =>
    eb.or(
      patterns.flatMap((p) => [
        eb('p.code', 'ilike', p),
        eb('p.name', 'ilike', p),
        eb('m.manager_name', 'ilike', p),
        eb('m.email', 'ilike', p),
        eb('m.mobile', 'ilike', p),
      ]),
    ),
  );
}

export function findManagersPage(db: Executor, scope: Scope, list: ListQuery) {
  return fetchPage(matching(db, scope, list.q), list, SORT, 'province_code', 'p.id');
}

/** Every match in the list's order (the export: one row per province, a few dozen). */
export function findAllManagers(db: Executor, scope: Scope, list: Pick<ListQuery, 'q' | 'sort' | 'order'>) {
  const column = sortColumn(SORT, list.sort) ?? SORT.province_code!;
  return matching(db, scope, list.q).orderBy(sql.raw(column), list.order).orderBy('p.id').execute();
}

export function findManager(db: Executor, scope: Scope, provinceId: number) {
  return managersQuery(db, scope).where('p.id', '=', provinceId).executeTakeFirst();
}

export interface ManagerValues {
  manager_name: string;
  email: string | null;
  mobile: string | null;
  daily_mail: boolean;
  updated_by: number;
  updated_by_name: string;
}

/** Records the province's first manager; undefined when someone recorded one meanwhile. */
export function insertManager(db: Executor, provinceId: number, values: ManagerValues) {
  return db
    .insertInto('province_managers')
    .values({ province_id: provinceId, ...values })
    .onConflict((oc) => oc.column('province_id').doNothing())
    .returning('province_id')
    .executeTakeFirst();
}

/** Applies the change only if nobody saved since `version`; undefined means stale. */
export function updateManager(db: Executor, provinceId: number, version: number, values: ManagerValues) {
  return db
    .updateTable('province_managers')
    .set({ ...values, version: sql`version + 1`, updated_at: sql`now()` })
    .where('province_id', '=', provinceId)
    .where('version', '=', version)
    .returning('province_id')
    .executeTakeFirst();
}

// ---- the daily activity mail --------------------------------------------------------------------

/**
 * The managers who get the day's mail: the mail on, an address, and the day a working day of their
 * province (a Friday, holiday or closure has no activity to report).
 */
export function findMailRecipients(db: Executor, businessDate: string) {
  return db
    .selectFrom('province_managers as m')
    .innerJoin('provinces as p', 'p.id', 'm.province_id')
    .select(['m.province_id', 'p.name as province_name', 'm.manager_name', 'm.email'])
    .where('m.daily_mail', '=', true)
    .where('m.email', 'is not', null)
    .where(sql<boolean>`vosul_is_working_day(${businessDate}::date, m.province_id)`)
    .orderBy('p.code')
    .execute() as Promise<
    { province_id: number; province_name: string; manager_name: string; email: string }[]
  >;
}

/** One channel's notifications of the day in a province. */
export interface ChannelDayFigures {
  channel: string;
  planned: number;
  held: number;
  sent: number;
  delivered: number;
  failed: number;
}

/** What happened in a province on a business day, as the daily mail reports it. */
export interface ProvinceDayFigures {
  province_id: number;
  /** facilities the day's snapshot added or changed */
  imported_facilities: number;
  /** payments the day's snapshot brought, and their Rials (a decimal string) */
  imported_payments: number;
  imported_amount: string;
  /** the outbox of the day, per channel */
  channels: ChannelDayFigures[];
  /** case change requests (V19) registered on the day, and those decided on it */
  change_requests: number;
  change_reviews: number;
}

/**
 * The day's figures of the given provinces in one set-based pass over the book, each source grouped
 * by province: the day's succeeded snapshots' facilities and payments, the outbox of the business
 * date (sent: reached the provider; delivered: delivered or answered; failed: failed, expired or a
 * call not reached; held: kept back by a rule), and the case change requests of the day.
 */
export async function findDayFigures(
  db: Executor,
  businessDate: string,
  provinceIds: readonly number[],
): Promise<ProvinceDayFigures[]> {
  const { rows } = await sql<ProvinceDayFigures>`
    WITH day_imports AS (
      SELECT id FROM snapshot_imports WHERE as_of = ${businessDate}::date AND status = 'succeeded'
    ),
    imported_facilities AS (
      SELECT b.province_id, count(*)::int AS n
      FROM facilities f JOIN branches b ON b.id = f.branch_id
      WHERE f.import_id IN (SELECT id FROM day_imports)
      GROUP BY b.province_id
    ),
    imported_payments AS (
      SELECT b.province_id, count(*)::int AS n, sum(pay.amount)::text AS amount
      FROM payments pay JOIN facilities f ON f.id = pay.facility_id JOIN branches b ON b.id = f.branch_id
      WHERE pay.import_id IN (SELECT id FROM day_imports)
      GROUP BY b.province_id
    ),
    outbox AS (
      SELECT b.province_id, n.channel,
        count(*)::int AS planned,
        (count(*) FILTER (WHERE n.status = 'held'))::int AS held,
        (count(*) FILTER (WHERE n.sent_at IS NOT NULL))::int AS sent,
        (count(*) FILTER (WHERE n.status IN ('delivered', 'answered')))::int AS delivered,
        (count(*) FILTER (WHERE n.status IN ('failed', 'expired', 'no_answer', 'busy', 'rejected')))::int
          AS failed
      FROM notifications n JOIN branches b ON b.id = n.branch_id
      WHERE n.business_date = ${businessDate}::date
      GROUP BY b.province_id, n.channel
    ),
    outbox_by_province AS (
      SELECT province_id,
        jsonb_agg(jsonb_build_object('channel', channel, 'planned', planned, 'held', held, 'sent', sent,
                                     'delivered', delivered, 'failed', failed) ORDER BY channel) AS channels
      FROM outbox GROUP BY province_id
    ),
    requests AS (
      SELECT b.province_id,
        (count(*) FILTER (WHERE r.requested_at >= ${businessDate}::date
                            AND r.requested_at < ${businessDate}::date + 1))::int AS requested,
        (count(*) FILTER (WHERE r.reviewed_at >= ${businessDate}::date
                            AND r.reviewed_at < ${businessDate}::date + 1))::int AS reviewed
      FROM change_requests r JOIN branches b ON b.id = r.branch_id
      WHERE (r.requested_at >= ${businessDate}::date AND r.requested_at < ${businessDate}::date + 1)
         OR (r.reviewed_at >= ${businessDate}::date AND r.reviewed_at < ${businessDate}::date + 1)
      GROUP BY b.province_id
    )
    SELECT p.id AS province_id,
      coalesce(f.n, 0) AS imported_facilities,
      coalesce(pay.n, 0) AS imported_payments,
      coalesce(pay.amount, '0') AS imported_amount,
      coalesce(o.channels, '[]'::jsonb) AS channels,
      coalesce(r.requested, 0) AS change_requests,
      coalesce(r.reviewed, 0) AS change_reviews
    FROM provinces p
    LEFT JOIN imported_facilities f ON f.province_id = p.id
    LEFT JOIN imported_payments pay ON pay.province_id = p.id
    LEFT JOIN outbox_by_province o ON o.province_id = p.id
    LEFT JOIN requests r ON r.province_id = p.id
    WHERE p.id = ANY(${sql.val([...provinceIds])}::int[])
  `.execute(db);
  return rows;
}

/**
 * Takes the province's mail of the day for this run: inserts its row, or takes over one that was not
 * sent (no account then, or a failure), and holds it locked until the caller's transaction ends, so a
 * concurrent run waits and then finds it sent. Undefined: already sent, nothing to do.
 */
export function claimMail(
  db: Executor,
  mail: { province_id: number; business_date: string; email: string; figures: unknown },
) {
  const figures = JSON.stringify(mail.figures);
  return db
    .insertInto('province_manager_mails')
    .values({
      province_id: mail.province_id,
      business_date: mail.business_date,
      status: 'failed',
      email: mail.email,
      figures,
    })
    .onConflict((oc) =>
      oc
        .columns(['province_id', 'business_date'])
        .doUpdateSet({ email: mail.email, figures, attempted_at: sql`now()` })
        .where('province_manager_mails.status', '<>', 'sent'),
    )
    .returning('province_id')
    .executeTakeFirst();
}

export function recordMailOutcome(
  db: Executor,
  key: { province_id: number; business_date: string },
  outcome: { status: ManagerMailStatus; message_id: string | null; error: string | null },
) {
  return db
    .updateTable('province_manager_mails')
    .set({ ...outcome, attempted_at: sql`now()` })
    .where('province_id', '=', key.province_id)
    .where('business_date', '=', key.business_date)
    .execute();
}
