import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { factory, logIn, logInAsAdmin, setupTestApp } from '../../../test/harness.js';
import { createBook, plus } from '../../../test/book.js';
import { toJalali, toPersianDigits, type ErrorBody } from '@vosul/common';
import type { LetterDocument } from '@vosul/common/letters';
import { todayIn } from '../../platform/date-range.js';
import { renderLettersPdf } from './letters.pdf.js';
import { runDay } from '../day-run/day-run.service.js';

const { app, db, url } = await setupTestApp();
const pool = new pg.Pool({ connectionString: url, max: 2 });
afterAll(() => pool.end());
const admin = await logInAsAdmin(app);

const today = todayIn('Asia/Tehran');
const D = plus(today, -3);
await createBook(
  pool,
  [
    { no: 'F1', branch: 'B1', installments: [{ due: plus(D, -40), amount: 1000 }] },
    { no: 'F2', branch: 'B2', installments: [{ due: plus(D, -40), amount: 1000 }] },
  ],
  '2025-01-01',
);
await pool.query(`UPDATE branches SET address = 'تهران، خیابان آزادی، پلاک ۱۲' WHERE code = 'B1'`);
await pool.query(`UPDATE customers SET national_id = '0012345679'`);

/** A letter of the planner's kind (status 'planned') for the borrower of a facility. */
async function planLetter(facilityNo: string, channel: string, key: string): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO notifications (occasion_key, business_date, facility_id, facility_nos, branch_id, recipient_role,
       recipient_name, person_key, channel, address, text, status, scheduled_at, window_ends_at, next_try_at)
     SELECT $3, $1, f.id, ARRAY[f.facility_no], f.branch_id, 'borrower', 'مریم رضایی', '0012345679', $4,
       'اصفهان، خیابان چهارباغ، پلاک ۵', 'سرکار خانم مریم رضایی، تسهیلات شماره ' || f.facility_no || ' معوق است.',
       'planned', now(), now(), now()
     FROM facilities f WHERE f.facility_no = $2 RETURNING id::text`,
    [D, facilityNo, key, channel],
  );
  return rows[0]!.id;
}

const warningB1 = await planLetter('F1', 'warning_notice', 'w1');
const introB1 = await planLetter('F1', 'intro_letter', 'i1');
const warningB2 = await planLetter('F2', 'warning_notice', 'w2');
const declarationB1 = await planLetter('F1', 'declaration', 'd1');
const declarationB2 = await planLetter('F2', 'declaration', 'd2');

const branchId = async (code: string) =>
  (await db.selectFrom('branches').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
await factory.user(db, { username: 'clerk_b1', group: 'branch_manager', branchId: await branchId('B1') });
await factory.user(db, { username: 'clerk_b2', group: 'branch_manager', branchId: await branchId('B2') });
const clerkB1 = await logIn(app, 'clerk_b1', 'password-1234');
const clerkB2 = await logIn(app, 'clerk_b2', 'password-1234');

type Page = { items: Record<string, unknown>[]; total: number };
const ids = (page: Page) => page.items.map((l) => l.id).sort();

/** The rows of an exported workbook's first sheet, each as its cells' values. */
async function sheetRows(xlsx: Buffer): Promise<unknown[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(xlsx as unknown as ArrayBuffer);
  const rows: unknown[][] = [];
  workbook.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}
describe('the print queue', () => {
  it("lists a branch clerk's own letters only; HQ filters by branch and kind", async () => {
    expect(ids((await clerkB1.get('/api/v1/letters')).json<Page>())).toEqual([warningB1, introB1].sort());
    expect(ids((await clerkB2.get('/api/v1/letters')).json<Page>())).toEqual([warningB2]);
    const b2 = await branchId('B2');
    expect(ids((await admin.get(`/api/v1/letters?branch_id=${b2}`)).json<Page>())).toEqual([warningB2]);
    const warnings = (await admin.get('/api/v1/letters?kind=warning_notice&status=planned')).json<Page>();
    expect(ids(warnings)).toEqual([warningB1, warningB2].sort());
    expect(warnings.items.find((l) => l.id === warningB1)).toMatchObject({
      letter_no: `B1/${warningB1}`,
      kind: 'warning_notice',
      business_date: D,
      recipient_name: 'مریم رضایی',
      address: 'اصفهان، خیابان چهارباغ، پلاک ۵',
      status: 'planned',
      printed_at: null,
      delivered_on: null,
    });
  });

  it("exports the queue to Excel as the list filters it, in the clerk's branch only, and records the export", async () => {
    const sheetOf = async (path: string, as = clerkB1) => {
      const res = await as.get(path);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      return sheetRows(res.rawPayload);
    };
    const warnings = await sheetOf('/api/v1/letters/export?kind=warning_notice');
    expect(warnings[0]!.slice(0, 3)).toEqual(['شماره نامه', 'نوع', 'تاریخ']);
    expect(warnings.slice(1)).toEqual([
      [
        `B1/${warningB1}`,
        'اخطاریه',
        toJalali(D),
        'شعبه B1',
        'F1',
        'وام‌گیرنده',
        'مریم رضایی',
        'اصفهان، خیابان چهارباغ، پلاک ۵',
        'در انتظار چاپ',
      ],
    ]);
    // another branch's clerk gets that branch's letters only, whatever the filter
    expect((await sheetOf('/api/v1/letters/export', clerkB2)).slice(1).map((r) => r[0])).toEqual([
      `B2/${warningB2}`,
    ]);
    const log = await db
      .selectFrom('export_log')
      .selectAll()
      .where('name', '=', 'letters')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    expect(log).toMatchObject({ filter: { kind: 'warning_notice' }, row_count: 1 });
  });

  it("refuses a clerk another branch's letter, to read or to mark, and changes nothing", async () => {
    const read = await clerkB2.get(`/api/v1/letters/documents?ids=${warningB1}`);
    expect(read.statusCode).toBe(404);
    const pdf = await clerkB2.get(`/api/v1/letters/pdf?ids=${warningB1}`);
    expect(pdf.statusCode).toBe(404);
    const mark = await clerkB2.post('/api/v1/letters/printed', { ids: [warningB2, warningB1] });
    expect(mark.statusCode).toBe(404);
    expect(mark.json<ErrorBody>().error.message).toContain('یافت نشد');
    const statuses = await db
      .selectFrom('notifications')
      .select(['id', 'status'])
      .where('id', 'in', [warningB1, warningB2])
      .execute();
    expect(statuses.every((s) => s.status === 'planned')).toBe(true);
  });

  it('refuses to mark delivered a letter not printed yet', async () => {
    const res = await clerkB1.post('/api/v1/letters/delivered', { ids: [warningB1], delivered_on: today });
    expect(res.statusCode).toBe(409);
    expect(res.json<ErrorBody>().error.message).toContain('هنوز چاپ نشده است');
  });

  it('marks printed (who, when), audited with its history; marking again changes nothing', async () => {
    const res = await clerkB1.post('/api/v1/letters/printed', { ids: [warningB1, introB1] });
    expect(res.json()).toEqual({ changed: 2, unchanged: 0 });
    const letter = (await clerkB1.get('/api/v1/letters?status=printed')).json<Page>();
    expect(ids(letter)).toEqual([warningB1, introB1].sort());
    expect(letter.items[0]!.status).toBe('printed');
    expect(letter.items[0]!.printed_by_name).toContain('آزمون');
    expect(letter.items[0]!.printed_at).toEqual(expect.any(String));

    const again = await clerkB1.post('/api/v1/letters/printed', { ids: [warningB1] });
    expect(again.json()).toEqual({ changed: 0, unchanged: 1 });
    const audit = await db
      .selectFrom('audit_log')
      .select(['entity_id', 'after'])
      .where('entity', '=', 'letter')
      .execute();
    expect(audit.map((a) => a.entity_id).sort()).toEqual([warningB1, introB1].sort());
    const events = await db
      .selectFrom('notification_events')
      .select('status')
      .where('notification_id', '=', warningB1)
      .execute();
    expect(events.map((e) => e.status)).toEqual(['printed']);
  });

  it('validates the delivery date with Persian errors naming the field', async () => {
    const future = await clerkB1.post('/api/v1/letters/delivered', {
      ids: [warningB1],
      delivered_on: plus(today, 1),
    });
    expect(future.statusCode).toBe(400);
    expect(future.json<ErrorBody>().error).toMatchObject({ field: 'delivered_on' });
    expect(future.json<ErrorBody>().error.message).toContain('تاریخ ابلاغ نباید بعد از امروز باشد');
    const early = await clerkB1.post('/api/v1/letters/delivered', {
      ids: [warningB1],
      delivered_on: plus(today, -1),
    });
    expect(early.statusCode).toBe(400);
    expect(early.json<ErrorBody>().error.message).toContain('نباید پیش از تاریخ چاپ');
    const bad = await clerkB1.post('/api/v1/letters/delivered', {
      ids: [warningB1],
      delivered_on: '2025-02-30',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<ErrorBody>().error).toMatchObject({ field: 'delivered_on' });
    expect(bad.json<ErrorBody>().error.message).toContain('تاریخ ابلاغ تاریخ معتبری نیست');
    const none = await clerkB1.post('/api/v1/letters/delivered', { ids: [], delivered_on: today });
    expect(none.json<ErrorBody>().error).toMatchObject({ field: 'ids' });
    expect(none.json<ErrorBody>().error.message).toContain('دست‌کم یک نامه را انتخاب کنید');
  });

  it('marks delivered on a day; the same day again is no change, another day is refused', async () => {
    const res = await clerkB1.post('/api/v1/letters/delivered', { ids: [warningB1], delivered_on: today });
    expect(res.json()).toEqual({ changed: 1, unchanged: 0 });
    const [letter] = (await clerkB1.get('/api/v1/letters?status=delivered')).json<Page>().items;
    expect(letter).toMatchObject({ id: warningB1, status: 'delivered', delivered_on: today });
    const same = await clerkB1.post('/api/v1/letters/delivered', { ids: [warningB1], delivered_on: today });
    expect(same.json()).toEqual({ changed: 0, unchanged: 1 });
    await pool.query(
      `UPDATE letter_marks SET printed_at = now() - interval '3 days' WHERE notification_id = $1`,
      [warningB1],
    );
    const other = await clerkB1.post('/api/v1/letters/delivered', {
      ids: [warningB1],
      delivered_on: plus(today, -1),
    });
    expect(other.statusCode).toBe(409);
    expect(other.json<ErrorBody>().error.message).toContain('پیش‌تر در تاریخ');
  });

  it("gives each letter's document on the branch's letterhead with the bank name of the settings", async () => {
    const saved = await admin.patch('/api/v1/settings/letters', { bank_name: 'بانک نمونه' });
    expect(saved.statusCode).toBe(200);
    const res = await clerkB1.get(`/api/v1/letters/documents?ids=${introB1},${warningB1}`);
    expect(res.statusCode).toBe(200);
    const { items } = res.json<{ items: Record<string, unknown>[] }>();
    expect(items.map((d) => d.id)).toEqual([introB1, warningB1]);
    expect(items[0]).toMatchObject({
      bank_name: 'بانک نمونه',
      branch_name: 'شعبه B1',
      branch_address: 'تهران، خیابان آزادی، پلاک ۱۲',
      letter_no: `B1/${introB1}`,
      kind: 'intro_letter',
      signature: 'رئیس شعبه',
    });
  });

  it('gives a branch clerk the pre-printed paper and its offsets for the browser’s print, not the settings page', async () => {
    expect((await clerkB1.get('/api/v1/settings/letters')).statusCode).toBe(403);
    const paper = await clerkB1.get('/api/v1/letters/paper');
    expect(paper.statusCode).toBe(200);
    const settings = (await admin.get('/api/v1/settings/letters')).json<Record<string, unknown>>();
    expect(paper.json()).toEqual({
      preprinted_paper: settings.preprinted_paper,
      preprinted: settings.preprinted,
    });
  });

  it('refuses field offsets of the pre-printed paper outside the page, naming the field', async () => {
    const res = await admin.patch('/api/v1/settings/letters', {
      preprinted: {
        recipient_name: { x: 400, y: 10 },
        facility_no: { x: 10, y: 10 },
        amount: { x: 10, y: 10 },
        date: { x: 10, y: 10 },
        letter_no: { x: 10, y: 10 },
        address: { x: 10, y: 10 },
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error.message).toContain('فاصله افقی «نام گیرنده»');
  });
});

describe('the PDF of letters', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'letters-'));
  /** A page's text as `pdftotext` reads it, without the direction marks and ZWNJ it adds or drops. */
  const extractText = (file: string, page: number) =>
    execFileSync('pdftotext', ['-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' })
      .replace(/[\u200c\u200e\u200f\u202a-\u202e]/g, '')
      .replace(/[ \t]+/g, ' ');
  /** The words of page 1 with their boxes (points from the top left), as drawn: in visual order. */
  const wordBoxes = (file: string) =>
    [
      ...execFileSync('pdftotext', ['-bbox', '-f', '1', '-l', '1', file, '-'], { encoding: 'utf8' }).matchAll(
        /xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]+)</g,
      ),
    ].map((m) => ({
      xMin: Number(m[1]),
      yMin: Number(m[2]),
      xMax: Number(m[3]),
      yMax: Number(m[4]),
      word: m[5]!,
    }));
  const visual = (word: string) => [...word].reverse().join('');
  /** A binary PGM image (pdftoppm -gray): its width and each pixel's grey (0 black … 255 white). */
  const readPgm = (file: string) => {
    const data = readFileSync(file);
    const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(data.subarray(0, 40).toString('latin1'))!;
    const width = Number(header[1]);
    const offset = header[0].length;
    return { width, pixel: (x: number, y: number) => data[offset + y * width + x]! };
  };

  it('writes the Persian text so a reader gets the words back in logical order, on A4 and A5', async () => {
    for (const paper of ['A4', 'A5']) {
      const res = await clerkB1.get(`/api/v1/letters/pdf?ids=${warningB1},${introB1}&paper=${paper}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      const file = path.join(dir, `letters-${paper}.pdf`);
      writeFileSync(file, res.rawPayload);
      const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
      expect(info).toMatch(/Pages:\s+2/);
      expect(info).toContain(paper === 'A4' ? '595.28 x 841.89' : '419.53 x 595.28');
      const text = extractText(file, 1);
      // poppler reads the glyphs (laid out right to left) back in logical order
      expect(text).toContain('بانک نمونه');
      expect(text).toContain('اخطاریه');
      expect(text).toContain('سرکار خانم مریم رضایی');
      expect(text).toContain('معوق است');
      expect(text).toContain('خیابان آزادی');
      expect(text).toContain(`B۱/${toPersianDigits(warningB1)}`);
    }
  });

  it('goes on to a second page when the text is longer than one, the signature after it; a PDF of over 100 letters is refused', async () => {
    const long = await planLetter('F1', 'intro_letter', 'long');
    const sentence = 'بدهی معوق این تسهیلات باید هرچه زودتر پرداخت شود تا پرونده به واحد حقوقی فرستاده نشود.';
    await pool.query(`UPDATE notifications SET text = $2 WHERE id = $1`, [
      long,
      Array.from({ length: 40 }, (_, i) => `بند ${i + 1}: ${sentence}`).join('\n'),
    ]);
    const res = await clerkB1.get(`/api/v1/letters/pdf?ids=${long}&paper=A5`);
    const file = path.join(dir, 'long.pdf');
    writeFileSync(file, res.rawPayload);
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
    expect(pages).toBeGreaterThan(1);
    // poppler gives the colon after a number back before it: «بند :۴۰»
    const item = (n: number) => new RegExp(`بند :?${toPersianDigits(n)}:?(?![۰-۹])`);
    const last = extractText(file, pages);
    expect(last).toMatch(item(40));
    expect(last).toContain('رئیس شعبه');
    // every line of the body is somewhere, none cut off at the bottom of a page
    const all = Array.from({ length: pages }, (_, i) => extractText(file, i + 1)).join('\n');
    for (let n = 1; n <= 40; n++) expect(all).toMatch(item(n));
    await pool.query(`DELETE FROM notifications WHERE id = $1`, [long]);

    const many = Array.from({ length: 101 }, (_, i) => i + 1).join(',');
    const refused = await clerkB1.get(`/api/v1/letters/pdf?ids=${many}`);
    expect(refused.statusCode).toBe(400);
    expect(refused.json<ErrorBody>().error).toMatchObject({ field: 'ids' });
  });

  it('lays the page out right to left: the title centred, the lines ending at the right margin', async () => {
    const res = await clerkB1.get(`/api/v1/letters/pdf?ids=${warningB1}&paper=A5`);
    const file = path.join(dir, 'one.pdf');
    writeFileSync(file, res.rawPayload);
    // the words stand in visual order, each a run of glyphs laid out right to left
    const words = wordBoxes(file);
    const title = words.find((w) => w.word === visual('اخطاریه'))!;
    expect(Math.abs((title.xMin + title.xMax) / 2 - 419.53 / 2)).toBeLessThan(2);
    const recipient = words.find((w) => w.word === visual('مریم'))!;
    // the page as an image (144 dpi: two pixels a point): the recipient's line is inked up to the right margin
    execFileSync('pdftoppm', ['-gray', '-r', '144', '-f', '1', '-l', '1', file, path.join(dir, 'page')]);
    const page = readPgm(path.join(dir, 'page-1.pgm'));
    const row = Math.round(recipient.yMin + recipient.yMax);
    let rightmostInk = 0;
    for (let y = row - 8; y <= row + 8; y++)
      for (let x = 0; x < page.width; x++)
        if (page.pixel(x, y) < 160) rightmostInk = Math.max(rightmostInk, x);
    expect(Math.abs(rightmostInk / 2 - (419.53 - 36))).toBeLessThan(3);
  });

  it('joins the letters of a word (shaped glyphs), unlike the same letters kept apart', async () => {
    const [document] = (await clerkB1.get(`/api/v1/letters/documents?ids=${warningB1}`)).json<{
      items: LetterDocument[];
    }>().items;
    // «بانک» as written, and its letters held apart by zero-width non-joiners (isolated forms)
    const pdf = await renderLettersPdf([{ ...document!, text: 'بانک ب\u200cا\u200cن\u200cک' }], {
      paper: 'A5',
      preprinted: null,
    });
    const file = path.join(dir, 'shaping.pdf');
    writeFileSync(file, pdf);
    const words = wordBoxes(file);
    // the body's line: the joined word first (at the right), then the letters apart, each its own box
    const joined = words.find((w) => w.word === visual('بانک') && w.yMin > 150 && w.yMin < 300)!;
    const apart = words.filter((w) => Math.abs(w.yMin - joined.yMin) < 1 && w !== joined);
    expect(apart.map((w) => w.word).sort()).toEqual(['ا', 'ب', 'ن', 'ک'].sort());
    const apartWidth = Math.max(...apart.map((w) => w.xMax)) - Math.min(...apart.map((w) => w.xMin));
    // the joined forms (initial ب, medial ن, final ک …) are narrower than the isolated ones
    expect(joined.xMax - joined.xMin).toBeLessThan(apartWidth * 0.8);
  });

  it('prints a warning notice on pre-printed paper: only its fields, at the offsets of the settings', async () => {
    const res = await clerkB1.get(`/api/v1/letters/pdf?ids=${warningB1}&preprinted=1`);
    const file = path.join(dir, 'preprinted.pdf');
    writeFileSync(file, res.rawPayload);
    const text = extractText(file, 1);
    expect(text).toContain('مریم رضایی');
    expect(text).not.toContain('اخطاریه');
    expect(text).not.toContain('بانک نمونه');
    const name = wordBoxes(file).find((w) => w.word === visual('مریم'))!;
    const mm = 72 / 25.4;
    // the name's right edge 45 mm from the right of an A5 page, its top about 52 mm down
    expect(Math.abs(name.xMax - (419.53 - 45 * mm))).toBeLessThan(2);
    expect(Math.abs(name.yMin - 52 * mm)).toBeLessThan(6);
  });
});

describe('declarations for ثنا', () => {
  it("lists a branch's declarations waiting, with the parties, the national code and the figures", async () => {
    const page = (await clerkB1.get('/api/v1/declarations?state=planned')).json<Page>();
    expect(ids(page)).toEqual([declarationB1]);
    expect(page.items[0]).toMatchObject({
      state: 'planned',
      claimant: { bank_name: 'بانک نمونه', branch_name: 'شعبه B1' },
      addressee: { role: 'borrower', name: 'مریم رضایی', national_code: '0012345679' },
      facility_no: 'F1',
      figures: { principal: '1000000' },
    });
    expect((await clerkB2.get('/api/v1/declarations')).json<Page>().items.map((d) => d.id)).toEqual([
      declarationB2,
    ]);
  });

  it('exports the declarations to Excel as the list filters them, with the figures as numbers', async () => {
    await runDay(pool, { date: D, source: 'cli', timezone: 'Asia/Tehran' }); // the facility's figures
    const [listed] = (await clerkB1.get('/api/v1/declarations?state=planned')).json<{
      items: { figures: { overdue_amount: string; collectible_amount: string; overdue_days: number } }[];
    }>().items;
    const res = await clerkB1.get('/api/v1/declarations/export?state=planned');
    const rows = await sheetRows(res.rawPayload);
    expect(rows).toHaveLength(2);
    const header = rows[0] as string[];
    const row = Object.fromEntries(header.map((h, i) => [h, rows[1]![i]]));
    expect(row).toMatchObject({
      تاریخ: toJalali(D),
      وضعیت: 'در انتظار ثبت',
      'شماره تسهیلات': 'F1',
      'نام مخاطب': 'مریم رضایی',
      'کد ملی': '0012345679',
      'روزهای معوق': 40, // its installment fell due 40 days before the run's date
      'مبلغ معوق (ریال)': Number(listed!.figures.overdue_amount),
      'قابل وصول (ریال)': Number(listed!.figures.collectible_amount),
    });
    expect(String(row['شعبه'])).toContain('شعبه B1');
  });

  it('files with a tracking number (digits in any script), then serves; re-filing is refused', async () => {
    const bad = await clerkB1.post(`/api/v1/declarations/${declarationB1}/filed`, {
      filed_on: today,
      tracking_no: '۱۲۳-ab',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<ErrorBody>().error).toMatchObject({ field: 'tracking_no' });
    expect(bad.json<ErrorBody>().error.message).toContain('شماره پیگیری فقط رقم است');
    const notFiled = await clerkB1.post(`/api/v1/declarations/${declarationB1}/served`, { served_on: today });
    expect(notFiled.statusCode).toBe(409);
    const other = await clerkB2.post(`/api/v1/declarations/${declarationB1}/filed`, {
      filed_on: today,
      tracking_no: '1403000123456789',
    });
    expect(other.statusCode).toBe(404);

    const filed = await clerkB1.post(`/api/v1/declarations/${declarationB1}/filed`, {
      filed_on: today,
      tracking_no: '۱۴۰۳۰۰۰۱۲۳۴۵۶۷۸۹',
    });
    expect(filed.json()).toEqual({ changed: 1, unchanged: 0 });
    const same = await clerkB1.post(`/api/v1/declarations/${declarationB1}/filed`, {
      filed_on: today,
      tracking_no: '1403000123456789',
    });
    expect(same.json()).toEqual({ changed: 0, unchanged: 1 });
    const refiled = await clerkB1.post(`/api/v1/declarations/${declarationB1}/filed`, {
      filed_on: today,
      tracking_no: '1403000999999999',
    });
    expect(refiled.statusCode).toBe(409);
    expect(refiled.json<ErrorBody>().error.field).toBe('tracking_no');
    const taken = await clerkB2.post(`/api/v1/declarations/${declarationB2}/filed`, {
      filed_on: today,
      tracking_no: '1403000123456789',
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json<ErrorBody>().error.message).toContain('برای اظهارنامه دیگری ثبت شده است');

    const served = await clerkB1.post(`/api/v1/declarations/${declarationB1}/served`, { served_on: today });
    expect(served.json()).toEqual({ changed: 1, unchanged: 0 });
    const [row] = (await clerkB1.get('/api/v1/declarations?state=served')).json<Page>().items;
    expect(row).toMatchObject({ filed_on: today, tracking_no: '1403000123456789', served_on: today });
    const audit = await db
      .selectFrom('audit_log')
      .select('entity_id')
      .where('entity', '=', 'declaration')
      .execute();
    expect(audit.map((a) => a.entity_id)).toEqual([declarationB1, declarationB1]);
  });
});
