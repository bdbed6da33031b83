import { randomBytes } from 'node:crypto';
import type { SessionUser } from '@vosul/common';
import type { Database } from '../../platform/db/database.js';
import type { AuthUser, RequestContext } from '../../platform/auth/context.js';
import { hashToken } from '../../platform/auth/guard.js';
import { ipMatchesRule } from '../../platform/auth/ip-rule.js';
import {
  deleteSession,
  deleteUserSessions,
  findBranchIpRule,
  insertSession,
  loadAuthUser,
} from '../../platform/auth/sessions.repository.js';
import { AppError, invalidField } from '../../platform/errors.js';
import { checkPasswordRules, hashPassword, verifyPassword } from '../../platform/passwords.js';
import { readSetting } from '../../platform/settings.js';
import {
  findPasswordHash,
  findRecentFailures,
  findUserForLogin,
  insertLoginEvent,
  updatePasswordHash,
} from './auth.repository.js';

// Verified against when the username is unknown, so both failures take the same time.
const DUMMY_HASH = hashPassword('not-a-real-password-' + randomBytes(8).toString('hex'));

export interface LoginAttempt {
  username: string;
  password: string;
  ip: string;
  userAgent: string | null;
}

export interface LoginResult {
  token: string;
  csrfToken: string;
  user: SessionUser;
}

export async function logIn(db: Database, attempt: LoginAttempt): Promise<LoginResult> {
  const username = attempt.username.trim();
  const maxFailures = await readSetting(db, 'login_max_failures');
  const windowMinutes = await readSetting(db, 'login_lockout_minutes');
  const record = (userId: number | null, succeeded: boolean, reason: string | null) =>
    insertLoginEvent(db, {
      username,
      userId,
      succeeded,
      reason,
      ip: attempt.ip,
      userAgent: attempt.userAgent,
    });

  const lockedFor = await secondsLocked(db, username, maxFailures, windowMinutes);
  const user = await findUserForLogin(db, username);
  if (lockedFor > 0) {
    await record(user?.id ?? null, false, 'locked');
    throw lockedError(lockedFor);
  }
  const passwordOk = await verifyPassword(user?.password_hash ?? (await DUMMY_HASH), attempt.password);
  if (!user || !passwordOk || !user.is_active) {
    await record(user?.id ?? null, false, !user ? 'unknown_user' : !passwordOk ? 'bad_password' : 'inactive');
    const nowLocked = await secondsLocked(db, username, maxFailures, windowMinutes);
    if (nowLocked > 0) throw lockedError(nowLocked);
    throw new AppError('unauthenticated', 'نام کاربری یا رمز عبور نادرست است');
  }
  const ipRule = await findBranchIpRule(db, user.id);
  if (ipRule && !ipMatchesRule(attempt.ip, ipRule)) {
    await record(user.id, false, 'ip_not_allowed');
    throw new AppError('forbidden', 'ورود از این نشانی IP برای کاربران این شعبه مجاز نیست');
  }
  const authUser = await loadAuthUser(db, user.id);
  if (!authUser) throw new AppError('unauthenticated', 'نام کاربری یا رمز عبور نادرست است');
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  await insertSession(db, {
    tokenHash: hashToken(token),
    userId: user.id,
    csrfToken,
    ip: attempt.ip,
    userAgent: attempt.userAgent,
  });
  await record(user.id, true, null);
  return { token, csrfToken, user: toSessionUser(authUser) };
}

async function secondsLocked(db: Database, username: string, maxFailures: number, windowMinutes: number) {
  const failures = await findRecentFailures(db, username, windowMinutes);
  if (failures.length < maxFailures) return 0;
  // Locked until the oldest of the last `maxFailures` failures leaves the window.
  const oldest = new Date(failures[maxFailures - 1]!.at).getTime();
  return Math.max(1, Math.ceil((oldest + windowMinutes * 60_000 - Date.now()) / 1000));
}

function lockedError(seconds: number): AppError {
  const minutes = Math.ceil(seconds / 60);
  return new AppError(
    'too_many_attempts',
    `به دلیل ورود نادرست پی‌درپی، حساب کاربری تا ${minutes.toLocaleString('fa-IR')} دقیقه دیگر قفل است`,
    undefined,
    { retry_after_seconds: seconds },
  );
}

export async function logOut(db: Database, tokenHash: string | null): Promise<void> {
  if (tokenHash) await deleteSession(db, tokenHash);
}

export function toSessionUser(user: AuthUser): SessionUser {
  return {
    id: user.id,
    username: user.username,
    first_name: user.firstName,
    last_name: user.lastName,
    pages: [...user.pages],
    scope: user.scope.kind,
    branch_code: user.branchCode,
    province_code: user.provinceCode,
  };
}

/** V5: a user changes their own password (current, new, repeat); their other sessions end. */
export async function changeOwnPassword(
  db: Database,
  ctx: RequestContext,
  currentTokenHash: string | null,
  input: { current_password: string; new_password: string },
): Promise<void> {
  const row = await findPasswordHash(db, ctx.user.id);
  if (!row || !(await verifyPassword(row.password_hash, input.current_password))) {
    throw invalidField('current_password', 'رمز عبور فعلی نادرست است');
  }
  checkPasswordRules(input.new_password, row.username, 'new_password');
  if (input.new_password === input.current_password) {
    throw invalidField('new_password', 'رمز عبور جدید باید با رمز فعلی متفاوت باشد');
  }
  const passwordHash = await hashPassword(input.new_password);
  await db.transaction().execute(async (trx) => {
    await updatePasswordHash(trx, ctx.user.id, passwordHash);
    await deleteUserSessions(trx, ctx.user.id, currentTokenHash ?? undefined);
  });
}
