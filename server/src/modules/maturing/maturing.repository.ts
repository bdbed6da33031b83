import { sql, type SqlBool } from 'kysely';
import { likePattern, type ListQuery } from '@vosul/common';
import type { MaturingBranchQuery, MaturingItem } from '@vosul/common/maturing';
import type { Executor } from '../../platform/db/database.js';
import type { Scope } from '../../platform/auth/context.js';
import { branchInScope } from '../../platform/scope.js';
import { fetchPage } from '../../platform/listing.js';

/** What the list is asked for: the window's days (both included) and the branches. */
export interface MaturingFilter {
  /** Today's business date: an unpaid installment due earlier is overdue, not maturing. */
  from: string;
  until: string;
  /** The branches, already checked against the user's scope. */
  branchIds: readonly number[];
}

/**
 * The ids of a branch in the scope and, when asked, of every branch below it in the scope (sub-branches
 * nest to any depth); empty when the branch is outside the scope. Resolved before the list so that the
 * planner sees a short array of ids, not a recursive query it cannot estimate.
 */
export async function findBranchIds(
  db: Executor,
  scope: Scope,
  branchId: number,
  withSubBranches: boolean,
): Promise<number[]> {
  const tree = withSubBranches
    ? sql<{ id: number }>`(with recursive tree as (
        select id from branches where id = ${branchId}
        union all select c.id from branches c join tree on c.parent_id = tree.id)
      select id from tree)`
    : sql<{ id: number }>`(select id from branches where id = ${branchId})`;
  const rows = await db
    .selectFrom(tree.as('t'))
    .select('t.id')
    .where(branchInScope(scope, sql.ref('t.id')))
    .execute();
  const ids = rows.map((r) => r.id);
  // the chosen branch itself must be in the scope, not only some of its sub-branches
  return ids.includes(branchId) ? ids : [];
}

/**
 * The active facilities of the branches with an unpaid installment due in the window. Each facility's
 * installments are read once through their key (facility_id, seq) for the window's figures, its whole
 * unpaid amount and its last due date; the facilities come from `facilities_branch_id`.
 */
function maturingQuery(db: Executor, filter: MaturingFilter) {
  const inWindow = sql<SqlBool>`i.paid_amount < i.amount and i.due_on between ${filter.from}::date and ${filter.until}::date`;
  return db
    .selectFrom('facilities as f')
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('installments as i')
          .select([
            sql<number>`count(*) filter (where ${inWindow})::int`.as('due_installments'),
            sql<string>`coalesce(sum(i.amount - i.paid_amount) filter (where ${inWindow}), 0)::text`.as(
              'due_amount',
            ),
            sql<string>`min(i.due_on) filter (where ${inWindow})`.as('next_due_on'),
            sql<string>`coalesce(sum(greatest(i.amount - i.paid_amount, 0)), 0)::text`.as('unpaid_amount'),
            sql<string>`max(i.due_on)`.as('last_due_on'),
          ])
          .whereRef('i.facility_id', '=', 'f.id')
          .as('s'),
      (join) => join.on('s.due_installments', '>', 0),
    )
    .innerJoin('customers as c', 'c.id', 'f.customer_id')
    .innerJoin('branches as b', 'b.id', 'f.branch_id')
    .innerJoin('loan_types as lt', 'lt.id', 'f.loan_type_id')
    .leftJoin('facility_figures as ff', 'ff.facility_id', 'f.id')
    .select([
      sql<number>`f.id::int`.as('id'),
      'f.facility_no',
      'c.customer_no',
      sql<string>`btrim(coalesce(c.first_name, '') || ' ' || c.last_name)`.as('customer_name'),
      'b.code as branch_code',
      'b.name as branch_name',
      'lt.title as loan_type_title',
      'f.principal',
      sql<string | null>`ff.collectible_amount::text`.as('collectible_amount'),
      's.unpaid_amount',
      's.due_amount',
      's.due_installments',
      's.next_due_on',
      sql<MaturingItem['status']>`f.status`.as('status'),
      'f.granted_on',
      'f.currency',
      's.last_due_on',
    ])
    .where('f.status', '=', 'active')
    .where(sql<SqlBool>`f.branch_id = any(${sql.val([...filter.branchIds])}::int[])`);
}

const MATURING_SORT = {
  facility_no: 'f.facility_no',
  customer_no: 'c.customer_no',
  customer_name: 'c.last_name',
  branch_code: 'b.code',
  loan_type_title: 'lt.title',
  principal: 'f.principal',
  collectible_amount: 'ff.collectible_amount',
  unpaid_amount: 's.unpaid_amount::bigint',
  due_amount: 's.due_amount::bigint',
  due_installments: 's.due_installments',
  next_due_on: 's.next_due_on',
  granted_on: 'f.granted_on',
  currency: 'f.currency',
  last_due_on: 's.last_due_on',
  id: 'f.id',
};

export function findMaturingPage(
  db: Executor,
  filter: MaturingFilter,
  list: Pick<ListQuery, 'page' | 'page_size' | 'sort' | 'order'>,
) {
  return fetchPage(maturingQuery(db, filter), list, MATURING_SORT, 'next_due_on', 'f.id');
}

export function findAllMaturing(db: Executor, filter: MaturingFilter) {
  return maturingQuery(db, filter).orderBy('s.next_due_on').orderBy('f.facility_no').execute();
}

/** The branches in the scope for the page's select: code or name containing the search. */
export function findBranchOptionsPage(db: Executor, scope: Scope, list: MaturingBranchQuery) {
  let query = db
    .selectFrom('branches as b')
    .select(['b.id', 'b.code', 'b.name'])
    .where(branchInScope(scope, sql.ref('b.id')));
  if (list.id) query = query.where('b.id', '=', list.id);
  if (list.q) {
    const pattern = likePattern(list.q);
    query = query.where((eb) => eb.or([eb('b.code', 'ilike', pattern), eb('b.name', 'ilike', pattern)]));
  }
  return fetchPage(query, list, { code: 'b.code', name: 'b.name', id: 'b.id' }, 'code', 'b.id');
}

/** The SQL of a list's first page (for EXPLAIN in the tests). */
export function compileMaturingPage(db: Executor, filter: MaturingFilter) {
  return maturingQuery(db, filter).orderBy('s.next_due_on').limit(20).compile();
}
