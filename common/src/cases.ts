/**
 * Contracts of the cases module (product.md V15–V17, V29): a case is a customer (borrower) of a
 * branch with their facilities; each facility has installments and guarantors. Input is normalised as
 * it is parsed (Persian/Arabic digits, ي/ك, mobile and national-code forms); messages are Persian.
 * Amounts are strings of digits (interchange.md, "API conventions").
 */
import { z } from 'zod';
import { listQuerySchema } from './list.js';
import { optionalText, requiredText } from './org.js';
import { normalizeText } from './text.js';
import {
  CBI_CLASS_KEYS,
  CUSTOMER_KIND_KEYS,
  INCOMPLETE_REASON_KEYS,
  OVERRIDABLE_FIELDS,
  type OverridableField,
} from './cases-labels.js';
import { emailField, GENDER_KEYS, mobileField } from './users.js';
import { normalizeNationalCode } from './validators.js';

export * from './cases-labels.js';

// ---- field schemas -----------------------------------------------------------------------------

/** An optional value that a normaliser turns into its stored form or refuses with `message`. */
const normalised = (normalise: (v: string) => string | null, message: string) =>
  z
    .string()
    .nullish()
    .transform((value, ctx) => {
      const text = value ? normalizeText(value) : '';
      if (!text) return null;
      const stored = normalise(text);
      if (stored === null) {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      return stored;
    });

const digitsOnly = (v: string) => v.replace(/[\s\u200c\-–.()]/g, '');

export const postalCodeField = normalised(
  (v) => (/^\d{10}$/.test(digitsOnly(v)) ? digitsOnly(v) : null),
  'کد پستی باید ۱۰ رقم باشد',
);
export const phoneField = normalised(
  (v) => (/^\+?\d{4,15}$/.test(digitsOnly(v)) ? digitsOnly(v) : null),
  'شماره تلفن فقط رقم است (مانند 02188776655)',
);
const birthCertField = normalised(
  (v) => (/^\d{1,10}$/.test(v) ? v : null),
  'شماره شناسنامه فقط رقم است (حداکثر ۱۰ رقم)',
);

/** A company's 11-digit national ID (شناسه ملی) with its check digit. */
export function isValidCompanyId(code: string): boolean {
  if (!/^\d{11}$/.test(code) || /^(\d)\1{10}$/.test(code)) return false;
  const coefficients = [29, 27, 23, 19, 17, 29, 27, 23, 19, 17];
  const d = Number(code[9]) + 2;
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += (Number(code[i]) + d) * coefficients[i]!;
  const r = sum % 11;
  return Number(code[10]) === (r === 10 ? 0 : r);
}

/** A person's national code or a company's national ID, each with its check digit. */
export const nationalIdField = normalised((v) => {
  const digits = digitsOnly(v);
  if (digits.length === 11) return isValidCompanyId(digits) ? digits : null;
  return normalizeNationalCode(digits);
}, 'کد ملی معتبر نیست؛ ۱۰ رقم با رقم کنترل درست لازم است');

// ---- cases (customers) -------------------------------------------------------------------------

/** The fields of a case (V15) as the form sends them. `national_id` is a person's 10-digit national code. */
export const caseInputSchema = z.object({
  customer_no: requiredText(30, 'شماره مشتری').pipe(
    z.string().regex(/^[A-Za-z0-9_-]+$/, 'شماره مشتری فقط رقم و حروف لاتین است'),
  ),
  branch_id: z.number({ error: 'شعبه را انتخاب کنید' }).int().positive(),
  first_name: requiredText(100, 'نام'),
  last_name: requiredText(200, 'نام خانوادگی'),
  father_name: optionalText(100),
  /** A person's national code (10 digits; 8–9 are left-padded) or a company's 11-digit national ID. */
  national_id: nationalIdField,
  birth_cert_no: birthCertField,
  gender: z
    .enum(GENDER_KEYS, { error: 'جنسیت نامعتبر است' })
    .nullish()
    .transform((v) => v ?? null),
  mobile: mobileField,
  email: emailField,
  home_phone: phoneField,
  work_phone: phoneField,
  address: optionalText(500),
  postal_code: postalCodeField,
});
export type CaseInput = z.infer<typeof caseInputSchema>;

/** PATCH: any fields, with the version the editor loaded (a newer one is a stale edit, 409). */
export const caseUpdateSchema = caseInputSchema
  .partial()
  .extend({ version: z.number({ error: 'نسخه رکورد لازم است' }).int().positive() });
export type CaseUpdateInput = z.infer<typeof caseUpdateSchema>;

/** A row of the active-cases list (V15). */
export const caseListItemSchema = z.object({
  id: z.number().int(),
  customer_no: z.string(),
  full_name: z.string(),
  mobile: z.string().nullable(),
  national_id: z.string().nullable(),
  branch_id: z.number().int(),
  branch_code: z.string(),
  branch_name: z.string(),
  facility_count: z.number().int(),
  active_facility_count: z.number().int(),
});
export type CaseListItem = z.infer<typeof caseListItemSchema>;

const nullableString = z.string().nullable();

/** The core banking system's own values of the overridable fields (null where it sent none). */
export const coreValuesSchema = z.object(
  Object.fromEntries(OVERRIDABLE_FIELDS.map((f) => [f, nullableString])) as Record<
    OverridableField,
    typeof nullableString
  >,
);

/** A case with every V15 field: the values in effect (staff overrides win) and, apart, the core's. */
export const caseSchema = z.object({
  id: z.number().int(),
  customer_no: z.string(),
  kind: z.enum(CUSTOMER_KIND_KEYS),
  branch_id: z.number().int(),
  branch_code: z.string(),
  branch_name: z.string(),
  first_name: z.string().nullable(),
  last_name: z.string(),
  father_name: nullableString,
  national_id: nullableString,
  birth_cert_no: nullableString,
  gender: z.enum(GENDER_KEYS).nullable(),
  mobile: nullableString,
  email: nullableString,
  home_phone: nullableString,
  work_phone: nullableString,
  address: nullableString,
  postal_code: nullableString,
  /** The fields whose value in effect is a staff correction over the core banking value. */
  overridden: z.array(z.enum(OVERRIDABLE_FIELDS)),
  /** What the core banking system sent (null for a case created in Vosul). */
  core: coreValuesSchema.nullable(),
  facility_count: z.number().int(),
  active_facility_count: z.number().int(),
  version: z.number().int(),
});
export type Case = z.infer<typeof caseSchema>;

export const caseListQuerySchema = listQuerySchema.extend({
  branch_id: z.coerce.number().int().positive().optional(),
});
export type CaseListQuery = z.infer<typeof caseListQuerySchema>;

// ---- facilities (V16) --------------------------------------------------------------------------

const amount = z.string();

/** A facility as the stable `GET /facilities/{facility_no}` answers it: figures as of the last daily run. */
export const facilitySchema = z.object({
  id: z.number().int(),
  facility_no: z.string(),
  customer_id: z.number().int(),
  customer_no: z.string(),
  customer_name: z.string(),
  branch_code: z.string(),
  branch_name: z.string(),
  loan_type_code: z.string(),
  loan_type_title: z.string(),
  granted_on: z.string(),
  principal: amount,
  currency: z.string(),
  annual_rate: z.string().nullable(),
  installment_count: z.number().int().nullable(),
  status: z.string(),
  guarantor_count: z.number().int(),
  /** Null until the daily run has computed the facility. */
  overdue_days: z.number().int().nullable(),
  overdue_installments: z.number().int().nullable(),
  overdue_amount: amount.nullable(),
  unpaid_amount: amount.nullable(),
  penalty: amount.nullable(),
  collectible_amount: amount.nullable(),
  cbi_class: z.enum(CBI_CLASS_KEYS).nullable(),
  as_of: z.string().nullable(),
});
export type Facility = z.infer<typeof facilitySchema>;

export const facilityListQuerySchema = listQuerySchema;

export const facilityNoParams = z.object({
  facility_no: z.string().min(1).max(60).transform(normalizeText),
});

export const installmentSchema = z.object({
  id: z.number().int(),
  seq: z.number().int(),
  due_on: z.string(),
  amount: amount,
  paid_amount: amount,
  paid_on: z.string().nullable(),
  unpaid_amount: amount,
  /** As of the facility's figures (null before the first run). */
  days_late: z.number().int().nullable(),
  penalty: amount.nullable(),
});
export type Installment = z.infer<typeof installmentSchema>;

// ---- guarantors (V17) --------------------------------------------------------------------------

export const guarantorSchema = z.object({
  id: z.number().int(),
  customer_id: z.number().int().nullable(),
  customer_no: z.string().nullable(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  full_name: z.string(),
  national_id: z.string().nullable(),
  mobile: z.string().nullable(),
  address: z.string().nullable(),
});
export type Guarantor = z.infer<typeof guarantorSchema>;

// ---- incomplete data (V29) ---------------------------------------------------------------------

export const incompleteQuerySchema = listQuerySchema.extend({
  reason: z.enum(INCOMPLETE_REASON_KEYS, { error: 'علت نامعتبر است' }).optional(),
  branch_id: z.coerce.number().int().positive().optional(),
});
export type IncompleteQuery = z.infer<typeof incompleteQuerySchema>;

export const incompleteItemSchema = z.object({
  id: z.number().int(),
  customer_no: z.string(),
  full_name: z.string(),
  mobile: z.string().nullable(),
  national_id: z.string().nullable(),
  branch_id: z.number().int(),
  branch_code: z.string(),
  branch_name: z.string(),
  reasons: z.array(z.enum(INCOMPLETE_REASON_KEYS)),
  /** Guarantors without any phone (name and facility), for the guarantor reason. */
  guarantors_without_phone: z.array(z.object({ facility_no: z.string(), name: z.string() })),
});
export type IncompleteItem = z.infer<typeof incompleteItemSchema>;
