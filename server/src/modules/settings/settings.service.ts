import { existsSync, statSync } from 'node:fs';
import { INTAKE_LABELS, type IntakeSettingsPatch, type SecuritySettingsPatch } from '@vosul/common';
import {
  notificationSettingsProblem,
  type DayRunSettingsPatch,
  type NotificationSettings,
  type NotificationSettingsPatch,
} from '@vosul/common/settings';
import type { Database } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/auth/context.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, invalidField } from '../../platform/errors.js';
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

/** Issue 5: the notification settings (V8, B1, B2, P5); HQ edits, audited as `setting` `notifications`. */
export const getNotificationSettings = (db: Database, _ctx: RequestContext) =>
  repo.findNotificationSettings(db);

/** Merges the given groups over the saved ones, checks the rules across fields, saves and audits. */
export async function updateNotificationSettings(
  db: Database,
  ctx: RequestContext,
  input: NotificationSettingsPatch,
) {
  if (ctx.user.scope.kind !== 'hq') {
    throw new AppError('forbidden', 'تغییر تنظیمات سیستم فقط برای کاربران ستاد مجاز است');
  }
  return db.transaction().execute(async (trx) => {
    await repo.lockSettings(trx);
    const before = await repo.findNotificationSettings(trx);
    const merged: NotificationSettings = {
      send_window_end: input.send_window_end ?? before.send_window_end,
      contact_rules: { ...before.contact_rules, ...defined(input.contact_rules) },
      merged_message_template: input.merged_message_template ?? before.merged_message_template,
      notification_prices: { ...before.notification_prices, ...defined(input.notification_prices) },
      sms_lines: { ...before.sms_lines, ...defined(input.sms_lines) },
      notification_simulator: { ...before.notification_simulator, ...defined(input.notification_simulator) },
    };
    const problem = notificationSettingsProblem(merged);
    if (problem) throw invalidField(problem.field, problem.message);
    await repo.saveNotificationSettings(trx, merged);
    const after = await repo.findNotificationSettings(trx);
    await recordAudit(trx, ctx, {
      entity: 'setting',
      entityId: 'notifications',
      action: 'update',
      before,
      after,
    });
    return after;
  });
}

/** The fields of a partial group that were given (a missing one keeps its saved value). */
function defined<T extends object>(group: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(group ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}
