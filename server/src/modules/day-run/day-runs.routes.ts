import { z } from 'zod';
import { pageOf } from '@vosul/common';
import { dayRunQuerySchema, dayRunSchema, startDayRunSchema } from '@vosul/common/day-runs';
import { contextOf } from '../../platform/auth/guard.js';
import type { ModuleRoutes } from '../../platform/http/module.js';
import { releaseJobQueue } from '../../platform/jobs/index.js';
import * as runs from './day-runs.service.js';

const idParams = z.object({ id: z.string().max(20) });

/** Issue 4, point 1: the runs of the day — listed, followed (progress) and started from the page. */
export const dayRunsRoutes: ModuleRoutes = async (app, { deps: { db, config } }) => {
  const tags = ['day-runs'];
  const access = { access: { page: 'day_runs' } } as const;
  // the sender a request may have started for this database stops with the app
  app.addHook('onClose', () => releaseJobQueue(db));

  app.get(
    '/day-runs',
    {
      config: access,
      schema: { tags, querystring: dayRunQuerySchema, response: { 200: pageOf(dayRunSchema) } },
    },
    (req) => runs.listRuns(db, contextOf(req), req.query),
  );
  app.post(
    '/day-runs',
    { config: access, schema: { tags, body: startDayRunSchema, response: { 202: dayRunSchema } } },
    async (req, reply) =>
      reply.status(202).send(await runs.queueRun(db, contextOf(req), req.body, config.timezone)),
  );
  app.get(
    '/day-runs/:id',
    { config: access, schema: { tags, params: idParams, response: { 200: dayRunSchema } } },
    (req) => runs.getRun(db, contextOf(req), req.params.id),
  );
};
