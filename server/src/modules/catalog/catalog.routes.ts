import { z } from 'zod';
import {
  catalogItemSchema,
  deleteManySchema,
  depositTypeInputSchema,
  listQuerySchema,
  loanTypeInputSchema,
  pageOf,
  versioned,
  type PageKey,
} from '@vosul/common';
import type { Database } from '../../platform/db/database.js';
import { contextOf } from '../../platform/auth/guard.js';
import { sendExcel } from '../../platform/excel.js';
import type { ModuleRoutes } from '../../platform/http/module.js';
import * as catalog from './catalog.service.js';

const idParams = z.object({ id: z.coerce.number().int().positive() });

/**
 * Pages that may read the loan-type list: the page itself, and (as later issues add them) the pages
 * that pick a loan type — workflows, overdue cases, case settings.
 */
const READ_LOAN_TYPES: readonly PageKey[] = ['loan_types'];
const READ_DEPOSIT_TYPES: readonly PageKey[] = ['deposit_types'];

export const catalogRoutes: ModuleRoutes = async (app, { deps: { db } }) => {
  registerCatalog(app, db, {
    kind: catalog.LOAN_TYPES,
    path: '/loan-types',
    page: 'loan_types',
    read: READ_LOAN_TYPES,
    input: loanTypeInputSchema,
    file: 'loan-types',
  });
  registerCatalog(app, db, {
    kind: catalog.DEPOSIT_TYPES,
    path: '/deposit-types',
    page: 'deposit_types',
    read: READ_DEPOSIT_TYPES,
    input: depositTypeInputSchema,
    file: 'deposit-types',
  });
};

function registerCatalog(
  app: Parameters<ModuleRoutes>[0],
  db: Database,
  def: {
    kind: catalog.CatalogKind;
    path: string;
    page: PageKey;
    read: readonly PageKey[];
    input: typeof loanTypeInputSchema;
    file: string;
  },
) {
  const { kind, path, input } = def;
  const tags = ['catalog'];
  const write = { access: { page: def.page } };
  const read = { access: { page: def.read } };

  app.get(
    path,
    {
      config: read,
      schema: { tags, querystring: listQuerySchema, response: { 200: pageOf(catalogItemSchema) } },
    },
    (req) => catalog.listCatalog(db, contextOf(req), kind, req.query),
  );
  app.get(
    path + '/export',
    { config: write, schema: { tags, querystring: listQuerySchema } },
    async (req, reply) =>
      sendExcel(
        reply,
        def.file,
        kind.pluralLabel,
        [
          { header: kind.codeLabel, value: (r) => r.code },
          { header: `عنوان ${kind.label}`, value: (r) => r.title, width: 40 },
        ],
        await catalog.exportCatalog(db, contextOf(req), kind, req.query),
      ),
  );
  app.get(
    path + '/:id',
    { config: read, schema: { tags, params: idParams, response: { 200: catalogItemSchema } } },
    (req) => catalog.getCatalogItem(db, contextOf(req), kind, req.params.id),
  );
  app.post(
    path,
    { config: write, schema: { tags, body: input, response: { 201: catalogItemSchema } } },
    async (req, reply) =>
      reply.status(201).send(await catalog.createCatalogItem(db, contextOf(req), kind, req.body)),
  );
  app.patch(
    path + '/:id',
    {
      config: write,
      schema: { tags, params: idParams, body: versioned(input), response: { 200: catalogItemSchema } },
    },
    (req) => catalog.updateCatalogItem(db, contextOf(req), kind, req.params.id, req.body),
  );
  app.post(
    path + '/delete',
    { config: write, schema: { tags, body: deleteManySchema } },
    async (req, reply) => {
      await catalog.deleteCatalogItems(db, contextOf(req), kind, req.body.ids);
      return reply.status(204).send();
    },
  );
}
