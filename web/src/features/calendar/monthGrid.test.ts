import { describe, expect, it } from 'vitest';
import { jalaliMonthGrid, shiftMonth } from './monthGrid';

describe('the Jalali month grid', () => {
  it('starts the week on Saturday and puts Fridays in the last column', () => {
    // 1 Farvardin 1405 (2026-03-21) is a Saturday; the month has 31 days
    const weeks = jalaliMonthGrid(1405, 1);
    expect(weeks[0]![0]).toEqual({ iso: '2026-03-21', day: 1, friday: false });
    expect(weeks.flat().filter(Boolean)).toHaveLength(31);
    expect(weeks.every((w) => w.length === 7)).toBe(true);
    expect(weeks.every((w) => !w[6] || w[6].friday)).toBe(true);
    expect(weeks[0]![6]).toMatchObject({ day: 7, iso: '2026-03-27', friday: true });
  });

  it('leaves the days before the first of the month empty', () => {
    // 1 Esfand 1404 (2026-02-20) is a Friday: six empty cells first; Esfand 1404 has 29 days
    const weeks = jalaliMonthGrid(1404, 12);
    expect(weeks[0]!.slice(0, 6)).toEqual([null, null, null, null, null, null]);
    expect(weeks[0]![6]).toMatchObject({ day: 1, friday: true });
    expect(weeks.flat().filter(Boolean)).toHaveLength(29);
  });

  it('moves across the year', () => {
    expect(shiftMonth(1404, 12, 1)).toEqual({ year: 1405, month: 1 });
    expect(shiftMonth(1405, 1, -1)).toEqual({ year: 1404, month: 12 });
  });
});
