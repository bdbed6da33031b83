import { describe, expect, it } from 'vitest';
import { parseConfig } from './config.js';
import { createSecretBox } from './secrets.js';
import { ipMatchesRule, isValidIpRule } from './auth/ip-rule.js';
import { checkPasswordRules, hashPassword, verifyPassword } from './passwords.js';
import { sortColumn } from './listing.js';

describe('configuration', () => {
  it('applies the documented defaults and freezes the result', () => {
    const config = parseConfig({});
    expect(config.port).toBe(3000);
    expect(config.timezone).toBe('Asia/Tehran');
    expect(config.demo).toBe(true);
    expect(config.dataDir.endsWith('/data')).toBe(true);
    expect(Object.isFrozen(config)).toBe(true);
  });
  it('requires VOSUL_SECRET_KEY with an external database, and turns the demo off there', () => {
    expect(() => parseConfig({ DATABASE_URL: 'postgres://u:p@db/vosul' })).toThrow(/VOSUL_SECRET_KEY/);
    const config = parseConfig({ DATABASE_URL: 'postgres://u:p@db/vosul', VOSUL_SECRET_KEY: 'k'.repeat(32) });
    expect(config.demo).toBe(false);
  });
  it('names the bad variable', () => {
    expect(() => parseConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => parseConfig({ VOSUL_TIMEZONE: 'Mars/Olympus' })).toThrow(/VOSUL_TIMEZONE/);
  });
  it('treats an empty variable as unset', () => {
    expect(parseConfig({ DATABASE_URL: '' }).databaseUrl).toBeUndefined();
  });
});

describe('secrets', () => {
  it('seals and opens with the key, and a different key cannot open', () => {
    const box = createSecretBox('a'.repeat(40));
    const sealed = box.seal('kavenegar-api-key');
    expect(sealed).not.toContain('kavenegar');
    expect(box.open(sealed)).toBe('kavenegar-api-key');
    expect(() => createSecretBox('b'.repeat(40)).open(sealed)).toThrow();
  });
});

describe('branch IP rule', () => {
  it('matches single addresses and CIDR ranges, IPv4-mapped IPv6 included', () => {
    expect(isValidIpRule('10.1.2.3')).toBe(true);
    expect(isValidIpRule('10.1.2.0/24')).toBe(true);
    expect(isValidIpRule('10.1.2.0/33')).toBe(false);
    expect(isValidIpRule('not-an-ip')).toBe(false);
    expect(ipMatchesRule('10.1.2.3', '10.1.2.3')).toBe(true);
    expect(ipMatchesRule('::ffff:10.1.2.3', '10.1.2.3')).toBe(true);
    expect(ipMatchesRule('10.1.2.200', '10.1.2.0/24')).toBe(true);
    expect(ipMatchesRule('::ffff:10.1.2.200', '10.1.2.0/24')).toBe(true);
    expect(ipMatchesRule('10.1.3.1', '10.1.2.0/24')).toBe(false);
  });
});

describe('passwords', () => {
  it('hashes with argon2id and verifies', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(hash, 'wrong')).toBe(false);
  });
  it('requires 10 characters and not the username', () => {
    expect(() => checkPasswordRules('short', 'ali')).toThrow(/۱۰/);
    expect(() => checkPasswordRules('Ali.Rezaei', 'ali.rezaei')).toThrow(/نام کاربری/);
    expect(() => checkPasswordRules('a-long-password', 'ali')).not.toThrow();
  });
});

describe('sortColumn', () => {
  it('takes only the list’s own sort names, never an inherited property of the object', () => {
    const sortable = { name: 'p.name', code: 'p.code' };
    expect(sortColumn(sortable, 'name')).toBe('p.name');
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'nope', undefined, ''])
      expect(sortColumn(sortable, name)).toBeUndefined();
  });
});
