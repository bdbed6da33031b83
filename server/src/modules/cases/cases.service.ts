import { toPersianDigits, type ListQuery } from '@vosul/common';
import {
  OVERRIDABLE_FIELDS,
  type Case,
  type CaseInput,
  type CaseListQuery,
  type CaseUpdateInput,
  type Facility,
  type IncompleteQuery,
  type OverridableField,
} from '@vosul/common/cases';
import type { ChangeRequestSubmitted } from '@vosul/common/change-requests';
import type { Database, Executor } from '../../platform/db/database.js';
import type { FieldOverride } from '../../platform/db/schema.js';
import type { RequestContext } from '../../platform/auth/context.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, invalidField, notFound, staleEdit } from '../../platform/errors.js';
import { recordedExport } from '../../platform/export-log.js';
import * as requests from '../change-requests/change-requests.repository.js';
import * as repo from './cases.repository.js';

const HQ = { kind: 'hq' } as const;

/** The record of the API: values in effect, which of them are staff overrides, and the core's own. */
function toCase(row: repo.CaseRow): Case {
  const { overrides, from_core, incomplete_reasons: _stored, ...rest } = row;
  const stored = overrides ?? {};
  const overridden = OVERRIDABLE_FIELDS.filter((f) => f in stored);
  const core = from_core
    ? (Object.fromEntries(
        OVERRIDABLE_FIELDS.map((f) => [f, f in stored ? stored[f]!.core_value : row[f]]),
      ) as Case['core'])
    : null;
  return { ...rest, overridden, core };
}

// ---- reads -----------------------------------------------------------------------------------

export const listCases = (db: Database, ctx: RequestContext, list: CaseListQuery) =>
  repo.findCasesPage(db, ctx.user.scope, list);

/** The filtered list for Excel; the export itself is recorded (B7: personal data). */
export async function exportCases(
  db: Database,
  ctx: RequestContext,
  filter: Omit<CaseListQuery, 'page' | 'page_size'>,
) {
  const rows = await repo.findAllCases(db, ctx.user.scope, filter);
  return recordedExport(
    db,
    ctx,
    { name: 'cases', filter: { q: filter.q, branch_id: filter.branch_id } },
    rows,
  );
}

export async function getCase(db: Executor, ctx: RequestContext, id: number): Promise<Case> {
  const row = await repo.findCase(db, ctx.user.scope, id);
  if (!row) throw notFound('پرونده');
  return toCase(row);
}

// ---- writes ----------------------------------------------------------------------------------

async function assertCustomerNoFree(trx: Executor, customerNo: string, exceptId?: number) {
  if (await repo.findCustomerIdByNo(trx, customerNo, exceptId)) {
    throw new AppError('conflict', `شماره مشتری ${customerNo} قبلاً ثبت شده است`, 'customer_no');
  }
}

async function assertBranchInScope(trx: Executor, ctx: RequestContext, branchId: number) {
  if (!(await repo.findBranchInScope(trx, ctx.user.scope, branchId))) {
    throw invalidField('branch_id', 'شعبه انتخاب‌شده یافت نشد یا خارج از حوزه دسترسی شماست');
  }
}

/** A person has a 10-digit national code, a company an 11-digit national ID. */
function assertNationalIdFits(kind: 'person' | 'company', nationalId: string | null) {
  if (nationalId === null) return;
  if (kind === 'person' && nationalId.length !== 10)
    throw invalidField('national_id', 'کد ملی شخص حقیقی ۱۰ رقم است');
  if (kind === 'company' && nationalId.length !== 11)
    throw invalidField('national_id', 'شناسه ملی شخص حقوقی ۱۱ رقم است');
}

/** The answer of a case create or edit: the case, or (V19) the change request made instead. */
export type CaseWrite = { case: Case } | { submitted: ChangeRequestSubmitted };

/** Who made a change, as the change requests record them. */
const actorName = (ctx: RequestContext) =>
  `${ctx.user.firstName} ${ctx.user.lastName} (${ctx.user.username})`;

/** Why an audit entry was written: a change request, naming its requester and reviewer. */
export interface AppliedRequest {
  id: number;
  requested_by: string;
  reviewed_by: string;
}

/** The rules of a new case (V15), for the direct create, a request and its acceptance alike. */
export async function checkNewCase(trx: Executor, ctx: RequestContext, input: CaseInput): Promise<void> {
  await assertCustomerNoFree(trx, input.customer_no);
  await assertBranchInScope(trx, ctx, input.branch_id);
  assertNationalIdFits('person', input.national_id);
}

/** Writes a checked new case and audits it (as the request it comes from, if any). */
export async function insertNewCase(
  trx: Executor,
  ctx: RequestContext,
  input: CaseInput,
  request?: AppliedRequest,
): Promise<Case> {
  const id = await repo.insertCase(trx, {
    ...input,
    incomplete_reasons: [
      ...(input.mobile === null ? ['mobile_missing'] : []),
      ...(input.national_id === null ? ['national_id_missing'] : []),
    ],
  });
  const after = await getCase(trx, { ...ctx, user: { ...ctx.user, scope: HQ } }, id);
  await recordAudit(trx, ctx, {
    entity: 'case',
    entityId: id,
    action: 'create',
    after: request ? { ...after, change_request: request } : after,
  });
  return after;
}

/**
 * V15: a case created by staff (a customer the core banking system has not sent). For a user whose
 * group needs approval (V19) the same checks run and a change request is stored instead.
 */
export async function createCase(db: Database, ctx: RequestContext, input: CaseInput): Promise<CaseWrite> {
  return db.transaction().execute(async (trx) => {
    await checkNewCase(trx, ctx, input);
    if (await requests.userNeedsApproval(trx, ctx.user.id)) {
      return { submitted: await submitCreateRequest(trx, ctx, input) };
    }
    return { case: await insertNewCase(trx, ctx, input) };
  });
}

/** What an edit would change, checked: the new values, the overrides and incomplete reasons to store. */
export interface CaseUpdatePlan {
  row: repo.CaseRow;
  before: Case;
  values: Partial<repo.CaseValues>;
  overrides: Record<string, FieldOverride> | undefined;
  reasons: string[] | undefined;
}

/**
 * The rules of a V15 edit. On a case from the core banking system a changed field is kept as a local
 * override (value and the core's value) that wins until the core's value changes; setting it back to
 * the core's value drops the override. Its customer number and branch are the core's and do not change.
 */
export async function planCaseUpdate(
  trx: Executor,
  ctx: RequestContext,
  beforeRow: repo.CaseRow,
  input: Omit<CaseUpdateInput, 'version'>,
): Promise<CaseUpdatePlan> {
  const id = beforeRow.id;
  const before = toCase(beforeRow);
  const { customer_no, branch_id, ...fields } = input;
  const values: Partial<repo.CaseValues> = {};

  if (customer_no !== undefined && customer_no !== before.customer_no) {
    if (beforeRow.from_core)
      throw invalidField('customer_no', 'شماره مشتری پرونده‌ای که از سامانه مرکزی آمده است تغییر نمی‌کند');
    await assertCustomerNoFree(trx, customer_no, id);
    values.customer_no = customer_no;
  }
  if (branch_id !== undefined && branch_id !== before.branch_id) {
    if (beforeRow.from_core)
      throw invalidField('branch_id', 'شعبه پرونده‌ای که از سامانه مرکزی آمده است در آن سامانه تغییر می‌کند');
    await assertBranchInScope(trx, ctx, branch_id);
    values.branch_id = branch_id;
  }
  if (fields.national_id !== undefined) assertNationalIdFits(beforeRow.kind, fields.national_id);

  const overrides = { ...(beforeRow.overrides ?? {}) };
  let overridesChanged = false;
  for (const field of OVERRIDABLE_FIELDS) {
    const next = fields[field];
    if (next === undefined) continue;
    const current = before[field];
    if (next === current) continue;
    (values as Record<OverridableField, unknown>)[field] = next;
    if (!beforeRow.from_core) continue;
    const existing = overrides[field];
    if (existing) {
      if (next === existing.core_value) delete overrides[field];
      else overrides[field] = { value: next, core_value: existing.core_value };
    } else {
      overrides[field] = { value: next, core_value: current };
    }
    overridesChanged = true;
  }
  return {
    row: beforeRow,
    before,
    values,
    overrides: overridesChanged ? overrides : undefined,
    reasons: storedReasons(beforeRow.incomplete_reasons, values),
  };
}

/** Writes a planned edit if nobody saved since `version` (else 409) and audits it. */
export async function applyCaseUpdate(
  trx: Executor,
  ctx: RequestContext,
  plan: CaseUpdatePlan,
  version: number,
  request?: AppliedRequest,
): Promise<Case> {
  const id = plan.row.id;
  const updated = await repo.updateCase(trx, id, version, plan.values, plan.overrides, plan.reasons);
  if (!updated) throw staleEdit();
  const after = await getCase(trx, { ...ctx, user: { ...ctx.user, scope: HQ } }, id);
  await recordAudit(trx, ctx, {
    entity: 'case',
    entityId: id,
    action: 'update',
    before: plan.before,
    after: request ? { ...after, change_request: request } : after,
  });
  return after;
}

/** V15 edit (see planCaseUpdate); for a user whose group needs approval (V19) a change request instead. */
export async function updateCase(
  db: Database,
  ctx: RequestContext,
  id: number,
  input: CaseUpdateInput,
): Promise<CaseWrite> {
  return db.transaction().execute(async (trx) => {
    const beforeRow = await repo.findCase(trx, ctx.user.scope, id);
    if (!beforeRow) throw notFound('پرونده');
    const { version, ...fields } = input;
    const plan = await planCaseUpdate(trx, ctx, beforeRow, fields);
    if (await requests.userNeedsApproval(trx, ctx.user.id)) {
      if (beforeRow.version !== version) throw staleEdit();
      return { submitted: await submitUpdateRequest(trx, ctx, plan) };
    }
    return { case: await applyCaseUpdate(trx, ctx, plan, version) };
  });
}

// ---- V19: the maker's side of a change request --------------------------------------------------

const fullNameOf = (first: string | null | undefined, last: string) => `${first ?? ''} ${last}`.trim();

/** Stores a pending change request of the caller and audits it with `details`; its id. */
async function insertRequestAudited(
  trx: Executor,
  ctx: RequestContext,
  request: Omit<requests.NewRequest, 'requested_by' | 'requested_by_name'>,
  details: Record<string, unknown>,
): Promise<number> {
  const id = await requests.insertRequest(trx, {
    ...request,
    requested_by: ctx.user.id,
    requested_by_name: actorName(ctx),
  });
  await recordAudit(trx, ctx, {
    entity: 'change_request',
    entityId: id,
    action: 'create',
    after: { id, kind: request.kind, status: 'pending', ...details },
  });
  return id;
}

async function submitCreateRequest(
  trx: Executor,
  ctx: RequestContext,
  input: CaseInput,
): Promise<ChangeRequestSubmitted> {
  const pending = await requests.findPendingRequest(trx, { customerNo: input.customer_no });
  if (pending) throw pendingConflict(pending);
  const id = await insertRequestAudited(
    trx,
    ctx,
    {
      kind: 'create',
      customer_id: null,
      customer_no: input.customer_no,
      full_name: fullNameOf(input.first_name, input.last_name),
      mobile: input.mobile,
      branch_id: input.branch_id,
      proposed: input,
      original: {},
      base_version: null,
    },
    { customer_no: input.customer_no, proposed: input },
  );
  return {
    change_request: { id, kind: 'create' },
    message: `درخواست ثبت پرونده به شماره ${toPersianDigits(id)} برای تأیید ارسال شد؛ پرونده پس از تأیید ثبت می‌شود`,
  };
}

async function submitUpdateRequest(
  trx: Executor,
  ctx: RequestContext,
  plan: CaseUpdatePlan,
): Promise<ChangeRequestSubmitted> {
  const { before, values } = plan;
  const changed = Object.keys(values) as (keyof repo.CaseValues)[];
  if (changed.length === 0) {
    throw new AppError('validation_failed', 'هیچ فیلدی تغییر نکرده است؛ درخواستی ثبت نشد');
  }
  const pending = await requests.findPendingRequest(trx, { customerId: before.id });
  if (pending) throw pendingConflict(pending);
  const original = Object.fromEntries(changed.map((f) => [f, before[f]]));
  const id = await insertRequestAudited(
    trx,
    ctx,
    {
      kind: 'update',
      customer_id: before.id,
      customer_no: before.customer_no,
      full_name: fullNameOf(
        values.first_name === undefined ? before.first_name : values.first_name,
        values.last_name ?? before.last_name,
      ),
      mobile: values.mobile === undefined ? before.mobile : values.mobile,
      branch_id: before.branch_id,
      proposed: values,
      original,
      base_version: before.version,
    },
    { case_id: before.id, original, proposed: values },
  );
  return {
    change_request: { id, kind: 'update' },
    message: `درخواست ویرایش پرونده ${before.customer_no} به شماره ${toPersianDigits(id)} برای تأیید ارسال شد؛ تغییرات پس از تأیید اعمال می‌شود`,
  };
}

function pendingConflict(pending: { id: number; requested_by_name: string }) {
  return new AppError(
    'conflict',
    `برای این پرونده درخواست شماره ${toPersianDigits(pending.id)} (${pending.requested_by_name}) در انتظار بررسی است؛ پس از بررسی آن دوباره اقدام کنید`,
  );
}

/** Fields whose stored doubt (`{field}_missing` / `{field}_invalid`, as the import writes them) an edit settles. */
const CHECKED_FIELDS = ['mobile', 'national_id', 'postal_code', 'email'] as const;
const REQUIRED_FOR_NOTICE = new Set<string>(['mobile', 'national_id']);

/**
 * The customer's stored `incomplete_reasons` after a staff edit: a value now valid (the input was
 * checked) clears its reason, a mobile or national code removed is missing. Undefined: unchanged.
 */
function storedReasons(before: readonly string[], values: Partial<repo.CaseValues>): string[] | undefined {
  const edited = CHECKED_FIELDS.filter((f) => values[f] !== undefined);
  if (edited.length === 0) return undefined;
  const reasons = new Set(before);
  for (const f of edited) {
    reasons.delete(`${f}_missing`);
    reasons.delete(`${f}_invalid`);
    if (values[f] === null && REQUIRED_FOR_NOTICE.has(f)) reasons.add(`${f}_missing`);
  }
  return [...reasons];
}

/**
 * V15 multi-delete: all or nothing. A case with a facility still followed up (active or written
 * off), or who guarantees a facility, is refused with the reason, naming the case.
 */
export async function deleteCases(db: Database, ctx: RequestContext, ids: number[]): Promise<void> {
  const unique = [...new Set(ids)];
  await db.transaction().execute(async (trx) => {
    // V19: deletion has no request form; a user whose changes need approval may not delete at all.
    if (await requests.userNeedsApproval(trx, ctx.user.id)) {
      throw new AppError(
        'forbidden',
        'گروه دسترسی شما برای تغییر پرونده‌ها نیاز به تأیید دارد؛ حذف پرونده برای شما مجاز نیست',
      );
    }
    const cases: Case[] = [];
    for (const id of unique) cases.push(await getCase(trx, ctx, id));
    const blocked = (await repo.findCaseUsage(trx, unique)).filter(
      (u) => u.active_facilities > 0 || u.guarantees > 0,
    );
    if (blocked.length > 0) {
      const reasons = blocked.map((u) => {
        const why = [
          u.active_facilities > 0 ? `${toPersianDigits(u.active_facilities)} تسهیلات فعال دارد` : null,
          u.guarantees > 0 ? `ضامن ${toPersianDigits(u.guarantees)} تسهیلات است` : null,
        ].filter(Boolean);
        return `پرونده ${u.customer_no} (${u.full_name}): ${why.join(' و ')}`;
      });
      throw new AppError(
        'in_use',
        `حذف انجام نشد؛ این پرونده‌ها قابل حذف نیستند — ${reasons.join('؛ ')}`,
        undefined,
        { in_use: blocked },
      );
    }
    await repo.deleteCases(trx, unique);
    for (const c of cases) {
      await recordAudit(trx, ctx, { entity: 'case', entityId: c.id, action: 'delete', before: c });
    }
  });
}

// ---- facilities, installments, guarantors (V16, V17) -------------------------------------------

export async function listCaseFacilities(db: Database, ctx: RequestContext, caseId: number, list: ListQuery) {
  await getCase(db, ctx, caseId);
  return repo.findCaseFacilitiesPage(db, caseId, list);
}

export async function getFacility(db: Executor, ctx: RequestContext, facilityNo: string): Promise<Facility> {
  const row = await repo.findFacility(db, ctx.user.scope, facilityNo);
  if (!row) throw notFound('تسهیلات');
  return row;
}

export async function listInstallments(db: Database, ctx: RequestContext, facilityNo: string) {
  const facility = await getFacility(db, ctx, facilityNo);
  return { items: await repo.findInstallments(db, facility.id, facility.as_of) };
}

export async function listClassChanges(db: Database, ctx: RequestContext, facilityNo: string) {
  const facility = await getFacility(db, ctx, facilityNo);
  return { items: await repo.findClassChanges(db, facility.id) };
}

export async function listGuarantors(db: Database, ctx: RequestContext, facilityNo: string) {
  const facility = await getFacility(db, ctx, facilityNo);
  return { items: await repo.findGuarantors(db, facility.id) };
}

// ---- incomplete data (V29) -------------------------------------------------------------------

export const listIncomplete = (db: Database, ctx: RequestContext, list: IncompleteQuery) =>
  repo.findIncompletePage(db, ctx.user.scope, list);

export async function exportIncomplete(
  db: Database,
  ctx: RequestContext,
  filter: Omit<IncompleteQuery, 'page' | 'page_size'>,
) {
  const rows = await repo.findAllIncomplete(db, ctx.user.scope, filter);
  return recordedExport(
    db,
    ctx,
    { name: 'incomplete_data', filter: { q: filter.q, reason: filter.reason, branch_id: filter.branch_id } },
    rows,
  );
}
