import { z } from 'zod';
import { dateFromIso } from './jalali.js';
import { normalizeText } from './text.js';

/** Record types of the audit trail (B4) with their Persian names; later modules add theirs. */
export const AUDIT_ENTITY_LABELS = {
  province: 'استان',
  branch: 'شعبه',
  user: 'کاربر',
  access_group: 'گروه دسترسی',
  loan_type: 'نوع وام',
  deposit_type: 'نوع سپرده',
  setting: 'تنظیمات',
} as const satisfies Record<string, string>;
export type AuditEntity = keyof typeof AUDIT_ENTITY_LABELS;

export const AUDIT_ACTIONS = ['create', 'update', 'delete'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export const AUDIT_ACTION_LABELS: Record<AuditAction, string> = { create: 'ایجاد', update: 'ویرایش', delete: 'حذف' };

/** The Persian name of a record type, or the type itself when it has none yet. */
export const auditEntityLabel = (entity: string): string =>
  (AUDIT_ENTITY_LABELS as Record<string, string>)[entity] ?? entity;

/** A Gregorian `YYYY-MM-DD` business date in a query (any digits); a day that does not exist is refused. */
export const isoDateParam = (label: string) =>
  z
    .string()
    .transform(normalizeText)
    .pipe(
      z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/, `${label} باید به شکل YYYY-MM-DD باشد`)
        .refine((v) => dateFromIso(v) !== null, `${label} تاریخ معتبری نیست`),
    );

const optionalQueryText = (max: number) =>
  z
    .string()
    .max(max)
    .transform(normalizeText)
    .optional()
    .transform((v) => (v ? v : undefined));

const pagingShape = {
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(500).default(20),
};

/** `from` after `to` is refused on `to`. */
function checkDateRange(value: { from?: string | undefined; to?: string | undefined }, ctx: z.RefinementCtx) {
  if (value.from && value.to && value.from > value.to) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'تاریخ پایان نباید پیش از تاریخ شروع باشد' });
  }
}

// ---- audit trail (B4) --------------------------------------------------------------------------

export const auditFilterShape = {
  user_id: z.coerce.number().int().positive().optional(),
  username: optionalQueryText(100),
  entity: optionalQueryText(50),
  entity_id: optionalQueryText(100),
  from: isoDateParam('تاریخ شروع').optional(),
  to: isoDateParam('تاریخ پایان').optional(),
  action: z.enum(AUDIT_ACTIONS).optional(),
};
/** Filters of the audit trail; `from`/`to` are business days in the configured time zone, both included. */
export const auditFilterSchema = z.object(auditFilterShape).superRefine(checkDateRange);
export type AuditFilter = z.infer<typeof auditFilterSchema>;
export const auditQuerySchema = z.object({ ...auditFilterShape, ...pagingShape }).superRefine(checkDateRange);
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const auditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  actor_user_id: z.number().int().nullable(),
  actor_username: z.string().nullable(),
  ip: z.string().nullable(),
  entity: z.string(),
  entity_id: z.string(),
  action: z.enum(AUDIT_ACTIONS),
  before: z.unknown(),
  after: z.unknown(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

// ---- login report (V28) ------------------------------------------------------------------------

/** Why a sign-in failed (written by the auth module), with the Persian labels of the report. */
export const LOGIN_FAILURE_LABELS = {
  bad_password: 'رمز نادرست',
  unknown_user: 'کاربر ناشناس',
  locked: 'حساب قفل',
  inactive: 'غیرفعال',
  ip_not_allowed: 'IP غیرمجاز',
} as const satisfies Record<string, string>;
export type LoginFailureReason = keyof typeof LOGIN_FAILURE_LABELS;

export const loginFailureLabel = (reason: string | null): string =>
  reason === null ? '' : ((LOGIN_FAILURE_LABELS as Record<string, string>)[reason] ?? reason);

export const loginEventFilterShape = {
  username: optionalQueryText(100),
  from: isoDateParam('تاریخ شروع').optional(),
  to: isoDateParam('تاریخ پایان').optional(),
  succeeded: z
    .enum(['true', 'false'], { error: 'نتیجه ورود باید true یا false باشد' })
    .transform((v) => v === 'true')
    .optional(),
  ip: optionalQueryText(100),
};
export const loginEventFilterSchema = z.object(loginEventFilterShape).superRefine(checkDateRange);
export type LoginEventFilter = z.infer<typeof loginEventFilterSchema>;
export const loginEventQuerySchema = z
  .object({ ...loginEventFilterShape, ...pagingShape })
  .superRefine(checkDateRange);
export type LoginEventQuery = z.infer<typeof loginEventQuerySchema>;

export const loginEventSchema = z.object({
  id: z.string(),
  at: z.string(),
  username: z.string(),
  user_id: z.number().int().nullable(),
  succeeded: z.boolean(),
  reason: z.string().nullable(),
  ip: z.string().nullable(),
  user_agent: z.string().nullable(),
});
export type LoginEvent = z.infer<typeof loginEventSchema>;
