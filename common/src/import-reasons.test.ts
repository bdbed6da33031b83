import { describe, expect, it } from 'vitest';
import { IMPORT_REASON_RULES, persianImportReason } from './import-reasons.js';

/** Each English text of the import (import.repository.ts, import.service.ts, csv-copy.ts) → its Persian. */
const CASES: [string, string][] = [
  // rejected rows
  [
    'wrong number of fields: 5 instead of 6',
    'تعداد فیلدهای این سطر نادرست است: ۵ فیلد به جای ۶ (به اندازه سرستون)',
  ],
  ['first_name is required for a person', 'برای مشتری حقیقی (person) مقدار ستون first_name الزامی است'],
  [
    'first_name and last_name are required without customer_no',
    'بدون customer_no، مقدار ستون‌های first_name و last_name الزامی است',
  ],
  ['customer_no is required', 'مقدار ستون customer_no الزامی است'],
  // the staging column seq_raw is named by its CSV header
  ['seq_raw is required', 'مقدار ستون seq الزامی است'],
  ['bad date in due_on: 1403/13/40', 'تاریخ نامعتبر در ستون due_on: ۱۴۰۳/۱۳/۴۰'],
  ['bad amount in principal: x', 'مبلغ نامعتبر در ستون principal: x'],
  ['bad amount in paid_amount: 12 000 ریال', 'مبلغ نامعتبر در ستون paid_amount: ۱۲ ۰۰۰ ریال'],
  ['bad number in seq: x', 'عدد نامعتبر در ستون seq: x'],
  ['bad number in annual_rate: 18.5.1', 'عدد نامعتبر در ستون annual_rate: ۱۸.۵.۱'],
  ['bad currency: ریال', 'کد ارز نامعتبر در ستون currency (سه حرف لاتین، مانند IRR): ریال'],
  [
    'kind must be person or company, not حقیقی',
    'مقدار نامعتبر در ستون kind (باید person یا company باشد): حقیقی',
  ],
  [
    'status must be active, settled or written_off, not closed, not paid',
    'مقدار نامعتبر در ستون status (باید active، settled یا written_off باشد): closed, not paid',
  ],
  [
    'duplicate seq 3 of facility_no F 12 (first at line 7)',
    'قسط تکراری: seq ۳ از facility_no F ۱۲ (نخستین بار در سطر ۷)',
  ],
  [
    'duplicate account_no 0101 22 on 2024-07-22 (first at line 9)',
    'مانده تکراری: account_no ۰۱۰۱ ۲۲ در تاریخ ۱۴۰۳/۰۵/۰۱ (نخستین بار در سطر ۹)',
  ],
  [
    'duplicate customer_no C 1 (first at line 2)',
    'مقدار تکراری در ستون customer_no: C ۱ (نخستین بار در سطر ۲)',
  ],
  [
    'duplicate branch_code شعبه مرکزی (first at line 3)',
    'مقدار تکراری در ستون branch_code: شعبه مرکزی (نخستین بار در سطر ۳)',
  ],
  ['parent_branch_code is the branch itself', 'ستون parent_branch_code به خود همین شعبه اشاره می‌کند'],
  ['unknown branch_code B9', 'مقدار ناشناخته در ستون branch_code (در سامانه و در این اطلاعات نیست): B۹'],
  [
    'unknown customer_no علی رضایی',
    'مقدار ناشناخته در ستون customer_no (در سامانه و در این اطلاعات نیست): علی رضایی',
  ],
  [
    'unknown loan_type_code L 7',
    'مقدار ناشناخته در ستون loan_type_code (در سامانه و در این اطلاعات نیست): L ۷',
  ],
  [
    'unknown parent_branch_code P1',
    'مقدار ناشناخته در ستون parent_branch_code (در سامانه و در این اطلاعات نیست): P۱',
  ],
  [
    'customer_no C 3 was rejected (customers.csv line 4)',
    'customer_no C ۳ در فایل customers.csv (سطر ۴) رد شده است؛ پس این سطر هم پذیرفته نشد',
  ],
  [
    'branch_code B9 was rejected (branches.csv line 2)',
    'branch_code B۹ در فایل branches.csv (سطر ۲) رد شده است؛ پس این سطر هم پذیرفته نشد',
  ],
  [
    'loan_type_code وام مسکن was rejected (loan_types.csv line 5)',
    'loan_type_code وام مسکن در فایل loan_types.csv (سطر ۵) رد شده است؛ پس این سطر هم پذیرفته نشد',
  ],
  [
    'facility_no F1 was rejected (facilities.csv line 12)',
    'facility_no F۱ در فایل facilities.csv (سطر ۱۲) رد شده است؛ پس این سطر هم پذیرفته نشد',
  ],
  ['facility_no F 9 is not in facilities.csv', 'facility_no F ۹ در فایل facilities.csv نیامده است'],

  // refusals of the whole snapshot
  [
    'the snapshot of 2024-07-22 is older than the latest imported one (2024-10-01); use --force to load it anyway',
    'تاریخ این اطلاعات (۱۴۰۳/۰۵/۰۱) پیش از آخرین اطلاعات دریافت‌شده (۱۴۰۳/۰۷/۱۰) است؛ ' +
      'اگر از درستی فایل‌ها مطمئن هستید، با گزینه «بارگذاری اجباری» دوباره بارگذاری کنید',
  ],
  [
    'the snapshot would close 150 of 1000 active facilities (more than 10%); is the export truncated? use --force to load it anyway',
    'با این اطلاعات ۱۵۰ از ۱۰۰۰ تسهیلات فعال بسته می‌شد (بیش از ۱۰ درصد)؛ شاید خروجی کربنکینگ ناقص باشد. ' +
      'اگر از درستی فایل‌ها مطمئن هستید، با گزینه «بارگذاری اجباری» دوباره بارگذاری کنید',
  ],
  [
    'manifest.csv lists payments.csv, which is missing',
    'فایل payments.csv در manifest.csv آمده ولی در اطلاعات نیست؛ کل اطلاعات پذیرفته نشد',
  ],
  [
    'customers.csv has 3 rows but manifest.csv says 4; the snapshot is refused',
    'فایل customers.csv ۳ سطر دارد ولی در manifest.csv ۴ سطر آمده است؛ کل اطلاعات پذیرفته نشد',
  ],
  [
    'installments.csv does not match its sha256 in manifest.csv; the snapshot is refused',
    'محتوای فایل installments.csv با sha256 آن در manifest.csv نمی‌خواند؛ کل اطلاعات پذیرفته نشد',
  ],
  [
    'manifest.csv: needs the columns file and rows',
    'فایل manifest.csv باید ستون‌های file و rows را داشته باشد',
  ],
  ['manifest.csv: bad rows for customers.csv', 'تعداد سطرِ نامعتبر در manifest.csv برای فایل customers.csv'],
  ['facilities.csv: missing column principal', 'ستون لازم در فایل facilities.csv نیست: principal'],
  [
    'customers.csv: missing columns customer_no, last_name',
    'ستون‌های لازم در فایل customers.csv نیستند: customer_no، last_name',
  ],
  [
    'customers.csv: not valid UTF-8 near line 12 (for a Windows-1256 file use --encoding windows-1256)',
    'فایل customers.csv نزدیک سطر ۱۲ متن UTF-8 معتبر نیست؛ اگر با کدگذاری Windows-1256 ذخیره شده است، آن را با کدگذاری UTF-8 ذخیره کنید',
  ],
  [
    'guarantors.csv is missing from /data/intake/uploads/20241001-ab12',
    'فایل لازم guarantors.csv در پوشه اطلاعات (/data/intake/uploads/20241001-ab12) نیست',
  ],
  ['/srv/drop/1403 07 15: no such folder', 'پوشه /srv/drop/1403 07 15 وجود ندارد'],
  ['--as-of: not a date: 1403/13/01', 'تاریخ اطلاعات (--as-of) معتبر نیست: ۱۴۰۳/۱۳/۰۱'],
  [
    'interrupted: the importing process stopped before it finished; nothing was changed',
    'اجرا نیمه‌کاره ماند: فرایند بارگذاری پیش از پایان متوقف شد؛ هیچ تغییری در اطلاعات داده نشد',
  ],
];

describe('persianImportReason', () => {
  it.each(CASES)('%s', (english, persian) => {
    expect(persianImportReason(english)).toBe(persian);
  });

  it('has a case above for every rule of the table', () => {
    const used = new Set(
      CASES.map(([english]) => IMPORT_REASON_RULES.findIndex((r) => r.pattern.test(english))),
    );
    expect([...used].sort((a, b) => a - b)).toEqual(IMPORT_REASON_RULES.map((_, i) => i));
  });

  it('keeps a value read from a quoted field across lines', () => {
    expect(persianImportReason('unknown customer_no C\n1')).toBe(
      'مقدار ناشناخته در ستون customer_no (در سامانه و در این اطلاعات نیست): C\n۱',
    );
  });

  it('returns any other text unchanged', () => {
    for (const other of [
      'EISDIR: illegal operation on a directory, read',
      'connection terminated unexpectedly',
      'خطای ناشناخته',
      '',
      'customer_no is required!',
    ])
      expect(persianImportReason(other)).toBe(other);
  });
});
