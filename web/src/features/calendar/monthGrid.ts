import { dateFromIso, fromJalali } from '@vosul/common/jalali';

export interface GridDay {
  /** Gregorian `YYYY-MM-DD`. */
  iso: string;
  /** The Jalali day of the month, 1–31. */
  day: number;
  friday: boolean;
}

/**
 * The weeks of a Jalali month as rows of 7 cells, Saturday first (RTL: Saturday at the right);
 * cells outside the month are null.
 */
export function jalaliMonthGrid(year: number, month: number): (GridDay | null)[][] {
  const days: GridDay[] = [];
  for (let day = 1; day <= 31; day++) {
    const iso = fromJalali(`${year}/${month}/${day}`);
    if (!iso) break;
    days.push({ iso, day, friday: dateFromIso(iso)!.getDay() === 5 });
  }
  // JS counts Sunday as 0; the Iranian week starts on Saturday (6)
  const lead = (dateFromIso(days[0]!.iso)!.getDay() + 1) % 7;
  const cells: (GridDay | null)[] = [...Array<null>(lead).fill(null), ...days];
  while (cells.length % 7 !== 0) cells.push(null);
  const weeks: (GridDay | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}

/** The month before or after (`step` = -1 or 1). */
export function shiftMonth(year: number, month: number, step: number): { year: number; month: number } {
  const index = year * 12 + (month - 1) + step;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}
