import { z } from 'zod';
import {
  holidayInputSchema,
  holidayListQuerySchema,
  holidayPatchSchema,
  holidaySchema,
} from '@vosul/common/calendar';
import { contextOf } from '../../platform/auth/guard.js';
import type { ModuleRoutes } from '../../platform/http/module.js';
import * as calendar from './calendar.service.js';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const PAGE = { access: { page: 'working_calendar' } } as const;

/** Issue 5 point 3: the working-day calendar — official holidays and closures (Fridays are implied). */
export const calendarRoutes: ModuleRoutes = async (app, { deps: { db } }) => {
  const tags = ['calendar'];

  app.get(
    '/holidays',
    {
      config: PAGE,
      schema: {
        tags,
        querystring: holidayListQuerySchema,
        response: { 200: z.object({ items: z.array(holidaySchema) }) },
      },
    },
    (req) => calendar.listHolidays(db, contextOf(req), req.query),
  );
  app.post(
    '/holidays',
    { config: PAGE, schema: { tags, body: holidayInputSchema, response: { 201: holidaySchema } } },
    async (req, reply) => reply.status(201).send(await calendar.createHoliday(db, contextOf(req), req.body)),
  );
  app.patch(
    '/holidays/:id',
    {
      config: PAGE,
      schema: { tags, params: idParams, body: holidayPatchSchema, response: { 200: holidaySchema } },
    },
    (req) => calendar.updateHoliday(db, contextOf(req), req.params.id, req.body),
  );
  app.delete('/holidays/:id', { config: PAGE, schema: { tags, params: idParams } }, async (req, reply) => {
    await calendar.deleteHoliday(db, contextOf(req), req.params.id);
    return reply.status(204).send();
  });
};
