/**
 * Byte-level forms of the value rules of snapshot-values.ts, for CsvToCopy: a field is read from
 * the UTF-8 input buffer and written as COPY text straight into the output buffer, so the hot
 * columns of a multi-million-row file never become JS strings. Each writer returns the new output
 * position; the caller has made room for twice the field's bytes plus a few.
 */

export const TAB = 0x09;
export const LF = 0x0a;
export const CR = 0x0d;
export const QUOTE = 0x22;
export const COMMA = 0x2c;
const SPACE = 0x20;
const BACKSLASH = 0x5c;
const DASH = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;

const isAsciiDigit = (b: number) => b >= 0x30 && b <= 0x39;
const isAsciiBlank = (b: number) => b === SPACE || b === TAB || b === CR || b === LF;

/** The length of the blank (as normalizeField trims: NBSP, ZWNJ, LRM/RLM, BOM too) starting at s, or 0. */
function blankAt(buf: Uint8Array, s: number, e: number): number {
  const b = buf[s]!;
  if (isAsciiBlank(b)) return 1;
  if (b === 0xc2) return s + 1 < e && buf[s + 1] === 0xa0 ? 2 : 0;
  if (s + 2 >= e) return 0;
  if (b === 0xe2) return buf[s + 1] === 0x80 && isDirectionOrJoiner(buf[s + 2]!) ? 3 : 0;
  if (b === 0xef) return buf[s + 1] === 0xbb && buf[s + 2] === 0xbf ? 3 : 0;
  return 0;
}

/** The length of the blank ending just before e, or 0. */
function blankBefore(buf: Uint8Array, s: number, e: number): number {
  const b = buf[e - 1]!;
  if (isAsciiBlank(b)) return 1;
  if (b === 0xa0) return e - 2 >= s && buf[e - 2] === 0xc2 ? 2 : 0;
  if (e - 3 < s) return 0;
  if (isDirectionOrJoiner(b)) return buf[e - 2] === 0x80 && buf[e - 3] === 0xe2 ? 3 : 0;
  if (b === 0xbf) return buf[e - 2] === 0xbb && buf[e - 3] === 0xef ? 3 : 0;
  return 0;
}

// the last bytes of ZWNJ (E2 80 8C), LRM (E2 80 8E) and RLM (E2 80 8F)
const isDirectionOrJoiner = (b: number) => b === 0x8c || b === 0x8e || b === 0x8f;

/** The start of [s, e) with the leading blanks skipped. */
export function trimStart(buf: Uint8Array, s: number, e: number): number {
  for (let n; s < e && (n = blankAt(buf, s, e)) > 0;) s += n;
  return s;
}

/** The end of [s, e) with the trailing blanks dropped. */
export function trimEnd(buf: Uint8Array, s: number, e: number): number {
  for (let n; e > s && (n = blankBefore(buf, s, e)) > 0;) e -= n;
  return e;
}

/**
 * The trimmed value [s, e) normalised (Persian/Arabic-Indic digits → ASCII, ي/ى → ی, ك → ک) and
 * COPY-escaped (NUL dropped) into out at pos, as escapeCopy(normalizeField(value)) would write it.
 */
export function writeNormalized(buf: Uint8Array, s: number, e: number, out: Uint8Array, pos: number): number {
  for (let i = s; i < e; i++) {
    const b = buf[i]!;
    if (b < 0x80) {
      if (b > CR && b !== BACKSLASH) out[pos++] = b;
      else pos = writeEscaped(b, out, pos);
    } else if ((b === 0xd9 || b === 0xdb) && i + 1 < e) {
      pos = writeArabic(b, buf[++i]!, out, pos);
    } else out[pos++] = b;
  }
  return pos;
}

function writeEscaped(b: number, out: Uint8Array, pos: number): number {
  if (b === 0) return pos; // PostgreSQL text cannot hold NUL
  if (b !== TAB && b !== LF && b !== CR && b !== BACKSLASH) {
    out[pos] = b;
    return pos + 1;
  }
  out[pos] = BACKSLASH;
  out[pos + 1] = b === TAB ? 0x74 /* t */ : b === LF ? 0x6e /* n */ : b === CR ? 0x72 /* r */ : BACKSLASH;
  return pos + 2;
}

/** A two-byte character led by D9 or DB, mapped when it is a digit or an Arabic ي/ى/ك. */
function writeArabic(lead: number, next: number, out: Uint8Array, pos: number): number {
  if (lead === 0xdb && next >= 0xb0 && next <= 0xb9) out[pos++] = ZERO + next - 0xb0;
  else if (lead === 0xd9 && next >= 0xa0 && next <= 0xa9) out[pos++] = ZERO + next - 0xa0;
  else if (lead === 0xd9 && (next === 0x8a || next === 0x89)) {
    out[pos++] = 0xdb; // ی
    out[pos++] = 0x8c;
  } else if (lead === 0xd9 && next === 0x83) {
    out[pos++] = 0xda; // ک
    out[pos++] = 0xa9;
  } else {
    out[pos++] = lead;
    out[pos++] = next;
  }
  return pos;
}

/** Writes n in decimal. */
export function writeUint(n: number, out: Uint8Array, pos: number): number {
  let digits = 1;
  for (let t = n; t >= 10; t = Math.floor(t / 10)) digits++;
  const end = pos + digits;
  for (let p = end - 1; p >= pos; p--) {
    out[p] = ZERO + (n % 10);
    n = Math.floor(n / 10);
  }
  return end;
}

/** Writes `\t\N`, the NULL of a column. */
export function writeNull(out: Uint8Array, pos: number): number {
  out[pos] = TAB;
  out[pos + 1] = BACKSLASH;
  out[pos + 2] = 0x4e; // N
  return pos + 3;
}

/** Writes an ASCII string (the fixed parts of a COPY line). */
export function writeAscii(text: string, out: Uint8Array, pos: number): number {
  for (let i = 0; i < text.length; i++) out[pos++] = text.charCodeAt(i);
  return pos;
}

/** Copies the digits of [s, e) (commas skipped) without their leading zeros; '0' when all are zeros. */
function writeDigitsStripped(buf: Uint8Array, s: number, e: number, out: Uint8Array, pos: number): number {
  while (s < e && (buf[s] === ZERO || buf[s] === COMMA)) s++;
  if (s === e) {
    out[pos] = ZERO;
    return pos + 1;
  }
  for (let i = s; i < e; i++) if (buf[i] !== COMMA) out[pos++] = buf[i]!;
  return pos;
}

/**
 * parseSnapshotInt for a value of ASCII digits: the stored form at pos, or -1 when the value needs
 * the string parser (other characters, or a length it refuses).
 */
export function writeFastInt(buf: Uint8Array, s: number, e: number, out: Uint8Array, pos: number): number {
  if (e - s < 1 || e - s > 6) return -1;
  for (let i = s; i < e; i++) if (!isAsciiDigit(buf[i]!)) return -1;
  return writeDigitsStripped(buf, s, e, out, pos);
}

/**
 * parseSnapshotAmount for ASCII digits with `,` separators and an optional all-zero `.` fraction;
 * -1 when the value needs the string parser.
 */
export function writeFastAmount(buf: Uint8Array, s: number, e: number, out: Uint8Array, pos: number): number {
  let digits = 0;
  let i = s;
  for (; i < e; i++) {
    const b = buf[i]!;
    if (isAsciiDigit(b)) digits++;
    else if (b !== COMMA) break;
  }
  if (digits === 0 || digits > 18) return -1;
  if (i < e) {
    if (buf[i] !== DOT) return -1;
    for (let k = i + 1; k < e; k++) if (buf[k] !== ZERO) return -1;
  }
  return writeDigitsStripped(buf, s, i, out, pos);
}

/**
 * parseSnapshotDate for a Gregorian ASCII `YYYY-MM-DD` (year ≥ 1700) that is a real day, whose
 * stored form is the same 10 bytes; -1 for any other value (Jalali, `YYYYMMDD`, invalid …).
 */
export function writeFastDate(buf: Uint8Array, s: number, e: number, out: Uint8Array, pos: number): number {
  if (e - s !== 10 || buf[s + 4] !== DASH || buf[s + 7] !== DASH) return -1;
  const y = digitsAt(buf, s, s + 4);
  const m = digitsAt(buf, s + 5, s + 7);
  const d = digitsAt(buf, s + 8, s + 10);
  if (y < 1700 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return -1;
  for (let i = s; i < e; i++) out[pos++] = buf[i]!; // a subarray per value would cost more than the copy
  return pos;
}

function digitsAt(buf: Uint8Array, s: number, e: number): number {
  let n = 0;
  for (let i = s; i < e; i++) {
    const b = buf[i]!;
    if (!isAsciiDigit(b)) return -1;
    n = n * 10 + b - ZERO;
  }
  return n;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

const enum Cook {
  Unquoted,
  Quoted,
  AfterQuote,
}

/**
 * Rewrites a field that needs more than a byte range in place (its value is never longer than its
 * raw bytes): opening and closing quotes dropped, doubled quotes undoubled, a CR outside quotes
 * dropped, text after a closing quote kept; the same reading as the scanner. Returns the new end.
 */
export function cookField(buf: Uint8Array, s: number, e: number): number {
  let state = buf[s] === QUOTE ? Cook.Quoted : Cook.Unquoted;
  let w = s;
  for (let i = state === Cook.Quoted ? s + 1 : s; i < e; i++) {
    const b = buf[i]!;
    if (state === Cook.Quoted) {
      if (b === QUOTE) state = Cook.AfterQuote;
      else buf[w++] = b;
    } else if (state === Cook.AfterQuote) {
      if (b === QUOTE) {
        buf[w++] = QUOTE; // a doubled quote
        state = Cook.Quoted;
      } else if (b !== CR) {
        buf[w++] = b;
        state = Cook.Unquoted;
      }
    } else if (b !== CR) buf[w++] = b;
  }
  return w;
}
