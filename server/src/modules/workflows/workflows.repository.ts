import { sql, type Expression, type SqlBool } from 'kysely';
import { likePattern, type ListQuery } from '@vosul/common';
import {
  CHANNEL_KEYS,
  CHANNELS,
  RECIPIENTS,
  type Channel,
  type RecipientRole,
  type MessageKind,
} from '@vosul/common/workflows';
import type { Executor } from '../../platform/db/database.js';
import type { Scope } from '../../platform/auth/context.js';
import { fetchPage, sortColumn } from '../../platform/listing.js';
import { branchInScope } from '../../platform/scope.js';

/** Advisory lock key: overlap checks of concurrent saves run one at a time. */
const WORKFLOW_SAVE_LOCK = 7_446_020;

// ---- reading -------------------------------------------------------------------------------------

/** A workflow with its loan types, branches (empty: all) and templates, as JSON arrays. */
function workflowsQuery(db: Executor) {
  return db.selectFrom('workflows as w').select([
    'w.id',
    'w.title',
    'w.from_day',
    'w.to_day',
    'w.min_overdue_amount',
    'w.channels',
    'w.recipients',
    'w.per_day',
    sql<string>`to_char(w.start_time, 'HH24:MI')`.as('start_time'),
    'w.interval_minutes',
    'w.repeat_every_days',
    'w.message_kind',
    'w.active',
    'w.version',
    sql<{ code: string; title: string }[]>`coalesce((
        select json_agg(json_build_object('code', lt.code, 'title', lt.title) order by lt.code)
        from workflow_loan_types wl join loan_types lt on lt.id = wl.loan_type_id
        where wl.workflow_id = w.id), '[]'::json)`.as('loan_types'),
    sql<{ code: string; name: string }[]>`coalesce((
        select json_agg(json_build_object('code', b.code, 'name', b.name) order by b.code)
        from workflow_branches wb join branches b on b.id = wb.branch_id
        where wb.workflow_id = w.id), '[]'::json)`.as('branches'),
    sql<
      { channel: Channel; recipient_role: RecipientRole; text: string; audio_file_id?: number }[]
    >`coalesce((
        select json_agg(json_strip_nulls(json_build_object('channel', t.channel, 'recipient_role', t.recipient_role,
                          'text', t.text, 'audio_file_id', t.audio_file_id))
                        order by array_position(${sql.val([...CHANNEL_KEYS])}::text[], t.channel), t.recipient_role)
        from workflow_templates t where t.workflow_id = w.id), '[]'::json)`.as('templates'),
  ]);
}
export type WorkflowRow = Awaited<ReturnType<ReturnType<typeof workflowsQuery>['executeTakeFirstOrThrow']>>;

/**
 * HQ sees every workflow; a province or branch user those whose branches all lie in their scope (an
 * all-branches workflow reaches other branches' customers, so it is HQ's).
 */
function visibleTo(scope: Scope): Expression<SqlBool> {
  if (scope.kind === 'hq') return sql<SqlBool>`true`;
  return sql<SqlBool>`(exists (select 1 from workflow_branches wb where wb.workflow_id = w.id)
    and not exists (select 1 from workflow_branches wb where wb.workflow_id = w.id
                    and not ${branchInScope(scope, sql.ref('wb.branch_id'))}))`;
}

/** A code → Persian label table for the search over enum columns. */
const labels = (entries: Record<string, string>) =>
  sql`(values ${sql.join(Object.entries(entries).map(([code, label]) => sql`(${code}::text, ${label}::text)`))})`;

/**
 * The search box over every column: title, loan type codes and titles, branch codes and names (or
 * «همه شعب»), days, minimum amount, channels and recipients (code or Persian label), status, the
 * templates' text; digits and ي/ك normalised. The table holds dozens of rows, so no index is needed.
 */
function searchTerm(q: string | undefined): Expression<SqlBool> | null {
  const pattern = q ? likePattern(q) : '';
  if (!pattern || pattern === '%%') return null;
  return sql<SqlBool>`(
    w.title ilike ${pattern}
    or exists (select 1 from workflow_loan_types wl join loan_types lt on lt.id = wl.loan_type_id
               where wl.workflow_id = w.id and (lt.code ilike ${pattern} or lt.title ilike ${pattern}))
    or exists (select 1 from workflow_branches wb join branches b on b.id = wb.branch_id
               where wb.workflow_id = w.id and (b.code ilike ${pattern} or b.name ilike ${pattern}))
    or (not exists (select 1 from workflow_branches wb where wb.workflow_id = w.id)
        and 'همه شعب' ilike ${pattern})
    or w.from_day::text ilike ${pattern} or w.to_day::text ilike ${pattern}
    or w.min_overdue_amount::text ilike ${pattern} or to_char(w.start_time, 'HH24:MI') ilike ${pattern}
    or exists (select 1 from unnest(w.channels) as c(code) join ${labels(CHANNELS)} as l(code, label) using (code)
               where l.code ilike ${pattern} or l.label ilike ${pattern})
    or exists (select 1 from unnest(w.recipients) as r(code) join ${labels(RECIPIENTS)} as l(code, label) using (code)
               where l.code ilike ${pattern} or l.label ilike ${pattern})
    or (case when w.active then 'فعال' else 'غیرفعال' end) ilike ${pattern}
    or exists (select 1 from workflow_templates t where t.workflow_id = w.id and t.text ilike ${pattern}))`;
}

const SORT = {
  title: 'w.title',
  from_day: 'w.from_day',
  to_day: 'w.to_day',
  min_overdue_amount: 'w.min_overdue_amount',
  per_day: 'w.per_day',
  start_time: 'w.start_time',
  active: 'w.active',
  id: 'w.id',
};

export function findWorkflowPage(db: Executor, scope: Scope, list: ListQuery) {
  let query = workflowsQuery(db).where(visibleTo(scope));
  const term = searchTerm(list.q);
  if (term) query = query.where(term);
  return fetchPage(query, list, SORT, 'title', 'w.id');
}

/** Every match of the search in the list's order (the Excel export). */
export function findAllWorkflows(db: Executor, scope: Scope, list: Pick<ListQuery, 'q' | 'sort' | 'order'>) {
  let query = workflowsQuery(db).where(visibleTo(scope));
  const term = searchTerm(list.q);
  if (term) query = query.where(term);
  const column = sortColumn(SORT, list.sort) ?? SORT.title;
  return query.orderBy(sql.raw(column), list.order).orderBy('w.id').execute();
}

export function findWorkflow(db: Executor, scope: Scope, id: number) {
  return workflowsQuery(db).where('w.id', '=', id).where(visibleTo(scope)).executeTakeFirst();
}

/** The loan types of these codes (bank-wide). */
export function findLoanTypesByCode(db: Executor, codes: readonly string[]) {
  if (codes.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('loan_types')
    .select(['id', 'code'])
    .where('code', 'in', [...codes])
    .execute();
}

/** The branches of these codes inside the scope (one outside it is as unknown). */
export function findBranchesByCode(db: Executor, scope: Scope, codes: readonly string[]) {
  if (codes.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('branches as b')
    .select(['b.id', 'b.code'])
    .where('b.code', 'in', [...codes])
    .where(branchInScope(scope, sql.ref('b.id')))
    .execute();
}

/** The pickers of the form: every loan type, the branches of the scope. */
export async function findOptions(db: Executor, scope: Scope) {
  const [loanTypes, branches] = await Promise.all([
    db.selectFrom('loan_types').select(['code', 'title']).orderBy('code').execute(),
    db
      .selectFrom('branches as b')
      .select(['b.code', 'b.name'])
      .where(branchInScope(scope, sql.ref('b.id')))
      .orderBy('b.code')
      .execute(),
  ]);
  return { loan_types: loanTypes, branches };
}

// ---- writing -------------------------------------------------------------------------------------

export interface WorkflowValues {
  title: string;
  from_day: number;
  to_day: number | null;
  min_overdue_amount: string;
  channels: Channel[];
  recipients: ('borrower' | 'guarantors')[];
  per_day: number;
  start_time: string;
  interval_minutes: number;
  repeat_every_days: number;
  message_kind: MessageKind;
  active: boolean;
}

export function insertWorkflow(db: Executor, values: WorkflowValues, userId: number) {
  return db
    .insertInto('workflows')
    .values({ ...values, created_by: userId, updated_by: userId })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** Applies the change only if nobody saved since `version`; undefined means stale. */
export function updateWorkflow(
  db: Executor,
  id: number,
  version: number,
  values: Partial<WorkflowValues>,
  userId: number,
) {
  return db
    .updateTable('workflows')
    .set({ ...values, updated_by: userId, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning('id')
    .executeTakeFirst();
}

export async function setLoanTypes(db: Executor, workflowId: number, loanTypeIds: readonly number[]) {
  await db.deleteFrom('workflow_loan_types').where('workflow_id', '=', workflowId).execute();
  if (loanTypeIds.length > 0)
    await db
      .insertInto('workflow_loan_types')
      .values(loanTypeIds.map((id) => ({ workflow_id: workflowId, loan_type_id: id })))
      .execute();
}

export async function setBranches(db: Executor, workflowId: number, branchIds: readonly number[]) {
  await db.deleteFrom('workflow_branches').where('workflow_id', '=', workflowId).execute();
  if (branchIds.length > 0)
    await db
      .insertInto('workflow_branches')
      .values(branchIds.map((id) => ({ workflow_id: workflowId, branch_id: id })))
      .execute();
}

export async function setTemplates(
  db: Executor,
  workflowId: number,
  templates: readonly {
    channel: Channel;
    recipient_role: RecipientRole;
    text: string;
    audio_file_id: number | null;
  }[],
) {
  await db.deleteFrom('workflow_templates').where('workflow_id', '=', workflowId).execute();
  if (templates.length > 0)
    await db
      .insertInto('workflow_templates')
      .values(templates.map((t) => ({ workflow_id: workflowId, ...t })))
      .execute();
}

export async function deleteWorkflows(db: Executor, ids: readonly number[]) {
  return db
    .deleteFrom('workflows')
    .where('id', 'in', [...ids])
    .returning('id')
    .execute();
}

/** Serialises the overlap check and the write of every save that leaves a workflow active. */
export async function lockWorkflowSaves(db: Executor): Promise<void> {
  await db
    .selectNoFrom((eb) => eb.fn('pg_advisory_xact_lock', [eb.val(WORKFLOW_SAVE_LOCK)]).as('locked'))
    .execute();
}

/**
 * The first other active workflow that overlaps: a shared loan type, a shared branch (no branches =
 * all branches, which shares every one) and a shared day of the ranges (NULL `to_day` = no end).
 */
export function findOverlap(
  db: Executor,
  candidate: {
    id: number | null;
    fromDay: number;
    toDay: number | null;
    loanTypeIds: readonly number[];
    branchIds: readonly number[];
  },
) {
  const loanTypeIds = sql.val([...candidate.loanTypeIds]);
  const branchIds = sql.val([...candidate.branchIds]);
  const noEnd = 2_147_483_647;
  return db
    .selectFrom('workflows as w')
    .select([
      'w.id',
      'w.title',
      'w.from_day',
      'w.to_day',
      sql<
        string[]
      >`array(select lt.code from workflow_loan_types wl join loan_types lt on lt.id = wl.loan_type_id
        where wl.workflow_id = w.id and wl.loan_type_id = any(${loanTypeIds}::int[]) order by lt.code)`.as(
        'shared_loan_types',
      ),
    ])
    .where('w.active', '=', true)
    .where('w.id', '<>', candidate.id ?? 0)
    .where(
      sql<SqlBool>`exists (select 1 from workflow_loan_types wl
        where wl.workflow_id = w.id and wl.loan_type_id = any(${loanTypeIds}::int[]))`,
    )
    .where(
      candidate.branchIds.length === 0
        ? sql<SqlBool>`true`
        : sql<SqlBool>`(not exists (select 1 from workflow_branches wb where wb.workflow_id = w.id)
            or exists (select 1 from workflow_branches wb
                       where wb.workflow_id = w.id and wb.branch_id = any(${branchIds}::int[])))`,
    )
    .where(sql<SqlBool>`w.from_day <= ${candidate.toDay ?? noEnd}::int`)
    .where(sql<SqlBool>`coalesce(w.to_day, ${noEnd}::int) >= ${candidate.fromDay}::int`)
    .orderBy('w.id')
    .limit(1)
    .executeTakeFirst();
}

// ---- preview -------------------------------------------------------------------------------------

/**
 * One facility of the scope with what a template may name: the given one, else the longest in arrears
 * (the figures' index on the oldest overdue due date), with a guarantor when `withGuarantor`; else any.
 * The installment named is the oldest overdue one, or the next to fall due.
 */
export async function findPreviewFacility(
  db: Executor,
  scope: Scope,
  facilityNo: string | null,
  withGuarantor: boolean,
) {
  const base = () =>
    db
      .selectFrom('facilities as f')
      .innerJoin('customers as c', 'c.id', 'f.customer_id')
      .innerJoin('branches as b', 'b.id', 'f.branch_id')
      .innerJoin('loan_types as lt', 'lt.id', 'f.loan_type_id')
      .leftJoin('facility_figures as ff', 'ff.facility_id', 'f.id')
      .select([
        'f.facility_no',
        'f.principal',
        'c.customer_no',
        'c.first_name',
        'c.last_name',
        'c.gender',
        'c.national_id',
        'lt.title as loan_type',
        'b.name as branch_name',
        'ff.overdue_days',
        'ff.overdue_installments',
        'ff.overdue_amount',
        'ff.penalty',
        'ff.collectible_amount',
        'ff.unpaid_amount',
        sql<string | null>`coalesce(ff.oldest_due_on, ff.next_due_on)`.as('due_date'),
        sql<string | null>`(select sum(i.amount - i.paid_amount)::text from installments i
          where i.facility_id = f.id and i.due_on = coalesce(ff.oldest_due_on, ff.next_due_on))`.as(
          'installment_amount',
        ),
        sql<string | null>`g.first_name`.as('guarantor_first_name'),
        sql<string | null>`g.last_name`.as('guarantor_last_name'),
        sql<'M' | 'F' | null>`(select gc.gender from customers gc where gc.id = g.customer_id)`.as(
          'guarantor_gender',
        ),
      ])
      .leftJoinLateral(
        (eb) =>
          eb
            .selectFrom('guarantors as g2')
            .select(['g2.first_name', 'g2.last_name', 'g2.customer_id'])
            .whereRef('g2.facility_id', '=', 'f.id')
            .orderBy('g2.seq')
            .limit(1)
            .as('g'),
        (join) => join.onTrue(),
      )
      .where(branchInScope(scope, sql.ref('f.branch_id')));

  if (facilityNo !== null) return base().where('f.facility_no', '=', facilityNo).executeTakeFirst();
  const guarantorWanted = withGuarantor
    ? sql<SqlBool>`exists (select 1 from guarantors g3 where g3.facility_id = f.id)`
    : sql<SqlBool>`true`;
  const inArrears = await base()
    .where('ff.overdue_amount', '>', '0')
    .where('f.status', 'in', ['active', 'written_off'])
    .where(guarantorWanted)
    .orderBy('ff.oldest_due_on')
    .orderBy('ff.facility_id')
    .limit(1)
    .executeTakeFirst();
  return inArrears ?? base().where(guarantorWanted).limit(1).executeTakeFirst();
}
