import { pageOf, toJalali } from '@vosul/common';
import { FACILITY_STATUSES } from '@vosul/common/cases-labels';
import {
  maturingBranchQuerySchema,
  maturingBranchSchema,
  maturingItemSchema,
  maturingQuerySchema,
  type MaturingItem,
} from '@vosul/common/maturing';
import { contextOf } from '../../platform/auth/guard.js';
import { excelExportRoute } from '../../platform/excel.js';
import type { ModuleRoutes } from '../../platform/http/module.js';
import * as maturing from './maturing.service.js';

const MATURING = { access: { page: 'maturing_facilities' } } as const;
const exportQuerySchema = maturingQuerySchema.omit({ page: true, page_size: true });

/** T6: the facilities with installments falling due by a date, for a branch (and its sub-branches). */
export const maturingRoutes: ModuleRoutes = async (app, { deps: { db, config } }) => {
  const tags = ['maturing'];
  const tz = config.timezone;

  app.get(
    '/maturing-facilities',
    {
      config: MATURING,
      schema: { tags, querystring: maturingQuerySchema, response: { 200: pageOf(maturingItemSchema) } },
    },
    (req) => maturing.listMaturing(db, contextOf(req), req.query, tz),
  );
  excelExportRoute(
    app,
    '/maturing-facilities/export',
    { config: MATURING, schema: { tags, querystring: exportQuerySchema } },
    (req) => maturing.exportMaturing(db, contextOf(req), req.query, tz),
    {
      name: 'maturing-facilities',
      sheet: 'تسهیلات سررسید شونده',
      columns: [
        { header: 'شماره تسهیلات', value: (f: MaturingItem) => f.facility_no, width: 22 },
        { header: 'شماره مشتری', value: (f) => f.customer_no },
        { header: 'نام وام‌گیرنده', value: (f) => f.customer_name, width: 30 },
        { header: 'کد شعبه', value: (f) => f.branch_code },
        { header: 'نام شعبه', value: (f) => f.branch_name, width: 24 },
        { header: 'نوع وام', value: (f) => f.loan_type_title, width: 20 },
        { header: 'مبلغ اصل', value: (f) => f.principal },
        { header: 'مبلغ قابل وصول', value: (f) => f.collectible_amount },
        { header: 'مانده پرداخت‌نشده', value: (f) => f.unpaid_amount },
        { header: 'مبلغ سررسید در بازه', value: (f) => f.due_amount },
        { header: 'تعداد اقساط در بازه', value: (f) => f.due_installments },
        { header: 'نخستین سررسید', value: (f) => toJalali(f.next_due_on) },
        { header: 'وضعیت', value: (f) => FACILITY_STATUSES[f.status] },
        { header: 'تاریخ تشکیل', value: (f) => toJalali(f.granted_on) },
        { header: 'ارز', value: (f) => f.currency },
        { header: 'تاریخ آخرین قسط', value: (f) => toJalali(f.last_due_on) },
      ],
    },
  );
  app.get(
    '/maturing-facilities/branches',
    {
      config: MATURING,
      schema: {
        tags,
        querystring: maturingBranchQuerySchema,
        response: { 200: pageOf(maturingBranchSchema) },
      },
    },
    (req) => maturing.listBranchOptions(db, contextOf(req), req.query),
  );
};
