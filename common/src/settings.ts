import { z } from 'zod';
import { normalizeText } from './text.js';
import {
  INTAKE_LABELS,
  INTAKE_LIMITS,
  SECURITY_LIMITS,
  type IntakeLimitKey,
  type SecuritySettingKey,
} from './settings-limits.js';

export * from './settings-limits.js';

const limited = (key: SecuritySettingKey) => {
  const { min, max, label } = SECURITY_LIMITS[key];
  const message = `${label} باید عددی صحیح از ${min} تا ${max} باشد`;
  return z.number({ error: message }).int(message).min(min, message).max(max, message);
};

export const securitySettingsSchema = z.object({
  session_idle_minutes: z.number().int(),
  login_max_failures: z.number().int(),
  login_lockout_minutes: z.number().int(),
});
export type SecuritySettings = z.infer<typeof securitySettingsSchema>;

/** PATCH body: any of the three, each within its range. */
export const securitySettingsPatchSchema = z
  .object({
    session_idle_minutes: limited('session_idle_minutes').optional(),
    login_max_failures: limited('login_max_failures').optional(),
    login_lockout_minutes: limited('login_lockout_minutes').optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'دست‌کم یک تنظیم را وارد کنید');
export type SecuritySettingsPatch = z.infer<typeof securitySettingsPatchSchema>;

// ---- intake from the core banking system (V24) ---------------------------------------------------

const intakeLimited = (key: IntakeLimitKey) => {
  const { min, max, label } = INTAKE_LIMITS[key];
  const message = `${label} باید عددی صحیح از ${min} تا ${max} باشد`;
  return z.number({ error: message }).int(message).min(min, message).max(max, message);
};

export const intakeSettingsSchema = z.object({
  drop_folder: z.string(),
  daily_time: z.string(),
  retry_count: z.number().int(),
  retry_delay_minutes: z.number().int(),
});
export type IntakeSettings = z.infer<typeof intakeSettingsSchema>;

const dropFolderMessage = `${INTAKE_LABELS.drop_folder} باید مسیر کامل پوشه‌ای روی سرور باشد (مانند /srv/vosul/drop) یا خالی`;
/** A time of day HH:MM (a single-digit hour is padded), in any digits; the message names the field. */
const timeOfDay = (label: string) => {
  const message = `${label} باید به شکل ساعت:دقیقه (مانند ۰۲:۳۰) باشد`;
  return z
    .string({ error: message })
    .transform((v) => normalizeText(v).trim())
    .transform((v) => (/^\d:\d\d$/.test(v) ? `0${v}` : v))
    .refine((v) => /^([01]\d|2[0-3]):[0-5]\d$/.test(v), message);
};

/** PATCH body: any of the four; the folder an absolute path (or empty: no scheduled intake). */
export const intakeSettingsPatchSchema = z
  .object({
    drop_folder: z
      .string({ error: dropFolderMessage })
      .max(500, dropFolderMessage)
      .transform((v) => normalizeText(v).trim())
      .refine((v) => v === '' || /^(\/|[A-Za-z]:[\\/])/.test(v), dropFolderMessage)
      .refine((v) => !v.split(/[\\/]/).includes('..'), dropFolderMessage)
      .optional(),
    daily_time: timeOfDay(INTAKE_LABELS.daily_time).optional(),
    retry_count: intakeLimited('retry_count').optional(),
    retry_delay_minutes: intakeLimited('retry_delay_minutes').optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'دست‌کم یک تنظیم را وارد کنید');
export type IntakeSettingsPatch = z.infer<typeof intakeSettingsPatchSchema>;

// ---- the daily run (issue 4) ---------------------------------------------------------------------

export const DAY_RUN_SETTING_LABELS = {
  day_run_time: 'ساعت اجرای روزانه',
  payment_posting: 'ثبت پرداخت‌ها در کربنکینگ',
} as const;
export const PAYMENT_POSTINGS = ['current', 'class'] as const;
export const PAYMENT_POSTING_LABELS: Record<(typeof PAYMENT_POSTINGS)[number], string> = {
  current: 'به سرفصل جاری',
  class: 'به سرفصل طبقه (سررسید گذشته، معوق، مشکوک‌الوصول)',
};

export const dayRunSettingsSchema = z.object({
  day_run_time: z.string(),
  payment_posting: z.enum(PAYMENT_POSTINGS),
});
export type DayRunSettings = z.infer<typeof dayRunSettingsSchema>;

export const dayRunSettingsPatchSchema = z
  .object({
    day_run_time: timeOfDay(DAY_RUN_SETTING_LABELS.day_run_time).optional(),
    payment_posting: z
      .enum(PAYMENT_POSTINGS, { error: `${DAY_RUN_SETTING_LABELS.payment_posting} نامعتبر است` })
      .optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'دست‌کم یک تنظیم را وارد کنید');
export type DayRunSettingsPatch = z.infer<typeof dayRunSettingsPatchSchema>;
