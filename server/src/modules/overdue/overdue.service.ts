import type { OverdueQuery } from '@vosul/common/overdue';
import type { Database } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/auth/context.js';
import { recordedExport } from '../../platform/export-log.js';
import * as repo from './overdue.repository.js';

/** V33: a page of the facilities in arrears in the user's scope (the scope is the repository's filter). */
export const listOverdue = (db: Database, ctx: RequestContext, list: OverdueQuery) =>
  repo.findOverduePage(db, ctx.user.scope, list);

/** The whole filtered list for Excel, in the list's order; recorded in the export log (B7: personal data). */
export async function exportOverdue(
  db: Database,
  ctx: RequestContext,
  list: Omit<OverdueQuery, 'page' | 'page_size'>,
) {
  const { sort: _sort, order: _order, ...filter } = list;
  return recordedExport(
    db,
    ctx,
    { name: 'overdue_cases', filter },
    repo.streamOverdue(db, ctx.user.scope, list),
  );
}
