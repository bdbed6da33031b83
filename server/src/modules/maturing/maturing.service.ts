import { toPersianDigits, toJalali } from '@vosul/common';
import type { MaturingBranchQuery, MaturingQuery } from '@vosul/common/maturing';
import type { Database } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/auth/context.js';
import { todayIn } from '../../platform/date-range.js';
import { invalidField, notFound } from '../../platform/errors.js';
import { recordedExport } from '../../platform/export-log.js';
import * as repo from './maturing.repository.js';

type MaturingFilterQuery = Pick<MaturingQuery, 'until' | 'branch_id' | 'include_sub_branches'>;

/**
 * The window and branches of a request: from today's business date (an unpaid installment due
 * before it is overdue, the overdue list's business) up to `until`; the chosen branch, a branch
 * user's own when none is chosen. A branch outside the scope answers 404.
 */
async function resolveFilter(
  db: Database,
  ctx: RequestContext,
  query: MaturingFilterQuery,
  timeZone: string,
): Promise<repo.MaturingFilter & { branchId: number }> {
  const today = todayIn(timeZone);
  if (query.until < today) {
    throw invalidField(
      'until',
      `تاریخ سررسید نمی‌تواند پیش از امروز (${toPersianDigits(toJalali(today))}) باشد`,
    );
  }
  const branchId = query.branch_id ?? ctx.user.branchId;
  if (branchId === null) throw invalidField('branch_id', 'شعبه را انتخاب کنید');
  const branchIds = await repo.findBranchIds(db, ctx.user.scope, branchId, query.include_sub_branches);
  if (branchIds.length === 0) throw notFound('شعبه');
  return { from: today, until: query.until, branchIds, branchId };
}

export async function listMaturing(
  db: Database,
  ctx: RequestContext,
  query: MaturingQuery,
  timeZone: string,
) {
  const filter = await resolveFilter(db, ctx, query, timeZone);
  return repo.findMaturingPage(db, filter, query);
}

/** The whole list for Excel; the export is recorded (B7: borrowers' names). */
export async function exportMaturing(
  db: Database,
  ctx: RequestContext,
  query: MaturingFilterQuery,
  timeZone: string,
) {
  const filter = await resolveFilter(db, ctx, query, timeZone);
  const rows = await repo.findAllMaturing(db, filter);
  return recordedExport(
    db,
    ctx,
    {
      name: 'maturing-facilities',
      filter: {
        until: query.until,
        branch_id: filter.branchId,
        include_sub_branches: query.include_sub_branches,
      },
    },
    rows,
  );
}

export const listBranchOptions = (db: Database, ctx: RequestContext, query: MaturingBranchQuery) =>
  repo.findBranchOptionsPage(db, ctx.user.scope, query);
