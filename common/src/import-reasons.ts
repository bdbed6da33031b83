/**
 * The snapshot import's reject reasons and refusal messages (server/src/modules/intake) in Persian,
 * for staff (the rejects Excel, the intake report). The import and its CLI keep English: operators
 * and scripts read them. File and column names stay Latin as they are in the CSV; values and numbers
 * are shown as given, in Persian digits; ISO dates as Jalali. Anything unknown is returned unchanged.
 */
import { toJalali } from './jalali.js';
import { toPersianDigits } from './text.js';

export interface ImportReasonRule {
  /** anchored, without the `g` flag; `s` so that a value read from a quoted CSV field may span lines */
  readonly pattern: RegExp;
  /** the Persian text from the pattern's groups, in order */
  readonly persian: (...groups: string[]) => string;
}

/** A value or a number as given, in Persian digits. */
const value = (v: string) => toPersianDigits(v);
/** An ISO date as Jalali; any other value as given. */
const date = (v: string) => toPersianDigits(/^\d{4}-\d{2}-\d{2}$/.test(v) ? toJalali(v) || v : v);
/** A staging column (`seq_raw`) by the name the CSV header gives it (`seq`). */
const column = (name: string) => name.replace(/_raw$/, '');
/** `a, b` → `a، b` */
const names = (list: string) => list.split(', ').join('، ');
/** `active, settled or written_off` → `active، settled یا written_off` */
const choices = (list: string) => names(list).replace(/ or /g, ' یا ');

const FORCE_HINT = 'اگر از درستی فایل‌ها مطمئن هستید، با گزینه «بارگذاری اجباری» دوباره بارگذاری کنید';
const REFUSED = 'کل اطلاعات پذیرفته نشد';

/** First match wins: the more specific patterns come before the general ones. */
export const IMPORT_REASON_RULES: readonly ImportReasonRule[] = [
  // ---- rejected rows ----
  {
    pattern: /^wrong number of fields: (\d+) instead of (\d+)$/s,
    persian: (got, want) =>
      `تعداد فیلدهای این سطر نادرست است: ${value(got)} فیلد به جای ${value(want)} (به اندازه سرستون)`,
  },
  {
    pattern: /^(\w+) is required for a person$/s,
    persian: (col) => `برای مشتری حقیقی (person) مقدار ستون ${column(col)} الزامی است`,
  },
  {
    pattern: /^(\w+) and (\w+) are required without (\w+)$/s,
    persian: (a, b, key) => `بدون ${column(key)}، مقدار ستون‌های ${column(a)} و ${column(b)} الزامی است`,
  },
  {
    pattern: /^(\w+) is required$/s,
    persian: (col) => `مقدار ستون ${column(col)} الزامی است`,
  },
  {
    pattern: /^bad date in (\w+): (.*)$/s,
    persian: (col, v) => `تاریخ نامعتبر در ستون ${column(col)}: ${value(v)}`,
  },
  {
    pattern: /^bad amount in (\w+): (.*)$/s,
    persian: (col, v) => `مبلغ نامعتبر در ستون ${column(col)}: ${value(v)}`,
  },
  {
    pattern: /^bad number in (\w+): (.*)$/s,
    persian: (col, v) => `عدد نامعتبر در ستون ${column(col)}: ${value(v)}`,
  },
  {
    pattern: /^bad currency: (.*)$/s,
    persian: (v) => `کد ارز نامعتبر در ستون currency (سه حرف لاتین، مانند IRR): ${value(v)}`,
  },
  {
    pattern: /^(\w+) must be ([\w ,]+?), not (.*)$/s,
    persian: (col, allowed, v) =>
      `مقدار نامعتبر در ستون ${column(col)} (باید ${choices(allowed)} باشد): ${value(v)}`,
  },
  {
    pattern: /^duplicate seq (\S+) of facility_no (.+) \(first at line (\d+)\)$/s,
    persian: (seq, facility, line) =>
      `قسط تکراری: seq ${value(seq)} از facility_no ${value(facility)} (نخستین بار در سطر ${value(line)})`,
  },
  {
    pattern: /^duplicate account_no (.+) on (\S+) \(first at line (\d+)\)$/s,
    persian: (account, on, line) =>
      `مانده تکراری: account_no ${value(account)} در تاریخ ${date(on)} (نخستین بار در سطر ${value(line)})`,
  },
  {
    pattern: /^duplicate (\w+) (.+) \(first at line (\d+)\)$/s,
    persian: (col, v, line) =>
      `مقدار تکراری در ستون ${column(col)}: ${value(v)} (نخستین بار در سطر ${value(line)})`,
  },
  {
    pattern: /^(\w+) is the branch itself$/s,
    persian: (col) => `ستون ${column(col)} به خود همین شعبه اشاره می‌کند`,
  },
  {
    pattern: /^unknown (\w+) (.+)$/s,
    persian: (col, v) =>
      `مقدار ناشناخته در ستون ${column(col)} (در سامانه و در این اطلاعات نیست): ${value(v)}`,
  },
  {
    pattern: /^(\w+) (.+) was rejected \(([\w.]+) line (\d+)\)$/s,
    persian: (col, v, file, line) =>
      `${column(col)} ${value(v)} در فایل ${file} (سطر ${value(line)}) رد شده است؛ پس این سطر هم پذیرفته نشد`,
  },
  {
    pattern: /^(\w+) (.+) is not in ([\w.]+\.csv)$/s,
    persian: (col, v, file) => `${column(col)} ${value(v)} در فایل ${file} نیامده است`,
  },

  // ---- refusals of the whole snapshot ----
  {
    pattern:
      /^the snapshot of (\S+) is older than the latest imported one \((\S+)\); use --force to load it anyway$/s,
    persian: (asOf, latest) =>
      `تاریخ این اطلاعات (${date(asOf)}) پیش از آخرین اطلاعات دریافت‌شده (${date(latest)}) است؛ ${FORCE_HINT}`,
  },
  {
    pattern:
      /^the snapshot would close (\d+) of (\d+) active facilities \(more than ([\d.]+)%\); is the export truncated\? use --force to load it anyway$/s,
    persian: (closing, active, share) =>
      `با این اطلاعات ${value(closing)} از ${value(active)} تسهیلات فعال بسته می‌شد (بیش از ${value(share)} درصد)؛ ` +
      `شاید خروجی کربنکینگ ناقص باشد. ${FORCE_HINT}`,
  },
  {
    pattern: /^manifest\.csv lists (.+), which is missing$/s,
    persian: (file) => `فایل ${file} در manifest.csv آمده ولی در اطلاعات نیست؛ ${REFUSED}`,
  },
  {
    pattern: /^(.+) has (\d+) rows but manifest\.csv says (\d+); the snapshot is refused$/s,
    persian: (file, rows, listed) =>
      `فایل ${file} ${value(rows)} سطر دارد ولی در manifest.csv ${value(listed)} سطر آمده است؛ ${REFUSED}`,
  },
  {
    pattern: /^(.+) does not match its sha256 in manifest\.csv; the snapshot is refused$/s,
    persian: (file) => `محتوای فایل ${file} با sha256 آن در manifest.csv نمی‌خواند؛ ${REFUSED}`,
  },
  {
    pattern: /^manifest\.csv: needs the columns file and rows$/s,
    persian: () => 'فایل manifest.csv باید ستون‌های file و rows را داشته باشد',
  },
  {
    pattern: /^manifest\.csv: bad rows for (.*)$/s,
    persian: (file) => `تعداد سطرِ نامعتبر در manifest.csv برای فایل ${file}`,
  },
  {
    pattern: /^(.+): missing column (\S+)$/s,
    persian: (file, col) => `ستون لازم در فایل ${file} نیست: ${col}`,
  },
  {
    pattern: /^(.+): missing columns (.+)$/s,
    persian: (file, cols) => `ستون‌های لازم در فایل ${file} نیستند: ${names(cols)}`,
  },
  {
    pattern:
      /^(.+): not valid UTF-8 near line (\d+) \(for a Windows-1256 file use --encoding windows-1256\)$/s,
    persian: (file, line) =>
      `فایل ${file} نزدیک سطر ${value(line)} متن UTF-8 معتبر نیست؛ ` +
      'اگر با کدگذاری Windows-1256 ذخیره شده است، آن را با کدگذاری UTF-8 ذخیره کنید',
  },
  {
    pattern: /^(.+) is missing from (.+)$/s,
    persian: (file, folder) => `فایل لازم ${file} در پوشه اطلاعات (${folder}) نیست`,
  },
  {
    pattern: /^(.+): no such folder$/s,
    persian: (folder) => `پوشه ${folder} وجود ندارد`,
  },
  {
    pattern: /^--as-of: not a date: (.*)$/s,
    persian: (v) => `تاریخ اطلاعات (--as-of) معتبر نیست: ${value(v)}`,
  },
  {
    pattern: /^interrupted: the importing process stopped before it finished; nothing was changed$/s,
    persian: () =>
      'اجرا نیمه‌کاره ماند: فرایند بارگذاری پیش از پایان متوقف شد؛ هیچ تغییری در اطلاعات داده نشد',
  },
];

/** A reject reason or refusal message of the import in Persian; the text itself when it is not known. */
export function persianImportReason(reason: string): string {
  for (const rule of IMPORT_REASON_RULES) {
    const match = rule.pattern.exec(reason);
    if (match) return rule.persian(...match.slice(1).map((g) => g ?? ''));
  }
  return reason;
}
