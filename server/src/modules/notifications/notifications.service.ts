import type {
  Notification,
  NotificationEvent,
  NotificationFilter,
  NotificationQuery,
  NotificationSummary,
  ChannelAlerts,
} from '@vosul/common/notifications';
import type { Database } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/auth/context.js';
import { notFound } from '../../platform/errors.js';
import { recordedExport } from '../../platform/export-log.js';
import { fetchPage } from '../../platform/listing.js';
import * as repo from './notifications.repository.js';
import { findProviderAlerts } from './dispatch.repository.js';
import { sqlRunnerOf } from './channels/index.js';

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

/** V23 summary view and the P8 chart: counts by channel × status and by day × status. */
export async function summarizeNotifications(
  db: Database,
  ctx: RequestContext,
  filter: NotificationFilter,
): Promise<NotificationSummary> {
  const rows = await repo.summaryRows(db, ctx.user.scope, filter);
  const summary: NotificationSummary = { total: 0, by_channel: [], by_day: [] };
  for (const r of rows) {
    if (r.by_day) summary.by_day.push({ date: r.date!, status: r.status, count: r.count });
    else {
      summary.by_channel.push({ channel: r.channel!, status: r.status, count: r.count });
      summary.total += r.count;
    }
  }
  return summary;
}

/** The notifications as Excel, streamed (recorded in the export log: they name people). */
export async function exportNotifications(db: Database, ctx: RequestContext, filter: NotificationFilter) {
  const rows = repo.streamNotifications(db, ctx.user.scope, filter);
  return recordedExport(db, ctx, { name: 'notifications', filter }, rows);
}

/** A notification's status history (P6); outside the user's scope it does not exist. */
export async function notificationEvents(
  db: Database,
  ctx: RequestContext,
  id: number,
): Promise<{ items: NotificationEvent[] }> {
  const found = await repo.notificationInScope(db, ctx.user.scope, String(id));
  if (!found) throw notFound('اطلاع‌رسانی');
  const events = await repo.notificationEvents(db, found.id);
  return {
    items: events.map((e) => ({ status: e.status, at: new Date(e.at).toISOString(), detail: e.detail })),
  };
}

/** The providers refusing their account until an administrator acts (the home page warns them). */
export async function listChannelAlerts(db: Database): Promise<ChannelAlerts> {
  const rows = await findProviderAlerts(sqlRunnerOf(db));
  return { items: rows.map((r) => ({ ...r, since: r.since.toISOString() })) };
}
