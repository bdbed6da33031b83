import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import { likePattern, normalizeMobile, normalizeText, type ListQuery } from '@vosul/common';
import type { CaseListQuery, IncompleteQuery, IncompleteReason } from '@vosul/common/cases';
import type { Executor } from '../../platform/db/database.js';
import type { Scope } from '../../platform/auth/context.js';
import type { CustomersTable, FieldOverride } from '../../platform/db/schema.js';
import { branchInScope } from '../../platform/scope.js';
import { cappedPageQuery, fetchCappedPage, fetchPage, type CappedMatches } from '../../platform/listing.js';

/** Facilities still followed up: a case holding one of these is not deleted. */
export const FOLLOWED_STATUSES = ['active', 'written_off'] as const;

// ---- search ----------------------------------------------------------------------------------

/** The search keys of a case (migration 0012), each the expression of its B-tree prefix index. */
const SEARCH_KEYS = {
  customerNo: sql<string>`lower(c.customer_no COLLATE "C")`,
  lastName: sql<string>`lower(c.last_name COLLATE "C")`,
  fullName: sql<string>`lower(btrim(coalesce(c.first_name, '') || ' ' || c.last_name) COLLATE "C")`,
  mobile: sql<string>`(c.mobile COLLATE "C")`,
  mobileTail: sql<string>`(reverse(c.mobile) COLLATE "C")`,
};

/** Past every string that starts with a prefix, in byte order: the prefix and the last code point. */
const PAST_PREFIX = '\u{10FFFF}';

/** `key` starts with `prefix`, as a range of the key's index (a parameter, unlike LIKE's pattern, can bound an index scan in any plan). */
const startsWith = (key: RawBuilder<string>, prefix: string) =>
  sql<SqlBool>`(${key} >= ${prefix} and ${key} < ${prefix + PAST_PREFIX})`;

/**
 * The search of the case lists, as a clerk types it: the start of the customer number, the last
 * name or the full name ("first last"), the start of the mobile (typed as 09…, 9…, +989… or 989…)
 * or its last digits (the branch has its own filter). Digits and ي/ك are normalised, Latin letters
 * folded. Each term is a prefix range of a key's B-tree index, so a search reads only its matches,
 * and the planner, which has statistics of each key, knows how many there are. Null without a search.
 */
function caseSearchTerms(q: string | undefined): Expression<SqlBool>[] | null {
  const text = q ? normalizeText(q).toLowerCase() : '';
  if (!text) return null;
  const terms = [
    startsWith(SEARCH_KEYS.customerNo, text),
    startsWith(SEARCH_KEYS.lastName, text),
    startsWith(SEARCH_KEYS.fullName, text),
  ];
  const digits = text.replace(/[\s\u200c\-–.()+]/g, '');
  if (/^\d{3,}$/.test(digits)) {
    terms.push(startsWith(SEARCH_KEYS.mobile, normalizeMobile(text) ?? digits));
    terms.push(startsWith(SEARCH_KEYS.mobileTail, [...digits].reverse().join('')));
  }
  return terms;
}

const anyOf = (terms: Expression<SqlBool>[]) => sql<SqlBool>`(${sql.join(terms, sql` or `)})`;

// ---- cases (customers) -----------------------------------------------------------------------

const fullName = sql<string>`btrim(coalesce(c.first_name, '') || ' ' || c.last_name)`;
const facilityCount = sql<number>`(select count(*)::int from facilities f where f.customer_id = c.id)`;
const activeFacilityCount = sql<number>`(select count(*)::int from facilities f where f.customer_id = c.id and f.status in ('active', 'written_off'))`;

/** The columns every case list shows (active cases, incomplete data). */
const CASE_LIST_COLUMNS = [
  sql<number>`c.id::int`.as('id'),
  'c.customer_no',
  fullName.as('full_name'),
  'c.mobile',
  'c.national_id',
  'c.branch_id',
  'b.code as branch_code',
  'b.name as branch_name',
] as const;

function casesQuery(db: Executor, scope: Scope) {
  return customersWithBranch(db)
    .select([
      ...CASE_LIST_COLUMNS,
      facilityCount.as('facility_count'),
      activeFacilityCount.as('active_facility_count'),
    ])
    .where(branchInScope(scope, sql.ref('c.branch_id')));
}

type CaseFilter = Pick<CaseListQuery, 'q' | 'branch_id'>;

function filteredCases(db: Executor, scope: Scope, filter: CaseFilter) {
  let query = casesQuery(db, scope).where('c.status', '=', 'active');
  const terms = caseSearchTerms(filter.q);
  if (terms) query = query.where(anyOf(terms));
  if (filter.branch_id) query = query.where('c.branch_id', '=', filter.branch_id);
  return query;
}

/**
 * The cases a search matches (id and customer number), key by key, each key's matches read from its
 * covering index alone (migration 0014) and no further than `limit`: their union holds `limit` cases
 * exactly when the search matches that many.
 */
function caseMatches(
  db: Executor,
  scope: Scope,
  filter: CaseFilter,
  terms: Expression<SqlBool>[],
  limit: number,
): CappedMatches {
  const arms = terms.map((term) => {
    let arm = db
      .selectFrom('customers as c')
      .select(['c.id', 'c.customer_no as sort_key'])
      .where('c.status', '=', 'active')
      .where(branchInScope(scope, sql.ref('c.branch_id')))
      .where(term);
    if (filter.branch_id) arm = arm.where('c.branch_id', '=', filter.branch_id);
    return sql`(${arm.limit(limit)})`;
  });
  return { rows: sql`${sql.join(arms, sql` union `)}`, idColumn: 'c.id', sortedBy: 'customer_no' };
}

const CASE_SORT = {
  customer_no: 'c.customer_no',
  full_name: 'c.last_name',
  mobile: 'c.mobile',
  national_id: 'c.national_id',
  branch_code: 'b.code',
  branch_name: 'b.name',
  facility_count: 'facility_count',
  id: 'c.id',
};

/** Beyond this many matches a search's total is given as "more than" (V15 search on a national book). */
export const SEARCH_COUNT_CAP = 1000;

/**
 * A page of the active cases. A search's total is exact up to SEARCH_COUNT_CAP and "more than" beyond
 * (a common surname matches tens of thousands in a national book); such a search pages through the
 * first matches of each key, and the list asks the clerk to narrow it.
 */
export async function findCasesPage(db: Executor, scope: Scope, list: CaseListQuery) {
  const search = caseSearch(db, scope, list);
  if (!search) return fetchPage(filteredCases(db, scope, list), list, CASE_SORT, 'customer_no', 'c.id');
  return fetchCappedPage(db, ...search);
}

/** The arguments of a search's capped page; null without a search. */
function caseSearch(db: Executor, scope: Scope, list: CaseListQuery) {
  const terms = caseSearchTerms(list.q);
  if (!terms) return null;
  const unsearched = filteredCases(db, scope, { branch_id: list.branch_id });
  const matches = caseMatches(db, scope, list, terms, SEARCH_COUNT_CAP + 1);
  return [unsearched, matches, list, CASE_SORT, 'customer_no', SEARCH_COUNT_CAP, 'c.id'] as const;
}

export async function findAllCases(db: Executor, scope: Scope, filter: CaseFilter) {
  return filteredCases(db, scope, filter).orderBy('c.customer_no').execute();
}

/** The SQL of the list's search (for EXPLAIN in the tests). */
export function compileCaseSearch(db: Executor, q: string) {
  const list: CaseListQuery = { q, page: 1, page_size: 20, order: 'asc' };
  return cappedPageQuery(...caseSearch(db, { kind: 'hq' }, list)!).compile(db);
}

/** Cases with their branch, as `c` and `b`. */
export function customersWithBranch(db: Executor) {
  return db.selectFrom('customers as c').innerJoin('branches as b', 'b.id', 'c.branch_id');
}

/** A case's V15 fields after its number and branch, as stored (values in effect). */
export const CASE_FIELD_COLUMNS = [
  'c.first_name',
  'c.last_name',
  'c.father_name',
  'c.national_id',
  'c.birth_cert_no',
  'c.gender',
  'c.mobile',
  'c.email',
  'c.home_phone',
  'c.work_phone',
  'c.address',
  'c.postal_code',
] as const;

/** One case with every V15 field, its overrides and its facility counts; undefined outside the scope. */
export function findCase(db: Executor, scope: Scope, id: number) {
  return customersWithBranch(db)
    .select([
      sql<number>`c.id::int`.as('id'),
      'c.customer_no',
      'c.kind',
      'c.branch_id',
      'b.code as branch_code',
      'b.name as branch_name',
      ...CASE_FIELD_COLUMNS,
      'c.overrides',
      'c.incomplete_reasons',
      sql<boolean>`c.import_id is not null or c.overrides <> '{}'::jsonb`.as('from_core'),
      facilityCount.as('facility_count'),
      activeFacilityCount.as('active_facility_count'),
      'c.version',
    ])
    .where(branchInScope(scope, sql.ref('c.branch_id')))
    .where('c.id', '=', String(id))
    .executeTakeFirst();
}

export type CaseRow = NonNullable<Awaited<ReturnType<typeof findCase>>>;

export function findCustomerIdByNo(db: Executor, customerNo: string, exceptId?: number) {
  let q = db.selectFrom('customers').select('id').where('customer_no', '=', customerNo);
  if (exceptId !== undefined) q = q.where('id', '<>', String(exceptId));
  return q.executeTakeFirst();
}

export type CaseValues = Omit<
  CustomersTable,
  | 'id'
  | 'kind'
  | 'incomplete_reasons'
  | 'overrides'
  | 'status'
  | 'import_id'
  | 'version'
  | 'created_at'
  | 'updated_at'
>;

export async function insertCase(
  db: Executor,
  values: CaseValues & { incomplete_reasons: string[] },
): Promise<number> {
  const row = await db
    .insertInto('customers')
    .values(values)
    .returning(sql<number>`id::int`.as('id'))
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Applies the change only if nobody saved since `version`; undefined means stale (or gone). */
export function updateCase(
  db: Executor,
  id: number,
  version: number,
  values: Partial<CaseValues>,
  overrides: Record<string, FieldOverride> | undefined,
  incompleteReasons: string[] | undefined,
) {
  return db
    .updateTable('customers')
    .set({
      ...values,
      ...(overrides === undefined ? {} : { overrides: JSON.stringify(overrides) }),
      ...(incompleteReasons === undefined ? {} : { incomplete_reasons: incompleteReasons }),
      version: sql`version + 1`,
      updated_at: sql`now()`,
    })
    .where('id', '=', String(id))
    .where('version', '=', version)
    .returning('id')
    .executeTakeFirst();
}

/** What keeps each case from being deleted: facilities still followed up, and guarantees of others' loans. */
export function findCaseUsage(db: Executor, ids: readonly number[]) {
  return db
    .selectFrom('customers as c')
    .select([
      sql<number>`c.id::int`.as('id'),
      'c.customer_no',
      fullName.as('full_name'),
      activeFacilityCount.as('active_facilities'),
      sql<number>`(select count(*)::int from guarantors g where g.customer_id = c.id)`.as('guarantees'),
    ])
    .where('c.id', 'in', ids.map(String))
    .execute();
}

/** Deletes the cases with their closed or settled facilities (installments, guarantors, payments cascade). */
export async function deleteCases(db: Executor, ids: readonly number[]) {
  const keys = ids.map(String);
  await db.deleteFrom('facilities').where('customer_id', 'in', keys).execute();
  return db.deleteFrom('customers').where('id', 'in', keys).returningAll().execute();
}

// ---- facilities (V16) ------------------------------------------------------------------------

/**
 * The date a facility's figures hold as of: a run computes every facility that is not closed and
 * rewrites only the rows that changed, so those hold as of the latest run; a closed facility's as of
 * the run that last wrote them.
 */
export const figuresAsOf = sql<string | null>`case
  when ff.facility_id is null then null
  when f.status = 'closed' then ff.as_of
  else coalesce((select r.business_date from day_runs r where r.status = 'succeeded'
                 order by r.finished_at desc limit 1), ff.as_of) end`;

function facilitiesQuery(db: Executor) {
  return db
    .selectFrom('facilities as f')
    .innerJoin('customers as c', 'c.id', 'f.customer_id')
    .innerJoin('branches as b', 'b.id', 'f.branch_id')
    .innerJoin('loan_types as lt', 'lt.id', 'f.loan_type_id')
    .leftJoin('facility_figures as ff', 'ff.facility_id', 'f.id')
    .select([
      sql<number>`f.id::int`.as('id'),
      'f.facility_no',
      sql<number>`c.id::int`.as('customer_id'),
      'c.customer_no',
      fullName.as('customer_name'),
      'b.code as branch_code',
      'b.name as branch_name',
      'lt.code as loan_type_code',
      'lt.title as loan_type_title',
      'f.granted_on',
      'f.principal',
      'f.currency',
      'f.annual_rate',
      'f.installment_count',
      'f.status',
      sql<number>`(select count(*)::int from guarantors g where g.facility_id = f.id)`.as('guarantor_count'),
      'ff.overdue_days',
      'ff.overdue_installments',
      'ff.overdue_amount',
      'ff.unpaid_amount',
      'ff.penalty',
      'ff.collectible_amount',
      'ff.cbi_class',
      figuresAsOf.as('as_of'),
    ]);
}

const FACILITY_SORT = {
  facility_no: 'f.facility_no',
  granted_on: 'f.granted_on',
  loan_type_title: 'lt.title',
  principal: 'f.principal',
  status: 'f.status',
  overdue_days: 'ff.overdue_days',
  overdue_installments: 'ff.overdue_installments',
  overdue_amount: 'ff.overdue_amount',
  cbi_class: 'ff.cbi_class',
  id: 'f.id',
};

/** The facilities of one case (the case's visibility was checked by the caller). */
export function findCaseFacilitiesPage(db: Executor, caseId: number, list: ListQuery) {
  let query = facilitiesQuery(db).where('f.customer_id', '=', String(caseId));
  if (list.q) query = query.where('f.facility_no', 'ilike', likePattern(list.q));
  return fetchPage(query, list, FACILITY_SORT, 'granted_on', 'f.id');
}

/** A facility by its number, visible when its branch or its borrower's branch is in the scope. */
export function findFacility(db: Executor, scope: Scope, facilityNo: string) {
  return facilitiesQuery(db)
    .where('f.facility_no', '=', facilityNo)
    .where((eb) =>
      eb.or([branchInScope(scope, sql.ref('f.branch_id')), branchInScope(scope, sql.ref('c.branch_id'))]),
    )
    .executeTakeFirst();
}

/**
 * A facility's installments; with the date its figures hold as of, each one's days late and penalty
 * on that date (interchange.md: unpaid × rate / 100 × days / basis, here rounded down per installment,
 * so their sum may fall a Rial or two short of the facility's penalty, which is rounded once).
 */
export function findInstallments(db: Executor, facilityId: number, asOf: string | null) {
  const late = sql<number | null>`case when ${asOf}::date is null then null
    when i.due_on < ${asOf}::date and i.paid_amount < i.amount then ${asOf}::date - i.due_on else 0 end`;
  return db
    .selectFrom('installments as i')
    .innerJoin('facilities as f', 'f.id', 'i.facility_id')
    .innerJoin('loan_types as lt', 'lt.id', 'f.loan_type_id')
    .select([
      sql<number>`i.seq`.as('id'), // unique within the facility, which is all the table shows
      'i.seq',
      'i.due_on',
      'i.amount',
      'i.paid_amount',
      'i.paid_on',
      sql<string>`greatest(i.amount - i.paid_amount, 0)::text`.as('unpaid_amount'),
      late.as('days_late'),
      sql<string | null>`case when ${late} is null then null else div(
        greatest(i.amount - i.paid_amount, 0)::numeric * ${late}
          * round(coalesce(lt.penalty_rate, coalesce(f.annual_rate, 0) + 6) * 10000),
        1000000 * lt.day_basis)::text end`.as('penalty'),
    ])
    .where('i.facility_id', '=', String(facilityId))
    .orderBy('i.seq')
    .execute();
}

/** P7: a facility's class changes, newest first. */
export function findClassChanges(db: Executor, facilityId: number) {
  return db
    .selectFrom('facility_class_changes')
    .select(['business_date', 'from_class', 'to_class', 'overdue_days'])
    .where('facility_id', '=', String(facilityId))
    .orderBy('business_date', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** V17: the guarantors of a facility; a guarantor who is a customer shows that customer's values in effect. */
export function findGuarantors(db: Executor, facilityId: number) {
  return db
    .selectFrom('guarantors as g')
    .leftJoin('customers as gc', 'gc.id', 'g.customer_id')
    .select([
      sql<number>`g.id::int`.as('id'),
      sql<number | null>`gc.id::int`.as('customer_id'),
      'gc.customer_no',
      sql<string | null>`coalesce(g.first_name, gc.first_name)`.as('first_name'),
      sql<string | null>`coalesce(g.last_name, gc.last_name)`.as('last_name'),
      sql<string>`btrim(coalesce(g.first_name, gc.first_name, '') || ' ' || coalesce(g.last_name, gc.last_name, ''))`.as(
        'full_name',
      ),
      sql<string | null>`coalesce(g.national_id, gc.national_id)`.as('national_id'),
      sql<string | null>`coalesce(g.mobile, gc.mobile)`.as('mobile'),
      sql<string | null>`coalesce(g.address, gc.address)`.as('address'),
    ])
    .where('g.facility_id', '=', String(facilityId))
    .orderBy('g.seq')
    .execute();
}

// ---- incomplete data (V29) -------------------------------------------------------------------

/**
 * Each reason as a condition on the values in effect (so a staff correction clears it at once):
 * no valid mobile; a person's national code (or a company's national ID) missing or failing its
 * check; a guarantor of a followed-up facility without a mobile (neither its own nor, for a guarantor
 * who is a customer, that customer's).
 */
const REASON_SQL: Record<IncompleteReason, Expression<SqlBool>> = {
  no_mobile: sql<SqlBool>`(c.mobile is null or c.mobile !~ '^09[0-9]{9}$')`,
  bad_national_code: sql<SqlBool>`(case when c.kind = 'company' then vosul_company_id(c.national_id) else vosul_national_code(c.national_id) end) is null`,
  guarantor_no_phone: sql<SqlBool>`exists (
    select 1 from facilities f join guarantors g on g.facility_id = f.id
    left join customers gc on gc.id = g.customer_id
    where f.customer_id = c.id and f.status in ('active', 'written_off')
      and coalesce(g.mobile, gc.mobile) is null)`,
};

const reasonsArray = sql<IncompleteReason[]>`array_remove(array[
  case when ${REASON_SQL.no_mobile} then 'no_mobile' end,
  case when ${REASON_SQL.bad_national_code} then 'bad_national_code' end,
  case when ${REASON_SQL.guarantor_no_phone} then 'guarantor_no_phone' end
]::text[], null)`;

const guarantorsWithoutPhone = sql<{ facility_no: string; name: string }[]>`coalesce((
  select json_agg(json_build_object('facility_no', f.facility_no, 'name',
    btrim(coalesce(g.first_name, gc.first_name, '') || ' ' || coalesce(g.last_name, gc.last_name, '')))
    order by f.facility_no, g.seq)
  from facilities f join guarantors g on g.facility_id = f.id
  left join customers gc on gc.id = g.customer_id
  where f.customer_id = c.id and f.status in ('active', 'written_off')
    and coalesce(g.mobile, gc.mobile) is null), '[]'::json)`;

type IncompleteFilter = Pick<IncompleteQuery, 'q' | 'reason' | 'branch_id'>;

async function filteredIncomplete(db: Executor, scope: Scope, filter: IncompleteFilter) {
  let query = customersWithBranch(db)
    .select([
      ...CASE_LIST_COLUMNS,
      reasonsArray.as('reasons'),
      guarantorsWithoutPhone.as('guarantors_without_phone'),
    ])
    .where('c.status', '=', 'active')
    .where(branchInScope(scope, sql.ref('c.branch_id')))
    .where(
      filter.reason
        ? REASON_SQL[filter.reason]
        : sql<SqlBool>`(${REASON_SQL.no_mobile} or ${REASON_SQL.bad_national_code} or ${REASON_SQL.guarantor_no_phone})`,
    );
  const terms = caseSearchTerms(filter.q);
  if (terms) query = query.where(anyOf(terms));
  if (filter.branch_id) query = query.where('c.branch_id', '=', filter.branch_id);
  return query;
}

const INCOMPLETE_SORT = {
  customer_no: 'c.customer_no',
  full_name: 'c.last_name',
  mobile: 'c.mobile',
  national_id: 'c.national_id',
  branch_code: 'b.code',
  id: 'c.id',
};

export async function findIncompletePage(db: Executor, scope: Scope, list: IncompleteQuery) {
  return fetchPage(await filteredIncomplete(db, scope, list), list, INCOMPLETE_SORT, 'customer_no', 'c.id');
}

export async function findAllIncomplete(db: Executor, scope: Scope, filter: IncompleteFilter) {
  return (await filteredIncomplete(db, scope, filter)).orderBy('c.customer_no').execute();
}

// ---- places ----------------------------------------------------------------------------------

export function findBranchInScope(db: Executor, scope: Scope, id: number) {
  return db
    .selectFrom('branches as b')
    .select(['b.id', 'b.code', 'b.name'])
    .where(branchInScope(scope, sql.ref('b.id')))
    .where('b.id', '=', id)
    .executeTakeFirst();
}
