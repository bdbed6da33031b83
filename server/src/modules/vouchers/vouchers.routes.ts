import { pageOf, toJalali } from '@vosul/common';
import { CBI_CLASSES } from '@vosul/common/cases-labels';
import { VOUCHER_KIND_LABELS, voucherQuerySchema, voucherSchema } from '@vosul/common/day-runs';
import { contextOf } from '../../platform/auth/guard.js';
import { sendCsv, type CsvColumn } from '../../platform/csv-export.js';
import { excelExportRoute, type ExcelColumn } from '../../platform/excel.js';
import type { ModuleRoutes } from '../../platform/http/module.js';
import type { VoucherLineRow } from './vouchers.repository.js';
import * as vouchers from './vouchers.service.js';

const exportQuery = voucherQuerySchema.omit({ page: true, page_size: true });

/** P7: the vouchers page and the stable `GET /api/v1/vouchers` (interchange.md), with their exports. */
export const vouchersRoutes: ModuleRoutes = async (app, { deps: { db } }) => {
  const tags = ['vouchers'];
  const access = { access: { page: 'vouchers' } } as const;

  app.get(
    '/vouchers',
    {
      config: access,
      schema: { tags, querystring: voucherQuerySchema, response: { 200: pageOf(voucherSchema) } },
    },
    (req) => vouchers.listVouchers(db, contextOf(req), req.query),
  );
  excelExportRoute(
    app,
    '/vouchers/export',
    { config: access, schema: { tags, querystring: exportQuery } },
    (req) => vouchers.exportVoucherLines(db, contextOf(req), req.query),
    { name: 'vouchers', sheet: 'اسناد طبقه‌بندی', columns: excelColumns },
  );
  // for the core banking system to post: columns documented in the README ("Voucher export")
  app.get(
    '/vouchers/export.csv',
    { config: access, schema: { tags, querystring: exportQuery } },
    async (req, reply) =>
      sendCsv(
        reply,
        'vouchers',
        csvColumns,
        await vouchers.exportVouchersForCore(db, contextOf(req), req.query),
      ),
  );
};

const excelColumns: ExcelColumn<VoucherLineRow>[] = [
  { header: 'شماره سند', value: (r) => Number(r.voucher_id), width: 12 },
  { header: 'تاریخ', value: (r) => toJalali(r.date), width: 12 },
  { header: 'شماره تسهیلات', value: (r) => r.facility_no, width: 24 },
  { header: 'کد شعبه', value: (r) => r.branch_code, width: 10 },
  { header: 'نوع سند', value: (r) => VOUCHER_KIND_LABELS[r.kind] },
  { header: 'سرفصل', value: (r) => r.head, width: 14 },
  { header: 'طبقه', value: (r) => CBI_CLASSES[r.class] },
  { header: 'بدهکار', value: (r) => Number(r.debit), width: 18 },
  { header: 'بستانکار', value: (r) => Number(r.credit), width: 18 },
];

const csvColumns: CsvColumn<VoucherLineRow>[] = [
  { header: 'voucher_id', value: (r) => r.voucher_id },
  { header: 'date', value: (r) => r.date },
  { header: 'facility_no', value: (r) => r.facility_no },
  { header: 'branch_code', value: (r) => r.branch_code },
  { header: 'kind', value: (r) => r.kind },
  { header: 'head', value: (r) => r.head },
  { header: 'class', value: (r) => r.class },
  { header: 'debit', value: (r) => r.debit },
  { header: 'credit', value: (r) => r.credit },
];
