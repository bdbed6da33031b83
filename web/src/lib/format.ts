/** Display formatters: Jalali dates and Persian digits for everything a person reads. */
import { formatMoney, toPersianDigits } from '@vosul/common/text';
import { toJalali, toJalaliDateTime } from '@vosul/common/jalali';

export { formatMoney, toPersianDigits };

/** The zone every timestamp is shown in (VOSUL_TIMEZONE's default). */
export const DISPLAY_TIME_ZONE = 'Asia/Tehran';

/** `2024-07-22` → `۱۴۰۳/۰۵/۰۱`; '' for empty; the input unchanged when it is not a date. */
export function formatJalaliDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const jalali = toJalali(iso);
  return toPersianDigits(jalali || iso);
}

/** An ISO timestamp → `۱۴۰۳/۰۵/۰۱ ۱۳:۳۰` on Tehran's clock. */
export function formatDateTime(timestamp: string | Date | null | undefined, withSeconds = false): string {
  return toPersianDigits(toJalaliDateTime(timestamp, DISPLAY_TIME_ZONE, withSeconds));
}

/** A number (or numeric string) with Persian digits; money-style grouping when `grouped`. */
export function formatNumber(value: number | string | bigint | null | undefined, grouped = false): string {
  if (value === null || value === undefined || value === '') return '';
  return grouped ? formatMoney(value) : toPersianDigits(value);
}

/** `code - name` with Persian digits (how a coded record is named in lists and selects); null without a code. */
export function formatCodeName(
  code: string | null | undefined,
  name: string | null | undefined,
): string | null {
  if (!code) return name ? toPersianDigits(name) : null;
  return toPersianDigits(name ? `${code} - ${name}` : code);
}
