import { z } from 'zod';
import { deleteManySchema, pageOf, toPersianDigits, versioned } from '@vosul/common';
import {
  ANNOUNCEMENT_FILE_MAX_BYTES,
  ANNOUNCEMENT_STATUSES,
  announcementInputSchema,
  announcementListQuerySchema,
  announcementSchema,
} from '@vosul/common/announcements';
import { toJalali } from '@vosul/common/jalali';
import { contextOf } from '../../platform/auth/guard.js';
import { excelExportRoute } from '../../platform/excel.js';
import type { ModuleRoutes } from '../../platform/http/module.js';
import { readSingleFile } from '../../platform/http/upload.js';
import * as announcements from './announcements.service.js';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const PAGE = { access: { page: 'announcements' } } as const;
// The home page is every signed-in user's: its announcements and their files too (scope-checked).
const SIGNED_IN = { access: { authenticated: true } } as const;

/** V10: announcements (catalogue with search, multi-delete, audit) and the home page's current ones. */
export const announcementsRoutes: ModuleRoutes = async (app, { deps: { db } }) => {
  const tags = ['announcements'];

  app.get(
    '/announcements/current',
    {
      config: SIGNED_IN,
      schema: { tags, response: { 200: z.object({ items: z.array(announcementSchema) }) } },
    },
    (req) => announcements.currentAnnouncements(db, contextOf(req)),
  );
  app.get(
    '/announcements',
    {
      config: PAGE,
      schema: {
        tags,
        querystring: announcementListQuerySchema,
        response: { 200: pageOf(announcementSchema) },
      },
    },
    (req) => announcements.listAnnouncements(db, contextOf(req), req.query),
  );
  excelExportRoute(
    app,
    '/announcements/export',
    { config: PAGE, schema: { tags, querystring: announcementListQuerySchema } },
    (req) => announcements.exportAnnouncements(db, contextOf(req), req.query),
    {
      name: 'announcements',
      sheet: 'اعلان‌ها',
      columns: [
        { header: 'کد اعلان', value: (a) => a.code },
        { header: 'عنوان', value: (a) => a.title, width: 40 },
        { header: 'تاریخ', value: (a) => toPersianDigits(toJalali(a.announced_on)) },
        { header: 'نویسنده', value: (a) => a.author_name, width: 24 },
        { header: 'وضعیت', value: (a) => ANNOUNCEMENT_STATUSES[a.status] },
        { header: 'محدوده', value: (a) => a.province_name ?? 'عمومی', width: 20 },
        { header: 'شرح', value: (a) => a.description, width: 60 },
      ],
    },
  );
  app.get(
    '/announcements/:id',
    { config: PAGE, schema: { tags, params: idParams, response: { 200: announcementSchema } } },
    (req) => announcements.getAnnouncement(db, contextOf(req), req.params.id),
  );
  app.post(
    '/announcements',
    { config: PAGE, schema: { tags, body: announcementInputSchema, response: { 201: announcementSchema } } },
    async (req, reply) =>
      reply.status(201).send(await announcements.createAnnouncement(db, contextOf(req), req.body)),
  );
  app.patch(
    '/announcements/:id',
    {
      config: PAGE,
      schema: {
        tags,
        params: idParams,
        body: versioned(announcementInputSchema),
        response: { 200: announcementSchema },
      },
    },
    (req) => announcements.updateAnnouncement(db, contextOf(req), req.params.id, req.body),
  );
  app.post(
    '/announcements/delete',
    { config: PAGE, schema: { tags, body: deleteManySchema } },
    async (req, reply) => {
      await announcements.deleteAnnouncements(db, contextOf(req), req.body.ids);
      return reply.status(204).send();
    },
  );

  // ---- the attached file ----
  app.put(
    '/announcements/:id/file',
    { config: PAGE, schema: { tags, params: idParams, response: { 200: announcementSchema } } },
    async (req) => {
      const file = await readSingleFile(
        req,
        ANNOUNCEMENT_FILE_MAX_BYTES,
        announcements.fileTooLarge().message,
      );
      return announcements.putAnnouncementFile(db, contextOf(req), req.params.id, file);
    },
  );
  app.get(
    '/announcements/:id/file',
    { config: SIGNED_IN, schema: { tags, params: idParams } },
    async (req, reply) => {
      const file = await announcements.getAnnouncementFile(db, contextOf(req), req.params.id);
      const ascii = file.name.replace(/[^\x20-\x7e]/g, '_').replace(/"/g, '');
      return reply
        .header('content-type', file.media_type)
        .header(
          'content-disposition',
          `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.name)}`,
        )
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'")
        .header('cache-control', 'private, no-cache')
        .send(file.content);
    },
  );
  app.delete(
    '/announcements/:id/file',
    { config: PAGE, schema: { tags, params: idParams } },
    async (req, reply) => {
      await announcements.deleteAnnouncementFile(db, contextOf(req), req.params.id);
      return reply.status(204).send();
    },
  );
};
