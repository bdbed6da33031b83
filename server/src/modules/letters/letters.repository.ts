import { sql } from 'kysely';
import type { DeclarationQuery, LetterKind, LetterQuery } from '@vosul/common/letters';
import type { NotificationStatus } from '@vosul/common/notifications';
import type { Executor } from '../../platform/db/database.js';
import type { Scope } from '../../platform/auth/context.js';
import { branchInScope } from '../../platform/scope.js';

const LETTER_CHANNELS: LetterKind[] = ['intro_letter', 'warning_notice'];
/** A letter's and a declaration's statuses: held ones (no postal address) are not in the queues. */
const LETTER_STATES: NotificationStatus[] = ['planned', 'printed', 'delivered'];
const DECLARATION_STATES: NotificationStatus[] = ['planned', 'filed', 'served'];

/** The letters (or declarations) of the branches in the user's scope, with what people recorded. */
function scopedRows(db: Executor, scope: Scope, channels: readonly string[], states: NotificationStatus[]) {
  return db
    .selectFrom('notifications as n')
    .innerJoin('branches as b', 'b.id', 'n.branch_id')
    .leftJoin('letter_marks as m', 'm.notification_id', 'n.id')
    .where('n.channel', 'in', channels as LetterKind[])
    .where('n.status', 'in', states)
    .where(branchInScope(scope, sql.ref('n.branch_id')));
}

function filtered<Q extends ReturnType<typeof scopedRows>>(
  query: Q,
  filter: { from?: string | undefined; to?: string | undefined; branch_id?: number | undefined },
): Q {
  let q = query;
  if (filter.from) q = q.where('n.business_date', '>=', filter.from) as Q;
  if (filter.to) q = q.where('n.business_date', '<=', filter.to) as Q;
  if (filter.branch_id) q = q.where('n.branch_id', '=', filter.branch_id) as Q;
  return q;
}

export function lettersPageQuery(
  db: Executor,
  scope: Scope,
  filter: Omit<LetterQuery, 'page' | 'page_size'>,
) {
  let query = filtered(
    scopedRows(db, scope, filter.kind ? [filter.kind] : LETTER_CHANNELS, LETTER_STATES),
    filter,
  );
  if (filter.status) query = query.where('n.status', '=', filter.status);
  return query.select([
    sql<string>`n.id::text`.as('id'),
    sql<string>`b.code || '/' || n.id`.as('letter_no'),
    sql<LetterKind>`n.channel`.as('kind'),
    sql<string>`n.business_date::text`.as('business_date'),
    'n.branch_id',
    'b.name as branch_name',
    'n.facility_nos',
    'n.recipient_role',
    'n.recipient_name',
    'n.address',
    sql<'planned' | 'printed' | 'delivered'>`n.status`.as('status'),
    'm.printed_at',
    'm.printed_by_name',
    sql<string | null>`m.delivered_on::text`.as('delivered_on'),
  ]);
}

export const LETTER_SORT = { business_date: 'n.business_date', id: 'n.id' };

/**
 * The given letters (or declarations) of the user's scope, locked for a status change, with their
 * state and marks. An id outside the scope, or not a letter, is simply not among them. The marks are
 * read by a statement of their own once the locks are held, so a change that raced this one and won
 * is seen whole (a locking read re-checks the locked row, not the row joined to it).
 */
export async function lockLetters(
  trx: Executor,
  scope: Scope,
  ids: readonly string[],
  channels: readonly string[],
  states: NotificationStatus[],
) {
  const locked = await scopedRows(trx, scope, channels, states)
    .where('n.id', 'in', ids)
    .select(sql<string>`n.id::text`.as('id'))
    .orderBy('n.id')
    .forUpdate('n')
    .execute();
  if (locked.length === 0) return [];
  return scopedRows(trx, scope, channels, states)
    .where(
      'n.id',
      'in',
      locked.map((r) => r.id),
    )
    .select([
      sql<string>`n.id::text`.as('id'),
      sql<string>`b.code || '/' || n.id`.as('letter_no'),
      sql<string>`n.business_date::text`.as('business_date'),
      'n.status',
      'm.printed_at',
      sql<string | null>`m.delivered_on::text`.as('delivered_on'),
      sql<string | null>`m.filed_on::text`.as('filed_on'),
      'm.tracking_no',
      sql<string | null>`m.served_on::text`.as('served_on'),
    ])
    .orderBy('n.id')
    .execute();
}

/** Sets the letters' status and records the change in their history (one statement each). */
export async function setLetterStatus(
  trx: Executor,
  ids: readonly string[],
  status: NotificationStatus,
  detail: string,
): Promise<void> {
  await trx
    .updateTable('notifications')
    .set({ status, status_at: sql`now()` })
    .where('id', 'in', ids)
    .execute();
  await trx
    .insertInto('notification_events')
    .values(ids.map((id) => ({ notification_id: id, status, detail })))
    .execute();
}

export type LetterMarkValues = Partial<{
  printed_at: Date;
  printed_by: number;
  printed_by_name: string;
  delivered_on: string;
  delivered_by: number;
  filed_on: string;
  tracking_no: string;
  filed_by: number;
  served_on: string;
  served_by: number;
}>;

/** Records what a person marked on the letters (the row is made the first time). */
export async function saveLetterMarks(
  trx: Executor,
  ids: readonly string[],
  values: LetterMarkValues,
): Promise<void> {
  await trx
    .insertInto('letter_marks')
    .values(ids.map((id) => ({ notification_id: id, ...values })))
    .onConflict((oc) => oc.column('notification_id').doUpdateSet({ ...values, updated_at: sql`now()` }))
    .execute();
}

/** A tracking number already given to another declaration (ثنا gives each its own). */
export async function findTrackingNoOwner(trx: Executor, trackingNo: string, exceptId: string) {
  return trx
    .selectFrom('letter_marks')
    .select(sql<string>`notification_id::text`.as('id'))
    .where('tracking_no', '=', trackingNo)
    .where('notification_id', '!=', exceptId)
    .executeTakeFirst();
}

/**
 * What the documents of the given letters show, in the order asked: the branch's letterhead, the
 * addressee, the text, and the facility's overdue amount as of the latest daily run.
 */
export function letterDocuments(
  db: Executor,
  scope: Scope,
  ids: readonly string[],
  channels: readonly string[],
  states: NotificationStatus[],
) {
  return scopedRows(db, scope, channels, states)
    .leftJoin('facility_figures as ff', 'ff.facility_id', 'n.facility_id')
    .where('n.id', 'in', ids)
    .select([
      sql<string>`n.id::text`.as('id'),
      sql<string>`b.code || '/' || n.id`.as('letter_no'),
      sql<LetterKind | 'declaration'>`n.channel`.as('kind'),
      sql<string>`n.business_date::text`.as('business_date'),
      'b.name as branch_name',
      'b.code as branch_code',
      'b.address as branch_address',
      'n.recipient_role',
      'n.recipient_name',
      'n.address',
      'n.facility_nos',
      sql<string | null>`ff.overdue_amount::text`.as('overdue_amount'),
      'n.text',
    ])
    .orderBy('n.id')
    .execute();
}

export function declarationsPageQuery(
  db: Executor,
  scope: Scope,
  filter: Omit<DeclarationQuery, 'page' | 'page_size'>,
) {
  let query = filtered(scopedRows(db, scope, ['declaration'], DECLARATION_STATES), filter)
    .innerJoin('facilities as f', 'f.id', 'n.facility_id')
    .leftJoin('facility_figures as ff', 'ff.facility_id', 'n.facility_id');
  if (filter.state) query = query.where('n.status', '=', filter.state);
  return query.select([
    sql<string>`n.id::text`.as('id'),
    sql<string>`n.business_date::text`.as('business_date'),
    sql<'planned' | 'filed' | 'served'>`n.status`.as('state'),
    'b.name as branch_name',
    'b.code as branch_code',
    'b.address as branch_address',
    'n.recipient_role',
    'n.recipient_name',
    // the planner keys a person by national code when one is known, else by mobile or a record id
    sql<string | null>`CASE WHEN n.person_key ~ '^[0-9]{10}$' THEN n.person_key END`.as('national_code'),
    'n.address',
    'f.facility_no',
    sql<string>`f.principal::text`.as('principal'),
    sql<string | null>`ff.as_of::text`.as('as_of'),
    sql<string | null>`ff.overdue_amount::text`.as('overdue_amount'),
    sql<string | null>`ff.penalty::text`.as('penalty'),
    sql<string | null>`ff.collectible_amount::text`.as('collectible_amount'),
    sql<string | null>`ff.unpaid_amount::text`.as('unpaid_amount'),
    'ff.overdue_days',
    'n.text',
    sql<string | null>`m.filed_on::text`.as('filed_on'),
    'm.tracking_no',
    sql<string | null>`m.served_on::text`.as('served_on'),
  ]);
}

export const DECLARATION_SORT = { business_date: 'n.business_date', id: 'n.id' };
