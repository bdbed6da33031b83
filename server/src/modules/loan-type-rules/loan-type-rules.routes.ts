import { z } from 'zod';
import { loanTypeRulesPatchSchema, loanTypeRulesSchema } from '@vosul/common/loan-type-rules';
import { contextOf } from '../../platform/auth/guard.js';
import type { ModuleRoutes } from '../../platform/http/module.js';
import * as rules from './loan-type-rules.service.js';

const ACCESS = { access: { page: 'loan_types' } } as const;
const idParams = z.object({ id: z.coerce.number().int().positive() });

/** P7: a loan type's CBI classification thresholds, penalty rate and ledger heads. */
export const loanTypeRulesRoutes: ModuleRoutes = async (app, { deps: { db } }) => {
  const tags = ['catalog'];
  app.get(
    '/loan-types/:id/rules',
    { config: ACCESS, schema: { tags, params: idParams, response: { 200: loanTypeRulesSchema } } },
    (req) => rules.getLoanTypeRules(db, contextOf(req), req.params.id),
  );
  app.patch(
    '/loan-types/:id/rules',
    {
      config: ACCESS,
      schema: {
        tags,
        params: idParams,
        body: loanTypeRulesPatchSchema,
        response: { 200: loanTypeRulesSchema },
      },
    },
    (req) => rules.updateLoanTypeRules(db, contextOf(req), req.params.id, req.body),
  );
};
