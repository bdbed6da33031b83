import { describe, expect, it } from 'vitest';
import { addIsoDays, dateFromIso, fromJalali, isoFromDate, toJalali, toJalaliDateTime } from './jalali.js';

describe('Jalali dates at the edges', () => {
  it('shows a Gregorian date as Jalali', () => {
    expect(toJalali('2024-07-22')).toBe('1403/05/01');
    expect(toJalali('2025-03-20')).toBe('1403/12/30');
    expect(toJalali('2025-03-21')).toBe('1404/01/01');
    expect(toJalali('')).toBe('');
    expect(toJalali('not a date')).toBe('');
  });
  it('reads a typed Jalali date in any digits and separators', () => {
    expect(fromJalali('1403/05/01')).toBe('2024-07-22');
    expect(fromJalali('۱۴۰۳/۵/۱')).toBe('2024-07-22');
    expect(fromJalali('١٤٠٣-٠٥-٠١')).toBe('2024-07-22');
    expect(fromJalali(' 1403.05.01 ')).toBe('2024-07-22');
  });
  it('refuses days that do not exist', () => {
    expect(fromJalali('1402/12/30')).toBeNull(); // 1402 is not a leap year
    expect(fromJalali('1403/12/30')).toBe('2025-03-20'); // 1403 is
    expect(fromJalali('1403/07/31')).toBeNull(); // the second half-year has 30 days
    expect(fromJalali('1403/13/01')).toBeNull();
    expect(fromJalali('03/05/01')).toBeNull();
  });
  it('round-trips every day of a year', () => {
    for (let d = new Date(2024, 0, 1, 12); d.getFullYear() === 2024; d.setDate(d.getDate() + 1)) {
      const iso = isoFromDate(d);
      expect(fromJalali(toJalali(iso))).toBe(iso);
      expect(isoFromDate(dateFromIso(iso)!)).toBe(iso);
    }
  });
  it('shows a timestamp on the Tehran wall clock', () => {
    expect(toJalaliDateTime('2024-07-22T10:00:00Z')).toBe('1403/05/01 13:30');
    expect(toJalaliDateTime('2024-03-19T21:00:00Z')).toBe('1403/01/01 00:30');
    expect(toJalaliDateTime('2024-07-22T10:00:05Z', 'Asia/Tehran', true)).toBe('1403/05/01 13:30:05');
    expect(toJalaliDateTime(null)).toBe('');
  });
});

describe('addIsoDays', () => {
  it('moves a date across month, year and leap-day boundaries, both ways', () => {
    expect(addIsoDays('2025-03-20', 1)).toBe('2025-03-21'); // the eve of Nowruz 1404
    expect(addIsoDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addIsoDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addIsoDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addIsoDays('2025-10-04', -40)).toBe('2025-08-25');
    expect(addIsoDays('2025-10-04', 0)).toBe('2025-10-04');
  });
});
