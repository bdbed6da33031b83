import type { HolidayInput, HolidayListQuery, HolidayPatch } from '@vosul/common/calendar';
import { fromJalali, toJalali } from '@vosul/common/jalali';
import { toPersianDigits } from '@vosul/common/text';
import type { Database, Executor } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/auth/context.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, invalidField, notFound, staleEdit } from '../../platform/errors.js';
import { normalizeField, parseSnapshotDate } from '../intake/snapshot-values.js';
import * as repo from './calendar.repository.js';

const ENTITY = 'holiday';

/**
 * The working-day calendar. Everyone with the page reads the country's days and their province's
 * closures (HQ every province's); HQ edits everything; a province user only their province's
 * closures; a branch user only reads.
 */
export async function listHolidays(db: Database, ctx: RequestContext, query: HolidayListQuery) {
  const { from, until } = jalaliRange(query.year, query.month);
  return {
    items: await repo.findHolidays(db, ctx.user.scope, { from, until, provinceId: query.province_id }),
  };
}

export async function getHoliday(db: Executor, ctx: RequestContext, id: number) {
  return (await repo.findHoliday(db, ctx.user.scope, id)) ?? throwNotFound();
}

export async function createHoliday(db: Database, ctx: RequestContext, input: HolidayInput) {
  const values = { ...input, day: readDay(input.day) };
  assertConsistent(values);
  assertMayWrite(ctx, values);
  return db.transaction().execute(async (trx) => {
    await assertProvince(trx, values.province_id);
    await assertFreeDay(trx, values.day, values.province_id, undefined);
    const { id } = await repo.insertHoliday(trx, { ...values, created_by: ctx.user.id });
    const after = await getHoliday(trx, ctx, id);
    await recordAudit(trx, ctx, { entity: ENTITY, entityId: id, action: 'create', after });
    return after;
  });
}

export async function updateHoliday(db: Database, ctx: RequestContext, id: number, patch: HolidayPatch) {
  return db.transaction().execute(async (trx) => {
    const before = await getHoliday(trx, ctx, id);
    assertMayWrite(ctx, before);
    const { version, ...changes } = patch;
    const values = Object.fromEntries(
      Object.entries(changes).filter(([, v]) => v !== undefined),
    ) as Partial<repo.HolidayValues>;
    if (values.day !== undefined) values.day = readDay(values.day);
    const merged = { ...before, ...values };
    assertConsistent(merged);
    assertMayWrite(ctx, merged);
    if (values.province_id !== undefined) await assertProvince(trx, merged.province_id);
    await assertFreeDay(trx, merged.day, merged.province_id, id);
    if (!(await repo.updateHoliday(trx, id, version, values))) throw staleEdit();
    const after = await getHoliday(trx, ctx, id);
    await recordAudit(trx, ctx, { entity: ENTITY, entityId: id, action: 'update', before, after });
    return after;
  });
}

export async function deleteHoliday(db: Database, ctx: RequestContext, id: number) {
  await db.transaction().execute(async (trx) => {
    const before = await getHoliday(trx, ctx, id);
    assertMayWrite(ctx, before);
    await repo.deleteHoliday(trx, id);
    await recordAudit(trx, ctx, { entity: ENTITY, entityId: id, action: 'delete', before });
  });
}

/** The first working day on or after `date` (`YYYY-MM-DD`) for a branch of `provinceId`. */
export const nextWorkingDay = (db: Executor, date: string, provinceId: number | null) =>
  repo.nextWorkingDay(db, date, provinceId);

export const isWorkingDay = (db: Executor, date: string, provinceId: number | null) =>
  repo.isWorkingDay(db, date, provinceId);

/** [first day, first day after) of a Jalali month, or of the whole year without a month. */
function jalaliRange(year: number, month: number | undefined) {
  const [fromY, fromM] = month === undefined ? [year, 1] : [year, month];
  const [untilY, untilM] = month === undefined || month === 12 ? [year + 1, 1] : [year, month + 1];
  const from = fromJalali(`${fromY}/${fromM}/1`);
  const until = fromJalali(`${untilY}/${untilM}/1`);
  if (!from || !until) throw invalidField('year', 'سال یا ماه نامعتبر است');
  return { from, until };
}

/** A typed day, Jalali or Gregorian with any digits (the snapshot's reader), as `YYYY-MM-DD`. */
function readDay(value: string): string {
  const day = parseSnapshotDate(normalizeField(value));
  if (!day) throw invalidField('day', `تاریخ «${value}» معتبر نیست؛ به شکل ۱۴۰۵/۰۱/۱۵ وارد کنید`);
  return day;
}

function assertConsistent(values: { kind: string; province_id: number | null }) {
  if (values.kind === 'official' && values.province_id !== null)
    throw invalidField('province_id', 'تعطیل رسمی برای همه کشور است؛ برای یک استان «تعطیلی موردی» ثبت کنید');
}

function assertMayWrite(ctx: RequestContext, target: { kind: string; province_id: number | null }) {
  const scope = ctx.user.scope;
  if (scope.kind === 'hq') return;
  if (scope.kind === 'branch')
    throw new AppError('forbidden', 'کاربران شعبه تقویم کاری را فقط مشاهده می‌کنند');
  if (target.kind !== 'closure' || target.province_id === null)
    throw new AppError(
      'forbidden',
      'تعطیلات رسمی و تعطیلی‌های سراسری را فقط کاربران ستاد ثبت می‌کنند',
      'province_id',
    );
  if (target.province_id !== scope.provinceId)
    throw new AppError('forbidden', 'ثبت تعطیلی برای استان دیگر مجاز نیست', 'province_id');
}

async function assertProvince(trx: Executor, provinceId: number | null) {
  if (provinceId !== null && !(await repo.provinceExists(trx, provinceId)))
    throw invalidField('province_id', 'استان انتخاب‌شده یافت نشد');
}

async function assertFreeDay(trx: Executor, day: string, provinceId: number | null, exceptId?: number) {
  const taken = await repo.findSameDay(trx, day, provinceId, exceptId);
  if (taken)
    throw new AppError(
      'conflict',
      `برای ${toPersianDigits(toJalali(day))} ${provinceId === null ? 'در سراسر کشور' : 'در این استان'} قبلاً «${taken.title}» ثبت شده است`,
      'day',
    );
}

function throwNotFound(): never {
  throw notFound('تعطیلی');
}
