import { z } from 'zod';
import { SECURITY_LIMITS, type SecuritySettingKey } from './settings-limits.js';

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
