import type { SecuritySettings } from '@vosul/common';
import type { Executor } from '../../platform/db/database.js';
import { readSetting, writeSetting } from '../../platform/settings.js';

const SECURITY_KEYS = ['session_idle_minutes', 'login_max_failures', 'login_lockout_minutes'] as const;

/** The sign-in settings as stored (defaults where never set). */
export async function findSecuritySettings(db: Executor): Promise<SecuritySettings> {
  const [session_idle_minutes, login_max_failures, login_lockout_minutes] = await Promise.all(
    SECURITY_KEYS.map((key) => readSetting(db, key)),
  );
  return {
    session_idle_minutes: Number(session_idle_minutes),
    login_max_failures: Number(login_max_failures),
    login_lockout_minutes: Number(login_lockout_minutes),
  };
}

/** Serialises concurrent edits of the settings (one writer at a time, inside the caller's transaction). */
export async function lockSettings(db: Executor): Promise<void> {
  await db.selectNoFrom((eb) => eb.fn('pg_advisory_xact_lock', [eb.val(7_446_002)]).as('locked')).execute();
}

export async function saveSecuritySettings(db: Executor, values: Partial<SecuritySettings>): Promise<void> {
  for (const key of SECURITY_KEYS) {
    const value = values[key];
    if (value !== undefined) await writeSetting(db, key, value as never);
  }
}
