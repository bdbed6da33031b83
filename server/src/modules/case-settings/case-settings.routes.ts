import { caseSettingsInputSchema, caseSettingsSchema } from '@vosul/common/case-settings';
import { contextOf } from '../../platform/auth/guard.js';
import type { ModuleRoutes } from '../../platform/http/module.js';
import * as caseSettings from './case-settings.service.js';

const ACCESS = { access: { page: 'case_settings' } } as const;

/** V9: the overdue-day ranges and amount thresholds the home page counts by. */
export const caseSettingsRoutes: ModuleRoutes = async (app, { deps: { db } }) => {
  const tags = ['case-settings'];
  app.get(
    '/case-settings',
    { config: ACCESS, schema: { tags, response: { 200: caseSettingsSchema } } },
    (req) => caseSettings.getCaseSettings(db, contextOf(req)),
  );
  app.put(
    '/case-settings',
    {
      config: ACCESS,
      schema: { tags, body: caseSettingsInputSchema, response: { 200: caseSettingsSchema } },
    },
    (req) => caseSettings.saveCaseSettings(db, contextOf(req), req.body),
  );
};
