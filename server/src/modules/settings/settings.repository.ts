import type { IntakeSettings, SecuritySettings } from '@vosul/common';
import type { DayRunSettings, NotificationSettings } from '@vosul/common/settings';
import type { LetterSettings } from '@vosul/common/letters';
import type { Executor } from '../../platform/db/database.js';
import {
  SETTING_DEFAULTS,
  readSetting,
  writeSetting,
  type StoredChannelAccounts,
} from '../../platform/settings.js';

const SECURITY_KEYS = ['session_idle_minutes', 'login_max_failures', 'login_lockout_minutes'] as const;

/** The sign-in settings as stored (defaults where never set). */
export async function findSecuritySettings(db: Executor): Promise<SecuritySettings> {
  const [session_idle_minutes, login_max_failures, login_lockout_minutes] = await Promise.all(
    SECURITY_KEYS.map((key) => readSetting(db, key)),
  );
  return {
    session_idle_minutes: Number(session_idle_minutes),
    login_max_failures: Number(login_max_failures),
    login_lockout_minutes: Number(login_lockout_minutes),
  };
}

/** Serialises concurrent edits of the settings (one writer at a time, inside the caller's transaction). */
export async function lockSettings(db: Executor): Promise<void> {
  await db.selectNoFrom((eb) => eb.fn('pg_advisory_xact_lock', [eb.val(7_446_002)]).as('locked')).execute();
}

export async function saveSecuritySettings(db: Executor, values: Partial<SecuritySettings>): Promise<void> {
  for (const key of SECURITY_KEYS) {
    const value = values[key];
    if (value !== undefined) await writeSetting(db, key, value as never);
  }
}

/** Intake from the core banking system (V24): drop folder, daily time, retries. */
export async function findIntakeSettings(db: Executor): Promise<IntakeSettings> {
  const [drop_folder, daily_time, retry_count, retry_delay_minutes] = await Promise.all([
    readSetting(db, 'intake_drop_folder'),
    readSetting(db, 'intake_daily_time'),
    readSetting(db, 'intake_retry_count'),
    readSetting(db, 'intake_retry_delay_minutes'),
  ]);
  return {
    drop_folder: String(drop_folder),
    daily_time: String(daily_time),
    retry_count: Number(retry_count),
    retry_delay_minutes: Number(retry_delay_minutes),
  };
}

export async function saveIntakeSettings(db: Executor, values: Partial<IntakeSettings>): Promise<void> {
  if (values.drop_folder !== undefined) await writeSetting(db, 'intake_drop_folder', values.drop_folder);
  if (values.daily_time !== undefined) await writeSetting(db, 'intake_daily_time', values.daily_time);
  if (values.retry_count !== undefined)
    await writeSetting(db, 'intake_retry_count', values.retry_count as never);
  if (values.retry_delay_minutes !== undefined)
    await writeSetting(db, 'intake_retry_delay_minutes', values.retry_delay_minutes as never);
}

/** The daily run (issue 4): its time, and the head the core banking system posts payments to. */
export async function findDayRunSettings(db: Executor): Promise<DayRunSettings> {
  const [day_run_time, manager_mail_time, payment_posting] = await Promise.all([
    readSetting(db, 'day_run_time'),
    readSetting(db, 'manager_mail_time'),
    readSetting(db, 'payment_posting'),
  ]);
  return {
    day_run_time: String(day_run_time),
    manager_mail_time: String(manager_mail_time),
    payment_posting,
  };
}

export async function saveDayRunSettings(db: Executor, values: Partial<DayRunSettings>): Promise<void> {
  if (values.day_run_time !== undefined) await writeSetting(db, 'day_run_time', values.day_run_time);
  if (values.manager_mail_time !== undefined)
    await writeSetting(db, 'manager_mail_time', values.manager_mail_time);
  if (values.payment_posting !== undefined) await writeSetting(db, 'payment_posting', values.payment_posting);
}

/** Issue 5 (V8, B1, B2, P5): send window, contact rules, merged text, prices, SMS lines, simulator. */
export async function findNotificationSettings(db: Executor): Promise<NotificationSettings> {
  const [
    send_window_end,
    contact_rules,
    merged_message_template,
    notification_prices,
    sms_lines,
    sms_opt_out,
    notification_simulator,
  ] = await Promise.all([
    readSetting(db, 'send_window_end'),
    readSetting(db, 'contact_rules'),
    readSetting(db, 'merged_message_template'),
    readSetting(db, 'notification_prices'),
    readSetting(db, 'sms_lines'),
    readSetting(db, 'sms_opt_out'),
    readSetting(db, 'notification_simulator'),
  ]);
  return {
    send_window_end,
    contact_rules,
    merged_message_template,
    notification_prices,
    sms_lines,
    sms_opt_out,
    notification_simulator,
  };
}

export async function saveNotificationSettings(db: Executor, values: NotificationSettings): Promise<void> {
  await writeSetting(db, 'send_window_end', values.send_window_end);
  await writeSetting(db, 'contact_rules', values.contact_rules);
  await writeSetting(db, 'merged_message_template', values.merged_message_template);
  await writeSetting(db, 'notification_prices', values.notification_prices);
  await writeSetting(db, 'sms_lines', values.sms_lines);
  await writeSetting(db, 'sms_opt_out', values.sms_opt_out);
  await writeSetting(db, 'notification_simulator', values.notification_simulator);
}

/** The providers' accounts as stored, secrets sealed (a group saved before a field was added reads its default). */
export async function findChannelAccounts(db: Executor): Promise<StoredChannelAccounts> {
  const stored = await readSetting(db, 'channel_accounts');
  const defaults = SETTING_DEFAULTS.channel_accounts;
  return {
    sms: { ...defaults.sms, ...stored.sms },
    sms_backup: { ...defaults.sms_backup, ...stored.sms_backup },
    email: { ...defaults.email, ...stored.email },
    ivr: { ...defaults.ivr, ...stored.ivr },
  };
}

export async function saveChannelAccounts(db: Executor, accounts: StoredChannelAccounts): Promise<void> {
  await writeSetting(db, 'channel_accounts', accounts);
}

/** Issue 6 point 6: the letterhead and the pre-printed paper's field offsets (one stored value). */
export const findLetterSettings = (db: Executor): Promise<LetterSettings> =>
  readSetting(db, 'letter_settings');

export async function saveLetterSettings(db: Executor, values: LetterSettings): Promise<void> {
  await writeSetting(db, 'letter_settings', values as never);
}
