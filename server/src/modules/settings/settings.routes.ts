import { securitySettingsPatchSchema, securitySettingsSchema } from '@vosul/common';
import { contextOf } from '../../platform/auth/guard.js';
import type { ModuleRoutes } from '../../platform/http/module.js';
import * as settings from './settings.service.js';

export const settingsRoutes: ModuleRoutes = async (app, { deps: { db } }) => {
  const tags = ['settings'];
  const access = { access: { page: 'system_settings' } } as const;

  app.get(
    '/settings/security',
    { config: access, schema: { tags, response: { 200: securitySettingsSchema } } },
    (req) => settings.getSecuritySettings(db, contextOf(req)),
  );
  app.patch(
    '/settings/security',
    {
      config: access,
      schema: { tags, body: securitySettingsPatchSchema, response: { 200: securitySettingsSchema } },
    },
    (req) => settings.updateSecuritySettings(db, contextOf(req), req.body),
  );
};
