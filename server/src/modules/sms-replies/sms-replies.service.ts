import type { SmsReply, SmsReplyListQuery } from '@vosul/common/sms-replies';
import type { Database } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/auth/context.js';
import { requireHq } from '../../platform/auth/guard.js';
import { recordAudit } from '../../platform/audit.js';
import { notFound } from '../../platform/errors.js';
import * as repo from './sms-replies.repository.js';

const ENTITY = 'sms_opt_out';

/** Replies and opt-outs concern people of every branch, like the do-not-contact list: HQ's alone. */
const HQ_ONLY = 'پیامک‌های دریافتی و انصراف‌ها فقط در دسترس کاربران ستاد است';

export async function listReplies(db: Database, ctx: RequestContext, list: SmsReplyListQuery) {
  requireHq(ctx, HQ_ONLY);
  const page = await repo.findRepliesPage(db, list);
  return {
    ...page,
    items: page.items.map((r): SmsReply => ({
      ...r,
      received_at: r.received_at.toISOString(),
    })),
  };
}

/** A customer withdraws their «۱۱»: informational SMS from that line go to them again from the next plan. */
export async function liftOptOut(db: Database, ctx: RequestContext, mobile: string, line: string) {
  requireHq(ctx, HQ_ONLY);
  await db.transaction().execute(async (trx) => {
    // the row the delete took: two lifts at once audit one
    const before = await repo.deleteOptOut(trx, mobile, line);
    if (!before) throw notFound('انصراف این شماره از این خط');
    await recordAudit(trx, ctx, { entity: ENTITY, entityId: `${mobile}:${line}`, action: 'delete', before });
  });
}
