import { sql } from 'kysely';
import type { NotificationQuery } from '@vosul/common/notifications';
import type { Executor } from '../../platform/db/database.js';
import type { Scope } from '../../platform/auth/context.js';
import { branchInScope } from '../../platform/scope.js';

export type NotificationFilter = Omit<NotificationQuery, 'page' | 'page_size'>;

/** Notifications of the branches in the user's scope (the branch of the facility they concern). */
export function notificationsPageQuery(db: Executor, scope: Scope, filter: NotificationFilter) {
  let query = db
    .selectFrom('notifications as n')
    .innerJoin('facilities as f', 'f.id', 'n.facility_id')
    .leftJoin('workflows as w', 'w.id', 'n.workflow_id')
    .where(branchInScope(scope, sql.ref('n.branch_id')));
  if (filter.facility_no)
    // a merged message names every facility it covers
    query = query.where(sql<boolean>`${filter.facility_no} = ANY(n.facility_nos)`);
  if (filter.from) query = query.where('n.business_date', '>=', filter.from);
  if (filter.to) query = query.where('n.business_date', '<=', filter.to);
  if (filter.channel) query = query.where('n.channel', '=', filter.channel);
  if (filter.status) query = query.where('n.status', '=', filter.status);
  return query.select([
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
    'n.attempt',
    'n.scheduled_at',
    'n.sent_at',
    'n.status_at',
  ]);
}

export const NOTIFICATION_SORT = { scheduled_at: 'n.scheduled_at', id: 'n.id' };
