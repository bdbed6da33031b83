import { createHash } from 'node:crypto';
import type { Channel } from '@vosul/common/workflows';
import type { SimulatorRates } from '../../../platform/settings.js';
import {
  ProviderDownError,
  type ChannelAdapter,
  type OutgoingMessage,
  type ReportedStatus,
  type SendResult,
  type StatusReport,
  type SqlRunner,
} from './adapter.js';

/** A number in [0, 1) drawn from a reference and a purpose, the same every time. */
function draw(reference: string, purpose: string): number {
  return createHash('sha1').update(`${purpose}:${reference}`).digest().readUInt32BE(0) / 2 ** 32;
}

function finalStatus(channel: Channel, m: OutgoingMessage, rates: SimulatorRates): ReportedStatus {
  // blocking advertising is the number's own choice: the same number blocks every time
  if (channel === 'sms' && m.line !== 'service' && draw(m.address, 'blocks_ads') < rates.blocks_ads)
    return 'blocked_ads';
  const x = draw(m.localId, 'outcome');
  if (channel === 'call') {
    if (x < rates.answered) return 'answered';
    if (x < rates.answered + rates.no_answer) return 'no_answer';
    if (x < rates.answered + rates.no_answer + rates.busy) return 'busy';
    return 'rejected';
  }
  if (x < rates.delivered) return 'delivered';
  if (x < rates.delivered + rates.failed) return 'failed';
  return 'expired';
}

/**
 * How it answers is the setting `notification_simulator`: whether it is down, the share of messages it
 * cannot take now (tried again), of recipients it rejects, and how the accepted ones end — SMS and
 * e-mail delivered / failed / expired, calls answered / no answer / busy / rejected — after
 * `delay_seconds`. Each message's fate is drawn from its reference, so a run repeats.
 *
 * A provider like any other, behind the same interface: it keeps what it accepted in its own table
 * (`simulator_messages`, migration 0024), written in its own transaction as a remote provider would,
 * and answers a message it already has with the same id.
 */
export function simulatorAdapter(pool: SqlRunner, channel: Channel, rates: SimulatorRates): ChannelAdapter {
  const provider = `simulator-${channel}`;
  return {
    provider,
    maxBatch: 200,
    perSecond: rates.per_second,
    async send(messages: readonly OutgoingMessage[]): Promise<SendResult[]> {
      if (rates.latency_ms > 0) await new Promise((r) => setTimeout(r, rates.latency_ms));
      if (rates.down) throw new ProviderDownError(provider, 'سرویس‌دهنده شبیه‌ساز در دسترس نیست');
      const results: SendResult[] = [];
      const accepted: OutgoingMessage[] = [];
      for (const m of messages) {
        const x = draw(m.localId, 'send');
        if (x < rates.invalid)
          results.push({ localId: m.localId, outcome: 'rejected', error: 'گیرنده نامعتبر' });
        else if (x < rates.invalid + rates.retry)
          results.push({ localId: m.localId, outcome: 'retry', error: 'سرویس‌دهنده موقتاً پاسخ نداد' });
        else accepted.push(m);
      }
      if (accepted.length > 0) {
        // one statement for the batch; a reference already accepted keeps its first id and fate
        const { rows } = await pool.query<{ local_id: string; message_id: string }>(
          `WITH incoming AS (
             SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
               AS m(local_id, address, text, outcome, line)
           ), inserted AS (
             INSERT INTO simulator_messages (provider, local_id, channel, address, text, outcome, line, outcome_at)
             SELECT $1, local_id, $7, address, text, outcome, line, now() + make_interval(secs => $8) FROM incoming
             ON CONFLICT (provider, local_id) DO NOTHING
             RETURNING local_id, message_id
           )
           SELECT local_id, message_id::text FROM inserted
           UNION ALL
           SELECT s.local_id, s.message_id::text FROM simulator_messages s JOIN incoming i USING (local_id)
           WHERE s.provider = $1`,
          [
            provider,
            accepted.map((m) => m.localId),
            accepted.map((m) => m.address),
            accepted.map((m) => m.text),
            accepted.map((m) => finalStatus(channel, m, rates)),
            accepted.map((m) => m.line ?? 'advertising'),
            channel,
            rates.delay_seconds,
          ],
        );
        const ids = new Map(rows.map((r) => [r.local_id, r.message_id]));
        for (const m of accepted) {
          results.push({ localId: m.localId, outcome: 'accepted', providerId: ids.get(m.localId)! });
        }
      }
      return results;
    },
    async status(providerIds: readonly string[]): Promise<StatusReport[]> {
      if (rates.down) throw new ProviderDownError(provider, 'سرویس‌دهنده شبیه‌ساز در دسترس نیست');
      const { rows } = await pool.query<{
        message_id: string;
        outcome: ReportedStatus;
        outcome_at: Date;
        due: boolean;
      }>(
        `SELECT message_id::text, outcome, outcome_at, outcome_at <= now() AS due
         FROM simulator_messages WHERE message_id = ANY($1::bigint[])`,
        [providerIds],
      );
      return rows.map((r) => ({
        providerId: r.message_id,
        status: r.due ? r.outcome : 'pending',
        at: r.outcome_at,
      }));
    },
  };
}
