import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import { normalizeText } from '@vosul/common';
import type { OverdueFilter, OverdueQuery } from '@vosul/common/overdue';
import type { Executor } from '../../platform/db/database.js';
import type { Scope } from '../../platform/auth/context.js';
import { branchInScope } from '../../platform/scope.js';
import { figuresAsOf } from '../cases/cases.repository.js';

/** Past every string that starts with a prefix, in byte order. */
const PAST_PREFIX = '\u{10FFFF}';

/** `key` starts with `prefix`, as a range a B-tree index on `key` can serve. */
const startsWith = (key: RawBuilder<string>, prefix: string) =>
  sql<SqlBool>`(${key} >= ${prefix} and ${key} < ${prefix + PAST_PREFIX})`;

/**
 * The search box: the start of the facility number (its unique index, in the column's collation),
 * the customer number or the borrower's last name (the case search's key indexes of active
 * customers, migration 0014; a borrower with a followed-up facility is active); digits and ي/ك
 * normalised.
 */
function searchTerm(q: string | undefined): Expression<SqlBool> | null {
  const text = q ? normalizeText(q).trim() : '';
  if (!text) return null;
  const lower = text.toLowerCase();
  // The matches are found by id first, so a search reads its few facilities, not every one in arrears.
  return sql<SqlBool>`f.id in (
    select f3.id from facilities f3 where ${startsWith(sql`f3.facility_no`, text)}
    union all
    select f3.id from customers c2 join facilities f3 on f3.customer_id = c2.id
    where c2.status = 'active'
      and (${startsWith(sql`lower(c2.customer_no COLLATE "C")`, lower)}
           or ${startsWith(sql`lower(c2.last_name COLLATE "C")`, lower)}))`;
}

/**
 * The facilities in arrears in the scope that match the filter: overdue amount above zero as of the
 * last run, still followed up (active or written off). Only the figures and the facilities, so that
 * the total counts them without joining the borrowers.
 */
function inArrears(db: Executor, scope: Scope, filter: OverdueFilter) {
  let query = db
    .selectFrom('facility_figures as ff')
    .innerJoin('facilities as f', 'f.id', 'ff.facility_id')
    .where('ff.overdue_amount', '>', '0')
    .where('f.status', 'in', ['active', 'written_off'])
    .where(branchInScope(scope, sql.ref('f.branch_id')));
  if (filter.branch_id) {
    query = filter.sub_branches
      ? query.where(
          sql<SqlBool>`f.branch_id in (select b2.id from branches b2
            where b2.id = ${filter.branch_id} or b2.parent_id = ${filter.branch_id})`,
        )
      : query.where('f.branch_id', '=', filter.branch_id);
  }
  if (filter.loan_type_id) query = query.where('f.loan_type_id', '=', filter.loan_type_id);
  if (filter.cbi_class?.length) query = query.where('ff.cbi_class', 'in', filter.cbi_class);
  if (filter.days_from !== undefined)
    query = query.where(sql<SqlBool>`ff.overdue_days >= ${filter.days_from}::bigint`);
  if (filter.days_to !== undefined)
    query = query.where(sql<SqlBool>`ff.overdue_days <= ${filter.days_to}::bigint`);
  if (filter.amount_from !== undefined)
    query = query.where(sql<SqlBool>`ff.overdue_amount >= ${filter.amount_from}::numeric`);
  if (filter.amount_to !== undefined)
    query = query.where(sql<SqlBool>`ff.overdue_amount <= ${filter.amount_to}::numeric`);
  const term = searchTerm(filter.q);
  if (term) query = query.where(term);
  return query;
}

function overdueRows(db: Executor, scope: Scope, filter: OverdueFilter) {
  return inArrears(db, scope, filter)
    .innerJoin('customers as c', 'c.id', 'f.customer_id')
    .innerJoin('branches as b', 'b.id', 'f.branch_id')
    .innerJoin('loan_types as lt', 'lt.id', 'f.loan_type_id')
    .select([
      sql<number>`f.id::int`.as('id'),
      'f.facility_no',
      sql<number>`c.id::int`.as('customer_id'),
      'c.customer_no',
      sql<string>`btrim(coalesce(c.first_name, '') || ' ' || c.last_name)`.as('borrower_name'),
      'c.mobile',
      'f.branch_id',
      'b.code as branch_code',
      'b.name as branch_name',
      'f.loan_type_id',
      'lt.code as loan_type_code',
      'lt.title as loan_type_title',
      'f.status',
      'ff.overdue_days',
      'ff.overdue_installments',
      'ff.overdue_amount',
      'ff.penalty',
      'ff.collectible_amount',
      'ff.unpaid_amount',
      'ff.cbi_class',
      figuresAsOf.as('as_of'),
    ]);
}

export type OverdueRow = Awaited<ReturnType<ReturnType<typeof overdueRows>['executeTakeFirstOrThrow']>>;

/** The sort whitelist; a class sorts by severity (current → doubtful), not by its name. */
const SORTABLE: Record<NonNullable<OverdueQuery['sort']>, Expression<unknown>> = {
  facility_no: sql`f.facility_no`,
  customer_no: sql`c.customer_no`,
  borrower_name: sql`c.last_name`,
  mobile: sql`c.mobile`,
  branch_code: sql`b.code`,
  loan_type_title: sql`lt.title`,
  // the days grow from the oldest overdue due date, which the index of arrears keeps (migration 0021)
  overdue_days: sql`ff.oldest_due_on`,
  overdue_installments: sql`ff.overdue_installments`,
  overdue_amount: sql`ff.overdue_amount`,
  penalty: sql`ff.penalty`,
  collectible_amount: sql`ff.collectible_amount`,
  unpaid_amount: sql`ff.unpaid_amount`,
  cbi_class: sql`array_position(array['current', 'past_due', 'deferred', 'doubtful'], ff.cbi_class)`,
  as_of: figuresAsOf,
};

/** Most overdue first unless asked otherwise; then by facility id, so pages are stable (and the index's order). */
function sorted(db: Executor, scope: Scope, list: Omit<OverdueQuery, 'page' | 'page_size'>) {
  const sort = list.sort ?? 'overdue_days';
  // more overdue days is an earlier oldest due date
  const order = sort === 'overdue_days' ? (list.order === 'asc' ? 'desc' : 'asc') : list.order;
  return overdueRows(db, scope, list).orderBy(SORTABLE[sort], order).orderBy('ff.facility_id');
}

/**
 * A page and its total. The two are separate statements: a window count would make PostgreSQL read
 * and sort every facility in arrears for a page of twenty, while the page alone in the default order
 * stops after its rows (migration 0018) and the count reads only the figures and facilities.
 */
export async function findOverduePage(db: Executor, scope: Scope, list: OverdueQuery) {
  const { page, page_size, ...rest } = list;
  const [items, count] = await Promise.all([
    sorted(db, scope, rest)
      .limit(page_size)
      .offset((page - 1) * page_size)
      .execute(),
    inArrears(db, scope, rest)
      .select(sql<string>`count(*)`.as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

/**
 * Every matching row in the list's order, for the Excel export of a whole book: the ids in order
 * first (one sort), then the rows batch by batch by id, which stays linear where paging by offset
 * through ~300k rows would not.
 */
export async function* streamOverdue(
  db: Executor,
  scope: Scope,
  list: Omit<OverdueQuery, 'page' | 'page_size'>,
  batch = 2000,
) {
  const ids = (await sorted(db, scope, list).clearSelect().select('f.id').execute()).map((r) => r.id);
  for (let i = 0; i < ids.length; i += batch) {
    const chunk = ids.slice(i, i + batch);
    const rows = await overdueRows(db, scope, list)
      .where(sql<SqlBool>`f.id = any(${chunk}::bigint[])`)
      .execute();
    const byId = new Map(rows.map((r) => [String(r.id), r]));
    for (const id of chunk) {
      const row = byId.get(id);
      if (row) yield row; // gone since the ids were read (a run or an import in between)
    }
  }
}

/** The SQL of the default page (for EXPLAIN in the tests). */
export function compileOverduePage(db: Executor, list: OverdueQuery) {
  const { page, page_size, ...rest } = list;
  return sorted(db, { kind: 'hq' }, rest)
    .limit(page_size)
    .offset((page - 1) * page_size)
    .compile();
}
