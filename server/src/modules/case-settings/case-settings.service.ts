import type { CaseSettings, CaseSettingsInput } from '@vosul/common/case-settings';
import type { Database } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/auth/context.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError } from '../../platform/errors.js';
import { resummarizeLatest } from '../dashboard/dashboard.service.js';
import * as repo from './case-settings.repository.js';

export const getCaseSettings = (db: Database, _ctx: RequestContext): Promise<CaseSettings> =>
  repo.findCaseSettings(db);

/**
 * Saves the ranges and thresholds (bank-wide, so HQ only) and re-buckets the latest run's summaries
 * in the same transaction, so the home page counts by the new ranges at once.
 */
export async function saveCaseSettings(
  db: Database,
  ctx: RequestContext,
  input: CaseSettingsInput,
): Promise<CaseSettings> {
  if (ctx.user.scope.kind !== 'hq')
    throw new AppError('forbidden', 'تغییر تنظیمات پرونده‌ها فقط برای کاربران ستاد مجاز است');
  return db.transaction().execute(async (trx) => {
    const before = await repo.findCaseSettings(trx);
    await repo.replaceCaseSettings(trx, input);
    const after = await repo.findCaseSettings(trx);
    await recordAudit(trx, ctx, {
      entity: 'setting',
      entityId: 'case_settings',
      action: 'update',
      before,
      after,
    });
    await resummarizeLatest(trx);
    return after;
  });
}
