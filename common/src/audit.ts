import { z } from 'zod';
import { dateFromIso } from './jalali.js';
import { normalizeText } from './text.js';
import { AUDIT_ACTIONS } from './audit-labels.js';

export * from './audit-labels.js';

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
