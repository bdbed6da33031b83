/**
 * Persian names of the cases module's enums (customer kinds, facility statuses, CBI classes, V29
 * reasons). Plain constants (no Zod), so the web imports them without the contracts.
 */

export const CUSTOMER_KINDS = { person: 'حقیقی', company: 'حقوقی' } as const;
export type CustomerKind = keyof typeof CUSTOMER_KINDS;
export const CUSTOMER_KIND_KEYS = Object.keys(CUSTOMER_KINDS) as [CustomerKind, ...CustomerKind[]];

export const FACILITY_STATUSES = {
  active: 'فعال',
  settled: 'تسویه‌شده',
  written_off: 'سوخت‌شده',
  closed: 'بسته',
} as const;

export const CBI_CLASSES = {
  current: 'جاری',
  past_due: 'سررسید گذشته',
  deferred: 'معوق',
  doubtful: 'مشکوک‌الوصول',
} as const;
export type CbiClass = keyof typeof CBI_CLASSES;
export const CBI_CLASS_KEYS = Object.keys(CBI_CLASSES) as [CbiClass, ...CbiClass[]];

/** Why a case cannot be notified (V29), with the Persian labels of the page. */
export const INCOMPLETE_REASONS = {
  no_mobile: 'تلفن همراه معتبر ندارد',
  bad_national_code: 'کد ملی نامعتبر یا خالی',
  guarantor_no_phone: 'ضامن بدون تلفن',
} as const;
export type IncompleteReason = keyof typeof INCOMPLETE_REASONS;
export const INCOMPLETE_REASON_KEYS = Object.keys(INCOMPLETE_REASONS) as [
  IncompleteReason,
  ...IncompleteReason[],
];

/** The customer fields the core banking system supplies and staff may correct (kept as local overrides). */
export const OVERRIDABLE_FIELDS = [
  'first_name',
  'last_name',
  'father_name',
  'national_id',
  'birth_cert_no',
  'gender',
  'mobile',
  'email',
  'home_phone',
  'work_phone',
  'address',
  'postal_code',
] as const;
export type OverridableField = (typeof OVERRIDABLE_FIELDS)[number];
