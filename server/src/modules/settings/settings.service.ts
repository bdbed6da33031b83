import { existsSync, statSync } from 'node:fs';
import { INTAKE_LABELS, type IntakeSettingsPatch, type SecuritySettingsPatch } from '@vosul/common';
import type { DayRunSettingsPatch } from '@vosul/common/settings';
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

/** V24: the drop folder, its daily time and the retries (HQ only); audited as `setting` `intake`. */
export const getIntakeSettings = (db: Database, _ctx: RequestContext) => repo.findIntakeSettings(db);

/**
 * Saves the intake settings; the folder must exist on the server. `reschedule` then moves the
 * daily drop-folder job to the new time (after the commit, so the schedule follows what is saved).
 */
export async function updateIntakeSettings(
  db: Database,
  ctx: RequestContext,
  input: IntakeSettingsPatch,
  reschedule: () => Promise<void>,
) {
  if (ctx.user.scope.kind !== 'hq') {
    throw new AppError('forbidden', 'تغییر تنظیمات سیستم فقط برای کاربران ستاد مجاز است');
  }
  if (input.drop_folder) {
    const folder = input.drop_folder;
    if (!existsSync(folder) || !statSync(folder).isDirectory())
      throw new AppError(
        'validation_failed',
        `${INTAKE_LABELS.drop_folder}: پوشه «${folder}» روی سرور وجود ندارد`,
        'drop_folder',
      );
  }
  const after = await db.transaction().execute(async (trx) => {
    await repo.lockSettings(trx);
    const before = await repo.findIntakeSettings(trx);
    await repo.saveIntakeSettings(trx, input);
    const saved = await repo.findIntakeSettings(trx);
    await recordAudit(trx, ctx, {
      entity: 'setting',
      entityId: 'intake',
      action: 'update',
      before,
      after: saved,
    });
    return saved;
  });
  await reschedule();
  return after;
}

/** Issue 4: the daily run's time and the payment posting (HQ only); audited as `setting` `day_run`. */
export const getDayRunSettings = (db: Database, _ctx: RequestContext) => repo.findDayRunSettings(db);

export async function updateDayRunSettings(
  db: Database,
  ctx: RequestContext,
  input: DayRunSettingsPatch,
  reschedule: () => Promise<void>,
) {
  if (ctx.user.scope.kind !== 'hq') {
    throw new AppError('forbidden', 'تغییر تنظیمات سیستم فقط برای کاربران ستاد مجاز است');
  }
  const after = await db.transaction().execute(async (trx) => {
    await repo.lockSettings(trx);
    const before = await repo.findDayRunSettings(trx);
    await repo.saveDayRunSettings(trx, input);
    const saved = await repo.findDayRunSettings(trx);
    await recordAudit(trx, ctx, {
      entity: 'setting',
      entityId: 'day_run',
      action: 'update',
      before,
      after: saved,
    });
    return saved;
  });
  await reschedule();
  return after;
}
