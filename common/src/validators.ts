/**
 * Validators of Iranian identifiers shared by server and web (interchange.md, "Values"): national
 * code, mobile number, e-mail. Each normaliser takes what a person typed (any digits, spaces) and
 * returns the stored form, or null when the value is not valid.
 */
import { normalizeText } from './text.js';

/** Digits only (Persian/Arabic digits become Latin; spaces, dashes and dots dropped), or null if other characters remain. */
function digitsOf(value: string): string | null {
  const cleaned = normalizeText(value).replace(/[\s\u200c\-–.()]/g, '');
  return /^\d+$/.test(cleaned) ? cleaned : null;
}

/**
 * A person's national code (کد ملی) in its stored 10-digit form: 8 or 9 digits are left-padded
 * with zeros (exports often drop them). Null when it is not 8–10 digits, all one digit, or its
 * check digit is wrong.
 */
export function normalizeNationalCode(value: string): string | null {
  const digits = digitsOf(value);
  if (!digits || digits.length < 8 || digits.length > 10) return null;
  const code = digits.padStart(10, '0');
  return isValidNationalCode(code) ? code : null;
}

/** The official check of a 10-digit national code: Σ dᵢ·(10−i) for i=0..8, mod 11, against the last digit. */
export function isValidNationalCode(code: string): boolean {
  if (!/^\d{10}$/.test(code)) return false;
  if (/^(\d)\1{9}$/.test(code)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(code[i]) * (10 - i);
  const remainder = sum % 11;
  const check = Number(code[9]);
  return remainder < 2 ? check === remainder : check === 11 - remainder;
}

/**
 * An Iranian mobile number as stored, `09xxxxxxxxx`, from `09…`, `9…`, `+989…`, `989…` or `00989…`
 * (any digits, spaces and dashes allowed); null when it is none of those.
 */
export function normalizeMobile(value: string): string | null {
  const text = normalizeText(value).replace(/[\s\u200c\-–.()]/g, '');
  const match = /^(?:\+98|0098|98|0)?(9\d{9})$/.exec(text);
  return match ? `0${match[1]}` : null;
}

export function isValidMobile(value: string): boolean {
  return /^09\d{9}$/.test(value);
}

/** A plain e-mail address check (one @, a dot in the domain, no spaces). */
export function isValidEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(value) && value.length <= 254;
}
