import { z } from 'zod';
import { pageOf, toJalali, toJalaliDateTime } from '@vosul/common';
import {
  DECLARATION_STATES,
  LETTER_KINDS,
  LETTER_STATUSES,
  letterPaperSchema,
  declarationQuerySchema,
  declarationSchema,
  fileDeclarationSchema,
  letterDocumentSchema,
  letterIdsQuerySchema,
  letterMarkResultSchema,
  letterQuerySchema,
  letterSchema,
  markDeliveredSchema,
  markPrintedSchema,
  serveDeclarationSchema,
} from '@vosul/common/letters';
import { maturingBranchQuerySchema, maturingBranchSchema } from '@vosul/common/maturing';
import { RECIPIENT_ROLES } from '@vosul/common/workflows';
import { contextOf } from '../../platform/auth/guard.js';
import { excelExportRoute } from '../../platform/excel.js';
import { listBranchOptions } from '../maturing/maturing.service.js';
import type { ModuleRoutes } from '../../platform/http/module.js';
import * as letters from './letters.service.js';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const LETTERS = { access: { page: 'letters' } } as const;
const DECLARATIONS = { access: { page: 'declarations' } } as const;

/**
 * Issue 6 point 6: the print queue of letters and warning notices (print, mark printed, mark
 * delivered; documents and PDF), and the declarations waiting to be filed in ثنا and their tracking.
 */
export const lettersRoutes: ModuleRoutes = async (app, { deps: { db, config } }) => {
  const tags = ['letters'];

  app.get(
    '/letters',
    {
      config: LETTERS,
      schema: { tags, querystring: letterQuerySchema, response: { 200: pageOf(letterSchema) } },
    },
    (req) => letters.listLetters(db, contextOf(req), req.query),
  );
  app.get(
    '/letters/documents',
    {
      config: LETTERS,
      schema: {
        tags,
        querystring: letterIdsQuerySchema,
        response: { 200: z.object({ items: z.array(letterDocumentSchema) }) },
      },
    },
    async (req) => ({ items: await letters.letterDocuments(db, contextOf(req), req.query.ids) }),
  );
  // the clerks print on the pre-printed paper without the system settings page
  app.get('/letters/paper', { config: LETTERS, schema: { tags, response: { 200: letterPaperSchema } } }, () =>
    letters.letterPaper(db),
  );
  app.get(
    '/letters/pdf',
    { config: LETTERS, schema: { tags, querystring: letterIdsQuerySchema } },
    async (req, reply) => {
      const pdf = await letters.lettersPdf(db, contextOf(req), req.query);
      const name = req.query.ids.length === 1 ? `letter-${req.query.ids[0]}.pdf` : 'letters.pdf';
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${name}"`)
        .send(pdf);
    },
  );
  // the branches of the user's scope, for the queues' branch filter (the maturing list's own options)
  app.get(
    '/letters/branches',
    {
      config: { access: { page: ['letters', 'declarations'] } },
      schema: {
        tags,
        querystring: maturingBranchQuerySchema,
        response: { 200: pageOf(maturingBranchSchema) },
      },
    },
    (req) => listBranchOptions(db, contextOf(req), req.query),
  );
  app.post(
    '/letters/printed',
    { config: LETTERS, schema: { tags, body: markPrintedSchema, response: { 200: letterMarkResultSchema } } },
    (req) => letters.markPrinted(db, contextOf(req), req.body),
  );
  app.post(
    '/letters/delivered',
    {
      config: LETTERS,
      schema: { tags, body: markDeliveredSchema, response: { 200: letterMarkResultSchema } },
    },
    (req) => letters.markDelivered(db, contextOf(req), req.body, config.timezone),
  );

  const day = (d: string | null) => (d ? toJalali(d) : null);
  const amount = (v: string | null) => (v === null ? null : Number(v));
  excelExportRoute(
    app,
    '/letters/export',
    { config: LETTERS, schema: { tags, querystring: letterQuerySchema } },
    (req) => letters.exportLetters(db, contextOf(req), req.query),
    {
      name: 'letters',
      sheet: 'صف چاپ نامه‌ها',
      columns: [
        { header: 'شماره نامه', value: (l) => l.letter_no, width: 14 },
        { header: 'نوع', value: (l) => LETTER_KINDS[l.kind], width: 12 },
        { header: 'تاریخ', value: (l) => day(l.business_date), width: 12 },
        { header: 'شعبه', value: (l) => l.branch_name, width: 22 },
        { header: 'شماره تسهیلات', value: (l) => l.facility_nos.join('، '), width: 24 },
        { header: 'گیرنده', value: (l) => RECIPIENT_ROLES[l.recipient_role], width: 10 },
        { header: 'نام گیرنده', value: (l) => l.recipient_name, width: 22 },
        { header: 'نشانی', value: (l) => l.address, width: 40 },
        { header: 'وضعیت', value: (l) => LETTER_STATUSES[l.status], width: 12 },
        {
          header: 'زمان چاپ',
          value: (l) => (l.printed_at ? toJalaliDateTime(l.printed_at, config.timezone) : null),
          width: 18,
        },
        { header: 'چاپ‌کننده', value: (l) => l.printed_by_name, width: 20 },
        { header: 'تاریخ ابلاغ', value: (l) => day(l.delivered_on), width: 12 },
      ],
    },
  );

  app.get(
    '/declarations',
    {
      config: DECLARATIONS,
      schema: { tags, querystring: declarationQuerySchema, response: { 200: pageOf(declarationSchema) } },
    },
    (req) => letters.listDeclarations(db, contextOf(req), req.query),
  );
  excelExportRoute(
    app,
    '/declarations/export',
    { config: DECLARATIONS, schema: { tags, querystring: declarationQuerySchema } },
    (req) => letters.exportDeclarations(db, contextOf(req), req.query),
    {
      name: 'declarations',
      sheet: 'اظهارنامه‌ها',
      columns: [
        { header: 'تاریخ', value: (d) => day(d.business_date), width: 12 },
        { header: 'وضعیت', value: (d) => DECLARATION_STATES[d.state], width: 14 },
        { header: 'شعبه', value: (d) => `${d.branch_code} - ${d.branch_name}`, width: 22 },
        { header: 'شماره تسهیلات', value: (d) => d.facility_no, width: 18 },
        { header: 'مخاطب', value: (d) => RECIPIENT_ROLES[d.recipient_role], width: 10 },
        { header: 'نام مخاطب', value: (d) => d.recipient_name, width: 22 },
        { header: 'کد ملی', value: (d) => d.national_code, width: 14 },
        { header: 'نشانی', value: (d) => d.address, width: 40 },
        { header: 'روزهای معوق', value: (d) => d.overdue_days, width: 10 },
        { header: 'مبلغ معوق (ریال)', value: (d) => amount(d.overdue_amount), width: 18 },
        { header: 'وجه التزام (ریال)', value: (d) => amount(d.penalty), width: 18 },
        { header: 'قابل وصول (ریال)', value: (d) => amount(d.collectible_amount), width: 18 },
        { header: 'تاریخ ثبت در ثنا', value: (d) => day(d.filed_on), width: 14 },
        { header: 'کد رهگیری', value: (d) => d.tracking_no, width: 20 },
        { header: 'تاریخ ابلاغ', value: (d) => day(d.served_on), width: 12 },
      ],
    },
  );
  app.post(
    '/declarations/:id/filed',
    {
      config: DECLARATIONS,
      schema: {
        tags,
        params: idParams,
        body: fileDeclarationSchema,
        response: { 200: letterMarkResultSchema },
      },
    },
    (req) => letters.fileDeclaration(db, contextOf(req), req.params.id, req.body, config.timezone),
  );
  app.post(
    '/declarations/:id/served',
    {
      config: DECLARATIONS,
      schema: {
        tags,
        params: idParams,
        body: serveDeclarationSchema,
        response: { 200: letterMarkResultSchema },
      },
    },
    (req) => letters.serveDeclaration(db, contextOf(req), req.params.id, req.body, config.timezone),
  );
};
