/**
 * Issue 6 point 6: letters (معرفی‌نامه), warning notices (اخطاریه) and declarations (اظهارنامه) — the
 * outbox rows the planner writes as `planned`. Letters are printed and delivered by hand; declarations
 * are filed through the judiciary's electronic services (ثنا) and tracked until served.
 */
import { z } from 'zod';
import { isoDateParam } from './audit.js';
import { normalizeText } from './text.js';
import { RECIPIENT_ROLE_KEYS } from './workflows.js';

export const LETTER_KINDS = { intro_letter: 'معرفی‌نامه', warning_notice: 'اخطاریه' } as const;
export type LetterKind = keyof typeof LETTER_KINDS;
export const LETTER_KIND_KEYS = Object.keys(LETTER_KINDS) as [LetterKind, ...LetterKind[]];

/** A letter's states: the outbox's own statuses, in the order a letter goes through them. */
export const LETTER_STATUSES = {
  planned: 'در انتظار چاپ',
  printed: 'چاپ‌شده',
  delivered: 'ابلاغ‌شده',
} as const;
export type LetterStatus = keyof typeof LETTER_STATUSES;
export const LETTER_STATUS_KEYS = Object.keys(LETTER_STATUSES) as [LetterStatus, ...LetterStatus[]];

/** A declaration's states (waiting to be filed, filed in ثنا, served on the addressee). */
export const DECLARATION_STATES = {
  planned: 'در انتظار ثبت',
  filed: 'ثبت‌شده در ثنا',
  served: 'ابلاغ‌شده',
} as const;
export type DeclarationState = keyof typeof DECLARATION_STATES;
export const DECLARATION_STATE_KEYS = Object.keys(DECLARATION_STATES) as [
  DeclarationState,
  ...DeclarationState[],
];

export const LETTER_LABELS = {
  ids: 'نامه‌ها',
  delivered_on: 'تاریخ ابلاغ',
  filed_on: 'تاریخ ثبت در ثنا',
  tracking_no: 'شماره پیگیری',
  served_on: 'تاریخ ابلاغ',
  paper: 'اندازه کاغذ',
} as const;

export const PAPER_SIZES = { A4: 'A4', A5: 'A5' } as const;
export type PaperSize = keyof typeof PAPER_SIZES;

const paging = {
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(500).default(20),
};
const branchFilter = z.coerce.number({ error: 'شعبه معتبر نیست' }).int().positive().optional();

export const letterQuerySchema = z.object({
  kind: z.enum(LETTER_KIND_KEYS, { error: 'نوع نامه معتبر نیست' }).optional(),
  status: z.enum(LETTER_STATUS_KEYS, { error: 'وضعیت معتبر نیست' }).optional(),
  from: isoDateParam('تاریخ شروع').optional(),
  to: isoDateParam('تاریخ پایان').optional(),
  branch_id: branchFilter,
  ...paging,
});
export type LetterQuery = z.infer<typeof letterQuerySchema>;

export const letterSchema = z.object({
  id: z.string(),
  /** the number printed on the letter: the branch code and the outbox id */
  letter_no: z.string(),
  kind: z.enum(LETTER_KIND_KEYS),
  business_date: z.string(),
  branch_id: z.number().int(),
  branch_name: z.string(),
  facility_nos: z.array(z.string()),
  recipient_role: z.enum(RECIPIENT_ROLE_KEYS),
  recipient_name: z.string(),
  address: z.string(),
  status: z.enum(LETTER_STATUS_KEYS),
  printed_at: z.string().nullable(),
  printed_by_name: z.string().nullable(),
  delivered_on: z.string().nullable(),
});
export type Letter = z.infer<typeof letterSchema>;

/** One or more letters by id (`ids=1,2,3` in a query; an array in a body). */
const idList = z
  .array(z.number({ error: 'شناسه نامه معتبر نیست' }).int().positive('شناسه نامه معتبر نیست'))
  .min(1, 'دست‌کم یک نامه را انتخاب کنید')
  .max(500, 'حداکثر ۵۰۰ نامه در هر بار');

export const letterIdsQuerySchema = z.object({
  ids: z
    .string({ error: 'دست‌کم یک نامه را انتخاب کنید' })
    .transform((v) => v.split(',').filter(Boolean).map(Number))
    .pipe(idList),
  paper: z.enum(['A4', 'A5'], { error: 'اندازه کاغذ باید A4 یا A5 باشد' }).default('A4'),
  /** print a warning notice's fields only, at the offsets of the pre-printed paper (پرفراژ) */
  preprinted: z
    .enum(['0', '1'])
    .default('0')
    .transform((v) => v === '1'),
});
export type LetterIdsQuery = z.infer<typeof letterIdsQuerySchema>;

/** Ids in a body: numbers or the id strings the lists answer. */
const bodyIdList = z
  .array(z.coerce.number({ error: 'شناسه نامه معتبر نیست' }).int().positive('شناسه نامه معتبر نیست'))
  .min(1, 'دست‌کم یک نامه را انتخاب کنید')
  .max(500, 'حداکثر ۵۰۰ نامه در هر بار');

export const markPrintedSchema = z.object({ ids: bodyIdList });
export type MarkPrinted = z.infer<typeof markPrintedSchema>;

export const markDeliveredSchema = z.object({
  ids: bodyIdList,
  delivered_on: isoDateParam(LETTER_LABELS.delivered_on),
});
export type MarkDelivered = z.infer<typeof markDeliveredSchema>;

export const letterMarkResultSchema = z.object({
  /** letters whose state changed */
  changed: z.number().int(),
  /** letters already in that state, left as they were */
  unchanged: z.number().int(),
});
export type LetterMarkResult = z.infer<typeof letterMarkResultSchema>;

/** What a letter's document shows: letterhead, number, date, addressee, body, signature. */
export const letterDocumentSchema = z.object({
  id: z.string(),
  letter_no: z.string(),
  kind: z.enum([...LETTER_KIND_KEYS, 'declaration']),
  /** the day the letter was planned (its date) */
  business_date: z.string(),
  bank_name: z.string(),
  branch_name: z.string(),
  branch_code: z.string(),
  branch_address: z.string().nullable(),
  recipient_role: z.enum(RECIPIENT_ROLE_KEYS),
  recipient_name: z.string(),
  address: z.string(),
  facility_nos: z.array(z.string()),
  /** the facility's overdue amount (Rials) as of the latest daily run, null before one */
  overdue_amount: z.string().nullable(),
  text: z.string(),
  signature: z.string(),
});
export type LetterDocument = z.infer<typeof letterDocumentSchema>;

// ---- declarations (اظهارنامه) ----------------------------------------------------------------------

export const declarationQuerySchema = z.object({
  state: z.enum(DECLARATION_STATE_KEYS, { error: 'وضعیت معتبر نیست' }).optional(),
  from: isoDateParam('تاریخ شروع').optional(),
  to: isoDateParam('تاریخ پایان').optional(),
  branch_id: branchFilter,
  ...paging,
});
export type DeclarationQuery = z.infer<typeof declarationQuerySchema>;

const money = z.string().nullable();
export const declarationSchema = z.object({
  id: z.string(),
  business_date: z.string(),
  state: z.enum(DECLARATION_STATE_KEYS),
  /** the claimant: the bank's branch */
  claimant: z.object({
    bank_name: z.string(),
    branch_name: z.string(),
    branch_code: z.string(),
    branch_address: z.string().nullable(),
  }),
  /** the addressee: the borrower or a guarantor */
  addressee: z.object({
    role: z.enum(RECIPIENT_ROLE_KEYS),
    name: z.string(),
    national_code: z.string().nullable(),
    address: z.string(),
  }),
  facility_no: z.string(),
  figures: z.object({
    as_of: z.string().nullable(),
    principal: money,
    overdue_amount: money,
    penalty: money,
    collectible_amount: money,
    unpaid_amount: money,
    overdue_days: z.number().int().nullable(),
  }),
  /** the demand: the declaration's prepared text */
  text: z.string(),
  filed_on: z.string().nullable(),
  tracking_no: z.string().nullable(),
  served_on: z.string().nullable(),
});
export type Declaration = z.infer<typeof declarationSchema>;

/** ثنا's tracking number: digits only (any script typed), 6 to 20 of them. */
export const trackingNoField = z
  .string({ error: `${LETTER_LABELS.tracking_no} را وارد کنید` })
  .transform((v) => normalizeText(v).replace(/[\s-]/g, ''))
  .pipe(
    z
      .string()
      .min(1, `${LETTER_LABELS.tracking_no} را وارد کنید`)
      .regex(/^\d+$/, `${LETTER_LABELS.tracking_no} فقط رقم است`)
      .min(6, `${LETTER_LABELS.tracking_no} دست‌کم ۶ رقم است`)
      .max(20, `${LETTER_LABELS.tracking_no} حداکثر ۲۰ رقم است`),
  );

export const fileDeclarationSchema = z.object({
  filed_on: isoDateParam(LETTER_LABELS.filed_on),
  tracking_no: trackingNoField,
});
export type FileDeclaration = z.infer<typeof fileDeclarationSchema>;

export const serveDeclarationSchema = z.object({ served_on: isoDateParam(LETTER_LABELS.served_on) });
export type ServeDeclaration = z.infer<typeof serveDeclarationSchema>;

// ---- letter settings: the letterhead and the pre-printed paper (پرفراژ) ----------------------------

/** The fields a warning notice places on the bank's pre-printed paper, with their Persian names. */
export const PREPRINTED_FIELDS = {
  recipient_name: 'نام گیرنده',
  facility_no: 'شماره تسهیلات',
  amount: 'مبلغ معوق',
  date: 'تاریخ',
  letter_no: 'شماره نامه',
  address: 'نشانی',
} as const;
export type PreprintedField = keyof typeof PREPRINTED_FIELDS;
export const PREPRINTED_FIELD_KEYS = Object.keys(PREPRINTED_FIELDS) as [
  PreprintedField,
  ...PreprintedField[],
];

/** A field's place on the paper: millimetres from the page's top-right corner (RTL). */
export const fieldOffsetSchema = z.object({ x: z.number(), y: z.number() });
export type FieldOffset = z.infer<typeof fieldOffsetSchema>;

export const letterSettingsSchema = z.object({
  bank_name: z.string(),
  signature: z.string(),
  preprinted_paper: z.enum(['A4', 'A5']),
  preprinted: z.record(z.enum(PREPRINTED_FIELD_KEYS), fieldOffsetSchema),
});
export type LetterSettings = z.infer<typeof letterSettingsSchema>;

/** What a print of the queue needs of the settings: the pre-printed paper and its field offsets. */
export const letterPaperSchema = letterSettingsSchema.pick({ preprinted_paper: true, preprinted: true });
export type LetterPaper = z.infer<typeof letterPaperSchema>;

const millimetres = (label: string, max: number) =>
  z.coerce
    .number({ error: `${label} باید عدد باشد` })
    .min(0, `${label} نباید منفی باشد`)
    .max(max, `${label} بیرون از کاغذ است (حداکثر ${max} میلی‌متر)`);

export const letterSettingsPatchSchema = z
  .object({
    bank_name: z.string().transform(normalizeText).pipe(z.string().max(100, 'نام بانک حداکثر ۱۰۰ نویسه است')),
    signature: z
      .string()
      .transform(normalizeText)
      .pipe(z.string().max(200, 'امضای نامه حداکثر ۲۰۰ نویسه است')),
    preprinted_paper: z.enum(['A4', 'A5'], { error: 'اندازه کاغذ پرفراژ باید A4 یا A5 باشد' }),
    preprinted: z.object(
      Object.fromEntries(
        PREPRINTED_FIELD_KEYS.map((k) => [
          k,
          z.object({
            x: millimetres(`فاصله افقی «${PREPRINTED_FIELDS[k]}»`, 297),
            y: millimetres(`فاصله عمودی «${PREPRINTED_FIELDS[k]}»`, 297),
          }),
        ]),
      ) as Record<PreprintedField, z.ZodObject<{ x: z.ZodCoercedNumber; y: z.ZodCoercedNumber }>>,
    ),
  })
  .partial()
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'دست‌کم یک تنظیم را وارد کنید');
export type LetterSettingsPatch = z.infer<typeof letterSettingsPatchSchema>;
