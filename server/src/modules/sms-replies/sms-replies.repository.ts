import { sql } from 'kysely';
import { likePattern, normalizeMobile, normalizeText } from '@vosul/common';
import type { SmsReplyListQuery } from '@vosul/common/sms-replies';
import type { Executor } from '../../platform/db/database.js';
import { fetchPage } from '../../platform/listing.js';

/** Each reply with the name the book has for its mobile (a customer's) and whether its opt-out holds. */
function repliesQuery(db: Executor) {
  return db.selectFrom('inbound_sms as i').select([
    sql<string>`i.id::text`.as('id'),
    'i.received_at',
    'i.source',
    // by the customers' mobile index (a guarantor who is no customer of the bank stays unnamed: the
    // guarantors' mobiles have no index, and a list page must not scan them)
    sql<string | null>`(SELECT concat_ws(' ', c.first_name, c.last_name) FROM customers c
      WHERE c.mobile = i.source ORDER BY c.id LIMIT 1)`.as('person_name'),
    'i.line',
    'i.text',
    'i.opt_out',
    sql<boolean>`(i.opt_out AND EXISTS (
        SELECT 1 FROM sms_opt_outs o WHERE o.mobile = i.source AND o.line = i.line))`.as('opted_out'),
  ]);
}

const SORT: Record<string, string> = {
  received_at: 'i.received_at',
  source: 'i.source',
  line: 'i.line',
  text: 'i.text',
  opt_out: 'i.opt_out',
};

/** `q` over the mobile (as typed or in its stored form) and the text; `opted_out`: opt-outs in force. */
function matching(db: Executor, list: Pick<SmsReplyListQuery, 'q' | 'opted_out'>) {
  let query = repliesQuery(db);
  if (list.opted_out !== undefined)
    query = query.where(
      sql<boolean>`(i.opt_out AND EXISTS (SELECT 1 FROM sms_opt_outs o WHERE o.mobile = i.source AND o.line = i.line))`,
      '=',
      list.opted_out,
    );
  const text = list.q ? normalizeText(list.q) : '';
  if (!text) return query;
  const patterns = [likePattern(text)];
  const mobile = normalizeMobile(text);
  if (mobile && mobile !== text) patterns.push(likePattern(mobile));
  return query.where((eb) =>
    eb.or(patterns.flatMap((p) => [eb('i.source', 'ilike', p), eb('i.text', 'ilike', p)])),
  );
}

export function findRepliesPage(db: Executor, list: SmsReplyListQuery) {
  const sorted = list.sort ? list : { ...list, sort: 'received_at', order: 'desc' as const };
  return fetchPage(matching(db, list), sorted, SORT, 'received_at', 'i.id');
}

/** Lifts an opt-out; the row it removed, or undefined when there was none. */
export function deleteOptOut(db: Executor, mobile: string, line: string) {
  return db
    .deleteFrom('sms_opt_outs')
    .where('mobile', '=', mobile)
    .where('line', '=', line)
    .returningAll()
    .executeTakeFirst();
}
