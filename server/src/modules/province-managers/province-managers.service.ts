import type { ListQuery } from '@vosul/common';
import type { ProvinceManager, ProvinceManagerInput } from '@vosul/common/province-managers';
import type { Database, Executor } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/auth/context.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, notFound, staleEdit } from '../../platform/errors.js';
import { recordedExport } from '../../platform/export-log.js';
import * as repo from './province-managers.repository.js';

const ENTITY = 'province_manager';

/**
 * V7. HQ keeps every province's manager; a province user only their own province's (another
 * province is out of sight: 404). A branch user has no business here even when a group grants it.
 */
function assertNotBranch(ctx: RequestContext) {
  if (ctx.user.scope.kind === 'branch')
    throw new AppError('forbidden', 'اطلاعات مدیر استان فقط در دسترس کاربران ستاد و استان است');
}

type Row = NonNullable<Awaited<ReturnType<typeof repo.findManager>>>;
const toManager = (row: Row): ProvinceManager => ({
  ...row,
  version: Number(row.version),
  updated_at: row.updated_at ? new Date(row.updated_at).toISOString() : null,
});

export async function listManagers(db: Database, ctx: RequestContext, list: ListQuery) {
  assertNotBranch(ctx);
  const page = await repo.findManagersPage(db, ctx.user.scope, list);
  return { ...page, items: page.items.map(toManager) };
}

/** The list as the page shows it (search and sort), recorded in the export log. */
export async function exportManagers(db: Database, ctx: RequestContext, list: ListQuery) {
  assertNotBranch(ctx);
  const { page: _p, page_size: _s, ...filter } = list;
  const rows = await repo.findAllManagers(db, ctx.user.scope, filter);
  return recordedExport(db, ctx, { name: 'province_managers', filter }, rows.map(toManager));
}

export async function getManager(db: Executor, ctx: RequestContext, provinceId: number) {
  assertNotBranch(ctx);
  const row = await repo.findManager(db, ctx.user.scope, provinceId);
  if (!row) throw notFound('استان');
  return toManager(row);
}

/** Records or changes the province's manager (version 0: the first), audited with before and after. */
export async function saveManager(
  db: Database,
  ctx: RequestContext,
  provinceId: number,
  input: ProvinceManagerInput,
) {
  assertNotBranch(ctx);
  return db.transaction().execute(async (trx) => {
    const before = await getManager(trx, ctx, provinceId);
    const { version, ...fields } = input;
    const values: repo.ManagerValues = {
      ...fields,
      updated_by: ctx.user.id,
      updated_by_name: `${ctx.user.firstName} ${ctx.user.lastName}`.trim() || ctx.user.username,
    };
    const saved =
      version === 0
        ? await repo.insertManager(trx, provinceId, values)
        : await repo.updateManager(trx, provinceId, version, values);
    if (!saved) throw staleEdit();
    const after = await getManager(trx, ctx, provinceId);
    await recordAudit(trx, ctx, {
      entity: ENTITY,
      entityId: provinceId,
      action: version === 0 ? 'create' : 'update',
      ...(version === 0 ? {} : { before: managerFields(before) }),
      after: managerFields(after),
    });
    return after;
  });
}

/** What the audit keeps of a manager: the fields people change, not the mail log. */
const managerFields = (m: ProvinceManager) => ({
  province: m.province_name,
  manager_name: m.manager_name,
  email: m.email,
  mobile: m.mobile,
  daily_mail: m.daily_mail,
});
