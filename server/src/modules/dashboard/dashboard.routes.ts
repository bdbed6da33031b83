import { dashboardSchema } from '@vosul/common/dashboard';
import { contextOf } from '../../platform/auth/guard.js';
import type { ModuleRoutes } from '../../platform/http/module.js';
import * as dashboard from './dashboard.service.js';

/** V32/T9: the home page's collection picture; every signed-in user has the home page (scoped). */
export const dashboardRoutes: ModuleRoutes = async (app, { deps: { db } }) => {
  app.get(
    '/dashboard',
    {
      config: { access: { authenticated: true } },
      schema: { tags: ['dashboard'], response: { 200: dashboardSchema } },
    },
    (req) => dashboard.getDashboard(db, contextOf(req)),
  );
};
