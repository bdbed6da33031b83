import { JALALI_MONTHS } from '@vosul/common/calendar';
import { formatMoney, toPersianDigits } from '../../lib/format';

/**
 * A chart text as a right-to-left embedding: ECharts draws its SVG text left to right, which would
 * reorder Persian words around digits («۱۸۱ تا ۵۴۰ روز»).
 */
export const rtl = (text: string | number) => `\u202B${text}\u202C`;

/** An amount in Rials, short for a chart axis: «۱٫۵ میلیارد», «۲۵۰ میلیون», «۹۰۰ هزار». */
export function shortRials(value: number | string): string {
  const n = Number(value);
  const units: [number, string][] = [
    [1e12, 'هزار میلیارد'],
    [1e9, 'میلیارد'],
    [1e6, 'میلیون'],
    [1e3, 'هزار'],
  ];
  for (const [size, name] of units) {
    if (Math.abs(n) >= size) {
      const shown = (n / size)
        .toFixed(n / size >= 100 ? 0 : 1)
        .replace(/\.0$/, '')
        .replace('.', '٫');
      return rtl(`${toPersianDigits(shown)} ${name}`);
    }
  }
  return toPersianDigits(String(n));
}

/** `1403/11` → «بهمن ۱۴۰۳». */
export function jalaliMonthName(month: string): string {
  const [year, m] = month.split('/');
  return `${JALALI_MONTHS[Number(m) - 1] ?? m} ${toPersianDigits(year ?? '')}`;
}

export const rials = (value: string) => `${formatMoney(value)} ریال`;
