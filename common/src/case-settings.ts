/**
 * Case settings (V9, تنظیمات پرونده‌ها): the overdue-day ranges and the overdue-amount thresholds
 * that the home page counts and charts by. Ranges ascend without overlap; thresholds ascend.
 */
import { z } from 'zod';
import { normalizeText, toPersianDigits } from './text.js';
import { requiredText } from './org.js';

const fa = (n: number) => toPersianDigits(n);

const dayCount = (label: string) =>
  z
    .number({ error: `${label} را به صورت عدد صحیح وارد کنید` })
    .int(`${label} باید عدد صحیح باشد`)
    .min(1, `${label} باید دست‌کم ۱ روز باشد`)
    .max(100000, `${label} حداکثر ۱۰۰٬۰۰۰ روز است`);

export const overdueRangeSchema = z.object({
  from_days: dayCount('از روز'),
  to_days: dayCount('تا روز').nullable(),
  title: requiredText(100, 'عنوان بازه'),
});
export type OverdueRange = z.infer<typeof overdueRangeSchema>;

/** An amount in Rials as a string of digits (any digits typed, separators dropped). */
const thresholdAmount = z
  .string({ error: 'مبلغ آستانه را وارد کنید' })
  .transform((v) => normalizeText(v).replace(/[\s,٬،]/g, ''))
  .pipe(z.string().regex(/^[1-9]\d{0,17}$/, 'مبلغ آستانه باید عدد صحیح مثبت (ریال) باشد'));

export const caseSettingsInputSchema = z
  .object({
    ranges: z
      .array(overdueRangeSchema, { error: 'بازه‌های روز معوق را وارد کنید' })
      .min(1, 'دست‌کم یک بازه روز معوق لازم است')
      .max(20, 'حداکثر ۲۰ بازه روز معوق مجاز است'),
    thresholds: z
      .array(thresholdAmount, { error: 'آستانه‌های مبلغ را وارد کنید' })
      .max(20, 'حداکثر ۲۰ آستانه مبلغ مجاز است'),
  })
  .superRefine((value, ctx) => {
    value.ranges.forEach((range, i) => {
      const row = `بازه ${fa(i + 1)}`;
      if (range.to_days !== null && range.to_days < range.from_days) {
        ctx.addIssue({
          code: 'custom',
          path: ['ranges', i, 'to_days'],
          message: `${row}: «تا روز» (${fa(range.to_days)}) نباید از «از روز» (${fa(range.from_days)}) کمتر باشد`,
        });
      }
      const previous = value.ranges[i - 1];
      if (!previous) return;
      if (previous.to_days === null) {
        ctx.addIssue({
          code: 'custom',
          path: ['ranges', i - 1, 'to_days'],
          message: `بازه ${fa(i)}: فقط بازه آخر می‌تواند بدون «تا روز» باشد`,
        });
      } else if (range.from_days <= previous.to_days) {
        ctx.addIssue({
          code: 'custom',
          path: ['ranges', i, 'from_days'],
          message: `${row}: «از روز» (${fa(range.from_days)}) باید بیشتر از «تا روز» بازه قبلی (${fa(previous.to_days)}) باشد؛ بازه‌ها صعودی و بدون همپوشانی‌اند`,
        });
      }
    });
    value.thresholds.forEach((amount, i) => {
      const previous = value.thresholds[i - 1];
      if (previous !== undefined && BigInt(amount) <= BigInt(previous)) {
        ctx.addIssue({
          code: 'custom',
          path: ['thresholds', i],
          message: `آستانه مبلغ ${fa(i + 1)} باید بیشتر از آستانه قبلی باشد؛ آستانه‌ها صعودی‌اند`,
        });
      }
    });
  });
export type CaseSettingsInput = z.infer<typeof caseSettingsInputSchema>;

export const caseSettingsSchema = z.object({
  ranges: z.array(
    z.object({ from_days: z.number().int(), to_days: z.number().int().nullable(), title: z.string() }),
  ),
  thresholds: z.array(z.string()),
});
export type CaseSettings = z.infer<typeof caseSettingsSchema>;
