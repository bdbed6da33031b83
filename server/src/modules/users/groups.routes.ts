import { z } from 'zod';
import {
  deleteManySchema,
  groupInputSchema,
  groupListQuerySchema,
  groupSchema,
  groupUpdateSchema,
  listQuerySchema,
  pageCatalogSchema,
  pageOf,
  PAGES,
  toPersianDigits,
  type PageKey,
} from '@vosul/common';
import { contextOf } from '../../platform/auth/guard.js';
import { sendExcel } from '../../platform/excel.js';
import type { ModuleRoutes } from '../../platform/http/module.js';
import * as groups from './groups.service.js';

const idParams = z.object({ id: z.coerce.number().int().positive() });
// The user form and the wizard pick groups, so their pages may read the list.
const READ_GROUPS = { page: ['groups', 'users', 'user_wizard'] } as const;
const pageTitle = (key: string) => PAGES.find((p) => p.key === (key as PageKey))?.title ?? key;

/** V2 access groups and the page catalogue. */
export const groupsRoutes: ModuleRoutes = async (app, { deps: { db } }) => {
  const tags = ['groups'];

  app.get(
    '/pages',
    { config: { access: { page: 'groups' } }, schema: { tags, response: { 200: pageCatalogSchema } } },
    (req) => groups.pageCatalog(contextOf(req)),
  );

  app.get(
    '/groups',
    {
      config: { access: READ_GROUPS },
      schema: { tags, querystring: groupListQuerySchema, response: { 200: pageOf(groupSchema) } },
    },
    (req) => groups.listGroups(db, contextOf(req), req.query),
  );
  app.get(
    '/groups/export',
    { config: { access: { page: 'groups' } }, schema: { tags, querystring: listQuerySchema } },
    async (req, reply) =>
      sendExcel(
        reply,
        'groups',
        'گروه‌ها',
        [
          { header: 'عنوان گروه دسترسی', value: (g) => g.title, width: 36 },
          { header: 'پیش‌فرض سامانه', value: (g) => (g.predefined ? 'بله' : 'خیر') },
          { header: 'تعداد کاربر', value: (g) => g.user_count },
          { header: 'تعداد صفحه', value: (g) => toPersianDigits(g.pages.length) },
          { header: 'صفحات', value: (g) => g.pages.map(pageTitle).join('، '), width: 80 },
          { header: 'نیاز به تأیید تغییرات پرونده', value: (g) => (g.needs_approval ? 'بله' : 'خیر') },
        ],
        await groups.exportGroups(db, contextOf(req), req.query.q),
      ),
  );
  app.get(
    '/groups/:id',
    {
      config: { access: { page: 'groups' } },
      schema: { tags, params: idParams, response: { 200: groupSchema } },
    },
    (req) => groups.getGroup(db, contextOf(req), req.params.id),
  );
  app.post(
    '/groups',
    {
      config: { access: { page: 'groups' } },
      schema: { tags, body: groupInputSchema, response: { 201: groupSchema } },
    },
    async (req, reply) => reply.status(201).send(await groups.createGroup(db, contextOf(req), req.body)),
  );
  app.patch(
    '/groups/:id',
    {
      config: { access: { page: 'groups' } },
      schema: { tags, params: idParams, body: groupUpdateSchema, response: { 200: groupSchema } },
    },
    (req) => groups.updateGroup(db, contextOf(req), req.params.id, req.body),
  );
  app.post(
    '/groups/delete',
    { config: { access: { page: 'groups' } }, schema: { tags, body: deleteManySchema } },
    async (req, reply) => {
      await groups.deleteGroups(db, contextOf(req), req.body.ids);
      return reply.status(204).send();
    },
  );
};
