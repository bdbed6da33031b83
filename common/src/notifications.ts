import { z } from 'zod';
import { isoDateParam } from './audit.js';
import { normalizeText } from './text.js';
import { CHANNEL_KEYS, RECIPIENT_ROLE_KEYS } from './workflows.js';

/** A notification's states (interchange.md, `GET /api/v1/notifications`), with their Persian labels. */
export const NOTIFICATION_STATUSES = {
  planned: 'برنامه‌ریزی‌شده',
  held: 'نگه‌داشته',
  queued: 'در صف ارسال',
  sent: 'ارسال‌شده',
  delivered: 'تحویل‌شده',
  failed: 'ناموفق',
  expired: 'منقضی',
  answered: 'پاسخ داده شد',
  no_answer: 'بی‌پاسخ',
  busy: 'مشغول',
  rejected: 'رد تماس',
  printed: 'چاپ‌شده',
  filed: 'ثبت‌شده در ثنا',
  served: 'ابلاغ‌شده',
  cancelled: 'لغوشده',
} as const;
export type NotificationStatus = keyof typeof NOTIFICATION_STATUSES;
export const NOTIFICATION_STATUS_KEYS = Object.keys(NOTIFICATION_STATUSES) as [
  NotificationStatus,
  ...NotificationStatus[],
];

export const notificationQuerySchema = z.object({
  facility_no: z.string().max(60).optional(),
  from: isoDateParam('تاریخ شروع').optional(),
  to: isoDateParam('تاریخ پایان').optional(),
  channel: z.enum(CHANNEL_KEYS, { error: 'کانال ارسال معتبر نیست' }).optional(),
  status: z.enum(NOTIFICATION_STATUS_KEYS, { error: 'وضعیت معتبر نیست' }).optional(),
  // the report's further filters (V23), not part of the stable interchange contract
  customer_no: z.string().max(60).transform(normalizeText).optional(),
  recipient: z.string().max(100).transform(normalizeText).optional(),
  branch_id: z.coerce.number({ error: 'شعبه معتبر نیست' }).int().positive().optional(),
  /** The warning type: the workflow that planned the notification. */
  workflow_id: z.coerce.number({ error: 'نوع اخطار معتبر نیست' }).int().positive().optional(),
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(500).default(20),
});
export type NotificationQuery = z.infer<typeof notificationQuerySchema>;

export const notificationSchema = z.object({
  id: z.string(),
  facility_no: z.string(),
  facility_nos: z.array(z.string()),
  workflow: z.string().nullable(),
  recipient_role: z.enum(RECIPIENT_ROLE_KEYS),
  recipient_name: z.string(),
  address: z.string(),
  channel: z.enum(CHANNEL_KEYS),
  text: z.string(),
  status: z.enum(NOTIFICATION_STATUS_KEYS),
  /** why a `held` message was held back (no address, a contact rule, quiet hours) */
  held_reason: z.string().nullable(),
  attempt: z.number().int(),
  /** who sent it (`kavenegar`, `kavenegar_2` after a failover, `simulator-sms` …), null before sending */
  provider: z.string().nullable(),
  scheduled_at: z.string(),
  sent_at: z.string().nullable(),
  status_at: z.string(),
});
export type Notification = z.infer<typeof notificationSchema>;

/** The report's filters without paging (summary, export). */
export const notificationFilterSchema = notificationQuerySchema.omit({ page: true, page_size: true });
export type NotificationFilter = z.infer<typeof notificationFilterSchema>;

/** V23 summary and the P8 chart: counts per status × channel, and per business day × status. */
export const notificationSummarySchema = z.object({
  total: z.number().int(),
  by_channel: z.array(
    z.object({
      channel: z.enum(CHANNEL_KEYS),
      status: z.enum(NOTIFICATION_STATUS_KEYS),
      count: z.number().int(),
    }),
  ),
  by_day: z.array(
    z.object({ date: z.string(), status: z.enum(NOTIFICATION_STATUS_KEYS), count: z.number().int() }),
  ),
});
export type NotificationSummary = z.infer<typeof notificationSummarySchema>;

/** One status change of a notification (P6 delivery tracking). */
export const notificationEventSchema = z.object({
  status: z.enum(NOTIFICATION_STATUS_KEYS),
  at: z.string(),
  detail: z.string().nullable(),
});
export type NotificationEvent = z.infer<typeof notificationEventSchema>;

/**
 * A provider refusing its account until an administrator acts (out of credit, a wrong key, a
 * disabled account): its channel's messages wait, or go through the second provider (issue 6).
 */
export const channelAlertSchema = z.object({
  channel: z.enum(CHANNEL_KEYS),
  provider: z.string(),
  reason: z.string(),
  /** ISO time of the first refusal */
  since: z.string(),
});
export const channelAlertsSchema = z.object({ items: z.array(channelAlertSchema) });
export type ChannelAlerts = z.infer<typeof channelAlertsSchema>;
