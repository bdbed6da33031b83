import { sql } from 'kysely';
import { likePattern } from '@vosul/common';
import type { NotificationFilter, NotificationStatus } from '@vosul/common/notifications';
import type { Channel } from '@vosul/common/workflows';
import type { Executor } from '../../platform/db/database.js';
import type { Scope } from '../../platform/auth/context.js';
import { branchInScope } from '../../platform/scope.js';
import { streamNewestFirst } from '../../platform/listing.js';

export type { NotificationFilter };

/** Notifications of the branches in the user's scope (the branch of the facility they concern), filtered. */
function scopedNotifications(db: Executor, scope: Scope, filter: NotificationFilter) {
  let query = db
    .selectFrom('notifications as n')
    .innerJoin('facilities as f', 'f.id', 'n.facility_id')
    .leftJoin('workflows as w', 'w.id', 'n.workflow_id')
    .where(branchInScope(scope, sql.ref('n.branch_id')));
  if (filter.facility_no)
    // the facility's own messages (by its index), and the merged ones naming it (their partial GIN index)
    query = query.where(
      sql<boolean>`(n.facility_id = (SELECT id FROM facilities WHERE facility_no = ${filter.facility_no})
        OR (cardinality(n.facility_nos) > 1 AND n.facility_nos @> ARRAY[${filter.facility_no}]::text[]))`,
    );
  if (filter.customer_no)
    query = query.where(
      'f.customer_id',
      'in',
      db.selectFrom('customers').select('id').where('customer_no', '=', filter.customer_no),
    );
  if (filter.recipient) {
    const pattern = likePattern(filter.recipient);
    query = query.where((eb) =>
      eb.or([eb('n.recipient_name', 'ilike', pattern), eb('n.address', 'ilike', pattern)]),
    );
  }
  if (filter.from) query = query.where('n.business_date', '>=', filter.from);
  if (filter.to) query = query.where('n.business_date', '<=', filter.to);
  if (filter.channel) query = query.where('n.channel', '=', filter.channel);
  if (filter.status) query = query.where('n.status', '=', filter.status);
  if (filter.branch_id) query = query.where('n.branch_id', '=', filter.branch_id);
  if (filter.workflow_id) query = query.where('n.workflow_id', '=', filter.workflow_id);
  return query;
}

const NOTIFICATION_COLUMNS = [
  sql<string>`n.id::text`.as('id'),
  'f.facility_no',
  'n.facility_nos',
  'w.title as workflow',
  'n.recipient_role',
  'n.recipient_name',
  'n.address',
  'n.channel',
  'n.text',
  'n.status',
  'n.held_reason',
  'n.attempt',
  'n.provider',
  'n.scheduled_at',
  'n.sent_at',
  'n.status_at',
] as const;

export function notificationsPageQuery(db: Executor, scope: Scope, filter: NotificationFilter) {
  return scopedNotifications(db, scope, filter).select(NOTIFICATION_COLUMNS);
}

export const NOTIFICATION_SORT = { scheduled_at: 'n.scheduled_at', id: 'n.id' };

/** The rows of the Excel export: the list's columns and what only the report shows (branch, date, why held). */
function exportRows(db: Executor, scope: Scope, filter: NotificationFilter) {
  return scopedNotifications(db, scope, filter)
    .innerJoin('branches as b', 'b.id', 'n.branch_id')
    .select([...NOTIFICATION_COLUMNS, 'n.business_date', 'b.code as branch_code', 'b.name as branch_name']);
}

export type NotificationExportRow = Awaited<
  ReturnType<ReturnType<typeof exportRows>['executeTakeFirstOrThrow']>
>;

/**
 * The matching notifications for the export, newest first, read in keyset batches by id so a
 * million-row export never holds more than one batch in memory.
 */
export function streamNotifications(
  db: Executor,
  scope: Scope,
  filter: NotificationFilter,
  batch = 2000,
): AsyncGenerator<NotificationExportRow> {
  return streamNewestFirst(exportRows(db, scope, filter), 'n.id', batch);
}

/**
 * The summary and chart figures in one grouped pass: counts per channel × status and per business
 * day × status (grouping sets; `by_day` marks which set a row belongs to).
 */
export function summaryRows(db: Executor, scope: Scope, filter: NotificationFilter) {
  return scopedNotifications(db, scope, filter)
    .select([
      sql<boolean>`grouping(n.business_date) = 0`.as('by_day'),
      sql<Channel | null>`n.channel`.as('channel'),
      sql<string | null>`n.business_date::text`.as('date'),
      sql<NotificationStatus>`n.status`.as('status'),
      sql<number>`count(*)::int`.as('count'),
    ])
    .groupBy(sql`grouping sets ((n.channel, n.status), (n.business_date, n.status))`)
    .orderBy(sql`n.business_date`)
    .orderBy(sql`n.channel`)
    .orderBy(sql`n.status`)
    .execute();
}

/** A notification's id when it is in the user's scope (else undefined: out of scope reads as absent). */
export async function notificationInScope(db: Executor, scope: Scope, id: string) {
  return db
    .selectFrom('notifications as n')
    .select('n.id')
    .where('n.id', '=', id)
    .where(branchInScope(scope, sql.ref('n.branch_id')))
    .executeTakeFirst();
}

/** Every status change of a notification, oldest first. */
export function notificationEvents(db: Executor, notificationId: string) {
  return db
    .selectFrom('notification_events')
    .select(['status', 'at', 'detail'])
    .where('notification_id', '=', notificationId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}
