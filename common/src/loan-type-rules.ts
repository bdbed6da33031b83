/**
 * A loan type's classification parameters (issue 4, P7): the CBI directive's overdue-day thresholds
 * of the classes, the penalty (وجه التزام) rate and day basis, what a class head holds, and the
 * ledger heads (سرفصل) of the four classes. The daily run reads them from `loan_types`.
 */
import { z } from 'zod';
import { normalizeText, toPersianDigits } from './text.js';

export const LOAN_TYPE_RULE_LABELS = {
  past_due_after: 'آستانه سررسید گذشته (روز)',
  deferred_after: 'آستانه معوق (روز)',
  doubtful_after: 'آستانه مشکوک‌الوصول (روز)',
  penalty_rate: 'نرخ وجه التزام (درصد سالانه)',
  day_basis: 'مبنای روزهای سال',
  class_holds: 'مانده سرفصل طبقه',
  head_current: 'سرفصل جاری',
  head_past_due: 'سرفصل سررسید گذشته',
  head_deferred: 'سرفصل معوق',
  head_doubtful: 'سرفصل مشکوک‌الوصول',
} as const;
export type LoanTypeRuleField = keyof typeof LOAN_TYPE_RULE_LABELS;

/** What an empty penalty rate means (CBI circular: the contract rate plus six points). */
export const DEFAULT_PENALTY_RATE_LABEL = 'نرخ قرارداد + ۶';

export const DAY_BASES = [360, 365] as const;
export const DAY_BASIS_LABELS: Record<(typeof DAY_BASES)[number], string> = {
  360: '۳۶۰ روز',
  365: '۳۶۵ روز',
};

export const CLASS_HOLDS = ['overdue', 'unpaid'] as const;
export type ClassHolds = (typeof CLASS_HOLDS)[number];
export const CLASS_HOLDS_LABELS: Record<ClassHolds, string> = {
  overdue: 'فقط مبلغ سررسید گذشته (پیش‌فرض دستورالعمل)',
  unpaid: 'کل مانده پرداخت‌نشده تسهیلات',
};

/** The directive's defaults, as the migration sets them. */
export const DEFAULT_THRESHOLDS = { past_due_after: 60, deferred_after: 180, doubtful_after: 540 };

export const MAX_THRESHOLD_DAYS = 3650;
export const HEAD_PATTERN = /^[A-Za-z0-9._-]{1,30}$/;
const HEADS = ['head_current', 'head_past_due', 'head_deferred', 'head_doubtful'] as const;

const L = LOAN_TYPE_RULE_LABELS;
const fa = (n: number | string) => toPersianDigits(n);

/** Typed digits in any script (a number on the wire, or a string from a form). */
const digitsToNumber = (v: unknown) => {
  if (typeof v !== 'string') return v;
  const s = normalizeText(v).trim();
  return /^\d+$/.test(s) ? Number(s) : s === '' ? null : s;
};

const thresholdField = (field: 'past_due_after' | 'deferred_after' | 'doubtful_after') => {
  const reason = `«${L[field]}» باید عدد صحیح از ۰ تا ${fa(MAX_THRESHOLD_DAYS)} روز باشد`;
  return z.preprocess(
    digitsToNumber,
    z
      .number({
        error: (i) => (i.input === undefined || i.input === null ? `«${L[field]}» را وارد کنید` : reason),
      })
      .int(reason)
      .min(0, reason)
      .max(MAX_THRESHOLD_DAYS, reason),
  );
};

/** A percentage 0..100 with up to 4 decimals (Persian decimal separator accepted); empty = null. */
const penaltyRateField = z
  .union([z.string(), z.number(), z.null()], {
    error: `«${L.penalty_rate}» باید عدد باشد یا خالی بماند`,
  })
  .transform((v, ctx) => {
    if (v === null) return null;
    const s = normalizeText(String(v)).trim().replace(/٫/g, '.').replace(/[%٪]$/, '').trim();
    if (s === '') return null;
    if (!/^\d{1,3}(\.\d{1,4})?$/.test(s) || Number(s) > 100) {
      ctx.addIssue({
        code: 'custom',
        message: `«${L.penalty_rate}» باید عددی از ۰ تا ۱۰۰ با حداکثر ۴ رقم اعشار باشد (خالی = ${DEFAULT_PENALTY_RATE_LABEL})`,
      });
      return z.NEVER;
    }
    return trimRate(s);
  });

/** A rate as people write it: `24.5000` → `24.5`, `07.0` → `7` (the column is numeric(9,4)). */
export function trimRate(rate: string): string {
  const whole = rate.replace(/^0+(?=\d)/, '');
  return whole.includes('.') ? whole.replace(/0+$/, '').replace(/\.$/, '') : whole;
}

const headField = (field: (typeof HEADS)[number]) =>
  z
    .string({ error: `«${L[field]}» را وارد کنید` })
    .transform((v) => normalizeText(v).trim())
    .pipe(
      z
        .string()
        .min(1, `«${L[field]}» را وارد کنید`)
        .max(30, `«${L[field]}» حداکثر ۳۰ نویسه است`)
        .regex(HEAD_PATTERN, `«${L[field]}» فقط رقم، حروف لاتین و نویسه‌های - _ . است`),
    );

const fields = {
  past_due_after: thresholdField('past_due_after'),
  deferred_after: thresholdField('deferred_after'),
  doubtful_after: thresholdField('doubtful_after'),
  penalty_rate: penaltyRateField,
  day_basis: z.preprocess(
    digitsToNumber,
    z.union([z.literal(360), z.literal(365)], { error: `«${L.day_basis}» باید ۳۶۰ یا ۳۶۵ روز باشد` }),
  ),
  class_holds: z.enum(CLASS_HOLDS, {
    error: `«${L.class_holds}» باید «فقط مبلغ سررسید گذشته» یا «کل مانده» باشد`,
  }),
  head_current: headField('head_current'),
  head_past_due: headField('head_past_due'),
  head_deferred: headField('head_deferred'),
  head_doubtful: headField('head_doubtful'),
};

export interface LoanTypeRules {
  past_due_after: number;
  deferred_after: number;
  doubtful_after: number;
  penalty_rate: string | null;
  day_basis: 360 | 365;
  class_holds: ClassHolds;
  head_current: string;
  head_past_due: string;
  head_deferred: string;
  head_doubtful: string;
}

/**
 * The rules across fields (thresholds ascending, heads distinct), over whatever fields are given:
 * the form sends all of them; a partial PATCH is checked again by the server on the merged values.
 */
export function loanTypeRulesProblems(
  v: Partial<LoanTypeRules>,
): { field: LoanTypeRuleField; message: string }[] {
  const problems: { field: LoanTypeRuleField; message: string }[] = [];
  const ascending = [
    ['past_due_after', 'deferred_after'],
    ['deferred_after', 'doubtful_after'],
  ] as const;
  for (const [lower, upper] of ascending) {
    const a = v[lower];
    const b = v[upper];
    if (a !== undefined && b !== undefined && b <= a)
      problems.push({
        field: upper,
        message: `«${L[upper]}» (${fa(b)}) باید بیشتر از «${L[lower]}» (${fa(a)}) باشد؛ آستانه‌ها صعودی‌اند`,
      });
  }
  HEADS.forEach((head, i) => {
    const code = v[head];
    if (code === undefined) return;
    const same = HEADS.slice(0, i).find((other) => v[other] === code);
    if (same)
      problems.push({
        field: head,
        message: `«${L[head]}» (${code}) با «${L[same]}» یکی است؛ سرفصل چهار طبقه باید متفاوت باشند`,
      });
  });
  return problems;
}

const rulesObject = z.object(fields);

/** The whole parameter set (as the form edits it), checked across fields too. */
export const loanTypeRulesInputSchema = rulesObject.superRefine((v, ctx) => {
  for (const p of loanTypeRulesProblems(v))
    ctx.addIssue({ code: 'custom', path: [p.field], message: p.message });
});
export type LoanTypeRulesInput = z.infer<typeof loanTypeRulesInputSchema>;

/** PATCH body: any of the parameters and the version the editor loaded (optimistic locking). */
export const loanTypeRulesPatchSchema = rulesObject
  .partial()
  .extend({ version: z.number({ error: 'نسخه رکورد لازم است' }).int().positive() })
  .superRefine((v, ctx) => {
    for (const p of loanTypeRulesProblems(v))
      ctx.addIssue({ code: 'custom', path: [p.field], message: p.message });
  });
export type LoanTypeRulesPatch = z.infer<typeof loanTypeRulesPatchSchema>;

export const loanTypeRulesSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  title: z.string(),
  past_due_after: z.number().int(),
  deferred_after: z.number().int(),
  doubtful_after: z.number().int(),
  penalty_rate: z.string().nullable(),
  day_basis: z.union([z.literal(360), z.literal(365)]),
  class_holds: z.enum(CLASS_HOLDS),
  head_current: z.string(),
  head_past_due: z.string(),
  head_deferred: z.string(),
  head_doubtful: z.string(),
  version: z.number().int(),
});
export type LoanTypeRulesRecord = z.infer<typeof loanTypeRulesSchema>;
