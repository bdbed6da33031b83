import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import {
  PHOTO_MAX_BYTES,
  USERNAME_PATTERN,
  type User,
  type UserCreateInput,
  type UserListQuery,
  type UserUpdateInput,
} from '@vosul/common';
import type { Database, Executor } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/auth/context.js';
import { deleteUserSessions } from '../../platform/auth/sessions.repository.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, invalidField, notFound, staleEdit } from '../../platform/errors.js';
import { recordedExport } from '../../platform/export-log.js';
import { checkPasswordRules, hashPassword } from '../../platform/passwords.js';
import * as groupsRepo from './groups.repository.js';
import { assertGrantablePages } from './groups.service.js';
import { sniffImageType } from './photo.js';
import * as repo from './users.repository.js';

const HQ = { kind: 'hq' } as const;

function toUser(row: repo.UserRow): User {
  return { ...row, groups: row.groups ?? [] };
}

// ---- reads -----------------------------------------------------------------------------------

export async function listUsers(db: Database, ctx: RequestContext, list: UserListQuery) {
  const page = await repo.findUsersPage(db, ctx.user.scope, list);
  return { items: page.items.map(toUser), total: page.total };
}

/** The filtered list for Excel; the export itself is recorded (B7: personal data). */
export async function exportUsers(
  db: Database,
  ctx: RequestContext,
  filter: Omit<UserListQuery, 'page' | 'page_size'>,
) {
  const rows = (await repo.findAllUsers(db, ctx.user.scope, filter)).map(toUser);
  return recordedExport(
    db,
    ctx,
    {
      name: 'users',
      filter: {
        q: filter.q,
        branch_id: filter.branch_id,
        province_id: filter.province_id,
        group_id: filter.group_id,
      },
    },
    rows,
  );
}

export async function getUser(db: Executor, ctx: RequestContext, id: number): Promise<User> {
  const row = await repo.findUser(db, ctx.user.scope, id);
  if (!row) throw notFound('کاربر');
  return toUser(row);
}

// ---- the rules of who may create and manage whom ------------------------------------------------

/**
 * Where a new or moved user sits, checked against the caller's scope: a branch (which brings its
 * province), a province (no branch) or HQ (neither). Nobody places a user outside their own scope.
 */
export async function resolvePlace(
  trx: Executor,
  ctx: RequestContext,
  place: { branch_id: number | null; province_id: number | null },
  labels: { branch: string; province: string } = { branch: 'branch_id', province: 'province_id' },
): Promise<{ branch_id: number | null; province_id: number | null }> {
  const scope = ctx.user.scope;
  if (place.branch_id !== null) {
    const branch = await repo.findBranchInScope(trx, scope, { id: place.branch_id });
    if (!branch) throw invalidField(labels.branch, 'شعبه انتخاب‌شده یافت نشد یا خارج از حوزه دسترسی شماست');
    if (place.province_id !== null && place.province_id !== branch.province_id) {
      throw invalidField(labels.province, 'استان انتخاب‌شده با استان شعبه یکی نیست');
    }
    return { branch_id: branch.id, province_id: branch.province_id };
  }
  if (scope.kind === 'branch') {
    throw invalidField(
      labels.branch,
      'شعبه کاربر را انتخاب کنید؛ شما فقط کاربران شعبه خود و زیرشعبه‌های آن را تعریف می‌کنید',
    );
  }
  if (place.province_id !== null) {
    const province = await repo.findProvinceInScope(trx, scope, { id: place.province_id });
    if (!province)
      throw invalidField(labels.province, 'استان انتخاب‌شده یافت نشد یا خارج از حوزه دسترسی شماست');
    return { branch_id: null, province_id: province.id };
  }
  if (scope.kind === 'province') {
    throw invalidField(
      labels.branch,
      'شعبه یا استان کاربر را انتخاب کنید؛ تعریف کاربر ستاد فقط برای کاربران ستاد مجاز است',
    );
  }
  return { branch_id: null, province_id: null };
}

/** The groups to grant: each must exist and hold only pages the caller holds (no escalation). */
export async function resolveGroups(
  trx: Executor,
  ctx: RequestContext,
  groupIds: readonly number[],
  field = 'group_ids',
) {
  const ids = [...new Set(groupIds)];
  const groups = await groupsRepo.findGroupsByIds(trx, ids);
  if (groups.length !== ids.length) throw invalidField(field, 'گروه دسترسی انتخاب‌شده یافت نشد');
  for (const group of groups) {
    try {
      assertGrantablePages(ctx, group.pages);
    } catch (error) {
      if (error instanceof AppError)
        throw new AppError('forbidden', `گروه «${group.title}»: ${error.message}`, field);
      throw error;
    }
  }
  return groups;
}

/**
 * Nobody manages (edits, resets the password of, deletes) a user who holds a page they do not:
 * otherwise a branch manager could take over a stronger account placed in their branch.
 */
async function assertCanManage(
  trx: Executor,
  ctx: RequestContext,
  users: readonly { id: number; username: string }[],
) {
  const pages = await repo.findUserPages(
    trx,
    users.map((u) => u.id),
  );
  for (const user of users) {
    const beyond = (pages.get(user.id) ?? []).filter((p) => !ctx.user.pages.has(p as never));
    if (beyond.length > 0) {
      throw new AppError(
        'forbidden',
        `کاربر ${user.username} دسترسی‌هایی بیش از دسترسی شما دارد و مدیریت او برای شما مجاز نیست`,
      );
    }
  }
}

async function assertUsernameFree(trx: Executor, username: string, exceptId?: number) {
  if (await repo.findUserIdByUsername(trx, username, exceptId)) {
    throw new AppError('conflict', `نام کاربری ${username} قبلاً ثبت شده است`, 'username');
  }
}

/** Everything a new user's fields must pass besides their shape (the Zod schema): the same for the form and the wizard. */
export async function checkNewUser(trx: Executor, ctx: RequestContext, input: UserCreateInput) {
  checkPasswordRules(input.password, input.username);
  await assertUsernameFree(trx, input.username);
  const groups = await resolveGroups(trx, ctx, input.group_ids);
  const place = await resolvePlace(trx, ctx, input);
  return { groups, place };
}

/** Inserts a checked user with their groups, and audits it; the password is already hashed. */
export async function insertCheckedUser(
  trx: Executor,
  ctx: RequestContext,
  input: UserCreateInput,
  checked: Awaited<ReturnType<typeof checkNewUser>>,
  passwordHash: string,
): Promise<User> {
  const { id } = await repo.insertUser(trx, {
    username: input.username,
    password_hash: passwordHash,
    first_name: input.first_name,
    last_name: input.last_name,
    user_type: input.user_type,
    gender: input.gender,
    branch_id: checked.place.branch_id,
    province_id: checked.place.province_id,
    personnel_code: input.personnel_code,
    national_code: input.national_code,
    birth_cert_no: input.birth_cert_no,
    phones: input.phones,
    mobile: input.mobile,
    email: input.email,
    address: input.address,
  });
  await repo.replaceUserGroups(
    trx,
    id,
    checked.groups.map((g) => g.id),
  );
  const after = await getUser(trx, { ...ctx, user: { ...ctx.user, scope: HQ } }, id);
  await recordAudit(trx, ctx, { entity: 'user', entityId: id, action: 'create', after });
  return after;
}

// ---- writes ----------------------------------------------------------------------------------

export async function createUser(db: Database, ctx: RequestContext, input: UserCreateInput): Promise<User> {
  // Hashing is slow (argon2): fail fast before it, then check again inside the transaction.
  await checkNewUser(db, ctx, input);
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    const checked = await checkNewUser(trx, ctx, input);
    return insertCheckedUser(trx, ctx, input, checked, passwordHash);
  });
}

export async function updateUser(
  db: Database,
  ctx: RequestContext,
  id: number,
  input: UserUpdateInput,
): Promise<User> {
  return db.transaction().execute(async (trx) => {
    const before = await getUser(trx, ctx, id);
    await assertCanManage(trx, ctx, [before]);
    const { version, group_ids, branch_id, province_id, ...fields } = input;
    const values: Partial<repo.UserValues> = stripUndefined(fields);
    if (values.username !== undefined) await assertUsernameFree(trx, values.username, id);
    const groups = group_ids === undefined ? undefined : await resolveGroups(trx, ctx, group_ids);
    if (branch_id !== undefined || province_id !== undefined) {
      const place = await resolvePlace(trx, ctx, {
        branch_id: branch_id === undefined ? before.branch_id : branch_id,
        province_id:
          province_id === undefined ? (branch_id === null ? before.province_id : null) : province_id,
      });
      values.branch_id = place.branch_id;
      values.province_id = place.province_id;
    }
    if (!(await repo.updateUser(trx, id, version, values))) throw staleEdit();
    if (groups)
      await repo.replaceUserGroups(
        trx,
        id,
        groups.map((g) => g.id),
      );
    const after = await getUser(trx, { ...ctx, user: { ...ctx.user, scope: HQ } }, id);
    await recordAudit(trx, ctx, { entity: 'user', entityId: id, action: 'update', before, after });
    return after;
  });
}

/** V3 multi-delete: all or nothing; nobody deletes themselves; their sessions end with them. */
export async function deleteUsers(db: Database, ctx: RequestContext, ids: number[]): Promise<void> {
  const unique = [...new Set(ids)];
  if (unique.includes(ctx.user.id)) {
    throw new AppError('conflict', 'شما نمی‌توانید حساب کاربری خودتان را حذف کنید');
  }
  await db.transaction().execute(async (trx) => {
    const users: User[] = [];
    for (const id of unique) users.push(await getUser(trx, ctx, id));
    await assertCanManage(trx, ctx, users);
    for (const id of unique) await deleteUserSessions(trx, id);
    const deleted = await repo.deleteUsers(trx, unique);
    await repo.deleteStoredFiles(
      trx,
      deleted.flatMap((d) => (d.photo_file_id ? [d.photo_file_id] : [])),
    );
    for (const user of users) {
      await recordAudit(trx, ctx, { entity: 'user', entityId: user.id, action: 'delete', before: user });
    }
  });
}

/** V4: an administrator sets a user's password; every session of that user ends (but the caller's own). */
export async function setUserPassword(
  db: Database,
  ctx: RequestContext,
  id: number,
  newPassword: string,
  callerTokenHash: string | null,
): Promise<void> {
  const target = await getUser(db, ctx, id);
  await assertCanManage(db, ctx, [target]);
  checkPasswordRules(newPassword, target.username, 'new_password');
  const passwordHash = await hashPassword(newPassword);
  await db.transaction().execute(async (trx) => {
    await repo.updatePasswordHash(trx, id, passwordHash);
    await deleteUserSessions(trx, id, id === ctx.user.id ? (callerTokenHash ?? undefined) : undefined);
    await recordAudit(trx, ctx, {
      entity: 'user',
      entityId: id,
      action: 'update',
      before: { username: target.username },
      after: { username: target.username, password: 'set by administrator' },
    });
  });
}

// ---- photo -----------------------------------------------------------------------------------

/** Stores a user's photo: JPEG, PNG or WebP by its bytes (not its name or declared type), ≤ 1 MB. */
export async function putUserPhoto(
  db: Database,
  ctx: RequestContext,
  id: number,
  content: Buffer,
): Promise<User> {
  const target = await getUser(db, ctx, id);
  await assertCanManage(db, ctx, [target]);
  if (content.length > PHOTO_MAX_BYTES) throw photoTooLarge();
  const mediaType = sniffImageType(content);
  if (!mediaType) {
    throw new AppError(
      'unsupported_media',
      'فایل انتخاب‌شده تصویر نیست؛ فقط تصویر JPEG، PNG یا WebP پذیرفته می‌شود',
      'photo',
    );
  }
  return db.transaction().execute(async (trx) => {
    const old = await repo.findPhotoFileId(trx, id);
    const sha256 = createHash('sha256').update(content).digest('hex');
    const file = await repo.insertStoredFile(trx, {
      media_type: mediaType,
      byte_size: content.length,
      sha256,
      content,
    });
    await repo.setPhotoFileId(trx, id, file.id);
    if (old?.photo_file_id) await repo.deleteStoredFiles(trx, [old.photo_file_id]);
    await recordAudit(trx, ctx, {
      entity: 'user',
      entityId: id,
      action: 'update',
      before: { photo_file_id: old?.photo_file_id ?? null },
      after: { photo_file_id: file.id, media_type: mediaType, byte_size: content.length, sha256 },
    });
    return getUser(trx, ctx, id);
  });
}

export const photoTooLarge = () => new AppError('payload_too_large', 'حجم عکس حداکثر ۱ مگابایت است', 'photo');

export async function getUserPhoto(db: Database, ctx: RequestContext, id: number) {
  await getUser(db, ctx, id);
  const ref = await repo.findPhotoFileId(db, id);
  const file = ref?.photo_file_id ? await repo.findStoredFile(db, ref.photo_file_id) : undefined;
  if (!file) throw notFound('عکس کاربر');
  return file;
}

export async function deleteUserPhoto(db: Database, ctx: RequestContext, id: number): Promise<void> {
  const target = await getUser(db, ctx, id);
  await assertCanManage(db, ctx, [target]);
  await db.transaction().execute(async (trx) => {
    const old = await repo.findPhotoFileId(trx, id);
    if (!old?.photo_file_id) return;
    await repo.setPhotoFileId(trx, id, null);
    await repo.deleteStoredFiles(trx, [old.photo_file_id]);
    await recordAudit(trx, ctx, {
      entity: 'user',
      entityId: id,
      action: 'update',
      before: { photo_file_id: old.photo_file_id },
      after: { photo_file_id: null },
    });
  });
}

// ---- command line ------------------------------------------------------------------------------

/** `vosul user add`: a user in the given groups (code or title), at a branch or at HQ. */
export async function createUserFromCli(
  db: Database,
  input: { username: string; password: string; groups: string[]; branchCode: string | undefined },
): Promise<{ id: number; username: string }> {
  const username = input.username.trim();
  if (username.length < 3 || username.length > 50 || !USERNAME_PATTERN.test(username)) {
    throw new AppError(
      'validation_failed',
      'username: 3–50 Latin letters, digits, ".", "_" or "-"',
      'username',
    );
  }
  checkPasswordRules(input.password, username);
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    const groups = await trx
      .selectFrom('access_groups')
      .select(['id', 'code', 'title'])
      .where((eb) => eb.or([eb('code', 'in', input.groups), eb('title', 'in', input.groups)]))
      .execute();
    const missing = input.groups.filter((g) => !groups.some((row) => row.code === g || row.title === g));
    if (missing.length > 0)
      throw new AppError('validation_failed', `unknown group: ${missing.join(', ')}`, 'group');
    let branch: { id: number; province_id: number } | undefined;
    if (input.branchCode) {
      branch = await repo.findBranchInScope(trx, HQ, { code: input.branchCode });
      if (!branch) throw new AppError('validation_failed', `unknown branch: ${input.branchCode}`, 'branch');
    }
    const taken = await trx
      .selectFrom('users')
      .select('id')
      .where(sql`lower(username)`, '=', username.toLowerCase())
      .executeTakeFirst();
    if (taken) throw new AppError('conflict', `username ${username} is taken`, 'username');
    const user = await repo.insertUser(trx, {
      username,
      password_hash: passwordHash,
      first_name: username,
      last_name: '',
      user_type: 'full_time',
      branch_id: branch?.id ?? null,
      province_id: branch?.province_id ?? null,
    });
    await repo.replaceUserGroups(
      trx,
      user.id,
      groups.map((g) => g.id),
    );
    await recordAudit(
      trx,
      { system: 'cli' },
      {
        entity: 'user',
        entityId: user.id,
        action: 'create',
        after: { username, groups: groups.map((g) => g.code ?? g.title), branch: input.branchCode ?? null },
      },
    );
    return user;
  });
}

function stripUndefined<T extends object>(values: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as never;
}
