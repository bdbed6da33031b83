import { sql } from 'kysely';
import type { AuditFilter } from '@vosul/common';
import type { Executor } from '../../platform/db/database.js';
import type { Scope } from '../../platform/auth/context.js';
import { whereInDays } from '../../platform/date-range.js';
import { userInScope } from '../../platform/scope.js';
import { timeline, timelineKey, type TimelineRowOf } from '../../platform/timeline.js';

/** The audit entries a scope may read, filtered; paged or streamed newest first. */
export function auditTimeline(db: Executor, scope: Scope, filter: Partial<AuditFilter>, timeZone: string) {
  let query = db
    .selectFrom('audit_log as a')
    .select([
      'a.id',
      'a.at',
      timelineKey('a'),
      'a.actor_user_id',
      'a.actor_username',
      'a.ip',
      'a.entity',
      'a.entity_id',
      'a.action',
      'a.before',
      'a.after',
    ])
    .where(userInScope(scope, sql.ref('a.actor_user_id')));
  if (filter.user_id !== undefined) query = query.where('a.actor_user_id', '=', filter.user_id);
  if (filter.username) query = query.where(sql`lower(a.actor_username)`, '=', filter.username.toLowerCase());
  if (filter.entity) query = query.where('a.entity', '=', filter.entity);
  if (filter.entity_id) query = query.where('a.entity_id', '=', filter.entity_id);
  if (filter.action) query = query.where('a.action', '=', filter.action);
  return timeline(whereInDays(query, 'a.at', filter, timeZone), 'a');
}

export type AuditRow = TimelineRowOf<ReturnType<typeof auditTimeline>>;
