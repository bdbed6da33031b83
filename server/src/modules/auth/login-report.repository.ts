import { sql } from 'kysely';
import type { LoginEventFilter } from '@vosul/common';
import type { Executor } from '../../platform/db/database.js';
import type { Scope } from '../../platform/auth/context.js';
import { userInScope } from '../../platform/user-scope.js';

const dayStart = (date: string, timeZone: string) =>
  sql<Date>`(${date}::date)::timestamp at time zone ${timeZone}`;
const dayEnd = (date: string, timeZone: string) =>
  sql<Date>`(${date}::date + 1)::timestamp at time zone ${timeZone}`;

function loginEventsQuery(db: Executor, scope: Scope, filter: Partial<LoginEventFilter>, timeZone: string) {
  let query = db
    .selectFrom('login_events as e')
    .select([
      'e.id',
      'e.at',
      sql<string>`to_json(e.at) #>> '{}'`.as('at_key'),
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
  if (filter.from) query = query.where('e.at', '>=', dayStart(filter.from, timeZone));
  if (filter.to) query = query.where('e.at', '<', dayEnd(filter.to, timeZone));
  return query;
}

/** One page of the login report, newest first, with the total. */
export async function findLoginEventsPage(
  db: Executor,
  scope: Scope,
  filter: Partial<LoginEventFilter>,
  timeZone: string,
  page: { page: number; page_size: number },
) {
  const rows = await loginEventsQuery(db, scope, filter, timeZone)
    .select(sql<string>`count(*) over ()`.as('total'))
    .orderBy('e.at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(page.page_size)
    .offset((page.page - 1) * page.page_size)
    .execute();
  const total =
    rows.length > 0
      ? Number(rows[0]!.total)
      : Number(
          (
            await loginEventsQuery(db, scope, filter, timeZone)
              .clearSelect()
              .select(sql<string>`count(*)`.as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
  return { rows, total };
}

/** Every matching event, newest first, read in keyset batches for a streamed export. */
export async function* streamLoginEvents(
  db: Executor,
  scope: Scope,
  filter: Partial<LoginEventFilter>,
  timeZone: string,
  batch = 2000,
) {
  let last: { at: string; id: string } | undefined;
  for (;;) {
    let query = loginEventsQuery(db, scope, filter, timeZone);
    if (last) {
      const { at, id } = last;
      query = query.where(sql<boolean>`(e.at, e.id) < (${at}::timestamptz, ${id}::bigint)`);
    }
    const rows = await query.orderBy('e.at', 'desc').orderBy('e.id', 'desc').limit(batch).execute();
    yield* rows;
    if (rows.length < batch) return;
    const tail = rows[rows.length - 1]!;
    last = { at: tail.at_key, id: tail.id };
  }
}
