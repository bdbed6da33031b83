import { describe, expect, it } from 'vitest';
import { overDefault, SETTING_DEFAULTS } from './settings.js';

describe('a stored setting over its default', () => {
  it('reads the default when the setting was never saved', () => {
    expect(overDefault('contact_rules', undefined)).toEqual(SETTING_DEFAULTS.contact_rules);
    expect(overDefault('send_window_end', undefined)).toBe('20:00');
  });

  it('reads a field saved before it existed, or saved with another type, as its default', () => {
    const stored = { sms_per_day: 5, calls_per_day: '3', quiet_from: '21:00' };
    expect(overDefault('contact_rules', stored)).toEqual({
      ...SETTING_DEFAULTS.contact_rules,
      sms_per_day: 5,
      quiet_from: '21:00',
    });
  });

  it('reads a scalar of another type, or an object where a scalar belongs, as the default', () => {
    expect(overDefault('login_max_failures', '7')).toBe(SETTING_DEFAULTS.login_max_failures);
    expect(overDefault('login_max_failures', 7)).toBe(7);
    expect(overDefault('sms_lines', 'x')).toEqual(SETTING_DEFAULTS.sms_lines);
  });

  it('takes an account saved whole, its unset port and secret included', () => {
    const sms = {
      ...SETTING_DEFAULTS.channel_accounts.sms,
      provider: 'kavenegar',
      secret_sealed: 'v1.a.b.c',
    };
    const read = overDefault('channel_accounts', { sms });
    expect(read.sms).toEqual(sms);
    expect(read.email).toEqual(SETTING_DEFAULTS.channel_accounts.email);
  });
});
