/**
 * The working-day calendar (issue 5 point 3, تقویم کاری و تعطیلات): official holidays of the country
 * and ad-hoc closures of the whole country or one province. Fridays are off without a record.
 */
import { z } from 'zod';
import { requiredText } from './org.js';
import { normalizeText } from './text.js';

export const HOLIDAY_KINDS = { official: 'تعطیل رسمی', closure: 'تعطیلی موردی' } as const;
export type HolidayKind = keyof typeof HOLIDAY_KINDS;
const KIND_KEYS = Object.keys(HOLIDAY_KINDS) as [HolidayKind, ...HolidayKind[]];

/** The Jalali month names, Farvardin first. */
export const JALALI_MONTHS = [
  'فروردین',
  'اردیبهشت',
  'خرداد',
  'تیر',
  'مرداد',
  'شهریور',
  'مهر',
  'آبان',
  'آذر',
  'دی',
  'بهمن',
  'اسفند',
] as const;

/** The week as Iran counts it, Saturday first (Friday, the day off, last). */
export const JALALI_WEEKDAYS = [
  'شنبه',
  'یکشنبه',
  'دوشنبه',
  'سه‌شنبه',
  'چهارشنبه',
  'پنجشنبه',
  'جمعه',
] as const;

export const holidayInputSchema = z.object({
  /** Jalali (`1405/01/01`) or Gregorian (`2026-03-21`), any digits; the server reads it. */
  day: requiredText(20, 'تاریخ'),
  title: requiredText(200, 'عنوان'),
  kind: z.enum(KIND_KEYS, { error: 'نوع تعطیلی را انتخاب کنید' }),
  /** null: the whole country; else the one province a closure concerns. */
  province_id: z
    .number({ error: 'استان نامعتبر است' })
    .int()
    .positive()
    .nullish()
    .transform((v) => v ?? null),
});
export type HolidayInput = z.infer<typeof holidayInputSchema>;

export const holidayPatchSchema = holidayInputSchema
  .partial()
  .extend({ version: z.number({ error: 'نسخه رکورد لازم است' }).int().positive() });
export type HolidayPatch = z.infer<typeof holidayPatchSchema>;

export const holidaySchema = z.object({
  id: z.number().int(),
  day: z.string(),
  title: z.string(),
  kind: z.enum(KIND_KEYS),
  province_id: z.number().int().nullable(),
  province_name: z.string().nullable(),
  version: z.number().int(),
});
export type Holiday = z.infer<typeof holidaySchema>;

/** A number typed with any digits (query strings from a Persian keyboard). */
const anyDigitsInt = (label: string, min: number, max: number) =>
  z
    .string()
    .transform(normalizeText)
    .pipe(
      z.coerce
        .number<string>({ error: `${label} باید عدد باشد` })
        .int(`${label} باید عدد صحیح باشد`)
        .min(min, `${label} باید بین ${min} و ${max} باشد`)
        .max(max, `${label} باید بین ${min} و ${max} باشد`),
    );

export const holidayListQuerySchema = z.object({
  /** The Jalali year, e.g. 1405. */
  year: anyDigitsInt('سال', 1300, 1500),
  /** The Jalali month 1–12; the whole year without it. */
  month: anyDigitsInt('ماه', 1, 12).optional(),
  /** Only the country-wide days and this province's closures. */
  province_id: anyDigitsInt('استان', 1, 2_147_483_647).optional(),
});
export type HolidayListQuery = z.infer<typeof holidayListQuerySchema>;
