import {
  loginEventFilterSchema,
  loginEventQuerySchema,
  loginEventSchema,
  loginFailureLabel,
  pageOf,
  toJalaliDateTime,
  type LoginEvent,
} from '@vosul/common';
import { contextOf } from '../../platform/auth/guard.js';
import { excelExportRoute, type ExcelColumn } from '../../platform/excel.js';
import type { ModuleRoutes } from '../../platform/http/module.js';
import * as report from './login-report.service.js';

export const loginReportRoutes: ModuleRoutes = async (app, { deps: { db, config } }) => {
  const tags = ['reports'];
  const access = { access: { page: 'login_report' } } as const;
  const columns: ExcelColumn<LoginEvent>[] = [
    { header: 'زمان', value: (r) => toJalaliDateTime(r.at, config.timezone, true), width: 22 },
    { header: 'نام کاربری', value: (r) => r.username },
    { header: 'نتیجه', value: (r) => (r.succeeded ? 'موفق' : 'ناموفق') },
    { header: 'علت', value: (r) => (r.reason === null ? null : loginFailureLabel(r.reason)) },
    { header: 'IP', value: (r) => r.ip },
    { header: 'مرورگر', value: (r) => r.user_agent, width: 50 },
  ];

  app.get(
    '/login-events',
    {
      config: access,
      schema: { tags, querystring: loginEventQuerySchema, response: { 200: pageOf(loginEventSchema) } },
    },
    (req) => report.listLoginEvents(db, contextOf(req), req.query, config.timezone),
  );
  excelExportRoute(
    app,
    '/login-events/export',
    { config: access, schema: { tags, querystring: loginEventFilterSchema } },
    (req) => report.exportLoginEvents(db, contextOf(req), req.query, config.timezone),
    { name: 'login-report', sheet: 'گزارش ورود کاربران', columns },
  );
};
