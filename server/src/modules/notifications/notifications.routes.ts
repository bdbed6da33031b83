import { pageOf } from '@vosul/common';
import { notificationQuerySchema, notificationSchema } from '@vosul/common/notifications';
import { contextOf } from '../../platform/auth/guard.js';
import type { ModuleRoutes } from '../../platform/http/module.js';
import * as notifications from './notifications.service.js';

/** The stable `GET /api/v1/notifications` (interchange.md), read by the notification report (V23). */
export const notificationsRoutes: ModuleRoutes = async (app, { deps: { db } }) => {
  app.get(
    '/notifications',
    {
      config: { access: { page: 'notification_report' } },
      schema: {
        tags: ['notifications'],
        querystring: notificationQuerySchema,
        response: { 200: pageOf(notificationSchema) },
      },
    },
    (req) => notifications.listNotifications(db, contextOf(req), req.query),
  );
};
