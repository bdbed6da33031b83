import { toPersianDigits } from '@vosul/common';
import { MERGED_PLACEHOLDERS } from '@vosul/common/workflows';
import { readSettingsWith, type SETTING_DEFAULTS } from '../../platform/settings.js';
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
  await repo.lockPlanning(client);
  await repo.findApplying(client, date, scope);
  await repo.updateStays(client, date, scope);
  const due = await repo.findDue(client, date, scope);
  if (due === 0) return 0;
  const { sql, params, firstGuarantor } = await compileTemplates(client, scope);
  const settings = await readSettingsWith(client, [
    'send_window_end',
    'contact_rules',
    'merged_message_template',
    'sms_opt_out',
  ] as const);
  const windowEnd = settings.send_window_end;
  await repo.stageMessages(client, { date, timezone, windowEnd, textSql: sql, params, firstGuarantor });
  await applyContactRules(client, date, timezone, settings);
  const planned = await repo.writeStaged(client, date);
  await repo.advanceStays(client, date);
  return planned;
}

/** What the plan of this transaction wrote (the dry run reads it before rolling back). */
export const findPlanned = (client: repo.Client) => repo.findWritten(client);

/** The settings a plan reads, each over its default. */
interface PlanSettings {
  send_window_end: string;
  contact_rules: (typeof SETTING_DEFAULTS)['contact_rules'];
  merged_message_template: string;
  sms_opt_out: (typeof SETTING_DEFAULTS)['sms_opt_out'];
}

/** B1, in order: do-not-contact, merging, quiet hours, caps (contact-rules.repository.ts). */
async function applyContactRules(
  client: repo.Client,
  date: string,
  timezone: string,
  settings: PlanSettings,
) {
  const { contact_rules: contact, merged_message_template: text, send_window_end: windowEnd } = settings;
  await rules.holdBlocked(client, date);
  const optOut = settings.sms_opt_out;
  await rules.holdOptedOut(client, [
    ...(optOut.stop_reminder ? ['reminder'] : []),
    ...(optOut.stop_overdue_notice ? ['overdue_notice'] : []),
  ]);
  const params: unknown[] = [];
  const merged =
    text.trim() === ''
      ? null
      : compileTemplate(text, params, (k) => rules.MERGED_COLUMNS[k], MERGED_PLACEHOLDERS).sql;
  await rules.mergeMessages(client, { date, textSql: merged, params });
  if (optOut.append_text) await rules.appendOptOutText(client);
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
