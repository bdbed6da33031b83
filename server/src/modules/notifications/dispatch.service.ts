import type pg from 'pg';
import type { Channel } from '@vosul/common/workflows';
import * as repo from './dispatch.repository.js';
import { OPTED_OUT_REASON } from './contact-rules.repository.js';
import {
  ProviderDownError,
  type ChannelAdapter,
  type ReportedStatus,
  type SmsLine,
} from './channels/adapter.js';
import { readSettingsWith, type SmsLines } from '../../platform/settings.js';

/**
 * Dispatch (issue 5, point 6): each batch is one transaction that claims due messages with
 * `FOR UPDATE SKIP LOCKED` (two dispatchers never take the same row), sends them through the channel's
 * adapter with their own references, and records what the provider answered. A dispatcher killed in
 * the middle of a batch rolls back: the messages are due again, and the provider answers the resent
 * references with the messages it already accepted — nothing is lost and nothing is sent twice.
 */

export interface BatchOutcome {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  expired: number;
  /** SMS held: their mobile opted out after they were planned */
  held: number;
  /** the provider was found down: the channel is paused and its messages wait */
  paused: boolean;
}

/** What a dispatcher reads from the settings on each pass (contact rules, SMS lines). */
export interface SendRules {
  lines: SmsLines;
  /** `HH:MM` quiet hours in `timezone` (B1), null when none are set */
  quiet: { from: string; to: string } | null;
  timezone: string;
  /** the informational kinds an opt-out («۱۱») stops (settings `sms_opt_out`) */
  optOutKinds: string[];
}

const NO_RULES: SendRules = {
  lines: { advertising: '', service: '' },
  quiet: null,
  timezone: 'UTC',
  optOutKinds: [],
};

export async function readSendRules(pool: pg.Pool, timezone: string): Promise<SendRules> {
  const {
    sms_lines: lines,
    contact_rules: contact,
    sms_opt_out: optOut,
  } = await readSettingsWith(pool, ['sms_lines', 'contact_rules', 'sms_opt_out']);
  const quiet =
    contact.quiet_from && contact.quiet_to && contact.quiet_from !== contact.quiet_to
      ? { from: contact.quiet_from, to: contact.quiet_to }
      : null;
  const optOutKinds = [
    ...(optOut.stop_reminder ? ['reminder'] : []),
    ...(optOut.stop_overdue_notice ? ['overdue_notice'] : []),
  ];
  return { lines, quiet, timezone, optOutKinds };
}

/** Whether `at` falls in the quiet hours (which may run past midnight, e.g. 21:00–08:00). */
export function inQuietHours(at: Date, rules: SendRules): boolean {
  if (!rules.quiet) return false;
  const time = new Intl.DateTimeFormat('en-GB', {
    timeZone: rules.timezone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
  const { from, to } = rules.quiet;
  const pad = (t: string) => t.padStart(5, '0');
  // as vosul_in_quiet_hours (migration 0030) reads a span
  if (pad(from) === pad(to)) return false;
  return pad(from) < pad(to) ? time >= pad(from) && time < pad(to) : time >= pad(from) || time < pad(to);
}

export async function sendBatch(
  pool: pg.Pool,
  adapter: ChannelAdapter,
  channel: Channel,
  rules: SendRules = NO_RULES,
): Promise<BatchOutcome> {
  const outcome: BatchOutcome = {
    claimed: 0,
    sent: 0,
    retried: 0,
    failed: 0,
    expired: 0,
    held: 0,
    paused: false,
  };
  const sentBy: string[] = [];
  if (await repo.findPause(pool, channel)) return { ...outcome, paused: true };
  // nothing goes out in the quiet hours; due messages wait for their end (or their window closes)
  if (inQuietHours(new Date(), rules)) return outcome;
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    const claimed = await repo.claimDue(c, channel, adapter.maxBatch, rules.optOutKinds);
    outcome.claimed = claimed.length;
    const now = Date.now();
    const late = claimed.filter((m) => m.window_ends_at.getTime() <= now);
    // a mobile that replied «۱۱» after its SMS was planned: held as the planner would have held it
    const optedOut = claimed.filter((m) => m.window_ends_at.getTime() > now && m.opted_out);
    const sending = claimed.filter((m) => m.window_ends_at.getTime() > now && !m.opted_out);
    await repo.expireLate(
      c,
      late.map((m) => m.id),
    );
    outcome.expired = late.length;
    await repo.holdOptedOut(
      c,
      optedOut.map((m) => m.id),
      OPTED_OUT_REASON,
    );
    outcome.held = optedOut.length;
    if (sending.length > 0) {
      const byReference = new Map(sending.map((m) => [`${m.id}-${m.attempt}`, m]));
      let results;
      try {
        results = await adapter.send(
          sending.map((m) => {
            // the service line when the number blocks advertising and one is configured (P5)
            const line =
              channel === 'sms' && m.line === 'service' && rules.lines.service ? 'service' : 'advertising';
            return {
              localId: `${m.id}-${m.attempt}`,
              channel,
              address: m.address,
              text: m.text,
              ...(channel === 'sms' ? { line, sender: rules.lines[line] } : {}),
              ...(channel === 'call'
                ? {
                    call: {
                      audio: m.recording?.[0] ?? null,
                      audioFile: m.recording?.[1] ?? null,
                      amount: m.amount,
                      overdueDays: m.overdue_days,
                    },
                  }
                : {}),
            };
          }),
        );
      } catch (err) {
        if (!(err instanceof ProviderDownError)) throw err;
        await c.query('ROLLBACK');
        await repo.pauseChannel(pool, channel, err.message);
        if (err.options.needsAdmin)
          await repo.raiseProviderAlert(pool, { provider: err.provider, channel, reason: err.message });
        return { ...outcome, claimed: 0, expired: 0, held: 0, paused: true };
      }
      const sent: { id: string; provider: string; providerId: string; line: SmsLine }[] = [];
      const lineOf = new Map(sending.map((m) => [m.id, m.line]));
      const retry: { id: string; error: string }[] = [];
      const failed: { id: string; error: string }[] = [];
      for (const r of results) {
        const m = byReference.get(r.localId);
        if (!m) continue;
        if (r.outcome === 'accepted')
          sent.push({
            id: m.id,
            provider: r.provider ?? adapter.provider,
            providerId: r.providerId,
            line: lineOf.get(m.id) === 'service' && rules.lines.service ? 'service' : 'advertising',
          });
        else if (r.outcome === 'rejected') failed.push({ id: m.id, error: r.error });
        else retry.push({ id: m.id, error: r.error });
      }
      await repo.markSent(c, sent);
      sentBy.push(...sent.map((m) => m.provider));
      await repo.markRetry(c, retry);
      await repo.markFailed(c, failed);
      Object.assign(outcome, { sent: sent.length, retried: retry.length, failed: failed.length });
    }
    await c.query('COMMIT');
    if (outcome.sent > 0) {
      await repo.resumeChannel(pool, channel);
      await repo.clearProviderAlerts(pool, [...new Set(sentBy)]);
    }
    return outcome;
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
}

/** Asks the provider for the reports of sent messages and records the final ones. */
export async function collectReports(
  pool: pg.Pool,
  adapter: ChannelAdapter,
  channel: Channel,
  rules: SendRules = NO_RULES,
): Promise<number> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    const awaiting = await repo.claimAwaiting(c, channel, adapter.maxBatch * 5);
    if (awaiting.length === 0) {
      await c.query('COMMIT');
      return 0;
    }
    // each provider asked about its own messages (after a failover a channel has two)
    const byProvider = new Map<string, typeof awaiting>();
    for (const a of awaiting) {
      const rows = byProvider.get(a.provider) ?? [];
      if (rows.length === 0) byProvider.set(a.provider, rows);
      rows.push(a);
    }
    const final: { id: string; status: ReportedStatus; at: Date; error?: string }[] = [];
    try {
      for (const [provider, rows] of byProvider) {
        const byProviderId = new Map(rows.map((a) => [a.provider_id, a.id]));
        const reports = await adapter.status(
          rows.map((a) => a.provider_id),
          provider,
        );
        for (const r of reports)
          if (r.status !== 'pending' && byProviderId.has(r.providerId))
            final.push({ id: byProviderId.get(r.providerId)!, status: r.status, at: r.at, error: r.error });
      }
    } catch (err) {
      if (!(err instanceof ProviderDownError)) throw err;
      await c.query('ROLLBACK');
      return 0;
    }
    await repo.recordReports(c, final, rules.lines.service !== '');
    await c.query('COMMIT');
    return final.length;
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
}

export interface DispatchOptions {
  /** stop when nothing is due and no report is awaited (else run until `signal` aborts) */
  untilEmpty: boolean;
  /** VOSUL_TIMEZONE: the zone of the quiet hours */
  timezone: string;
  signal?: AbortSignal;
  /** the longest wait between two looks when nothing is due, in milliseconds */
  idleMs?: number;
}

export interface DispatchTotals {
  sent: number;
  retried: number;
  failed: number;
  expired: number;
  reports: number;
}

/**
 * `vosul dispatch` and the server's dispatcher: every channel in turn, batches as large as its
 * provider takes and no faster than its rate limit, then the reports; a paused channel waits.
 */
export async function dispatch(
  pool: pg.Pool,
  adapters: Partial<Record<Channel, ChannelAdapter>>,
  options: DispatchOptions,
): Promise<DispatchTotals> {
  const totals: DispatchTotals = { sent: 0, retried: 0, failed: 0, expired: 0, reports: 0 };
  const channels = Object.keys(adapters) as Channel[];
  const idleMs = options.idleMs ?? 1000;
  while (!options.signal?.aborted) {
    let worked = false;
    const rules = await readSendRules(pool, options.timezone);
    for (const channel of channels) {
      const adapter = adapters[channel]!;
      const started = performance.now();
      const batch = await sendBatch(pool, adapter, channel, rules);
      totals.sent += batch.sent;
      totals.retried += batch.retried;
      totals.failed += batch.failed;
      totals.expired += batch.expired;
      const reports = await collectReports(pool, adapter, channel, rules);
      totals.reports += reports;
      if (batch.claimed > 0 || reports > 0) worked = true;
      // the provider's rate limit: a batch of n takes at least n / perSecond seconds
      const least = (batch.sent / adapter.perSecond) * 1000 - (performance.now() - started);
      if (least > 0) await sleep(least, options.signal);
    }
    if (worked) continue;
    if (options.untilEmpty) {
      const left = await Promise.all(channels.map((ch) => repo.countOutstanding(pool, ch)));
      const paused = await Promise.all(channels.map((ch) => repo.findPause(pool, ch)));
      const waiting = left.some((l, i) => (l.due > 0 && !paused[i]) || l.awaiting > 0);
      const later = left.some((l) => l.later !== null && l.later.getTime() - Date.now() < idleMs * 10);
      if (!waiting && !later) break;
    }
    await sleep(idleMs, options.signal);
  }
  return totals;
}

/** Waits `ms`, or less when `signal` aborts (it resolves then, it does not throw). */
export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
