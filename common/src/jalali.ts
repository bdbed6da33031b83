/**
 * Jalali (Solar Hijri) conversions at the edges. The wire and the database carry Gregorian
 * `YYYY-MM-DD` dates and ISO timestamps; people see and type Jalali `1403/05/01`.
 * Results use Latin digits; pass them through `toPersianDigits` for display.
 */
import { getDate, getMonth, getYear, newDate } from 'date-fns-jalali';
import { normalizeText } from './text.js';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const JALALI_DATE = /^(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})$/;

const pad2 = (n: number) => String(n).padStart(2, '0');

/** A Gregorian `YYYY-MM-DD` string as a local Date at noon (noon keeps daylight-saving shifts away). */
export function dateFromIso(iso: string): Date | null {
  const m = ISO_DATE.exec(iso.slice(0, 10));
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(y, mo - 1, d, 12);
  if (date.getFullYear() !== y || date.getMonth() !== mo - 1 || date.getDate() !== d) return null;
  return date;
}

/** A Date's local calendar day as a Gregorian `YYYY-MM-DD` string. */
export function isoFromDate(date: Date): string {
  return `${date.getFullYear()}-${pad2(date.getMonth() + 1)}-${pad2(date.getDate())}`;
}

/** A Gregorian `YYYY-MM-DD` date moved by `days` calendar days (negative: back), as the same form. */
export function addIsoDays(iso: string, days: number): string {
  const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Jalali year, month (1–12) and day of a Gregorian `YYYY-MM-DD` date; null when it is not one. */
export function jalaliParts(iso: string): { year: number; month: number; day: number } | null {
  const date = dateFromIso(iso);
  if (!date) return null;
  return { year: getYear(date), month: getMonth(date) + 1, day: getDate(date) };
}

/** `2024-07-22` → `1403/05/01` (Latin digits); empty string for an empty or invalid input. */
export function toJalali(iso: string | null | undefined): string {
  if (!iso) return '';
  const p = jalaliParts(iso);
  return p ? `${p.year}/${pad2(p.month)}/${pad2(p.day)}` : '';
}

/**
 * A typed Jalali date (any digits; `/`, `-` or `.` between parts; `1403/5/1` too) → Gregorian
 * `YYYY-MM-DD`; null when it is not a real Jalali day.
 */
export function fromJalali(text: string): string | null {
  const m = JALALI_DATE.exec(normalizeText(text));
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  const date = newDate(y, mo - 1, d, 12);
  if (
    Number.isNaN(date.getTime()) ||
    getYear(date) !== y ||
    getMonth(date) !== mo - 1 ||
    getDate(date) !== d
  ) {
    return null;
  }
  return isoFromDate(date);
}

/**
 * An ISO timestamp as Jalali date and time on the wall clock of `timeZone`:
 * `2024-07-22T10:00:00Z` → `1403/05/01 13:30` in Asia/Tehran.
 */
export function toJalaliDateTime(
  timestamp: string | Date | null | undefined,
  timeZone = 'Asia/Tehran',
  withSeconds = false,
): string {
  if (!timestamp) return '';
  const instant = typeof timestamp === 'string' ? new Date(timestamp) : timestamp;
  if (Number.isNaN(instant.getTime())) return '';
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '00';
  const date = toJalali(`${get('year')}-${get('month')}-${get('day')}`);
  const time = `${get('hour')}:${get('minute')}` + (withSeconds ? `:${get('second')}` : '');
  return `${date} ${time}`;
}
