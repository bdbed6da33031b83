import { z } from 'zod';
import { normalizeText, toPersianDigits } from './text.js';
import { isValidEmail } from './validators.js';
import { mergedTemplateTextSchema } from './workflows.js';
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
  manager_mail_time: 'ساعت ارسال گزارش روزانه به مدیران استان',
  payment_posting: 'ثبت پرداخت‌ها در کربنکینگ',
} as const;
export const PAYMENT_POSTINGS = ['current', 'class'] as const;
export const PAYMENT_POSTING_LABELS: Record<(typeof PAYMENT_POSTINGS)[number], string> = {
  current: 'به سرفصل جاری',
  class: 'به سرفصل طبقه (سررسید گذشته، معوق، مشکوک‌الوصول)',
};

export const dayRunSettingsSchema = z.object({
  day_run_time: z.string(),
  manager_mail_time: z.string(),
  payment_posting: z.enum(PAYMENT_POSTINGS),
});
export type DayRunSettings = z.infer<typeof dayRunSettingsSchema>;

export const dayRunSettingsPatchSchema = z
  .object({
    day_run_time: timeOfDay(DAY_RUN_SETTING_LABELS.day_run_time).optional(),
    manager_mail_time: timeOfDay(DAY_RUN_SETTING_LABELS.manager_mail_time).optional(),
    payment_posting: z
      .enum(PAYMENT_POSTINGS, { error: `${DAY_RUN_SETTING_LABELS.payment_posting} نامعتبر است` })
      .optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'دست‌کم یک تنظیم را وارد کنید');
export type DayRunSettingsPatch = z.infer<typeof dayRunSettingsPatchSchema>;

// ---- notifications (issue 5: V8, B1, B2, P5) -----------------------------------------------------

export const NOTIFICATION_SETTING_LABELS = {
  send_window_end: 'پایان ساعت ارسال',
  sms_per_day: 'سقف پیامک هر شخص در روز',
  sms_per_week: 'سقف پیامک هر شخص در هفته',
  calls_per_day: 'سقف تماس هر شخص در روز',
  calls_per_week: 'سقف تماس هر شخص در هفته',
  quiet_from: 'آغاز ساعات سکوت',
  quiet_to: 'پایان ساعات سکوت',
  merged_message_template: 'متن پیام تجمیعی',
  sms_part: 'بهای هر بخش پیامک (ریال)',
  call_minute: 'بهای هر دقیقه تماس (ریال)',
  call_minutes: 'مدت هر تماس (دقیقه)',
  advertising: 'شماره خط تبلیغاتی',
  service: 'شماره خط خدماتی',
  down: 'سرویس‌دهنده از دسترس خارج است',
  retry: 'سهم خطای موقت',
  invalid: 'سهم گیرنده نامعتبر',
  blocks_ads: 'سهم شماره‌های مسدودکننده پیامک تبلیغاتی',
  delivered: 'سهم پیامک‌های تحویل‌شده',
  failed: 'سهم پیامک‌های ناموفق',
  answered: 'سهم تماس‌های پاسخ‌داده‌شده',
  no_answer: 'سهم تماس‌های بی‌پاسخ',
  busy: 'سهم تماس‌های اشغال',
  delay_seconds: 'تأخیر گزارش تحویل (ثانیه)',
  latency_ms: 'زمان پاسخ سرویس‌دهنده (میلی‌ثانیه)',
  per_second: 'سقف ارسال در ثانیه',
  stop_reminder: 'انصراف با «۱۱» یادآوری‌ها را متوقف می‌کند',
  stop_overdue_notice: 'انصراف با «۱۱» اطلاع‌رسانی معوقات را متوقف می‌کند',
  append_text: 'افزودن «لغو۱۱» به پایان پیامک‌های اطلاع‌رسانی',
} as const;
type NotificationLabelKey = keyof typeof NOTIFICATION_SETTING_LABELS;

/** The ranges of the whole-number notification settings (the web shows and checks the same). */
export const NOTIFICATION_LIMITS = {
  sms_per_day: { min: 1, max: 100 },
  sms_per_week: { min: 1, max: 700 },
  calls_per_day: { min: 1, max: 24 },
  calls_per_week: { min: 1, max: 168 },
  sms_part: { min: 0, max: 1_000_000_000 },
  call_minute: { min: 0, max: 1_000_000_000 },
  call_minutes: { min: 1, max: 60 },
  delay_seconds: { min: 0, max: 86_400 },
  latency_ms: { min: 0, max: 60_000 },
  per_second: { min: 1, max: 100_000 },
} as const satisfies Partial<Record<NotificationLabelKey, { min: number; max: number }>>;

const wholeNumber = (key: keyof typeof NOTIFICATION_LIMITS) => {
  const { min, max } = NOTIFICATION_LIMITS[key];
  const message = `${NOTIFICATION_SETTING_LABELS[key]} باید عددی صحیح از ${toPersianDigits(min)} تا ${toPersianDigits(max)} باشد`;
  return z.number({ error: message }).int(message).min(min, message).max(max, message);
};

const share = (key: NotificationLabelKey) => {
  const message = `${NOTIFICATION_SETTING_LABELS[key]} باید عددی از ۰ تا ۱ باشد (مانند ۰٫۹۵)`;
  return z.number({ error: message }).min(0, message).max(1, message);
};

const yesNo = (key: NotificationLabelKey) =>
  z.boolean({ error: `${NOTIFICATION_SETTING_LABELS[key]} باید بله یا خیر باشد` });

/** A time of day, or '' for none (quiet hours off). */
const optionalTimeOfDay = (label: string) =>
  z.union([z.literal(''), timeOfDay(label)], { error: `${label} باید به شکل ساعت:دقیقه باشد یا خالی` });

/** An SMS sender line: digits only (any digits typed), 4–20 of them, or '' for none. */
const smsLine = (key: 'advertising' | 'service') => {
  const message = `${NOTIFICATION_SETTING_LABELS[key]} باید فقط رقم و از ۴ تا ۲۰ رقم باشد (یا خالی)`;
  return z
    .string({ error: message })
    .transform((v) => normalizeText(v).replace(/[\s-]/g, ''))
    .refine((v) => v === '' || /^\d{4,20}$/.test(v), message);
};

export const notificationSettingsSchema = z.object({
  send_window_end: z.string(),
  contact_rules: z.object({
    sms_per_day: z.number().int(),
    sms_per_week: z.number().int(),
    calls_per_day: z.number().int(),
    calls_per_week: z.number().int(),
    quiet_from: z.string(),
    quiet_to: z.string(),
  }),
  merged_message_template: z.string(),
  notification_prices: z.object({
    sms_part: z.number().int(),
    call_minute: z.number().int(),
    call_minutes: z.number().int(),
  }),
  sms_lines: z.object({ advertising: z.string(), service: z.string() }),
  sms_opt_out: z.object({
    stop_reminder: z.boolean(),
    stop_overdue_notice: z.boolean(),
    append_text: z.boolean(),
  }),
  notification_simulator: z.object({
    down: z.boolean(),
    retry: z.number(),
    invalid: z.number(),
    blocks_ads: z.number(),
    delivered: z.number(),
    failed: z.number(),
    answered: z.number(),
    no_answer: z.number(),
    busy: z.number(),
    delay_seconds: z.number().int(),
    latency_ms: z.number().int(),
    per_second: z.number().int(),
  }),
});
export type NotificationSettings = z.infer<typeof notificationSettingsSchema>;

/**
 * PATCH body: any of the groups, each with any of its fields (the rest stay as saved). Rules across
 * fields (quiet hours both or neither, a day's cap within the week's, shares summing to at most 1)
 * are checked by the server on the merged values.
 */
export const notificationSettingsPatchSchema = z
  .object({
    send_window_end: timeOfDay(NOTIFICATION_SETTING_LABELS.send_window_end).optional(),
    contact_rules: z
      .object({
        sms_per_day: wholeNumber('sms_per_day'),
        sms_per_week: wholeNumber('sms_per_week'),
        calls_per_day: wholeNumber('calls_per_day'),
        calls_per_week: wholeNumber('calls_per_week'),
        quiet_from: optionalTimeOfDay(NOTIFICATION_SETTING_LABELS.quiet_from),
        quiet_to: optionalTimeOfDay(NOTIFICATION_SETTING_LABELS.quiet_to),
      })
      .partial()
      .optional(),
    /** '' turns merging off (common/src/workflows.ts) */
    merged_message_template: mergedTemplateTextSchema.optional(),
    notification_prices: z
      .object({
        sms_part: wholeNumber('sms_part'),
        call_minute: wholeNumber('call_minute'),
        call_minutes: wholeNumber('call_minutes'),
      })
      .partial()
      .optional(),
    sms_lines: z
      .object({ advertising: smsLine('advertising'), service: smsLine('service') })
      .partial()
      .optional(),
    /** the regulator's «لغو۱۱» (issue 6 point 2); legal warnings are never stopped */
    sms_opt_out: z
      .object({
        stop_reminder: yesNo('stop_reminder'),
        stop_overdue_notice: yesNo('stop_overdue_notice'),
        append_text: yesNo('append_text'),
      })
      .partial()
      .optional(),
    notification_simulator: z
      .object({
        down: yesNo('down'),
        retry: share('retry'),
        invalid: share('invalid'),
        blocks_ads: share('blocks_ads'),
        delivered: share('delivered'),
        failed: share('failed'),
        answered: share('answered'),
        no_answer: share('no_answer'),
        busy: share('busy'),
        delay_seconds: wholeNumber('delay_seconds'),
        latency_ms: wholeNumber('latency_ms'),
        per_second: wholeNumber('per_second'),
      })
      .partial()
      .optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'دست‌کم یک تنظیم را وارد کنید');
export type NotificationSettingsPatch = z.infer<typeof notificationSettingsPatchSchema>;

/**
 * Why merged notification settings do not hold together, naming the field (`group.key`), or null:
 * quiet hours need both ends, a day's cap cannot pass the week's, outcome shares sum to at most 1.
 */
export function notificationSettingsProblem(
  s: NotificationSettings,
): { field: string; message: string } | null {
  const L = NOTIFICATION_SETTING_LABELS;
  const r = s.contact_rules;
  if ((r.quiet_from === '') !== (r.quiet_to === ''))
    return {
      field: r.quiet_from === '' ? 'contact_rules.quiet_from' : 'contact_rules.quiet_to',
      message: `${L.quiet_from} و ${L.quiet_to} هر دو لازم است (یا هر دو خالی)`,
    };
  if (r.quiet_from !== '' && r.quiet_from === r.quiet_to)
    return { field: 'contact_rules.quiet_to', message: `${L.quiet_to} نباید با ${L.quiet_from} یکی باشد` };
  if (r.sms_per_day > r.sms_per_week)
    return {
      field: 'contact_rules.sms_per_week',
      message: `${L.sms_per_week} نباید از ${L.sms_per_day} کمتر باشد`,
    };
  if (r.calls_per_day > r.calls_per_week)
    return {
      field: 'contact_rules.calls_per_week',
      message: `${L.calls_per_week} نباید از ${L.calls_per_day} کمتر باشد`,
    };
  const sim = s.notification_simulator;
  const over = (a: number, b: number, c = 0) => a + b + c > 1 + 1e-9;
  if (over(sim.invalid, sim.retry))
    return {
      field: 'notification_simulator.retry',
      message: `جمع ${L.invalid} و ${L.retry} نباید از ۱ بیشتر باشد`,
    };
  if (over(sim.delivered, sim.failed))
    return {
      field: 'notification_simulator.failed',
      message: `جمع ${L.delivered} و ${L.failed} نباید از ۱ بیشتر باشد (باقی‌مانده منقضی می‌شود)`,
    };
  if (over(sim.answered, sim.no_answer, sim.busy))
    return {
      field: 'notification_simulator.busy',
      message: `جمع سهم تماس‌های پاسخ‌داده‌شده، بی‌پاسخ و اشغال نباید از ۱ بیشتر باشد (باقی‌مانده رد می‌شود)`,
    };
  return null;
}

// ---- provider accounts of the channels (V8; issue 5 point 7, issue 6 adds the real adapters) -------

export const SMS_PROVIDERS = ['simulator', 'kavenegar', 'smpp'] as const;
export const SMS_PROVIDER_LABELS: Record<(typeof SMS_PROVIDERS)[number], string> = {
  simulator: 'شبیه‌ساز',
  kavenegar: 'کاوه‌نگار (REST)',
  smpp: 'مرکز پیامک (SMPP)',
};
/** The second SMS provider (failover, issue 6 point 3): none, or a real one. */
export const SMS_BACKUP_PROVIDERS = ['none', 'kavenegar', 'smpp'] as const;
export const SMS_BACKUP_PROVIDER_LABELS: Record<(typeof SMS_BACKUP_PROVIDERS)[number], string> = {
  none: 'ندارد',
  kavenegar: SMS_PROVIDER_LABELS.kavenegar,
  smpp: SMS_PROVIDER_LABELS.smpp,
};
export const SMTP_SECURITIES = ['none', 'starttls', 'tls'] as const;
export const SMTP_SECURITY_LABELS: Record<(typeof SMTP_SECURITIES)[number], string> = {
  none: 'بدون رمزنگاری',
  starttls: 'STARTTLS',
  tls: 'TLS',
};
export const IVR_PROVIDERS = ['simulator', 'kavenegar_tts', 'asterisk_ari'] as const;
export const IVR_PROVIDER_LABELS: Record<(typeof IVR_PROVIDERS)[number], string> = {
  simulator: 'شبیه‌ساز',
  kavenegar_tts: 'تماس متن‌به‌گفتار کاوه‌نگار',
  asterisk_ari: 'مرکز تلفن Asterisk (ARI)',
};

export const CHANNEL_ACCOUNT_LABELS = {
  sms: {
    provider: 'سرویس‌دهنده پیامک',
    line: 'شماره خط ارسال پیامک',
    username: 'نام کاربری پیامک',
    secret: 'گذرواژه یا کلید API پیامک',
    host: 'نشانی مرکز پیامک (SMPP)',
    port: 'درگاه مرکز پیامک (SMPP)',
    system_type: 'نوع سامانه (system type)',
    api_url: 'نشانی وب‌سرویس پیامک (خالی: نشانی رسمی کاوه‌نگار)',
  },
  sms_backup: {
    provider: 'سرویس‌دهنده دوم پیامک',
    line: 'شماره خط سرویس‌دهنده دوم',
    username: 'نام کاربری سرویس‌دهنده دوم',
    secret: 'گذرواژه یا کلید API سرویس‌دهنده دوم',
    host: 'نشانی مرکز پیامک دوم (SMPP)',
    port: 'درگاه مرکز پیامک دوم (SMPP)',
    system_type: 'نوع سامانه سرویس‌دهنده دوم',
    api_url: 'نشانی وب‌سرویس سرویس‌دهنده دوم (خالی: نشانی رسمی کاوه‌نگار)',
  },
  email: {
    from: 'نشانی فرستنده پست الکترونیک',
    host: 'نشانی سرور SMTP',
    port: 'درگاه سرور SMTP',
    security: 'رمزنگاری اتصال SMTP',
    username: 'نام کاربری SMTP',
    secret: 'گذرواژه SMTP',
  },
  ivr: {
    number: 'شماره سامانه تلفن گویا',
    provider: 'سرویس‌دهنده تماس تلفنی',
    ari_url: 'نشانی ARI',
    ari_app: 'نام برنامه Stasis در ARI',
    ari_endpoint: 'مقصد تماس در Asterisk',
    ari_media_url: 'نشانی وصول از دید مرکز تلفن',
    username: 'نام کاربری ARI یا سرویس‌دهنده',
    secret: 'گذرواژه یا کلید API تماس',
    api_url: 'نشانی وب‌سرویس تماس (خالی: نشانی رسمی کاوه‌نگار)',
  },
} as const;

/** A stored secret as it is shown back: whether it is set, and at most its last 4 characters. */
export const maskedSecretSchema = z.object({ set: z.boolean(), last4: z.string().nullable() });
export type MaskedSecret = z.infer<typeof maskedSecretSchema>;

const smsAccountFields = {
  line: z.string(),
  username: z.string(),
  secret: maskedSecretSchema,
  host: z.string(),
  port: z.number().int().nullable(),
  system_type: z.string(),
  api_url: z.string(),
};

export const channelAccountsSchema = z.object({
  sms: z.object({ provider: z.enum(SMS_PROVIDERS), ...smsAccountFields }),
  sms_backup: z.object({ provider: z.enum(SMS_BACKUP_PROVIDERS), ...smsAccountFields }),
  email: z.object({
    from: z.string(),
    host: z.string(),
    port: z.number().int().nullable(),
    security: z.enum(SMTP_SECURITIES),
    username: z.string(),
    secret: maskedSecretSchema,
  }),
  ivr: z.object({
    number: z.string(),
    provider: z.enum(IVR_PROVIDERS),
    ari_url: z.string(),
    ari_app: z.string(),
    ari_endpoint: z.string(),
    ari_media_url: z.string(),
    username: z.string(),
    secret: maskedSecretSchema,
    api_url: z.string(),
  }),
});
/** The accounts as GET answers them (secrets masked). */
export type ChannelAccounts = z.infer<typeof channelAccountsSchema>;

const invalidChoice = (label: string) => ({ error: `${label} نامعتبر است` });

/** Trimmed text of at most `max` characters, in any digits; the message names the field. */
const plainText = (label: string, max: number) => {
  const message = `${label} حداکثر ${toPersianDigits(max)} نویسه است`;
  return z
    .string({ error: `${label} باید متن باشد` })
    .transform((v) => normalizeText(v))
    .refine((v) => v.length <= max, message);
};

/** Digits only (any digits typed, spaces and dashes dropped), `min`–`max` of them, or '' for none. */
const digitsText = (label: string, min: number, max: number) => {
  const message = `${label} باید فقط رقم و از ${toPersianDigits(min)} تا ${toPersianDigits(max)} رقم باشد (یا خالی)`;
  return z
    .string({ error: message })
    .transform((v) => normalizeText(v).replace(/[\s-]/g, ''))
    .refine((v) => v === '' || new RegExp(`^\\d{${min},${max}}$`).test(v), message);
};

/** A host name or IP address (no scheme, no port), or '' for none. */
const hostText = (label: string) => {
  const message = `${label} باید نام میزبان یا نشانی IP باشد (مانند smtp.bank.ir یا 10.0.0.5)، بدون http و درگاه`;
  return z
    .string({ error: message })
    .transform((v) => normalizeText(v))
    .refine(
      (v) => v === '' || (v.length <= 253 && /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(v)),
      message,
    );
};

/** A TCP port 1–65535, or null for none. */
const portNumber = (label: string) => {
  const message = `${label} باید عددی صحیح از ۱ تا ۶۵۵۳۵ باشد`;
  return z.number({ error: message }).int(message).min(1, message).max(65_535, message).nullable();
};

/**
 * A secret in a PATCH: absent keeps the stored one, '' clears it, any other text replaces it. Only
 * trimmed (a pasted key often ends in a newline); never normalised, since its digits are its own.
 */
const secretText = (label: string) =>
  z
    .string({ error: `${label} باید متن باشد` })
    .transform((v) => v.trim())
    .refine((v) => v.length <= 500, `${label} حداکثر ۵۰۰ نویسه است`);

const emailText = (label: string) => {
  const message = `${label} معتبر نیست (مانند collection@bank.ir)`;
  return z
    .string({ error: message })
    .transform((v) => normalizeText(v))
    .refine((v) => v === '' || (v.length <= 254 && isValidEmail(v)), message);
};

const httpUrlText = (label: string, example = 'http://10.0.0.5:8088/ari') => {
  const message = `${label} باید نشانی کامل http یا https باشد (مانند ${example})`;
  return z
    .string({ error: message })
    .transform((v) => normalizeText(v))
    .refine((v) => v === '' || (v.length <= 500 && isHttpUrl(v)), message);
};

/** A Stasis application's name: Latin letters, digits, '-', '_' (it goes into ARI's URLs), or ''. */
const ariAppText = (label: string) => {
  const message = `${label} فقط حروف لاتین، رقم، - و _ است (حداکثر ۵۰ نویسه، مانند vosul)`;
  return z
    .string({ error: message })
    .transform((v) => normalizeText(v))
    .refine((v) => v === '' || /^[A-Za-z0-9_-]{1,50}$/.test(v), message);
};

/**
 * Where Asterisk dials: a channel technology and resource with `{number}` where the called number
 * goes (PJSIP/{number}@trunk, SIP/trunk/{number}, Local/{number}@outbound), or ''.
 */
const ariEndpointText = (label: string) => {
  const message = `${label} باید مانند PJSIP/{number}@trunk باشد و {number} جای شماره را نشان دهد`;
  return z
    .string({ error: message })
    .transform((v) => normalizeText(v))
    .refine(
      (v) => v === '' || (v.length <= 200 && /^[A-Za-z0-9]+\/[^\s]*\{number\}[^\s]*$/.test(v)),
      message,
    );
};

/** The endpoint to dial for `number` (the account's template with `{number}` replaced). */
export const ariEndpointFor = (template: string, number: string) => template.replaceAll('{number}', number);

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

const S = CHANNEL_ACCOUNT_LABELS.sms;
const SB = CHANNEL_ACCOUNT_LABELS.sms_backup;
const E = CHANNEL_ACCOUNT_LABELS.email;
const I = CHANNEL_ACCOUNT_LABELS.ivr;

/** An SMS account's fields in a PATCH (the first provider's or the second's), each error naming it. */
const smsAccountPatch = (labels: typeof S | typeof SB) => ({
  line: digitsText(labels.line, 4, 20),
  username: plainText(labels.username, 100),
  secret: secretText(labels.secret),
  host: hostText(labels.host),
  port: portNumber(labels.port),
  // SMPP v3.4: system_type is a C-octet string of at most 13 octets with its terminating NUL
  system_type: plainText(labels.system_type, 12),
  api_url: httpUrlText(labels.api_url),
});

/**
 * PATCH body: any of the groups, each with any of its fields (the rest stay as saved). A secret
 * absent is kept, '' clears it, a value replaces it. What a chosen provider needs is checked by the
 * server on the merged values (channelAccountsProblem).
 */
export const channelAccountsPatchSchema = z
  .object({
    sms: z
      .object({ provider: z.enum(SMS_PROVIDERS, invalidChoice(S.provider)), ...smsAccountPatch(S) })
      .partial()
      .optional(),
    sms_backup: z
      .object({ provider: z.enum(SMS_BACKUP_PROVIDERS, invalidChoice(SB.provider)), ...smsAccountPatch(SB) })
      .partial()
      .optional(),
    email: z
      .object({
        from: emailText(E.from),
        host: hostText(E.host),
        port: portNumber(E.port),
        security: z.enum(SMTP_SECURITIES, invalidChoice(E.security)),
        username: plainText(E.username, 200),
        secret: secretText(E.secret),
      })
      .partial()
      .optional(),
    ivr: z
      .object({
        number: digitsText(I.number, 3, 20),
        provider: z.enum(IVR_PROVIDERS, invalidChoice(I.provider)),
        ari_url: httpUrlText(I.ari_url),
        ari_app: ariAppText(I.ari_app),
        ari_endpoint: ariEndpointText(I.ari_endpoint),
        // the recordings' addresses are made by appending to it, and ARI splits its media on commas
        ari_media_url: httpUrlText(I.ari_media_url, 'http://10.0.0.9:3000').refine(
          (v) => !/[?#,]/.test(v),
          `${I.ari_media_url} نشانی پایه است و ? و # و ویرگول ندارد (مانند http://10.0.0.9:3000)`,
        ),
        username: plainText(I.username, 100),
        secret: secretText(I.secret),
        api_url: httpUrlText(I.api_url),
      })
      .partial()
      .optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'دست‌کم یک تنظیم را وارد کنید');
export type ChannelAccountsPatch = z.infer<typeof channelAccountsPatchSchema>;

/**
 * Why merged accounts cannot work, naming the field (`group.key`), or null: a real provider needs
 * its account (the simulator needs none), and an SMTP server needs its sender and port.
 */
export function channelAccountsProblem(a: ChannelAccounts): { field: string; message: string } | null {
  const need = (field: string, label: string, what: string) => ({
    field,
    message: `${label} برای ${what} لازم است`,
  });
  const sms = SMS_PROVIDER_LABELS[a.sms.provider];
  if (a.sms.provider !== 'simulator') {
    if (!a.sms.line) return need('sms.line', S.line, sms);
    if (!a.sms.secret.set) return need('sms.secret', S.secret, sms);
  }
  if (a.sms.provider === 'smpp') {
    if (!a.sms.host) return need('sms.host', S.host, sms);
    if (a.sms.port === null) return need('sms.port', S.port, sms);
    if (!a.sms.username) return need('sms.username', S.username, sms);
  }
  const b = a.sms_backup;
  if (b.provider !== 'none') {
    const backup = `${SMS_BACKUP_PROVIDER_LABELS[b.provider]} (سرویس‌دهنده دوم)`;
    if (a.sms.provider === 'simulator')
      return {
        field: 'sms_backup.provider',
        message: 'سرویس‌دهنده دوم پیامک فقط همراه یک سرویس‌دهنده اول واقعی (نه شبیه‌ساز) به کار می‌رود',
      };
    if (!b.line) return need('sms_backup.line', SB.line, backup);
    if (!b.secret.set) return need('sms_backup.secret', SB.secret, backup);
    if (b.provider === 'smpp') {
      if (!b.host) return need('sms_backup.host', SB.host, backup);
      if (b.port === null) return need('sms_backup.port', SB.port, backup);
      if (!b.username) return need('sms_backup.username', SB.username, backup);
    }
  }
  if (a.email.host || a.email.from || a.email.username || a.email.secret.set) {
    const smtp = 'ارسال پست الکترونیک';
    if (!a.email.host) return need('email.host', E.host, smtp);
    if (a.email.port === null) return need('email.port', E.port, smtp);
    if (!a.email.from) return need('email.from', E.from, smtp);
    if (a.email.secret.set && !a.email.username) return need('email.username', E.username, smtp);
  }
  const ivr = IVR_PROVIDER_LABELS[a.ivr.provider];
  if (a.ivr.provider !== 'simulator' && !a.ivr.secret.set) return need('ivr.secret', I.secret, ivr);
  if (a.ivr.provider === 'kavenegar_tts' && !a.ivr.number) return need('ivr.number', I.number, ivr);
  if (a.ivr.provider === 'asterisk_ari') {
    if (!a.ivr.ari_url) return need('ivr.ari_url', I.ari_url, ivr);
    if (!a.ivr.username) return need('ivr.username', I.username, ivr);
    if (!a.ivr.ari_app) return need('ivr.ari_app', I.ari_app, ivr);
    if (!a.ivr.ari_endpoint) return need('ivr.ari_endpoint', I.ari_endpoint, ivr);
  }
  return null;
}

/** "Test connection" of a provider account (V8; issue 6 point 7): what the provider answered. */
export const CHANNEL_ACCOUNT_GROUPS = ['sms', 'sms_backup', 'email', 'ivr'] as const;
export const channelTestInputSchema = z.object({
  group: z.enum(CHANNEL_ACCOUNT_GROUPS, { error: 'حساب مورد آزمون نامعتبر است' }),
});
export const channelTestResultSchema = z.object({
  ok: z.boolean(),
  provider: z.string(),
  message: z.string(),
});
export type ChannelTestResult = z.infer<typeof channelTestResultSchema>;

/** A provider as the pages name it (the names kept on each message sent; `simulator-sms` …). */
export function providerLabel(provider: string | null): string {
  if (!provider) return '';
  if (provider.startsWith('simulator')) return SMS_PROVIDER_LABELS.simulator;
  const labels: Record<string, string> = {
    ...SMS_PROVIDER_LABELS,
    ...IVR_PROVIDER_LABELS,
    kavenegar_2: `${SMS_PROVIDER_LABELS.kavenegar} — سرویس‌دهنده دوم`,
    smpp_2: `${SMS_PROVIDER_LABELS.smpp} — سرویس‌دهنده دوم`,
    smtp: 'سرور SMTP',
  };
  return labels[provider] ?? provider;
}
