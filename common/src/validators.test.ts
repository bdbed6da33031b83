import { describe, expect, it } from 'vitest';
import { userCreateSchema } from './users.js';
import { isValidEmail, isValidNationalCode, normalizeMobile, normalizeNationalCode } from './validators.js';

describe('national code', () => {
  it('accepts codes with the right check digit (remainder < 2 and ≥ 2)', () => {
    for (const code of ['0013542419', '0084575948', '1234567891', '0001234560', '4712345675']) {
      expect({ code, ok: isValidNationalCode(code) }).toEqual({ code, ok: true });
    }
  });

  it('refuses a wrong check digit, all-same digits and wrong lengths', () => {
    for (const code of [
      '0013542418',
      '1234567890',
      '0000000000',
      '1111111111',
      '9999999999',
      '123456789',
      '12345678901',
      '12345a7891',
    ]) {
      expect({ code, ok: isValidNationalCode(code) }).toEqual({ code, ok: false });
    }
  });

  it('left-pads 8 and 9 digits, reads Persian/Arabic digits and separators', () => {
    expect(normalizeNationalCode('13542419')).toBe('0013542419');
    expect(normalizeNationalCode('084575948')).toBe('0084575948');
    expect(normalizeNationalCode('۰۰۱۳۵۴۲۴۱۹')).toBe('0013542419');
    expect(normalizeNationalCode('٠٠١٣٥٤٢٤١٩')).toBe('0013542419');
    expect(normalizeNationalCode('001-354241-9')).toBe('0013542419');
    expect(normalizeNationalCode('1354241')).toBeNull();
    expect(normalizeNationalCode('00000000')).toBeNull();
    expect(normalizeNationalCode('')).toBeNull();
  });
});

describe('mobile', () => {
  it('normalises every accepted form to 09xxxxxxxxx', () => {
    for (const input of [
      '09121234567',
      '9121234567',
      '+989121234567',
      '989121234567',
      '00989121234567',
      '۰۹۱۲ ۱۲۳ ۴۵۶۷',
      '0912-123-4567',
    ]) {
      expect({ input, out: normalizeMobile(input) }).toEqual({ input, out: '09121234567' });
    }
  });

  it('refuses landlines, short and long numbers', () => {
    for (const input of ['02144123456', '0912123456', '091212345678', '+9821441234', '', 'abc']) {
      expect({ input, out: normalizeMobile(input) }).toEqual({ input, out: null });
    }
  });
});

describe('e-mail', () => {
  it('checks the plain shape', () => {
    expect(isValidEmail('a.b@bank.co.ir')).toBe(true);
    for (const bad of ['a@b', 'a@', '@b.ir', 'a b@c.ir', 'a@b..ir'])
      expect({ bad, ok: isValidEmail(bad) }).toEqual({ bad, ok: false });
  });
});

describe('user contract', () => {
  const base = {
    username: 'r.ahmadi',
    password: 'long-password-1',
    first_name: 'رضا',
    last_name: 'احمدی',
    user_type: 'full_time',
    group_ids: [1],
  };

  it('normalises the fields as the server stores them', () => {
    const parsed = userCreateSchema.parse({
      ...base,
      username: ' ۵۹۷۹ ',
      first_name: 'علي',
      mobile: '989121234567',
      national_code: '13542419',
      email: '',
    });
    expect(parsed).toMatchObject({
      username: '5979',
      first_name: 'علی',
      mobile: '09121234567',
      national_code: '0013542419',
      email: null,
      branch_id: null,
      gender: null,
    });
  });

  it('names the bad field with a Persian message', () => {
    const result = userCreateSchema.safeParse({ ...base, national_code: '1111111111' });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path).toEqual(['national_code']);
    expect(result.error!.issues[0]!.message).toMatch(/کد ملی/);
  });
});
