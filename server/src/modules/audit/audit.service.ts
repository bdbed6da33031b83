import type { AuditFilter, AuditQuery } from '@vosul/common';
import type { Database } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/auth/context.js';
import { mapRows, recordedExport } from '../../platform/export-log.js';
import * as repo from './audit.repository.js';

/**
 * B4: the audit trail. HQ users read all of it; a province or branch user (with the page) reads only
 * what users of their own scope did — never the system's own entries nor other provinces' changes.
 */
export async function listAudit(db: Database, ctx: RequestContext, query: AuditQuery, timeZone: string) {
  const { page, page_size, ...filter } = query;
  const { rows, total } = await repo
    .auditTimeline(db, ctx.user.scope, filter, timeZone)
    .page({ page, page_size });
  return { items: rows.map(toEntry), total };
}

/** The export streams every matching entry and is itself recorded (B7): before/after hold personal data. */
export async function exportAudit(
  db: Database,
  ctx: RequestContext,
  filter: Partial<AuditFilter>,
  timeZone: string,
) {
  const rows = repo.auditTimeline(db, ctx.user.scope, filter, timeZone).stream();
  return recordedExport(db, ctx, { name: 'audit', filter }, mapRows(rows, toEntry));
}

function toEntry(row: repo.AuditRow) {
  return {
    id: row.id,
    at: row.at.toISOString(),
    actor_user_id: row.actor_user_id,
    actor_username: row.actor_username,
    ip: row.ip,
    entity: row.entity,
    entity_id: row.entity_id,
    action: row.action,
    before: row.before ?? null,
    after: row.after ?? null,
  };
}
