import type { Notification, NotificationQuery } from '@vosul/common/notifications';
import type { Database } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/auth/context.js';
import { fetchPage } from '../../platform/listing.js';
import * as repo from './notifications.repository.js';

/** V18/V23 and the stable `GET /api/v1/notifications`: the notifications of the user's scope, newest first. */
export async function listNotifications(db: Database, ctx: RequestContext, query: NotificationQuery) {
  const { page, page_size, ...filter } = query;
  const { items, total } = await fetchPage(
    repo.notificationsPageQuery(db, ctx.user.scope, filter),
    { page, page_size, sort: 'scheduled_at', order: 'desc' },
    repo.NOTIFICATION_SORT,
    'scheduled_at',
    'n.id',
  );
  return {
    total,
    items: items.map((n): Notification => ({
      ...n,
      scheduled_at: n.scheduled_at.toISOString(),
      sent_at: n.sent_at?.toISOString() ?? null,
      status_at: n.status_at.toISOString(),
    })),
  };
}
