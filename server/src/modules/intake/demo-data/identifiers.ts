/**
 * Iranian identifiers for the demo book: national codes (persons, 10 digits with the official
 * check digit), national IDs (companies, 11 digits with their own check digit), mobiles with real
 * operator prefixes, postal codes. Codes come from bijections of an index, so they never repeat.
 */
import type { Rng } from './prng.js';

/** The check digit of a person's national code over its first nine digits. */
export function nationalCodeCheckDigit(nine: string): number {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(nine[i]) * (10 - i);
  const r = sum % 11;
  return r < 2 ? r : 11 - r;
}

/** (x·a + b) mod m without leaving exact double arithmetic (x, a, b < m ≤ 10⁹). */
function affine(x: number, a: number, b: number, m: number): number {
  const hi = Math.floor(a / 100_000);
  const lo = a % 100_000;
  return (((x * hi) % m) * 100_000 + x * lo + b) % m;
}

const reverseDigits = (x: number, width: number) =>
  Number(String(x).padStart(width, '0').split('').reverse().join(''));

/**
 * A scrambling bijection on [0, 10^width): affine map (multiplier coprime with 10), digit reversal,
 * affine map again — consecutive indexes give unrelated-looking numbers that never repeat.
 */
function scramble(x: number, width: number): number {
  const m = 10 ** width;
  const once = affine(x, 738_219_467 % m, 281_937_113 % m, m);
  return affine(reverseDigits(once, width), 517_390_023 % m, 64_918_271 % m, m);
}

/** A valid national code, distinct for every person index below 10⁹. */
export function nationalCodeFor(personIndex: number): string {
  let body = scramble(personIndex, 9);
  let nine = String(body).padStart(9, '0');
  if (/^(\d)\1{8}$/.test(nine)) {
    body = (body + 1) % 1_000_000_000;
    nine = String(body).padStart(9, '0');
  }
  return nine + String(nationalCodeCheckDigit(nine));
}

/** The same code with a wrong check digit (a deliberately doubtful value). */
export function spoilNationalCode(code: string, rng: Rng): string {
  const check = Number(code[9]);
  return code.slice(0, 9) + String((check + rng.int(1, 9)) % 10);
}

const COMPANY_WEIGHTS = [29, 27, 23, 19, 17];

/** The check digit of a company's national ID (شناسه ملی) over its first ten digits. */
export function companyIdCheckDigit(ten: string): number {
  const d = Number(ten[9]) + 2;
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += (d + Number(ten[i])) * (COMPANY_WEIGHTS[i % 5] as number);
  const r = sum % 11;
  return r === 10 ? 0 : r;
}

/** Whether an 11-digit company national ID carries its check digit. */
export function isValidCompanyNationalId(id: string): boolean {
  if (!/^\d{11}$/.test(id) || /^0+$/.test(id) || /^0+$/.test(id.slice(3, 9))) return false;
  return Number(id[10]) === companyIdCheckDigit(id.slice(0, 10));
}

/** A valid company national ID, distinct for every index below 10⁸. */
export function companyIdFor(index: number): string {
  let body = scramble(index, 8);
  let ten = '10' + String(body).padStart(8, '0');
  if (/^0+$/.test(ten.slice(3, 9))) {
    body = (body + 1_000) % 100_000_000;
    ten = '10' + String(body).padStart(8, '0');
  }
  return ten + String(companyIdCheckDigit(ten));
}

/** Operator prefixes (MCI 091x/099x, Irancell 093x/090x, RighTel 092x) with rough market weights. */
const MOBILE_PREFIXES = [
  '0912',
  '0919',
  '0913',
  '0911',
  '0915',
  '0917',
  '0914',
  '0916',
  '0918',
  '0910',
  '0990',
  '0991',
  '0992',
  '0935',
  '0936',
  '0937',
  '0938',
  '0939',
  '0930',
  '0933',
  '0901',
  '0902',
  '0903',
  '0905',
  '0941',
  '0921',
  '0922',
  '0920',
];
const MOBILE_WEIGHTS = [14, 8, 6, 5, 5, 4, 4, 3, 3, 3, 3, 2, 1, 7, 6, 5, 4, 3, 3, 3, 3, 2, 2, 1, 1, 2, 1, 1];
const MOBILE_TOTAL = MOBILE_WEIGHTS.reduce((a, b) => a + b, 0);

export function mobileFor(rng: Rng): string {
  return MOBILE_PREFIXES[rng.weighted(MOBILE_WEIGHTS, MOBILE_TOTAL)] + rng.digits(7);
}

/** A 10-digit postal code: no 0 or 2 among the first five digits, as Iran Post issues them. */
export function postalCodeFor(rng: Rng): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += rng.pick(['1', '3', '4', '5', '6', '7', '8', '9']);
  return s + rng.digits(5);
}
