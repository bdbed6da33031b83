import { z } from 'zod';
import { pageOf } from '@vosul/common';
import {
  letterPaperSchema,
  declarationQuerySchema,
  declarationSchema,
  fileDeclarationSchema,
  letterDocumentSchema,
  letterIdsQuerySchema,
  letterMarkResultSchema,
  letterQuerySchema,
  letterSchema,
  markDeliveredSchema,
  markPrintedSchema,
  serveDeclarationSchema,
} from '@vosul/common/letters';
import { maturingBranchQuerySchema, maturingBranchSchema } from '@vosul/common/maturing';
import { contextOf } from '../../platform/auth/guard.js';
import { listBranchOptions } from '../maturing/maturing.service.js';
import type { ModuleRoutes } from '../../platform/http/module.js';
import * as letters from './letters.service.js';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const LETTERS = { access: { page: 'letters' } } as const;
const DECLARATIONS = { access: { page: 'declarations' } } as const;

/**
 * Issue 6 point 6: the print queue of letters and warning notices (print, mark printed, mark
 * delivered; documents and PDF), and the declarations waiting to be filed in ثنا and their tracking.
 */
export const lettersRoutes: ModuleRoutes = async (app, { deps: { db, config } }) => {
  const tags = ['letters'];

  app.get(
    '/letters',
    {
      config: LETTERS,
      schema: { tags, querystring: letterQuerySchema, response: { 200: pageOf(letterSchema) } },
    },
    (req) => letters.listLetters(db, contextOf(req), req.query),
  );
  app.get(
    '/letters/documents',
    {
      config: LETTERS,
      schema: {
        tags,
        querystring: letterIdsQuerySchema,
        response: { 200: z.object({ items: z.array(letterDocumentSchema) }) },
      },
    },
    async (req) => ({ items: await letters.letterDocuments(db, contextOf(req), req.query.ids) }),
  );
  // the clerks print on the pre-printed paper without the system settings page
  app.get('/letters/paper', { config: LETTERS, schema: { tags, response: { 200: letterPaperSchema } } }, () =>
    letters.letterPaper(db),
  );
  app.get(
    '/letters/pdf',
    { config: LETTERS, schema: { tags, querystring: letterIdsQuerySchema } },
    async (req, reply) => {
      const pdf = await letters.lettersPdf(db, contextOf(req), req.query);
      const name = req.query.ids.length === 1 ? `letter-${req.query.ids[0]}.pdf` : 'letters.pdf';
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${name}"`)
        .send(pdf);
    },
  );
  // the branches of the user's scope, for the queues' branch filter (the maturing list's own options)
  app.get(
    '/letters/branches',
    {
      config: { access: { page: ['letters', 'declarations'] } },
      schema: {
        tags,
        querystring: maturingBranchQuerySchema,
        response: { 200: pageOf(maturingBranchSchema) },
      },
    },
    (req) => listBranchOptions(db, contextOf(req), req.query),
  );
  app.post(
    '/letters/printed',
    { config: LETTERS, schema: { tags, body: markPrintedSchema, response: { 200: letterMarkResultSchema } } },
    (req) => letters.markPrinted(db, contextOf(req), req.body),
  );
  app.post(
    '/letters/delivered',
    {
      config: LETTERS,
      schema: { tags, body: markDeliveredSchema, response: { 200: letterMarkResultSchema } },
    },
    (req) => letters.markDelivered(db, contextOf(req), req.body, config.timezone),
  );

  app.get(
    '/declarations',
    {
      config: DECLARATIONS,
      schema: { tags, querystring: declarationQuerySchema, response: { 200: pageOf(declarationSchema) } },
    },
    (req) => letters.listDeclarations(db, contextOf(req), req.query),
  );
  app.post(
    '/declarations/:id/filed',
    {
      config: DECLARATIONS,
      schema: {
        tags,
        params: idParams,
        body: fileDeclarationSchema,
        response: { 200: letterMarkResultSchema },
      },
    },
    (req) => letters.fileDeclaration(db, contextOf(req), req.params.id, req.body, config.timezone),
  );
  app.post(
    '/declarations/:id/served',
    {
      config: DECLARATIONS,
      schema: {
        tags,
        params: idParams,
        body: serveDeclarationSchema,
        response: { 200: letterMarkResultSchema },
      },
    },
    (req) => letters.serveDeclaration(db, contextOf(req), req.params.id, req.body, config.timezone),
  );
};
