import type { BranchInput, ListQuery } from '@vosul/common';
import { toPersianDigits } from '@vosul/common';
import type { Database, Executor } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/auth/context.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, invalidField, notFound, staleEdit } from '../../platform/errors.js';
import { isValidIpRule } from '../../platform/auth/ip-rule.js';
import * as repo from './org.repository.js';
import { hqOnly, requireHq } from '../../platform/auth/guard.js';

// ---- provinces -------------------------------------------------------------------------------

export const listProvinces = (db: Database, ctx: RequestContext, list: ListQuery) =>
  repo.findProvincesPage(db, ctx.user.scope, list);

export const exportProvinces = (db: Database, ctx: RequestContext, q: string | undefined) =>
  repo.findAllProvinces(db, ctx.user.scope, q);

export async function getProvince(db: Database, ctx: RequestContext, id: number) {
  return (await repo.findProvince(db, ctx.user.scope, id)) ?? throwNotFound('استان');
}

export async function createProvince(
  db: Database,
  ctx: RequestContext,
  input: { code: string; name: string },
) {
  requireHq(ctx, hqOnly('تعریف استان'));
  return db.transaction().execute(async (trx) => {
    await assertUniqueCode(trx, 'provinces', input.code, undefined, 'کد استان');
    const { id } = await repo.insertProvince(trx, input);
    const after = await repo.findProvince(trx, ctx.user.scope, id);
    await recordAudit(trx, ctx, { entity: 'province', entityId: id, action: 'create', after });
    return after!;
  });
}

export async function updateProvince(
  db: Database,
  ctx: RequestContext,
  id: number,
  input: { code?: string | undefined; name?: string | undefined; version: number },
) {
  return db.transaction().execute(async (trx) => {
    const before = (await repo.findProvince(trx, ctx.user.scope, id)) ?? throwNotFound('استان');
    requireHq(ctx, hqOnly('ویرایش استان'));
    if (input.code !== undefined) await assertUniqueCode(trx, 'provinces', input.code, id, 'کد استان');
    const { version, ...values } = input;
    if (!(await repo.updateProvince(trx, id, version, stripUndefined(values)))) throw staleEdit();
    const after = await repo.findProvince(trx, ctx.user.scope, id);
    await recordAudit(trx, ctx, { entity: 'province', entityId: id, action: 'update', before, after });
    return after!;
  });
}

export async function deleteProvinces(db: Database, ctx: RequestContext, ids: number[]) {
  await db.transaction().execute(async (trx) => {
    await assertAllVisible(ids, (id) => repo.findProvince(trx, ctx.user.scope, id), 'استان');
    requireHq(ctx, hqOnly('حذف استان'));
    const used = (await repo.findProvinceUsage(trx, ids)).filter((u) => u.branches > 0 || u.users > 0);
    if (used.length > 0) {
      const reasons = used.map(
        (u) => `استان ${u.code}: ${describeCounts({ شعبه: u.branches, کاربر: u.users })}`,
      );
      throw new AppError(
        'in_use',
        `حذف انجام نشد؛ این استان‌ها هنوز استفاده می‌شوند — ${reasons.join('؛ ')}`,
        undefined,
        { in_use: used },
      );
    }
    for (const row of await repo.deleteProvinces(trx, ids)) {
      await recordAudit(trx, ctx, { entity: 'province', entityId: row.id, action: 'delete', before: row });
    }
  });
}

// ---- branches --------------------------------------------------------------------------------

export const listBranches = (
  db: Database,
  ctx: RequestContext,
  list: ListQuery & { province_id?: number | undefined },
) => repo.findBranchesPage(db, ctx.user.scope, list);

export const exportBranches = (
  db: Database,
  ctx: RequestContext,
  filter: { q?: string | undefined; province_id?: number | undefined },
) => repo.findAllBranches(db, ctx.user.scope, filter);

export async function getBranch(db: Database, ctx: RequestContext, id: number) {
  return (await repo.findBranch(db, ctx.user.scope, id)) ?? throwNotFound('شعبه');
}

export async function createBranch(db: Database, ctx: RequestContext, input: BranchInput) {
  return db.transaction().execute(async (trx) => {
    await checkBranchFields(trx, ctx, undefined, input);
    const { id } = await repo.insertBranch(trx, input);
    const after = await repo.findBranch(trx, { kind: 'hq' }, id);
    await recordAudit(trx, ctx, { entity: 'branch', entityId: id, action: 'create', after });
    return after!;
  });
}

export async function updateBranch(
  db: Database,
  ctx: RequestContext,
  id: number,
  input: Partial<BranchInput> & { version: number },
) {
  return db.transaction().execute(async (trx) => {
    const before = (await repo.findBranch(trx, ctx.user.scope, id)) ?? throwNotFound('شعبه');
    const { version, ...changes } = input;
    const merged = { ...before, ...stripUndefined(changes) };
    await checkBranchFields(trx, ctx, id, merged);
    if (!(await repo.updateBranch(trx, id, version, stripUndefined(changes)))) throw staleEdit();
    const after = await repo.findBranch(trx, { kind: 'hq' }, id);
    await recordAudit(trx, ctx, { entity: 'branch', entityId: id, action: 'update', before, after });
    return after!;
  });
}

export async function deleteBranches(db: Database, ctx: RequestContext, ids: number[]) {
  await db.transaction().execute(async (trx) => {
    await assertAllVisible(ids, (id) => repo.findBranch(trx, ctx.user.scope, id), 'شعبه');
    const used = (await repo.findBranchUsage(trx, ids)).filter((u) => u.users > 0 || u.sub_branches > 0);
    if (used.length > 0) {
      const reasons = used.map(
        (u) => `شعبه ${u.code}: ${describeCounts({ کاربر: u.users, زیرشعبه: u.sub_branches })}`,
      );
      throw new AppError(
        'in_use',
        `حذف انجام نشد؛ این شعبه‌ها هنوز استفاده می‌شوند — ${reasons.join('؛ ')}`,
        undefined,
        { in_use: used },
      );
    }
    for (const row of await repo.deleteBranches(trx, ids)) {
      await recordAudit(trx, ctx, { entity: 'branch', entityId: row.id, action: 'delete', before: row });
    }
  });
}

async function checkBranchFields(
  trx: Executor,
  ctx: RequestContext,
  id: number | undefined,
  input: { code: string; province_id: number; parent_id: number | null; ip: string | null },
) {
  await assertUniqueCode(trx, 'branches', input.code, id, 'کد شعبه');
  if (!(await repo.findProvince(trx, ctx.user.scope, input.province_id))) {
    throw invalidField('province_id', 'استان انتخاب‌شده یافت نشد یا خارج از حوزه دسترسی شماست');
  }
  // A branch user may edit its own branches (address, IP) but not create new ones.
  if (ctx.user.scope.kind === 'branch' && id === undefined) {
    throw new AppError('forbidden', 'کاربر شعبه نمی‌تواند شعبه تعریف کند');
  }
  if (input.parent_id !== null) {
    const parent = await repo.findBranch(trx, ctx.user.scope, input.parent_id);
    if (!parent) throw invalidField('parent_id', 'شعبه مادر یافت نشد');
    if (parent.province_id !== input.province_id)
      throw invalidField('parent_id', 'شعبه مادر باید در همان استان باشد');
    if (id !== undefined && (await repo.wouldCreateCycle(trx, id, input.parent_id))) {
      throw invalidField('parent_id', 'شعبه نمی‌تواند زیرشعبه خودش یا زیرشعبه‌های خودش باشد');
    }
  }
  if (input.ip !== null && !isValidIpRule(input.ip)) {
    throw invalidField(
      'ip',
      'IP باید یک نشانی معتبر (مانند 10.1.2.3) یا یک محدوده CIDR (مانند 10.1.2.0/24) باشد',
    );
  }
}

// ---- shared ----------------------------------------------------------------------------------

async function assertUniqueCode(
  trx: Executor,
  table: 'provinces' | 'branches',
  code: string,
  exceptId: number | undefined,
  label: string,
) {
  let q = trx.selectFrom(table).select('id').where('code', '=', code);
  if (exceptId !== undefined) q = q.where('id', '<>', exceptId);
  if (await q.executeTakeFirst()) throw new AppError('conflict', `${label} ${code} قبلاً ثبت شده است`, 'code');
}

/** Every id must be visible in the user's scope; one outside it answers 404 as if it did not exist. */
async function assertAllVisible(ids: number[], find: (id: number) => Promise<unknown>, what: string) {
  for (const id of ids) if (!(await find(id))) throwNotFound(what);
}

function throwNotFound(what: string): never {
  throw notFound(what);
}

function describeCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([label, n]) => `${toPersianDigits(n)} ${label}`)
    .join('، ');
}

function stripUndefined<T extends object>(values: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as never;
}
