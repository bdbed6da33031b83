import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import bidiModule from 'bidi-js';
import PDFDocument from 'pdfkit';
import {
  LETTER_KINDS,
  type FieldOffset,
  type LetterDocument,
  type PaperSize,
  type PreprintedField,
} from '@vosul/common/letters';
import { RECIPIENT_ROLES } from '@vosul/common/workflows';
import { formatMoney, toJalali, toPersianDigits } from '@vosul/common';

/*
 * Persian in a PDF, server-side and pure JavaScript (no browser needed at run time):
 * - shaping: fontkit (inside pdfkit) runs the font's OpenType Arabic shaper (init/medi/fina/isol,
 *   rlig) on each run of Arabic-script text it is given, and lays that run's glyphs out right to left;
 * - bidi: pdfkit applies no bidi algorithm, so each line is resolved here with bidi-js (UAX #9): the
 *   runs of one embedding level are put in visual order (rule L2), an RTL run is handed to fontkit
 *   word by word (shaped and reversed there), its neutral characters reversed and mirrored here, and
 *   an LTR run (digits, Latin) drawn left to right;
 * - text extraction: the glyphs keep their characters (ToUnicode) and stand in visual order, which
 *   readers of Persian PDFs (poppler's `pdftotext`, pdf.js) turn back into logical order; a lam-alef
 *   ligature (لا) reads back as «ال» in poppler, a known limit of single-glyph ligatures in RTL text.
 */

// a CommonJS package whose types declare an ES default: Node's default import is the factory itself
const bidi = (bidiModule as unknown as typeof bidiModule.default)();
const require = createRequire(import.meta.url);
const FONT_DIR = path.join(path.dirname(require.resolve('vazirmatn/package.json')), 'fonts', 'ttf');
const FONTS = {
  regular: readFileSync(path.join(FONT_DIR, 'Vazirmatn-Regular.ttf')),
  bold: readFileSync(path.join(FONT_DIR, 'Vazirmatn-Bold.ttf')),
};

const MM = 72 / 25.4;
const PAPER: Record<PaperSize, { size: [number, number]; margin: number; font: number }> = {
  A4: { size: [595.28, 841.89], margin: 56, font: 12 },
  A5: { size: [419.53, 595.28], margin: 36, font: 10 },
};

/** Letters, marks and joiners of the Arabic script: text fontkit shapes and lays out right to left. */
const ARABIC_WORD =
  /[\u0600-\u065F\u066E-\u06D3\u06D5-\u06EF\u06FA-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF\u200C\u200D]+/g;

/** Any character of the Arabic block (Persian digits among them: fontkit lays them out right to left). */
const HAS_ARABIC_SCRIPT = /[\u0600-\u06FF]/;

type Doc = PDFKit.PDFDocument;

/** The line's pieces in visual order, left to right, each drawn as given (fontkit reverses Arabic words). */
function visualPieces(line: string): string[] {
  if (line === '') return [];
  const { levels } = bidi.getEmbeddingLevels(line, 'rtl');
  const runs: { text: string; level: number }[] = [];
  for (let i = 0; i < line.length; i++) {
    const last = runs[runs.length - 1];
    if (last && last.level === levels[i]) last.text += line[i];
    else runs.push({ text: line[i]!, level: levels[i]! });
  }
  // L2: from the highest level to the lowest odd one, reverse every sequence of runs at that level or above
  const max = Math.max(...runs.map((r) => r.level));
  for (let level = max; level >= 1; level--) {
    for (let i = 0; i < runs.length;) {
      if (runs[i]!.level < level) {
        i++;
        continue;
      }
      let j = i;
      while (j < runs.length && runs[j]!.level >= level) j++;
      runs.splice(i, j - i, ...runs.slice(i, j).reverse());
      i = j;
    }
  }
  const pieces: string[] = [];
  for (const run of runs) {
    if (run.level % 2 === 0) {
      // an LTR run of Arabic-script digits would be laid out right to left by fontkit: hand it reversed
      pieces.push(HAS_ARABIC_SCRIPT.test(run.text) ? [...run.text].reverse().join('') : run.text);
      continue;
    }
    const tokens: string[] = [];
    let at = 0;
    for (const m of run.text.matchAll(ARABIC_WORD)) {
      if (m.index > at) tokens.push(mirrored(run.text.slice(at, m.index)));
      tokens.push(m[0]);
      at = m.index + m[0].length;
    }
    if (at < run.text.length) tokens.push(mirrored(run.text.slice(at)));
    pieces.push(...tokens.reverse());
  }
  return pieces;
}

/** Neutral characters of an RTL run, in visual order: reversed, brackets mirrored. */
function mirrored(text: string): string {
  return [...text]
    .reverse()
    .map((c) => bidi.getMirroredCharacter(c) ?? c)
    .join('');
}

function useFont(doc: Doc, bold: boolean, size: number) {
  doc.font(bold ? 'bold' : 'regular').fontSize(size);
}

/** Draws one line right-aligned at `right` (or centred on it, or left-aligned from it). */
function drawLine(
  doc: Doc,
  line: string,
  right: number,
  y: number,
  align: 'right' | 'center' | 'left' = 'right',
) {
  const pieces = visualPieces(line);
  const widths = pieces.map((p) => doc.widthOfString(p));
  const total = widths.reduce((a, b) => a + b, 0);
  let x = align === 'right' ? right - total : align === 'center' ? right - total / 2 : right;
  pieces.forEach((p, i) => {
    if (p.trim() !== '') doc.text(p, x, y, { lineBreak: false });
    x += widths[i]!;
  });
}

/** Where a page's text may go: a line past `bottom` goes on a new page of `size`, from `top`. */
interface PageBox {
  size: [number, number];
  top: number;
  bottom: number;
}

/** The line's top on this page, or on a new page when it would pass the bottom (a long letter goes on). */
function lineAt(doc: Doc, y: number, leading: number, box: PageBox): number {
  if (y + leading <= box.bottom) return y;
  doc.addPage({ size: box.size, margin: 0 });
  return box.top;
}

/**
 * A paragraph wrapped to `width` at its spaces (logical order), drawn right-aligned line by line,
 * going on to a new page when the page is full. Returns the top of the line after it.
 */
function drawParagraph(
  doc: Doc,
  text: string,
  right: number,
  y: number,
  width: number,
  leading: number,
  box: PageBox,
): number {
  let at = y;
  const draw = (line: string) => {
    at = lineAt(doc, at, leading, box);
    drawLine(doc, line, right, at);
    at += leading;
  };
  for (const paragraph of text.split(/\r?\n/)) {
    const words = paragraph.split(/ +/).filter(Boolean);
    let line = '';
    for (const word of words) {
      const candidate = line ? `${line} ${word}` : word;
      if (line && doc.widthOfString(candidate) > width) {
        draw(line);
        line = word;
      } else line = candidate;
    }
    if (line) draw(line);
    else at += leading;
  }
  return at;
}

const jalaliDate = (iso: string) => toPersianDigits(toJalali(iso));

/** What a person reads on the letter, in Persian digits (names, addresses and texts keep Latin ones as stored). */
const inPersianDigits = (l: LetterDocument): LetterDocument => ({
  ...l,
  bank_name: toPersianDigits(l.bank_name),
  branch_name: toPersianDigits(l.branch_name),
  branch_address: l.branch_address === null ? null : toPersianDigits(l.branch_address),
  recipient_name: toPersianDigits(l.recipient_name),
  address: toPersianDigits(l.address),
  text: toPersianDigits(l.text),
  signature: toPersianDigits(l.signature),
});

/** A letter on the branch's letterhead: bank, branch, number, date, addressee, body, signature. */
function drawLetter(doc: Doc, stored: LetterDocument, paper: PaperSize) {
  const letter = inPersianDigits(stored);
  const { size, margin, font } = PAPER[paper];
  const [width, height] = size;
  const right = width - margin;
  const leading = font * 1.9;
  let y = margin;

  useFont(doc, true, font + 4);
  drawLine(doc, letter.bank_name, width / 2, y, 'center');
  y += font * 2;
  useFont(doc, false, font);
  drawLine(doc, `${letter.branch_name} (کد ${toPersianDigits(letter.branch_code)})`, width / 2, y, 'center');
  y += leading;
  if (letter.branch_address) {
    useFont(doc, false, font - 2);
    drawLine(doc, `نشانی: ${letter.branch_address}`, width / 2, y, 'center');
    y += leading;
  }
  useFont(doc, false, font - 1);
  drawLine(doc, `شماره: ${toPersianDigits(letter.letter_no)}`, margin, margin, 'left');
  drawLine(doc, `تاریخ: ${jalaliDate(letter.business_date)}`, margin, margin + leading, 'left');
  doc.moveTo(margin, y).lineTo(right, y).lineWidth(0.8).stroke();
  y += leading;

  useFont(doc, true, font + 2);
  const title = letter.kind === 'declaration' ? 'اظهارنامه' : LETTER_KINDS[letter.kind];
  drawLine(doc, title, width / 2, y, 'center');
  y += leading * 1.3;
  useFont(doc, false, font);
  drawLine(doc, `${RECIPIENT_ROLES[letter.recipient_role]}: ${letter.recipient_name}`, right, y);
  y += leading;
  const box: PageBox = { size, top: margin, bottom: height - margin };
  // an address or many facilities wrap rather than run past the margin
  y = drawParagraph(doc, `نشانی: ${letter.address}`, right, y, right - margin, leading, box);
  y = drawParagraph(
    doc,
    `شماره تسهیلات: ${toPersianDigits(letter.facility_nos.join('، '))}`,
    right,
    y,
    right - margin,
    leading,
    box,
  );
  y += leading * 0.5;
  y = drawParagraph(doc, letter.text, right, y, right - margin, leading, box);

  // the signature block, at the left and below the body (at least a quarter of the page from the
  // bottom); on the next page when the body left no room for it
  y = Math.max(y + leading * 2, height - margin - leading * 4);
  if (y + leading * 2 > height - margin) {
    doc.addPage({ size, margin: 0 });
    y = margin + leading * 2;
  }
  useFont(doc, true, font);
  const signatureCentre = margin + 90;
  drawLine(doc, letter.signature, signatureCentre, y, 'center');
  useFont(doc, false, font - 1);
  drawLine(doc, `${letter.bank_name} — ${letter.branch_name}`, signatureCentre, y + leading, 'center');
}

/** A warning notice on the bank's pre-printed paper: only its fields, each at its offset from the top right. */
function drawPreprinted(
  doc: Doc,
  stored: LetterDocument,
  paper: PaperSize,
  offsets: Record<PreprintedField, FieldOffset>,
) {
  const [width] = PAPER[paper].size;
  const letter = inPersianDigits(stored);
  const values: Record<PreprintedField, string> = {
    recipient_name: letter.recipient_name,
    facility_no: toPersianDigits(letter.facility_nos.join('، ')),
    amount: letter.overdue_amount === null ? '' : `${formatMoney(letter.overdue_amount)} ریال`,
    date: jalaliDate(letter.business_date),
    letter_no: toPersianDigits(letter.letter_no),
    address: letter.address,
  };
  useFont(doc, false, PAPER[paper].font);
  for (const [field, value] of Object.entries(values) as [PreprintedField, string][]) {
    const at = offsets[field];
    if (value) drawLine(doc, value, width - at.x * MM, at.y * MM);
  }
}

/**
 * The letters as one PDF, a page each (A4 or A5): on the letterhead, or — a warning notice with
 * `preprinted` offsets — only its fields, for the bank's pre-printed paper (پرفراژ).
 */
export async function renderLettersPdf(
  letters: readonly LetterDocument[],
  options: { paper: PaperSize; preprinted: Record<PreprintedField, FieldOffset> | null },
): Promise<Buffer> {
  const { size } = PAPER[options.paper];
  const doc = new PDFDocument({
    size,
    margin: 0,
    autoFirstPage: false,
    lang: 'fa-IR',
    info: { Title: letters.length === 1 ? `نامه ${letters[0]!.letter_no}` : 'نامه‌ها', Producer: 'Vosul' },
  });
  doc.registerFont('regular', FONTS.regular);
  doc.registerFont('bold', FONTS.bold);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  for (const letter of letters) {
    doc.addPage({ size, margin: 0 });
    if (options.preprinted && letter.kind === 'warning_notice')
      drawPreprinted(doc, letter, options.paper, options.preprinted);
    else drawLetter(doc, letter, options.paper);
  }
  doc.end();
  await done;
  return Buffer.concat(chunks);
}
