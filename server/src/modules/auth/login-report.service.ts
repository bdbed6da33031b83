import type { LoginEventFilter, LoginEventQuery } from '@vosul/common';
import type { Database } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/auth/context.js';
import { mapRows, recordedExport } from '../../platform/export-log.js';
import * as repo from './login-report.repository.js';

/**
 * V28: who signed in or failed to, when and from where. HQ users see every attempt; a province or
 * branch user (with the page) sees only attempts on accounts of users in their scope — attempts on
 * unknown usernames are HQ's only.
 */
export async function listLoginEvents(
  db: Database,
  ctx: RequestContext,
  query: LoginEventQuery,
  timeZone: string,
) {
  const { page, page_size, ...filter } = query;
  const { rows, total } = await repo
    .loginEventsTimeline(db, ctx.user.scope, filter, timeZone)
    .page({ page, page_size });
  return { items: rows.map(toEvent), total };
}

/** Streams every matching event to the export; the export is recorded (B7). */
export async function exportLoginEvents(
  db: Database,
  ctx: RequestContext,
  filter: Partial<LoginEventFilter>,
  timeZone: string,
) {
  const rows = repo.loginEventsTimeline(db, ctx.user.scope, filter, timeZone).stream();
  return recordedExport(db, ctx, { name: 'login_report', filter }, mapRows(rows, toEvent));
}

function toEvent(row: repo.LoginEventRow) {
  return {
    id: row.id,
    at: row.at.toISOString(),
    username: row.username,
    user_id: row.user_id,
    succeeded: row.succeeded,
    reason: row.reason,
    ip: row.ip,
    user_agent: row.user_agent,
  };
}
