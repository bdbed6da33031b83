import type { CaseInput, CaseUpdateInput } from '@vosul/common/cases';
import {
  CASE_FIELD_LABELS,
  CASE_FIELDS,
  CHANGE_REQUEST_STATUSES,
  type CaseField,
  type ChangeRequest,
  type ChangeRequestField,
  type ChangeRequestListQuery,
  type ChangeRequestReview,
} from '@vosul/common/change-requests';
import { GENDERS, type Gender } from '@vosul/common/users';
import type { Database, Executor } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/auth/context.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, notFound } from '../../platform/errors.js';
import * as cases from '../cases/cases.service.js';
import { findCase, findCustomerIdByNo } from '../cases/cases.repository.js';
import * as repo from './change-requests.repository.js';

const WHAT = 'درخواست تغییر';

const actorName = (ctx: RequestContext) =>
  `${ctx.user.firstName} ${ctx.user.lastName} (${ctx.user.username})`;

const iso = (d: Date | string | null) => (d === null ? null : d instanceof Date ? d.toISOString() : d);

// ---- reads -----------------------------------------------------------------------------------

export async function listRequests(db: Database, ctx: RequestContext, list: ChangeRequestListQuery) {
  const page = await repo.findRequestsPage(db, ctx.user.scope, list);
  return {
    total: page.total,
    items: page.items.map((r) => ({
      ...r,
      requested_at: iso(r.requested_at)!,
      reviewed_at: iso(r.reviewed_at),
    })),
  };
}

export async function getRequest(db: Executor, ctx: RequestContext, id: number): Promise<ChangeRequest> {
  const row = await repo.findRequest(db, ctx.user.scope, id);
  if (!row) throw notFound(WHAT);
  const current = row.customer_id === null ? undefined : await repo.findCustomerValues(db, row.customer_id);
  const stale = row.status === 'pending' ? await staleReason(db, row, current) : null;
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    customer_id: row.customer_id,
    customer_no: row.customer_no,
    full_name: row.full_name,
    mobile: row.mobile,
    branch_id: row.branch_id,
    branch_code: row.branch_code,
    branch_name: row.branch_name,
    fields: await fieldsOf(db, row, current),
    requested_by: { id: row.requested_by, name: row.requested_by_name },
    requested_by_name: row.requested_by_name,
    requested_at: iso(row.requested_at)!,
    reviewed_by: row.reviewed_by_name === null ? null : { id: row.reviewed_by, name: row.reviewed_by_name },
    reviewed_by_name: row.reviewed_by_name,
    reviewed_at: iso(row.reviewed_at),
    review_note: row.review_note,
    stale_reason: stale,
    own: row.requested_by === ctx.user.id,
    version: row.version,
  };
}

/** Every field of the case: the value before (at request time) and the value proposed, as shown. */
async function fieldsOf(
  db: Executor,
  row: repo.RequestRow,
  current: repo.CustomerValues | undefined,
): Promise<ChangeRequestField[]> {
  const proposed = row.proposed;
  const original = row.original;
  const oldValue = (f: CaseField): unknown =>
    row.kind === 'create' ? null : f in original ? original[f] : current ? current[f] : null;
  const newValue = (f: CaseField): unknown => (f in proposed ? proposed[f] : oldValue(f));
  const branchIds = [oldValue('branch_id'), newValue('branch_id')].filter(
    (v): v is number => typeof v === 'number',
  );
  const branches = new Map(
    (await repo.findBranches(db, branchIds)).map((b) => [b.id, `${b.code} - ${b.name}`]),
  );
  // Stored values are strings, null, or (the branch) a number.
  const shown = (f: CaseField, v: unknown): string | null => {
    if (typeof v !== 'string' && typeof v !== 'number') return null;
    const text = String(v);
    if (text === '') return null;
    if (f === 'branch_id') return branches.get(Number(v)) ?? text;
    if (f === 'gender') return GENDERS[text as Gender] ?? text;
    return text;
  };
  return CASE_FIELDS.map((field) => {
    const before = shown(field, oldValue(field));
    const after = shown(field, newValue(field));
    return {
      field,
      label: CASE_FIELD_LABELS[field],
      old_value: before,
      new_value: after,
      changed: row.kind === 'create' ? after !== null : field in proposed,
    };
  });
}

/**
 * Why a pending request may no longer be applied, or null: a create whose customer number now
 * exists; an update whose case is gone or whose touched fields an intake or another edit changed
 * since (never overwrite newer data).
 */
async function staleReason(
  db: Executor,
  row: repo.RequestRow,
  current: repo.CustomerValues | undefined,
): Promise<string | null> {
  if (row.kind === 'create') {
    const no = String(row.proposed.customer_no);
    return (await findCustomerIdByNo(db, no))
      ? `پرونده‌ای با شماره مشتری ${no} پس از ثبت این درخواست ثبت شده است`
      : null;
  }
  if (!current) return 'پرونده این درخواست پس از ثبت آن حذف شده است';
  const moved = Object.entries(row.original)
    .filter(([field, was]) => (current[field as CaseField] ?? null) !== (was ?? null))
    .map(([field]) => CASE_FIELD_LABELS[field as CaseField] ?? field);
  if (moved.length === 0) return null;
  return `پس از ثبت این درخواست، ${moved.map((l) => `«${l}»`).join('، ')} پرونده با دریافت اطلاعات یا ویرایش دیگری تغییر کرده است؛ این درخواست فقط رد می‌شود`;
}

// ---- review ----------------------------------------------------------------------------------

/** The request, locked, if the caller may decide it: pending (409), not their own (403). */
async function lockForReview(trx: Executor, ctx: RequestContext, id: number): Promise<repo.RequestRow> {
  const row = await repo.findRequest(trx, ctx.user.scope, id, true);
  if (!row) throw notFound(WHAT);
  if (row.status !== 'pending') {
    throw new AppError(
      'conflict',
      `این درخواست قبلاً بررسی شده است (${CHANGE_REQUEST_STATUSES[row.status]} توسط ${row.reviewed_by_name ?? '—'})`,
    );
  }
  if (row.requested_by === ctx.user.id) {
    throw new AppError(
      'forbidden',
      'بررسی درخواستی که خودتان ثبت کرده‌اید مجاز نیست؛ کاربر دیگری باید آن را تأیید یا رد کند',
    );
  }
  return row;
}

/** Decides the request, locked, in one transaction; the request as it now stands. */
async function reviewRequest(
  db: Database,
  ctx: RequestContext,
  id: number,
  decideLocked: (trx: Executor, row: repo.RequestRow) => Promise<void>,
): Promise<ChangeRequest> {
  await db.transaction().execute(async (trx) => decideLocked(trx, await lockForReview(trx, ctx, id)));
  return getRequest(db, ctx, id);
}

/**
 * V19 accept: the change is applied exactly as the direct create or edit would be (same rules,
 * overrides, audit naming requester and reviewer, version bump) in one transaction with the decision.
 */
export function acceptRequest(
  db: Database,
  ctx: RequestContext,
  id: number,
  review: ChangeRequestReview,
): Promise<ChangeRequest> {
  return reviewRequest(db, ctx, id, async (trx, row) => {
    const applied = { id: row.id, requested_by: row.requested_by_name, reviewed_by: actorName(ctx) };
    let customerId: number;
    if (row.kind === 'create') {
      const stale = await staleReason(trx, row, undefined);
      if (stale) throw new AppError('conflict', stale);
      const input = row.proposed as CaseInput;
      await cases.checkNewCase(trx, ctx, input);
      customerId = (await cases.insertNewCase(trx, ctx, input, applied)).id;
    } else {
      const current =
        row.customer_id === null ? undefined : await repo.findCustomerValues(trx, row.customer_id, true);
      const stale = await staleReason(trx, row, current);
      if (stale) throw new AppError('conflict', stale);
      const caseRow = await findCase(trx, ctx.user.scope, current!.id);
      if (!caseRow) {
        throw new AppError('conflict', 'پرونده این درخواست اکنون خارج از حوزه دسترسی شماست');
      }
      const input = row.proposed as Omit<CaseUpdateInput, 'version'>;
      const plan = await cases.planCaseUpdate(trx, ctx, caseRow, input);
      customerId = (await cases.applyCaseUpdate(trx, ctx, plan, caseRow.version, applied)).id;
    }
    await decide(trx, ctx, row, 'accepted', review.note, customerId);
  });
}

/** V19 reject: nothing of the case changes; the decision and note are recorded. */
export function rejectRequest(
  db: Database,
  ctx: RequestContext,
  id: number,
  review: ChangeRequestReview,
): Promise<ChangeRequest> {
  return reviewRequest(db, ctx, id, (trx, row) => decide(trx, ctx, row, 'rejected', review.note));
}

async function decide(
  trx: Executor,
  ctx: RequestContext,
  row: repo.RequestRow,
  status: 'accepted' | 'rejected',
  note: string | null,
  customerId?: number,
): Promise<void> {
  const decided = await repo.decideRequest(trx, row.id, {
    status,
    reviewed_by: ctx.user.id,
    reviewed_by_name: actorName(ctx),
    review_note: note,
    ...(customerId === undefined ? {} : { customer_id: customerId }),
  });
  if (!decided) throw new AppError('conflict', 'این درخواست قبلاً بررسی شده است');
  await recordAudit(trx, ctx, {
    entity: 'change_request',
    entityId: row.id,
    action: 'update',
    before: { status: row.status },
    after: {
      status,
      kind: row.kind,
      case_id: customerId ?? row.customer_id,
      customer_no: row.customer_no,
      requested_by: row.requested_by_name,
      reviewed_by: actorName(ctx),
      review_note: note,
    },
  });
}
