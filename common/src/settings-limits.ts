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
