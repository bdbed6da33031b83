/**
 * What phones sent to the bank's SMS lines (issue 6 point 2), and the opt-outs of «۱۱» among them:
 * HQ reads the replies (a borrower answering a reminder) and lifts an opt-out a customer withdraws.
 */
import { z } from 'zod';
import { listQuerySchema } from './list.js';

export const SMS_REPLY_LABELS = {
  received_at: 'زمان دریافت',
  source: 'تلفن همراه فرستنده',
  person_name: 'نام (از پرونده‌ها)',
  line: 'خط بانک',
  text: 'متن پیامک',
  opt_out: 'انصراف («۱۱»)',
} as const;

export const smsReplySchema = z.object({
  id: z.string(),
  received_at: z.string(),
  source: z.string(),
  person_name: z.string().nullable(),
  line: z.string(),
  text: z.string(),
  opt_out: z.boolean(),
  /** the opt-out of this mobile from this line still holds (not lifted since) */
  opted_out: z.boolean(),
});
export type SmsReply = z.infer<typeof smsReplySchema>;

export const smsReplyListQuerySchema = listQuerySchema.extend({
  /** only the replies that opted out and still hold */
  opted_out: z
    .enum(['true', 'false'], { error: 'فیلتر انصراف نامعتبر است' })
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true')),
});
export type SmsReplyListQuery = z.infer<typeof smsReplyListQuerySchema>;
