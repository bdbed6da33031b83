import { sql } from 'kysely';
import type { VoucherQuery } from '@vosul/common/day-runs';
import type { CbiClass } from '@vosul/common/cases-labels';
import type { Executor } from '../../platform/db/database.js';
import type { Scope } from '../../platform/auth/context.js';
import { branchInScope } from '../../platform/scope.js';

type VoucherFilter = Pick<VoucherQuery, 'facility_no' | 'date' | 'from' | 'to'>;

/** Vouchers of the facilities in the user's scope (their branch), filtered. */
function scopedVouchers(db: Executor, scope: Scope, filter: VoucherFilter) {
  let query = db
    .selectFrom('vouchers as v')
    .innerJoin('facilities as f', 'f.id', 'v.facility_id')
    .innerJoin('branches as b', 'b.id', 'f.branch_id')
    .where(branchInScope(scope, sql.ref('f.branch_id')));
  if (filter.facility_no) query = query.where('f.facility_no', '=', filter.facility_no);
  if (filter.date) query = query.where('v.business_date', '=', filter.date);
  if (filter.from) query = query.where('v.business_date', '>=', filter.from);
  if (filter.to) query = query.where('v.business_date', '<=', filter.to);
  return query;
}

const lines = sql<{ head: string; class: CbiClass; debit: string; credit: string }[]>`(
  select json_agg(json_build_object('head', l.head, 'class', l.class, 'debit', l.debit::text,
                                    'credit', l.credit::text) order by l.debit = 0, l.head)
  from voucher_lines l where l.voucher_id = v.id)`;

export function vouchersPageQuery(db: Executor, scope: Scope, filter: VoucherFilter) {
  return scopedVouchers(db, scope, filter).select([
    'v.id',
    'f.facility_no',
    'v.business_date as date',
    'v.kind',
    'b.code as branch_code',
    'v.exported_at',
    lines.as('lines'),
  ]);
}

export const VOUCHER_SORT = { date: 'v.business_date', id: 'v.id' };

/** The lines of the given vouchers, one row each, in voucher order, debits first. */
function voucherLinesOf(db: Executor, ids: string[]) {
  return db
    .selectFrom('vouchers as v')
    .innerJoin('facilities as f', 'f.id', 'v.facility_id')
    .innerJoin('branches as b', 'b.id', 'f.branch_id')
    .innerJoin('voucher_lines as l', 'l.voucher_id', 'v.id')
    .select([
      'v.id as voucher_id',
      'v.business_date as date',
      'f.facility_no',
      'b.code as branch_code',
      'v.kind',
      'l.head',
      'l.class',
      sql<string>`l.debit::text`.as('debit'),
      sql<string>`l.credit::text`.as('credit'),
    ])
    .where('v.id', 'in', ids)
    .orderBy('v.id')
    .orderBy(sql`l.debit = 0`)
    .orderBy('l.head');
}

/**
 * Every line of the matching vouchers, for the exports: read in keyset batches of vouchers (by id,
 * the order they were issued), so a whole book's vouchers never sit in memory.
 */
export async function* streamVoucherLines(db: Executor, scope: Scope, filter: VoucherFilter, batch = 2000) {
  let last = '0';
  for (;;) {
    const ids = await scopedVouchers(db, scope, filter)
      .select('v.id')
      .where('v.id', '>', last)
      .orderBy('v.id')
      .limit(batch)
      .execute();
    if (ids.length === 0) return;
    yield* await voucherLinesOf(
      db,
      ids.map((r) => r.id),
    ).execute();
    if (ids.length < batch) return;
    last = ids[ids.length - 1]!.id;
  }
}

export type VoucherLineRow = Awaited<
  ReturnType<ReturnType<typeof voucherLinesOf>['executeTakeFirstOrThrow']>
>;

/** Marks the vouchers an export to the core banking system sent (the first export's time stays). */
export async function markExported(db: Executor, scope: Scope, filter: VoucherFilter): Promise<void> {
  const ids = scopedVouchers(db, scope, filter).select('v.id').where('v.exported_at', 'is', null);
  await db
    .updateTable('vouchers')
    .set({ exported_at: sql`now()` })
    .where('id', 'in', ids)
    .execute();
}
