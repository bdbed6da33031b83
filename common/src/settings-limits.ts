/**
 * The sign-in security settings (part of V8): ranges enforced by the server and shown by the web.
 * Plain constants (no Zod), so the web imports them without the contracts.
 */
export const SECURITY_LIMITS = {
  session_idle_minutes: { min: 5, max: 480, label: 'مدت بیکاری تا پایان نشست (دقیقه)' },
  login_max_failures: { min: 3, max: 20, label: 'تعداد ورود نادرست تا قفل شدن' },
  login_lockout_minutes: { min: 1, max: 1440, label: 'مدت قفل حساب (دقیقه)' },
} as const;
export type SecuritySettingKey = keyof typeof SECURITY_LIMITS;

/** Intake from the core banking system (V24): ranges and labels of the numeric settings. */
export const INTAKE_LIMITS = {
  retry_count: { min: 0, max: 10, label: 'تعداد تلاش دوباره' },
  retry_delay_minutes: { min: 0, max: 1440, label: 'فاصله تلاش دوباره (دقیقه)' },
} as const;
export type IntakeLimitKey = keyof typeof INTAKE_LIMITS;

export const INTAKE_LABELS = {
  drop_folder: 'مسیر پوشه دریافت',
  daily_time: 'ساعت دریافت روزانه',
} as const;
