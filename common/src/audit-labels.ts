/**
 * Persian names of the audit trail's record types and actions and of the login report's failure
 * reasons. Plain constants (no Zod), so the web imports them without the contracts.
 */

/** Record types of the audit trail (B4) with their Persian names; later modules add theirs. */
export const AUDIT_ENTITY_LABELS = {
  province: 'استان',
  branch: 'شعبه',
  user: 'کاربر',
  access_group: 'گروه دسترسی',
  loan_type: 'نوع وام',
  deposit_type: 'نوع سپرده',
  case: 'پرونده',
  change_request: 'درخواست تغییر پرونده',
  setting: 'تنظیمات',
  letter: 'نامه و اخطاریه',
  declaration: 'اظهارنامه',
  announcement: 'اعلان',
  audio_file: 'فایل صوتی',
  sms_opt_out: 'انصراف از پیامک («۱۱»)',
} as const satisfies Record<string, string>;
export type AuditEntity = keyof typeof AUDIT_ENTITY_LABELS;

export const AUDIT_ACTIONS = ['create', 'update', 'delete'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export const AUDIT_ACTION_LABELS: Record<AuditAction, string> = {
  create: 'ایجاد',
  update: 'ویرایش',
  delete: 'حذف',
};

/** The Persian name of a record type, or the type itself when it has none yet. */
export const auditEntityLabel = (entity: string): string =>
  (AUDIT_ENTITY_LABELS as Record<string, string>)[entity] ?? entity;

/** Why a sign-in failed (written by the auth module), with the Persian labels of the report. */
export const LOGIN_FAILURE_LABELS = {
  bad_password: 'رمز نادرست',
  unknown_user: 'کاربر ناشناس',
  locked: 'حساب قفل',
  inactive: 'غیرفعال',
  ip_not_allowed: 'IP غیرمجاز',
} as const satisfies Record<string, string>;
export type LoginFailureReason = keyof typeof LOGIN_FAILURE_LABELS;

export const loginFailureLabel = (reason: string | null): string =>
  reason === null ? '' : ((LOGIN_FAILURE_LABELS as Record<string, string>)[reason] ?? reason);
