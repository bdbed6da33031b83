import { z } from 'zod';
import { isoDateParam } from './audit.js';
import { CBI_CLASS_KEYS } from './cases-labels.js';
import { listQuerySchema } from './list.js';

/**
 * The daily run (issue 4): its runs (from the command line, the page or the schedule), the vouchers
 * it issues (interchange.md, "Vouchers") and each facility's class history.
 */

export const DAY_RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'refused'] as const;
export const DAY_RUN_STATUS_LABELS: Record<(typeof DAY_RUN_STATUSES)[number], string> = {
  queued: 'در صف',
  running: 'در حال اجرا',
  succeeded: 'انجام شد',
  failed: 'ناموفق',
  refused: 'رد شد',
};
export const DAY_RUN_KINDS = ['forward', 'latest', 'what_if'] as const;
export const DAY_RUN_KIND_LABELS: Record<(typeof DAY_RUN_KINDS)[number], string> = {
  forward: 'روز جدید',
  latest: 'تکمیل آخرین روز',
  what_if: 'محاسبه روز گذشته (بدون سند)',
};
export const DAY_RUN_SOURCES = ['cli', 'ui', 'schedule'] as const;
export const DAY_RUN_SOURCE_LABELS: Record<(typeof DAY_RUN_SOURCES)[number], string> = {
  cli: 'خط فرمان',
  ui: 'کاربر',
  schedule: 'زمان‌بندی روزانه',
};

export const dayRunSchema = z.object({
  id: z.string(),
  business_date: z.string(),
  kind: z.enum(DAY_RUN_KINDS).nullable(),
  source: z.enum(DAY_RUN_SOURCES),
  status: z.enum(DAY_RUN_STATUSES),
  opening_vouchers: z.boolean(),
  started_by_name: z.string().nullable(),
  queued_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  seconds: z.number().nullable(),
  progress: z.number(),
  stage: z.string().nullable(),
  facilities: z.number().int().nullable(),
  class_changes: z.number().int().nullable(),
  vouchers: z.number().int().nullable(),
  message: z.string().nullable(),
});
export type DayRun = z.infer<typeof dayRunSchema>;

export const dayRunQuerySchema = listQuerySchema.extend({
  status: z.enum(DAY_RUN_STATUSES).optional(),
  from: isoDateParam('تاریخ شروع').optional(),
  to: isoDateParam('تاریخ پایان').optional(),
});
export type DayRunQuery = z.infer<typeof dayRunQuerySchema>;

/** Start a run from the page: the business date (today when absent). */
export const startDayRunSchema = z.object({
  date: isoDateParam('تاریخ روز کاری').optional(),
  opening_vouchers: z.boolean().default(false),
});
export type StartDayRun = z.infer<typeof startDayRunSchema>;

// ---- vouchers -------------------------------------------------------------------------------------

export const VOUCHER_KINDS = ['transfer', 'opening'] as const;
export const VOUCHER_KIND_LABELS: Record<(typeof VOUCHER_KINDS)[number], string> = {
  transfer: 'انتقال بین سرفصل‌ها',
  opening: 'مانده افتتاحیه',
};

export const voucherLineSchema = z.object({
  head: z.string(),
  class: z.enum(CBI_CLASS_KEYS),
  debit: z.string(),
  credit: z.string(),
});

/** interchange.md: `{"id","facility_no","date","lines":[{"head","class","debit","credit"}]}`, extended. */
export const voucherSchema = z.object({
  id: z.string(),
  facility_no: z.string(),
  date: z.string(),
  lines: z.array(voucherLineSchema),
  kind: z.enum(VOUCHER_KINDS),
  branch_code: z.string(),
  exported_at: z.string().nullable(),
});
export type Voucher = z.infer<typeof voucherSchema>;

export const voucherQuerySchema = z.object({
  facility_no: z.string().max(60).optional(),
  date: isoDateParam('تاریخ سند').optional(),
  from: isoDateParam('تاریخ شروع').optional(),
  to: isoDateParam('تاریخ پایان').optional(),
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(500).default(20),
});
export type VoucherQuery = z.infer<typeof voucherQuerySchema>;

// ---- a facility's class history (P7) ------------------------------------------------------------

export const classChangeSchema = z.object({
  business_date: z.string(),
  from_class: z.enum(CBI_CLASS_KEYS).nullable(),
  to_class: z.enum(CBI_CLASS_KEYS),
  overdue_days: z.number().int(),
});
export type ClassChange = z.infer<typeof classChangeSchema>;
