/**
 * Contracts of the change-request module (product.md V19, maker–checker): a case create or edit by
 * a user whose access group needs approval is kept as a request; another user with the page accepts
 * (applied as the direct edit would be) or rejects it (nothing changes).
 */
import { z } from 'zod';
import { listQuerySchema } from './list.js';
import { optionalText } from './org.js';
import {
  CASE_FIELDS,
  CHANGE_REQUEST_KIND_KEYS,
  CHANGE_REQUEST_STATUS_KEYS,
} from './change-requests-labels.js';

export * from './change-requests-labels.js';

/** The answer (202) to a create or edit that became a request instead of a change. */
export const changeRequestSubmittedSchema = z.object({
  change_request: z.object({ id: z.number().int(), kind: z.enum(CHANGE_REQUEST_KIND_KEYS) }),
  message: z.string(),
});
export type ChangeRequestSubmitted = z.infer<typeof changeRequestSubmittedSchema>;

export const changeRequestListQuerySchema = listQuerySchema.extend({
  status: z.enum(CHANGE_REQUEST_STATUS_KEYS, { error: 'وضعیت نامعتبر است' }).optional(),
  kind: z.enum(CHANGE_REQUEST_KIND_KEYS, { error: 'نوع درخواست نامعتبر است' }).optional(),
});
export type ChangeRequestListQuery = z.infer<typeof changeRequestListQuerySchema>;

/** A row of the reviewer's list. */
export const changeRequestListItemSchema = z.object({
  id: z.number().int(),
  kind: z.enum(CHANGE_REQUEST_KIND_KEYS),
  status: z.enum(CHANGE_REQUEST_STATUS_KEYS),
  customer_no: z.string(),
  full_name: z.string(),
  mobile: z.string().nullable(),
  branch_code: z.string(),
  branch_name: z.string(),
  requested_by_name: z.string(),
  requested_at: z.string(),
  reviewed_by_name: z.string().nullable(),
  reviewed_at: z.string().nullable(),
});
export type ChangeRequestListItem = z.infer<typeof changeRequestListItemSchema>;

/** One field of the request page: the value before and the value proposed (display text). */
export const changeRequestFieldSchema = z.object({
  field: z.enum(CASE_FIELDS),
  label: z.string(),
  old_value: z.string().nullable(),
  new_value: z.string().nullable(),
  changed: z.boolean(),
});
export type ChangeRequestField = z.infer<typeof changeRequestFieldSchema>;

const person = z.object({ id: z.number().int().nullable(), name: z.string() });

export const changeRequestSchema = changeRequestListItemSchema.extend({
  customer_id: z.number().int().nullable(),
  branch_id: z.number().int(),
  fields: z.array(changeRequestFieldSchema),
  requested_by: person,
  reviewed_by: person.nullable(),
  review_note: z.string().nullable(),
  /** Set while pending when a later intake or edit changed what the request would change: accept is refused. */
  stale_reason: z.string().nullable(),
  /** The caller made this request, so may not review it. */
  own: z.boolean(),
  version: z.number().int(),
});
export type ChangeRequest = z.infer<typeof changeRequestSchema>;

export const changeRequestReviewSchema = z.object({
  note: optionalText(500),
});
export type ChangeRequestReview = z.infer<typeof changeRequestReviewSchema>;
