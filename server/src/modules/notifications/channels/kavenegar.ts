import http from 'node:http';
import https from 'node:https';
import { formatMoney, toPersianDigits } from '@vosul/common';
import {
  ProviderDownError,
  type ChannelAdapter,
  type OutgoingMessage,
  type ReportedStatus,
  type SendResult,
  type StatusReport,
} from './adapter.js';

/**
 * Kavenegar's REST API (api.kavenegar.com/v1, kavenegar.com/rest.html): SMS by `sms/sendarray` (up to
 * 200 a call, each with our `localmessageids`, so a call repeated after a lost answer sends nothing
 * twice: the provider answers the messages it already took), spoken calls by `call/maketts`, and
 * delivery by polling `sms/status`. Every documented return code is mapped below to what the pipeline
 * does with it.
 */

export interface KavenegarAccount {
  /** '' = https://api.kavenegar.com */
  apiUrl: string;
  apiKey: string;
  /** the account's default sender line, when the message names none */
  line: string;
  /** messages a second (the account's agreed rate) */
  perSecond: number;
  /** one call's time limit, ms */
  timeoutMs?: number;
}

export const KAVENEGAR_API = 'https://api.kavenegar.com';

/** What the pipeline does with a call's `return.status` (the documented table of return codes). */
export type CodeAction =
  /** the messages were taken */
  | 'ok'
  /** the provider is busy or we called too often (409, 451): the same messages later, with backoff */
  | 'retry'
  /** a message's own fault (invalid receptor 411, empty or too long text 413, links 420, characters 422) */
  | 'reject'
  /** the account cannot send until an administrator acts (credit 418, key 403, disabled 401 …) */
  | 'stop';

export const RETURN_CODES: Record<number, { action: CodeAction; meaning: string }> = {
  200: { action: 'ok', meaning: 'تایید شد' },
  400: { action: 'retry', meaning: 'پارامترها ناقص هستند' },
  401: { action: 'stop', meaning: 'حساب کاربری غیرفعال شده است' },
  402: { action: 'retry', meaning: 'عملیات ناموفق بود' },
  403: { action: 'stop', meaning: 'کلید API معتبر نیست' },
  404: { action: 'stop', meaning: 'متد تعریف نشده است (نشانی سرویس را بررسی کنید)' },
  405: { action: 'retry', meaning: 'فراخوانی Get یا Post اشتباه است' },
  406: { action: 'retry', meaning: 'پارامترهای اجباری خالی ارسال شده‌اند' },
  407: { action: 'stop', meaning: 'دسترسی به این اطلاعات برای حساب شما ممکن نیست' },
  409: { action: 'retry', meaning: 'سرور کاوه‌نگار قادر به پاسخ‌گویی نیست؛ بعداً تلاش می‌شود' },
  411: { action: 'reject', meaning: 'گیرنده نامعتبر است' },
  412: { action: 'stop', meaning: 'خط فرستنده نامعتبر است' },
  413: { action: 'reject', meaning: 'پیام خالی است یا طول آن بیش از حد مجاز است' },
  414: { action: 'retry', meaning: 'حجم درخواست بیش از حد مجاز است' },
  416: { action: 'stop', meaning: 'نشانی IP سرور با تنظیمات حساب کاوه‌نگار هم‌خوان نیست' },
  417: { action: 'retry', meaning: 'تاریخ ارسال اشتباه است' },
  418: { action: 'stop', meaning: 'اعتبار حساب کاوه‌نگار کافی نیست' },
  419: { action: 'retry', meaning: 'طول آرایه متن و گیرنده و فرستنده هم‌اندازه نیست' },
  420: { action: 'reject', meaning: 'استفاده از لینک در متن پیام برای حساب شما محدود شده است' },
  422: { action: 'reject', meaning: 'متن پیام نویسه‌های نامعتبر دارد' },
  426: { action: 'stop', meaning: 'این متد به سرویس پیشرفته نیاز دارد' },
  427: { action: 'stop', meaning: 'این خط به سطح دسترسی نیاز دارد' },
  429: { action: 'stop', meaning: 'دسترسی از این IP محدود شده است' },
  451: { action: 'retry', meaning: 'فراخوانی بیش از حد در بازه زمانی؛ بعداً تلاش می‌شود' },
  501: { action: 'stop', meaning: 'حساب آزمایشی فقط به شماره صاحب حساب پیامک می‌فرستد' },
};

/** Any other code: unknown to the documentation we follow, so tried again later, never dropped. */
const actionOf = (code: number) =>
  RETURN_CODES[code] ?? { action: 'retry' as const, meaning: `خطای ${toPersianDigits(code)}` };

/**
 * The documented message states, as ours: 1 queued, 2 scheduled, 4 and 5 with the operator (pending);
 * 10 delivered; 11 not delivered (phone off or out of reach) and 6 failed; 13 cancelled; 14 the
 * receptor blocks advertising lines (sent again on the service line, P5); 100 the provider no longer
 * knows the message (kept 48 hours), so no report will come. A spoken call (maketts) reports on the
 * same table: 10 answered, 11 not answered.
 */
export function reportedStatus(status: number, kind: 'sms' | 'call'): ReportedStatus {
  switch (status) {
    case 1:
    case 2:
    case 4:
    case 5:
      return 'pending';
    case 10:
      return kind === 'sms' ? 'delivered' : 'answered';
    case 11:
      return kind === 'sms' ? 'failed' : 'no_answer';
    case 14:
      return kind === 'sms' ? 'blocked_ads' : 'rejected';
    case 100:
      return 'expired';
    default: // 6 failed, 13 cancelled, and any state not documented
      return 'failed';
  }
}

interface Envelope {
  return: { status: number; message: string };
  entries: unknown;
}

interface Entry {
  messageid: number;
  status: number;
  receptor?: string;
}

// kept-alive connections: a dispatcher makes a call per batch of 200, many a second
const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

/**
 * One API call: a POST form, as every official SDK sends; the answer's body is read whatever its HTTP
 * code (node's own HTTP client: `fetch` treats Kavenegar's 407 as a proxy's and fails the call).
 */
export function callKavenegar(
  account: Pick<KavenegarAccount, 'apiUrl' | 'apiKey' | 'timeoutMs'>,
  method: string,
  params: Record<string, string>,
): Promise<Envelope> {
  const base = (account.apiUrl || KAVENEGAR_API).replace(/\/+$/, '');
  const url = new URL(`${base}/v1/${encodeURIComponent(account.apiKey)}/${method}.json`);
  const body = Buffer.from(new URLSearchParams(params).toString(), 'utf8');
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<Envelope>((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: 'POST',
        agent: url.protocol === 'https:' ? agents.https : agents.http,
        headers: {
          'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
          'content-length': body.length,
          accept: 'application/json',
        },
        timeout: account.timeoutMs ?? 15_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          try {
            const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Envelope;
            if (typeof parsed?.return?.status === 'number') return resolve(parsed);
          } catch {
            // not JSON (a proxy's error page): the HTTP code is all there is
          }
          resolve({
            return: { status: res.statusCode ?? 0, message: res.statusMessage ?? '' },
            entries: null,
          });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('زمان انتظار پاسخ به سر رسید')));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * A call, made again when its answer is lost (the connection cut, a timeout): safe because every
 * message carries its `localid`. After three lost answers the provider is taken as down.
 */
async function callWithRetries(
  account: KavenegarAccount,
  provider: string,
  method: string,
  params: Record<string, string>,
): Promise<Envelope> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await callKavenegar(account, method, params);
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
    }
  }
  const reason =
    lastError instanceof Error ? ((lastError.cause as Error | undefined)?.message ?? lastError.message) : '';
  throw new ProviderDownError(provider, `کاوه‌نگار پاسخ نمی‌دهد (${reason})`);
}

const entriesOf = (body: Envelope): Entry[] =>
  Array.isArray(body.entries) ? (body.entries as Entry[]) : body.entries ? [body.entries as Entry] : [];

/** Our reference as Kavenegar's `localid` (a number): the outbox row's id (each attempt has its own row). */
const numericLocalId = (localId: string) => (/^\d+/.exec(localId) ?? [''])[0];

function adapter(kind: 'sms' | 'call', account: KavenegarAccount, name?: string): ChannelAdapter {
  const provider = name ?? (kind === 'sms' ? 'kavenegar' : 'kavenegar_tts');
  const maxBatch = kind === 'sms' ? 200 : 1;

  /** One call for `batch`; a rejection of the call for one message's fault is narrowed to that message. */
  async function sendCall(batch: readonly OutgoingMessage[]): Promise<SendResult[]> {
    const ids = batch.map((m) => numericLocalId(m.localId));
    const withIds = ids.every((id) => id !== '');
    const body =
      kind === 'call'
        ? await callWithRetries(account, provider, 'call/maketts', {
            receptor: batch[0]!.address,
            message: batch[0]!.text,
            ...(withIds ? { localid: ids[0]! } : {}),
          })
        : batch.length === 1
          ? // one message (a retry, a quiet queue, one narrowed out of a refused batch): sms/send
            await callWithRetries(account, provider, 'sms/send', {
              receptor: batch[0]!.address,
              sender: batch[0]!.sender || account.line,
              message: batch[0]!.text,
              ...(withIds ? { localid: ids[0]! } : {}),
            })
          : await callWithRetries(account, provider, 'sms/sendarray', {
              receptor: JSON.stringify(batch.map((m) => m.address)),
              sender: JSON.stringify(batch.map((m) => m.sender || account.line)),
              message: JSON.stringify(batch.map((m) => m.text)),
              ...(withIds ? { localmessageids: JSON.stringify(ids.map(Number)) } : {}),
            });
    const code = body.return.status;
    const { action, meaning } = actionOf(code);
    if (action === 'ok') {
      const entries = entriesOf(body);
      return batch.map((m, i) => {
        const e = entries[i];
        return e
          ? { localId: m.localId, outcome: 'accepted', providerId: String(e.messageid) }
          : { localId: m.localId, outcome: 'retry', error: 'پاسخ کاوه‌نگار این پیام را نداشت' };
      });
    }
    if (action === 'stop')
      throw new ProviderDownError(provider, `${meaning} (کد ${toPersianDigits(code)})`, { needsAdmin: true });
    if (action === 'reject' && batch.length > 1) {
      // the call names no message: each is sent on its own (their localids keep the taken ones single)
      const results: SendResult[] = [];
      for (const m of batch) results.push(...(await sendCall([m])));
      return results;
    }
    return batch.map((m) => ({
      localId: m.localId,
      outcome: action === 'reject' ? 'rejected' : 'retry',
      error: `${meaning} (کد ${toPersianDigits(code)})`,
    }));
  }

  return {
    provider,
    maxBatch,
    perSecond: account.perSecond,
    send: (messages) => sendCall(messages),
    async status(providerIds) {
      const reports: StatusReport[] = [];
      for (let i = 0; i < providerIds.length; i += 500) {
        const chunk = providerIds.slice(i, i + 500);
        const body = await callWithRetries(account, provider, 'sms/status', { messageid: chunk.join(',') });
        const code = body.return.status;
        if (code !== 200) {
          const { action, meaning } = actionOf(code);
          if (action === 'stop')
            throw new ProviderDownError(provider, `${meaning} (کد ${toPersianDigits(code)})`, {
              needsAdmin: true,
            });
          break; // asked again on the next pass
        }
        const at = new Date();
        for (const e of entriesOf(body))
          reports.push({ providerId: String(e.messageid), status: reportedStatus(e.status, kind), at });
      }
      return reports;
    },
  };
}

/** `name`: the provider's name on the messages it sent (a second Kavenegar account is `kavenegar_2`) */
export const kavenegarSmsAdapter = (account: KavenegarAccount, name?: string) =>
  adapter('sms', account, name);
export const kavenegarCallAdapter = (account: KavenegarAccount) => adapter('call', account);

/**
 * "Test connection": `account/info` (no side effect, no IP whitelist needed, unlike `sms/select`),
 * answered in the provider's words — the credit left, or why the account cannot send.
 */
export async function checkKavenegarAccount(
  account: Pick<KavenegarAccount, 'apiUrl' | 'apiKey'>,
): Promise<{ ok: boolean; message: string }> {
  try {
    const body = await callKavenegar({ ...account, timeoutMs: 10_000 }, 'account/info', {});
    const code = body.return.status;
    if (code === 200) {
      const info = body.entries as { remaincredit?: number } | null;
      return {
        ok: true,
        message: `کاوه‌نگار پاسخ داد: حساب فعال است؛ اعتبار باقی‌مانده ${formatMoney(info?.remaincredit ?? 0)} ریال`,
      };
    }
    return {
      ok: false,
      message: `کاوه‌نگار پاسخ داد: ${actionOf(code).meaning} (کد ${toPersianDigits(code)})`,
    };
  } catch (err) {
    const reason =
      err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
    return { ok: false, message: `کاوه‌نگار پاسخ نداد (${reason})` };
  }
}
