import { WebSocket } from 'ws';
import { ariEndpointFor } from '@vosul/common/settings';
import { toPersianDigits } from '@vosul/common';
import {
  ProviderDownError,
  type CallContent,
  type ChannelAdapter,
  type OutgoingMessage,
  type ReportedStatus,
  type SendResult,
  type SqlRunner,
  type StatusReport,
} from './adapter.js';

/**
 * Calls through an Asterisk PBX over ARI (docs.asterisk.org, "Asterisk REST Interface"): `POST
 * /channels` originates to the number into our Stasis application; the application's events come over
 * the WebSocket `/events?app=…`. When the callee answers the channel enters the application
 * (StasisStart): we play the workflow's recorded message and the figures (`POST /channels/{id}/play`
 * with `sound:` and `number:` media) and hang up when the playback finishes. A channel destroyed
 * before it entered tells why by its Q.850 cause. Each call's plan and outcome is a row of `ari_calls`
 * keyed by the channel id we give it, so any server holding the WebSocket can play any server's
 * calls, and a restart loses nothing.
 */

export interface AriAccount {
  /** http://host:8088/ari (the `/ari` prefix is added when missing) */
  url: string;
  username: string;
  password: string;
  app: string;
  /** PJSIP/{number}@trunk */
  endpoint: string;
  /** the number the callee sees ('' = the trunk's own) */
  callerId: string;
  /** how long a call rings before it counts as not answered, seconds */
  dialSeconds?: number;
  /**
   * Vosul's address as the PBX reaches it (http://vosul.bank.local:3000): the recordings are then
   * played from there (`sound:http://…`, Asterisk's media cache fetches them); '' = from its own sounds
   */
  mediaUrl?: string;
}

export const ARI_PROVIDER = 'asterisk_ari';
/** Where our recordings live among Asterisk's sounds: `sound:vosul/<code>` plays vosul/<code>.wav|.mp3. */
export const ARI_SOUNDS_FOLDER = 'vosul';

const PLAYBACK_FAILED =
  'مرکز تلفن فایل صوتی را پخش نکرد؛ «نشانی وصول از دید مرکز تلفن» یا پوشه صداهای مرکز تلفن را بررسی کنید';

/** Q.850 release causes as our call outcomes (a call never answered). */
export function outcomeOfCause(cause: number): ReportedStatus {
  switch (cause) {
    case 17: // user busy
      return 'busy';
    case 18: // no user responding
    case 19: // no answer from user (user alerted)
    case 16: // normal clearing before an answer: the dial timed out or the caller side gave up
      return 'no_answer';
    case 21: // call rejected
      return 'rejected';
    default: // 1 unallocated number, 27 destination out of order, 34 no circuit, 38 network out of order …
      return 'failed';
  }
}

/**
 * What a call plays: the recording, then the overdue amount and the overdue days, spoken by Asterisk.
 * The recording comes from Vosul over HTTP when the account names Vosul's address (ARI's `sound:` takes
 * a URL: docs.asterisk.org, "ARI and Channels: Simple Media Manipulation"), by its content's name so
 * the PBX's cache never plays a replaced one; else from the PBX's own sounds folder.
 */
export function callMedia(call: CallContent | undefined, mediaUrl = ''): string[] {
  if (!call?.audio) return [];
  const base = mediaUrl.replace(/\/+$/, '');
  const media = [
    base && call.audioFile
      ? `sound:${base}/api/v1/pbx-media/${call.audioFile}`
      : `sound:${ARI_SOUNDS_FOLDER}/${call.audio}`,
  ];
  if (call.amount !== null && /^\d+$/.test(call.amount)) media.push(`number:${call.amount}`);
  if (call.overdueDays !== null && call.overdueDays > 0) media.push(`number:${call.overdueDays}`);
  return media;
}

const ariBase = (url: string) => {
  const trimmed = url.replace(/\/+$/, '');
  return trimmed.endsWith('/ari') ? trimmed : `${trimmed}/ari`;
};

interface AriAnswer {
  status: number;
  body: unknown;
}

/** One ARI request with basic auth; the answer's status and JSON body (ARI answers JSON or nothing). */
async function ariRequest(
  account: Pick<AriAccount, 'url' | 'username' | 'password'>,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  query: Record<string, string> = {},
  body?: unknown,
): Promise<AriAnswer> {
  const url = new URL(`${ariBase(account.url)}${path}`);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const res = await fetch(url, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${account.username}:${account.password}`).toString('base64')}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  try {
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
  } catch {
    return { status: res.status, body: text };
  }
}

const messageOf = (body: unknown) =>
  body && typeof body === 'object' && 'message' in body ? String(body.message) : '';

const reasonOf = (err: unknown) =>
  err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);

interface AriEvent {
  type: string;
  channel?: { id: string; state?: string };
  cause?: number;
  playback?: { id: string; target_uri: string; state?: string };
}

/**
 * The WebSocket of one account's Stasis application, shared by every adapter built for it in this
 * process (the dispatcher builds its adapters afresh each pass). It reconnects with a backoff that
 * doubles up to 30 s; when another server's WebSocket takes the application over (ApplicationReplaced:
 * ARI gives an application's events to its newest WebSocket) it waits five minutes before taking it back.
 */
class AriListener {
  private socket: WebSocket | null = null;
  private connected = false;
  private closed = false;
  private failures = 0;
  private lastError = '';
  private retryTimer: NodeJS.Timeout | null = null;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly account: AriAccount,
    private readonly db: SqlRunner,
  ) {
    this.connect();
  }

  /** Resolves once the application is registered (its WebSocket open), else fails after `ms`. */
  async ready(ms = 5000): Promise<void> {
    if (this.connected) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== done);
        reject(new Error(this.lastError || 'اتصال رویدادهای ARI برقرار نشد'));
      }, ms);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push(done);
    });
  }

  close(): void {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.socket?.terminate();
  }

  private connect(): void {
    if (this.closed) return;
    const url = new URL(`${ariBase(this.account.url)}/events`);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('app', this.account.app);
    const auth = Buffer.from(`${this.account.username}:${this.account.password}`).toString('base64');
    const socket = new WebSocket(url, {
      headers: { authorization: `Basic ${auth}` },
      handshakeTimeout: 10_000,
    });
    this.socket = socket;
    let replaced = false;
    socket.on('open', () => {
      this.connected = true;
      this.failures = 0;
      this.lastError = '';
      for (const w of this.waiters.splice(0)) w();
    });
    socket.on('unexpected-response', (_req, res) => {
      this.lastError =
        res.statusCode === 401
          ? 'نام کاربری یا گذرواژه ARI پذیرفته نشد (۴۰۱)'
          : `ARI اتصال رویدادها را نپذیرفت (${toPersianDigits(res.statusCode ?? 0)})`;
      socket.terminate();
    });
    socket.on('error', (err) => {
      this.lastError ||= reasonOf(err);
    });
    socket.on('message', (data: Buffer) => {
      let event: AriEvent;
      try {
        event = JSON.parse(data.toString('utf8')) as AriEvent;
      } catch {
        return;
      }
      if (event.type === 'ApplicationReplaced') replaced = true;
      this.handle(event).catch(() => undefined); // a lost event is found again by `status`
    });
    socket.on('close', () => {
      this.connected = false;
      if (this.socket !== socket || this.closed) return;
      this.failures++;
      const delay = replaced ? 300_000 : Math.min(30_000, 500 * 2 ** Math.min(this.failures, 6));
      this.retryTimer = setTimeout(() => this.connect(), delay);
    });
  }

  private async handle(event: AriEvent): Promise<void> {
    const id = event.channel?.id ?? event.playback?.target_uri.replace(/^channel:/, '');
    if (!id) return;
    switch (event.type) {
      case 'StasisStart': {
        // answered: the call's plan is ours only if we originated it
        const { rows } = await this.db.query<{ media: string[] }>(
          `UPDATE ari_calls SET status = 'answered', answered_at = now()
           WHERE channel_id = $1 AND status = 'pending' RETURNING media`,
          [id],
        );
        if (rows[0])
          await ariRequest(this.account, 'POST', `/channels/${encodeURIComponent(id)}/play`, {
            media: rows[0].media.join(','),
            playbackId: `${id}-message`,
          });
        return;
      }
      case 'PlaybackFinished':
        // the message was played to its end, or could not be (the PBX could not fetch the recording):
        // the call is over, and in the second case failed — the callee heard no message
        if (event.playback?.id !== `${id}-message`) return;
        if (event.playback.state === 'failed')
          await this.db.query(
            `UPDATE ari_calls SET status = 'failed', failure = $2 WHERE channel_id = $1 AND status = 'answered'`,
            [id, PLAYBACK_FAILED],
          );
        await ariRequest(this.account, 'DELETE', `/channels/${encodeURIComponent(id)}`);
        return;
      case 'ChannelStateChange':
        if (event.channel?.state === 'Busy') await this.record(id, 'busy', null);
        return;
      case 'ChannelDestroyed':
        await this.record(id, outcomeOfCause(event.cause ?? 0), event.cause ?? null);
        return;
    }
  }

  /** A call's end: the outcome holds only for a call not answered (an answered one stays answered). */
  private async record(id: string, outcome: ReportedStatus, cause: number | null) {
    await this.db.query(
      `UPDATE ari_calls SET status = CASE WHEN status = 'pending' THEN $2 ELSE status END,
         cause = coalesce($3, cause), ended_at = CASE WHEN $3::int IS NULL THEN ended_at ELSE now() END
       WHERE channel_id = $1`,
      [id, outcome, cause],
    );
  }
}

const listeners = new Map<string, AriListener>();

function listenerFor(account: AriAccount, db: SqlRunner): AriListener {
  const key = JSON.stringify([account.url, account.username, account.password, account.app]);
  let listener = listeners.get(key);
  if (!listener) {
    // an account changed in the settings: the old application's socket is no longer wanted
    for (const old of listeners.values()) old.close();
    listeners.clear();
    listener = new AriListener(account, db);
    listeners.set(key, listener);
  }
  return listener;
}

/** Closes the event WebSockets (a dispatcher stopping, `vosul dispatch` done). */
export function closeAriListeners(): void {
  for (const listener of listeners.values()) listener.close();
  listeners.clear();
}

/** A call's channel id: ours, from the outbox row and attempt, so an originate sent twice makes one call. */
const channelIdOf = (localId: string) => `vosul-${localId}`;

export function asteriskAriAdapter(account: AriAccount, db: SqlRunner): ChannelAdapter {
  const dialSeconds = account.dialSeconds ?? 45;

  async function originate(m: OutgoingMessage): Promise<SendResult> {
    const media = callMedia(m.call, account.mediaUrl);
    if (media.length === 0)
      return {
        localId: m.localId,
        outcome: 'rejected',
        error: 'تماس از راه Asterisk به فایل صوتی نیاز دارد؛ در الگوی تماس گردش کار فایل صوتی را برگزینید',
      };
    const channelId = channelIdOf(m.localId);
    const { rows } = await db.query<{ status: string }>(
      `INSERT INTO ari_calls (channel_id, local_id, media) VALUES ($1, $2, $3)
       ON CONFLICT (channel_id) DO UPDATE SET local_id = excluded.local_id RETURNING status`,
      [channelId, m.localId, media],
    );
    // this attempt was already placed and is over (Asterisk frees a channel id once the channel is gone)
    if (rows[0]?.status !== 'pending')
      return { localId: m.localId, outcome: 'accepted', providerId: channelId };
    let answer: AriAnswer | undefined;
    let lastError: unknown;
    for (let attempt = 0; attempt < 3 && !answer; attempt++) {
      try {
        answer = await ariRequest(
          account,
          'POST',
          '/channels',
          {
            endpoint: ariEndpointFor(account.endpoint, m.address),
            app: account.app,
            appArgs: 'vosul',
            channelId,
            timeout: String(dialSeconds),
            ...(account.callerId ? { callerId: account.callerId } : {}),
          },
          { variables: { VOSUL_LOCAL_ID: m.localId } },
        );
      } catch (err) {
        lastError = err;
        await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
      }
    }
    if (!answer) throw new ProviderDownError(ARI_PROVIDER, `Asterisk پاسخ نمی‌دهد (${reasonOf(lastError)})`);
    const said = messageOf(answer.body);
    // 409: a channel of this id exists: our earlier originate, whose answer was lost, placed the call
    if (answer.status === 200 || answer.status === 409)
      return { localId: m.localId, outcome: 'accepted', providerId: channelId };
    if (answer.status === 401 || answer.status === 403)
      throw new ProviderDownError(ARI_PROVIDER, 'نام کاربری یا گذرواژه ARI پذیرفته نشد', {
        needsAdmin: true,
      });
    if (answer.status === 400)
      throw new ProviderDownError(
        ARI_PROVIDER,
        `Asterisk درخواست تماس را نپذیرفت؛ مقصد تماس و نام برنامه را در تنظیمات بررسی کنید (${said})`,
        { needsAdmin: true },
      );
    return {
      localId: m.localId,
      outcome: 'retry',
      error: `Asterisk تماس را برقرار نکرد (${toPersianDigits(answer.status)} ${said})`.trim(),
    };
  }

  return {
    provider: ARI_PROVIDER,
    maxBatch: 10,
    // a PBX trunk takes a few new calls a second
    perSecond: 5,
    async send(messages) {
      const listener = listenerFor(account, db);
      try {
        // an originate into an application nobody listens to would never be played
        await listener.ready();
      } catch (err) {
        throw new ProviderDownError(ARI_PROVIDER, `رویدادهای Asterisk در دسترس نیست (${reasonOf(err)})`, {
          needsAdmin: reasonOf(err).includes('۴۰۱'),
        });
      }
      const results: SendResult[] = [];
      for (const m of messages) results.push(await originate(m));
      return results;
    },
    async status(providerIds) {
      listenerFor(account, db);
      const { rows } = await db.query<{
        channel_id: string;
        status: ReportedStatus;
        at: Date;
        stale: boolean;
        failure: string | null;
      }>(
        `SELECT channel_id, status, coalesce(ended_at, answered_at, now()) AS at, failure,
           status = 'pending' AND created_at < now() - make_interval(secs => $2) AS stale
         FROM ari_calls WHERE channel_id = ANY ($1::text[])`,
        [providerIds, dialSeconds + 120],
      );
      const reports: StatusReport[] = [];
      for (const r of rows) {
        if (r.status !== 'pending')
          reports.push({
            providerId: r.channel_id,
            status: r.status,
            at: r.at,
            ...(r.failure ? { error: r.failure } : {}),
          });
        else if (r.stale) {
          // its end went by while no WebSocket listened: a channel Asterisk no longer has failed
          const found = await ariRequest(
            account,
            'GET',
            `/channels/${encodeURIComponent(r.channel_id)}`,
          ).catch(() => null);
          if (found?.status === 404) {
            await db.query(
              `UPDATE ari_calls SET status = 'failed', ended_at = now() WHERE channel_id = $1 AND status = 'pending'`,
              [r.channel_id],
            );
            reports.push({ providerId: r.channel_id, status: 'failed', at: new Date() });
          }
        }
      }
      return reports;
    },
  };
}

/** "Test connection": `GET /asterisk/info`, answered with the PBX's version, or why it refused. */
export async function checkAriAccount(
  account: Pick<AriAccount, 'url' | 'username' | 'password'>,
): Promise<{ ok: boolean; message: string }> {
  try {
    const answer = await ariRequest(account, 'GET', '/asterisk/info');
    if (answer.status === 200) {
      const info = answer.body as { system?: { version?: string }; config?: { name?: string } };
      return {
        ok: true,
        message: `Asterisk پاسخ داد: نسخه ${info.system?.version ?? 'نامعلوم'}${info.config?.name ? ` (${info.config.name})` : ''}`,
      };
    }
    if (answer.status === 401)
      return { ok: false, message: 'Asterisk پاسخ داد: نام کاربری یا گذرواژه ARI پذیرفته نشد (۴۰۱)' };
    return {
      ok: false,
      message: `Asterisk پاسخ داد: ${toPersianDigits(answer.status)} ${messageOf(answer.body)}`.trim(),
    };
  } catch (err) {
    return { ok: false, message: `Asterisk پاسخ نداد (${reasonOf(err)})` };
  }
}
