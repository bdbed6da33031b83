import type { Voucher, VoucherQuery } from '@vosul/common/day-runs';
import type { Database } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/auth/context.js';
import { recordedExport } from '../../platform/export-log.js';
import { fetchPage } from '../../platform/listing.js';
import * as repo from './vouchers.repository.js';

/** P7: the classification vouchers the daily run issued, for the facilities in the user's scope. */
export async function listVouchers(db: Database, ctx: RequestContext, query: VoucherQuery) {
  const { page, page_size, ...filter } = query;
  const { items, total } = await fetchPage(
    repo.vouchersPageQuery(db, ctx.user.scope, filter),
    { page, page_size, sort: 'date', order: 'desc' },
    repo.VOUCHER_SORT,
    'date',
    'v.id',
  );
  return { items: items.map(toVoucher), total };
}

/** The voucher lines as Excel (recorded in the export log). */
export async function exportVoucherLines(
  db: Database,
  ctx: RequestContext,
  filter: Omit<VoucherQuery, 'page' | 'page_size'>,
) {
  const rows = repo.streamVoucherLines(db, ctx.user.scope, filter);
  return recordedExport(db, ctx, { name: 'vouchers', filter }, rows);
}

/**
 * The voucher lines for the core banking system to post (CSV, README "Voucher export"): recorded in
 * the export log, and the vouchers sent are marked exported (never changed afterwards).
 */
export async function exportVouchersForCore(
  db: Database,
  ctx: RequestContext,
  filter: Omit<VoucherQuery, 'page' | 'page_size'>,
) {
  await repo.markExported(db, ctx.user.scope, filter);
  return exportVoucherLines(db, ctx, filter);
}

function toVoucher(row: RowOf): Voucher {
  return {
    id: row.id,
    facility_no: row.facility_no,
    date: row.date,
    lines: row.lines ?? [],
    kind: row.kind,
    branch_code: row.branch_code,
    exported_at: row.exported_at === null ? null : new Date(row.exported_at).toISOString(),
  };
}

type RowOf = Awaited<ReturnType<ReturnType<typeof repo.vouchersPageQuery>['executeTakeFirstOrThrow']>>;
