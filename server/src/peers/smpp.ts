import type { AddressInfo, Socket } from 'node:net';
import smpp, { type PDU, type Session } from 'smpp';

/**
 * A local SMSC: an SMPP v3.4 server made with the same `smpp` package, answering as the
 * specification says — bind_transceiver with system_id and password, submit_sm answered with a
 * message id, concatenated parts (UDH) put back together, delivery receipts sent back as deliver_sm
 * (esm_class 0x04, the Appendix B text plus the receipted_message_id and message_state TLVs) and
 * resent until acknowledged, enquire_link answered, messages from phones delivered to the bound
 * transceiver. The tests and the bench send through it; it can cut every connection in the middle
 * of a window, throttle, answer late (counting the submits it holds unanswered), hang up every new
 * connection (noting when each came), and refuse connections.
 */

export interface FakeSmscOptions {
  systemId: string;
  password: string;
  /** a message's final state (DELIVRD, UNDELIV, EXPIRED, REJECTD …), or null to send no receipt */
  finalStat?: (destination: string) => string | null;
  /** submit_sm_resp's command_status for a destination (0 = taken) */
  submitStatus?: (destination: string) => number;
  /** how long after taking a message its receipt goes, ms */
  receiptMs?: number;
  /** submits a second before ESME_RTHROTTLED (0x58) */
  perSecond?: number;
}

/** One submit_sm the SMSC took (answered with command_status 0). */
export interface SmscSubmit {
  messageId: string;
  source: string;
  destination: string;
  dataCoding: number;
  /** the concatenation header's reference, part count and number; null for a one-part message */
  udh: { reference: number; total: number; seq: number } | null;
  text: string;
}

/** A whole message as a phone shows it: every part of it taken, put back together in order. */
export interface SmscMessage {
  source: string;
  destination: string;
  text: string;
  parts: number;
  messageIds: string[];
}

export interface FakeSmsc {
  host: string;
  port: number;
  readonly submits: SmscSubmit[];
  readonly messages: SmscMessage[];
  readonly counts: { binds: number; enquireLinks: number; refusedBinds: number };
  /** receipts sent and not yet acknowledged by the client */
  readonly unacknowledgedReceipts: () => number;
  /** the next `taken` submits are answered, the one after is read but never answered and every connection is cut */
  dropAfter(taken: number): void;
  /** answer each submit_sm this long after reading it (0: at once) */
  setAnswerDelay(ms: number): void;
  /** submits read and not yet answered: now, and the most at once since `max` was last set to 0 */
  readonly inFlight: { now: number; max: number };
  /** when each connection was accepted, ms since the epoch */
  readonly connectionTimes: number[];
  /** while on, every new connection is hung up as soon as it is made (an SMSC restarting) */
  hangUpConnections(on: boolean): void;
  /** cut every open connection now */
  cutConnections(): void;
  /** refuse connections (the port closed) until `up()` */
  down(): Promise<void>;
  up(): Promise<void>;
  /** a phone sends `text` (UCS-2) from `from` to the bank's line `to`; resolves when the client acknowledged it */
  sendFromPhone(from: string, to: string, text: string): Promise<number>;
  close(): Promise<void>;
}

interface Bound {
  session: Session;
  socket: Socket;
}

const RECEIPT_STATE: Record<string, number> = {
  ENROUTE: 1,
  DELIVRD: 2,
  EXPIRED: 3,
  DELETED: 4,
  UNDELIV: 5,
  ACCEPTD: 6,
  UNKNOWN: 7,
  REJECTD: 8,
};

function smppTime(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(date.getUTCFullYear() % 100)}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}${p(date.getUTCHours())}${p(date.getUTCMinutes())}`;
}

export async function startFakeSmsc(options: FakeSmscOptions): Promise<FakeSmsc> {
  const submits: SmscSubmit[] = [];
  const messages: SmscMessage[] = [];
  const counts = { binds: 0, enquireLinks: 0, refusedBinds: 0 };
  const bound = new Set<Bound>();
  const sockets = new Set<Socket>();
  const partsOf = new Map<string, SmscSubmit[]>();
  const pendingReceipts = new Map<
    string,
    { destination: string; source: string; stat: string; submitted: Date }
  >();
  let nextId = 1000;
  let dropIn: number | null = null;
  let answerDelayMs = 0;
  let hangUp = false;
  const inFlight = { now: 0, max: 0 };
  const connectionTimes: number[] = [];
  let windowStart = Date.now();
  let inWindow = 0;

  const send = (session: Session, command: string, fields: Record<string, unknown>): Promise<PDU> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${command}_resp`)), 5000);
      const sent = session.send(new smpp.PDU(command, fields), (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      if (!sent) {
        clearTimeout(timer);
        reject(new Error('not connected'));
      }
    });

  // a receipt goes to any bound transceiver of the account, and again until one acknowledges it
  const deliverReceipt = async (messageId: string): Promise<void> => {
    const receipt = pendingReceipts.get(messageId);
    if (!receipt) return;
    const target = [...bound][0];
    if (!target) {
      setTimeout(() => void deliverReceipt(messageId), 200);
      return;
    }
    const done = new Date();
    const text = `id:${messageId} sub:001 dlvrd:${receipt.stat === 'DELIVRD' ? '001' : '000'} submit date:${smppTime(receipt.submitted)} done date:${smppTime(done)} stat:${receipt.stat} err:000 text:`;
    try {
      const answer = await send(target.session, 'deliver_sm', {
        source_addr: receipt.destination,
        destination_addr: receipt.source,
        esm_class: 0x04,
        data_coding: 0,
        short_message: text,
        receipted_message_id: messageId,
        message_state: RECEIPT_STATE[receipt.stat] ?? 7,
      });
      if (answer.command_status === 0) pendingReceipts.delete(messageId);
      else setTimeout(() => void deliverReceipt(messageId), 200);
    } catch {
      setTimeout(() => void deliverReceipt(messageId), 200);
    }
  };

  const takeSubmit = (pdu: PDU): { status: number; messageId?: string } => {
    const destination = String(pdu.destination_addr);
    const status = options.submitStatus?.(destination) ?? 0;
    if (status !== 0) return { status };
    if (options.perSecond) {
      const now = Date.now();
      if (now - windowStart >= 1000) {
        windowStart = now;
        inWindow = 0;
      }
      if (++inWindow > options.perSecond) return { status: smpp.ESME_RTHROTTLED };
    }
    const body = pdu.short_message as { udh?: Buffer[]; message?: string } | undefined;
    const header = body?.udh?.find((ie) => ie[0] === 0x00 && ie[1] === 3);
    const submit: SmscSubmit = {
      messageId: String(nextId++),
      source: String(pdu.source_addr),
      destination,
      dataCoding: Number(pdu.data_coding),
      udh: header ? { reference: header[2]!, total: header[3]!, seq: header[4]! } : null,
      text: typeof body?.message === 'string' ? body.message : '',
    };
    submits.push(submit);
    const key = `${submit.source}|${destination}|${submit.udh?.reference ?? `single${submit.messageId}`}`;
    const parts = [...(partsOf.get(key) ?? []), submit];
    partsOf.set(key, parts);
    const total = submit.udh?.total ?? 1;
    if (parts.length === total) {
      partsOf.delete(key);
      const ordered = [...parts].sort((a, b) => (a.udh?.seq ?? 1) - (b.udh?.seq ?? 1));
      messages.push({
        source: submit.source,
        destination,
        text: ordered.map((p) => p.text).join(''),
        parts: total,
        messageIds: ordered.map((p) => p.messageId),
      });
    }
    const stat = options.finalStat ? options.finalStat(destination) : 'DELIVRD';
    if (stat && Number(pdu.registered_delivery ?? 0) & 0x01) {
      pendingReceipts.set(submit.messageId, {
        destination,
        source: submit.source,
        stat,
        submitted: new Date(),
      });
      setTimeout(() => void deliverReceipt(submit.messageId), options.receiptMs ?? 50);
    }
    return { status: 0, messageId: submit.messageId };
  };

  const cutAll = () => {
    for (const s of sockets) s.destroy();
  };

  const onSession = (session: Session) => {
    const socket = session.socket;
    connectionTimes.push(Date.now());
    if (hangUp) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    let me: Bound | null = null;
    session.on('error', () => undefined);
    socket.on('close', () => {
      sockets.delete(socket);
      if (me) bound.delete(me);
    });
    session.on('bind_transceiver', (pdu: PDU) => {
      if (pdu.system_id !== options.systemId || pdu.password !== options.password) {
        counts.refusedBinds += 1;
        const status = pdu.system_id !== options.systemId ? smpp.ESME_RINVSYSID : smpp.ESME_RINVPASWD;
        session.send(pdu.response({ command_status: status }));
        return;
      }
      counts.binds += 1;
      me = { session, socket };
      bound.add(me);
      session.send(pdu.response({ system_id: 'VOSUL-FAKE-SMSC' }));
    });
    session.on('submit_sm', (pdu: PDU) => {
      // requests still in the buffer of a cut connection are never read
      if (socket.destroyed) return;
      if (!me) {
        session.send(pdu.response({ command_status: smpp.ESME_RINVBNDSTS }));
        return;
      }
      if (dropIn !== null) {
        if (dropIn === 0) {
          // read, never answered, never taken: the connection goes down in the middle of the window
          dropIn = null;
          cutAll();
          return;
        }
        dropIn -= 1;
      }
      const answer = () => {
        const { status, messageId } = takeSubmit(pdu);
        session.send(pdu.response({ command_status: status, message_id: messageId ?? '' }));
      };
      if (answerDelayMs === 0) return answer();
      inFlight.now += 1;
      inFlight.max = Math.max(inFlight.max, inFlight.now);
      setTimeout(() => {
        inFlight.now -= 1;
        if (!socket.destroyed) answer();
      }, answerDelayMs);
    });
    session.on('enquire_link', (pdu: PDU) => {
      counts.enquireLinks += 1;
      session.send(pdu.response());
    });
    session.on('unbind', (pdu: PDU) => {
      session.send(pdu.response());
      session.close();
    });
  };

  let server = smpp.createServer({}, onSession);
  const listen = (port: number) =>
    new Promise<void>((resolve) => {
      server.listen(port, '127.0.0.1', () => resolve());
    });
  await listen(0);
  const port = (server.address() as AddressInfo).port;
  const stop = () =>
    new Promise<void>((resolve) => {
      cutAll();
      server.close(() => resolve());
    });

  return {
    host: '127.0.0.1',
    port,
    submits,
    messages,
    counts,
    unacknowledgedReceipts: () => pendingReceipts.size,
    dropAfter(taken) {
      dropIn = taken;
    },
    setAnswerDelay(ms) {
      answerDelayMs = ms;
    },
    inFlight,
    connectionTimes,
    hangUpConnections(on) {
      hangUp = on;
    },
    cutConnections: cutAll,
    async down() {
      await stop();
    },
    async up() {
      server = smpp.createServer({}, onSession);
      await listen(port);
    },
    async sendFromPhone(from, to, text) {
      const target = [...bound][0];
      if (!target) throw new Error('no client is bound');
      const answer = await send(target.session, 'deliver_sm', {
        source_addr_ton: 1,
        source_addr: from,
        destination_addr: to,
        esm_class: 0,
        data_coding: 0x08,
        short_message: { message: text },
      });
      return answer.command_status;
    },
    close: stop,
  };
}
