import { SETTING_DEFAULTS } from '../../platform/settings.js';
import { compileTemplate } from './planning.template.js';
import * as repo from './planning.repository.js';

/**
 * Plans the notifications of business date `date` for the whole book (issue 5 point 3; interchange.md,
 * "Workflow semantics"), inside the daily run's transaction so the run and its plan commit together.
 * Set-based: which workflow applies to which facility, the stays, the occasions due on a working day,
 * and one outbox row per recipient and channel, its text rendered by SQL. Returns the rows written;
 * a re-run of the date writes none again.
 */
export async function planNotifications(
  client: repo.Client,
  date: string,
  timezone: string,
): Promise<number> {
  await repo.findApplying(client, date);
  await repo.updateStays(client, date);
  const due = await repo.findDue(client, date);
  let planned = 0;
  if (due > 0) {
    const { sql, params } = await compileTemplates(client);
    planned = await repo.writeNotifications(client, {
      date,
      timezone,
      windowEnd: await readWindowEnd(client),
      textSql: sql,
      params,
    });
    await repo.advanceStays(client, date);
  }
  return planned;
}

/** Every active template compiled once into one CASE on the message's template key. */
async function compileTemplates(client: repo.Client): Promise<{ sql: string; params: unknown[] }> {
  const templates = await repo.findTemplates(client);
  if (templates.length === 0) return { sql: 'NULL::text', params: [] };
  const params: unknown[] = [];
  const branches = templates.map((t) => {
    params.push(`${t.workflow_id}:${t.channel}:${t.recipient_role}`);
    const key = `$${params.length}::text`;
    const compiled = compileTemplate(t.text, params, (k) => repo.PLACEHOLDER_COLUMNS[k]);
    return `WHEN ${key} THEN ${compiled.sql}`;
  });
  return { sql: `CASE m.template_key ${branches.join(' ')} END`, params };
}

async function readWindowEnd(client: repo.Client): Promise<string> {
  const { rows } = await client.query<{ value: unknown }>(
    "SELECT value FROM settings WHERE key = 'send_window_end'",
  );
  const value = rows[0]?.value;
  return typeof value === 'string' && /^\d{1,2}:\d{2}$/.test(value)
    ? value
    : SETTING_DEFAULTS.send_window_end;
}
