import { pageOf, toJalali } from '@vosul/common';
import { CBI_CLASSES, FACILITY_STATUSES } from '@vosul/common/cases-labels';
import { overdueItemSchema, overdueQuerySchema } from '@vosul/common/overdue';
import { contextOf } from '../../platform/auth/guard.js';
import { excelExportRoute } from '../../platform/excel.js';
import type { ModuleRoutes } from '../../platform/http/module.js';
import * as overdue from './overdue.service.js';

const OVERDUE = { access: { page: 'overdue_cases' } } as const;

/** V33: the overdue cases (facilities in arrears in the user's scope) and their Excel export. */
export const overdueRoutes: ModuleRoutes = async (app, { deps: { db } }) => {
  const tags = ['overdue'];

  app.get(
    '/overdue-facilities',
    {
      config: OVERDUE,
      schema: { tags, querystring: overdueQuerySchema, response: { 200: pageOf(overdueItemSchema) } },
    },
    (req) => overdue.listOverdue(db, contextOf(req), req.query),
  );
  excelExportRoute(
    app,
    '/overdue-facilities/export',
    { config: OVERDUE, schema: { tags, querystring: overdueQuerySchema } },
    (req) => overdue.exportOverdue(db, contextOf(req), req.query),
    {
      name: 'overdue-cases',
      sheet: 'پرونده‌های معوق',
      columns: [
        { header: 'شماره تسهیلات', value: (r) => r.facility_no, width: 22 },
        { header: 'شماره مشتری', value: (r) => r.customer_no },
        { header: 'نام وام‌گیرنده', value: (r) => r.borrower_name, width: 30 },
        { header: 'تلفن همراه', value: (r) => r.mobile },
        { header: 'کد شعبه', value: (r) => r.branch_code },
        { header: 'نام شعبه', value: (r) => r.branch_name, width: 24 },
        { header: 'نوع وام', value: (r) => r.loan_type_title, width: 22 },
        { header: 'روزهای معوق', value: (r) => r.overdue_days },
        { header: 'اقساط معوق', value: (r) => r.overdue_installments },
        // Rials as numbers so Excel sums them; a book's amounts stay far below 2^53.
        { header: 'مبلغ معوق (ریال)', value: (r) => Number(r.overdue_amount), width: 20 },
        { header: 'وجه التزام (ریال)', value: (r) => Number(r.penalty), width: 20 },
        { header: 'مبلغ قابل وصول (ریال)', value: (r) => Number(r.collectible_amount), width: 20 },
        { header: 'مانده پرداخت‌نشده (ریال)', value: (r) => Number(r.unpaid_amount), width: 20 },
        {
          header: 'طبقه',
          value: (r) => (r.cbi_class ? CBI_CLASSES[r.cbi_class] : FACILITY_STATUSES.written_off),
        },
        { header: 'تاریخ محاسبه', value: (r) => toJalali(r.as_of) },
      ],
    },
  );
};
