/**
 * Dunning workflows (V13, P1, P2, P4) and their templates (V14): the interchange shape
 * (interchange.md, "HTTP API (stable part)"), the Persian labels, the placeholder catalogue, template
 * rendering and SMS length. Exact semantics of range, repeat and overlap: "Workflow semantics".
 */
import { z } from 'zod';
import { toJalali } from './jalali.js';
import { isoDateParam } from './audit.js';
import { listQuerySchema } from './list.js';
import { requiredText } from './org.js';
import { formatMoney, normalizeText, toPersianDigits } from './text.js';

// ---- channels and recipients ---------------------------------------------------------------------

export const CHANNELS = {
  sms: 'پیامک',
  call: 'تماس تلفنی',
  email: 'پست الکترونیک',
  intro_letter: 'معرفی‌نامه',
  warning_notice: 'اخطاریه',
  declaration: 'اظهارنامه',
} as const;
export type Channel = keyof typeof CHANNELS;
export const CHANNEL_KEYS = Object.keys(CHANNELS) as [Channel, ...Channel[]];

/**
 * What a workflow's messages are, for the opt-out of «لغو۱۱» (issue 6 point 2): reminders and overdue
 * notices are informational, which an opted-out line may stop (settings `sms_opt_out`); a legal
 * warning is never stopped. A new workflow is a reminder when its range starts before the due date.
 */
export const MESSAGE_KINDS = {
  reminder: 'یادآوری',
  overdue_notice: 'اطلاع‌رسانی معوقات',
  legal_warning: 'اخطار قانونی',
} as const;
export type MessageKind = keyof typeof MESSAGE_KINDS;
export const MESSAGE_KIND_KEYS = Object.keys(MESSAGE_KINDS) as [MessageKind, ...MessageKind[]];

/** Who a workflow notifies. */
export const RECIPIENTS = { borrower: 'وام‌گیرنده', guarantors: 'ضامنین' } as const;
export type Recipient = keyof typeof RECIPIENTS;
export const RECIPIENT_KEYS = Object.keys(RECIPIENTS) as [Recipient, ...Recipient[]];

/** Whose text a template is: the workflow's recipient `guarantors` has templates of role `guarantor`. */
export const RECIPIENT_ROLES = { borrower: 'وام‌گیرنده', guarantor: 'ضامن' } as const;
export type RecipientRole = keyof typeof RECIPIENT_ROLES;
export const RECIPIENT_ROLE_KEYS = Object.keys(RECIPIENT_ROLES) as [RecipientRole, ...RecipientRole[]];

export const roleOfRecipient = (recipient: Recipient): RecipientRole =>
  recipient === 'borrower' ? 'borrower' : 'guarantor';

/** The templates a workflow needs: one per channel × recipient, in the form's order. */
export function requiredTemplates(
  channels: readonly Channel[],
  recipients: readonly Recipient[],
): { channel: Channel; recipient_role: RecipientRole }[] {
  const out: { channel: Channel; recipient_role: RecipientRole }[] = [];
  for (const channel of CHANNEL_KEYS) {
    if (!channels.includes(channel)) continue;
    for (const recipient of RECIPIENT_KEYS)
      if (recipients.includes(recipient)) out.push({ channel, recipient_role: roleOfRecipient(recipient) });
  }
  return out;
}

// ---- placeholders --------------------------------------------------------------------------------

/** How a placeholder's value is shown: names as they are, numbers in Persian digits, amounts grouped. */
export type PlaceholderKind = 'text' | 'number' | 'money' | 'date' | 'gender';

/**
 * The placeholders a template may use (`{{key}}`), with the chip's Persian label. The data behind
 * each exists in the book: customers, facilities and their figures, installments, guarantors, branches.
 */
export const PLACEHOLDERS = {
  gender_title: { label: 'عنوان (جناب آقای / سرکار خانم)', kind: 'gender' },
  borrower_first_name: { label: 'نام وام‌گیرنده', kind: 'text' },
  borrower_last_name: { label: 'نام خانوادگی وام‌گیرنده', kind: 'text' },
  customer_no: { label: 'شماره مشتری (پرونده)', kind: 'number' },
  national_code: { label: 'کد ملی وام‌گیرنده', kind: 'number' },
  facility_no: { label: 'شماره تسهیلات', kind: 'number' },
  loan_type: { label: 'نوع وام', kind: 'text' },
  principal: { label: 'مبلغ اصل تسهیلات', kind: 'money' },
  overdue_days: { label: 'تعداد روز تأخیر', kind: 'number' },
  overdue_installments: { label: 'تعداد اقساط معوق', kind: 'number' },
  overdue_amount: { label: 'مبلغ معوق', kind: 'money' },
  penalty: { label: 'وجه التزام تأخیر', kind: 'money' },
  collectible_amount: { label: 'مبلغ قابل وصول', kind: 'money' },
  unpaid_amount: { label: 'مانده بدهی', kind: 'money' },
  due_date: { label: 'تاریخ سررسید قسط', kind: 'date' },
  installment_amount: { label: 'مبلغ قسط', kind: 'money' },
  branch_name: { label: 'نام شعبه', kind: 'text' },
  guarantor_first_name: { label: 'نام ضامن', kind: 'text' },
  guarantor_last_name: { label: 'نام خانوادگی ضامن', kind: 'text' },
} as const satisfies Record<string, { label: string; kind: PlaceholderKind }>;
export type PlaceholderKey = keyof typeof PLACEHOLDERS;
export const PLACEHOLDER_KEYS = Object.keys(PLACEHOLDERS) as [PlaceholderKey, ...PlaceholderKey[]];

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

const isPlaceholderKey = (key: string): key is PlaceholderKey => Object.hasOwn(PLACEHOLDERS, key);

/** The placeholders of a text that are not in the catalogue, each once, in order of appearance. */
export function unknownPlaceholders(text: string): string[] {
  const unknown = new Set<string>();
  for (const match of text.matchAll(PLACEHOLDER)) {
    const key = match[1] ?? '';
    if (!isPlaceholderKey(key)) unknown.add(key);
  }
  return [...unknown];
}

/**
 * The raw values of one recipient's message: names and codes as stored, amounts as digit strings,
 * dates `YYYY-MM-DD`, gender `M`/`F` (of whoever the message addresses); null when unknown.
 */
export type TemplateValues = Partial<Record<PlaceholderKey, string | number | null>>;

const GENDER_TITLES = { M: 'جناب آقای', F: 'سرکار خانم' } as const;

function display(kind: PlaceholderKind, value: string | number | null | undefined): string {
  if (kind === 'gender')
    return value === 'M' || value === 'F' ? GENDER_TITLES[value] : 'جناب آقای/سرکار خانم';
  if (value === null || value === undefined || value === '') return '';
  switch (kind) {
    case 'money':
      return formatMoney(String(value));
    case 'date':
      return toPersianDigits(toJalali(String(value)));
    case 'number':
      return toPersianDigits(String(value));
    case 'text':
      return String(value);
  }
}

/** The text with every known placeholder replaced by its value shown the Persian way; unknown ones stay. */
export function renderTemplate(text: string, values: TemplateValues): string {
  return text.replace(PLACEHOLDER, (whole, key: string) =>
    isPlaceholderKey(key) ? display(PLACEHOLDERS[key].kind, values[key]) : whole,
  );
}

/** Values for a preview when the user's scope holds no facility yet (shown as a made-up example). */
export const SAMPLE_VALUES: TemplateValues = {
  gender_title: 'M',
  borrower_first_name: 'علی',
  borrower_last_name: 'احمدی',
  customer_no: '1234567',
  national_code: '0012345679',
  facility_no: '8800123456',
  loan_type: 'مرابحه',
  principal: '500000000',
  overdue_days: 45,
  overdue_installments: 2,
  overdue_amount: '32000000',
  penalty: '1250000',
  collectible_amount: '33250000',
  unpaid_amount: '410000000',
  due_date: '2025-03-01',
  installment_amount: '16000000',
  branch_name: 'شعبه مرکزی',
  guarantor_first_name: 'مریم',
  guarantor_last_name: 'کریمی',
};

// ---- the merged message (B1) -----------------------------------------------------------------------

/**
 * The placeholders of the setting `merged_message_template`: the one SMS or call that stands for a
 * person's several messages of a day (as borrower or guarantor, across facilities and workflows).
 * Amounts are the sums over the facilities it covers; `overdue_days` the most overdue of them.
 */
export const MERGED_PLACEHOLDERS = {
  gender_title: { label: 'عنوان (جناب آقای / سرکار خانم)', kind: 'gender' },
  recipient_name: { label: 'نام گیرنده', kind: 'text' },
  // the numbers joined with «، » before display, so the kind only turns their digits Persian
  facility_nos: { label: 'شماره تسهیلات‌ها', kind: 'number' },
  count: { label: 'تعداد تسهیلات', kind: 'number' },
  overdue_days: { label: 'بیشترین روز تأخیر', kind: 'number' },
  overdue_amount: { label: 'جمع مبلغ معوق', kind: 'money' },
  collectible_amount: { label: 'جمع مبلغ قابل وصول', kind: 'money' },
} as const satisfies Record<string, { label: string; kind: PlaceholderKind }>;
export type MergedPlaceholderKey = keyof typeof MERGED_PLACEHOLDERS;
export const MERGED_PLACEHOLDER_KEYS = Object.keys(MERGED_PLACEHOLDERS) as [
  MergedPlaceholderKey,
  ...MergedPlaceholderKey[],
];
export type MergedValues = Partial<Record<MergedPlaceholderKey, string | number | null>>;

/** How several facility numbers are shown in one merged text. */
export const joinFacilityNos = (nos: readonly string[]) => [...new Set(nos)].sort().join('، ');

/** The merged text for a person, rendered as the planner's SQL renders it. */
export function renderMergedTemplate(text: string, values: MergedValues): string {
  return text.replace(PLACEHOLDER, (whole, key: string) =>
    Object.hasOwn(MERGED_PLACEHOLDERS, key)
      ? display(MERGED_PLACEHOLDERS[key as MergedPlaceholderKey].kind, values[key as MergedPlaceholderKey])
      : whole,
  );
}

/** Values for a preview of the merged text on the settings page (a made-up person of three facilities). */
export const MERGED_SAMPLE_VALUES: MergedValues = {
  gender_title: 'F',
  recipient_name: 'مریم کریمی',
  facility_nos: joinFacilityNos(['8800123456', '8800123457', '8800987654']),
  count: 3,
  overdue_days: 95,
  overdue_amount: '48000000',
  collectible_amount: '51200000',
};

/**
 * The text of the merged message (the settings page): an unknown placeholder is refused by name.
 * Empty turns merging off: each message keeps its own text and the caps rank them by overdue days.
 */
export const mergedTemplateTextSchema = z
  .string({ error: 'متن پیام تجمیعی نامعتبر است' })
  .transform((v) => v.trim())
  .pipe(z.string().max(2000, 'متن پیام تجمیعی حداکثر ۲۰۰۰ نویسه است'))
  .superRefine((text, ctx) => {
    const unknown = [...text.matchAll(PLACEHOLDER)]
      .map((m) => m[1] ?? '')
      .filter((key, i, all) => !Object.hasOwn(MERGED_PLACEHOLDERS, key) && all.indexOf(key) === i);
    if (unknown.length > 0)
      ctx.addIssue({
        code: 'custom',
        message: `متن پیام تجمیعی جای‌نگهدار ناشناخته دارد: ${unknown.map((k) => `{{${k}}}`).join('، ')}`,
      });
  });

// ---- SMS length --------------------------------------------------------------------------------

// GSM 03.38 default alphabet; the extension table's characters take two septets each.
const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM7_EXTENDED = new Set('^{}\\[~]|€\f');

export interface SmsParts {
  /** Characters as the SMS centre counts them (UTF-16 units, or septets for GSM-7). */
  characters: number;
  parts: number;
  encoding: 'ucs2' | 'gsm7';
}

/** Length and parts of an SMS: Persian needs UCS-2 (70 in one part, 67 per part of a longer one); GSM-7 160 / 153. */
export function smsParts(text: string): SmsParts {
  let septets = 0;
  let gsm = true;
  for (const ch of text) {
    if (GSM7_BASIC.has(ch)) septets += 1;
    else if (GSM7_EXTENDED.has(ch)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) {
    return {
      characters: septets,
      parts: septets === 0 ? 0 : septets <= 160 ? 1 : Math.ceil(septets / 153),
      encoding: 'gsm7',
    };
  }
  const units = text.length;
  return { characters: units, parts: units <= 70 ? 1 : Math.ceil(units / 67), encoding: 'ucs2' };
}

// ---- day ranges --------------------------------------------------------------------------------

/**
 * Why a day range is refused, or null: either `from >= 1` (an open end or `to >= from`), or a
 * reminder before the due date with `from <= to <= -1`; a range across day 0 is neither.
 */
export function dayRangeProblem(
  from: number,
  to: number | null,
): { field: 'from_day' | 'to_day'; message: string } | null {
  if (from >= 1) {
    if (to !== null && to < from)
      return { field: 'to_day', message: 'پایان بازه روزها نباید از ابتدای آن کمتر باشد' };
    return null;
  }
  if (to === null || to > -1) {
    return {
      field: from === 0 ? 'from_day' : 'to_day',
      message:
        'بازه روزها نمی‌تواند از صفر بگذرد: یا روزهای تأخیر از ۱ به بالا، یا یادآوری پیش از سررسید با روزهای منفی (مانند −۳ تا −۱)',
    };
  }
  if (from > to) return { field: 'to_day', message: 'پایان بازه روزها نباید از ابتدای آن کمتر باشد' };
  return null;
}

/** A day range in words: «روزهای ۳۱ تا ۶۰»، «۶۱ روز و بیشتر»، «۳ تا ۱ روز پیش از سررسید». */
export function dayRangeLabel(from: number, to: number | null): string {
  const fa = (n: number) => toPersianDigits(n);
  if (from >= 1) {
    if (to === null) return `${fa(from)} روز و بیشتر`;
    return from === to ? `روز ${fa(from)}` : `روزهای ${fa(from)} تا ${fa(to)}`;
  }
  const end = to ?? -1;
  return from === end ? `${fa(-from)} روز پیش از سررسید` : `${fa(-from)} تا ${fa(-end)} روز پیش از سررسید`;
}

// ---- contracts -----------------------------------------------------------------------------------

/** An integer as users type it (any digits), within bounds, refused with the field's name. */
const intField = (label: string, min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && normalizeText(v) !== '' ? Number(normalizeText(v)) : v),
    z
      .number({ error: `${label} را به عدد وارد کنید` })
      .int(`${label} باید عدد صحیح باشد`)
      .min(min, `${label} نباید کمتر از ${toPersianDigits(min)} باشد`)
      .max(max, `${label} نباید بیشتر از ${toPersianDigits(max)} باشد`),
  );

const amountField = (label: string) =>
  z
    .union([z.string(), z.number().int().nonnegative()], { error: `${label} را وارد کنید` })
    .transform((v) => normalizeText(String(v)).replace(/[,٬\s]/g, ''))
    .pipe(
      z
        .string()
        .regex(/^\d{1,18}$/, `${label} باید مبلغی به ریال و فقط رقم باشد`)
        .transform((v) => v.replace(/^0+(?=\d)/, '')),
    );

const codeList = (label: string) =>
  z.array(
    z
      .string({ error: `کد ${label} نامعتبر است` })
      .transform(normalizeText)
      .pipe(z.string().min(1, `کد ${label} نامعتبر است`).max(20, `کد ${label} نامعتبر است`)),
    { error: `${label} را انتخاب کنید` },
  );

const uniqueEnumList = <T extends string>(keys: [T, ...T[]], label: string) =>
  z
    .array(z.enum(keys, { error: `${label} نامعتبر است` }), { error: `${label} را انتخاب کنید` })
    .min(1, `دست‌کم یک ${label} را انتخاب کنید`)
    .transform((list) => keys.filter((k) => list.includes(k)));

/** A start hour `HH:MM` in any digits (`9:00` is padded). */
const timeField = z
  .string({ error: 'ساعت شروع را وارد کنید' })
  .transform((v) => normalizeText(v))
  .pipe(z.string().regex(/^([01]?\d|2[0-3]):[0-5]\d$/, 'ساعت شروع باید به شکل ساعت:دقیقه باشد (مانند ۰۹:۰۰)'))
  .transform((v) => v.padStart(5, '0'));

function refuseUnknownPlaceholders(text: string, ctx: z.RefinementCtx) {
  const unknown = unknownPlaceholders(text);
  if (unknown.length > 0)
    ctx.addIssue({
      code: 'custom',
      message: `متن الگو جای‌نگهدار ناشناخته دارد: ${unknown.map((k) => `{{${k}}}`).join('، ')}`,
    });
}

/** A template text: free words and catalogue placeholders; an unknown placeholder is refused by name. */
export const templateTextSchema = z
  .string({ error: 'متن الگو را وارد کنید' })
  .transform((v) => v.trim())
  .pipe(z.string().min(1, 'متن الگو را وارد کنید').max(2000, 'متن الگو حداکثر ۲۰۰۰ نویسه است'))
  .superRefine(refuseUnknownPlaceholders);

export const workflowTemplateSchema = z.object({
  channel: z.enum(CHANNEL_KEYS, { error: 'نوع اطلاع‌رسانی الگو نامعتبر است' }),
  recipient_role: z.enum(RECIPIENT_ROLE_KEYS, { error: 'گیرنده الگو نامعتبر است' }),
  text: templateTextSchema,
  /** a call's recorded message (V30), played by the phone system; absent or null: none */
  audio_file_id: z
    .number({ error: 'فایل صوتی تماس نامعتبر است' })
    .int('فایل صوتی تماس نامعتبر است')
    .positive('فایل صوتی تماس نامعتبر است')
    .nullish(),
});
export type WorkflowTemplate = z.infer<typeof workflowTemplateSchema>;

/** Every field of a workflow, without defaults or cross-field rules (so PATCH can take any of them). */
export const workflowFieldsSchema = z.object({
  title: requiredText(200, 'عنوان گردش کار'),
  loan_type_codes: codeList('نوع وام').min(1, 'دست‌کم یک نوع وام را انتخاب کنید'),
  /** empty: all branches */
  branch_codes: codeList('شعبه'),
  from_day: intField('ابتدای بازه روزها', -3650, 36500),
  to_day: intField('پایان بازه روزها', -3650, 36500).nullable(),
  min_overdue_amount: amountField('حداقل مبلغ معوق'),
  channels: uniqueEnumList(CHANNEL_KEYS, 'نوع اطلاع‌رسانی'),
  recipients: uniqueEnumList(RECIPIENT_KEYS, 'گیرنده'),
  per_day: intField('تعداد اطلاع‌رسانی در روز', 1, 24),
  start_time: timeField,
  interval_minutes: intField('فاصله زمانی تکرار (دقیقه)', 0, 1440),
  repeat_every_days: intField('تکرار هر چند روز', 0, 3650),
  message_kind: z.enum(MESSAGE_KIND_KEYS, { error: 'نوع پیام گردش کار نامعتبر است' }),
  active: z.boolean({ error: 'وضعیت فعال بودن نامعتبر است' }),
  templates: z.array(workflowTemplateSchema, { error: 'الگوها نامعتبر است' }).max(12),
});

function checkRange(value: { from_day?: number; to_day?: number | null }, ctx: z.RefinementCtx) {
  if (value.from_day === undefined || value.to_day === undefined) return;
  const problem = dayRangeProblem(value.from_day, value.to_day);
  if (problem) ctx.addIssue({ code: 'custom', path: [problem.field], message: problem.message });
}

export const workflowInputSchema = workflowFieldsSchema
  .extend({
    branch_codes: workflowFieldsSchema.shape.branch_codes.default([]),
    to_day: workflowFieldsSchema.shape.to_day.default(null),
    min_overdue_amount: workflowFieldsSchema.shape.min_overdue_amount.default('0'),
    per_day: workflowFieldsSchema.shape.per_day.default(1),
    interval_minutes: workflowFieldsSchema.shape.interval_minutes.default(0),
    repeat_every_days: workflowFieldsSchema.shape.repeat_every_days.default(0),
    message_kind: workflowFieldsSchema.shape.message_kind.optional(),
    active: workflowFieldsSchema.shape.active.default(true),
  })
  .superRefine(checkRange)
  .transform((w) => ({ ...w, message_kind: w.message_kind ?? defaultMessageKind(w.from_day) }));
export type WorkflowInput = z.infer<typeof workflowInputSchema>;

/** A workflow that starts before the due date reminds; one after it tells of the arrears. */
export const defaultMessageKind = (fromDay: number): MessageKind =>
  fromDay < 0 ? 'reminder' : 'overdue_notice';

/** PATCH: any fields, with the version the editor loaded. */
export const workflowPatchSchema = workflowFieldsSchema
  .partial()
  .extend({ version: z.number({ error: 'نسخه رکورد لازم است' }).int().positive() })
  .superRefine(checkRange);
export type WorkflowPatch = z.infer<typeof workflowPatchSchema>;

export const workflowSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  loan_type_codes: z.array(z.string()),
  loan_types: z.array(z.object({ code: z.string(), title: z.string() })),
  branch_codes: z.array(z.string()),
  branches: z.array(z.object({ code: z.string(), name: z.string() })),
  from_day: z.number().int(),
  to_day: z.number().int().nullable(),
  min_overdue_amount: z.string(),
  channels: z.array(z.enum(CHANNEL_KEYS)),
  recipients: z.array(z.enum(RECIPIENT_KEYS)),
  per_day: z.number().int(),
  start_time: z.string(),
  interval_minutes: z.number().int(),
  repeat_every_days: z.number().int(),
  message_kind: z.enum(MESSAGE_KIND_KEYS),
  active: z.boolean(),
  templates: z.array(
    z.object({
      channel: z.enum(CHANNEL_KEYS),
      recipient_role: z.enum(RECIPIENT_ROLE_KEYS),
      text: z.string(),
      /** present on a call's template that plays a recording */
      audio_file_id: z.number().int().optional(),
    }),
  ),
  version: z.number().int(),
});
export type Workflow = z.infer<typeof workflowSchema>;

export const workflowListQuerySchema = listQuerySchema;

/** The loan types and branches a user may put in a workflow (the form's pickers). */
export const workflowOptionsSchema = z.object({
  loan_types: z.array(z.object({ code: z.string(), title: z.string() })),
  branches: z.array(z.object({ code: z.string(), name: z.string() })),
  /** false: the user must name branches (only HQ defines a workflow for all branches) */
  all_branches_allowed: z.boolean(),
});
export type WorkflowOptions = z.infer<typeof workflowOptionsSchema>;

export const templatePreviewInputSchema = z.object({
  text: z
    .string({ error: 'متن الگو را وارد کنید' })
    .max(2000, 'متن الگو حداکثر ۲۰۰۰ نویسه است')
    .superRefine(refuseUnknownPlaceholders),
  channel: z.enum(CHANNEL_KEYS, { error: 'نوع اطلاع‌رسانی نامعتبر است' }),
  recipient_role: z.enum(RECIPIENT_ROLE_KEYS, { error: 'گیرنده نامعتبر است' }),
  facility_no: z
    .string()
    .transform(normalizeText)
    .pipe(z.string().max(30, 'شماره تسهیلات حداکثر ۳۰ نویسه است'))
    .nullish()
    .transform((v) => v || null),
});
export type TemplatePreviewInput = z.infer<typeof templatePreviewInputSchema>;

export const templatePreviewSchema = z.object({
  text: z.string(),
  /** the facility rendered on; null when the scope has none and made-up values were used */
  facility_no: z.string().nullable(),
  sample: z.boolean(),
  sms: z.object({
    characters: z.number().int(),
    parts: z.number().int(),
    encoding: z.enum(['ucs2', 'gsm7']),
  }),
});
export type TemplatePreview = z.infer<typeof templatePreviewSchema>;

// ---- dry run (B2) --------------------------------------------------------------------------------

/**
 * A dry run: what the planner would write for one workflow on `date` — the saved workflow, or the
 * one being edited (`workflow`, its full fields) — without writing anything.
 */
export const dryRunInputSchema = z.object({
  date: isoDateParam('تاریخ'),
  workflow: workflowInputSchema.optional(),
});
export type DryRunInput = z.infer<typeof dryRunInputSchema>;

export const dryRunItemSchema = z.object({
  facility_no: z.string(),
  /** every facility a merged message covers (B1) */
  facility_nos: z.array(z.string()),
  recipient_role: z.enum(RECIPIENT_ROLE_KEYS),
  recipient_name: z.string(),
  address: z.string(),
  channel: z.enum(CHANNEL_KEYS),
  text: z.string(),
  /** `queued` (would be sent), `planned` (a letter to print) or `held` (with the reason) */
  status: z.enum(['queued', 'planned', 'held']),
  held_reason: z.string().nullable(),
  scheduled_at: z.string(),
});
export type DryRunItem = z.infer<typeof dryRunItemSchema>;

export const dryRunResultSchema = z.object({
  date: z.string(),
  items: z.array(dryRunItemSchema),
  /** the messages that would go out (held ones excluded) */
  count: z.number().int(),
  held: z.number().int(),
  /** Rials, a string of digits: SMS parts × part price + calls × minutes × minute price */
  cost: z.string(),
  sms_parts: z.number().int(),
  calls: z.number().int(),
});
export type DryRunResult = z.infer<typeof dryRunResultSchema>;
