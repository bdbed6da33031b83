/**
 * Contracts of the users module (product.md V2–V4, V6): access groups and the page catalogue, users,
 * an administrator's password reset, and the user wizard's Excel columns. Input is normalised as it
 * is parsed (Persian/Arabic digits, ي/ك, mobile and national-code forms); messages are Persian.
 */
import { z } from 'zod';
import { listQuerySchema } from './list.js';
import { optionalText, requiredText } from './org.js';
import { MENU_SECTIONS, PAGE_KEYS } from './pages.js';
import { normalizeText } from './text.js';
import { isValidEmail, normalizeMobile, normalizeNationalCode } from './validators.js';

// ---- enums -----------------------------------------------------------------------------------

export const USER_TYPES = { full_time: 'تمام وقت', part_time: 'پاره وقت' } as const;
export type UserType = keyof typeof USER_TYPES;
export const USER_TYPE_KEYS = Object.keys(USER_TYPES) as [UserType, ...UserType[]];

export const GENDERS = { M: 'مرد', F: 'زن' } as const;
export type Gender = keyof typeof GENDERS;
export const GENDER_KEYS = Object.keys(GENDERS) as [Gender, ...Gender[]];

/** Where a user sits (their data scope): a branch, a province, or HQ (neither). */
export type UserPlace = 'hq' | 'province' | 'branch';

// ---- field schemas -----------------------------------------------------------------------------

export const USERNAME_PATTERN = /^[A-Za-z0-9._-]+$/;
export const PASSWORD_MIN_LENGTH = 10;

export const usernameField = z
  .string({ error: 'نام کاربری را وارد کنید' })
  .transform(normalizeText)
  .pipe(
    z
      .string()
      .min(1, 'نام کاربری را وارد کنید')
      .min(3, 'نام کاربری دست‌کم ۳ نویسه است')
      .max(50, 'نام کاربری حداکثر ۵۰ نویسه است')
      .regex(USERNAME_PATTERN, 'نام کاربری فقط شامل حروف لاتین، رقم و نویسه‌های . _ - است'),
  );

export const passwordField = z
  .string({ error: 'رمز عبور را وارد کنید' })
  .min(PASSWORD_MIN_LENGTH, 'رمز عبور باید دست‌کم ۱۰ نویسه باشد')
  .max(200, 'رمز عبور حداکثر ۲۰۰ نویسه است');

/** An optional value that a normaliser turns into its stored form or refuses with `message`. */
const normalised = (normalise: (v: string) => string | null, message: string) =>
  z
    .string()
    .nullish()
    .transform((value, ctx) => {
      const text = value ? normalizeText(value) : '';
      if (!text) return null;
      const stored = normalise(text);
      if (stored === null) {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      return stored;
    });

export const nationalCodeField = normalised(
  normalizeNationalCode,
  'کد ملی معتبر نیست؛ ۱۰ رقم با رقم کنترل درست لازم است',
);
export const mobileField = normalised(normalizeMobile, 'شماره تلفن همراه معتبر نیست (مانند 09121234567)');
export const emailField = normalised(
  (v) => (isValidEmail(v) ? v : null),
  'نشانی پست الکترونیکی معتبر نیست (مانند name@bank.ir)',
);
const digitsField = (label: string, max: number) =>
  normalised(
    (v) => (new RegExp(`^\\d{1,${max}}$`).test(v) ? v : null),
    `${label} فقط رقم است (حداکثر ${max} رقم)`,
  );
const phonesField = normalised(
  (v) => (/^[0-9+\-\s,،()]{3,100}$/.test(v) ? v.replace(/،/g, ',') : null),
  'شماره تلفن فقط رقم است؛ چند شماره را با ویرگول جدا کنید',
);

const idRef = (message: string) =>
  z
    .number({ error: message })
    .int()
    .positive()
    .nullish()
    .transform((v) => v ?? null);

// ---- users -----------------------------------------------------------------------------------

/** The fields of a user (V3) as the form and the wizard send them; the password is create-only. */
export const userInputSchema = z.object({
  username: usernameField,
  first_name: requiredText(100, 'نام'),
  last_name: requiredText(100, 'نام خانوادگی'),
  user_type: z.enum(USER_TYPE_KEYS, { error: 'نوع کاربر را انتخاب کنید (تمام وقت یا پاره وقت)' }),
  group_ids: z
    .array(z.number().int().positive(), { error: 'گروه دسترسی را انتخاب کنید' })
    .min(1, 'دست‌کم یک گروه دسترسی انتخاب کنید')
    .max(50),
  /** A branch user; the province follows the branch. */
  branch_id: idRef('شعبه نامعتبر است'),
  /** A province user (no branch); with neither, an HQ user. */
  province_id: idRef('استان نامعتبر است'),
  gender: z
    .enum(GENDER_KEYS, { error: 'جنسیت نامعتبر است' })
    .nullish()
    .transform((v) => v ?? null),
  address: optionalText(500),
  personnel_code: optionalText(30),
  national_code: nationalCodeField,
  birth_cert_no: digitsField('شماره شناسنامه', 10),
  phones: phonesField,
  mobile: mobileField,
  email: emailField,
});
export type UserInput = z.infer<typeof userInputSchema>;

export const userCreateSchema = userInputSchema.extend({ password: passwordField });
export type UserCreateInput = z.infer<typeof userCreateSchema>;

/** PATCH: any fields, with the version the editor loaded (a newer one is a stale edit, 409). */
export const userUpdateSchema = userInputSchema
  .partial()
  .extend({ version: z.number({ error: 'نسخه رکورد لازم است' }).int().positive() });
export type UserUpdateInput = z.infer<typeof userUpdateSchema>;

export const groupRefSchema = z.object({ id: z.number().int(), title: z.string() });

export const userSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  first_name: z.string(),
  last_name: z.string(),
  user_type: z.enum(USER_TYPE_KEYS),
  gender: z.enum(GENDER_KEYS).nullable(),
  branch_id: z.number().int().nullable(),
  branch_code: z.string().nullable(),
  branch_name: z.string().nullable(),
  province_id: z.number().int().nullable(),
  province_code: z.string().nullable(),
  province_name: z.string().nullable(),
  groups: z.array(groupRefSchema),
  address: z.string().nullable(),
  personnel_code: z.string().nullable(),
  national_code: z.string().nullable(),
  birth_cert_no: z.string().nullable(),
  phones: z.string().nullable(),
  mobile: z.string().nullable(),
  email: z.string().nullable(),
  has_photo: z.boolean(),
  is_active: z.boolean(),
  version: z.number().int(),
});
export type User = z.infer<typeof userSchema>;

export const userListQuerySchema = listQuerySchema.extend({
  branch_id: z.coerce.number().int().positive().optional(),
  province_id: z.coerce.number().int().positive().optional(),
  group_id: z.coerce.number().int().positive().optional(),
});
export type UserListQuery = z.infer<typeof userListQuerySchema>;

/** V4: an administrator sets a user's password. */
export const setPasswordSchema = z
  .object({
    new_password: z.string({ error: 'رمز عبور جدید را وارد کنید' }).max(200),
    repeat_password: z.string({ error: 'تکرار رمز عبور را وارد کنید' }).max(200),
  })
  .refine((v) => v.new_password === v.repeat_password, {
    path: ['repeat_password'],
    message: 'تکرار رمز عبور با رمز جدید یکسان نیست',
  });

/** Photos: JPEG, PNG or WebP (checked by content), at most 1 MB. */
export const PHOTO_MAX_BYTES = 1024 * 1024;
export const PHOTO_MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;

// ---- groups and pages (V2) --------------------------------------------------------------------

export const groupInputSchema = z.object({
  title: requiredText(100, 'عنوان گروه دسترسی'),
  pages: z
    .array(z.enum(PAGE_KEYS, { error: 'صفحه انتخاب‌شده در فهرست صفحات سامانه نیست' }), {
      error: 'صفحات گروه را انتخاب کنید',
    })
    .min(1, 'دست‌کم یک صفحه برای گروه انتخاب کنید')
    .max(500)
    .transform((pages) => [...new Set(pages)]),
  /** V19: the group's users change cases through change requests that another user reviews (default no). */
  needs_approval: z.boolean({ error: 'نیاز به تأیید باید بله یا خیر باشد' }).optional(),
});
export type GroupInput = z.infer<typeof groupInputSchema>;

export const groupUpdateSchema = groupInputSchema
  .partial()
  .extend({ version: z.number({ error: 'نسخه رکورد لازم است' }).int().positive() });

export const groupSchema = z.object({
  id: z.number().int(),
  /** Set for the predefined groups of the manual (editable, never deletable). */
  code: z.string().nullable(),
  title: z.string(),
  predefined: z.boolean(),
  pages: z.array(z.string()),
  needs_approval: z.boolean(),
  user_count: z.number().int(),
  /** The caller holds every page of the group, so may grant it to a user. */
  grantable: z.boolean(),
  version: z.number().int(),
});
export type Group = z.infer<typeof groupSchema>;

export const groupListQuerySchema = listQuerySchema.extend({
  /** Only the groups the caller may grant (the user form's choices). */
  grantable: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((v) => v === 'true' || v === '1'),
});

/** The page catalogue by menu section, for the group form's checkbox tree. */
export const pageCatalogSchema = z.object({
  sections: z.array(
    z.object({
      key: z.enum(
        Object.keys(MENU_SECTIONS) as [keyof typeof MENU_SECTIONS, ...(keyof typeof MENU_SECTIONS)[]],
      ),
      title: z.string(),
      pages: z.array(z.object({ key: z.enum(PAGE_KEYS), title: z.string(), grantable: z.boolean() })),
    }),
  ),
});
export type PageCatalog = z.infer<typeof pageCatalogSchema>;

// ---- user wizard (V6) -------------------------------------------------------------------------

export interface WizardColumn {
  key:
    | 'username'
    | 'password'
    | 'first_name'
    | 'last_name'
    | 'user_type'
    | 'groups'
    | 'branch_code'
    | 'province_code'
    | 'gender'
    | 'personnel_code'
    | 'national_code'
    | 'mobile'
    | 'email';
  /** The Persian header of the template (also matched on upload, with `key` itself). */
  header: string;
  required: boolean;
  example: string;
  /** Shown as a comment on the header cell. */
  note?: string;
}

/** The columns of the wizard's workbook, in the template's order; on upload any order is accepted. */
export const WIZARD_COLUMNS: readonly WizardColumn[] = [
  {
    key: 'username',
    header: 'نام کاربری',
    required: true,
    example: 'r.ahmadi',
    note: 'حروف لاتین، رقم و . _ -',
  },
  {
    key: 'password',
    header: 'کلمه عبور',
    required: true,
    example: 'Mehr-1403-Pass',
    note: 'دست‌کم ۱۰ نویسه؛ غیر از نام کاربری',
  },
  { key: 'first_name', header: 'نام', required: true, example: 'رضا' },
  { key: 'last_name', header: 'نام خانوادگی', required: true, example: 'احمدی' },
  {
    key: 'user_type',
    header: 'نوع کاربر',
    required: true,
    example: 'تمام وقت',
    note: 'تمام وقت یا پاره وقت',
  },
  {
    key: 'groups',
    header: 'گروه‌های دسترسی',
    required: true,
    example: 'وصول مطالبات',
    note: 'عنوان گروه‌ها؛ چند گروه را با ویرگول جدا کنید',
  },
  {
    key: 'branch_code',
    header: 'کد شعبه',
    required: false,
    example: '6140',
    note: 'برای کاربر ستاد یا استان خالی بماند',
  },
  {
    key: 'province_code',
    header: 'کد استان',
    required: false,
    example: '',
    note: 'فقط برای کاربر استانی (بدون شعبه)',
  },
  { key: 'gender', header: 'جنسیت', required: false, example: 'مرد', note: 'مرد یا زن' },
  { key: 'personnel_code', header: 'کد پرسنلی', required: false, example: '58213' },
  { key: 'national_code', header: 'کد ملی', required: false, example: '0013542419' },
  { key: 'mobile', header: 'تلفن همراه', required: false, example: '09121234567' },
  { key: 'email', header: 'پست الکترونیکی', required: false, example: 'r.ahmadi@bank.ir' },
];

/** The column the server writes into the returned workbook, one verdict per row. */
export const WIZARD_STATUS_HEADER = 'وضعیت';
export const WIZARD_MAX_ROWS = 2000;
export const WIZARD_MAX_BYTES = 5 * 1024 * 1024;

export const wizardRowErrorSchema = z.object({
  /** The Excel row number (the header is row 1). */
  row: z.number().int(),
  /** The field (a WizardColumn key), or `row` for the row as a whole. */
  field: z.string(),
  /** The column's header as the workbook shows it. */
  column: z.string().nullable(),
  reason: z.string(),
});
export type WizardRowError = z.infer<typeof wizardRowErrorSchema>;

export const wizardResultSchema = z.object({
  count: z.number().int(),
  created: z.array(
    z.object({
      row: z.number().int(),
      id: z.number().int(),
      username: z.string(),
      first_name: z.string(),
      last_name: z.string(),
    }),
  ),
});
export type WizardResult = z.infer<typeof wizardResultSchema>;

/** `details` of the wizard's 400 answer: every bad row, and the workbook with its «وضعیت» column. */
export interface WizardFailureDetails {
  rows: WizardRowError[];
  /** The uploaded workbook annotated per row, base64 (.xlsx). */
  workbook_base64: string;
  workbook_name: string;
}
