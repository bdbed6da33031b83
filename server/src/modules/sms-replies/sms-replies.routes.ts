import { z } from 'zod';
import { pageOf } from '@vosul/common';
import { smsReplyListQuerySchema, smsReplySchema } from '@vosul/common/sms-replies';
import { contextOf } from '../../platform/auth/guard.js';
import type { ModuleRoutes } from '../../platform/http/module.js';
import * as replies from './sms-replies.service.js';

/** The do-not-contact list's page holds them: who may stop messages may see who asked to. */
const PAGE = { access: { page: 'contact_blocks' } } as const;
const optOutParams = z.object({
  mobile: z.string().regex(/^09\d{9}$/, 'تلفن همراه نامعتبر است'),
  line: z.string().regex(/^\d{1,20}$/, 'شماره خط نامعتبر است'),
});

/** Issue 6 point 2: what phones sent to the bank's lines; DELETE lifts an opt-out of «۱۱». */
export const smsRepliesRoutes: ModuleRoutes = async (app, { deps: { db } }) => {
  const tags = ['sms-replies'];
  app.get(
    '/sms-replies',
    {
      config: PAGE,
      schema: { tags, querystring: smsReplyListQuerySchema, response: { 200: pageOf(smsReplySchema) } },
    },
    (req) => replies.listReplies(db, contextOf(req), req.query),
  );
  app.delete(
    '/sms-opt-outs/:mobile/:line',
    { config: PAGE, schema: { tags, params: optOutParams } },
    async (req, reply) => {
      await replies.liftOptOut(db, contextOf(req), req.params.mobile, req.params.line);
      return reply.code(204).send();
    },
  );
};
