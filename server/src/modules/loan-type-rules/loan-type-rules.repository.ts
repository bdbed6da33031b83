import { sql } from 'kysely';
import { trimRate, type LoanTypeRules, type LoanTypeRulesRecord } from '@vosul/common/loan-type-rules';
import type { Executor } from '../../platform/db/database.js';

const COLUMNS = [
  'id',
  'code',
  'title',
  'past_due_after',
  'deferred_after',
  'doubtful_after',
  'penalty_rate',
  'day_basis',
  'class_holds',
  'head_current',
  'head_past_due',
  'head_deferred',
  'head_doubtful',
  'version',
] as const;

/** One loan type's classification parameters; undefined for an unknown id. */
export async function findLoanTypeRules(db: Executor, id: number): Promise<LoanTypeRulesRecord | undefined> {
  const row = await db.selectFrom('loan_types').select(COLUMNS).where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  // numeric(9,4) comes back as `24.0000`; people wrote `24`
  return { ...row, penalty_rate: row.penalty_rate === null ? null : trimRate(row.penalty_rate) };
}

/** Applies the change only if nobody saved since `version`; undefined means stale. */
export function updateLoanTypeRules(
  db: Executor,
  id: number,
  version: number,
  values: Partial<LoanTypeRules>,
) {
  return db
    .updateTable('loan_types')
    .set({ ...values, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning('id')
    .executeTakeFirst();
}
