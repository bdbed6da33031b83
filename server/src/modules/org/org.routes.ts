import { z } from 'zod';
import {
  branchInputSchema,
  branchListQuerySchema,
  branchSchema,
  deleteManySchema,
  listQuerySchema,
  pageOf,
  provinceInputSchema,
  provinceSchema,
  versioned,
} from '@vosul/common';
import { contextOf } from '../../platform/auth/guard.js';
import { sendExcel } from '../../platform/excel.js';
import type { ModuleRoutes } from '../../platform/http/module.js';
import * as org from './org.service.js';

const idParams = z.object({ id: z.coerce.number().int().positive() });
// Branch and province pickers appear on other pages (users, wizard), so those pages may read the lists.
const READ_ORG = { page: ['branches', 'provinces', 'users', 'user_wizard'] } as const;

export const orgRoutes: ModuleRoutes = async (app, { deps: { db } }) => {
  const tags = ['org'];

  app.get(
    '/provinces',
    {
      config: { access: READ_ORG },
      schema: { tags, querystring: listQuerySchema, response: { 200: pageOf(provinceSchema) } },
    },
    (req) => org.listProvinces(db, contextOf(req), req.query),
  );
  app.get(
    '/provinces/export',
    { config: { access: { page: 'provinces' } }, schema: { tags, querystring: listQuerySchema } },
    async (req, reply) =>
      sendExcel(
        reply,
        'provinces',
        'استان‌ها',
        [
          { header: 'کد استان', value: (r) => r.code },
          { header: 'نام استان', value: (r) => r.name, width: 30 },
          { header: 'تعداد شعبه', value: (r) => r.branch_count },
        ],
        await org.exportProvinces(db, contextOf(req), req.query.q),
      ),
  );
  app.get(
    '/provinces/:id',
    { config: { access: READ_ORG }, schema: { tags, params: idParams, response: { 200: provinceSchema } } },
    (req) => org.getProvince(db, contextOf(req), req.params.id),
  );
  app.post(
    '/provinces',
    {
      config: { access: { page: 'provinces' } },
      schema: { tags, body: provinceInputSchema, response: { 201: provinceSchema } },
    },
    async (req, reply) => reply.status(201).send(await org.createProvince(db, contextOf(req), req.body)),
  );
  app.patch(
    '/provinces/:id',
    {
      config: { access: { page: 'provinces' } },
      schema: {
        tags,
        params: idParams,
        body: versioned(provinceInputSchema),
        response: { 200: provinceSchema },
      },
    },
    (req) => org.updateProvince(db, contextOf(req), req.params.id, req.body),
  );
  app.post(
    '/provinces/delete',
    { config: { access: { page: 'provinces' } }, schema: { tags, body: deleteManySchema } },
    async (req, reply) => {
      await org.deleteProvinces(db, contextOf(req), req.body.ids);
      return reply.status(204).send();
    },
  );

  app.get(
    '/branches',
    {
      config: { access: READ_ORG },
      schema: { tags, querystring: branchListQuerySchema, response: { 200: pageOf(branchSchema) } },
    },
    (req) => org.listBranches(db, contextOf(req), req.query),
  );
  app.get(
    '/branches/export',
    { config: { access: { page: 'branches' } }, schema: { tags, querystring: branchListQuerySchema } },
    async (req, reply) =>
      sendExcel(
        reply,
        'branches',
        'شعبه‌ها',
        [
          { header: 'کد شعبه', value: (r) => r.code },
          { header: 'نام شعبه', value: (r) => r.name, width: 30 },
          { header: 'کد استان', value: (r) => r.province_code },
          { header: 'استان', value: (r) => r.province_name, width: 24 },
          { header: 'شعبه مادر', value: (r) => r.parent_code },
          { header: 'نشانی', value: (r) => r.address, width: 40 },
          { header: 'IP', value: (r) => r.ip },
        ],
        await org.exportBranches(db, contextOf(req), req.query),
      ),
  );
  app.get(
    '/branches/:id',
    { config: { access: READ_ORG }, schema: { tags, params: idParams, response: { 200: branchSchema } } },
    (req) => org.getBranch(db, contextOf(req), req.params.id),
  );
  app.post(
    '/branches',
    {
      config: { access: { page: 'branches' } },
      schema: { tags, body: branchInputSchema, response: { 201: branchSchema } },
    },
    async (req, reply) => reply.status(201).send(await org.createBranch(db, contextOf(req), req.body)),
  );
  app.patch(
    '/branches/:id',
    {
      config: { access: { page: 'branches' } },
      schema: { tags, params: idParams, body: versioned(branchInputSchema), response: { 200: branchSchema } },
    },
    (req) => org.updateBranch(db, contextOf(req), req.params.id, req.body),
  );
  app.post(
    '/branches/delete',
    { config: { access: { page: 'branches' } }, schema: { tags, body: deleteManySchema } },
    async (req, reply) => {
      await org.deleteBranches(db, contextOf(req), req.body.ids);
      return reply.status(204).send();
    },
  );
};
