import type { ChannelTestResult } from '@vosul/common/settings';
import type { Database } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/auth/context.js';
import type { SecretBox } from '../../platform/secrets.js';
import { checkKavenegarAccount } from '../notifications/channels/kavenegar.js';
import { readChannelAccounts, requireHq } from './settings.service.js';

/**
 * "Test connection" of a saved provider account (V8; issue 6 point 7): asks the provider something
 * without side effects and reports what it answered. HQ only, like the accounts themselves.
 */
export async function testChannelAccount(
  db: Database,
  secrets: SecretBox,
  ctx: RequestContext,
  group: 'sms' | 'email' | 'ivr',
): Promise<ChannelTestResult> {
  requireHq(ctx, 'حساب‌های سرویس‌دهنده را فقط کاربران ستاد می‌آزمایند');
  const accounts = await readChannelAccounts(db, secrets);
  if (group === 'sms' && accounts.sms.provider === 'kavenegar')
    return {
      provider: 'kavenegar',
      ...(await checkKavenegarAccount({ apiUrl: accounts.sms.api_url, apiKey: accounts.sms.secret ?? '' })),
    };
  if (group === 'ivr' && accounts.ivr.provider === 'kavenegar_tts')
    return {
      provider: 'kavenegar_tts',
      ...(await checkKavenegarAccount({ apiUrl: accounts.ivr.api_url, apiKey: accounts.ivr.secret ?? '' })),
    };
  const provider = group === 'email' ? 'smtp' : accounts[group].provider;
  if (provider === 'simulator')
    return {
      ok: true,
      provider,
      message: 'شبیه‌ساز فعال است؛ به اتصالی نیاز ندارد و پیامی واقعاً ارسال نمی‌شود',
    };
  return { ok: false, provider, message: 'آزمون اتصال این سرویس‌دهنده در این نسخه هنوز پشتیبانی نمی‌شود' };
}
