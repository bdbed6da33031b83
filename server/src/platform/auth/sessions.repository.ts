import { sql } from 'kysely';
import type { PageKey } from '@vosul/common';
import type { Executor } from '../db/database.js';
import type { AuthUser, Scope } from './context.js';

export async function insertSession(
  db: Executor,
  session: { tokenHash: string; userId: number; csrfToken: string; ip: string; userAgent: string | null },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      token_hash: session.tokenHash,
      user_id: session.userId,
      csrf_token: session.csrfToken,
      ip: session.ip,
      user_agent: session.userAgent,
    })
    .execute();
}

/** A session with its user as the request guard needs them (migration 0013), in one statement. */
export async function findSessionUser(db: Executor, tokenHash: string, defaultIdleMinutes: number) {
  const { rows } = await sql<
    UserRow & { csrf_token: string; expired: boolean; needs_touch: boolean }
  >`select * from vosul_session_user(${tokenHash}, ${defaultIdleMinutes}::integer)`.execute(db);
  const row = rows[0];
  if (!row) return undefined;
  return {
    user: authUserOf(row),
    ipRule: row.branch_ip ?? null,
    csrfToken: row.csrf_token,
    expired: row.expired,
    needsTouch: row.needs_touch,
  };
}

export async function touchSession(db: Executor, tokenHash: string): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: sql`now()` })
    .where('token_hash', '=', tokenHash)
    .execute();
}

export async function deleteSession(db: Executor, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

export async function deleteUserSessions(
  db: Executor,
  userId: number,
  exceptTokenHash?: string,
): Promise<void> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptTokenHash) q = q.where('token_hash', '<>', exceptTokenHash);
  await q.execute();
}

/** The user with their pages (union of their groups) and data scope, or undefined when inactive or gone. */
export async function loadAuthUser(db: Executor, userId: number): Promise<AuthUser | undefined> {
  return (await loadUserWithIpRule(db, userId))?.user;
}

/** The user as the request guard needs it, with the IP rule of their branch, in one statement. */
export async function loadUserWithIpRule(
  db: Executor,
  userId: number,
): Promise<{ user: AuthUser; ipRule: string | null } | undefined> {
  const row = await db
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
      'u.branch_id',
      'p.id as province_id',
      'b.code as branch_code',
      'p.code as province_code',
      'b.ip as branch_ip',
      sql<string[]>`array(
        select distinct gp.page_key from user_groups ug
        join access_group_pages gp on gp.group_id = ug.group_id
        where ug.user_id = u.id)`.as('pages'),
      sql<number[]>`case when u.branch_id is null then '{}'::int[] else array(
        with recursive tree as (
          select id from branches where id = u.branch_id
          union all select c.id from branches c join tree on c.parent_id = tree.id)
        select id from tree) end`.as('branch_ids'),
    ])
    .where('u.id', '=', userId)
    .where('u.is_active', '=', true)
    .executeTakeFirst();
  if (!row) return undefined;
  return { user: authUserOf(row), ipRule: row.branch_ip ?? null };
}

/** The columns of a user as the guard reads them (the query above, or vosul_session_user). */
interface UserRow {
  id: number;
  username: string;
  first_name: string;
  last_name: string;
  branch_id: number | null;
  province_id: number | null;
  branch_code: string | null;
  province_code: string | null;
  branch_ip: string | null;
  pages: string[];
  branch_ids: number[];
}

function authUserOf(row: UserRow): AuthUser {
  let scope: Scope;
  if (row.branch_id !== null && row.province_id !== null) {
    scope = { kind: 'branch', provinceId: row.province_id, branchIds: row.branch_ids };
  } else if (row.province_id !== null) {
    scope = { kind: 'province', provinceId: row.province_id };
  } else {
    scope = { kind: 'hq' };
  }
  return {
    id: row.id,
    username: row.username,
    firstName: row.first_name,
    lastName: row.last_name,
    pages: new Set(row.pages as PageKey[]),
    scope,
    branchId: row.branch_id,
    provinceId: row.province_id,
    branchCode: row.branch_code,
    provinceCode: row.province_code,
  };
}

/** The IP rule of the user's branch (V11's IP field), if any. */
export async function findBranchIpRule(db: Executor, userId: number): Promise<string | null> {
  const row = await db
    .selectFrom('users as u')
    .innerJoin('branches as b', 'b.id', 'u.branch_id')
    .select('b.ip')
    .where('u.id', '=', userId)
    .executeTakeFirst();
  return row?.ip ?? null;
}

export async function findCsrfToken(db: Executor, tokenHash: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('sessions')
    .select('csrf_token')
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  return row?.csrf_token;
}
