import { describe, expect, it } from 'vitest';
import { formatMoney, likePattern, normalizeText, toPersianDigits } from './text.js';

describe('Persian text handling', () => {
  it('turns Persian and Arabic-Indic digits into Latin and Arabic ي/ك into Persian ی/ک', () => {
    expect(normalizeText(' ۱۲۳٤٥٦ علي كريمي ')).toBe('123456 علی کریمی');
  });
  it('shows Persian digits and Rials with separators', () => {
    expect(toPersianDigits('1403/05/01')).toBe('۱۴۰۳/۰۵/۰۱');
    expect(formatMoney('100000000')).toBe('۱۰۰٬۰۰۰٬۰۰۰');
    expect(formatMoney(-1500n)).toBe('−۱٬۵۰۰');
    expect(formatMoney('999')).toBe('۹۹۹');
  });
  it('escapes LIKE wildcards typed by a user', () => {
    expect(likePattern('50%_ي')).toBe('%50\\%\\_ی%');
  });
});
