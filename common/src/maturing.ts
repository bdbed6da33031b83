/**
 * Contracts of the maturing facilities (product.md T6, تسهیلات سررسید شونده): for a branch (with or
 * without its sub-branches) and a date, the active facilities with unpaid installments falling due
 * from today's business date up to that date. Amounts are strings of digits, dates `YYYY-MM-DD`.
 */
import { z } from 'zod';
import { isoDateParam } from './audit.js';
import { listQuerySchema } from './list.js';
import { FACILITY_STATUSES } from './cases-labels.js';

const FACILITY_STATUS_KEYS = Object.keys(FACILITY_STATUSES) as [
  keyof typeof FACILITY_STATUSES,
  ...(keyof typeof FACILITY_STATUSES)[],
];

/** A query flag as the address carries it (`true`/`false`, `1`/`0`); absent is false. */
const queryFlag = z
  .enum(['true', 'false', '1', '0'], { error: 'مقدار «با زیرشعبه‌ها» باید true یا false باشد' })
  .optional()
  .transform((v) => v === 'true' || v === '1');

/**
 * The list's filter. `until` must be today or later (checked by the server against its business
 * date); `branch_id` is required of HQ and province users, a branch user's own branch otherwise.
 */
export const maturingQuerySchema = listQuerySchema.omit({ q: true }).extend({
  until: z.string({ error: 'تاریخ سررسید را وارد کنید' }).pipe(isoDateParam('تاریخ سررسید')),
  branch_id: z.coerce
    .number({ error: 'شعبه باید شناسه عددی باشد' })
    .int()
    .positive('شعبه را انتخاب کنید')
    .optional(),
  include_sub_branches: queryFlag,
});
export type MaturingQuery = z.infer<typeof maturingQuerySchema>;

const amount = z.string();

/** A facility with installments falling due in the window. */
export const maturingItemSchema = z.object({
  id: z.number().int(),
  facility_no: z.string(),
  customer_no: z.string(),
  customer_name: z.string(),
  branch_code: z.string(),
  branch_name: z.string(),
  loan_type_title: z.string(),
  principal: amount,
  /** From the latest daily run: null for a facility no run has computed yet. */
  collectible_amount: amount.nullable(),
  /** The unpaid parts of all its installments, as of now (not of the last run). */
  unpaid_amount: amount,
  /** The unpaid parts of the installments falling due in the window. */
  due_amount: amount,
  due_installments: z.number().int(),
  /** The first of them. */
  next_due_on: z.string(),
  status: z.enum(FACILITY_STATUS_KEYS),
  granted_on: z.string(),
  currency: z.string(),
  last_due_on: z.string(),
});
export type MaturingItem = z.infer<typeof maturingItemSchema>;

/** A branch the user may choose (the select of the page). */
export const maturingBranchSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
});
export type MaturingBranch = z.infer<typeof maturingBranchSchema>;

export const maturingBranchQuerySchema = listQuerySchema.extend({
  /** One branch by id (the label of a chosen branch after a reload). */
  id: z.coerce.number().int().positive().optional(),
});
export type MaturingBranchQuery = z.infer<typeof maturingBranchQuerySchema>;
