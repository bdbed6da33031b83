import type { ChannelTestResult } from '@vosul/common/settings';
import type { Database } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/auth/context.js';
import type { SecretBox } from '../../platform/secrets.js';
import { checkKavenegarAccount } from '../notifications/channels/kavenegar.js';
import { checkSmtpAccount } from '../notifications/channels/smtp.js';
import { checkSmppAccount } from '../notifications/channels/smpp.js';
import { ariAccountOf, smppAccountOf, smtpAccountOf } from '../notifications/channels/index.js';
import { checkAriAccount } from '../notifications/channels/asterisk-ari.js';
import { requireHq } from '../../platform/auth/guard.js';
import { readChannelAccounts, type OpenedChannelAccounts } from './settings.service.js';

type Group = keyof OpenedChannelAccounts;

/**
 * "Test connection" of a saved provider account (V8; issue 6 point 7): asks the provider something
 * without side effects and reports what it answered. HQ only, like the accounts themselves.
 */
export async function testChannelAccount(
  db: Database,
  secrets: SecretBox,
  ctx: RequestContext,
  group: Group,
): Promise<ChannelTestResult> {
  requireHq(ctx, 'حساب‌های سرویس‌دهنده را فقط کاربران ستاد می‌آزمایند');
  const accounts = await readChannelAccounts(db, secrets);
  if (group === 'email') {
    if (!accounts.email.host)
      return {
        ok: true,
        provider: 'simulator',
        message: 'سرور پست الکترونیک تعیین نشده است؛ شبیه‌ساز ارسال می‌کند',
      };
    return { provider: 'smtp', ...(await checkSmtpAccount(smtpAccountOf(accounts.email))) };
  }
  const account = accounts[group];
  const provider = account.provider;
  if (provider === 'kavenegar' || provider === 'kavenegar_tts')
    return {
      provider,
      ...(await checkKavenegarAccount({ apiUrl: account.api_url, apiKey: account.secret ?? '' })),
    };
  if (provider === 'smpp')
    return { provider, ...(await checkSmppAccount(smppAccountOf(accounts[group as 'sms']))) };
  if (provider === 'asterisk_ari')
    return { provider, ...(await checkAriAccount(ariAccountOf(accounts.ivr))) };
  if (provider === 'simulator')
    return {
      ok: true,
      provider,
      message: 'شبیه‌ساز فعال است؛ به اتصالی نیاز ندارد و پیامی واقعاً ارسال نمی‌شود',
    };
  if (provider === 'none') return { ok: false, provider, message: 'سرویس‌دهنده دوم پیامک تعیین نشده است' };
  return { ok: false, provider, message: 'آزمون اتصال این سرویس‌دهنده در این نسخه هنوز پشتیبانی نمی‌شود' };
}
