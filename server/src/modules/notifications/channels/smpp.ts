import { createHash } from 'node:crypto';
import smpp, { type PDU, type Session } from 'smpp';
import { toPersianDigits } from '@vosul/common';
import {
  ProviderDownError,
  type ChannelAdapter,
  type OutgoingMessage,
  type SendResult,
  type SqlRunner,
  type StatusReport,
} from './adapter.js';
import {
  DATA_CODING_UCS2,
  internationalNumber,
  isDeliveryReceipt,
  isOptOutReply,
  parseReceipt,
  SINGLE_UNITS,
  type DeliveryReceipt,
  storedNumber,
  textOfShortMessage,
  ucs2Parts,
} from './smpp-pdu.js';
import {
  deletePartialMessages,
  findDeliveryReceipts,
  findPartialMessages,
  saveDeliveryReceipts,
  saveInboundSms,
  savePartialMessage,
  type PartialMessage,
} from './smpp.repository.js';

/**
 * SMS over SMPP v3.4 (the `smpp` package): one transceiver bind per account kept open across the
 * dispatcher's passes, so delivery receipts and phones' replies (deliver_sm) reach us between them.
 * submit_sm in UCS-2, long texts in concatenated parts; at most `window` requests unanswered at once;
 * enquire_link keeps the bind alive and a silent SMSC is dropped; a dropped bind is made again with
 * backoff. A message counts as taken only when the SMSC answered every part: one whose answer the
 * drop swallowed is tried again (SMPP has no reference the SMSC de-duplicates on, unlike Kavenegar's
 * localid — an SMSC that took a part and lost its answer may show that part twice). The parts of a
 * long message the SMSC did answer are kept (`smpp_partial_messages`): sent again, only the missing
 * parts go, under the same concatenation reference, and the phone joins them to the first ones.
 */

export interface SmppAccount {
  host: string;
  port: number;
  systemId: string;
  password: string;
  systemType: string;
  /** the line a message naming none goes from */
  line: string;
  /** submits a second the SMSC agreed to */
  perSecond: number;
  /** requests sent and not yet answered, at most */
  window?: number;
  enquireLinkMs?: number;
  /** an answer (bind, submit, enquire_link) not come by then: the link is taken for dead */
  responseTimeoutMs?: number;
}

const DEFAULT_WINDOW = 20;
/**
 * Receipts come one PDU each, as fast as messages go: they are kept in batches of up to this many (or
 * what came within `RECEIPT_WAIT_MS`), one statement each, and acknowledged once written.
 */
const RECEIPT_BATCH = 200;
const RECEIPT_WAIT_MS = 20;
/** how often a bind is tried before the SMSC counts as down for this pass */
const BIND_TRIES = 3;
const MAX_BACKOFF_MS = 30_000;

/** submit_sm_resp and bind_resp statuses (SMPP v3.4 §5.1.3), as the pipeline takes them. */
type Outcome = 'ok' | 'retry' | 'reject' | 'stop';
const COMMAND_STATUS: Record<number, { outcome: Outcome; meaning: string }> = {
  0x00: { outcome: 'ok', meaning: 'پذیرفته شد' },
  0x01: { outcome: 'reject', meaning: 'طول پیام نامعتبر است' },
  0x04: { outcome: 'retry', meaning: 'اتصال در وضعیت bind نیست' },
  0x08: { outcome: 'retry', meaning: 'خطای سامانه مرکز پیامک' },
  0x0a: { outcome: 'stop', meaning: 'خط فرستنده برای این حساب مجاز نیست' },
  0x0b: { outcome: 'reject', meaning: 'شماره گیرنده نامعتبر است' },
  0x0d: { outcome: 'stop', meaning: 'اتصال (bind) پذیرفته نشد' },
  0x0e: { outcome: 'stop', meaning: 'گذرواژه SMPP نادرست است' },
  0x0f: { outcome: 'stop', meaning: 'شناسه سامانه (system_id) نادرست است' },
  0x14: { outcome: 'retry', meaning: 'صف پیام مرکز پیامک پر است' },
  0x45: { outcome: 'retry', meaning: 'ثبت پیام در مرکز پیامک ناموفق بود' },
  0x58: { outcome: 'retry', meaning: 'ارسال بیش از حد مجاز در ثانیه (throttling)' },
  0x64: { outcome: 'retry', meaning: 'خطای موقت مرکز پیامک' },
};

function statusOf(code: number): { outcome: Outcome; meaning: string } {
  const known = COMMAND_STATUS[code];
  if (known) return known;
  // vendor codes (0x400–0x4FF) and the rest name a fault of the message, never of the moment
  return { outcome: 'reject', meaning: `کد خطای ${toPersianDigits(`0x${code.toString(16).toUpperCase()}`)}` };
}

/** A C-octet string field of a PDU ('' when absent). */
const textField = (pdu: PDU, name: string): string => {
  const value = pdu[name];
  return typeof value === 'string' ? value : '';
};

class LinkLost extends Error {}

/** A refused bind: the account is wrong, an administrator must act. */
class BindRefused extends Error {}

interface Waiter {
  resolve: () => void;
}

/** One bound transceiver to an SMSC, kept open and made again when it drops. */
export class SmppLink {
  private session: Session | null = null;
  private binding: Promise<void> | null = null;
  private closed = false;
  private backoffMs = 250;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private enquireTimer: NodeJS.Timeout | null = null;
  private readonly pending = new Map<number, { reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private readonly waiting: Waiter[] = [];
  private outstanding = 0;
  private reference = Math.floor(Math.random() * 256);
  private readonly receipts: { session: Session; pdu: PDU; receipt: DeliveryReceipt }[] = [];
  private receiptTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly account: SmppAccount,
    readonly provider: string,
    public store: SqlRunner,
  ) {}

  /** the SMSC account: its receipts may come on any bind of it (another server's, the second provider's) */
  get smsc(): string {
    return `${this.account.systemId}@${this.account.host}:${this.account.port}`;
  }

  get window(): number {
    return this.account.window ?? DEFAULT_WINDOW;
  }

  private get timeoutMs(): number {
    return this.account.responseTimeoutMs ?? 10_000;
  }

  nextReference(): number {
    this.reference = (this.reference + 1) & 0xff;
    return this.reference;
  }

  /** Bound, or ProviderDownError after `BIND_TRIES` tries (needing an administrator when refused). */
  async ready(): Promise<void> {
    if (this.closed) throw new ProviderDownError(this.provider, 'اتصال SMPP بسته شده است');
    let lastError: unknown = null;
    for (let attempt = 0; attempt < BIND_TRIES; attempt++) {
      if (this.session) return;
      try {
        await (this.binding ??= this.bind());
        return;
      } catch (err) {
        if (err instanceof BindRefused)
          throw new ProviderDownError(this.provider, err.message, { needsAdmin: true });
        lastError = err;
        await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
      }
    }
    const reason = lastError instanceof Error ? lastError.message : String(lastError);
    throw new ProviderDownError(this.provider, `مرکز پیامک SMPP در دسترس نیست: ${reason}`);
  }

  private bind(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const session = smpp.connect({ host: this.account.host, port: this.account.port });
      let settled = false;
      const fail = (err: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        session.destroy();
        reject(err);
      };
      const timer = setTimeout(() => fail(new Error('پاسخ bind نرسید')), this.timeoutMs);
      session.on('error', (err: Error) => fail(err));
      session.on('close', () => {
        if (!settled) fail(new Error('اتصال پیش از bind بسته شد'));
        else if (this.session === session) this.dropped();
      });
      session.on('connect', () => {
        session.bind_transceiver(
          {
            system_id: this.account.systemId,
            password: this.account.password,
            system_type: this.account.systemType,
            interface_version: 0x34,
          },
          (pdu) => {
            if (settled) return;
            if (pdu.command_status !== 0) {
              const { meaning } = statusOf(pdu.command_status);
              fail(new BindRefused(`مرکز پیامک اتصال را نپذیرفت: ${meaning}`));
              return;
            }
            settled = true;
            clearTimeout(timer);
            if (this.closed) {
              session.close();
              resolve();
              return;
            }
            this.session = session;
            this.backoffMs = 250;
            this.listen(session);
            resolve();
          },
        );
      });
    }).finally(() => {
      this.binding = null;
    });
  }

  private listen(session: Session): void {
    session.on('deliver_sm', (pdu: PDU) => void this.onDeliver(session, pdu));
    session.on('enquire_link', (pdu: PDU) => session.send(pdu.response()));
    session.on('unbind', (pdu: PDU) => {
      session.send(pdu.response());
      session.close();
    });
    const period = this.account.enquireLinkMs ?? 30_000;
    this.enquireTimer = setInterval(() => {
      // an SMSC that does not answer its keep-alive is gone, even when TCP has not noticed
      const timer = setTimeout(() => session.destroy(), this.timeoutMs);
      session.enquire_link(() => clearTimeout(timer));
    }, period);
  }

  /** A receipt or a phone's message, kept before the SMSC is told we have it (so it sends it again otherwise). */
  private async onDeliver(session: Session, pdu: PDU): Promise<void> {
    try {
      const text = textOfShortMessage(pdu.short_message ?? pdu.message_payload);
      if (isDeliveryReceipt(Number(pdu.esm_class ?? 0))) {
        const receipt = parseReceipt({
          receipted_message_id: pdu.receipted_message_id,
          message_state: pdu.message_state,
          text,
        });
        if (receipt) {
          // acknowledged by the batch's write
          this.receipts.push({ session, pdu, receipt });
          if (this.receipts.length >= RECEIPT_BATCH) void this.flushReceipts();
          else this.receiptTimer ??= setTimeout(() => void this.flushReceipts(), RECEIPT_WAIT_MS);
          return;
        }
      } else {
        await saveInboundSms(this.store, {
          provider: this.provider,
          source: storedNumber(textField(pdu, 'source_addr')),
          line: textField(pdu, 'destination_addr'),
          text,
          optOut: isOptOutReply(text),
        });
      }
      session.send(pdu.response());
    } catch {
      session.send(pdu.response({ command_status: smpp.ESME_RX_T_APPN }));
    }
  }

  /** The receipts gathered so far, kept in one statement, then each acknowledged (or refused for now). */
  private async flushReceipts(): Promise<void> {
    if (this.receiptTimer) clearTimeout(this.receiptTimer);
    this.receiptTimer = null;
    const batch = this.receipts.splice(0);
    if (batch.length === 0) return;
    let status = 0;
    try {
      await saveDeliveryReceipts(
        this.store,
        this.smsc,
        batch.map((b) => b.receipt),
      );
    } catch {
      // the SMSC sends them again later
      status = smpp.ESME_RX_T_APPN;
    }
    for (const { session, pdu } of batch) session.send(pdu.response({ command_status: status }));
  }

  private dropped(): void {
    this.session = null;
    if (this.enquireTimer) clearInterval(this.enquireTimer);
    this.enquireTimer = null;
    for (const [, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new LinkLost('اتصال SMPP قطع شد'));
    }
    this.pending.clear();
    if (this.closed) return;
    // bound again in the background, so receipts and replies keep coming between passes
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.closed || this.session) return;
      (this.binding ??= this.bind()).catch(() => {
        this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
        if (!this.session && !this.closed) this.dropped();
      });
    }, this.backoffMs);
  }

  private async slot(): Promise<void> {
    if (this.outstanding < this.window) {
      this.outstanding += 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push({ resolve }));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next.resolve();
    else this.outstanding -= 1;
  }

  /** One submit_sm through the window: the SMSC's answer, or LinkLost when the bind drops first. */
  async submit(fields: Record<string, unknown>): Promise<{ status: number; messageId: string }> {
    await this.slot();
    try {
      const session = this.session;
      if (!session) throw new LinkLost('اتصال SMPP برقرار نیست');
      return await new Promise((resolve, reject) => {
        const request = new smpp.PDU('submit_sm', fields);
        const sent = session.send(request, (answer) => {
          const p = this.pending.get(request.sequence_number);
          if (p) clearTimeout(p.timer);
          this.pending.delete(request.sequence_number);
          resolve({ status: answer.command_status, messageId: textField(answer, 'message_id') });
        });
        if (!sent) {
          reject(new LinkLost('اتصال SMPP برقرار نیست'));
          return;
        }
        const sequence = request.sequence_number;
        const timer = setTimeout(() => {
          // an unanswered submit: the link is not to be trusted; dropping it fails the others too
          this.pending.delete(sequence);
          reject(new LinkLost('پاسخ submit_sm نرسید'));
          session.destroy();
        }, this.timeoutMs);
        this.pending.set(sequence, { reject, timer });
      });
    } finally {
      this.release();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    // the receipts already come are kept and acknowledged before the unbind
    await this.flushReceipts();
    const session = this.session;
    if (!session) return;
    await new Promise<void>((resolve) => {
      const done = setTimeout(() => {
        session.destroy();
        resolve();
      }, 2000);
      session.on('close', () => {
        clearTimeout(done);
        resolve();
      });
      if (!session.unbind(() => session.close())) session.destroy();
    });
  }
}

/** The SMPP account's links, one per account, kept open between the dispatcher's passes. */
const links = new Map<string, SmppLink>();

/** The open link of an account (made on first use). */
export function smppLinkOf(account: SmppAccount, provider: string, store: SqlRunner): SmppLink {
  const key = JSON.stringify([provider, account.host, account.port, account.systemId, account.password]);
  let link = links.get(key);
  if (!link) {
    link = new SmppLink(account, provider, store);
    links.set(key, link);
  } else link.store = store; // the latest pass's database
  return link;
}

/** The links of accounts no longer in the settings unbound (kept: those of this pass). */
export async function closeSmppLinksExcept(kept: readonly SmppLink[]): Promise<void> {
  const gone = [...links].filter(([, link]) => !kept.includes(link));
  for (const [key] of gone) links.delete(key);
  await Promise.all(gone.map(([, link]) => link.close()));
}

/** Every open SMPP link unbound (the server stopping, `vosul dispatch` done). */
export async function closeSmppLinks(): Promise<void> {
  const open = [...links.values()];
  links.clear();
  await Promise.all(open.map((link) => link.close()));
}

/** The SMS adapter over a link: each message's parts submitted through the window. */
export function smppSmsAdapter(link: SmppLink, provider = link.provider): ChannelAdapter {
  /** One message's parts through the window; `partial`: what an earlier try got the SMSC to take. */
  const submitMessage = async (
    message: OutgoingMessage,
    partial: PartialMessage | undefined,
  ): Promise<SendResult> => {
    const source = message.sender || link.account.line;
    // hashed only where a long message's parts are kept or compared, not for every SMS of a batch
    const fingerprint = () =>
      createHash('sha256').update(`${source}|${message.address}|${message.text}`).digest('hex');
    // the parts taken before go on under their reference only for the very message they were cut from
    const resumed = partial && partial.fingerprint === fingerprint() ? partial : undefined;
    const reference = resumed?.reference ?? link.nextReference();
    const parts = ucs2Parts(message.text, reference);
    if (!parts)
      return { localId: message.localId, outcome: 'rejected', error: 'متن پیام بیش از ۲۵۵ بخش است' };
    const ids = resumed?.messageIds.length === parts.length ? [...resumed.messageIds] : parts.map(() => '');
    // the parts taken so far are kept before the message is given back to be tried again; a record
    // that cannot be written only costs what it saves (the message goes whole next time), never a send
    const again = async (error: string): Promise<SendResult> => {
      if (parts.length > 1 && ids.some(Boolean))
        await savePartialMessage(link.store, link.smsc, {
          localId: message.localId,
          reference,
          fingerprint: fingerprint(),
          messageIds: ids,
        }).catch(() => undefined);
      return { localId: message.localId, outcome: 'retry', error };
    };
    for (const [i, part] of parts.entries()) {
      if (ids[i]) continue;
      let answer: { status: number; messageId: string };
      try {
        answer = await link.submit({
          source_addr_ton: 0,
          source_addr_npi: 1,
          source_addr: source,
          dest_addr_ton: 1,
          dest_addr_npi: 1,
          destination_addr: internationalNumber(message.address),
          esm_class: part.esm_class,
          data_coding: DATA_CODING_UCS2,
          // a receipt on the final outcome, delivered or not
          registered_delivery: 1,
          short_message: part.short_message,
        });
      } catch (err) {
        if (err instanceof LinkLost) return again(err.message);
        throw err;
      }
      const { outcome, meaning } = statusOf(answer.status);
      if (outcome === 'stop') throw new ProviderDownError(provider, meaning, { needsAdmin: true });
      if (outcome === 'retry') return again(meaning);
      if (outcome === 'reject') return { localId: message.localId, outcome: 'rejected', error: meaning };
      ids[i] = answer.messageId;
    }
    return { localId: message.localId, outcome: 'accepted', providerId: ids.join(',') };
  };

  return {
    provider,
    maxBatch: 200,
    perSecond: link.account.perSecond,
    async send(messages) {
      await link.ready();
      const long = messages.filter((m) => m.text.length > SINGLE_UNITS).map((m) => m.localId);
      const partials = new Map(
        (long.length > 0 ? await findPartialMessages(link.store, link.smsc, long) : []).map((p) => [
          p.localId,
          p,
        ]),
      );
      // all at once: the window holds back what the SMSC has not answered yet; an account refused
      // mid-batch is told once every message has its answer
      const settled = await Promise.allSettled(
        messages.map((m) => submitMessage(m, partials.get(m.localId))),
      );
      const refused = settled.find((s) => s.status === 'rejected');
      if (refused) throw refused.reason;
      const results = settled.map((s) => (s as PromiseFulfilledResult<SendResult>).value);
      const done = results.filter((r) => partials.has(r.localId) && r.outcome !== 'retry');
      if (done.length > 0)
        // left over, a record is let go after two days
        await deletePartialMessages(
          link.store,
          link.smsc,
          done.map((r) => r.localId),
        ).catch(() => undefined);
      return results;
    },
    async status(providerIds) {
      const partIds = providerIds.flatMap((id) => id.split(','));
      const rows = await findDeliveryReceipts(link.store, link.smsc, partIds);
      const byId = new Map(rows.map((r) => [r.message_id, r]));
      const reports: StatusReport[] = [];
      for (const providerId of providerIds) {
        const parts = providerId.split(',').map((id) => byId.get(id));
        const known = parts.filter((p) => p !== undefined);
        const at = new Date(Math.max(0, ...known.map((p) => p.received_at.getTime())));
        // a long message is delivered when every part is; one part lost, or out of date, is the message's
        const worst = ['failed', 'expired'].find((s) => known.some((p) => p.status === s));
        if (worst) reports.push({ providerId, status: worst as 'failed' | 'expired', at });
        else if (known.length === parts.length && known.every((p) => p.status === 'delivered'))
          reports.push({ providerId, status: 'delivered', at });
        else reports.push({ providerId, status: 'pending', at: new Date() });
      }
      return reports;
    },
  };
}

/** "Test connection": bind with the account, say what the SMSC answered, unbind. */
export async function checkSmppAccount(account: SmppAccount): Promise<{ ok: boolean; message: string }> {
  const link = new SmppLink(account, 'smpp-check', {
    query: () => Promise.reject(new Error('a connection test keeps nothing')),
  });
  try {
    await link.ready();
    return {
      ok: true,
      message: `مرکز پیامک ${account.host}:${toPersianDigits(account.port)} اتصال با شناسه ${account.systemId} را پذیرفت`,
    };
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  } finally {
    await link.close();
  }
}
