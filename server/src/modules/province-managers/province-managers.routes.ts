import { z } from 'zod';
import { pageOf, toJalali, toPersianDigits } from '@vosul/common';
import {
  MANAGER_MAIL_STATUSES,
  PROVINCE_MANAGER_LABELS as L,
  provinceManagerInputSchema,
  provinceManagerListQuerySchema,
  provinceManagerSchema,
} from '@vosul/common/province-managers';
import { contextOf } from '../../platform/auth/guard.js';
import { excelExportRoute } from '../../platform/excel.js';
import type { ModuleRoutes } from '../../platform/http/module.js';
import * as managers from './province-managers.service.js';

const provinceParams = z.object({ provinceId: z.coerce.number().int().positive() });
const PAGE = { access: { page: 'province_managers' } } as const;

/** V7: each province's manager and the daily mail switch; PATCH records (version 0) or changes one. */
export const provinceManagersRoutes: ModuleRoutes = async (app, { deps: { db } }) => {
  const tags = ['province-managers'];

  app.get(
    '/province-managers',
    {
      config: PAGE,
      schema: {
        tags,
        querystring: provinceManagerListQuerySchema,
        response: { 200: pageOf(provinceManagerSchema) },
      },
    },
    (req) => managers.listManagers(db, contextOf(req), req.query),
  );
  excelExportRoute(
    app,
    '/province-managers/export',
    { config: PAGE, schema: { tags, querystring: provinceManagerListQuerySchema } },
    (req) => managers.exportManagers(db, contextOf(req), req.query),
    {
      name: 'province-managers',
      sheet: 'مدیران استان',
      columns: [
        { header: L.province_name, value: (m) => m.province_name, width: 20 },
        { header: L.manager_name, value: (m) => m.manager_name ?? '', width: 24 },
        { header: L.email, value: (m) => m.email ?? '', width: 28 },
        { header: L.mobile, value: (m) => (m.mobile ? toPersianDigits(m.mobile) : ''), width: 14 },
        { header: L.daily_mail, value: (m) => (m.daily_mail ? 'بله' : 'خیر'), width: 12 },
        {
          header: L.last_mail,
          value: (m) =>
            m.last_mail_date && m.last_mail_status
              ? `${toPersianDigits(toJalali(m.last_mail_date))} ${MANAGER_MAIL_STATUSES[m.last_mail_status]}`
              : '',
          width: 40,
        },
      ],
    },
  );
  app.get(
    '/province-managers/:provinceId',
    { config: PAGE, schema: { tags, params: provinceParams, response: { 200: provinceManagerSchema } } },
    (req) => managers.getManager(db, contextOf(req), req.params.provinceId),
  );
  app.patch(
    '/province-managers/:provinceId',
    {
      config: PAGE,
      schema: {
        tags,
        params: provinceParams,
        body: provinceManagerInputSchema,
        response: { 200: provinceManagerSchema },
      },
    },
    (req) => managers.saveManager(db, contextOf(req), req.params.provinceId, req.body),
  );
};
