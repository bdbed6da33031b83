import { toPersianDigits } from '@vosul/common';
import { MERGED_PLACEHOLDERS } from '@vosul/common/workflows';
import { SETTING_DEFAULTS, type ContactRules } from '../../platform/settings.js';
import { compileTemplate } from './planning.template.js';
import * as repo from './planning.repository.js';
import * as rules from './contact-rules.repository.js';

export type { PlannedRow } from './planning.repository.js';

/**
 * Plans the notifications of business date `date` for the whole book (issue 5 point 3; interchange.md,
 * "Workflow semantics"), inside the daily run's transaction so the run and its plan commit together.
 * Set-based: which workflow applies to which facility, the stays, the occasions due on a working day,
 * their messages rendered by SQL into a staging table, the contact rules (B1) applied to it, then one
 * insert into the outbox. Returns the rows written; a re-run of the date writes none again. A dry run
 * (B2) plans one workflow (`onlyWorkflowId`) in a transaction it rolls back.
 */
export async function planNotifications(
  client: repo.Client,
  date: string,
  timezone: string,
  scope: repo.PlanScope = {},
): Promise<number> {
  await repo.findApplying(client, date, scope);
  await repo.updateStays(client, date, scope);
  const due = await repo.findDue(client, date, scope);
  if (due === 0) return 0;
  const { sql, params, firstGuarantor } = await compileTemplates(client, scope);
  const windowEnd = await readWindowEnd(client);
  await repo.stageMessages(client, { date, timezone, windowEnd, textSql: sql, params, firstGuarantor });
  await applyContactRules(client, date, timezone, windowEnd);
  const planned = await repo.writeStaged(client, date);
  await repo.advanceStays(client, date);
  return planned;
}

/** What the plan of this transaction wrote (the dry run reads it before rolling back). */
export const findPlanned = (client: repo.Client) => repo.findWritten(client);

/** B1, in order: do-not-contact, merging, quiet hours, caps (contact-rules.repository.ts). */
async function applyContactRules(client: repo.Client, date: string, timezone: string, windowEnd: string) {
  const contact = await readContactRules(client);
  await rules.holdBlocked(client, date);
  const template = await repo.findSetting(client, 'merged_message_template');
  const text = typeof template === 'string' ? template : SETTING_DEFAULTS.merged_message_template;
  const params: unknown[] = [];
  const merged =
    text.trim() === ''
      ? null
      : compileTemplate(text, params, (k) => rules.MERGED_COLUMNS[k], MERGED_PLACEHOLDERS).sql;
  await rules.mergeMessages(client, { date, textSql: merged, params });
  await rules.applyQuietHours(client, {
    date,
    timezone,
    from: contact.quiet_from,
    to: contact.quiet_to,
    windowEnd,
  });
  const fa = (n: number) => toPersianDigits(n);
  await rules.holdOverCaps(client, {
    date,
    sms: { day: contact.sms_per_day, week: contact.sms_per_week },
    call: { day: contact.calls_per_day, week: contact.calls_per_week },
    reasons: {
      sms: {
        day: `سقف پیامک روزانه (${fa(contact.sms_per_day)}) برای این شخص پر شده است`,
        week: `سقف پیامک هفتگی (${fa(contact.sms_per_week)}) برای این شخص پر شده است`,
      },
      call: {
        day: `سقف تماس روزانه (${fa(contact.calls_per_day)}) برای این شخص پر شده است`,
        week: `سقف تماس هفتگی (${fa(contact.calls_per_week)}) برای این شخص پر شده است`,
      },
    },
  });
}

/**
 * Every template of the plan's workflows compiled once into one CASE on the message's template key,
 * and whether a borrower's text names the first guarantor (a look-up per facility otherwise spared).
 */
async function compileTemplates(
  client: repo.Client,
  scope: repo.PlanScope,
): Promise<{ sql: string; params: unknown[]; firstGuarantor: boolean }> {
  const templates = await repo.findTemplates(client, scope);
  if (templates.length === 0) return { sql: 'NULL::text', params: [], firstGuarantor: false };
  const params: unknown[] = [];
  let firstGuarantor = false;
  const branches = templates.map((t) => {
    params.push(`${t.workflow_id}:${t.channel}:${t.recipient_role}`);
    const key = `$${params.length}::text`;
    const compiled = compileTemplate(t.text, params, (k) => repo.PLACEHOLDER_COLUMNS[k]);
    if (t.recipient_role === 'borrower' && GUARANTOR_KEYS.some((k) => compiled.keys.has(k)))
      firstGuarantor = true;
    return `WHEN ${key} THEN ${compiled.sql}`;
  });
  return { sql: `CASE m.template_key ${branches.join(' ')} END`, params, firstGuarantor };
}

const GUARANTOR_KEYS = ['guarantor_first_name', 'guarantor_last_name'] as const;

const TIME = /^([01]?\d|2[0-3]):[0-5]\d$/;

async function readWindowEnd(client: repo.Client): Promise<string> {
  const value = await repo.findSetting(client, 'send_window_end');
  return typeof value === 'string' && TIME.test(value) ? value : SETTING_DEFAULTS.send_window_end;
}

/** The stored rules over the defaults, field by field; a value of the wrong shape counts as unset. */
async function readContactRules(client: repo.Client): Promise<ContactRules> {
  const stored = await repo.findSetting(client, 'contact_rules');
  const given = (stored && typeof stored === 'object' ? stored : {}) as Record<string, unknown>;
  const defaults = SETTING_DEFAULTS.contact_rules;
  const count = (key: 'sms_per_day' | 'sms_per_week' | 'calls_per_day' | 'calls_per_week') => {
    const v = given[key];
    return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : defaults[key];
  };
  const time = (key: 'quiet_from' | 'quiet_to') => {
    const v = given[key];
    return typeof v === 'string' && (v === '' || TIME.test(v)) ? v : defaults[key];
  };
  return {
    sms_per_day: count('sms_per_day'),
    sms_per_week: count('sms_per_week'),
    calls_per_day: count('calls_per_day'),
    calls_per_week: count('calls_per_week'),
    quiet_from: time('quiet_from'),
    quiet_to: time('quiet_to'),
  };
}
