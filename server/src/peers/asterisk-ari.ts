import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A local Asterisk ARI (docs.asterisk.org, "Asterisk REST Interface"): the HTTP resources our adapter
 * uses — `GET /ari/asterisk/info`, `POST /ari/channels` (originate into a Stasis application),
 * `GET|DELETE /ari/channels/{id}`, `POST /ari/channels/{id}/play` — and the application's WebSocket
 * `/ari/events?app=…`, with HTTP basic auth on both. An originated channel rings, then, by the called
 * number's outcome, is answered and enters the application (StasisStart), or is destroyed with the
 * Q.850 cause of busy (17), no answer (19) or rejected (21). Events carry the documented JSON shapes;
 * the plays asked for are recorded, so the tests check what a callee would have heard. A `sound:` of
 * an http(s) URL is fetched first, as Asterisk's media cache does; a fetch that fails fails the
 * playback (PlaybackFinished, state `failed`), and every fetch is recorded.
 */

export type CallOutcome = 'answer' | 'busy' | 'no_answer' | 'reject';

export interface FakeAriOptions {
  username: string;
  password: string;
  /** what happens when `number` is called (default: answered) */
  outcome?: (number: string) => CallOutcome;
  /** how long a channel rings before its outcome, and a playback lasts, ms */
  ringMs?: number;
  playMs?: number;
}

export interface FakeOriginate {
  channelId: string;
  endpoint: string;
  app: string;
  appArgs: string;
  callerId: string;
  variables: Record<string, string>;
}

export interface FakePlay {
  channelId: string;
  media: string[];
  lang: string;
}

/** A recording fetched over HTTP for a `sound:http…` media: what the PBX received. */
export interface FakeMediaFetch {
  url: string;
  status: number;
  contentType: string;
  body: Buffer;
}

export interface FakeAri {
  url: string;
  readonly originates: FakeOriginate[];
  readonly plays: FakePlay[];
  readonly fetches: FakeMediaFetch[];
  /** channels hung up by the application (DELETE), by id */
  readonly hungUp: string[];
  close(): Promise<void>;
}

interface Channel {
  id: string;
  name: string;
  state: 'Down' | 'Ringing' | 'Up' | 'Busy';
  caller: { name: string; number: string };
  connected: { name: string; number: string };
  accountcode: string;
  dialplan: { context: string; exten: string; priority: number; app_name: string; app_data: string };
  creationtime: string;
  language: string;
}

const CAUSES: Record<Exclude<CallOutcome, 'answer'>, [number, string]> = {
  busy: [17, 'User busy'],
  no_answer: [19, 'No answer'],
  reject: [21, 'Call Rejected'],
};

export async function startFakeAri(options: FakeAriOptions): Promise<FakeAri> {
  const ringMs = options.ringMs ?? 20;
  const playMs = options.playMs ?? 20;
  const originates: FakeOriginate[] = [];
  const plays: FakePlay[] = [];
  const fetches: FakeMediaFetch[] = [];
  const hungUp: string[] = [];
  const channels = new Map<string, { channel: Channel; app: string; inStasis: boolean }>();
  const apps = new Map<string, WebSocket>();
  const timers = new Set<NodeJS.Timeout>();
  let uniqueId = 1_700_000_000;

  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const authorized = (header: string | undefined) =>
    header === `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;

  function emit(app: string, event: Record<string, unknown>) {
    apps.get(app)?.send(
      JSON.stringify({
        ...event,
        timestamp: new Date().toISOString(),
        application: app,
        asterisk_id: '02:42:ac:11:00:02',
      }),
    );
  }

  function setState(id: string, state: Channel['state']) {
    const c = channels.get(id);
    if (!c) return;
    c.channel.state = state;
    emit(c.app, { type: 'ChannelStateChange', channel: c.channel });
  }

  function destroy(id: string, cause: number, causeTxt: string) {
    const c = channels.get(id);
    if (!c) return;
    channels.delete(id);
    if (c.inStasis) emit(c.app, { type: 'StasisEnd', channel: c.channel });
    emit(c.app, { type: 'ChannelDestroyed', cause, cause_txt: causeTxt, channel: c.channel });
  }

  function originate(query: URLSearchParams, body: Record<string, unknown>): [number, unknown] {
    const param = (name: string) => (query.get(name) ?? (body[name] as string | undefined) ?? '').toString();
    const endpoint = param('endpoint');
    const app = param('app');
    if (!endpoint) return [400, { message: 'Endpoint must be specified' }];
    if (!app) return [400, { message: 'Application or extension must be specified' }];
    if (!apps.has(app)) return [400, { message: `Stasis application '${app}' is not registered` }];
    const id = param('channelId') || `${uniqueId++}.1`;
    // as Asterisk: an id is refused only while a channel holds it
    if (channels.has(id)) return [409, { message: 'Channel with given unique ID already exists' }];
    const number = /^[A-Za-z0-9]+\/([^@/]+)/.exec(endpoint)?.[1] ?? endpoint;
    const callerId = param('callerId');
    const channel: Channel = {
      id,
      name: `${endpoint.split('@')[0]}-${id.slice(-8)}`,
      state: 'Down',
      caller: { name: '', number: callerId },
      connected: { name: '', number: '' },
      accountcode: '',
      dialplan: {
        context: 'default',
        exten: 's',
        priority: 1,
        app_name: 'Stasis',
        app_data: `${app},${param('appArgs')}`,
      },
      creationtime: new Date().toISOString(),
      language: 'en',
    };
    channels.set(id, { channel, app, inStasis: false });
    originates.push({
      channelId: id,
      endpoint,
      app,
      appArgs: param('appArgs'),
      callerId,
      variables: (body.variables as Record<string, string> | undefined) ?? {},
    });
    const outcome = options.outcome?.(number) ?? 'answer';
    later(ringMs, () => setState(id, 'Ringing'));
    later(ringMs * 2, () => {
      if (outcome === 'answer') {
        setState(id, 'Up');
        const c = channels.get(id);
        if (!c) return;
        c.inStasis = true;
        emit(app, {
          type: 'StasisStart',
          args: param('appArgs') ? param('appArgs').split(',') : [],
          channel: c.channel,
        });
      } else {
        if (outcome === 'busy') setState(id, 'Busy');
        destroy(id, ...CAUSES[outcome]);
      }
    });
    return [200, channel];
  }

  /** The media's http(s) sounds fetched, each recorded; false when one could not be. */
  async function fetchMedia(media: string[]): Promise<boolean> {
    let all = true;
    for (const m of media) {
      const url = /^sound:(https?:\/\/.+)$/.exec(m)?.[1];
      if (!url) continue;
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
        const body = Buffer.from(await res.arrayBuffer());
        fetches.push({ url, status: res.status, contentType: res.headers.get('content-type') ?? '', body });
        if (!res.ok) all = false;
      } catch {
        fetches.push({ url, status: 0, contentType: '', body: Buffer.alloc(0) });
        all = false;
      }
    }
    return all;
  }

  function play(id: string, query: URLSearchParams): [number, unknown] {
    const c = channels.get(id);
    if (!c) return [404, { message: 'Channel not found' }];
    if (!c.inStasis) return [409, { message: 'Channel not in Stasis application' }];
    const media = (query.get('media') ?? '').split(',').filter(Boolean);
    if (media.length === 0) return [400, { message: 'media: missing value' }];
    plays.push({ channelId: id, media, lang: query.get('lang') ?? '' });
    const playback = {
      id: query.get('playbackId') || `pb-${plays.length}`,
      media_uri: media[0],
      next_media_uri: media[1],
      target_uri: `channel:${id}`,
      language: query.get('lang') || 'en',
      state: 'queued',
    };
    void fetchMedia(media).then((fetched) => {
      later(1, () => emit(c.app, { type: 'PlaybackStarted', playback: { ...playback, state: 'playing' } }));
      later(playMs, () => {
        if (channels.has(id))
          emit(c.app, {
            type: 'PlaybackFinished',
            playback: { ...playback, state: fetched ? 'done' : 'failed' },
          });
      });
    });
    return [201, playback];
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = ([status, body]: [number, unknown]) => {
        res.writeHead(status, body === null ? {} : { 'content-type': 'application/json' });
        res.end(body === null ? undefined : JSON.stringify(body));
      };
      if (!authorized(req.headers.authorization)) return send([401, { message: 'Authentication required' }]);
      const url = new URL(req.url ?? '/', 'http://ari');
      let body: Record<string, unknown> = {};
      try {
        if (chunks.length)
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        return send([400, { message: 'Invalid JSON body' }]);
      }
      const path = url.pathname;
      const channelPath = /^\/ari\/channels\/([^/]+)(\/play)?$/.exec(path);
      if (req.method === 'GET' && path === '/ari/asterisk/info')
        return send([
          200,
          {
            build: {
              os: 'Linux',
              kernel: '6.1.0',
              machine: 'x86_64',
              options: '',
              date: '2024-01-01',
              user: 'root',
            },
            system: { version: '20.5.0', entity_id: '02:42:ac:11:00:02' },
            config: {
              name: 'pbx-test',
              default_language: 'en',
              setid: { user: 'asterisk', group: 'asterisk' },
            },
            status: { startup_time: new Date().toISOString(), last_reload_time: new Date().toISOString() },
          },
        ]);
      if (req.method === 'POST' && path === '/ari/channels') return send(originate(url.searchParams, body));
      if (channelPath) {
        const id = decodeURIComponent(channelPath[1]!);
        if (channelPath[2] && req.method === 'POST') return send(play(id, url.searchParams));
        if (!channelPath[2] && req.method === 'GET') {
          const c = channels.get(id);
          return send(c ? [200, c.channel] : [404, { message: 'Channel not found' }]);
        }
        if (!channelPath[2] && req.method === 'DELETE') {
          if (!channels.has(id)) return send([404, { message: 'Channel not found' }]);
          hungUp.push(id);
          destroy(id, 16, 'Normal Clearing');
          return send([204, null]);
        }
      }
      send([404, { message: 'Resource not found' }]);
    });
  });

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://ari');
    const app = url.searchParams.get('app') ?? '';
    if (!authorized(req.headers.authorization)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    if (url.pathname !== '/ari/events' || !app) {
      socket.end('HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      // the newest WebSocket of an application takes its events; the older one is told so
      const older = apps.get(app);
      if (older) older.send(JSON.stringify({ type: 'ApplicationReplaced', application: app }));
      older?.close();
      apps.set(app, ws);
      ws.on('close', () => {
        if (apps.get(app) === ws) apps.delete(app);
      });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/ari`,
    originates,
    plays,
    fetches,
    hungUp,
    async close() {
      for (const t of timers) clearTimeout(t);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
