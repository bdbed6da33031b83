import { sql } from 'kysely';
import type pg from 'pg';
import type { LetterSettings } from '@vosul/common/letters';
import type { Executor } from './db/database.js';

const CONTACT_RULES: ContactRules = {
  sms_per_day: 2,
  sms_per_week: 6,
  calls_per_day: 1,
  calls_per_week: 3,
  quiet_from: '',
  quiet_to: '',
};
const NOTIFICATION_PRICES: NotificationPrices = { sms_part: 250, call_minute: 1200, call_minutes: 1 };
const SMS_LINES: SmsLines = { advertising: '', service: '' };
/** An SMS account with nothing set (the first provider's and the second's). */
const NO_SMS_ACCOUNT = {
  line: '',
  username: '',
  secret_sealed: null,
  host: '',
  port: null,
  system_type: '',
  api_url: '',
};
const CHANNEL_ACCOUNTS: StoredChannelAccounts = {
  sms: { provider: 'simulator', ...NO_SMS_ACCOUNT },
  sms_backup: { provider: 'none', ...NO_SMS_ACCOUNT },
  email: { from: '', host: '', port: null, security: 'starttls', username: '', secret_sealed: null },
  ivr: {
    number: '',
    provider: 'simulator',
    ari_url: '',
    ari_app: 'vosul',
    ari_endpoint: '',
    ari_media_url: '',
    username: '',
    secret_sealed: null,
    api_url: '',
  },
};

const LETTER_SETTINGS: LetterSettings = {
  bank_name: 'بانک',
  signature: 'رئیس شعبه',
  preprinted_paper: 'A5',
  preprinted: {
    letter_no: { x: 20, y: 22 },
    date: { x: 20, y: 30 },
    recipient_name: { x: 45, y: 52 },
    facility_no: { x: 45, y: 62 },
    amount: { x: 45, y: 72 },
    address: { x: 45, y: 82 },
  },
};

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
  // the province managers' daily activity mail (V7): its time in VOSUL_TIMEZONE, after the send window
  manager_mail_time: '20:30' as string,
  payment_posting: 'current' as 'current' | 'class',
  // the end of the send window (HH:MM in VOSUL_TIMEZONE): no message goes out after it on its day
  send_window_end: '20:00' as string,
  // contact rules across workflows (B1): per person (national code, else mobile) at most so many SMS
  // and calls a day and in the seven days ending on the business date; nothing is sent between
  // quiet_from and quiet_to (HH:MM in VOSUL_TIMEZONE, '' = no quiet hours)
  contact_rules: CONTACT_RULES,
  // the text of one SMS or call that merges a person's messages of a day (placeholders of
  // common/src/workflows.ts MERGED_PLACEHOLDERS)
  merged_message_template:
    '{{gender_title}} {{recipient_name}}، تسهیلات شماره {{facility_nos}} در مجموع {{overdue_amount}} ریال معوق دارد. لطفاً برای پرداخت اقدام فرمایید.' as string,
  // what a dry run prices (B2), in Rials: one SMS part, one call minute, and the minutes a call takes
  notification_prices: NOTIFICATION_PRICES,
  // the SMS sender lines (P5): advertising lines are what most traffic uses; a number that blocks
  // advertising is sent to again through the service line ('' = none configured)
  sms_lines: SMS_LINES,
  // a line that replied «۱۱» (the regulator's «لغو۱۱», issue 6 point 2): which informational kinds of
  // workflow it stops (a legal warning always goes), and whether informational SMS end with «لغو۱۱»
  sms_opt_out: { stop_reminder: true, stop_overdue_notice: true, append_text: false } as SmsOptOut,
  // the simulator provider of the electronic channels until a real account is configured (issue 5):
  // how it answers (modules/notifications/channels/simulator.ts)
  notification_simulator: {
    down: false,
    retry: 0,
    invalid: 0,
    blocks_ads: 0,
    delivered: 0.95,
    failed: 0.03,
    answered: 0.6,
    no_answer: 0.25,
    busy: 0.1,
    delay_seconds: 0,
    latency_ms: 0,
    per_second: 5000,
  } as SimulatorRates,
  // the providers' accounts (V8): none until an administrator sets one, so the simulator sends;
  // secrets only sealed (platform/secrets.ts), read opened by settings.service readChannelAccounts
  channel_accounts: CHANNEL_ACCOUNTS,
  // letters (issue 6 point 6): the letterhead's bank name and signature block, and where a warning
  // notice's fields go on the bank's pre-printed paper (پرفراژ), in millimetres from the top-right corner
  letter_settings: LETTER_SETTINGS,
} as const;

export interface ContactRules {
  sms_per_day: number;
  sms_per_week: number;
  calls_per_day: number;
  calls_per_week: number;
  quiet_from: string;
  quiet_to: string;
}

export interface NotificationPrices {
  sms_part: number;
  call_minute: number;
  call_minutes: number;
}

export interface SmsLines {
  advertising: string;
  service: string;
}

export interface SmsOptOut {
  stop_reminder: boolean;
  stop_overdue_notice: boolean;
  append_text: boolean;
}

/** How the simulated provider answers: down, shares of outcomes, report delay, latency, rate limit. */
export interface SimulatorRates {
  down: boolean;
  /** share of messages it cannot take now (a provider error, tried again) */
  retry: number;
  /** share of recipients it rejects */
  invalid: number;
  /** share of mobile numbers that block advertising lines (their SMS on such a line is not delivered) */
  blocks_ads: number;
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
/** `channel_accounts` as stored: each secret sealed (`v1.iv.tag.data`), null when none is set. */
export interface StoredChannelAccounts {
  sms: {
    provider: 'simulator' | 'kavenegar' | 'smpp';
    /** the sender line number, digits */
    line: string;
    username: string;
    /** the password (SMPP) or API key (Kavenegar) */
    secret_sealed: string | null;
    host: string;
    port: number | null;
    system_type: string;
    /** Kavenegar's web service address ('' = api.kavenegar.com); a bank's gateway or a local peer */
    api_url: string;
  };
  /** the second SMS provider, carrying the traffic when the first is down (issue 6 point 3) */
  sms_backup: Omit<StoredChannelAccounts['sms'], 'provider'> & { provider: 'none' | 'kavenegar' | 'smpp' };
  email: {
    from: string;
    host: string;
    port: number | null;
    security: 'none' | 'starttls' | 'tls';
    username: string;
    secret_sealed: string | null;
  };
  ivr: {
    /** the IVR's phone number, digits */
    number: string;
    provider: 'simulator' | 'kavenegar_tts' | 'asterisk_ari';
    ari_url: string;
    /** the Stasis application our calls enter when answered (its events come over the WebSocket) */
    ari_app: string;
    /** what Asterisk dials, `{number}` standing for the called number (PJSIP/{number}@trunk) */
    ari_endpoint: string;
    /** Vosul's address as the PBX reaches it, from which it plays the recordings ('' = its sounds folder) */
    ari_media_url: string;
    username: string;
    secret_sealed: string | null;
    /** Kavenegar's web service address for spoken calls ('' = api.kavenegar.com) */
    api_url: string;
  };
}
export type SettingKey = keyof typeof SETTING_DEFAULTS;

type SettingValue<K extends SettingKey> = (typeof SETTING_DEFAULTS)[K];

/**
 * A stored value over its default (undefined: never saved). An object field by field: a field missing
 * (saved before the field was added) or of another type than its default reads the default; a scalar
 * of another type reads the default. The one place every reader of the settings table goes through.
 */
export function overDefault<K extends SettingKey>(key: K, stored: unknown): SettingValue<K> {
  const fallback = SETTING_DEFAULTS[key];
  if (stored === undefined || stored === null) return fallback;
  if (typeof fallback !== 'object')
    return (typeof stored === typeof fallback ? stored : fallback) as SettingValue<K>;
  if (typeof stored !== 'object' || Array.isArray(stored)) return fallback;
  const given = stored as Record<string, unknown>;
  const merged: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(fallback)) {
    const v = given[field];
    // a null default (an unset port or secret) takes what is stored, of either type
    merged[field] =
      v !== undefined && (value === null || v === null || typeof v === typeof value) ? v : value;
  }
  return merged as unknown as SettingValue<K>;
}

export async function readSetting<K extends SettingKey>(db: Executor, key: K): Promise<SettingValue<K>> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return overDefault(key, row?.value);
}

/**
 * Settings through a pg client or pool (the planner runs in the day run's transaction, a dispatcher on
 * a pool, neither through the query builder), each over its default.
 */
export async function readSettingsWith<K extends SettingKey>(
  db: pg.Pool | pg.PoolClient,
  keys: readonly K[],
): Promise<{ [P in K]: SettingValue<P> }> {
  const { rows } = await db.query<{ key: string; value: unknown }>(
    'SELECT key, value FROM settings WHERE key = ANY($1::text[])',
    [keys],
  );
  const stored = new Map(rows.map((r) => [r.key, r.value]));
  return Object.fromEntries(keys.map((k) => [k, overDefault(k, stored.get(k))])) as {
    [P in K]: SettingValue<P>;
  };
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
