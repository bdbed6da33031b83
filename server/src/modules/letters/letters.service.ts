import {
  LETTER_LABELS,
  type Declaration,
  type DeclarationQuery,
  type FileDeclaration,
  type Letter,
  type LetterDocument,
  type LetterIdsQuery,
  type LetterPaper,
  type LetterMarkResult,
  type LetterQuery,
  type MarkDelivered,
  type MarkPrinted,
  type ServeDeclaration,
} from '@vosul/common/letters';
import type { NotificationStatus } from '@vosul/common/notifications';
import { toJalali, toPersianDigits } from '@vosul/common';
import type { Database, Executor } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/auth/context.js';
import { recordAudit } from '../../platform/audit.js';
import { todayIn } from '../../platform/date-range.js';
import { AppError, invalidField } from '../../platform/errors.js';
import { fetchPage, streamNewestFirst } from '../../platform/listing.js';
import { recordedExport } from '../../platform/export-log.js';
import { readSetting } from '../../platform/settings.js';
import * as repo from './letters.repository.js';
import { renderLettersPdf } from './letters.pdf.js';

const LETTER_CHANNELS = ['intro_letter', 'warning_notice'] as const;
const LETTER_STATES: NotificationStatus[] = ['planned', 'printed', 'delivered'];
const DECLARATION_STATES: NotificationStatus[] = ['planned', 'filed', 'served'];

const userName = (ctx: RequestContext) =>
  `${ctx.user.firstName} ${ctx.user.lastName}`.trim() || ctx.user.username;

/** A day people record (delivered, filed, served) cannot be after today, on the business clock. */
function refuseFutureDate(field: 'delivered_on' | 'filed_on' | 'served_on', date: string, timezone: string) {
  if (date > todayIn(timezone)) throw invalidField(field, `${LETTER_LABELS[field]} نباید بعد از امروز باشد`);
}

/** The print queue (issue 6 point 6): the letters and warning notices of the user's scope, newest first. */
export async function listLetters(db: Database, ctx: RequestContext, query: LetterQuery) {
  const { page, page_size, ...filter } = query;
  const { items, total } = await fetchPage(
    repo.lettersPageQuery(db, ctx.user.scope, filter),
    { page, page_size, sort: 'business_date', order: 'desc' },
    repo.LETTER_SORT,
    'business_date',
    'n.id',
  );
  return {
    total,
    items: items.map((l): Letter => ({ ...l, printed_at: l.printed_at?.toISOString() ?? null })),
  };
}

/** The print queue as the list filters it, whole, for «خروجی اکسل» (newest first). */
export async function exportLetters(db: Database, ctx: RequestContext, query: LetterQuery) {
  const { page: _p, page_size: _s, ...filter } = query;
  const rows = streamNewestFirst(repo.lettersPageQuery(db, ctx.user.scope, filter), 'n.id');
  return recordedExport(db, ctx, { name: 'letters', filter }, rows);
}

/**
 * The given letters of the user's scope, locked. Every id must be one: a letter of another branch reads
 * as absent, and then nothing is changed.
 */
async function lockedLetters(
  trx: Executor,
  ctx: RequestContext,
  ids: readonly number[],
  channels: readonly string[],
  states: NotificationStatus[],
  what: string,
) {
  const wanted = [...new Set(ids.map(String))];
  const rows = await repo.lockLetters(trx, ctx.user.scope, wanted, channels, states);
  if (rows.length < wanted.length) {
    const found = new Set(rows.map((r) => r.id));
    const missing = wanted.find((id) => !found.has(id))!;
    throw new AppError('not_found', `${what} شماره ${toPersianDigits(missing)} یافت نشد`, 'ids');
  }
  return rows;
}

/** «ثبت چاپ»: planned letters become printed (when, by whom); a letter printed before stays as it was. */
export async function markPrinted(
  db: Database,
  ctx: RequestContext,
  input: MarkPrinted,
): Promise<LetterMarkResult> {
  return db.transaction().execute(async (trx) => {
    const rows = await lockedLetters(trx, ctx, input.ids, LETTER_CHANNELS, LETTER_STATES, 'نامه');
    const planned = rows.filter((r) => r.status === 'planned').map((r) => r.id);
    if (planned.length > 0) {
      const printed_at = new Date();
      await repo.saveLetterMarks(trx, planned, {
        printed_at,
        printed_by: ctx.user.id,
        printed_by_name: userName(ctx),
      });
      await repo.setLetterStatus(trx, planned, 'printed', `چاپ: ${userName(ctx)}`);
      for (const id of planned)
        await recordAudit(trx, ctx, {
          entity: 'letter',
          entityId: id,
          action: 'update',
          before: { status: 'planned' },
          after: { status: 'printed', printed_at, printed_by_name: userName(ctx) },
        });
    }
    return { changed: planned.length, unchanged: rows.length - planned.length };
  });
}

/**
 * «ثبت ابلاغ»: printed letters become delivered on the given day — not after today, not before the
 * letter was printed. A letter not printed yet is refused; one delivered before on the same day is left
 * as it was, on another day refused (a correction is not a second delivery).
 */
export async function markDelivered(
  db: Database,
  ctx: RequestContext,
  input: MarkDelivered,
  timezone: string,
): Promise<LetterMarkResult> {
  refuseFutureDate('delivered_on', input.delivered_on, timezone);
  return db.transaction().execute(async (trx) => {
    const rows = await lockedLetters(trx, ctx, input.ids, LETTER_CHANNELS, LETTER_STATES, 'نامه');
    const changing: string[] = [];
    for (const r of rows) {
      const no = toPersianDigits(r.letter_no);
      if (r.status === 'planned')
        throw new AppError('conflict', `نامه ${no} هنوز چاپ نشده است؛ ابتدا چاپ آن را ثبت کنید`, 'ids');
      if (r.status === 'delivered') {
        if (r.delivered_on === input.delivered_on) continue;
        throw new AppError(
          'conflict',
          `نامه ${no} پیش‌تر در تاریخ ${toPersianDigits(toJalali(r.delivered_on))} ابلاغ شده است`,
          'ids',
        );
      }
      const printedOn = r.printed_at ? todayIn(timezone, r.printed_at) : null;
      if (printedOn && input.delivered_on < printedOn)
        throw invalidField(
          'delivered_on',
          `${LETTER_LABELS.delivered_on} نامه ${no} نباید پیش از تاریخ چاپ آن (${toPersianDigits(toJalali(printedOn))}) باشد`,
        );
      changing.push(r.id);
    }
    if (changing.length > 0) {
      await repo.saveLetterMarks(trx, changing, {
        delivered_on: input.delivered_on,
        delivered_by: ctx.user.id,
      });
      await repo.setLetterStatus(
        trx,
        changing,
        'delivered',
        `ابلاغ در ${toJalali(input.delivered_on)}: ${userName(ctx)}`,
      );
      for (const id of changing)
        await recordAudit(trx, ctx, {
          entity: 'letter',
          entityId: id,
          action: 'update',
          before: { status: 'printed' },
          after: { status: 'delivered', delivered_on: input.delivered_on },
        });
    }
    return { changed: changing.length, unchanged: rows.length - changing.length };
  });
}

/** What the documents of the given letters show, in the order asked, with the letterhead of the settings. */
export async function letterDocuments(
  db: Executor,
  ctx: RequestContext,
  ids: readonly number[],
  declarations = false,
): Promise<LetterDocument[]> {
  const wanted = [...new Set(ids.map(String))];
  const channels = declarations ? ['declaration'] : LETTER_CHANNELS;
  const states = declarations ? DECLARATION_STATES : LETTER_STATES;
  const [rows, settings] = await Promise.all([
    repo.letterDocuments(db, ctx.user.scope, wanted, channels, states),
    readSetting(db, 'letter_settings'),
  ]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return wanted.map((id) => {
    const row = byId.get(id);
    if (!row) throw new AppError('not_found', `نامه شماره ${toPersianDigits(id)} یافت نشد`, 'ids');
    return { ...row, bank_name: settings.bank_name, signature: settings.signature };
  });
}

/** The pre-printed paper and its field offsets, as the browser's print of the queue lays them out. */
export async function letterPaper(db: Database): Promise<LetterPaper> {
  const { preprinted_paper, preprinted } = await readSetting(db, 'letter_settings');
  return { preprinted_paper, preprinted };
}

/**
 * Letters laid out in one PDF at most: the layout runs on the event loop, so a batch is bounded and
 * batches are drawn one after another, never side by side.
 */
const PDF_MAX_LETTERS = 100;
let drawing: Promise<unknown> = Promise.resolve();

/** A PDF of the given letters, one (A4 or A5) page each; a warning notice on pre-printed paper when asked. */
export async function lettersPdf(db: Database, ctx: RequestContext, query: LetterIdsQuery): Promise<Buffer> {
  if (query.ids.length > PDF_MAX_LETTERS)
    throw invalidField(
      'ids',
      `حداکثر ${toPersianDigits(PDF_MAX_LETTERS)} نامه در هر فایل PDF؛ بقیه را در فایل دیگری بگیرید`,
    );
  const documents = await letterDocuments(db, ctx, query.ids);
  const settings = await readSetting(db, 'letter_settings');
  const turn = drawing.then(() =>
    renderLettersPdf(documents, {
      paper: query.preprinted ? settings.preprinted_paper : query.paper,
      preprinted: query.preprinted ? settings.preprinted : null,
    }),
  );
  drawing = turn.catch(() => undefined);
  return turn;
}

// ---- declarations (اظهارنامه) ------------------------------------------------------------------------

/** The declarations of the user's scope waiting to be filed in ثنا, filed, or served; newest first. */
export async function listDeclarations(db: Database, ctx: RequestContext, query: DeclarationQuery) {
  const { page, page_size, ...filter } = query;
  const [{ items, total }, settings] = await Promise.all([
    fetchPage(
      repo.declarationsPageQuery(db, ctx.user.scope, filter),
      { page, page_size, sort: 'business_date', order: 'desc' },
      repo.DECLARATION_SORT,
      'business_date',
      'n.id',
    ),
    readSetting(db, 'letter_settings'),
  ]);
  return {
    total,
    items: items.map((d): Declaration => ({
      id: d.id,
      business_date: d.business_date,
      state: d.state,
      claimant: {
        bank_name: settings.bank_name,
        branch_name: d.branch_name,
        branch_code: d.branch_code,
        branch_address: d.branch_address,
      },
      addressee: {
        role: d.recipient_role,
        name: d.recipient_name,
        national_code: d.national_code,
        address: d.address,
      },
      facility_no: d.facility_no,
      figures: {
        as_of: d.as_of,
        principal: d.principal,
        overdue_amount: d.overdue_amount,
        penalty: d.penalty,
        collectible_amount: d.collectible_amount,
        unpaid_amount: d.unpaid_amount,
        overdue_days: d.overdue_days,
      },
      text: d.text,
      filed_on: d.filed_on,
      tracking_no: d.tracking_no,
      served_on: d.served_on,
    })),
  };
}

/** The declarations as the list filters them, whole, for «خروجی اکسل» (newest first). */
export async function exportDeclarations(db: Database, ctx: RequestContext, query: DeclarationQuery) {
  const { page: _p, page_size: _s, ...filter } = query;
  const rows = streamNewestFirst(repo.declarationsPageQuery(db, ctx.user.scope, filter), 'n.id');
  return recordedExport(db, ctx, { name: 'declarations', filter }, rows);
}

async function lockedDeclaration(trx: Executor, ctx: RequestContext, id: number) {
  const [row] = await lockedLetters(trx, ctx, [id], ['declaration'], DECLARATION_STATES, 'اظهارنامه');
  return row!;
}

/**
 * A declaration filed in ثنا on a day with the tracking number ثنا gave. Filing it again with the same
 * day and number changes nothing; with others it is refused (the number is ثنا's, not ours to change).
 */
export async function fileDeclaration(
  db: Database,
  ctx: RequestContext,
  id: number,
  input: FileDeclaration,
  timezone: string,
): Promise<LetterMarkResult> {
  refuseFutureDate('filed_on', input.filed_on, timezone);
  return db.transaction().execute(async (trx) => {
    const row = await lockedDeclaration(trx, ctx, id);
    if (row.status !== 'planned') {
      if (row.filed_on === input.filed_on && row.tracking_no === input.tracking_no)
        return { changed: 0, unchanged: 1 };
      throw new AppError(
        'conflict',
        `این اظهارنامه پیش‌تر با ${LETTER_LABELS.tracking_no} ${toPersianDigits(row.tracking_no ?? '')} در ثنا ثبت شده است`,
        'tracking_no',
      );
    }
    if (input.filed_on < row.business_date)
      throw invalidField(
        'filed_on',
        `${LETTER_LABELS.filed_on} نباید پیش از تاریخ تهیه اظهارنامه (${toPersianDigits(toJalali(row.business_date))}) باشد`,
      );
    const taken = () =>
      new AppError(
        'conflict',
        `${LETTER_LABELS.tracking_no} ${toPersianDigits(input.tracking_no)} برای اظهارنامه دیگری ثبت شده است`,
        'tracking_no',
      );
    if (await repo.findTrackingNoOwner(trx, input.tracking_no, row.id)) throw taken();
    // another filing of the same number may commit between the look and the write: the unique index says so
    await repo.saveLetterMarks(trx, [row.id], { ...input, filed_by: ctx.user.id }).catch((err: unknown) => {
      const e = err as { code?: string; constraint?: string };
      throw e.code === '23505' && e.constraint?.includes('tracking_no') ? taken() : err;
    });
    await repo.setLetterStatus(trx, [row.id], 'filed', `ثبت در ثنا، شماره پیگیری ${input.tracking_no}`);
    await recordAudit(trx, ctx, {
      entity: 'declaration',
      entityId: row.id,
      action: 'update',
      before: { status: 'planned' },
      after: { status: 'filed', ...input },
    });
    return { changed: 1, unchanged: 0 };
  });
}

/** A filed declaration served on its addressee on a day (not before it was filed, not after today). */
export async function serveDeclaration(
  db: Database,
  ctx: RequestContext,
  id: number,
  input: ServeDeclaration,
  timezone: string,
): Promise<LetterMarkResult> {
  refuseFutureDate('served_on', input.served_on, timezone);
  return db.transaction().execute(async (trx) => {
    const row = await lockedDeclaration(trx, ctx, id);
    if (row.status === 'planned')
      throw new AppError('conflict', 'این اظهارنامه هنوز در ثنا ثبت نشده است', 'served_on');
    if (row.status === 'served') {
      if (row.served_on === input.served_on) return { changed: 0, unchanged: 1 };
      throw new AppError(
        'conflict',
        `این اظهارنامه پیش‌تر در تاریخ ${toPersianDigits(toJalali(row.served_on))} ابلاغ شده است`,
        'served_on',
      );
    }
    if (row.filed_on && input.served_on < row.filed_on)
      throw invalidField(
        'served_on',
        `${LETTER_LABELS.served_on} نباید پیش از ${LETTER_LABELS.filed_on} (${toPersianDigits(toJalali(row.filed_on))}) باشد`,
      );
    await repo.saveLetterMarks(trx, [row.id], { ...input, served_by: ctx.user.id });
    await repo.setLetterStatus(trx, [row.id], 'served', `ابلاغ در ${toJalali(input.served_on)}`);
    await recordAudit(trx, ctx, {
      entity: 'declaration',
      entityId: row.id,
      action: 'update',
      before: { status: 'filed' },
      after: { status: 'served', ...input },
    });
    return { changed: 1, unchanged: 0 };
  });
}
