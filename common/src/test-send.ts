/**
 * A test send (issue 5 point 2, V14): one message sent at once through a channel's provider, to check
 * a template's words and the provider before a workflow goes live.
 */
import { z } from 'zod';
import { normalizeText } from './text.js';
import { isValidEmail, normalizeMobile } from './validators.js';

export const TEST_SEND_CHANNELS = { sms: 'پیامک', call: 'تماس تلفنی', email: 'پست الکترونیک' } as const;
export type TestSendChannel = keyof typeof TEST_SEND_CHANNELS;
const CHANNEL_KEYS = Object.keys(TEST_SEND_CHANNELS) as [TestSendChannel, ...TestSendChannel[]];

export const testSendInputSchema = z
  .object({
    channel: z.enum(CHANNEL_KEYS, {
      error: 'نوع اطلاع‌رسانی آزمایشی باید پیامک، تماس یا پست الکترونیک باشد',
    }),
    address: z.string({ error: 'گیرنده را وارد کنید' }).transform(normalizeText),
    text: z
      .string({ error: 'متن پیام را وارد کنید' })
      .transform((v) => v.trim())
      .pipe(z.string().min(1, 'متن پیام را وارد کنید').max(2000, 'متن پیام حداکثر ۲۰۰۰ نویسه است')),
  })
  .transform((v, ctx) => {
    if (v.channel === 'email') {
      if (isValidEmail(v.address)) return v;
      ctx.addIssue({
        code: 'custom',
        path: ['address'],
        message: 'نشانی پست الکترونیکی معتبر نیست (مانند name@bank.ir)',
      });
      return z.NEVER;
    }
    const mobile = normalizeMobile(v.address);
    if (mobile) return { ...v, address: mobile };
    ctx.addIssue({
      code: 'custom',
      path: ['address'],
      message: 'شماره تلفن همراه معتبر نیست (مانند 09121234567)',
    });
    return z.NEVER;
  });
export type TestSendInput = z.infer<typeof testSendInputSchema>;

/** What the provider answered: accepted with its id, or refused / unreachable with the reason. */
export const testSendResultSchema = z.object({
  accepted: z.boolean(),
  channel: z.enum(CHANNEL_KEYS),
  address: z.string(),
  provider: z.string(),
  provider_id: z.string().nullable(),
  error: z.string().nullable(),
});
export type TestSendResult = z.infer<typeof testSendResultSchema>;
