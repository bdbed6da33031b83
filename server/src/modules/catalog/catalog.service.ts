import { toPersianDigits, type CatalogInput, type ListQuery } from '@vosul/common';
import type { Database, Executor } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/auth/context.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, notFound, staleEdit } from '../../platform/errors.js';
import * as repo from './catalog.repository.js';
import { hqOnly, requireHq } from '../../platform/auth/guard.js';

/** One catalog (V12 loan types, V31 deposit types): its table, audit entity, Persian names and usage check. */
export interface CatalogKind {
  table: repo.CatalogTableName;
  entity: 'loan_type' | 'deposit_type';
  /** «نوع وام» */
  label: string;
  /** «انواع وام» */
  pluralLabel: string;
  codeLabel: string;
  findUsage(db: Executor, ids: number[]): Promise<repo.CatalogUsage[]>;
}

export const LOAN_TYPES: CatalogKind = {
  table: 'loan_types',
  entity: 'loan_type',
  label: 'نوع وام',
  pluralLabel: 'انواع وام',
  codeLabel: 'کد نوع وام',
  findUsage: repo.findLoanTypeUsage,
};

export const DEPOSIT_TYPES: CatalogKind = {
  table: 'deposit_types',
  entity: 'deposit_type',
  label: 'نوع سپرده',
  pluralLabel: 'انواع سپرده',
  codeLabel: 'کد نوع سپرده',
  findUsage: repo.findDepositTypeUsage,
};

export const listCatalog = (db: Database, _ctx: RequestContext, kind: CatalogKind, list: ListQuery) =>
  repo.findCatalogPage(db, kind.table, list);

export const exportCatalog = (db: Database, _ctx: RequestContext, kind: CatalogKind, list: ListQuery) =>
  repo.findAllCatalog(db, kind.table, list);

export async function getCatalogItem(db: Database, _ctx: RequestContext, kind: CatalogKind, id: number) {
  return (await repo.findCatalogItem(db, kind.table, id)) ?? throwNotFound(kind);
}

/**
 * The catalogs are bank-wide (the core banking system's codes), so only HQ users change them;
 * any user with the page reads them.
 */
export async function createCatalogItem(
  db: Database,
  ctx: RequestContext,
  kind: CatalogKind,
  input: CatalogInput,
) {
  requireHq(ctx, hqOnly(`تعریف ${kind.label}`));
  return db.transaction().execute(async (trx) => {
    await assertUniqueCode(trx, kind, input.code, undefined);
    const { id } = await repo.insertCatalogItem(trx, kind.table, input);
    const after = await repo.findCatalogItem(trx, kind.table, id);
    await recordAudit(trx, ctx, { entity: kind.entity, entityId: id, action: 'create', after });
    return after!;
  });
}

export async function updateCatalogItem(
  db: Database,
  ctx: RequestContext,
  kind: CatalogKind,
  id: number,
  input: Partial<CatalogInput> & { version: number },
) {
  return db.transaction().execute(async (trx) => {
    const before = (await repo.findCatalogItem(trx, kind.table, id)) ?? throwNotFound(kind);
    requireHq(ctx, hqOnly(`ویرایش ${kind.label}`));
    const { version, ...changes } = input;
    const values = stripUndefined(changes);
    if (values.code !== undefined) await assertUniqueCode(trx, kind, values.code, id);
    if (!(await repo.updateCatalogItem(trx, kind.table, id, version, values))) throw staleEdit();
    const after = await repo.findCatalogItem(trx, kind.table, id);
    await recordAudit(trx, ctx, { entity: kind.entity, entityId: id, action: 'update', before, after });
    return after!;
  });
}

/** Multi-select delete: all or nothing; an unknown id is 404, a record still in use refuses the whole delete (409). */
export async function deleteCatalogItems(
  db: Database,
  ctx: RequestContext,
  kind: CatalogKind,
  ids: number[],
) {
  await db.transaction().execute(async (trx) => {
    for (const id of ids) if (!(await repo.findCatalogItem(trx, kind.table, id))) throwNotFound(kind);
    requireHq(ctx, hqOnly(`حذف ${kind.label}`));
    const used = (await kind.findUsage(trx, ids)).filter((u) => u.uses.some((x) => x.count > 0));
    if (used.length > 0) {
      const reasons = used.map(
        (u) =>
          `${kind.label} ${u.code}: ${u.uses
            .filter((x) => x.count > 0)
            .map((x) => `${toPersianDigits(x.count)} ${x.what}`)
            .join('، ')}`,
      );
      throw new AppError(
        'in_use',
        `حذف انجام نشد؛ این ${kind.pluralLabel} هنوز استفاده می‌شوند — ${reasons.join('؛ ')}`,
        undefined,
        { in_use: used },
      );
    }
    for (const row of await repo.deleteCatalogItems(trx, kind.table, ids)) {
      await recordAudit(trx, ctx, { entity: kind.entity, entityId: row.id, action: 'delete', before: row });
    }
  });
}

async function assertUniqueCode(
  trx: Executor,
  kind: CatalogKind,
  code: string,
  exceptId: number | undefined,
) {
  if (await repo.findCatalogIdByCode(trx, kind.table, code, exceptId)) {
    throw new AppError('conflict', `${kind.codeLabel} ${code} قبلاً ثبت شده است`, 'code');
  }
}

function throwNotFound(kind: CatalogKind): never {
  throw notFound(kind.label);
}

function stripUndefined<T extends object>(values: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as never;
}
