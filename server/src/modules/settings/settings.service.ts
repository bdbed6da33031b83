import type { SecuritySettingsPatch } from '@vosul/common';
import type { Database } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/auth/context.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError } from '../../platform/errors.js';
import * as repo from './settings.repository.js';

/** V8 (part): sign-in security — session idle limit, failures before lockout, lockout length. */
export const getSecuritySettings = (db: Database, _ctx: RequestContext) => repo.findSecuritySettings(db);

/** HQ only; audited as entity `setting`, id `security`, with the three values before and after. */
export async function updateSecuritySettings(
  db: Database,
  ctx: RequestContext,
  input: SecuritySettingsPatch,
) {
  if (ctx.user.scope.kind !== 'hq') {
    throw new AppError('forbidden', 'تغییر تنظیمات سیستم فقط برای کاربران ستاد مجاز است');
  }
  return db.transaction().execute(async (trx) => {
    await repo.lockSettings(trx);
    const before = await repo.findSecuritySettings(trx);
    await repo.saveSecuritySettings(trx, input);
    const after = await repo.findSecuritySettings(trx);
    await recordAudit(trx, ctx, { entity: 'setting', entityId: 'security', action: 'update', before, after });
    return after;
  });
}
