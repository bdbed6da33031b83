import { sql } from 'kysely';
import type { Executor } from './db/database.js';

/** Settings kept in the `settings` table, with their defaults (V8; later issues add theirs). */
export const SETTING_DEFAULTS = {
  session_idle_minutes: 30,
  login_max_failures: 5,
  login_lockout_minutes: 15,
} as const;
export type SettingKey = keyof typeof SETTING_DEFAULTS;

export async function readSetting<K extends SettingKey>(
  db: Executor,
  key: K,
): Promise<(typeof SETTING_DEFAULTS)[K]> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return (row?.value as (typeof SETTING_DEFAULTS)[K] | undefined) ?? SETTING_DEFAULTS[key];
}

export async function writeSetting<K extends SettingKey>(
  db: Executor,
  key: K,
  value: (typeof SETTING_DEFAULTS)[K],
): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key, value: JSON.stringify(value) })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({ value: JSON.stringify(value), updated_at: sql`now()` }),
    )
    .execute();
}
