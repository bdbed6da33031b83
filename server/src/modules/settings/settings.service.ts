import { existsSync, statSync } from 'node:fs';
import { INTAKE_LABELS, type IntakeSettingsPatch, type SecuritySettingsPatch } from '@vosul/common';
import {
  channelAccountsProblem,
  notificationSettingsProblem,
  type ChannelAccounts,
  type ChannelAccountsPatch,
  type DayRunSettingsPatch,
  type MaskedSecret,
  type NotificationSettings,
  type NotificationSettingsPatch,
} from '@vosul/common/settings';
import type { LetterSettingsPatch } from '@vosul/common/letters';
import type { Database, Executor } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/auth/context.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, invalidField } from '../../platform/errors.js';
import type { SecretBox } from '../../platform/secrets.js';
import type { StoredChannelAccounts } from '../../platform/settings.js';
import * as repo from './settings.repository.js';
import { requireHq } from '../../platform/auth/guard.js';

/**
 * One group of settings saved by HQ in a transaction (serialised on the settings lock), audited as
 * entity `setting` with the group's values before and after; `save` may refuse with a field error.
 */
async function saveGroupAudited<S>(
  db: Database,
  ctx: RequestContext,
  group: string,
  find: (trx: Executor) => Promise<S>,
  save: (trx: Executor, before: S) => Promise<void>,
): Promise<S> {
  return db.transaction().execute(async (trx) => {
    await repo.lockSettings(trx);
    const before = await find(trx);
    await save(trx, before);
    const after = await find(trx);
    await recordAudit(trx, ctx, { entity: 'setting', entityId: group, action: 'update', before, after });
    return after;
  });
}

/** V8 (part): sign-in security — session idle limit, failures before lockout, lockout length. */
export const getSecuritySettings = (db: Database, _ctx: RequestContext) => repo.findSecuritySettings(db);

/** HQ only; audited as entity `setting`, id `security`, with the three values before and after. */
export async function updateSecuritySettings(
  db: Database,
  ctx: RequestContext,
  input: SecuritySettingsPatch,
) {
  requireHq(ctx, SETTINGS_HQ_ONLY);
  return saveGroupAudited(db, ctx, 'security', repo.findSecuritySettings, (trx) =>
    repo.saveSecuritySettings(trx, input),
  );
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
  requireHq(ctx, SETTINGS_HQ_ONLY);
  if (input.drop_folder) {
    const folder = input.drop_folder;
    if (!existsSync(folder) || !statSync(folder).isDirectory())
      throw new AppError(
        'validation_failed',
        `${INTAKE_LABELS.drop_folder}: پوشه «${folder}» روی سرور وجود ندارد`,
        'drop_folder',
      );
  }
  const after = await saveGroupAudited(db, ctx, 'intake', repo.findIntakeSettings, (trx) =>
    repo.saveIntakeSettings(trx, input),
  );
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
  requireHq(ctx, SETTINGS_HQ_ONLY);
  const after = await saveGroupAudited(db, ctx, 'day_run', repo.findDayRunSettings, (trx) =>
    repo.saveDayRunSettings(trx, input),
  );
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
  requireHq(ctx, SETTINGS_HQ_ONLY);
  return saveGroupAudited(db, ctx, 'notifications', repo.findNotificationSettings, async (trx, before) => {
    const merged: NotificationSettings = {
      send_window_end: input.send_window_end ?? before.send_window_end,
      contact_rules: { ...before.contact_rules, ...defined(input.contact_rules) },
      merged_message_template: input.merged_message_template ?? before.merged_message_template,
      notification_prices: { ...before.notification_prices, ...defined(input.notification_prices) },
      sms_lines: { ...before.sms_lines, ...defined(input.sms_lines) },
      sms_opt_out: { ...before.sms_opt_out, ...defined(input.sms_opt_out) },
      notification_simulator: { ...before.notification_simulator, ...defined(input.notification_simulator) },
    };
    const problem = notificationSettingsProblem(merged);
    if (problem) throw invalidField(problem.field, problem.message);
    await repo.saveNotificationSettings(trx, merged);
  });
}

/** The fields of a partial group that were given (a missing one keeps its saved value). */
function defined<T extends object>(group: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(group ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

// ---- the providers' accounts (V8; issue 5 point 7) ------------------------------------------------

/** The accounts with their secrets opened, for the channel adapters (issue 6); null = no secret set. */
export type OpenedChannelAccounts = {
  [G in keyof StoredChannelAccounts]: Omit<StoredChannelAccounts[G], 'secret_sealed'> & {
    secret: string | null;
  };
};

/**
 * The accounts as the dispatcher needs them, secrets opened. Never hand the result to a response or
 * a log. Throws when a secret cannot be opened (VOSUL_SECRET_KEY changed since it was sealed).
 */
export async function readChannelAccounts(db: Executor, secrets: SecretBox): Promise<OpenedChannelAccounts> {
  const stored = await repo.findChannelAccounts(db);
  const open = <G extends { secret_sealed: string | null }>({ secret_sealed, ...rest }: G) => ({
    ...rest,
    secret: secret_sealed === null ? null : secrets.open(secret_sealed),
  });
  return {
    sms: open(stored.sms),
    sms_backup: open(stored.sms_backup),
    email: open(stored.email),
    ivr: open(stored.ivr),
  };
}

/** HQ only (the accounts' hosts and users are no business of a province); secrets masked. */
export async function getChannelAccounts(db: Database, secrets: SecretBox, ctx: RequestContext) {
  requireHq(ctx, 'حساب‌های سرویس‌دهنده را فقط کاربران ستاد می‌بینند');
  return maskChannelAccounts(await repo.findChannelAccounts(db), secrets);
}

/**
 * Merges the given fields over the saved ones (a secret absent is kept, '' cleared, a value sealed),
 * checks that each chosen provider has its account, saves, and audits the masked before and after.
 */
export async function updateChannelAccounts(
  db: Database,
  secrets: SecretBox,
  ctx: RequestContext,
  input: ChannelAccountsPatch,
) {
  requireHq(ctx, SETTINGS_HQ_ONLY);
  const sealed = (given: string | undefined, saved: string | null) =>
    given === undefined ? saved : given === '' ? null : secrets.seal(given);
  return db.transaction().execute(async (trx) => {
    await repo.lockSettings(trx);
    const stored = await repo.findChannelAccounts(trx);
    // each group: the given fields over the saved ones, its secret sealed
    const merge = <G extends { secret_sealed: string | null }>(
      saved: G,
      given: { secret?: string } | undefined,
    ): G => {
      const { secret, ...fields } = given ?? {};
      return { ...saved, ...defined(fields), secret_sealed: sealed(secret, saved.secret_sealed) };
    };
    const merged: StoredChannelAccounts = {
      sms: merge(stored.sms, input.sms),
      sms_backup: merge(stored.sms_backup, input.sms_backup),
      email: merge(stored.email, input.email),
      ivr: merge(stored.ivr, input.ivr),
    };
    const before = maskChannelAccounts(stored, secrets);
    const after = maskChannelAccounts(merged, secrets);
    const problem = channelAccountsProblem(after);
    if (problem) throw invalidField(problem.field, problem.message);
    await repo.saveChannelAccounts(trx, merged);
    await recordAudit(trx, ctx, {
      entity: 'setting',
      entityId: 'channel_accounts',
      action: 'update',
      before,
      after,
    });
    return after;
  });
}

function maskChannelAccounts(stored: StoredChannelAccounts, secrets: SecretBox): ChannelAccounts {
  const mask = <G extends { secret_sealed: string | null }>({ secret_sealed, ...rest }: G) => ({
    ...rest,
    secret: maskSecret(secret_sealed, secrets),
  });
  return {
    sms: mask(stored.sms),
    sms_backup: mask(stored.sms_backup),
    email: mask(stored.email),
    ivr: mask(stored.ivr),
  };
}

/** Set or not, and the last 4 characters only of a secret of 8 or more (a shorter one shows none). */
function maskSecret(sealed: string | null, secrets: SecretBox): MaskedSecret {
  if (sealed === null) return { set: false, last4: null };
  let plain: string;
  try {
    plain = secrets.open(sealed);
  } catch {
    // sealed under another key: still set, but nothing of it can be shown
    return { set: true, last4: null };
  }
  return { set: true, last4: plain.length >= 8 ? `…${plain.slice(-4)}` : null };
}

const SETTINGS_HQ_ONLY = 'تغییر تنظیمات سیستم فقط برای کاربران ستاد مجاز است';

/** Issue 6 point 6: the letterhead and the pre-printed paper (HQ edits), audited as `setting` `letters`. */
export const getLetterSettings = (db: Database, _ctx: RequestContext) => repo.findLetterSettings(db);

export async function updateLetterSettings(db: Database, ctx: RequestContext, input: LetterSettingsPatch) {
  requireHq(ctx, SETTINGS_HQ_ONLY);
  return saveGroupAudited(db, ctx, 'letters', repo.findLetterSettings, (trx, before) =>
    repo.saveLetterSettings(trx, {
      ...before,
      ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)),
    }),
  );
}
