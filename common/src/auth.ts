import { z } from 'zod';
import { PAGE_KEYS } from './pages.js';

export const loginRequestSchema = z.object({
  username: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(200),
});

export const scopeKindSchema = z.enum(['hq', 'province', 'branch']);

export const sessionUserSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  first_name: z.string(),
  last_name: z.string(),
  pages: z.array(z.enum(PAGE_KEYS)),
  scope: scopeKindSchema,
  branch_code: z.string().nullable(),
  province_code: z.string().nullable(),
});
export type SessionUser = z.infer<typeof sessionUserSchema>;

export const loginResponseSchema = z.object({ user: sessionUserSchema, csrf_token: z.string() });
export type LoginResponse = z.infer<typeof loginResponseSchema>;

export const changeOwnPasswordSchema = z
  .object({
    current_password: z.string().min(1),
    new_password: z.string(),
    repeat_password: z.string(),
  })
  .refine((v) => v.new_password === v.repeat_password, {
    path: ['repeat_password'],
    message: 'تکرار رمز عبور با رمز جدید یکسان نیست',
  });
