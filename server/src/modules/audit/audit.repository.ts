import { sql } from 'kysely';
import type { AuditFilter } from '@vosul/common';
import type { Executor } from '../../platform/db/database.js';
import type { Scope } from '../../platform/auth/context.js';
import { userInScope } from '../../platform/user-scope.js';

/** The start of business day `date` in `timeZone`, as a timestamptz expression. */
const dayStart = (date: string, timeZone: string) =>
  sql<Date>`(${date}::date)::timestamp at time zone ${timeZone}`;
const dayEnd = (date: string, timeZone: string) =>
  sql<Date>`(${date}::date + 1)::timestamp at time zone ${timeZone}`;

function auditQuery(db: Executor, scope: Scope, filter: Partial<AuditFilter>, timeZone: string) {
  let query = db
    .selectFrom('audit_log as a')
    .select([
      'a.id',
      'a.at',
      // Full precision (microseconds) for keyset paging of the export.
      sql<string>`to_json(a.at) #>> '{}'`.as('at_key'),
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
  if (filter.from) query = query.where('a.at', '>=', dayStart(filter.from, timeZone));
  if (filter.to) query = query.where('a.at', '<', dayEnd(filter.to, timeZone));
  return query;
}

/** One page, newest first, with the total in the same round trip. */
export async function findAuditPage(
  db: Executor,
  scope: Scope,
  filter: Partial<AuditFilter>,
  timeZone: string,
  page: { page: number; page_size: number },
) {
  const rows = await auditQuery(db, scope, filter, timeZone)
    .select(sql<string>`count(*) over ()`.as('total'))
    .orderBy('a.at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(page.page_size)
    .offset((page.page - 1) * page.page_size)
    .execute();
  const total =
    rows.length > 0
      ? Number(rows[0]!.total)
      : Number(
          (
            await auditQuery(db, scope, filter, timeZone)
              .clearSelect()
              .select(sql<string>`count(*)`.as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
  return { rows, total };
}

/** Every matching entry, newest first, read in batches (keyset) so a large export never sits in memory. */
export async function* streamAudit(
  db: Executor,
  scope: Scope,
  filter: Partial<AuditFilter>,
  timeZone: string,
  batch = 2000,
) {
  let last: { at: string; id: string } | undefined;
  for (;;) {
    let query = auditQuery(db, scope, filter, timeZone);
    if (last) {
      const { at, id } = last;
      query = query.where(sql<boolean>`(a.at, a.id) < (${at}::timestamptz, ${id}::bigint)`);
    }
    const rows = await query.orderBy('a.at', 'desc').orderBy('a.id', 'desc').limit(batch).execute();
    yield* rows;
    if (rows.length < batch) return;
    const tail = rows[rows.length - 1]!;
    last = { at: tail.at_key, id: tail.id };
  }
}
