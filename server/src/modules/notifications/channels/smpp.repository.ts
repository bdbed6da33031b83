import type { ReportedStatus } from './adapter.js';
import type { SqlRunner } from './adapter.js';
import type { DeliveryReceipt } from './smpp-pdu.js';

/** The SMPP link's records: delivery receipts by the SMSC's message id, and what phones sent us. */

/**
 * Receipts of one SMSC account in one statement. A receipt sent again (the SMSC did not see our
 * answer) or a later word on a message still pending replaces it; one message twice in a batch keeps
 * its last word.
 */
export async function saveDeliveryReceipts(
  db: SqlRunner,
  smsc: string,
  receipts: readonly DeliveryReceipt[],
): Promise<void> {
  const last = new Map(receipts.map((r) => [r.messageId, r]));
  const rows = [...last.values()];
  await db.query(
    `INSERT INTO smpp_receipts (smsc, message_id, stat, status)
     SELECT $1, r.message_id, r.stat, r.status
     FROM unnest($2::text[], $3::text[], $4::text[]) AS r (message_id, stat, status)
     ON CONFLICT (smsc, message_id) DO UPDATE
       SET stat = excluded.stat, status = excluded.status, received_at = now()
       WHERE smpp_receipts.status = 'pending'`,
    [smsc, rows.map((r) => r.messageId), rows.map((r) => r.stat), rows.map((r) => r.status)],
  );
}

export interface ReceiptRow {
  message_id: string;
  status: ReportedStatus;
  received_at: Date;
}

export async function findDeliveryReceipts(
  db: SqlRunner,
  smsc: string,
  messageIds: readonly string[],
): Promise<ReceiptRow[]> {
  const { rows } = await db.query<ReceiptRow>(
    `SELECT message_id, status, received_at FROM smpp_receipts
     WHERE smsc = $1 AND message_id = ANY ($2::text[])`,
    [smsc, messageIds],
  );
  return rows;
}

/**
 * A message from a phone, kept; when it opts out, the mobile's opt-out from that line in the same
 * statement (a second «۱۱» keeps the first date). The SMS already queued for that mobile are held by
 * dispatch when it takes them (`claimDue`), so this answer to the SMSC never waits on a dispatcher.
 */
export async function saveInboundSms(
  db: SqlRunner,
  message: { provider: string; source: string; line: string; text: string; optOut: boolean },
): Promise<void> {
  await db.query(
    `WITH kept AS (
       INSERT INTO inbound_sms (provider, source, line, text, opt_out) VALUES ($1, $2, $3, $4, $5)
       RETURNING id, source, line, opt_out
     )
     INSERT INTO sms_opt_outs (mobile, line, inbound_sms_id)
     SELECT source, line, id FROM kept WHERE opt_out
     ON CONFLICT (mobile, line) DO NOTHING`,
    [message.provider, message.source, message.line, message.text, message.optOut],
  );
}

/** A long message's parts one SMSC took so far (`smpp_partial_messages`). */
export interface PartialMessage {
  localId: string;
  reference: number;
  /** sender, destination and text the parts were cut from */
  fingerprint: string;
  messageIds: string[];
}

/** The partly taken messages among these, at this SMSC. */
export async function findPartialMessages(
  db: SqlRunner,
  smsc: string,
  localIds: readonly string[],
): Promise<PartialMessage[]> {
  const { rows } = await db.query<{
    local_id: string;
    reference: number;
    fingerprint: string;
    message_ids: string[];
  }>(
    `SELECT local_id, reference, fingerprint, message_ids FROM smpp_partial_messages
     WHERE smsc = $1 AND local_id = ANY ($2::text[])`,
    [smsc, localIds],
  );
  return rows.map((r) => ({
    localId: r.local_id,
    reference: r.reference,
    fingerprint: r.fingerprint,
    messageIds: r.message_ids,
  }));
}

/** Keeps a message's parts taken so far; those of messages two days old are let go meanwhile. */
export async function savePartialMessage(
  db: SqlRunner,
  smsc: string,
  message: PartialMessage,
): Promise<void> {
  await db.query(
    `WITH stale AS (DELETE FROM smpp_partial_messages WHERE saved_at < now() - interval '2 days')
     INSERT INTO smpp_partial_messages (smsc, local_id, reference, fingerprint, message_ids) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (smsc, local_id) DO UPDATE SET reference = excluded.reference, fingerprint = excluded.fingerprint,
       message_ids = excluded.message_ids, saved_at = now()`,
    [smsc, message.localId, message.reference, message.fingerprint, message.messageIds],
  );
}

/** The partial records of messages now taken whole or refused. */
export async function deletePartialMessages(db: SqlRunner, smsc: string, localIds: readonly string[]) {
  await db.query(`DELETE FROM smpp_partial_messages WHERE smsc = $1 AND local_id = ANY ($2::text[])`, [
    smsc,
    localIds,
  ]);
}
