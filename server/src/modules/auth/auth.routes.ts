import { changeOwnPasswordSchema, loginRequestSchema, loginResponseSchema } from '@vosul/common';
import { contextOf, hashToken, SESSION_COOKIE } from '../../platform/auth/guard.js';
import { findCsrfToken } from '../../platform/auth/sessions.repository.js';
import type { ModuleRoutes } from '../../platform/http/module.js';
import { changeOwnPassword, logIn, logOut, toSessionUser } from './auth.service.js';

export const authRoutes: ModuleRoutes = async (app, { deps }) => {
  const { db } = deps;

  app.post(
    '/auth/login',
    {
      config: { access: { public: true } },
      schema: { tags: ['auth'], body: loginRequestSchema, response: { 200: loginResponseSchema } },
    },
    async (request, reply) => {
      const result = await logIn(db, {
        ...request.body,
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
      });
      void reply.setCookie(SESSION_COOKIE, result.token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: request.protocol === 'https',
        path: '/',
      });
      return { user: result.user, csrf_token: result.csrfToken };
    },
  );

  app.post(
    '/auth/logout',
    { config: { access: { public: true } }, schema: { tags: ['auth'] } },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      await logOut(db, token ? hashToken(token) : null);
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );

  app.get(
    '/auth/me',
    {
      config: { access: { authenticated: true } },
      schema: { tags: ['auth'], response: { 200: loginResponseSchema } },
    },
    async (request) => {
      const ctx = contextOf(request);
      const csrf = await findCsrfToken(db, request.sessionTokenHash!);
      return { user: toSessionUser(ctx.user), csrf_token: csrf ?? '' };
    },
  );

  app.post(
    '/auth/password',
    {
      config: { access: { authenticated: true } },
      schema: { tags: ['auth'], body: changeOwnPasswordSchema },
    },
    async (request, reply) => {
      await changeOwnPassword(db, contextOf(request), request.sessionTokenHash, request.body);
      return reply.status(204).send();
    },
  );
};
