/**
 * Calendar arithmetic on day numbers (days since 1970-01-01), without Date objects, plus cached
 * Gregorian and Jalali renderings: the generator formats tens of millions of dates.
 */
import { toJalali } from '@vosul/common';

/** Day number of a Gregorian date (Howard Hinnant's days_from_civil). */
export function dayFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Gregorian [year, month, day] of a day number. */
export function civilFromDay(z: number): [number, number, number] {
  const zz = z + 719468;
  const era = Math.floor(zz / 146097);
  const doe = zz - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [m <= 2 ? era * 400 + yoe + 1 : era * 400 + yoe, m, d];
}

const daysInMonth = (y: number, m: number) =>
  m === 2 ? ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;

/** The day `months` months after Gregorian (y, m, d), clamped to that month's last day. */
export function monthsAfter(y: number, m: number, d: number, months: number): number {
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  return dayFromCivil(ny, nm, Math.min(d, daysInMonth(ny, nm)));
}

/** The same day of the month `months` later (clamped to the month's last day). */
export function addMonths(day: number, months: number): number {
  const [y, m, d] = civilFromDay(day);
  return monthsAfter(y, m, d, months);
}

/** `YYYY-MM-DD` → day number, or null when it is not a real Gregorian day. */
export function parseIsoDay(iso: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
  return dayFromCivil(y, mo, d);
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** Renders day numbers, caching each distinct day (a book spans a few thousand days). */
export class DayFormatter {
  private readonly iso = new Map<number, string>();
  private readonly jalali = new Map<number, string>();

  /** `YYYY-MM-DD`. */
  isoOf(day: number): string {
    let s = this.iso.get(day);
    if (s === undefined) {
      const [y, m, d] = civilFromDay(day);
      s = `${y}-${pad2(m)}-${pad2(d)}`;
      this.iso.set(day, s);
    }
    return s;
  }

  /** Jalali `YYYY/MM/DD`. */
  jalaliOf(day: number): string {
    let s = this.jalali.get(day);
    if (s === undefined) {
      s = toJalali(this.isoOf(day));
      this.jalali.set(day, s);
    }
    return s;
  }
}
