/**
 * The page catalogue: every menu item of the back office. An access group grants a set of these
 * keys; the server checks them on every route and the web menu shows only the granted ones.
 * Later issues add their pages here (and a migration that grants them to the predefined groups).
 */
export const MENU_SECTIONS = {
  system: 'مدیریت سیستم',
  base: 'اطلاعات پایه',
  cases: 'مدیریت پرونده‌ها',
  followup: 'پیگیری پرسنلی',
  reports: 'گزارش‌ها',
} as const;
export type MenuSection = keyof typeof MENU_SECTIONS;

export interface PageDefinition {
  readonly key: string;
  readonly section: MenuSection;
  readonly title: string;
}

export const PAGES = [
  { key: 'groups', section: 'system', title: 'گروه‌ها' },
  { key: 'users', section: 'system', title: 'کاربران' },
  { key: 'user_wizard', section: 'system', title: 'جادوی کاربری' },
  { key: 'province_managers', section: 'system', title: 'اطلاعات مدیر استان' },
  { key: 'system_settings', section: 'base', title: 'تنظیمات سیستم' },
  { key: 'case_settings', section: 'base', title: 'تنظیمات پرونده‌ها' },
  { key: 'announcements', section: 'base', title: 'مدیریت اعلان' },
  { key: 'provinces', section: 'base', title: 'استان‌ها' },
  { key: 'branches', section: 'base', title: 'شعبه‌ها' },
  { key: 'loan_types', section: 'base', title: 'انواع وام' },
  { key: 'deposit_types', section: 'base', title: 'انواع سپرده' },
  { key: 'audio_files', section: 'base', title: 'فایل‌های صوتی' },
  { key: 'workflows', section: 'base', title: 'گردش کار' },
  { key: 'working_calendar', section: 'base', title: 'تقویم کاری و تعطیلات' },
  { key: 'contact_blocks', section: 'base', title: 'فهرست عدم تماس' },
  { key: 'day_runs', section: 'system', title: 'اجرای روزانه' },
  { key: 'active_cases', section: 'cases', title: 'پرونده‌های فعال' },
  { key: 'overdue_cases', section: 'cases', title: 'پرونده‌های معوق' },
  { key: 'change_requests', section: 'cases', title: 'درخواست‌ها' },
  { key: 'incomplete_data', section: 'cases', title: 'اطلاعات ناقص' },
  { key: 'maturing_facilities', section: 'cases', title: 'تسهیلات سررسید شونده' },
  { key: 'letters', section: 'cases', title: 'صف چاپ نامه‌ها و اخطاریه‌ها' },
  { key: 'declarations', section: 'cases', title: 'اظهارنامه‌های ثنا' },
  { key: 'followup_register', section: 'followup', title: 'ثبت پیگیری با شماره مشتری' },
  { key: 'followup_cartable', section: 'followup', title: 'مشاهده پیگیری‌های تخصیص‌یافته' },
  { key: 'followup_assign', section: 'followup', title: 'تخصیص پیگیری' },
  { key: 'notification_report', section: 'reports', title: 'گزارش اطلاع‌رسانی' },
  { key: 'intake_report', section: 'reports', title: 'گزارش دریافت اطلاعات' },
  { key: 'vouchers', section: 'reports', title: 'اسناد حسابداری طبقه‌بندی' },
  { key: 'followup_detail_report', section: 'reports', title: 'پیگیری‌های پرسنلی (جزئیات)' },
  { key: 'followup_count_report', section: 'reports', title: 'گزارش تعداد پیگیری پرسنلی' },
  { key: 'allocation_report', section: 'reports', title: 'گزارش تخصیص پرونده' },
  { key: 'login_report', section: 'reports', title: 'گزارش ورود کاربران' },
  { key: 'audit_log', section: 'reports', title: 'گزارش تغییرات (ممیزی)' },
] as const satisfies readonly PageDefinition[];

export type PageKey = (typeof PAGES)[number]['key'];
export const PAGE_KEYS = PAGES.map((p) => p.key) as unknown as readonly [PageKey, ...PageKey[]];

export function isPageKey(value: string): value is PageKey {
  return (PAGE_KEYS as readonly string[]).includes(value);
}

/** The four predefined groups of the manual (product.md §1, V2), seeded on first start. */
export const PREDEFINED_GROUPS: readonly { code: string; title: string; pages: readonly PageKey[] }[] = [
  {
    code: 'hq_admin',
    title: 'ادمین معاونت حقوقی و وصول مطالبات',
    pages: PAGE_KEYS,
  },
  {
    code: 'branch_manager',
    title: 'مدیران شعب',
    pages: [
      'users',
      'followup_assign',
      'followup_cartable',
      'followup_register',
      'followup_detail_report',
      'followup_count_report',
      'allocation_report',
      // V19: they review their branch staff's case changes (migration 0006 grants it to existing groups).
      'change_requests',
      // their branch's arrears and what falls due (migration 0016 grants them to existing groups)
      'overdue_cases',
      'maturing_facilities',
      // their branch's letters to print and declarations to file (migration 0037)
      'letters',
      'declarations',
    ],
  },
  {
    code: 'collection_officer',
    title: 'وصول مطالبات',
    pages: ['followup_cartable', 'followup_register', 'overdue_cases'],
  },
  {
    code: 'province_admin',
    title: 'ادمین استان‌ها',
    // Users of the province (with the wizard) and the branch managers' pages, so they can manage them.
    pages: [
      'users',
      'user_wizard',
      // V7: their own province's manager (migration 0035 grants it to existing groups)
      'province_managers',
      'allocation_report',
      'notification_report',
      'followup_detail_report',
      'followup_count_report',
      'followup_cartable',
      'followup_assign',
      'followup_register',
      'change_requests',
      'overdue_cases',
      'maturing_facilities',
      'letters',
      'declarations',
    ],
  },
];
