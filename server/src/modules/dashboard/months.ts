import { addIsoDays, fromJalali, jalaliParts } from '@vosul/common';

/** A Jalali month: its key (`1403/11`) and its first and last Gregorian days. */
export interface JalaliMonth {
  key: string;
  since: string;
  until: string;
}

/** The key of the Jalali month of a Gregorian `YYYY-MM-DD` date: `1403/11`. */
export function jalaliMonthKey(iso: string): string {
  const p = jalaliParts(iso)!;
  return `${p.year}/${String(p.month).padStart(2, '0')}`;
}

/** The `count` Jalali months ending with the month of `date`, oldest first. */
export function jalaliMonthsUntil(date: string, count: number): JalaliMonth[] {
  const p = jalaliParts(date)!;
  const last = p.year * 12 + (p.month - 1);
  const first = (index: number) => fromJalali(`${Math.floor(index / 12)}/${(index % 12) + 1}/1`)!;
  const months: JalaliMonth[] = [];
  for (let index = last - count + 1; index <= last; index++) {
    const since = first(index);
    months.push({ key: jalaliMonthKey(since), since, until: addIsoDays(first(index + 1), -1) });
  }
  return months;
}
