/**
 * Contracts of the overdue cases page (product.md V33): every facility in arrears (overdue amount
 * above zero as of the last daily run) in the user's scope, filtered, sorted and exported. Numbers
 * typed with Persian or Arabic digits are accepted; amounts are strings of digits.
 */
import { z } from 'zod';
import { CBI_CLASS_KEYS } from './cases-labels.js';
import { listQuerySchema } from './list.js';
import { normalizeText } from './text.js';

/** A whole number typed in any digits (a query parameter), or absent. */
const wholeNumber = (field: string) =>
  z
    .string()
    .max(30)
    .optional()
    .transform((value, ctx) => {
      const text = value ? normalizeText(value).replace(/[\s,٬]/g, '') : '';
      if (!text) return undefined;
      if (!/^\d{1,18}$/.test(text)) {
        ctx.addIssue({ code: 'custom', message: `${field} باید عدد صحیح نامنفی باشد` });
        return z.NEVER;
      }
      return text;
    });

/** A repeated query parameter arrives as one string or as an array of them. */
const oneOrMany = <T extends z.ZodType<string>>(item: T) =>
  z
    .union([item, z.array(item)])
    .optional()
    .transform((v) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]));

/** The sortable columns of the list (the server's whitelist). */
export const OVERDUE_SORT_KEYS = [
  'facility_no',
  'customer_no',
  'borrower_name',
  'mobile',
  'branch_code',
  'loan_type_title',
  'overdue_days',
  'overdue_installments',
  'overdue_amount',
  'penalty',
  'collectible_amount',
  'unpaid_amount',
  'cbi_class',
  'as_of',
] as const;

const overdueFilterShape = {
  branch_id: z.coerce.number().int().positive().optional(),
  /** With `branch_id`: also the branch's sub-branches (`branches.parent_id`). */
  sub_branches: z
    .enum(['true', 'false'], { error: 'زیرشعبه‌ها باید true یا false باشد' })
    .optional()
    .transform((v) => v === 'true'),
  loan_type_id: z.coerce.number().int().positive().optional(),
  cbi_class: oneOrMany(z.enum(CBI_CLASS_KEYS, { error: 'طبقه نامعتبر است' })),
  days_from: wholeNumber('روزهای معوق از'),
  days_to: wholeNumber('روزهای معوق تا'),
  amount_from: wholeNumber('مبلغ معوق از'),
  amount_to: wholeNumber('مبلغ معوق تا'),
};

export const overdueQuerySchema = listQuerySchema
  .extend({
    ...overdueFilterShape,
    sort: z.enum(OVERDUE_SORT_KEYS, { error: 'ستون مرتب‌سازی نامعتبر است' }).optional(),
    order: z.enum(['asc', 'desc']).default('desc'),
  })
  .superRefine((q, ctx) => {
    const bad = (from: string | undefined, to: string | undefined) =>
      from !== undefined && to !== undefined && BigInt(from) > BigInt(to);
    if (bad(q.days_from, q.days_to))
      ctx.addIssue({ code: 'custom', path: ['days_to'], message: 'روزهای معوق «تا» از «از» کمتر است' });
    if (bad(q.amount_from, q.amount_to))
      ctx.addIssue({ code: 'custom', path: ['amount_to'], message: 'مبلغ معوق «تا» از «از» کمتر است' });
  });
export type OverdueQuery = z.infer<typeof overdueQuerySchema>;
export type OverdueFilter = Omit<OverdueQuery, 'page' | 'page_size' | 'sort' | 'order'>;

const amount = z.string();

/** A row of the list: the facility, its borrower and branch, its figures as of the last run. */
export const overdueItemSchema = z.object({
  id: z.number().int(),
  facility_no: z.string(),
  customer_id: z.number().int(),
  customer_no: z.string(),
  borrower_name: z.string(),
  mobile: z.string().nullable(),
  branch_id: z.number().int(),
  branch_code: z.string(),
  branch_name: z.string(),
  loan_type_id: z.number().int(),
  loan_type_code: z.string(),
  loan_type_title: z.string(),
  status: z.string(),
  overdue_days: z.number().int(),
  overdue_installments: z.number().int(),
  overdue_amount: amount,
  penalty: amount,
  collectible_amount: amount,
  unpaid_amount: amount,
  /** Null for a written-off facility. */
  cbi_class: z.enum(CBI_CLASS_KEYS).nullable(),
  as_of: z.string().nullable(),
});
export type OverdueItem = z.infer<typeof overdueItemSchema>;
