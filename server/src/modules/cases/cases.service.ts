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
import type { Database, Executor } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/auth/context.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, invalidField, notFound, staleEdit } from '../../platform/errors.js';
import { recordedExport } from '../../platform/export-log.js';
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

/** V15: a case created by staff (a customer the core banking system has not sent). */
export async function createCase(db: Database, ctx: RequestContext, input: CaseInput): Promise<Case> {
  return db.transaction().execute(async (trx) => {
    await assertCustomerNoFree(trx, input.customer_no);
    await assertBranchInScope(trx, ctx, input.branch_id);
    assertNationalIdFits('person', input.national_id);
    const id = await repo.insertCase(trx, {
      ...input,
      incomplete_reasons: [
        ...(input.mobile === null ? ['mobile_missing'] : []),
        ...(input.national_id === null ? ['national_id_missing'] : []),
      ],
    });
    const after = await getCase(trx, { ...ctx, user: { ...ctx.user, scope: HQ } }, id);
    await recordAudit(trx, ctx, { entity: 'case', entityId: id, action: 'create', after });
    return after;
  });
}

/**
 * V15 edit. On a case from the core banking system a changed field is kept as a local override
 * (value and the core's value) that wins until the core's value changes; setting it back to the
 * core's value drops the override. Its customer number and branch are the core's and do not change.
 */
export async function updateCase(
  db: Database,
  ctx: RequestContext,
  id: number,
  input: CaseUpdateInput,
): Promise<Case> {
  return db.transaction().execute(async (trx) => {
    const beforeRow = await repo.findCase(trx, ctx.user.scope, id);
    if (!beforeRow) throw notFound('پرونده');
    const before = toCase(beforeRow);
    const { version, customer_no, branch_id, ...fields } = input;
    const values: Partial<repo.CaseValues> = {};

    if (customer_no !== undefined && customer_no !== before.customer_no) {
      if (beforeRow.from_core)
        throw invalidField('customer_no', 'شماره مشتری پرونده‌ای که از سامانه مرکزی آمده است تغییر نمی‌کند');
      await assertCustomerNoFree(trx, customer_no, id);
      values.customer_no = customer_no;
    }
    if (branch_id !== undefined && branch_id !== before.branch_id) {
      if (beforeRow.from_core)
        throw invalidField(
          'branch_id',
          'شعبه پرونده‌ای که از سامانه مرکزی آمده است در آن سامانه تغییر می‌کند',
        );
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

    const updated = await repo.updateCase(
      trx,
      id,
      version,
      values,
      overridesChanged ? overrides : undefined,
      storedReasons(beforeRow.incomplete_reasons, values),
    );
    if (!updated) throw staleEdit();
    const after = await getCase(trx, { ...ctx, user: { ...ctx.user, scope: HQ } }, id);
    await recordAudit(trx, ctx, { entity: 'case', entityId: id, action: 'update', before, after });
    return after;
  });
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
  return { items: await repo.findInstallments(db, facility.id) };
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
