import { z } from 'zod';
import { pageOf, toJalali, toJalaliDateTime } from '@vosul/common';
import {
  NOTIFICATION_STATUSES,
  channelAlertsSchema,
  notificationEventSchema,
  notificationFilterSchema,
  notificationQuerySchema,
  notificationSchema,
  notificationSummarySchema,
} from '@vosul/common/notifications';
import { providerLabel } from '@vosul/common/settings';
import { CHANNELS, RECIPIENT_ROLES } from '@vosul/common/workflows';
import { contextOf } from '../../platform/auth/guard.js';
import { excelExportRoute, type ExcelColumn } from '../../platform/excel.js';
import type { ModuleRoutes } from '../../platform/http/module.js';
import type { NotificationExportRow } from './notifications.repository.js';
import * as notifications from './notifications.service.js';

const idParams = z.object({ id: z.coerce.number().int().positive() });

/**
 * The stable `GET /api/v1/notifications` (interchange.md), read by the notification report (V23) and
 * a facility's notification details (V18), with the report's summary, export and status history.
 */
export const notificationsRoutes: ModuleRoutes = async (app, { deps: { db, config } }) => {
  const tags = ['notifications'];
  const access = { access: { page: 'notification_report' } } as const;
  const at = (v: Date | null) => (v ? toJalaliDateTime(v, config.timezone) : null);
  const columns: ExcelColumn<NotificationExportRow>[] = [
    { header: 'شناسه', value: (r) => Number(r.id), width: 10 },
    { header: 'تاریخ', value: (r) => toJalali(r.business_date), width: 12 },
    { header: 'شماره تسهیلات', value: (r) => r.facility_nos.join('، '), width: 24 },
    { header: 'شعبه', value: (r) => `${r.branch_code} - ${r.branch_name}`, width: 22 },
    { header: 'نوع اخطار (گردش کار)', value: (r) => r.workflow, width: 24 },
    { header: 'گیرنده', value: (r) => RECIPIENT_ROLES[r.recipient_role], width: 12 },
    { header: 'نام گیرنده', value: (r) => r.recipient_name, width: 22 },
    { header: 'نشانی / شماره', value: (r) => r.address, width: 20 },
    { header: 'کانال', value: (r) => CHANNELS[r.channel], width: 14 },
    { header: 'وضعیت', value: (r) => NOTIFICATION_STATUSES[r.status], width: 14 },
    { header: 'علت نگه‌داشتن', value: (r) => r.held_reason, width: 24 },
    { header: 'نوبت', value: (r) => r.attempt, width: 8 },
    { header: 'سرویس‌دهنده', value: (r) => providerLabel(r.provider), width: 18 },
    { header: 'زمان برنامه', value: (r) => at(r.scheduled_at), width: 18 },
    { header: 'زمان ارسال', value: (r) => at(r.sent_at), width: 18 },
    { header: 'زمان وضعیت', value: (r) => at(r.status_at), width: 18 },
    { header: 'متن', value: (r) => r.text, width: 60 },
  ];

  // for administrators (the home page): channels stopped until their account is seen to
  app.get(
    '/notifications/channel-alerts',
    {
      config: { access: { page: 'system_settings' } },
      schema: { tags, response: { 200: channelAlertsSchema } },
    },
    () => notifications.listChannelAlerts(db),
  );
  app.get(
    '/notifications',
    {
      config: access,
      schema: { tags, querystring: notificationQuerySchema, response: { 200: pageOf(notificationSchema) } },
    },
    (req) => notifications.listNotifications(db, contextOf(req), req.query),
  );
  app.get(
    '/notifications/summary',
    {
      config: access,
      schema: { tags, querystring: notificationFilterSchema, response: { 200: notificationSummarySchema } },
    },
    (req) => notifications.summarizeNotifications(db, contextOf(req), req.query),
  );
  excelExportRoute(
    app,
    '/notifications/export',
    { config: access, schema: { tags, querystring: notificationFilterSchema } },
    (req) => notifications.exportNotifications(db, contextOf(req), req.query),
    { name: 'notifications', sheet: 'گزارش اطلاع‌رسانی', columns },
  );
  app.get(
    '/notifications/:id/events',
    {
      config: access,
      schema: {
        tags,
        params: idParams,
        response: { 200: z.object({ items: z.array(notificationEventSchema) }) },
      },
    },
    (req) => notifications.notificationEvents(db, contextOf(req), req.params.id),
  );
};
