import { isValidNationalCode } from '@vosul/common/validators';

/**
 * The value forms of the snapshot format (interchange.md, "Values"), read while the CSV streams into
 * COPY: one pass of character code checks per field is far cheaper than the same rules as SQL
 * functions over millions of rows (PostgreSQL's regex engine with capture groups costs tens of µs a
 * value). The SQL helpers of migration 0003/0004 (`vosul_parse_date`, …) follow the same rules and
 * a test holds the two together.
 */

/** What a field of a snapshot file holds, and so how it is read and staged. */
export type ValueKind = 'text' | 'date' | 'amount' | 'int' | 'mobile' | 'national_id' | 'postal' | 'email';

const ZWNJ_LIKE = new Set([0x20, 0x09, 0x0d, 0x0a, 0xa0, 0x200c, 0x200f, 0x200e, 0xfeff]);

/**
 * Persian/Arabic-Indic digits → Latin, Arabic ي/ى/ك → Persian ی/ک, surrounding blanks (with ZWNJ,
 * direction marks and BOM) trimmed; '' when nothing is left. Same as SQL `vosul_norm`.
 */
export function normalizeField(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && ZWNJ_LIKE.has(value.charCodeAt(start))) start++;
  while (end > start && ZWNJ_LIKE.has(value.charCodeAt(end - 1))) end--;
  let plain = true;
  for (let i = start; i < end; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x0600 && needsMapping(c)) {
      plain = false;
      break;
    }
  }
  const trimmed = start === 0 && end === value.length ? value : value.slice(start, end);
  if (plain) return trimmed;
  let out = '';
  for (let i = 0; i < trimmed.length; i++) {
    const c = trimmed.charCodeAt(i);
    if (c >= 0x06f0 && c <= 0x06f9) out += String.fromCharCode(c - 0x06f0 + 48);
    else if (c >= 0x0660 && c <= 0x0669) out += String.fromCharCode(c - 0x0660 + 48);
    else if (c === 0x064a || c === 0x0649) out += 'ی';
    else if (c === 0x0643) out += 'ک';
    else out += trimmed[i];
  }
  return out;
}

function needsMapping(c: number): boolean {
  return (
    (c >= 0x06f0 && c <= 0x06f9) ||
    (c >= 0x0660 && c <= 0x0669) ||
    c === 0x064a ||
    c === 0x0649 ||
    c === 0x0643
  );
}

const isDigit = (c: number) => c >= 48 && c <= 57;

function digitsAt(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c)) return -1;
    n = n * 10 + c - 48;
  }
  return n;
}

const pad2 = (n: number) => (n < 10 ? '0' + n : String(n));
const EPOCH_2000_JDN = 2451545;
const DAY_MS = 86_400_000;
const EPOCH_2000_MS = Date.UTC(2000, 0, 1);

/**
 * A date of the interchange format (normalised): Gregorian `YYYY-MM-DD` or `YYYYMMDD`; Jalali
 * `YYYY/M/D`, `YYYY-MM-DD` or `YYYYMMDD` when the year is below 1700. ISO `YYYY-MM-DD`, or null
 * when it is no real day. The Jalali calendar is the 33-year arithmetic one of date-fns-jalali.
 */
export function parseSnapshotDate(value: string): string | null {
  const n = value.length;
  if (n < 8 || n > 10) return null; // YYYYMMDD, YYYY/M/D … YYYY-MM-DD
  const y = digitsAt(value, 0, 4);
  if (y < 0) return null;
  let m: number;
  let d: number;
  let slashed = false;
  const separator = value.charCodeAt(4);
  if (separator >= 48 && separator <= 57) {
    if (n !== 8) return null;
    m = digitsAt(value, 4, 6);
    d = digitsAt(value, 6, 8);
  } else if (separator === 45 /* - */) {
    if (n !== 10 || value.charCodeAt(7) !== 45) return null;
    m = digitsAt(value, 5, 7);
    d = digitsAt(value, 8, 10);
  } else if (separator === 47 /* / */) {
    slashed = true;
    const second = value.indexOf('/', 5);
    if (second < 6 || second > 7 || n - second - 1 < 1 || n - second - 1 > 2) return null;
    m = digitsAt(value, 5, second);
    d = digitsAt(value, second + 1, n);
  } else return null;
  if (m < 1 || m > 12 || d < 1) return null;
  if (y < 1700) {
    if (y < 1) return null;
    const last = m <= 6 ? 31 : m <= 11 ? 30 : (25 * y + 11) % 33 < 8 ? 30 : 29;
    if (d > last) return null;
    const jdn =
      1948319 + 365 * (y - 1) + Math.floor((8 * y + 21) / 33) + (m - 1) * 31 - Math.max(m - 7, 0) + d;
    const date = new Date(EPOCH_2000_MS + (jdn - EPOCH_2000_JDN) * DAY_MS);
    return `${date.getUTCFullYear()}-${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())}`;
  }
  if (slashed) return null; // a Gregorian date is never written with slashes
  const last =
    m === 4 || m === 6 || m === 9 || m === 11
      ? 30
      : m === 2
        ? (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
          ? 29
          : 28
        : 31;
  if (d > last) return null;
  return `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;
}

/** An amount: digits with optional `,`/`٬` separators and an optional all-zero fraction → digits. */
export function parseSnapshotAmount(value: string): string | null {
  let digits = '';
  let i = 0;
  for (; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (isDigit(c)) digits += value[i];
    else if (c === 44 || c === 0x066c) continue;
    else break;
  }
  if (i < value.length) {
    if (value.charCodeAt(i) !== 46 /* . */) return null;
    for (let k = i + 1; k < value.length; k++) if (value.charCodeAt(k) !== 48) return null;
  }
  if (digits === '' || digits.length > 18) return null;
  const stripped = digits.replace(/^0+/, '');
  return stripped === '' ? '0' : stripped;
}

/** A count (seq, installment_count): 1–6 digits. */
export function parseSnapshotInt(value: string): string | null {
  if (value.length < 1 || value.length > 6) return null;
  return digitsAt(value, 0, value.length) < 0 ? null : String(Number(value));
}

const SEPARATORS = /[\s\-().]/g;

/** `09xxxxxxxxx` from `09…`, `9…`, `+989…`, `989…`, `00989…` (spaces, dashes, brackets, dots allowed). */
export function parseSnapshotMobile(value: string): string | null {
  const m = /^(?:\+98|0098|98|0)?(9\d{9})$/.exec(value.replace(SEPARATORS, ''));
  return m ? '0' + m[1] : null;
}

/**
 * A national identifier: a person's 10-digit code (8–9 digits left-padded) or a company's 11-digit
 * national ID, each with its check digit; null when it is neither.
 */
export function parseSnapshotNationalId(value: string): string | null {
  const c = value.replace(/[\s\-.]/g, '');
  if (!/^\d{8,11}$/.test(c)) return null;
  if (c.length === 11) return isValidCompanyId(c) ? c : null;
  const code = c.padStart(10, '0');
  return isValidNationalCode(code) ? code : null;
}

const COMPANY_COEFFICIENTS = [29, 27, 23, 19, 17, 29, 27, 23, 19, 17];

/** The check of a company's national ID (شناسه ملی): the tenth digit + 2 added to each digit, weighted. */
export function isValidCompanyId(c: string): boolean {
  if (!/^\d{11}$/.test(c) || /^(\d)\1{10}$/.test(c)) return false;
  const tenth = c.charCodeAt(9) - 48;
  let s = 0;
  for (let i = 0; i < 10; i++) s += (c.charCodeAt(i) - 48 + tenth + 2) * COMPANY_COEFFICIENTS[i]!;
  const r = s % 11 === 10 ? 0 : s % 11;
  return r === c.charCodeAt(10) - 48;
}

/** A 10-digit postal code (spaces and dashes dropped). */
export function parseSnapshotPostal(value: string): string | null {
  const c = value.replace(/[\s-]/g, '');
  return /^\d{10}$/.test(c) ? c : null;
}

export function parseSnapshotEmail(value: string): string | null {
  return /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(value) ? value : null;
}

/** The parser of each checked kind: the stored form, or null when the value is not valid. */
export const PARSERS: Record<Exclude<ValueKind, 'text'>, (value: string) => string | null> = {
  date: parseSnapshotDate,
  amount: parseSnapshotAmount,
  int: parseSnapshotInt,
  mobile: parseSnapshotMobile,
  national_id: parseSnapshotNationalId,
  postal: parseSnapshotPostal,
  email: parseSnapshotEmail,
};
