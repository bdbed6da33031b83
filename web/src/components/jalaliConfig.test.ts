import { describe, expect, it } from 'vitest';
import { isoFromDate } from '@vosul/common/jalali';
import { jalaliGenerateConfig as g } from './jalaliConfig';

describe('the Jalali generateConfig of the date pickers', () => {
  const mordad1 = new Date(2024, 6, 22, 12); // 1403/05/01, a Monday
  it('counts in Jalali years, months and days', () => {
    expect([g.getYear(mordad1), g.getMonth(mordad1), g.getDate(mordad1)]).toEqual([1403, 4, 1]);
    expect(isoFromDate(g.addMonth(mordad1, 7))).toBe('2025-02-19'); // 1403/12/01
    expect(g.getDate(g.getEndDate(g.setMonth(mordad1, 11)))).toBe(30); // Esfand of a leap year
    expect(isoFromDate(g.setDate(g.setMonth(g.setYear(mordad1, 1402), 0), 1))).toBe('2023-03-21');
  });
  it('starts the week on Saturday with Persian names', () => {
    expect(g.locale.getWeekFirstDay('fa_IR')).toBe(6);
    expect(isoFromDate(g.locale.getWeekFirstDate('fa_IR', mordad1))).toBe('2024-07-20');
    expect(g.locale.getShortMonths?.('fa_IR')[0]).toBe('فروردین');
    expect(g.locale.getShortWeekDays?.('fa_IR')[6]).toBe('ش');
  });
  it('shows Persian digits and reads any digits', () => {
    expect(g.locale.format('fa_IR', mordad1, 'YYYY/MM/DD')).toBe('۱۴۰۳/۰۵/۰۱');
    expect(g.locale.format('fa_IR', mordad1, 'D')).toBe('۱');
    const typed = g.locale.parse('fa_IR', '۱۴۰۳/۵/۱', ['YYYY/MM/DD']);
    expect(typed && isoFromDate(typed)).toBe('2024-07-22');
    expect(g.locale.parse('fa_IR', '1402/12/30', ['YYYY/MM/DD'])).toBeNull();
    expect(g.locale.parse('fa_IR', '1403/0', ['YYYY/MM/DD'])).toBeNull();
  });
});
