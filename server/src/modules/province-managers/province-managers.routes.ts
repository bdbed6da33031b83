import { z } from 'zod';
import { pageOf } from '@vosul/common';
import {
  provinceManagerInputSchema,
  provinceManagerListQuerySchema,
  provinceManagerSchema,
} from '@vosul/common/province-managers';
import { contextOf } from '../../platform/auth/guard.js';
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
