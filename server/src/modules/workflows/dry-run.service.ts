import { CompiledQuery, type Transaction } from 'kysely';
import type pg from 'pg';
import { toJalali, toPersianDigits } from '@vosul/common';
import { smsParts, type DryRunInput, type DryRunResult } from '@vosul/common/workflows';
import type { Database } from '../../platform/db/database.js';
import type { DB } from '../../platform/db/schema.js';
import type { RequestContext } from '../../platform/auth/context.js';
import { AppError, invalidField, staleEdit } from '../../platform/errors.js';
import { readSetting, SETTING_DEFAULTS } from '../../platform/settings.js';
import * as dayRun from '../day-run/day-run.repository.js';
import { findPlanned, planNotifications } from '../notifications/planning.service.js';
import * as repo from './workflows.repository.js';
import { getWorkflow, resolveRefs, templatesFor, valuesOf } from './workflows.service.js';

/**
 * B2: what the planner would write for one workflow on a date — the saved one, or a draft (being
 * edited, or new) — and what it would cost, without writing anything. It equals what the real run then
 * plans by construction: in one transaction that is always rolled back, the date's figures are computed
 * as the daily run computes them, the draft is saved, and the planner itself (contact rules included)
 * plans that one workflow; the rows it inserted are read back before the rollback. Other workflows'
 * messages are not planned, so a merge or a cap they would cause is not shown.
 */

export async function dryRunWorkflow(
  db: Database,
  ctx: RequestContext,
  id: number | null,
  input: DryRunInput,
  timezone: string,
): Promise<DryRunResult> {
  // out of the user's scope: 404 before anything runs
  const saved = id === null ? null : await getWorkflow(db, ctx, id);
  const draft = input.workflow;
  if (!saved && !draft) throw invalidField('workflow', 'گردش کاری برای اجرای آزمایشی فرستاده نشده است');
  const date = input.date;
  const trx = await db.startTransaction().execute();
  try {
    const c = clientOf(trx);
    // the whole book's figures take seconds at a million facilities; the request waits for them
    await c.query(`SET LOCAL statement_timeout = '10min'`);
    await c.query(`SET LOCAL work_mem = '512MB'`);
    await refuseWhileDayRuns(c);
    await refuseEarlierDate(c, date);

    // the figures as the daily run computes them for a date on or after the last one
    await dayRun.computeFigures(c, date, false);
    await dayRun.dropClosedFigures(c);
    await dayRun.findChanges(c, false);
    await dayRun.saveFigures(c, date, false);

    let workflowId = saved?.id ?? 0;
    if (draft) {
      // saved as the user would save it, but without the overlap check (a draft may overlap)
      const refs = await resolveRefs(trx, ctx, draft.loan_type_codes, draft.branch_codes);
      const templates = templatesFor(draft);
      if (saved) {
        if (!(await repo.updateWorkflow(trx, saved.id, saved.version, valuesOf(draft), ctx.user.id)))
          throw staleEdit();
      } else workflowId = (await repo.insertWorkflow(trx, valuesOf(draft), ctx.user.id)).id;
      await repo.setLoanTypes(trx, workflowId, refs.loanTypeIds);
      await repo.setBranches(trx, workflowId, refs.branchIds);
      await repo.setTemplates(trx, workflowId, templates);
    }

    const planned = await planNotifications(c, date, timezone, { onlyWorkflowId: workflowId });
    const rows = planned > 0 ? await findPlanned(c) : [];
    const prices = {
      ...SETTING_DEFAULTS.notification_prices,
      ...(await readSetting(trx, 'notification_prices')),
    };
    return summarize(date, rows, prices);
  } finally {
    await trx.rollback().execute();
  }
}

type Row = Awaited<ReturnType<typeof findPlanned>>[number];

/** Counts and cost of what would go out: held messages cost nothing, a call its first attempt's minutes. */
function summarize(
  date: string,
  rows: Row[],
  prices: { sms_part: number; call_minute: number; call_minutes: number },
): DryRunResult {
  let parts = 0;
  let calls = 0;
  let held = 0;
  for (const r of rows) {
    if (r.status === 'held') held += 1;
    else if (r.channel === 'sms') parts += smsParts(r.text).parts;
    else if (r.channel === 'call') calls += 1;
  }
  const cost =
    BigInt(parts) * BigInt(prices.sms_part) +
    BigInt(calls) * BigInt(prices.call_minutes) * BigInt(prices.call_minute);
  return {
    date,
    items: rows.map((r) => ({
      facility_no: r.facility_no,
      facility_nos: r.facility_nos,
      recipient_role: r.recipient_role,
      recipient_name: r.recipient_name,
      address: r.address,
      channel: r.channel as DryRunResult['items'][number]['channel'],
      text: r.text,
      status: r.status as DryRunResult['items'][number]['status'],
      held_reason: r.held_reason,
      scheduled_at: r.scheduled_at.toISOString(),
    })),
    count: rows.length - held,
    held,
    cost: cost.toString(),
    sms_parts: parts,
    calls,
  };
}

/**
 * A day run in progress is about to change the figures and stays: the dry run waits for it to end.
 * Read from pg_locks rather than taken, so a dry run never makes the run itself refuse to start.
 */
async function refuseWhileDayRuns(c: pg.PoolClient) {
  if (await dayRun.isDayRunLocked(c))
    throw new AppError(
      'conflict',
      'اجرای روز کاری در جریان است؛ پس از پایان آن اجرای آزمایشی را دوباره انجام دهید',
    );
}

/** The plan of a date before the last run is history (interchange.md, "Business dates"): refused. */
async function refuseEarlierDate(c: pg.PoolClient, date: string) {
  const latest = await dayRun.latestCompletedDate(c);
  if (latest !== null && date < latest)
    throw invalidField(
      'date',
      `تاریخ ${fa(date)} پیش از آخرین اجرای روز کاری (${fa(latest)}) است؛ تاریخ اجرای آزمایشی باید همان روز یا پس از آن باشد`,
    );
  const snapshot = await dayRun.latestSnapshot(c);
  if (!snapshot) throw new AppError('conflict', 'هنوز اطلاعاتی از سامانه متمرکز دریافت نشده است');
  if (date < snapshot.as_of)
    throw invalidField(
      'date',
      `تاریخ ${fa(date)} پیش از تاریخ آخرین اطلاعات دریافتی (${fa(snapshot.as_of)}) است`,
    );
}

const fa = (iso: string) => toPersianDigits(toJalali(iso));

/**
 * The transaction's connection as the run's and the planner's repositories use it (`query` only), so
 * they run unchanged inside this Kysely transaction.
 */
function clientOf(trx: Transaction<DB>): pg.PoolClient {
  const query = async (text: string, params: unknown[] = []) => {
    const result = await trx.executeQuery(CompiledQuery.raw(text, params));
    return {
      rows: result.rows,
      rowCount: result.numAffectedRows === undefined ? result.rows.length : Number(result.numAffectedRows),
    };
  };
  return { query } as unknown as pg.PoolClient;
}
