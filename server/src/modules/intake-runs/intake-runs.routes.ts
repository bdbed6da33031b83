import { z } from 'zod';
import { pageOf, toJalali, toJalaliDateTime } from '@vosul/common';
import {
  INTAKE_REFUSAL_LABELS,
  INTAKE_RUN_STATUS_LABELS,
  INTAKE_SOURCE_LABELS,
  intakeAlertsSchema,
  intakeRunFilterSchema,
  intakeRunQuerySchema,
  intakeRunSchema,
  type IntakeRun,
} from '@vosul/common/intake';
import { persianImportReason } from '@vosul/common/import-reasons';
import { contextOf } from '../../platform/auth/guard.js';
import { excelExportRoute, sendExcel, type ExcelColumn } from '../../platform/excel.js';
import type { ModuleRoutes } from '../../platform/http/module.js';
import { releaseJobQueue } from '../../platform/jobs/index.js';
import * as runs from './intake-runs.service.js';

const idParams = z.object({ id: z.string().max(20) });

export const intakeRunsRoutes: ModuleRoutes = async (app, { deps: { db, config } }) => {
  const tags = ['intake'];
  const access = { access: { page: 'intake_report' } } as const;
  // the sender a request may have started for this database stops with the app
  app.addHook('onClose', () => releaseJobQueue(db));
  const tz = config.timezone;
  const columns: ExcelColumn<IntakeRun>[] = [
    { header: 'شناسه', value: (r) => Number(r.id), width: 10 },
    { header: 'زمان', value: (r) => toJalaliDateTime(r.queued_at, tz, true), width: 22 },
    { header: 'تاریخ اطلاعات', value: (r) => toJalali(r.as_of), width: 14 },
    { header: 'منبع', value: (r) => INTAKE_SOURCE_LABELS[r.source] },
    { header: 'وضعیت', value: (r) => INTAKE_RUN_STATUS_LABELS[r.status] },
    { header: 'تلاش دوباره', value: (r) => r.retries, width: 12 },
    {
      header: 'خوانده / بارگذاری / رد',
      value: (r) =>
        r.files.map((f) => `${f.file}: ${f.read ?? '-'}/${f.loaded ?? '-'}/${f.rejected}`).join('\n'),
      width: 50,
    },
    { header: 'ردیف‌های ردشده', value: (r) => r.rejects, width: 14 },
    { header: 'بسته‌شده', value: (r) => r.closed, width: 12 },
    { header: 'مدت (ثانیه)', value: (r) => r.seconds, width: 12 },
    { header: 'بارگذاری‌کننده', value: (r) => r.uploaded_by_name },
    {
      header: 'توضیح',
      value: (r) =>
        [r.refusal ? INTAKE_REFUSAL_LABELS[r.refusal] : null, r.message && persianImportReason(r.message)]
          .filter(Boolean)
          .join(' — '),
      width: 60,
    },
    // the import's own English text, as the CLI and the logs show it
    { header: 'متن اصلی', value: (r) => r.message, width: 60 },
  ];

  app.get(
    '/intake-runs',
    {
      config: access,
      schema: { tags, querystring: intakeRunQuerySchema, response: { 200: pageOf(intakeRunSchema) } },
    },
    (req) => runs.listRuns(db, contextOf(req), req.query, tz),
  );
  excelExportRoute(
    app,
    '/intake-runs/export',
    { config: access, schema: { tags, querystring: intakeRunFilterSchema } },
    (req) => runs.exportRuns(db, contextOf(req), req.query, tz),
    { name: 'intake-report', sheet: 'گزارش دریافت اطلاعات', columns },
  );
  app.get(
    '/intake-runs/alerts',
    { config: access, schema: { tags, response: { 200: intakeAlertsSchema } } },
    (req) => runs.listAlerts(db, contextOf(req)),
  );
  app.post(
    '/intake-runs/upload',
    {
      config: access,
      schema: { tags, consumes: ['multipart/form-data'], response: { 202: intakeRunSchema } },
    },
    async (req, reply) => reply.status(202).send(await runs.uploadSnapshot(db, contextOf(req), req, config)),
  );
  app.get(
    '/intake-runs/:id',
    { config: access, schema: { tags, params: idParams, response: { 200: intakeRunSchema } } },
    (req) => runs.getRun(db, contextOf(req), req.params.id),
  );
  app.get(
    '/intake-runs/:id/rejects',
    { config: access, schema: { tags, params: idParams } },
    async (req, reply) => {
      const rows = await runs.exportRejects(db, contextOf(req), req.params.id);
      return sendRejects(reply, req.params.id, rows);
    },
  );
};

const rejectColumns: ExcelColumn<{ file: string; line: number; reason: string }>[] = [
  { header: 'فایل', value: (r) => r.file, width: 20 },
  { header: 'سطر', value: (r) => r.line, width: 10 },
  { header: 'علت', value: (r) => persianImportReason(r.reason), width: 80 },
  // the import's own English text, as the CLI prints it
  { header: 'متن اصلی', value: (r) => r.reason, width: 60 },
];

const sendRejects = async (
  reply: Parameters<typeof sendExcel>[0],
  id: string,
  rows: AsyncIterable<{ file: string; line: number; reason: string }>,
) => sendExcel(reply, `intake-rejects-${id}`, 'ردیف‌های ردشده', rejectColumns, rows);
