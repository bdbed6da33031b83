import { sql } from 'kysely';
import { likePattern, normalizeMobile, normalizeText } from '@vosul/common';
import type { ChangeRequestListQuery } from '@vosul/common/change-requests';
import type { Executor } from '../../platform/db/database.js';
import type { Scope } from '../../platform/auth/context.js';
import { branchInScope } from '../../platform/scope.js';
import { fetchPage } from '../../platform/listing.js';
import { CASE_FIELD_COLUMNS, customersWithBranch } from '../cases/cases.repository.js';

// ---- who needs approval ----------------------------------------------------------------------

/** V19: a user needs approval when any of their access groups does. */
export async function userNeedsApproval(db: Executor, userId: number): Promise<boolean> {
  const row = await db
    .selectFrom('user_groups as ug')
    .innerJoin('access_groups as g', 'g.id', 'ug.group_id')
    .select('g.id')
    .where('ug.user_id', '=', userId)
    .where('g.needs_approval', '=', true)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

// ---- list ------------------------------------------------------------------------------------

/** Requests with their branch, as `r` and `b`, within the scope. */
function requestsInScope(db: Executor, scope: Scope) {
  return db
    .selectFrom('change_requests as r')
    .innerJoin('branches as b', 'b.id', 'r.branch_id')
    .where(branchInScope(scope, sql.ref('r.branch_id')));
}

function requestsQuery(db: Executor, scope: Scope) {
  return requestsInScope(db, scope).select([
    sql<number>`r.id::int`.as('id'),
    'r.kind',
    'r.status',
    'r.customer_no',
    'r.full_name',
    'r.mobile',
    'b.code as branch_code',
    'b.name as branch_name',
    'r.requested_by_name',
    'r.requested_at',
    'r.reviewed_by_name',
    'r.reviewed_at',
  ]);
}

const REQUEST_SORT = {
  id: 'r.id',
  customer_no: 'r.customer_no',
  full_name: 'r.full_name',
  mobile: 'r.mobile',
  status: 'r.status',
  kind: 'r.kind',
  branch_code: 'b.code',
  requested_by_name: 'r.requested_by_name',
  requested_at: 'r.requested_at',
  reviewed_at: 'r.reviewed_at',
};

/** The reviewer's list: search over customer number, name, mobile and requester; status and kind filters. */
export function findRequestsPage(db: Executor, scope: Scope, list: ChangeRequestListQuery) {
  let query = requestsQuery(db, scope);
  const text = list.q ? normalizeText(list.q) : '';
  if (text) {
    const patterns = [likePattern(text)];
    const mobile = normalizeMobile(text);
    if (mobile && mobile !== text) patterns.push(likePattern(mobile));
    query = query.where((eb) =>
      eb.or(
        patterns.flatMap((p) => [
          eb('r.customer_no', 'ilike', p),
          eb('r.full_name', 'ilike', p),
          eb('r.mobile', 'ilike', p),
          eb('r.requested_by_name', 'ilike', p),
        ]),
      ),
    );
  }
  if (list.status) query = query.where('r.status', '=', list.status);
  if (list.kind) query = query.where('r.kind', '=', list.kind);
  const sorted = list.sort ? list : { ...list, sort: 'requested_at', order: 'desc' as const };
  return fetchPage(query, sorted, REQUEST_SORT, 'requested_at', 'r.id');
}

// ---- one request -----------------------------------------------------------------------------

/** One request with its branch; undefined outside the scope. `lock` holds it for a review. */
export function findRequest(db: Executor, scope: Scope, id: number, lock = false) {
  let query = requestsInScope(db, scope)
    .select([
      sql<number>`r.id::int`.as('id'),
      'r.kind',
      'r.status',
      sql<number | null>`r.customer_id::int`.as('customer_id'),
      'r.customer_no',
      'r.full_name',
      'r.mobile',
      'r.branch_id',
      'b.code as branch_code',
      'b.name as branch_name',
      'r.proposed',
      'r.original',
      'r.base_version',
      'r.requested_by',
      'r.requested_by_name',
      'r.requested_at',
      'r.reviewed_by',
      'r.reviewed_by_name',
      'r.reviewed_at',
      'r.review_note',
      'r.version',
    ])
    .where('r.id', '=', String(id));
  if (lock) query = query.forUpdate('r');
  return query.executeTakeFirst();
}

export type RequestRow = NonNullable<Awaited<ReturnType<typeof findRequest>>>;

/** The pending request of a case (update) or of a customer number (create), if any. */
export function findPendingRequest(db: Executor, target: { customerId: number } | { customerNo: string }) {
  let query = db
    .selectFrom('change_requests')
    .select([sql<number>`id::int`.as('id'), 'requested_by_name'])
    .where('status', '=', 'pending');
  query =
    'customerId' in target
      ? query.where('kind', '=', 'update').where('customer_id', '=', String(target.customerId))
      : query.where('kind', '=', 'create').where('customer_no', '=', target.customerNo);
  return query.executeTakeFirst();
}

export interface NewRequest {
  kind: 'create' | 'update';
  customer_id: number | null;
  customer_no: string;
  full_name: string;
  mobile: string | null;
  branch_id: number;
  proposed: Record<string, unknown>;
  original: Record<string, unknown>;
  base_version: number | null;
  requested_by: number;
  requested_by_name: string;
}

export async function insertRequest(db: Executor, values: NewRequest): Promise<number> {
  const row = await db
    .insertInto('change_requests')
    .values({
      ...values,
      customer_id: values.customer_id === null ? null : String(values.customer_id),
      proposed: JSON.stringify(values.proposed),
      original: JSON.stringify(values.original),
    })
    .returning(sql<number>`id::int`.as('id'))
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Records the decision on a pending request; undefined when it was decided meanwhile. */
export function decideRequest(
  db: Executor,
  id: number,
  decision: {
    status: 'accepted' | 'rejected';
    reviewed_by: number;
    reviewed_by_name: string;
    review_note: string | null;
    customer_id?: number;
  },
) {
  const { customer_id, ...rest } = decision;
  return db
    .updateTable('change_requests')
    .set({
      ...rest,
      ...(customer_id === undefined ? {} : { customer_id: String(customer_id) }),
      reviewed_at: sql`now()`,
      version: sql`version + 1`,
    })
    .where('id', '=', String(id))
    .where('status', '=', 'pending')
    .returning('id')
    .executeTakeFirst();
}

/** A case's current values in effect (for the page's old column and the staleness check), locked for a review. */
export function findCustomerValues(db: Executor, customerId: number, lock = false) {
  let query = customersWithBranch(db)
    .select([
      sql<number>`c.id::int`.as('id'),
      'c.customer_no',
      'c.branch_id',
      'b.code as branch_code',
      'b.name as branch_name',
      ...CASE_FIELD_COLUMNS,
      'c.version',
    ])
    .where('c.id', '=', String(customerId));
  if (lock) query = query.forUpdate('c');
  return query.executeTakeFirst();
}

export type CustomerValues = NonNullable<Awaited<ReturnType<typeof findCustomerValues>>>;

/** Code and name of branches, for showing a branch field. */
export function findBranches(db: Executor, ids: readonly number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('branches')
    .select(['id', 'code', 'name'])
    .where('id', 'in', [...ids])
    .execute();
}
