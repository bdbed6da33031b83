import type { AuditAction } from '@vosul/common/audit-labels';

/** One entry of the audit trail (B4), as `GET /api/v1/audit` answers it. */
export interface AuditEntry {
  id: string;
  at: string;
  actor_user_id: number | null;
  actor_username: string | null;
  ip: string | null;
  entity: string;
  entity_id: string;
  action: AuditAction;
  before: unknown;
  after: unknown;
}

export const AUDIT_API = '/api/v1/audit';

/** Persian names of the fields that records carry; others are shown by their own name. */
export const FIELD_LABELS: Record<string, string> = {
  id: 'شناسه',
  code: 'کد',
  name: 'نام',
  title: 'عنوان',
  version: 'نسخه',
  address: 'نشانی',
  ip: 'نشانی IP',
  province_id: 'شناسه استان',
  province_code: 'کد استان',
  province_name: 'نام استان',
  parent_id: 'شناسه شعبه مادر',
  parent_code: 'کد شعبه مادر',
  parent_name: 'نام شعبه مادر',
  branch_id: 'شناسه شعبه',
  branch_code: 'کد شعبه',
  branch_count: 'تعداد شعبه',
  username: 'نام کاربری',
  first_name: 'نام',
  last_name: 'نام خانوادگی',
  user_type: 'نوع کاربر',
  gender: 'جنسیت',
  personnel_code: 'کد پرسنلی',
  national_code: 'کد ملی',
  birth_cert_no: 'شماره شناسنامه',
  phones: 'تلفن‌ها',
  mobile: 'تلفن همراه',
  email: 'پست الکترونیک',
  is_active: 'فعال',
  groups: 'گروه‌ها',
  pages: 'صفحه‌ها',
  password: 'کلمه عبور',
  password_hash: 'کلمه عبور',
  session_idle_minutes: 'مدت بیکاری تا پایان نشست (دقیقه)',
  login_max_failures: 'تعداد ورود نادرست تا قفل شدن',
  login_lockout_minutes: 'مدت قفل حساب (دقیقه)',
  created_at: 'زمان ایجاد',
  updated_at: 'زمان ویرایش',
};
