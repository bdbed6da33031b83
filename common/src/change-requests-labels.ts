/**
 * Persian names of the change-request module (V19): statuses, kinds and the case fields a request
 * shows. Plain constants (no Zod), so the web imports them without the contracts.
 */

export const CHANGE_REQUEST_STATUSES = {
  pending: 'در انتظار بررسی',
  accepted: 'پذیرفته‌شده',
  rejected: 'ردشده',
} as const;
export type ChangeRequestStatus = keyof typeof CHANGE_REQUEST_STATUSES;
export const CHANGE_REQUEST_STATUS_KEYS = Object.keys(CHANGE_REQUEST_STATUSES) as [
  ChangeRequestStatus,
  ...ChangeRequestStatus[],
];

export const CHANGE_REQUEST_KINDS = { create: 'پرونده جدید', update: 'ویرایش پرونده' } as const;
export type ChangeRequestKind = keyof typeof CHANGE_REQUEST_KINDS;
export const CHANGE_REQUEST_KIND_KEYS = Object.keys(CHANGE_REQUEST_KINDS) as [
  ChangeRequestKind,
  ...ChangeRequestKind[],
];

/** The fields of a case (V15) in the order of the case form, with its labels. */
export const CASE_FIELD_LABELS = {
  customer_no: 'شماره مشتری',
  branch_id: 'شعبه',
  first_name: 'نام',
  last_name: 'نام خانوادگی',
  father_name: 'نام پدر',
  mobile: 'تلفن همراه',
  national_id: 'کد ملی',
  birth_cert_no: 'شماره شناسنامه',
  email: 'پست الکترونیکی',
  address: 'نشانی',
  postal_code: 'کد پستی',
  home_phone: 'تلفن منزل',
  work_phone: 'تلفن محل کار',
  gender: 'جنسیت',
} as const;
export type CaseField = keyof typeof CASE_FIELD_LABELS;
export const CASE_FIELDS = Object.keys(CASE_FIELD_LABELS) as [CaseField, ...CaseField[]];
