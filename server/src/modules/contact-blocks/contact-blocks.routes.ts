import { z } from 'zod';
import { pageOf } from '@vosul/common';
import {
  contactBlockInputSchema,
  contactBlockListQuerySchema,
  contactBlockPatchSchema,
  contactBlockSchema,
} from '@vosul/common/contact-blocks';
import { contextOf } from '../../platform/auth/guard.js';
import type { ModuleRoutes } from '../../platform/http/module.js';
import * as blocks from './contact-blocks.service.js';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const PAGE = { access: { page: 'contact_blocks' } } as const;

/** Issue 5 point 4 (B1): the do-not-contact list; DELETE lifts a block. */
export const contactBlocksRoutes: ModuleRoutes = async (app, { deps: { db } }) => {
  const tags = ['contact-blocks'];

  app.get(
    '/contact-blocks',
    {
      config: PAGE,
      schema: {
        tags,
        querystring: contactBlockListQuerySchema,
        response: { 200: pageOf(contactBlockSchema) },
      },
    },
    (req) => blocks.listBlocks(db, contextOf(req), req.query),
  );
  app.get(
    '/contact-blocks/:id',
    { config: PAGE, schema: { tags, params: idParams, response: { 200: contactBlockSchema } } },
    (req) => blocks.getBlock(db, contextOf(req), req.params.id),
  );
  app.post(
    '/contact-blocks',
    { config: PAGE, schema: { tags, body: contactBlockInputSchema, response: { 201: contactBlockSchema } } },
    async (req, reply) => reply.status(201).send(await blocks.createBlock(db, contextOf(req), req.body)),
  );
  app.patch(
    '/contact-blocks/:id',
    {
      config: PAGE,
      schema: {
        tags,
        params: idParams,
        body: contactBlockPatchSchema,
        response: { 200: contactBlockSchema },
      },
    },
    (req) => blocks.updateBlock(db, contextOf(req), req.params.id, req.body),
  );
  app.delete(
    '/contact-blocks/:id',
    { config: PAGE, schema: { tags, params: idParams } },
    async (req, reply) => {
      await blocks.liftBlock(db, contextOf(req), req.params.id);
      return reply.status(204).send();
    },
  );
};
