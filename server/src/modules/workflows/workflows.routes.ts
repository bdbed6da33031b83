import { z } from 'zod';
import { deleteManySchema, formatMoney, pageOf, toPersianDigits } from '@vosul/common';
import {
  CHANNELS,
  RECIPIENTS,
  dayRangeLabel,
  dryRunInputSchema,
  dryRunResultSchema,
  templatePreviewInputSchema,
  templatePreviewSchema,
  workflowInputSchema,
  workflowListQuerySchema,
  workflowOptionsSchema,
  workflowPatchSchema,
  workflowSchema,
} from '@vosul/common/workflows';
import { contextOf } from '../../platform/auth/guard.js';
import { excelExportRoute } from '../../platform/excel.js';
import type { ModuleRoutes } from '../../platform/http/module.js';
import * as workflows from './workflows.service.js';
import { dryRunWorkflow } from './dry-run.service.js';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const PAGE = { access: { page: 'workflows' } } as const;

/** V13/V14: dunning workflows and their templates (interchange.md, "HTTP API (stable part)"). */
export const workflowsRoutes: ModuleRoutes = async (app, { deps: { db, config } }) => {
  const tags = ['workflows'];

  app.get(
    '/workflows',
    {
      config: PAGE,
      schema: { tags, querystring: workflowListQuerySchema, response: { 200: pageOf(workflowSchema) } },
    },
    (req) => workflows.listWorkflows(db, contextOf(req), req.query),
  );
  excelExportRoute(
    app,
    '/workflows/export',
    { config: PAGE, schema: { tags, querystring: workflowListQuerySchema } },
    (req) => workflows.exportWorkflows(db, contextOf(req), req.query),
    {
      name: 'workflows',
      sheet: 'گردش کار',
      columns: [
        { header: 'عنوان', value: (w) => w.title, width: 32 },
        { header: 'بازه', value: (w) => dayRangeLabel(w.from_day, w.to_day), width: 24 },
        { header: 'نوع وام', value: (w) => w.loan_types.map((t) => t.title).join('، '), width: 30 },
        {
          header: 'شعبه',
          value: (w) => (w.branches.length ? w.branches.map((b) => b.name).join('، ') : 'همه شعب'),
          width: 30,
        },
        { header: 'حداقل مبلغ معوق (ریال)', value: (w) => formatMoney(w.min_overdue_amount), width: 20 },
        { header: 'نوع اطلاع‌رسانی', value: (w) => w.channels.map((c) => CHANNELS[c]).join('، '), width: 30 },
        { header: 'گیرنده', value: (w) => w.recipients.map((r) => RECIPIENTS[r]).join('، '), width: 20 },
        { header: 'تعداد در روز', value: (w) => toPersianDigits(w.per_day) },
        { header: 'ساعت آغاز', value: (w) => toPersianDigits(w.start_time) },
        { header: 'فاصله تکرار (دقیقه)', value: (w) => toPersianDigits(w.interval_minutes) },
        { header: 'تکرار هر چند روز', value: (w) => toPersianDigits(w.repeat_every_days) },
        { header: 'وضعیت', value: (w) => (w.active ? 'فعال' : 'غیرفعال') },
      ],
    },
  );
  app.get(
    '/workflows/options',
    { config: PAGE, schema: { tags, response: { 200: workflowOptionsSchema } } },
    (req) => workflows.workflowOptions(db, contextOf(req)),
  );
  app.get(
    '/workflows/:id',
    { config: PAGE, schema: { tags, params: idParams, response: { 200: workflowSchema } } },
    (req) => workflows.getWorkflow(db, contextOf(req), req.params.id),
  );
  app.post(
    '/workflows',
    {
      config: PAGE,
      schema: { tags, body: workflowInputSchema, response: { 201: z.object({ workflow: workflowSchema }) } },
    },
    async (req, reply) =>
      reply.status(201).send({ workflow: await workflows.createWorkflow(db, contextOf(req), req.body) }),
  );
  app.patch(
    '/workflows/:id',
    {
      config: PAGE,
      schema: {
        tags,
        params: idParams,
        body: workflowPatchSchema,
        response: { 200: z.object({ workflow: workflowSchema }) },
      },
    },
    async (req) => ({
      workflow: await workflows.updateWorkflow(db, contextOf(req), req.params.id, req.body),
    }),
  );
  app.delete('/workflows/:id', { config: PAGE, schema: { tags, params: idParams } }, async (req, reply) => {
    await workflows.deleteWorkflows(db, contextOf(req), [req.params.id]);
    return reply.status(204).send();
  });
  app.post(
    '/workflows/delete',
    { config: PAGE, schema: { tags, body: deleteManySchema } },
    async (req, reply) => {
      await workflows.deleteWorkflows(db, contextOf(req), req.body.ids);
      return reply.status(204).send();
    },
  );
  app.post(
    '/workflows/preview',
    {
      config: PAGE,
      schema: { tags, body: templatePreviewInputSchema, response: { 200: templatePreviewSchema } },
    },
    (req) => workflows.previewTemplate(db, contextOf(req), req.body),
  );
  // B2: who a workflow would contact on a date and at what cost, without writing (dry-run.service.ts)
  app.post(
    '/workflows/:id/dry-run',
    {
      config: PAGE,
      schema: { tags, params: idParams, body: dryRunInputSchema, response: { 200: dryRunResultSchema } },
    },
    (req) => dryRunWorkflow(db, contextOf(req), req.params.id, req.body, config.timezone),
  );
  app.post(
    '/workflows/dry-run',
    { config: PAGE, schema: { tags, body: dryRunInputSchema, response: { 200: dryRunResultSchema } } },
    (req) => dryRunWorkflow(db, contextOf(req), null, req.body, config.timezone),
  );
};
