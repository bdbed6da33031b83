import { sql } from 'kysely';
import type { Executor } from '../../platform/db/database.js';

export async function findUserForLogin(db: Executor, username: string) {
  return db
    .selectFrom('users')
    .select(['id', 'username', 'password_hash', 'is_active'])
    .where(sql`lower(username)`, '=', username.toLowerCase())
    .executeTakeFirst();
}

export async function findPasswordHash(db: Executor, userId: number) {
  return db
    .selectFrom('users')
    .select(['username', 'password_hash'])
    .where('id', '=', userId)
    .executeTakeFirst();
}

export async function updatePasswordHash(db: Executor, userId: number, passwordHash: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: passwordHash, password_changed_at: sql`now()`, updated_at: sql`now()` })
    .where('id', '=', userId)
    .execute();
}

export async function insertLoginEvent(
  db: Executor,
  event: {
    username: string;
    userId: number | null;
    succeeded: boolean;
    reason: string | null;
    ip: string;
    userAgent: string | null;
  },
): Promise<void> {
  await db
    .insertInto('login_events')
    .values({
      username: event.username,
      user_id: event.userId,
      succeeded: event.succeeded,
      reason: event.reason,
      ip: event.ip,
      user_agent: event.userAgent,
    })
    .execute();
}

/**
 * Password failures for a username inside the window and after its last success, oldest first
 * (refused attempts while locked do not count, so the lock does not extend itself).
 */
export async function findRecentFailures(db: Executor, username: string, windowMinutes: number) {
  return db
    .selectFrom('login_events')
    .select(['at'])
    .where(sql`lower(username)`, '=', username.toLowerCase())
    .where('succeeded', '=', false)
    .where('reason', 'in', ['bad_password', 'unknown_user'])
    .where('at', '>', sql<Date>`now() - make_interval(mins => ${windowMinutes})`)
    .where(
      'at',
      '>',
      sql<Date>`coalesce((select max(at) from login_events s where lower(s.username) = ${username.toLowerCase()} and s.succeeded), '-infinity')`,
    )
    .orderBy('at', 'desc')
    .execute();
}
