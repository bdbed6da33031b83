import {
  isPageKey,
  MENU_SECTIONS,
  PAGES,
  toPersianDigits,
  type Group,
  type GroupInput,
  type ListQuery,
  type MenuSection,
  type PageCatalog,
  type PageKey,
} from '@vosul/common';
import type { Database, Executor } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/auth/context.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, notFound, staleEdit } from '../../platform/errors.js';
import * as repo from './groups.repository.js';
import { hqOnly, requireHq } from '../../platform/auth/guard.js';

type GroupRow = Awaited<ReturnType<typeof repo.findAllGroups>>[number];

/** The pages of `pages` that `ctx`'s user does not hold (granting those would be an escalation). */
export function pagesBeyond(ctx: RequestContext, pages: readonly string[]): string[] {
  return pages.filter((p) => !ctx.user.pages.has(p as PageKey));
}

function toGroup(ctx: RequestContext, row: GroupRow): Group {
  const pages = row.pages.filter(isPageKey);
  return {
    id: row.id,
    code: row.code,
    title: row.title,
    predefined: row.code !== null,
    pages,
    needs_approval: row.needs_approval,
    user_count: row.user_count,
    grantable: pagesBeyond(ctx, pages).length === 0,
    version: row.version,
  };
}

// ---- reads -----------------------------------------------------------------------------------

export async function listGroups(
  db: Database,
  ctx: RequestContext,
  list: ListQuery & { grantable: boolean },
) {
  const page = await repo.findGroupsPage(db, list, list.grantable ? [...ctx.user.pages] : undefined);
  return { items: page.items.map((row) => toGroup(ctx, row)), total: page.total };
}

export async function exportGroups(db: Database, ctx: RequestContext, q: string | undefined) {
  return (await repo.findAllGroups(db, q)).map((row) => toGroup(ctx, row));
}

export async function getGroup(db: Executor, ctx: RequestContext, id: number): Promise<Group> {
  const row = await repo.findGroup(db, id);
  if (!row) throw notFound('گروه دسترسی');
  return toGroup(ctx, row);
}

/** The page catalogue by menu section, each page marked with whether the caller may grant it. */
export function pageCatalog(ctx: RequestContext): PageCatalog {
  const sections = Object.entries(MENU_SECTIONS) as [MenuSection, string][];
  return {
    sections: sections.map(([key, title]) => ({
      key,
      title,
      pages: PAGES.filter((p) => p.section === key).map((p) => ({
        key: p.key,
        title: p.title,
        grantable: ctx.user.pages.has(p.key),
      })),
    })),
  };
}

// ---- writes ----------------------------------------------------------------------------------

export async function createGroup(db: Database, ctx: RequestContext, input: GroupInput): Promise<Group> {
  requireHq(ctx, groupsHqOnly('تعریف گروه دسترسی'));
  assertGrantablePages(ctx, input.pages);
  return db.transaction().execute(async (trx) => {
    await assertUniqueTitle(trx, input.title, undefined);
    const { id } = await repo.insertGroup(trx, input.title, input.needs_approval ?? false);
    await repo.replaceGroupPages(trx, id, input.pages);
    const after = await getGroup(trx, ctx, id);
    await recordAudit(trx, ctx, {
      entity: 'access_group',
      entityId: id,
      action: 'create',
      after: auditView(after),
    });
    return after;
  });
}

export async function updateGroup(
  db: Database,
  ctx: RequestContext,
  id: number,
  input: Partial<GroupInput> & { version: number },
): Promise<Group> {
  return db.transaction().execute(async (trx) => {
    const before = await getGroup(trx, ctx, id);
    requireHq(ctx, groupsHqOnly('ویرایش گروه دسترسی'));
    // Neither the group as it is nor as it would be may hold a page the editor lacks.
    assertGrantablePages(ctx, before.pages);
    if (input.pages) assertGrantablePages(ctx, input.pages);
    if (input.title !== undefined) await assertUniqueTitle(trx, input.title, id);
    const values = {
      ...(input.title === undefined ? {} : { title: input.title }),
      ...(input.needs_approval === undefined ? {} : { needs_approval: input.needs_approval }),
    };
    if (!(await repo.updateGroup(trx, id, input.version, values))) throw staleEdit();
    if (input.pages) await repo.replaceGroupPages(trx, id, input.pages);
    const after = await getGroup(trx, ctx, id);
    await recordAudit(trx, ctx, {
      entity: 'access_group',
      entityId: id,
      action: 'update',
      before: auditView(before),
      after: auditView(after),
    });
    return after;
  });
}

/**
 * V2: a group is deleted only when no user holds it; predefined groups never. Any refusal leaves
 * the whole selection in place (409 naming the groups and the reason).
 */
export async function deleteGroups(db: Database, ctx: RequestContext, ids: number[]): Promise<void> {
  requireHq(ctx, groupsHqOnly('حذف گروه دسترسی'));
  await db.transaction().execute(async (trx) => {
    const unique = [...new Set(ids)];
    await repo.lockGroups(trx, unique);
    const groups = await repo.findGroupsByIds(trx, unique);
    if (groups.length !== unique.length) throw notFound('گروه دسترسی');
    const predefined = groups.filter((g) => g.code !== null);
    if (predefined.length > 0) {
      throw new AppError(
        'conflict',
        `گروه‌های پیش‌فرض سامانه حذف‌شدنی نیستند (فقط ویرایش می‌شوند): ${predefined.map((g) => `«${g.title}»`).join('، ')}`,
        undefined,
        { predefined: predefined.map((g) => ({ id: g.id, title: g.title })) },
      );
    }
    const held = groups.filter((g) => g.user_count > 0);
    if (held.length > 0) {
      const reasons = held.map((g) => `«${g.title}» در اختیار ${toPersianDigits(g.user_count)} کاربر است`);
      throw new AppError('in_use', `حذف انجام نشد؛ ${reasons.join('؛ ')}`, undefined, {
        in_use: held.map((g) => ({ id: g.id, title: g.title, users: g.user_count })),
      });
    }
    for (const g of groups) assertGrantablePages(ctx, g.pages);
    await repo.deleteGroups(trx, unique);
    for (const g of groups) {
      await recordAudit(trx, ctx, {
        entity: 'access_group',
        entityId: g.id,
        action: 'delete',
        before: auditView(toGroup(ctx, g)),
      });
    }
  });
}

// ---- rules shared with users -------------------------------------------------------------------

/** Refuses (403) pages the caller does not hold: nobody grants more than they have. */
export function assertGrantablePages(ctx: RequestContext, pages: readonly string[]): void {
  const beyond = pagesBeyond(ctx, pages);
  if (beyond.length > 0) {
    const titles = beyond.map((key) => PAGES.find((p) => p.key === key)?.title ?? key);
    throw new AppError(
      'forbidden',
      `شما به این صفحات دسترسی ندارید و نمی‌توانید آن‌ها را واگذار کنید: ${titles.join('، ')}`,
      'pages',
    );
  }
}

async function assertUniqueTitle(trx: Executor, title: string, exceptId: number | undefined) {
  if (await repo.findGroupIdByTitle(trx, title, exceptId)) {
    throw new AppError('conflict', `گروه دسترسی با عنوان «${title}» قبلاً ثبت شده است`, 'title');
  }
}

/** Groups are shared by the whole organisation: only HQ defines them. */
const groupsHqOnly = (action: string) => `${hqOnly(action)}؛ گروه‌ها در همه سازمان مشترک‌اند`;

function auditView(group: Group) {
  return {
    id: group.id,
    code: group.code,
    title: group.title,
    pages: group.pages,
    needs_approval: group.needs_approval,
    version: group.version,
  };
}
