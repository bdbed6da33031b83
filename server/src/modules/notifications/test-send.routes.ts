import { testSendInputSchema, testSendResultSchema } from '@vosul/common/test-send';
import { contextOf } from '../../platform/auth/guard.js';
import type { ModuleRoutes } from '../../platform/http/module.js';
import { sendTest } from './test-send.service.js';

/** Issue 5 point 2 (V14): a test send from the workflow form, through the channel's provider. */
export const testSendRoutes: ModuleRoutes = async (app, { deps: { db, secrets } }) => {
  app.post(
    '/notifications/test-send',
    {
      config: { access: { page: 'workflows' } },
      schema: { tags: ['notifications'], body: testSendInputSchema, response: { 200: testSendResultSchema } },
    },
    (req) => sendTest(db, secrets, contextOf(req), req.body),
  );
};
