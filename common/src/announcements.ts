/**
 * Announcements (V10, مدیریت اعلان): title, code, description, date, author, status and scope
 * (general, or one province); an optional attached file. The home page shows each user the active
 * ones that concern them.
 */
import { z } from 'zod';
import { isoDateParam } from './audit.js';
import { listQuerySchema } from './list.js';
import { codeField, optionalText, requiredText } from './org.js';

export const ANNOUNCEMENT_STATUSES = { active: 'فعال', inactive: 'غیرفعال' } as const;
export type AnnouncementStatus = keyof typeof ANNOUNCEMENT_STATUSES;
const STATUS_KEYS = Object.keys(ANNOUNCEMENT_STATUSES) as [AnnouncementStatus, ...AnnouncementStatus[]];

/** Largest attachment accepted (bytes). */
export const ANNOUNCEMENT_FILE_MAX_BYTES = 5 * 1024 * 1024;

export const announcementInputSchema = z.object({
  code: codeField('کد اعلان'),
  title: requiredText(200, 'عنوان اعلان'),
  description: optionalText(4000),
  announced_on: isoDateParam('تاریخ اعلان'),
  status: z.enum(STATUS_KEYS, { error: 'وضعیت اعلان را انتخاب کنید' }),
  /** null: general (every user); else the one province it concerns. */
  province_id: z
    .number({ error: 'استان اعلان نامعتبر است' })
    .int()
    .positive()
    .nullish()
    .transform((v) => v ?? null),
});
export type AnnouncementInput = z.infer<typeof announcementInputSchema>;

export const announcementSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  announced_on: z.string(),
  author_name: z.string(),
  status: z.enum(STATUS_KEYS),
  province_id: z.number().int().nullable(),
  province_name: z.string().nullable(),
  file_name: z.string().nullable(),
  has_file: z.boolean(),
  version: z.number().int(),
});
export type Announcement = z.infer<typeof announcementSchema>;

export const announcementListQuerySchema = listQuerySchema.extend({
  status: z.enum(STATUS_KEYS).optional(),
  province_id: z.coerce.number().int().positive().optional(),
});
export type AnnouncementListQuery = z.infer<typeof announcementListQuerySchema>;
