import {
  loanTypeRulesProblems,
  type LoanTypeRules,
  type LoanTypeRulesPatch,
  type LoanTypeRulesRecord,
} from '@vosul/common/loan-type-rules';
import type { Database } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/auth/context.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, invalidField, notFound, staleEdit } from '../../platform/errors.js';
import * as repo from './loan-type-rules.repository.js';

const throwNotFound = (): never => {
  throw notFound('نوع وام');
};

export async function getLoanTypeRules(
  db: Database,
  _ctx: RequestContext,
  id: number,
): Promise<LoanTypeRulesRecord> {
  return (await repo.findLoanTypeRules(db, id)) ?? throwNotFound();
}

/**
 * The parameters are bank-wide like the catalogue, so only HQ users change them. A partial change is
 * checked against the stored values, so the user reads which field breaks the order, never a CHECK.
 * The next daily run applies them (and moves booked balances when heads change).
 */
export async function updateLoanTypeRules(
  db: Database,
  ctx: RequestContext,
  id: number,
  input: LoanTypeRulesPatch,
): Promise<LoanTypeRulesRecord> {
  return db.transaction().execute(async (trx) => {
    const before = (await repo.findLoanTypeRules(trx, id)) ?? throwNotFound();
    if (ctx.user.scope.kind !== 'hq')
      throw new AppError('forbidden', 'ویرایش پارامترهای طبقه‌بندی نوع وام فقط برای کاربران ستاد مجاز است');
    const { version, ...patch } = input;
    const changes = Object.fromEntries(
      Object.entries(patch).filter(([, v]) => v !== undefined),
    ) as Partial<LoanTypeRules>;
    const problem = loanTypeRulesProblems({ ...before, ...changes })[0];
    if (problem) throw invalidField(problem.field, problem.message);
    if (!(await repo.updateLoanTypeRules(trx, id, version, changes))) throw staleEdit();
    const after = (await repo.findLoanTypeRules(trx, id))!;
    await recordAudit(trx, ctx, { entity: 'loan_type', entityId: id, action: 'update', before, after });
    return after;
  });
}
