import { z } from 'zod';
import { isoDateParam } from './audit.js';
import { INTAKE_RUN_STATUSES, INTAKE_SOURCES } from './intake-labels.js';

/**
 * Intake runs (V24): every import of a core-banking snapshot — uploaded on the intake report page,
 * picked up from the drop folder on schedule, or run from the command line — with its outcome.
 */
export * from './intake-labels.js';

export const intakeFileCountSchema = z.object({
  file: z.string(),
  read: z.number().int().nullable(),
  loaded: z.number().int().nullable(),
  rejected: z.number().int(),
});
export type IntakeFileCount = z.infer<typeof intakeFileCountSchema>;

export const intakeRunSchema = z.object({
  id: z.string(),
  as_of: z.string(),
  source: z.enum(INTAKE_SOURCES),
  status: z.enum(INTAKE_RUN_STATUSES),
  forced: z.boolean(),
  original_name: z.string().nullable(),
  uploaded_by_name: z.string().nullable(),
  queued_at: z.string(),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  seconds: z.number().nullable(),
  retries: z.number().int(),
  max_retries: z.number().int(),
  next_attempt_at: z.string().nullable(),
  progress: z.number(),
  stage: z.string().nullable(),
  refusal: z.string().nullable(),
  message: z.string().nullable(),
  files: z.array(intakeFileCountSchema),
  rejects: z.number().int(),
  closed: z.number().int(),
});
export type IntakeRun = z.infer<typeof intakeRunSchema>;

const intakeRunFilterShape = {
  from: isoDateParam('تاریخ شروع').optional(),
  to: isoDateParam('تاریخ پایان').optional(),
  status: z.enum(INTAKE_RUN_STATUSES, { error: 'وضعیت اجرا معتبر نیست' }).optional(),
  source: z.enum(INTAKE_SOURCES, { error: 'منبع اجرا معتبر نیست' }).optional(),
};

function checkDateRange(value: { from?: string | undefined; to?: string | undefined }, ctx: z.RefinementCtx) {
  if (value.from && value.to && value.from > value.to) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'تاریخ پایان نباید پیش از تاریخ شروع باشد' });
  }
}

export const intakeRunFilterSchema = z.object(intakeRunFilterShape).superRefine(checkDateRange);
export type IntakeRunFilter = z.infer<typeof intakeRunFilterSchema>;
export const intakeRunQuerySchema = z
  .object({
    ...intakeRunFilterShape,
    page: z.coerce.number().int().min(1).default(1),
    page_size: z.coerce.number().int().min(1).max(500).default(20),
    sort: z.enum(['started_at', 'as_of', 'status', 'seconds', 'rejects']).optional(),
    order: z.enum(['asc', 'desc']).default('desc'),
  })
  .superRefine(checkDateRange);
export type IntakeRunQuery = z.infer<typeof intakeRunQuerySchema>;

/** The runs that need an administrator's eye: the latest refused or failed ones since the last success. */
export const intakeAlertsSchema = z.object({ items: z.array(intakeRunSchema) });
export type IntakeAlerts = z.infer<typeof intakeAlertsSchema>;
