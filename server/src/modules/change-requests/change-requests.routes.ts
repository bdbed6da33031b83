import { z } from 'zod';
import { pageOf } from '@vosul/common';
import {
  changeRequestListItemSchema,
  changeRequestListQuerySchema,
  changeRequestReviewSchema,
  changeRequestSchema,
} from '@vosul/common/change-requests';
import { contextOf } from '../../platform/auth/guard.js';
import type { ModuleRoutes } from '../../platform/http/module.js';
import * as requests from './change-requests.service.js';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const REVIEW = { access: { page: 'change_requests' } } as const;

/** V19 change requests (maker–checker): the reviewer's list, a request, accept and reject. */
export const changeRequestsRoutes: ModuleRoutes = async (app, { deps: { db } }) => {
  const tags = ['change-requests'];

  app.get(
    '/change-requests',
    {
      config: REVIEW,
      schema: {
        tags,
        querystring: changeRequestListQuerySchema,
        response: { 200: pageOf(changeRequestListItemSchema) },
      },
    },
    (req) => requests.listRequests(db, contextOf(req), req.query),
  );
  app.get(
    '/change-requests/:id',
    { config: REVIEW, schema: { tags, params: idParams, response: { 200: changeRequestSchema } } },
    (req) => requests.getRequest(db, contextOf(req), req.params.id),
  );
  // accept and reject take and answer alike
  const decision = {
    config: REVIEW,
    schema: {
      tags,
      params: idParams,
      body: changeRequestReviewSchema,
      response: { 200: changeRequestSchema },
    },
  };
  app.post('/change-requests/:id/accept', decision, (req) =>
    requests.acceptRequest(db, contextOf(req), req.params.id, req.body),
  );
  app.post('/change-requests/:id/reject', decision, (req) =>
    requests.rejectRequest(db, contextOf(req), req.params.id, req.body),
  );
};
