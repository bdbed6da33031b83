import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import autocannon from 'autocannon';
import pg from 'pg';
import { VOSUL_BIN } from './child.js';

export interface ApiFigures {
  endpoint: string;
  connections: number;
  p95_ms: number;
  requests_per_second: number;
  requests: number;
  errors: number;
  /**
   * The physical limit in the same run: the same load on a signed-in request that does nothing
   * (`GET /api/v1/auth/me`: the session check and the response, no search).
   */
  floor: { endpoint: string; p95_ms: number; requests_per_second: number };
  /** p95 of the search / p95 of the floor */
  p95_ratio: number;
}

const ENDPOINT = '/api/v1/cases';
const FLOOR_ENDPOINT = '/api/v1/auth/me';
const CONNECTIONS = 50;

/**
 * Starts `vosul serve` on the benchmark's database, signs in as the administrator (HQ scope: the
 * whole book) and loads the case search with autocannon: 50 connections, each request a query of 3
 * or more characters drawn from the book (a last name, a customer number, the last digits of a mobile).
 */
export async function measureCaseSearch(
  url: string,
  env: NodeJS.ProcessEnv,
  seconds: number,
): Promise<ApiFigures> {
  const queries = await sampleQueries(url);
  const port = await freePort();
  const password = randomBytes(12).toString('base64url');
  const server = spawn(process.execPath, [VOSUL_BIN, 'serve'], {
    env: { ...env, PORT: String(port), HOST: '127.0.0.1', VOSUL_ADMIN_PASSWORD: password, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitForHealth(base, server);
    const cookie = await logIn(base, password);
    let next = 0;
    const search = await loadTest(base, cookie, seconds, () => {
      const q = queries[next++ % queries.length]!;
      return `${ENDPOINT}?q=${encodeURIComponent(q)}&page_size=20`;
    });
    const floor = await loadTest(base, cookie, Math.min(seconds, 10), () => FLOOR_ENDPOINT);
    return {
      endpoint: `GET ${ENDPOINT}?q=…`,
      connections: CONNECTIONS,
      p95_ms: search.p95,
      requests_per_second: search.rps,
      requests: search.requests,
      errors: 0,
      floor: { endpoint: `GET ${FLOOR_ENDPOINT}`, p95_ms: floor.p95, requests_per_second: floor.rps },
      p95_ratio: round(search.p95 / floor.p95),
    };
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => (server.exitCode !== null ? resolve(null) : server.once('exit', resolve)));
  }
}

const round = (n: number) => Math.round(n * 10) / 10;

/** `seconds` of load from CONNECTIONS connections, each request's path from `pathOf`; any failure throws. */
async function loadTest(base: string, cookie: string, seconds: number, pathOf: () => string) {
  const latencies: number[] = [];
  let finish: (err: Error | null, result: autocannon.Result) => void = () => undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = (err, result) => (err ? reject(err) : resolve(result));
  });
  const instance = autocannon(
    {
      url: base,
      connections: CONNECTIONS,
      duration: seconds,
      headers: { cookie },
      requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: pathOf() }) }],
    },
    (err: Error | null, result) => finish(err, result),
  );
  instance.on('response', (_client: unknown, _status: number, _bytes: number, time: number) => {
    latencies.push(time);
  });
  const result = await done;
  latencies.sort((a, b) => a - b);
  const errors = result.errors + result.non2xx;
  if (errors > 0) throw new Error(`${pathOf()}: ${errors} of ${result.requests.total} requests failed`);
  return {
    p95: round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.95))] ?? 0),
    rps: round(result.requests.average),
    requests: result.requests.total,
  };
}

async function sampleQueries(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ customer_no: string; last_name: string; mobile: string | null }>(
      'SELECT customer_no, last_name, mobile FROM customers ORDER BY random() LIMIT 500',
    );
    const queries = rows.flatMap((r) => [
      r.last_name,
      r.customer_no,
      ...(r.mobile ? [r.mobile.slice(-7)] : []),
    ]);
    return queries.filter((q) => q.length >= 3);
  } finally {
    await client.end();
  }
}

async function waitForHealth(base: string, server: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (server.exitCode !== null) throw new Error(`vosul serve exited with code ${server.exitCode}`);
    try {
      if ((await fetch(`${base}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('vosul serve did not answer /api/health within 120 s');
}

async function logIn(base: string, password: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  if (!res.ok) throw new Error(`login as admin failed: ${res.status} ${await res.text()}`);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';', 1)[0])
    .join('; ');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port')),
      );
    });
  });
}
