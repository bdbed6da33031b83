/**
 * A Jalali `generateConfig` for antd's `DatePicker.generatePicker`, built on date-fns-jalali:
 * the calendar's year/month/day arithmetic is Jalali, months and weekdays are Persian, the week
 * starts on Saturday, and every text the picker shows carries Persian digits. Typed text may use
 * any digits (`۱۴۰۳/۵/۱`, `1403-05-01`).
 */
import {
  addDays,
  addMonths,
  addYears,
  endOfMonth,
  format,
  getDate,
  getDay,
  getHours,
  getMilliseconds,
  getMinutes,
  getMonth,
  getSeconds,
  getWeek,
  getYear,
  isAfter,
  isValid,
  parse,
  setDate,
  setHours,
  setMilliseconds,
  setMinutes,
  setMonth,
  setSeconds,
  setYear,
  startOfWeek,
} from 'date-fns-jalali';
import { faIR } from 'date-fns-jalali/locale/fa-IR';
import { DatePicker } from 'antd';
import { dateFromIso, fromJalali } from '@vosul/common/jalali';
import { normalizeText, toPersianDigits } from '@vosul/common/text';

export type JalaliGenerateConfig = Parameters<typeof DatePicker.generatePicker<Date>>[0];

/** A dayjs-style format of the picker (`YYYY/MM/DD`, `[Q]Q`, `A`) in date-fns tokens. */
function toDateFnsFormat(dayjsFormat: string): string {
  return dayjsFormat
    .replace(/\[([^\]]*)]/g, "'$1'")
    .replace(/Y/g, 'y')
    .replace(/D/g, 'd')
    .replace(/gggg/g, 'yyyy')
    .replace(/g/g, 'G')
    .replace(/([Ww])o/g, 'wo')
    .replace(/A/g, 'a');
}

const WEEKDAYS_NARROW = [0, 1, 2, 3, 4, 5, 6].map((d) => faIR.localize.day(d as 0, { width: 'narrow' }));
const MONTHS_WIDE = Array.from({ length: 12 }, (_, m) => faIR.localize.month(m as 0, { width: 'wide' }));

/** Formats whose typed text is a full Jalali date, parsed leniently (one-digit parts, any separator). */
const DATE_FORMATS = new Set(['yyyy/MM/dd', 'yyyy-MM-dd', 'yyyy/M/d']);

export const jalaliGenerateConfig: JalaliGenerateConfig = {
  getNow: () => new Date(),
  getFixedDate: (fixed) => dateFromIso(fixed) ?? new Date(fixed),
  getEndDate: (date) => endOfMonth(date),
  getWeekDay: (date) => getDay(date),
  getYear: (date) => getYear(date),
  getMonth: (date) => getMonth(date),
  getDate: (date) => getDate(date),
  getHour: (date) => getHours(date),
  getMinute: (date) => getMinutes(date),
  getSecond: (date) => getSeconds(date),
  getMillisecond: (date) => getMilliseconds(date),

  addYear: (date, diff) => addYears(date, diff),
  addMonth: (date, diff) => addMonths(date, diff),
  addDate: (date, diff) => addDays(date, diff),
  setYear: (date, year) => setYear(date, year),
  setMonth: (date, month) => setMonth(date, month),
  setDate: (date, day) => setDate(date, day),
  setHour: (date, hour) => setHours(date, hour),
  setMinute: (date, minute) => setMinutes(date, minute),
  setSecond: (date, second) => setSeconds(date, second),
  setMillisecond: (date, ms) => setMilliseconds(date, ms),

  isAfter: (a, b) => isAfter(a, b),
  isValidate: (date) => isValid(date),

  locale: {
    getWeekFirstDay: () => faIR.options?.weekStartsOn ?? 6,
    getWeekFirstDate: (_locale, date) => startOfWeek(date, { locale: faIR }),
    getWeek: (_locale, date) => getWeek(date, { locale: faIR }),
    getShortWeekDays: () => WEEKDAYS_NARROW,
    getShortMonths: () => MONTHS_WIDE,
    format: (_locale, date, fmt) => {
      if (!isValid(date)) return '';
      return toPersianDigits(format(date, toDateFnsFormat(fmt), { locale: faIR }));
    },
    parse: (_locale, text, formats) => {
      const typed = normalizeText(text);
      if (!typed) return null;
      for (const dayjsFormat of formats) {
        const fmt = toDateFnsFormat(dayjsFormat);
        if (DATE_FORMATS.has(fmt)) {
          const iso = fromJalali(typed);
          if (iso) return dateFromIso(iso);
          continue;
        }
        const date = parse(typed, fmt, new Date(), { locale: faIR });
        if (isValid(date) && format(date, fmt, { locale: faIR }) === typed) return date;
      }
      return null;
    },
  },
};
