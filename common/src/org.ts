import { z } from 'zod';
import { listQuerySchema } from './list.js';
import { normalizeText } from './text.js';

/** Text input as users type it: Persian/Arabic digits and ي/ك normalised, trimmed. */
export const text = (max: number) => z.string().transform(normalizeText).pipe(z.string().max(max));
export const requiredText = (max: number, label: string) =>
  z
    .string({ error: `${label} را وارد کنید` })
    .transform(normalizeText)
    .pipe(z.string().min(1, `${label} را وارد کنید`).max(max, `${label} حداکثر ${max} نویسه است`));
export const optionalText = (max: number) =>
  z
    .string()
    .transform(normalizeText)
    .pipe(z.string().max(max))
    .nullish()
    .transform((v) => (v ? v : null));
export const codeField = (label: string) =>
  requiredText(20, label).pipe(z.string().regex(/^[A-Za-z0-9_-]+$/, `${label} فقط رقم و حروف لاتین است`));

export const provinceInputSchema = z.object({
  code: codeField('کد استان'),
  name: requiredText(100, 'نام استان'),
});
export const provinceSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  branch_count: z.number().int(),
  version: z.number().int(),
});
export type Province = z.infer<typeof provinceSchema>;

export const branchInputSchema = z.object({
  code: codeField('کد شعبه'),
  name: requiredText(200, 'نام شعبه'),
  province_id: z.number({ error: 'استان را انتخاب کنید' }).int().positive(),
  parent_id: z
    .number()
    .int()
    .positive()
    .nullish()
    .transform((v) => v ?? null),
  address: optionalText(500),
  ip: optionalText(100),
});
export type BranchInput = z.infer<typeof branchInputSchema>;

export const branchSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  province_id: z.number().int(),
  province_code: z.string(),
  province_name: z.string(),
  parent_id: z.number().int().nullable(),
  parent_code: z.string().nullable(),
  parent_name: z.string().nullable(),
  address: z.string().nullable(),
  ip: z.string().nullable(),
  version: z.number().int(),
});
export type Branch = z.infer<typeof branchSchema>;

export const branchListQuerySchema = listQuerySchema.extend({
  province_id: z.coerce.number().int().positive().optional(),
});

/** PATCH bodies carry the version the editor loaded; a newer one on the server is a stale edit (409). */
export const versioned = <T extends z.ZodRawShape>(schema: z.ZodObject<T>) =>
  schema.partial().extend({ version: z.number({ error: 'نسخه رکورد لازم است' }).int().positive() });
