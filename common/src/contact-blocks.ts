/**
 * The do-not-contact list (issue 5 point 4, B1: فهرست عدم تماس): people whose SMS, calls and e-mails
 * the planner holds back, found by national code, else by mobile, until a date or until lifted.
 */
import { z } from 'zod';
import { isoDateParam } from './audit.js';
import { listQuerySchema } from './list.js';
import { requiredText } from './org.js';
import { mobileField, nationalCodeField } from './users.js';

export const CONTACT_BLOCK_LABELS = {
  national_code: 'کد ملی',
  mobile: 'تلفن همراه',
  person_name: 'نام شخص',
  reason: 'دلیل',
  until: 'تا تاریخ',
  created_by_name: 'ثبت‌کننده',
  created_at: 'زمان ثبت',
} as const;

export const AT_LEAST_ONE_PERSON_KEY = 'کد ملی یا تلفن همراه شخص را وارد کنید';

const fields = {
  national_code: nationalCodeField,
  mobile: mobileField,
  reason: requiredText(500, CONTACT_BLOCK_LABELS.reason),
  /** the last day of the block (`YYYY-MM-DD`); null: until lifted */
  until: isoDateParam(CONTACT_BLOCK_LABELS.until)
    .nullish()
    .transform((v) => v ?? null),
};

export const contactBlockInputSchema = z.object(fields).superRefine((v, ctx) => {
  if (!v.national_code && !v.mobile)
    ctx.addIssue({ code: 'custom', path: ['national_code'], message: AT_LEAST_ONE_PERSON_KEY });
});
export type ContactBlockInput = z.infer<typeof contactBlockInputSchema>;

/** PATCH: any fields (a null clears national code, mobile or the end date), with the loaded version. */
export const contactBlockPatchSchema = z
  .object(fields)
  .partial()
  .extend({ version: z.number({ error: 'نسخه رکورد لازم است' }).int().positive() });
export type ContactBlockPatch = z.infer<typeof contactBlockPatchSchema>;

export const contactBlockSchema = z.object({
  id: z.number().int(),
  national_code: z.string().nullable(),
  mobile: z.string().nullable(),
  /** from the customers when the national code (else the mobile) is one of theirs */
  person_name: z.string(),
  reason: z.string(),
  until: z.string().nullable(),
  /** false once `until` has passed (the block no longer holds anything) */
  active: z.boolean(),
  created_by_name: z.string(),
  created_at: z.string(),
  version: z.number().int(),
});
export type ContactBlock = z.infer<typeof contactBlockSchema>;

export const contactBlockListQuerySchema = listQuerySchema;
