/** Persian-first text handling shared by server and web: digits, Arabic letters, display forms. */

const PERSIAN_DIGITS = '۰۱۲۳۴۵۶۷۸۹';
const ARABIC_DIGITS = '٠١٢٣٤٥٦٧٨٩';

/** Persian and Arabic-Indic digits to Latin; Arabic ي/ك (and ى, ة-free forms) to Persian ی/ک; trims. */
export function normalizeText(value: string): string {
  let out = '';
  for (const ch of value) {
    const p = PERSIAN_DIGITS.indexOf(ch);
    if (p >= 0) {
      out += String(p);
      continue;
    }
    const a = ARABIC_DIGITS.indexOf(ch);
    if (a >= 0) {
      out += String(a);
      continue;
    }
    if (ch === 'ي' || ch === 'ى') out += 'ی';
    else if (ch === 'ك') out += 'ک';
    else out += ch;
  }
  return out.trim();
}

/** Latin digits to Persian for display. */
export function toPersianDigits(value: string | number | bigint): string {
  return String(value).replace(/[0-9]/g, (d) => PERSIAN_DIGITS[Number(d)] ?? d);
}

/** An amount (bigint, integer string or number) with Persian thousands separators and digits. */
export function formatMoney(value: string | number | bigint): string {
  const s = typeof value === 'string' ? value : BigInt(value).toString();
  const negative = s.startsWith('-');
  const digits = negative ? s.slice(1) : s;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, '٬');
  return (negative ? '−' : '') + toPersianDigits(grouped);
}

/** `%`, `_` and `\` escaped, so LIKE reads them as themselves (its default escape is `\`). */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => '\\' + c);
}

/** Escapes `%`, `_` and `\` for a LIKE pattern after normalisation; use with `ILIKE ... ESCAPE '\'`. */
export function likePattern(search: string): string {
  return '%' + escapeLike(normalizeText(search)) + '%';
}
