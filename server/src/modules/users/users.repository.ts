import { sql, type Expression, type SqlBool } from 'kysely';
import { likePattern, USER_TYPES, type UserListQuery } from '@vosul/common';
import type { Executor } from '../../platform/db/database.js';
import type { Scope } from '../../platform/auth/context.js';
import { branchInScope, provinceInScope } from '../../platform/scope.js';
import { fetchPage } from '../../platform/listing.js';
import type { UsersTable } from '../../platform/db/schema.js';

/**
 * The users a scope may see: HQ all; a province user those of its province's branches and the
 * province itself; a branch user those of its branch and sub-branches. HQ users (no branch, no
 * province) are visible to HQ only.
 */
export function userRowInScope(scope: Scope): Expression<SqlBool> {
  switch (scope.kind) {
    case 'hq':
      return sql<SqlBool>`true`;
    case 'province':
      return sql<SqlBool>`(${branchInScope(scope, sql.ref('u.branch_id'))} or (u.branch_id is null and ${provinceInScope(scope, sql.ref('u.province_id'))}))`;
    case 'branch':
      return sql<SqlBool>`coalesce(${branchInScope(scope, sql.ref('u.branch_id'))}, false)`;
  }
}

function usersQuery(db: Executor, scope: Scope) {
  return db
    .selectFrom('users as u')
    .leftJoin('branches as b', 'b.id', 'u.branch_id')
    .leftJoin('provinces as p', (join) =>
      join.on(sql<boolean>`p.id = coalesce(b.province_id, u.province_id)`),
    )
    .select([
      'u.id',
      'u.username',
      'u.first_name',
      'u.last_name',
      'u.user_type',
      'u.gender',
      'u.branch_id',
      'b.code as branch_code',
      'b.name as branch_name',
      sql<number | null>`p.id`.as('province_id'),
      'p.code as province_code',
      'p.name as province_name',
      sql<{ id: number; title: string }[]>`coalesce((
        select json_agg(json_build_object('id', g.id, 'title', g.title) order by g.title)
        from user_groups ug join access_groups g on g.id = ug.group_id
        where ug.user_id = u.id), '[]'::json)`.as('groups'),
      'u.address',
      'u.personnel_code',
      'u.national_code',
      'u.birth_cert_no',
      'u.phones',
      'u.mobile',
      'u.email',
      sql<boolean>`u.photo_file_id is not null`.as('has_photo'),
      'u.is_active',
      'u.version',
    ])
    .where(userRowInScope(scope));
}

type UserFilter = Pick<UserListQuery, 'q' | 'branch_id' | 'province_id' | 'group_id'>;

function filteredUsers(db: Executor, scope: Scope, filter: UserFilter) {
  let query = usersQuery(db, scope);
  if (filter.q) {
    const pattern = likePattern(filter.q);
    // The user type is searchable by its Persian label (تمام وقت / پاره وقت).
    const typeLabel = sql<string>`case u.user_type when 'full_time' then ${USER_TYPES.full_time} else ${USER_TYPES.part_time} end`;
    query = query.where((eb) =>
      eb.or([
        eb('u.username', 'ilike', pattern),
        eb('u.first_name', 'ilike', pattern),
        eb('u.last_name', 'ilike', pattern),
        eb(sql<string>`u.first_name || ' ' || u.last_name`, 'ilike', pattern),
        eb('u.personnel_code', 'ilike', pattern),
        eb('b.code', 'ilike', pattern),
        eb('b.name', 'ilike', pattern),
        eb('p.code', 'ilike', pattern),
        eb('p.name', 'ilike', pattern),
        eb(typeLabel, 'ilike', pattern),
        eb.exists(
          eb
            .selectFrom('user_groups as ug')
            .innerJoin('access_groups as g', 'g.id', 'ug.group_id')
            .select('ug.group_id')
            .whereRef('ug.user_id', '=', 'u.id')
            .where('g.title', 'ilike', pattern),
        ),
      ]),
    );
  }
  if (filter.branch_id) query = query.where('u.branch_id', '=', filter.branch_id);
  if (filter.province_id) query = query.where(sql<SqlBool>`p.id = ${filter.province_id}`);
  if (filter.group_id) {
    const groupId = filter.group_id;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('user_groups as ug')
          .select('ug.group_id')
          .whereRef('ug.user_id', '=', 'u.id')
          .where('ug.group_id', '=', groupId),
      ),
    );
  }
  return query;
}

const USER_SORT = {
  username: 'u.username',
  first_name: 'u.first_name',
  last_name: 'u.last_name',
  user_type: 'u.user_type',
  branch_code: 'b.code',
  branch_name: 'b.name',
  province_code: 'p.code',
  province_name: 'p.name',
  id: 'u.id',
};

export function findUsersPage(db: Executor, scope: Scope, list: UserListQuery) {
  return fetchPage(filteredUsers(db, scope, list), list, USER_SORT, 'username', 'u.id');
}

export function findAllUsers(db: Executor, scope: Scope, filter: UserFilter) {
  return filteredUsers(db, scope, filter).orderBy('u.username').execute();
}

export function findUser(db: Executor, scope: Scope, id: number) {
  return usersQuery(db, scope).where('u.id', '=', id).executeTakeFirst();
}

export type UserRow = NonNullable<Awaited<ReturnType<typeof findUser>>>;

/** The pages a user holds through their groups (for "nobody manages someone stronger"). */
export async function findUserPages(
  db: Executor,
  userIds: readonly number[],
): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return out;
  const rows = await db
    .selectFrom('user_groups as ug')
    .innerJoin('access_group_pages as gp', 'gp.group_id', 'ug.group_id')
    .select(['ug.user_id', 'gp.page_key'])
    .distinct()
    .where('ug.user_id', 'in', [...userIds])
    .execute();
  for (const row of rows) out.get(row.user_id)?.push(row.page_key);
  return out;
}

export function findUserIdByUsername(db: Executor, username: string, exceptId?: number) {
  let q = db
    .selectFrom('users')
    .select('id')
    .where(sql`lower(username)`, '=', username.toLowerCase());
  if (exceptId !== undefined) q = q.where('id', '<>', exceptId);
  return q.executeTakeFirst();
}

export async function findTakenUsernames(db: Executor, usernames: readonly string[]): Promise<Set<string>> {
  if (usernames.length === 0) return new Set();
  const rows = await db
    .selectFrom('users')
    .select(sql<string>`lower(username)`.as('name'))
    .where(
      sql`lower(username)`,
      'in',
      usernames.map((u) => u.toLowerCase()),
    )
    .execute();
  return new Set(rows.map((r) => r.name));
}

// ---- places (branch / province) as the caller's scope sees them ---------------------------------

export function findBranchInScope(db: Executor, scope: Scope, where: { id: number } | { code: string }) {
  const query = db
    .selectFrom('branches as b')
    .select(['b.id', 'b.code', 'b.province_id'])
    .where(branchInScope(scope, sql.ref('b.id')));
  return (
    'id' in where ? query.where('b.id', '=', where.id) : query.where('b.code', '=', where.code)
  ).executeTakeFirst();
}

export function findProvinceInScope(db: Executor, scope: Scope, where: { id: number } | { code: string }) {
  const query = db
    .selectFrom('provinces as p')
    .select(['p.id', 'p.code'])
    .where(provinceInScope(scope, sql.ref('p.id')));
  return (
    'id' in where ? query.where('p.id', '=', where.id) : query.where('p.code', '=', where.code)
  ).executeTakeFirst();
}

/** Every branch the scope sees, with its province (the wizard template's guide sheet). */
export function findBranchListInScope(db: Executor, scope: Scope) {
  return db
    .selectFrom('branches as b')
    .innerJoin('provinces as p', 'p.id', 'b.province_id')
    .select(['b.code', 'b.name', 'p.code as province_code', 'p.name as province_name'])
    .where(branchInScope(scope, sql.ref('b.id')))
    .orderBy('b.code')
    .execute();
}

// ---- writes ----------------------------------------------------------------------------------

export type UserValues = Omit<
  UsersTable,
  'id' | 'is_active' | 'password_changed_at' | 'version' | 'created_at' | 'updated_at' | 'photo_file_id'
>;

/** What a new user needs; every other field may be left out and is then null. */
export type NewUser = Pick<
  UserValues,
  'username' | 'password_hash' | 'first_name' | 'last_name' | 'user_type'
> &
  Partial<UserValues>;

/** Inserts a user (no photo) as given, the fields left out null; their groups are set apart. */
export function insertUser(db: Executor, values: NewUser) {
  return db
    .insertInto('users')
    .values({
      gender: null,
      branch_id: null,
      province_id: null,
      personnel_code: null,
      national_code: null,
      birth_cert_no: null,
      phones: null,
      mobile: null,
      email: null,
      address: null,
      ...values,
      photo_file_id: null,
    })
    .returning(['id', 'username'])
    .executeTakeFirstOrThrow();
}

/** Applies the change only if nobody saved since `version`; undefined means stale. */
export function updateUser(
  db: Executor,
  id: number,
  version: number,
  values: Partial<Omit<UserValues, 'password_hash'>>,
) {
  return db
    .updateTable('users')
    .set({ ...values, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning('id')
    .executeTakeFirst();
}

export async function replaceUserGroups(
  db: Executor,
  userId: number,
  groupIds: readonly number[],
): Promise<void> {
  await db.deleteFrom('user_groups').where('user_id', '=', userId).execute();
  if (groupIds.length > 0) {
    await db
      .insertInto('user_groups')
      .values(groupIds.map((group_id) => ({ user_id: userId, group_id })))
      .execute();
  }
}

export async function updatePasswordHash(db: Executor, userId: number, passwordHash: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: passwordHash, password_changed_at: sql`now()`, updated_at: sql`now()` })
    .where('id', '=', userId)
    .execute();
}

export function deleteUsers(db: Executor, ids: readonly number[]) {
  return db
    .deleteFrom('users')
    .where('id', 'in', [...ids])
    .returning(['id', 'photo_file_id'])
    .execute();
}

// ---- photos (stored_files) ---------------------------------------------------------------------

export function findPhotoFileId(db: Executor, userId: number) {
  return db.selectFrom('users').select('photo_file_id').where('id', '=', userId).executeTakeFirst();
}

export function insertStoredFile(
  db: Executor,
  file: { media_type: string; byte_size: number; sha256: string; content: Buffer },
) {
  return db.insertInto('stored_files').values(file).returning('id').executeTakeFirstOrThrow();
}

export async function setPhotoFileId(db: Executor, userId: number, fileId: string | null): Promise<void> {
  await db
    .updateTable('users')
    .set({ photo_file_id: fileId, updated_at: sql`now()` })
    .where('id', '=', userId)
    .execute();
}

export function findStoredFile(db: Executor, id: string) {
  return db
    .selectFrom('stored_files')
    .select(['id', 'media_type', 'byte_size', 'sha256', 'content'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function deleteStoredFiles(db: Executor, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .deleteFrom('stored_files')
    .where('id', 'in', [...ids])
    .execute();
}
