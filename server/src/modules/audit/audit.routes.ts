import {
  AUDIT_ACTION_LABELS,
  auditEntityLabel,
  auditEntrySchema,
  auditFilterSchema,
  auditQuerySchema,
  pageOf,
  toJalaliDateTime,
  type AuditEntry,
} from '@vosul/common';
import { contextOf } from '../../platform/auth/guard.js';
import { excelExportRoute, type ExcelColumn } from '../../platform/excel.js';
import type { ModuleRoutes } from '../../platform/http/module.js';
import * as audit from './audit.service.js';

const EXCEL_CELL_MAX = 32_000; // Excel refuses longer cells

const json = (value: unknown) => {
  if (value === null || value === undefined) return null;
  const text = JSON.stringify(value);
  return text.length > EXCEL_CELL_MAX ? text.slice(0, EXCEL_CELL_MAX) + '…' : text;
};

export const auditRoutes: ModuleRoutes = async (app, { deps: { db, config } }) => {
  const tags = ['audit'];
  const access = { access: { page: 'audit_log' } } as const;
  const columns: ExcelColumn<AuditEntry>[] = [
    { header: 'شناسه', value: (r) => r.id },
    { header: 'زمان', value: (r) => toJalaliDateTime(r.at, config.timezone, true), width: 22 },
    { header: 'کاربر', value: (r) => r.actor_username },
    { header: 'IP', value: (r) => r.ip },
    { header: 'نوع رکورد', value: (r) => auditEntityLabel(r.entity) },
    { header: 'شناسه رکورد', value: (r) => r.entity_id },
    { header: 'عملیات', value: (r) => AUDIT_ACTION_LABELS[r.action] },
    { header: 'پیش از تغییر', value: (r) => json(r.before), width: 60 },
    { header: 'پس از تغییر', value: (r) => json(r.after), width: 60 },
  ];

  app.get(
    '/audit',
    {
      config: access,
      schema: { tags, querystring: auditQuerySchema, response: { 200: pageOf(auditEntrySchema) } },
    },
    (req) => audit.listAudit(db, contextOf(req), req.query, config.timezone),
  );
  excelExportRoute(
    app,
    '/audit/export',
    { config: access, schema: { tags, querystring: auditFilterSchema } },
    (req) => audit.exportAudit(db, contextOf(req), req.query, config.timezone),
    { name: 'audit', sheet: 'گزارش تغییرات', columns },
  );
};
