/** Intake runs (V24): statuses, sources and refusals as staff read them. Plain constants (no Zod), for the web. */
export const INTAKE_RUN_STATUSES = [
  'queued',
  'running',
  'retrying',
  'succeeded',
  'failed',
  'refused',
] as const;
export type IntakeRunStatus = (typeof INTAKE_RUN_STATUSES)[number];

export const INTAKE_RUN_STATUS_LABELS: Record<IntakeRunStatus, string> = {
  queued: 'در صف',
  running: 'در حال اجرا',
  retrying: 'در انتظار تلاش دوباره',
  succeeded: 'موفق',
  failed: 'ناموفق',
  refused: 'رد شده',
};

export const INTAKE_SOURCES = ['cli', 'upload', 'drop_folder', 'demo'] as const;
export type IntakeSource = (typeof INTAKE_SOURCES)[number];
export const INTAKE_SOURCE_LABELS: Record<IntakeSource, string> = {
  cli: 'خط فرمان',
  upload: 'بارگذاری',
  drop_folder: 'پوشه زمان‌بندی‌شده',
  demo: 'داده نمایشی',
};

/** Why a snapshot was refused as a whole (nothing changed), as staff read it. */
export const INTAKE_REFUSAL_LABELS: Record<string, string> = {
  older_snapshot: 'تاریخ این اطلاعات پیش از آخرین اطلاعات دریافت‌شده است',
  close_guard: 'بیش از ۱۰ درصد تسهیلات فعال بسته می‌شد؛ احتمالاً خروجی کربنکینگ ناقص است',
  manifest: 'فایل‌ها با manifest.csv هم‌خوانی ندارند',
  format: 'قالب فایل‌ها نادرست است یا فایل لازمی نیست',
  bad_input: 'ورودی نادرست است',
};

/** Persian names of the snapshot files (interchange.md), for the counts per file. */
export const SNAPSHOT_FILE_LABELS: Record<string, string> = {
  'branches.csv': 'شعبه‌ها',
  'loan_types.csv': 'انواع وام',
  'customers.csv': 'مشتریان',
  'facilities.csv': 'تسهیلات',
  'installments.csv': 'اقساط',
  'guarantors.csv': 'ضامنان',
  'payments.csv': 'پرداخت‌ها',
  'account_balances.csv': 'مانده حساب‌ها',
};
