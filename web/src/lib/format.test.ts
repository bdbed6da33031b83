import { describe, expect, it } from 'vitest';
import { formatCodeName, formatDateTime, formatJalaliDate, formatMoney, formatNumber } from './format';
import { normalizeTyping } from './text';

describe('display formatters', () => {
  it('shows Jalali dates and Tehran timestamps with Persian digits', () => {
    expect(formatJalaliDate('2024-07-22')).toBe('۱۴۰۳/۰۵/۰۱');
    expect(formatJalaliDate(null)).toBe('');
    expect(formatDateTime('2024-07-22T10:00:00Z')).toBe('۱۴۰۳/۰۵/۰۱ ۱۳:۳۰');
  });
  it('shows numbers, money and coded names with Persian digits', () => {
    expect(formatNumber(1234)).toBe('۱۲۳۴');
    expect(formatNumber('1234567', true)).toBe('۱٬۲۳۴٬۵۶۷');
    expect(formatMoney('12500000')).toBe('۱۲٬۵۰۰٬۰۰۰');
    expect(formatCodeName('021', 'تهران')).toBe('۰۲۱ - تهران');
    expect(formatCodeName(null, null)).toBeNull();
  });
  it('normalises while typing without eating spaces', () => {
    expect(normalizeTyping('علي ۱۲ ')).toBe('علی 12 ');
    expect(normalizeTyping('كد ٣')).toBe('کد 3');
  });
});
