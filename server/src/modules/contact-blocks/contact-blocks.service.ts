import type { ListQuery } from '@vosul/common';
import {
  AT_LEAST_ONE_PERSON_KEY,
  type ContactBlock,
  type ContactBlockInput,
  type ContactBlockPatch,
} from '@vosul/common/contact-blocks';
import { toPersianDigits } from '@vosul/common/text';
import type { Database, Executor } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/auth/context.js';
import { recordAudit } from '../../platform/audit.js';
import { recordedExport } from '../../platform/export-log.js';
import { AppError, invalidField, notFound, staleEdit } from '../../platform/errors.js';
import * as repo from './contact-blocks.repository.js';

const ENTITY = 'contact_block';

/**
 * The do-not-contact list (B1). It concerns people of every branch, so it is HQ's alone: a user of a
 * province or branch is refused even when a group grants the page.
 */
function assertHq(ctx: RequestContext) {
  if (ctx.user.scope.kind !== 'hq')
    throw new AppError('forbidden', 'فهرست عدم تماس فقط در دسترس کاربران ستاد است');
}

type Row = NonNullable<Awaited<ReturnType<typeof repo.findBlock>>>;
const toBlock = (row: Row): ContactBlock => ({
  ...row,
  created_at: row.created_at instanceof Date ? row.created_at.toISOString() : String(row.created_at),
});

export async function listBlocks(db: Database, ctx: RequestContext, list: ListQuery) {
  assertHq(ctx);
  const page = await repo.findBlocksPage(db, list);
  return { ...page, items: page.items.map(toBlock) };
}

/** The list as the page shows it (search and sort), recorded in the export log. */
export async function exportBlocks(db: Database, ctx: RequestContext, list: ListQuery) {
  assertHq(ctx);
  const { page: _p, page_size: _s, ...filter } = list;
  const rows = await repo.findAllBlocks(db, filter);
  return recordedExport(db, ctx, { name: 'contact_blocks', filter }, rows.map(toBlock));
}

export async function getBlock(db: Executor, ctx: RequestContext, id: number) {
  assertHq(ctx);
  const row = await repo.findBlock(db, id);
  if (!row) throw notFound('شخص فهرست عدم تماس');
  return toBlock(row);
}

export async function createBlock(db: Database, ctx: RequestContext, input: ContactBlockInput) {
  assertHq(ctx);
  return db.transaction().execute(async (trx) => {
    const person = { national_code: input.national_code, mobile: input.mobile };
    await assertValid(trx, { ...person, until: input.until }, true);
    const { id } = await repo.insertBlock(trx, {
      ...person,
      reason: input.reason,
      until: input.until,
      person_name: await repo.findPersonName(trx, person),
      created_by: ctx.user.id,
      created_by_name: `${ctx.user.firstName} ${ctx.user.lastName}`.trim() || ctx.user.username,
    });
    const after = await getBlock(trx, ctx, id);
    await recordAudit(trx, ctx, { entity: ENTITY, entityId: id, action: 'create', after });
    return after;
  });
}

export async function updateBlock(db: Database, ctx: RequestContext, id: number, patch: ContactBlockPatch) {
  assertHq(ctx);
  return db.transaction().execute(async (trx) => {
    const before = await getBlock(trx, ctx, id);
    const { version, ...changes } = patch;
    const values = Object.fromEntries(
      Object.entries(changes).filter(([, v]) => v !== undefined),
    ) as Partial<repo.BlockValues>;
    const merged = { ...before, ...values };
    const untilChanged = values.until !== undefined && values.until !== before.until;
    await assertValid(trx, merged, untilChanged, id);
    if (values.national_code !== undefined || values.mobile !== undefined)
      values.person_name = await repo.findPersonName(trx, merged);
    if (!(await repo.updateBlock(trx, id, version, values))) throw staleEdit();
    const after = await getBlock(trx, ctx, id);
    await recordAudit(trx, ctx, { entity: ENTITY, entityId: id, action: 'update', before, after });
    return after;
  });
}

/** Lifts a block: the person may be contacted again from the next plan. */
export async function liftBlock(db: Database, ctx: RequestContext, id: number) {
  assertHq(ctx);
  await db.transaction().execute(async (trx) => {
    const before = await getBlock(trx, ctx, id);
    await repo.deleteBlock(trx, id);
    await recordAudit(trx, ctx, { entity: ENTITY, entityId: id, action: 'delete', before });
  });
}

/** A person key is given, listed once, and a new end date is not already past. */
async function assertValid(
  trx: Executor,
  block: { national_code: string | null; mobile: string | null; until: string | null },
  untilChanged: boolean,
  exceptId?: number,
) {
  if (!block.national_code && !block.mobile) throw invalidField('national_code', AT_LEAST_ONE_PERSON_KEY);
  if (untilChanged && block.until !== null && (await repo.isPast(trx, block.until)))
    throw invalidField('until', 'تاریخ پایان عدم تماس نباید گذشته باشد');
  const same = await repo.findSamePerson(trx, block, exceptId);
  if (same) {
    const byCode = block.national_code !== null && same.national_code === block.national_code;
    throw new AppError(
      'conflict',
      byCode
        ? `کد ملی ${toPersianDigits(block.national_code ?? '')} قبلاً در فهرست عدم تماس ثبت شده است`
        : `تلفن همراه ${toPersianDigits(block.mobile ?? '')} قبلاً در فهرست عدم تماس ثبت شده است`,
      byCode ? 'national_code' : 'mobile',
    );
  }
}
