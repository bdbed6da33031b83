import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { smsParts } from '@vosul/common/workflows';

/**
 * A local Kavenegar: an HTTP server that answers as api.kavenegar.com v1 is documented to
 * (kavenegar.com/rest.html; the official SDKs send a POST form): `sms/send`, `sms/sendarray`,
 * `sms/status`, `sms/statuslocalmessageid`, `call/maketts`, `account/info`. It keeps its own outbox, so
 * the adapter is tested against the provider's behaviour — the return codes (HTTP status = the
 * code), a `localid` sent again answered with the message already taken and not sent twice, credit
 * running out, the message states moving from queued to final — never against a mock of our own code.
 * The bench sends through it too.
 */

export interface FakeKavenegarOptions {
  apiKey: string;
  /** Rials; each SMS part and each call costs `price` */
  credit?: number;
  price?: number;
  /** the final state of a message (documented codes: 10 delivered, 11, 6, 14 …) */
  finalStatus?: (receptor: string, kind: 'sms' | 'call', sender: string) => number;
  /** how long a message stays "sent to the operator" (4) before its final state, in ms */
  settleMs?: number;
  /** the most calls a second before 451 */
  callsPerSecond?: number;
}

export interface FakeMessage {
  messageid: number;
  kind: 'sms' | 'call';
  receptor: string;
  sender: string;
  message: string;
  localid: string | null;
  date: number;
  cost: number;
  sentAt: number;
}

export interface FakeKavenegar {
  url: string;
  /** every message taken, in order (a de-duplicated one is not taken twice) */
  readonly messages: FakeMessage[];
  /** calls answered, by method (`sms/sendarray` …) */
  readonly calls: Map<string, number>;
  credit: number;
  /** the next `times` calls answer `code` (e.g. 409 busy, 451 too many calls, 418 out of credit) */
  failNext(code: number, times?: number): void;
  /** the next `times` calls are carried out, then the connection is cut before the answer */
  dropNext(times?: number): void;
  /** the server stops answering at all (connections refused) until `up()` */
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

const TEXTS: Record<number, string> = {
  200: 'تایید شد',
  400: 'پارامترها ناقص هستند',
  403: 'کد شناسائی API-Key معتبر نمی‌باشد',
  404: 'متد تعریف نشده است',
  405: 'فراخوانی Get یا Post اشتباه است',
  409: 'سرور قادر به پاسخگوئی نیست بعدا تلاش کنید',
  411: 'دریافت کننده نامعتبر است',
  413: 'پیام خالی است و یا طول پیام بیش از حد مجاز می‌باشد',
  414: 'حجم درخواست بیش از حد مجاز است',
  418: 'اعتبار حساب شما کافی نیست',
  419: 'طول آرایه متن و گیرنده و فرستنده هم اندازه نیست',
  451: 'فراخوانی بیش از حد در بازه زمانی مشخص IP محدود شده',
};

const STATUS_TEXTS: Record<number, string> = {
  1: 'در صف ارسال',
  4: 'ارسال به مخابرات',
  6: 'خطا در ارسال پیام',
  10: 'رسیده به گیرنده',
  11: 'نرسیده به گیرنده',
  13: 'لغو شده',
  14: 'بلاک شده',
  100: 'شناسه پیامک نامعتبر است',
};

/** Iranian mobile numbers in the documented forms: 0912…, 0098912…, +98912…, 912… */
const RECEPTOR = /^(?:0|0098|\+98)?9\d{9}$/;

class ApiError extends Error {
  constructor(readonly code: number) {
    super(TEXTS[code] ?? `error ${code}`);
  }
}

export async function startFakeKavenegar(options: FakeKavenegarOptions): Promise<FakeKavenegar> {
  const price = options.price ?? 0;
  const settleMs = options.settleMs ?? 0;
  const finalStatus = options.finalStatus ?? (() => 10);
  const messages: FakeMessage[] = [];
  const byId = new Map<number, FakeMessage>();
  const byLocalId = new Map<string, FakeMessage>();
  const calls = new Map<string, number>();
  const failures: number[] = [];
  let drops = 0;
  let nextId = 170_000_000;
  let second = 0;
  let callsThisSecond = 0;

  const state = {
    credit: options.credit ?? Number.MAX_SAFE_INTEGER,
  };

  const statusOf = (m: FakeMessage) =>
    Date.now() - m.sentAt < settleMs ? (m.kind === 'sms' ? 4 : 1) : finalStatus(m.receptor, m.kind, m.sender);

  const entryOf = (m: FakeMessage) => {
    const status = statusOf(m);
    return {
      messageid: m.messageid,
      message: m.message,
      status,
      statustext: STATUS_TEXTS[status] ?? '',
      sender: m.sender,
      receptor: m.receptor,
      date: m.date,
      cost: m.cost,
    };
  };

  /** Takes the messages of one call, all or none: a call that fails sends nothing. */
  function take(
    kind: 'sms' | 'call',
    items: { receptor: string; sender: string; message: string; localid: string | null }[],
  ) {
    if (items.length > 200) throw new ApiError(414);
    for (const it of items) {
      if (!RECEPTOR.test(it.receptor)) throw new ApiError(411);
      if (it.message === '' || [...it.message].length > 900) throw new ApiError(413);
    }
    const fresh = items.filter((it) => it.localid === null || !byLocalId.has(it.localid));
    const cost = fresh.reduce(
      (sum, it) => sum + price * (kind === 'sms' ? smsParts(it.message).parts : 1),
      0,
    );
    if (cost > state.credit) throw new ApiError(418);
    state.credit -= cost;
    return items.map((it) => {
      const known = it.localid === null ? undefined : byLocalId.get(it.localid);
      if (known) return known; // documented: a localid already sent is not sent again; its record is answered
      const m: FakeMessage = {
        messageid: nextId++,
        kind,
        ...it,
        date: Math.floor(Date.now() / 1000),
        cost: price * (kind === 'sms' ? smsParts(it.message).parts : 1),
        sentAt: Date.now(),
      };
      messages.push(m);
      byId.set(m.messageid, m);
      if (it.localid !== null) byLocalId.set(it.localid, m);
      return m;
    });
  }

  function handle(method: string, p: URLSearchParams, httpMethod: string): unknown {
    const list = (name: string) =>
      (p.get(name) ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
    const jsonList = (name: string): string[] => {
      const raw = p.get(name);
      if (raw === null || raw === '') return [];
      if (raw.trim().startsWith('[')) {
        const parsed: unknown = JSON.parse(raw);
        if (!Array.isArray(parsed)) throw new ApiError(400);
        return parsed.map(String);
      }
      return raw.split(',').map((s) => s.trim());
    };
    switch (method) {
      case 'sms/send': {
        const receptors = list('receptor');
        const localids = list('localid');
        if (receptors.length === 0 || !p.get('message'))
          throw new ApiError(receptors.length === 0 ? 400 : 413);
        if (localids.length > 0 && localids.length !== receptors.length) throw new ApiError(400);
        const sender = p.get('sender') ?? '';
        const message = p.get('message') ?? '';
        return take(
          'sms',
          receptors.map((receptor, i) => ({ receptor, sender, message, localid: localids[i] ?? null })),
        ).map(entryOf);
      }
      case 'sms/sendarray': {
        if (httpMethod !== 'POST') throw new ApiError(405);
        const receptors = jsonList('receptor');
        const senders = jsonList('sender');
        const texts = jsonList('message');
        const localids = jsonList('localmessageids');
        if (receptors.length === 0) throw new ApiError(400);
        if (senders.length !== receptors.length || texts.length !== receptors.length) throw new ApiError(419);
        if (localids.length > 0 && localids.length !== receptors.length) throw new ApiError(419);
        return take(
          'sms',
          receptors.map((receptor, i) => ({
            receptor,
            sender: senders[i]!,
            message: texts[i]!,
            localid: localids[i] ?? null,
          })),
        ).map(entryOf);
      }
      case 'call/maketts': {
        const receptors = list('receptor');
        const localids = list('localid');
        if (receptors.length === 0) throw new ApiError(400);
        if (localids.length > 0 && localids.length !== receptors.length) throw new ApiError(400);
        const message = p.get('message') ?? '';
        return take(
          'call',
          receptors.map((receptor, i) => ({ receptor, sender: '', message, localid: localids[i] ?? null })),
        ).map(entryOf);
      }
      case 'sms/status': {
        const ids = list('messageid');
        if (ids.length === 0) throw new ApiError(400);
        if (ids.length > 500) throw new ApiError(414);
        return ids.map((id) => {
          const m = byId.get(Number(id));
          const status = m ? statusOf(m) : 100;
          return { messageid: Number(id), status, statustext: STATUS_TEXTS[status] ?? '' };
        });
      }
      case 'sms/statuslocalmessageid': {
        const ids = list('localid');
        if (ids.length === 0) throw new ApiError(400);
        return ids.map((localid) => {
          const m = byLocalId.get(localid);
          const status = m ? statusOf(m) : 100;
          return { messageid: m?.messageid ?? 0, localid, status, statustext: STATUS_TEXTS[status] ?? '' };
        });
      }
      case 'account/info':
        return { remaincredit: state.credit, expiredate: 1_893_456_000, type: 'master' };
      default:
        throw new ApiError(404);
    }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const params = new URLSearchParams(url.search);
      if (req.method === 'POST')
        for (const [k, v] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) params.set(k, v);
      const match = /^\/v1\/([^/]+)\/([a-z]+\/[a-z]+)\.json\/?$/.exec(url.pathname);
      const answer = (code: number, entries: unknown) => {
        res.writeHead(code, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ return: { status: code, message: TEXTS[code] ?? '' }, entries }));
      };
      if (!match) return answer(404, null);
      const [, key, method] = match as unknown as [string, string, string];
      calls.set(method, (calls.get(method) ?? 0) + 1);
      if (decodeURIComponent(key) !== options.apiKey) return answer(403, null);
      const failure = failures.shift();
      if (failure !== undefined) return answer(failure, null);
      const now = Math.floor(Date.now() / 1000);
      if (now !== second) [second, callsThisSecond] = [now, 0];
      if (options.callsPerSecond !== undefined && ++callsThisSecond > options.callsPerSecond)
        return answer(451, null);
      let entries: unknown;
      try {
        entries = handle(method, params, req.method ?? 'GET');
      } catch (err) {
        if (err instanceof ApiError) return answer(err.code, null);
        if (err instanceof SyntaxError) return answer(400, null);
        throw err;
      }
      if (drops > 0) {
        drops--;
        req.socket.destroy(); // carried out, and the answer lost on the way
        return;
      }
      answer(200, entries);
    });
  });

  const listen = (port = 0) =>
    new Promise<number>((resolve) =>
      server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
    );
  const port = await listen();
  const stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });

  return {
    url: `http://127.0.0.1:${port}`,
    messages,
    calls,
    get credit() {
      return state.credit;
    },
    set credit(v: number) {
      state.credit = v;
    },
    failNext(code, times = 1) {
      for (let i = 0; i < times; i++) failures.push(code);
    },
    dropNext(times = 1) {
      drops += times;
    },
    down: stop,
    up: async () => {
      await listen(port);
    },
    close: stop,
  };
}
