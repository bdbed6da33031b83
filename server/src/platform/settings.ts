import { sql } from 'kysely';
import type { Executor } from './db/database.js';

/** Settings kept in the `settings` table, with their defaults (V8; later issues add theirs). */
export const SETTING_DEFAULTS = {
  session_idle_minutes: 30,
  login_max_failures: 5,
  login_lockout_minutes: 15,
  // intake from the core banking system (V24): the drop folder ('' = none), the daily time in
  // VOSUL_TIMEZONE, and how often and how long after a failed run is tried again
  intake_drop_folder: '' as string,
  intake_daily_time: '02:00' as string,
  intake_retry_count: 3,
  intake_retry_delay_minutes: 30,
  // the daily run (issue 4): its time in VOSUL_TIMEZONE (after the intake), and where the core banking
  // system posts payments, the current head or the class head (interchange.md, "Vouchers")
  day_run_time: '04:00' as string,
  payment_posting: 'current' as 'current' | 'class',
  // the end of the send window (HH:MM in VOSUL_TIMEZONE): no message goes out after it on its day
  send_window_end: '20:00' as string,
  // the simulator provider of the electronic channels until a real account is configured (issue 5):
  // how it answers (modules/notifications/channels/simulator.ts)
  notification_simulator: {
    down: false,
    retry: 0,
    invalid: 0,
    delivered: 0.95,
    failed: 0.03,
    answered: 0.6,
    no_answer: 0.25,
    busy: 0.1,
    delay_seconds: 0,
    latency_ms: 0,
    per_second: 5000,
  } as SimulatorRates,
} as const;

/** How the simulated provider answers: down, shares of outcomes, report delay, latency, rate limit. */
export interface SimulatorRates {
  down: boolean;
  /** share of messages it cannot take now (a provider error, tried again) */
  retry: number;
  /** share of recipients it rejects */
  invalid: number;
  delivered: number;
  failed: number;
  answered: number;
  no_answer: number;
  busy: number;
  delay_seconds: number;
  /** milliseconds each call to the provider takes (its network round trip) */
  latency_ms: number;
  per_second: number;
}
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
