/**
 * V6 — the user wizard (جادوی کاربری): many users from one Excel workbook. Every row passes the
 * same checks as the user form (the same field schemas and the same scope and escalation rules),
 * plus duplicate usernames inside the file. If any row is bad nothing is created and every bad row
 * is reported `{row, field, reason}` — and the workbook comes back with a «وضعیت» column per row.
 * Otherwise all users are created in one transaction.
 */
import ExcelJS from 'exceljs';
import {
  GENDERS,
  normalizeText,
  toPersianDigits,
  USER_TYPES,
  userCreateSchema,
  WIZARD_COLUMNS,
  WIZARD_MAX_ROWS,
  WIZARD_STATUS_HEADER,
  type UserCreateInput,
  type WizardColumn,
  type WizardFailureDetails,
  type WizardResult,
  type WizardRowError,
} from '@vosul/common';
import type { Database } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/auth/context.js';
import { AppError } from '../../platform/errors.js';
import { checkPasswordRules, hashPassword } from '../../platform/passwords.js';
import * as groupsRepo from './groups.repository.js';
import { pagesBeyond } from './groups.service.js';
import * as repo from './users.repository.js';
import { insertCheckedUser, resolveGroups, resolvePlace } from './users.service.js';

type Key = WizardColumn['key'];
const SHEET_TITLE = 'کاربران';
const TEMPLATE_ROWS_WITH_LISTS = 1000;

/** Header spellings accepted besides the template's own (any spacing, ي/ك, ZWNJ). */
const ALIASES: Partial<Record<Key, string[]>> = {
  password: ['رمز عبور', 'رمز'],
  groups: ['گروه دسترسی', 'گروه ها', 'گروه'],
  user_type: ['نوع'],
  mobile: ['موبایل', 'شماره همراه'],
  email: ['ایمیل', 'پست الکترونیک'],
  national_code: ['کدملی'],
  personnel_code: ['کد پرسنلی'],
};

const squash = (s: string) =>
  normalizeText(s)
    .replace(/[\s\u200c_-]/g, '')
    .toLowerCase();

function keyOfHeader(text: string): Key | undefined {
  const h = squash(text);
  if (!h) return undefined;
  for (const column of WIZARD_COLUMNS) {
    const names = [column.header, column.key, ...(ALIASES[column.key] ?? [])];
    if (names.some((n) => squash(n) === h)) return column.key;
  }
  return undefined;
}

const headerOf = (key: Key) => WIZARD_COLUMNS.find((c) => c.key === key)!.header;

// ---- template -----------------------------------------------------------------------------------

/** The .xlsx template: a right-to-left sheet with the Persian header, notes and an example row, and a guide sheet. */
export async function buildTemplate(db: Database, ctx: RequestContext): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Vosul';
  const sheet = workbook.addWorksheet(SHEET_TITLE, {
    views: [{ rightToLeft: true, state: 'frozen', ySplit: 1 }],
  });
  sheet.columns = WIZARD_COLUMNS.map((c) => ({
    header: c.header,
    key: c.key,
    width: Math.max(14, c.header.length + 6, c.example.length + 4),
    // Text cells keep leading zeros of codes and mobiles.
    style: { numFmt: '@' },
  }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  WIZARD_COLUMNS.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.fill = {
      type: 'pattern',
      pattern: 'solid',
      fgColor: { argb: c.required ? 'FFFDE2E1' : 'FFEFF3F6' },
    };
    if (c.note || c.required)
      cell.note = [c.required ? 'اجباری' : 'اختیاری', c.note].filter(Boolean).join(' — ');
  });
  sheet.addRow(Object.fromEntries(WIZARD_COLUMNS.map((c) => [c.key, c.example])));
  const typeCol = WIZARD_COLUMNS.findIndex((c) => c.key === 'user_type') + 1;
  const genderCol = WIZARD_COLUMNS.findIndex((c) => c.key === 'gender') + 1;
  for (let r = 2; r <= TEMPLATE_ROWS_WITH_LISTS; r++) {
    sheet.getRow(r).getCell(typeCol).dataValidation = {
      type: 'list',
      allowBlank: true,
      formulae: [`"${Object.values(USER_TYPES).join(',')}"`],
    };
    sheet.getRow(r).getCell(genderCol).dataValidation = {
      type: 'list',
      allowBlank: true,
      formulae: [`"${Object.values(GENDERS).join(',')}"`],
    };
  }

  // A guide: what the caller may use in the columns that take fixed values.
  const guide = workbook.addWorksheet('راهنما', { views: [{ rightToLeft: true }] });
  guide.columns = [
    { header: 'گروه‌های دسترسی مجاز', width: 40 },
    { header: 'کد شعبه', width: 14 },
    { header: 'نام شعبه', width: 32 },
    { header: 'کد استان', width: 12 },
    { header: 'نام استان', width: 24 },
  ];
  guide.getRow(1).font = { bold: true };
  const groups = (await groupsRepo.findAllGroups(db, undefined)).filter(
    (g) => pagesBeyond(ctx, g.pages).length === 0,
  );
  const branches = await repo.findBranchListInScope(db, ctx.user.scope);
  const lines = Math.max(groups.length, branches.length);
  for (let i = 0; i < lines; i++) {
    const b = branches[i];
    guide.addRow([
      groups[i]?.title ?? null,
      b?.code ?? null,
      b?.name ?? null,
      b?.province_code ?? null,
      b?.province_name ?? null,
    ]);
  }
  guide.addRow([]);
  guide.addRow([
    `نوع کاربر: ${Object.values(USER_TYPES).join(' یا ')}؛ جنسیت: ${Object.values(GENDERS).join(' یا ')}`,
  ]);
  guide.addRow(['کاربر شعبه: کد شعبه؛ کاربر استان: فقط کد استان؛ کاربر ستاد: هر دو خالی']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

// ---- import -------------------------------------------------------------------------------------

type CheckedGroups = Awaited<ReturnType<typeof resolveGroups>>;
type Place = { branch_id: number | null; province_id: number | null };

interface ParsedRow {
  row: number;
  input?: UserCreateInput;
  checked?: { groups: CheckedGroups; place: Place };
  errors: WizardRowError[];
}

export type WizardOutcome =
  | { ok: true; result: WizardResult; workbook: Buffer }
  | { ok: false; errors: WizardRowError[]; workbook: Buffer };

export const RESULT_FILE_NAME = 'users-wizard-result.xlsx';

/** Reads, checks and (when every row is good) creates; never leaves some users of a bad file behind. */
export async function runWizard(db: Database, ctx: RequestContext, content: Buffer): Promise<WizardOutcome> {
  const workbook = await loadWorkbook(content);
  const sheet = workbook.getWorksheet(SHEET_TITLE) ?? workbook.worksheets[0];
  if (!sheet) throw new AppError('validation_failed', 'فایل اکسل هیچ برگه‌ای ندارد', 'file');

  // Header row: which column holds which field; an earlier «وضعیت» column is reused.
  const columns = new Map<Key, number>();
  let statusColumn: number | undefined;
  sheet.getRow(1).eachCell({ includeEmpty: false }, (cell, col) => {
    const text = cell.text ?? '';
    if (squash(text) === squash(WIZARD_STATUS_HEADER)) statusColumn = col;
    const key = keyOfHeader(text);
    if (key && !columns.has(key)) columns.set(key, col);
  });
  const missing = WIZARD_COLUMNS.filter((c) => c.required && !columns.has(c.key));
  if (missing.length > 0) {
    const rows = missing.map((c) => ({
      row: 1,
      field: c.key,
      column: c.header,
      reason: `ستون «${c.header}» در سطر عنوان (سطر ۱) نیست`,
    }));
    throw new AppError(
      'validation_failed',
      `ستون‌های اجباری در فایل نیست: ${missing.map((c) => c.header).join('، ')}؛ از الگوی جادوی کاربری استفاده کنید`,
      'file',
      { rows },
    );
  }

  // Data rows (entirely empty ones are skipped).
  const raw: { row: number; values: Partial<Record<Key, string>> }[] = [];
  const lastRow = sheet.actualRowCount === 0 ? 0 : sheet.rowCount;
  for (let r = 2; r <= lastRow; r++) {
    const excelRow = sheet.getRow(r);
    const values: Partial<Record<Key, string>> = {};
    for (const [key, col] of columns) values[key] = normalizeText(cellText(excelRow.getCell(col)));
    if (Object.values(values).every((v) => !v)) continue;
    raw.push({ row: r, values });
    if (raw.length > WIZARD_MAX_ROWS) {
      throw new AppError(
        'validation_failed',
        `هر فایل حداکثر ${toPersianDigits(WIZARD_MAX_ROWS)} کاربر دارد؛ فایل را چند بخش کنید`,
        'file',
      );
    }
  }
  if (raw.length === 0)
    throw new AppError(
      'validation_failed',
      'فایل هیچ ردیف کاربری ندارد؛ از سطر ۲ به بعد کاربران را وارد کنید',
      'file',
    );

  const parsed = await checkRows(db, ctx, raw);
  const errors = parsed.flatMap((p) => p.errors);
  const status = statusColumn ?? Math.max(sheet.columnCount, ...columns.values()) + 1;
  if (errors.length > 0) {
    annotate(sheet, status, parsed, 'failed');
    return { ok: false, errors, workbook: Buffer.from(await workbook.xlsx.writeBuffer()) };
  }

  const hashes = await mapLimit(parsed, 4, (p) => hashPassword(p.input!.password));
  const created = await db.transaction().execute(async (trx) => {
    const out: WizardResult['created'] = [];
    for (const [i, p] of parsed.entries()) {
      let user;
      try {
        user = await insertCheckedUser(trx, ctx, p.input!, p.checked!, hashes[i]!);
      } catch (error) {
        if ((error as { code?: string }).code === '23505') {
          throw new AppError(
            'conflict',
            `ردیف ${toPersianDigits(p.row)}: نام کاربری ${p.input!.username} هم‌زمان ثبت شد؛ دوباره تلاش کنید`,
            'username',
          );
        }
        throw error;
      }
      out.push({
        row: p.row,
        id: user.id,
        username: user.username,
        first_name: user.first_name,
        last_name: user.last_name,
      });
    }
    return out;
  });
  annotate(sheet, status, parsed, 'created');
  return {
    ok: true,
    result: { count: created.length, created },
    workbook: Buffer.from(await workbook.xlsx.writeBuffer()),
  };
}

/** The 400 of a file with bad rows: the rows, and the annotated workbook to download. */
export function wizardFailure(errors: WizardRowError[], workbook: Buffer): AppError {
  const badRows = new Set(errors.map((e) => e.row)).size;
  const details: WizardFailureDetails = {
    rows: errors,
    workbook_base64: workbook.toString('base64'),
    workbook_name: RESULT_FILE_NAME,
  };
  return new AppError(
    'validation_failed',
    `${toPersianDigits(badRows)} ردیف فایل خطا دارد؛ هیچ کاربری ثبت نشد. ردیف‌ها را اصلاح و فایل را دوباره بارگذاری کنید`,
    undefined,
    details,
  );
}

async function loadWorkbook(content: Buffer): Promise<ExcelJS.Workbook> {
  // An .xlsx is a ZIP archive: refuse anything else by its bytes before parsing.
  if (content.length < 4 || content.readUInt32LE(0) !== 0x04034b50) {
    throw new AppError(
      'unsupported_media',
      'فایل باید از نوع اکسل (xlsx) باشد؛ الگوی جادوی کاربری را دریافت و پر کنید',
      'file',
    );
  }
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(content as unknown as ArrayBuffer);
  } catch {
    throw new AppError('unsupported_media', 'فایل اکسل خوانده نشد؛ فایل را با قالب xlsx ذخیره کنید', 'file');
  }
  return workbook;
}

/** A cell as text: numbers without exponent, rich text and hyperlinks by their text, formulas by their result. */
function cellText(cell: ExcelJS.Cell): string {
  const value = cell.value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value);
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return cell.text ?? '';
}

const squashValue = (v: string) =>
  normalizeText(v)
    .replace(/[\s\u200c]/g, '')
    .toLowerCase();

function userTypeOf(text: string): string {
  const v = squashValue(text);
  if (!v) return '';
  if (v === squashValue(USER_TYPES.full_time) || v === 'full_time' || v === 'fulltime') return 'full_time';
  if (v === squashValue(USER_TYPES.part_time) || v === 'part_time' || v === 'parttime') return 'part_time';
  return text; // refused by the schema with its message
}

function genderOf(text: string): string | null {
  const v = squashValue(text);
  if (!v) return null;
  if (['مرد', 'آقا', 'm', 'male'].includes(v)) return 'M';
  if (['زن', 'خانم', 'f', 'female'].includes(v)) return 'F';
  return text;
}

/** Groups: titles separated by a comma (Latin or Persian) or a semicolon. */
const splitTitles = (text: string) =>
  text
    .split(/[,،;؛\n]/)
    .map((t) => normalizeText(t))
    .filter(Boolean);

async function checkRows(
  db: Database,
  ctx: RequestContext,
  raw: { row: number; values: Partial<Record<Key, string>> }[],
): Promise<ParsedRow[]> {
  const fieldSchema = userCreateSchema.omit({ group_ids: true, branch_id: true, province_id: true });
  const allTitles = [...new Set(raw.flatMap((r) => splitTitles(r.values.groups ?? '')))];
  const groupByTitle = new Map((await groupsRepo.findGroupsByTitles(db, allTitles)).map((g) => [g.title, g]));
  const branchByCode = new Map<string, Awaited<ReturnType<typeof repo.findBranchInScope>>>();
  const provinceByCode = new Map<string, Awaited<ReturnType<typeof repo.findProvinceInScope>>>();

  // Usernames: repeated inside the file, or already taken.
  const rowsByName = new Map<string, number[]>();
  for (const r of raw) {
    const name = (r.values.username ?? '').toLowerCase();
    if (name) rowsByName.set(name, [...(rowsByName.get(name) ?? []), r.row]);
  }
  const taken = await repo.findTakenUsernames(db, [...rowsByName.keys()]);

  const out: ParsedRow[] = [];
  for (const { row, values } of raw) {
    const errors: WizardRowError[] = [];
    const fail = (field: Key, reason: string) => errors.push({ row, field, column: headerOf(field), reason });
    const failFrom = (field: Key, error: unknown) => {
      if (error instanceof AppError) fail(field, error.message);
      else throw error;
    };

    const parsedFields = fieldSchema.safeParse({
      username: values.username ?? '',
      password: values.password ?? '',
      first_name: values.first_name ?? '',
      last_name: values.last_name ?? '',
      user_type: userTypeOf(values.user_type ?? ''),
      gender: genderOf(values.gender ?? ''),
      personnel_code: values.personnel_code ?? null,
      national_code: values.national_code ?? null,
      mobile: values.mobile ?? null,
      email: values.email ?? null,
    });
    if (!parsedFields.success) {
      const seen = new Set<string>();
      for (const issue of parsedFields.error.issues) {
        const field = String(issue.path[0] ?? 'row') as Key;
        if (seen.has(field)) continue;
        seen.add(field);
        fail(field, issue.message);
      }
    }
    const fields = parsedFields.success ? parsedFields.data : undefined;

    if (fields) {
      try {
        checkPasswordRules(fields.password, fields.username, 'password');
      } catch (error) {
        failFrom('password', error);
      }
    }
    const name = (values.username ?? '').toLowerCase();
    const sameName = rowsByName.get(name) ?? [];
    if (name && sameName.length > 1) {
      const others = sameName.filter((r) => r !== row).map((r) => toPersianDigits(r));
      fail('username', `نام کاربری ${values.username} در ردیف ${others.join('، ')} فایل هم آمده است`);
    } else if (name && taken.has(name)) {
      fail('username', `نام کاربری ${values.username} قبلاً ثبت شده است`);
    }

    // Groups by title, with the form's escalation rule.
    const titles = splitTitles(values.groups ?? '');
    let groups: CheckedGroups = [];
    if (titles.length === 0) {
      fail('groups', 'دست‌کم یک گروه دسترسی وارد کنید');
    } else {
      const unknown = titles.filter((t) => !groupByTitle.has(t));
      if (unknown.length > 0) {
        fail('groups', `گروه دسترسی ${unknown.map((t) => `«${t}»`).join('، ')} یافت نشد`);
      } else {
        try {
          groups = await resolveGroups(
            db,
            ctx,
            titles.map((t) => groupByTitle.get(t)!.id),
            'groups',
          );
        } catch (error) {
          failFrom('groups', error);
        }
      }
    }

    // Place: a branch by code, or a province by code, or HQ — inside the caller's scope.
    let place: Place | undefined;
    const branchCode = values.branch_code ?? '';
    const provinceCode = values.province_code ?? '';
    let branchId: number | null = null;
    let provinceId: number | null = null;
    let placeOk = true;
    if (branchCode) {
      if (!branchByCode.has(branchCode))
        branchByCode.set(branchCode, await repo.findBranchInScope(db, ctx.user.scope, { code: branchCode }));
      const branch = branchByCode.get(branchCode);
      if (!branch) {
        fail('branch_code', `شعبه با کد ${branchCode} یافت نشد یا خارج از حوزه دسترسی شماست`);
        placeOk = false;
      } else branchId = branch.id;
    }
    if (provinceCode) {
      if (!provinceByCode.has(provinceCode))
        provinceByCode.set(
          provinceCode,
          await repo.findProvinceInScope(db, ctx.user.scope, { code: provinceCode }),
        );
      const province = provinceByCode.get(provinceCode);
      if (!province) {
        fail('province_code', `استان با کد ${provinceCode} یافت نشد یا خارج از حوزه دسترسی شماست`);
        placeOk = false;
      } else provinceId = province.id;
    }
    if (placeOk) {
      try {
        place = await resolvePlace(
          db,
          ctx,
          { branch_id: branchId, province_id: provinceId },
          { branch: 'branch_code', province: 'province_code' },
        );
      } catch (error) {
        if (error instanceof AppError) fail((error.field ?? 'branch_code') as Key, error.message);
        else throw error;
      }
    }

    if (errors.length === 0 && fields && place) {
      out.push({
        row,
        input: {
          ...fields,
          group_ids: groups.map((g) => g.id),
          ...place,
          phones: null,
          birth_cert_no: null,
          address: null,
        },
        checked: { groups, place },
        errors,
      });
    } else {
      out.push({ row, errors });
    }
  }
  return out;
}

/** Writes the «وضعیت» column: the reasons of a bad row, or what happened to a good one. */
function annotate(sheet: ExcelJS.Worksheet, column: number, rows: ParsedRow[], mode: 'failed' | 'created') {
  const header = sheet.getRow(1).getCell(column);
  header.value = WIZARD_STATUS_HEADER;
  header.font = { bold: true };
  if (!sheet.getColumn(column).width || sheet.getColumn(column).width! < 40)
    sheet.getColumn(column).width = 60;
  for (const p of rows) {
    const cell = sheet.getRow(p.row).getCell(column);
    if (p.errors.length > 0) {
      cell.value = 'خطا: ' + p.errors.map((e) => `${e.column ?? e.field}: ${e.reason}`).join('؛ ');
      cell.font = { color: { argb: 'FFB42318' } };
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFDE2E1' } };
    } else {
      cell.value = mode === 'created' ? 'ثبت شد' : 'بدون خطا (به دلیل خطای ردیف‌های دیگر ثبت نشد)';
      cell.font = { color: { argb: mode === 'created' ? 'FF067647' : 'FF475467' } };
      cell.fill = { type: 'pattern', pattern: 'none' };
    }
  }
}

/** Runs `fn` over `items` with at most `limit` at a time, answers in order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
