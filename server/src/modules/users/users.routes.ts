import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import {
  deleteManySchema,
  GENDERS,
  pageOf,
  PHOTO_MAX_BYTES,
  setPasswordSchema,
  USER_TYPES,
  userCreateSchema,
  userListQuerySchema,
  userSchema,
  userUpdateSchema,
  wizardResultSchema,
  WIZARD_MAX_BYTES,
} from '@vosul/common';
import { contextOf } from '../../platform/auth/guard.js';
import { excelExportRoute } from '../../platform/excel.js';
import type { ModuleRoutes } from '../../platform/http/module.js';
import { readSingleFile } from '../../platform/http/upload.js';
import { groupsRoutes } from './groups.routes.js';
import * as users from './users.service.js';
import * as wizard from './wizard.service.js';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const attachment = (name: string) =>
  `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(name)}`;
const wizardQuery = z.object({ format: z.enum(['json', 'xlsx']).default('json') });

/** V2–V4, V6: users (with photo and an administrator's password reset), the user wizard, and groups. */
export const usersRoutes: ModuleRoutes = async (app, opts) => {
  const { db } = opts.deps;
  const tags = ['users'];
  const access = { access: { page: 'users' } } as const;
  await app.register(groupsRoutes, { deps: opts.deps });

  app.get(
    '/users',
    {
      config: access,
      schema: { tags, querystring: userListQuerySchema, response: { 200: pageOf(userSchema) } },
    },
    (req) => users.listUsers(db, contextOf(req), req.query),
  );
  excelExportRoute(
    app,
    '/users/export',
    { config: access, schema: { tags, querystring: userListQuerySchema } },
    (req) => users.exportUsers(db, contextOf(req), req.query),
    {
      name: 'users',
      sheet: 'کاربران',
      columns: [
        { header: 'نام کاربری', value: (u) => u.username },
        { header: 'نام', value: (u) => u.first_name },
        { header: 'نام خانوادگی', value: (u) => u.last_name, width: 24 },
        { header: 'نوع کاربر', value: (u) => USER_TYPES[u.user_type] },
        { header: 'کد شعبه', value: (u) => u.branch_code },
        { header: 'نام شعبه', value: (u) => u.branch_name, width: 24 },
        { header: 'کد استان', value: (u) => u.province_code },
        { header: 'نام استان', value: (u) => u.province_name, width: 20 },
        { header: 'گروه‌های دسترسی', value: (u) => u.groups.map((g) => g.title).join('، '), width: 40 },
        { header: 'جنسیت', value: (u) => (u.gender ? GENDERS[u.gender] : null) },
        { header: 'کد پرسنلی', value: (u) => u.personnel_code },
        { header: 'کد ملی', value: (u) => u.national_code },
        { header: 'تلفن همراه', value: (u) => u.mobile },
        { header: 'پست الکترونیکی', value: (u) => u.email, width: 28 },
      ],
    },
  );

  // ---- V6 wizard (before /users/:id so the static paths are plain) ----
  app.get(
    '/users/wizard/template',
    { config: { access: { page: 'user_wizard' } }, schema: { tags } },
    async (req, reply) =>
      reply
        .header('content-type', XLSX)
        .header('content-disposition', attachment('users-wizard-template.xlsx'))
        .send(await wizard.buildTemplate(db, contextOf(req))),
  );
  app.post(
    '/users/wizard',
    {
      config: { access: { page: 'user_wizard' } },
      schema: { tags, querystring: wizardQuery, response: { 201: wizardResultSchema } },
    },
    async (req, reply) => {
      const file = await readSingleFile(req, WIZARD_MAX_BYTES, 'حجم فایل اکسل حداکثر ۵ مگابایت است');
      const outcome = await wizard.runWizard(db, contextOf(req), file.buffer);
      if (req.query.format === 'xlsx') {
        // The annotated workbook itself (a Buffer is sent as is, past the JSON response schema).
        return (reply as unknown as FastifyReply)
          .status(outcome.ok ? 201 : 400)
          .header('content-type', XLSX)
          .header('content-disposition', attachment(wizard.RESULT_FILE_NAME))
          .header('x-wizard-errors', String(outcome.ok ? 0 : outcome.errors.length))
          .send(outcome.workbook);
      }
      if (!outcome.ok) throw wizard.wizardFailure(outcome.errors, outcome.workbook);
      return reply.status(201).send(outcome.result);
    },
  );

  app.get(
    '/users/:id',
    { config: access, schema: { tags, params: idParams, response: { 200: userSchema } } },
    (req) => users.getUser(db, contextOf(req), req.params.id),
  );
  app.post(
    '/users',
    { config: access, schema: { tags, body: userCreateSchema, response: { 201: userSchema } } },
    async (req, reply) => reply.status(201).send(await users.createUser(db, contextOf(req), req.body)),
  );
  app.patch(
    '/users/:id',
    {
      config: access,
      schema: { tags, params: idParams, body: userUpdateSchema, response: { 200: userSchema } },
    },
    (req) => users.updateUser(db, contextOf(req), req.params.id, req.body),
  );
  app.post(
    '/users/delete',
    { config: access, schema: { tags, body: deleteManySchema } },
    async (req, reply) => {
      await users.deleteUsers(db, contextOf(req), req.body.ids);
      return reply.status(204).send();
    },
  );
  app.post(
    '/users/:id/password',
    { config: access, schema: { tags, params: idParams, body: setPasswordSchema } },
    async (req, reply) => {
      await users.setUserPassword(
        db,
        contextOf(req),
        req.params.id,
        req.body.new_password,
        req.sessionTokenHash,
      );
      return reply.status(204).send();
    },
  );

  // ---- photo ----
  app.put(
    '/users/:id/photo',
    { config: access, schema: { tags, params: idParams, response: { 200: userSchema } } },
    async (req) => {
      const file = await readSingleFile(req, PHOTO_MAX_BYTES, 'حجم عکس حداکثر ۱ مگابایت است');
      return users.putUserPhoto(db, contextOf(req), req.params.id, file.buffer);
    },
  );
  app.get('/users/:id/photo', { config: access, schema: { tags, params: idParams } }, async (req, reply) => {
    const photo = await users.getUserPhoto(db, contextOf(req), req.params.id);
    const etag = `"${photo.sha256}"`;
    void reply
      .header('cache-control', 'private, no-cache')
      .header('etag', etag)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'");
    if (req.headers['if-none-match'] === etag) return reply.status(304).send();
    return reply
      .header('content-type', photo.media_type)
      .header('content-disposition', 'inline')
      .send(photo.content);
  });
  app.delete(
    '/users/:id/photo',
    { config: access, schema: { tags, params: idParams } },
    async (req, reply) => {
      await users.deleteUserPhoto(db, contextOf(req), req.params.id);
      return reply.status(204).send();
    },
  );
};
