/**
 * Province managers (V7, اطلاعات مدیر استان): each province's manager — name, e-mail, mobile — and
 * whether the daily activity mail (what was imported, planned, sent, delivered, followed up in the
 * province) is e-mailed to them.
 */
import { z } from 'zod';
import { listQuerySchema } from './list.js';
import { requiredText } from './org.js';
import { emailField, mobileField } from './users.js';

export const PROVINCE_MANAGER_LABELS = {
  province_name: 'استان',
  manager_name: 'نام مدیر استان',
  email: 'پست الکترونیک مدیر',
  mobile: 'تلفن همراه مدیر',
  daily_mail: 'ارسال گزارش روزانه',
  last_mail: 'آخرین گزارش روزانه',
} as const;

export const DAILY_MAIL_NEEDS_EMAIL = 'برای ارسال گزارش روزانه، پست الکترونیک مدیر را وارد کنید';

/** How a day's mail to a manager ended (one row per province and business date). */
export const MANAGER_MAIL_STATUSES = {
  sent: 'ارسال‌شده',
  no_smtp: 'ارسال نشد: حساب پست الکترونیک تنظیم نشده',
  failed: 'ناموفق',
} as const;
export type ManagerMailStatus = keyof typeof MANAGER_MAIL_STATUSES;
const MAIL_STATUS_KEYS = Object.keys(MANAGER_MAIL_STATUSES) as [ManagerMailStatus, ...ManagerMailStatus[]];

export const provinceManagerInputSchema = z
  .object({
    manager_name: requiredText(100, PROVINCE_MANAGER_LABELS.manager_name),
    email: emailField,
    mobile: mobileField,
    daily_mail: z.boolean({ error: `${PROVINCE_MANAGER_LABELS.daily_mail} را مشخص کنید` }),
    /** the version the editor loaded; 0 when the province had no manager yet */
    version: z.number({ error: 'نسخه رکورد لازم است' }).int().min(0),
  })
  .superRefine((v, ctx) => {
    if (v.daily_mail && !v.email)
      ctx.addIssue({ code: 'custom', path: ['email'], message: DAILY_MAIL_NEEDS_EMAIL });
  });
export type ProvinceManagerInput = z.infer<typeof provinceManagerInputSchema>;

export const provinceManagerSchema = z.object({
  /** the province's id (the page has one row per province) */
  id: z.number().int(),
  province_code: z.string(),
  province_name: z.string(),
  /** null: no manager recorded for the province yet */
  manager_name: z.string().nullable(),
  email: z.string().nullable(),
  mobile: z.string().nullable(),
  daily_mail: z.boolean(),
  /** the last daily mail: its business date, how it ended and why (a failure's reason) */
  last_mail_date: z.string().nullable(),
  last_mail_status: z.enum(MAIL_STATUS_KEYS).nullable(),
  last_mail_error: z.string().nullable(),
  updated_by_name: z.string().nullable(),
  updated_at: z.string().nullable(),
  /** 0 while no manager is recorded */
  version: z.number().int(),
});
export type ProvinceManager = z.infer<typeof provinceManagerSchema>;

export const provinceManagerListQuerySchema = listQuerySchema;
