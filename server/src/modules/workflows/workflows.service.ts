import { toPersianDigits, type ListQuery } from '@vosul/common';
import {
  dayRangeLabel,
  dayRangeProblem,
  renderTemplate,
  requiredTemplates,
  CHANNELS,
  RECIPIENT_ROLES,
  SAMPLE_VALUES,
  smsParts,
  type TemplatePreviewInput,
  type TemplateValues,
  type Workflow,
  type WorkflowInput,
  type WorkflowPatch,
} from '@vosul/common/workflows';
import type { Database, Executor } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/auth/context.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, invalidField, notFound, staleEdit } from '../../platform/errors.js';
import { recordedExport } from '../../platform/export-log.js';
import { assertAudioFilesExist as assertAudioFiles } from '../audio-files/audio-files.service.js';
import * as repo from './workflows.repository.js';

const ENTITY = 'workflow';

/**
 * V13/V14. HQ manages every workflow; a province or branch user only those whose branches all lie in
 * their scope, and never one for all branches (it would message other branches' customers).
 */
export async function listWorkflows(db: Database, ctx: RequestContext, list: ListQuery) {
  const page = await repo.findWorkflowPage(db, ctx.user.scope, list);
  return { ...page, items: page.items.map(toWorkflow) };
}

export async function exportWorkflows(db: Database, ctx: RequestContext, list: ListQuery) {
  const { page: _p, page_size: _s, ...filter } = list;
  const rows = await repo.findAllWorkflows(db, ctx.user.scope, filter);
  return recordedExport(db, ctx, { name: 'workflows', filter }, rows.map(toWorkflow));
}

export async function getWorkflow(db: Executor, ctx: RequestContext, id: number): Promise<Workflow> {
  const row = await repo.findWorkflow(db, ctx.user.scope, id);
  if (!row) throw notFound('گردش کار');
  return toWorkflow(row);
}

export async function workflowOptions(db: Database, ctx: RequestContext) {
  return {
    ...(await repo.findOptions(db, ctx.user.scope)),
    all_branches_allowed: ctx.user.scope.kind === 'hq',
  };
}

export async function createWorkflow(db: Database, ctx: RequestContext, input: WorkflowInput) {
  return db.transaction().execute(async (trx) => {
    const refs = await resolveRefs(trx, ctx, input.loan_type_codes, input.branch_codes);
    const templates = templatesFor(input);
    await assertAudioFilesExist(trx, templates);
    if (input.active) {
      await repo.lockWorkflowSaves(trx);
      await assertNoOverlap(trx, null, input, refs);
    }
    const { id } = await repo.insertWorkflow(trx, valuesOf(input), ctx.user.id);
    await repo.setLoanTypes(trx, id, refs.loanTypeIds);
    await repo.setBranches(trx, id, refs.branchIds);
    await repo.setTemplates(trx, id, templates);
    const after = await getWorkflow(trx, ctx, id);
    await recordAudit(trx, ctx, { entity: ENTITY, entityId: id, action: 'create', after });
    return after;
  });
}

export async function updateWorkflow(db: Database, ctx: RequestContext, id: number, patch: WorkflowPatch) {
  return db.transaction().execute(async (trx) => {
    const before = await getWorkflow(trx, ctx, id);
    const { version, ...changes } = patch;
    const given = Object.fromEntries(
      Object.entries(changes).filter(([, v]) => v !== undefined),
    ) as Partial<WorkflowInput>;
    const merged: WorkflowInput = { ...before, ...given };
    const problem = dayRangeProblem(merged.from_day, merged.to_day);
    if (problem) throw invalidField(problem.field, problem.message);
    const refs = await resolveRefs(trx, ctx, merged.loan_type_codes, merged.branch_codes);
    const templates = templatesFor(merged);
    await assertAudioFilesExist(trx, templates);
    if (merged.active) {
      await repo.lockWorkflowSaves(trx);
      await assertNoOverlap(trx, id, merged, refs);
    }
    if (!(await repo.updateWorkflow(trx, id, version, valuesOf(merged), ctx.user.id))) throw staleEdit();
    if (given.loan_type_codes) await repo.setLoanTypes(trx, id, refs.loanTypeIds);
    if (given.branch_codes) await repo.setBranches(trx, id, refs.branchIds);
    await repo.setTemplates(trx, id, templates);
    const after = await getWorkflow(trx, ctx, id);
    await recordAudit(trx, ctx, { entity: ENTITY, entityId: id, action: 'update', before, after });
    return after;
  });
}

/** One or many (the list's multi-select): all or nothing; an id out of sight is 404. */
export async function deleteWorkflows(db: Database, ctx: RequestContext, ids: number[]) {
  await db.transaction().execute(async (trx) => {
    const found: Workflow[] = [];
    for (const id of new Set(ids)) found.push(await getWorkflow(trx, ctx, id));
    await repo.deleteWorkflows(trx, ids);
    for (const before of found)
      await recordAudit(trx, ctx, { entity: ENTITY, entityId: before.id, action: 'delete', before });
  });
}

/**
 * A template rendered on a real facility of the user's scope (the one named, else the longest in
 * arrears; its first guarantor for the guarantor's text), with the SMS length; made-up values when the
 * scope holds no facility yet.
 */
export async function previewTemplate(db: Database, ctx: RequestContext, input: TemplatePreviewInput) {
  const guarantor = input.recipient_role === 'guarantor';
  const row = await repo.findPreviewFacility(db, ctx.user.scope, input.facility_no, guarantor);
  if (!row && input.facility_no !== null)
    throw new AppError('not_found', `تسهیلات ${toPersianDigits(input.facility_no)} یافت نشد`, 'facility_no');
  const values: TemplateValues = row
    ? {
        gender_title: guarantor ? row.guarantor_gender : row.gender,
        borrower_first_name: row.first_name,
        borrower_last_name: row.last_name,
        customer_no: row.customer_no,
        national_code: row.national_id,
        facility_no: row.facility_no,
        loan_type: row.loan_type,
        principal: row.principal,
        overdue_days: row.overdue_days,
        overdue_installments: row.overdue_installments,
        overdue_amount: row.overdue_amount,
        penalty: row.penalty,
        collectible_amount: row.collectible_amount,
        unpaid_amount: row.unpaid_amount,
        due_date: row.due_date,
        installment_amount: row.installment_amount,
        branch_name: row.branch_name,
        guarantor_first_name: row.guarantor_first_name,
        guarantor_last_name: row.guarantor_last_name,
      }
    : SAMPLE_VALUES;
  const text = renderTemplate(input.text, values);
  return { text, facility_no: row?.facility_no ?? null, sample: !row, sms: smsParts(text) };
}

// ---- rules ---------------------------------------------------------------------------------------

export interface Refs {
  loanTypeIds: number[];
  branchIds: number[];
}

/** Codes → ids; an unknown loan type, or a branch unknown or outside the scope, is refused by code. */
export async function resolveRefs(
  trx: Executor,
  ctx: RequestContext,
  loanTypeCodes: readonly string[],
  branchCodes: readonly string[],
): Promise<Refs> {
  const loanTypes = await repo.findLoanTypesByCode(trx, loanTypeCodes);
  const missingType = loanTypeCodes.find((code) => !loanTypes.some((t) => t.code === code));
  if (missingType) throw invalidField('loan_type_codes', `نوع وام با کد ${missingType} یافت نشد`);
  if (branchCodes.length === 0 && ctx.user.scope.kind !== 'hq')
    throw new AppError(
      'forbidden',
      'گردش کار برای همه شعب فقط برای کاربران ستاد مجاز است؛ شعبه‌های گردش کار را انتخاب کنید',
      'branch_codes',
    );
  const branches = await repo.findBranchesByCode(trx, ctx.user.scope, branchCodes);
  const missingBranch = branchCodes.find((code) => !branches.some((b) => b.code === code));
  if (missingBranch) throw invalidField('branch_codes', `شعبه با کد ${missingBranch} یافت نشد`);
  return { loanTypeIds: loanTypes.map((t) => t.id), branchIds: branches.map((b) => b.id) };
}

/** The texts for every channel × recipient of the workflow (others are dropped); a missing one is refused. */
export function templatesFor(w: Pick<WorkflowInput, 'channels' | 'recipients' | 'templates'>) {
  return requiredTemplates(w.channels, w.recipients).map((need) => {
    const index = w.templates.findIndex(
      (t) => t.channel === need.channel && t.recipient_role === need.recipient_role,
    );
    const text = w.templates[index]?.text.trim();
    if (!text)
      throw invalidField(
        index >= 0 ? `templates.${index}.text` : 'templates',
        `متن الگوی ${CHANNELS[need.channel]} برای ${RECIPIENT_ROLES[need.recipient_role]} را وارد کنید`,
      );
    // only a call plays a recording
    const audio = need.channel === 'call' ? (w.templates[index]?.audio_file_id ?? null) : null;
    return { ...need, text, audio_file_id: audio };
  });
}

/** A call's recording must exist (one deleted meanwhile is refused, naming the template). */
async function assertAudioFilesExist(
  trx: Executor,
  templates: readonly { channel: string; recipient_role: string; audio_file_id: number | null }[],
) {
  await assertAudioFiles(
    trx,
    templates.flatMap((t, i) =>
      t.audio_file_id === null ? [] : [{ id: t.audio_file_id, field: `templates.${i}.audio_file_id` }],
    ),
  );
}

async function assertNoOverlap(
  trx: Executor,
  id: number | null,
  w: Pick<WorkflowInput, 'from_day' | 'to_day'>,
  refs: Refs,
) {
  const other = await repo.findOverlap(trx, {
    id,
    fromDay: w.from_day,
    toDay: w.to_day,
    loanTypeIds: refs.loanTypeIds,
    branchIds: refs.branchIds,
  });
  if (!other) return;
  const sharedFrom = Math.max(other.from_day, w.from_day);
  const sharedTo =
    other.to_day === null ? w.to_day : w.to_day === null ? other.to_day : Math.min(other.to_day, w.to_day);
  throw new AppError(
    'workflow_overlap',
    `این گردش کار با گردش کار فعال «${other.title}» هم‌پوشانی دارد: ${dayRangeLabel(sharedFrom, sharedTo)}` +
      ` برای نوع وام ${other.shared_loan_types.join('، ')} و شعبه مشترک؛` +
      ' بازه روزها، نوع وام یا شعبه را تغییر دهید یا یکی از دو گردش کار را غیرفعال کنید',
    undefined,
    { workflow_id: other.id, title: other.title, shared_from_day: sharedFrom, shared_to_day: sharedTo },
  );
}

export function valuesOf(w: WorkflowInput): repo.WorkflowValues {
  return {
    title: w.title,
    from_day: w.from_day,
    to_day: w.to_day,
    min_overdue_amount: w.min_overdue_amount,
    channels: w.channels,
    recipients: w.recipients,
    per_day: w.per_day,
    start_time: w.start_time,
    interval_minutes: w.interval_minutes,
    repeat_every_days: w.repeat_every_days,
    message_kind: w.message_kind,
    active: w.active,
  };
}

function toWorkflow(row: repo.WorkflowRow): Workflow {
  return {
    ...row,
    loan_type_codes: row.loan_types.map((t) => t.code),
    branch_codes: row.branches.map((b) => b.code),
  };
}
