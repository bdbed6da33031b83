import { sql } from 'kysely';
import type { LoginEventFilter } from '@vosul/common';
import type { Executor } from '../../platform/db/database.js';
import type { Scope } from '../../platform/auth/context.js';
import { whereInDays } from '../../platform/date-range.js';
import { userInScope } from '../../platform/scope.js';
import { timeline, timelineKey, type TimelineRowOf } from '../../platform/timeline.js';

/** The login events a scope may read, filtered; paged or streamed newest first. */
export function loginEventsTimeline(
  db: Executor,
  scope: Scope,
  filter: Partial<LoginEventFilter>,
  timeZone: string,
) {
  let query = db
    .selectFrom('login_events as e')
    .select([
      'e.id',
      'e.at',
      timelineKey('e'),
      'e.username',
      'e.user_id',
      'e.succeeded',
      'e.reason',
      'e.ip',
      'e.user_agent',
    ])
    .where(userInScope(scope, sql.ref('e.user_id')));
  if (filter.username) query = query.where(sql`lower(e.username)`, '=', filter.username.toLowerCase());
  if (filter.succeeded !== undefined) query = query.where('e.succeeded', '=', filter.succeeded);
  if (filter.ip) query = query.where(sql`e.ip`, 'like', filter.ip.replace(/[\\%_]/g, (c) => '\\' + c) + '%');
  return timeline(whereInDays(query, 'e.at', filter, timeZone), 'e');
}

export type LoginEventRow = TimelineRowOf<ReturnType<typeof loginEventsTimeline>>;
