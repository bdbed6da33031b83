import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { adminPassword, baseURL, harnessStartsServer } from './support/env.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const START_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 60_000;

/**
 * Starts the real server (`vosul serve`) on a fresh data folder with its embedded PostgreSQL, waits
 * for GET /api/health, and returns the teardown: SIGTERM (the server stops its PostgreSQL), then the
 * temporary folder is removed. The web app must be built already (`npm test` builds it first).
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!harnessStartsServer()) return () => Promise.resolve();
  if (!existsSync(path.join(ROOT, 'web/dist/index.html'))) {
    throw new Error('web/dist is missing: run `npm run build -w web` before the browser tests');
  }
  const url = new URL(baseURL());
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vosul-e2e-'));
  chmodSync(dir, 0o755); // the embedded PostgreSQL runs as the OS user postgres and must reach it
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'server.log');
  const log = openSync(logFile, 'a');

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    VOSUL_DATA_DIR: dataDir,
    PORT: url.port,
    HOST: url.hostname,
    VOSUL_ADMIN_PASSWORD: adminPassword(),
    VOSUL_DEMO: '0',
    LOG_LEVEL: 'warn',
  };
  // Always the embedded database of the fresh folder, whatever the caller's environment says.
  delete env.DATABASE_URL;
  delete env.DATABASE_REPLICA_URL;
  delete env.VOSUL_SECRET_KEY;

  // The working folder is the temporary one, so a developer's `.env` in the checkout is not read.
  const server = spawn(process.execPath, [path.join(ROOT, 'server/bin/vosul.js'), 'serve'], {
    cwd: dir,
    env,
    stdio: ['ignore', log, log],
  });
  closeSync(log);

  const teardown = async () => {
    const problem = await stopServer(server, dataDir);
    const tail = problem ? logTail(logFile) : '';
    const pgDir = clusterDir(dataDir);
    if (!pgDir.startsWith(dir + path.sep)) rmSync(pgDir, { recursive: true, force: true }); // the /var/lib/vosul fallback
    rmSync(dir, { recursive: true, force: true });
    if (problem) throw new Error(`${problem}\n--- server log ---\n${tail}`);
  };

  try {
    await waitForHealth(server, new URL('/api/health', url));
  } catch (err) {
    const tail = logTail(logFile);
    await teardown().catch(() => undefined);
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n--- server log ---\n${tail}`, {
      cause: err,
    });
  }
  return teardown;
}

async function waitForHealth(server: ChildProcess, health: URL): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(
        `vosul serve exited (${server.exitCode ?? server.signalCode}) before it answered ${health.href}`,
      );
    }
    try {
      const response = await fetch(health, { signal: AbortSignal.timeout(5_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`vosul serve did not answer ${health.href} within ${START_TIMEOUT_MS / 1000} s`);
}

/** SIGTERM and wait; a server that does not stop is killed and its PostgreSQL stopped by hand. */
async function stopServer(server: ChildProcess, dataDir: string): Promise<string | undefined> {
  if (server.exitCode !== null || server.signalCode !== null) {
    await stopOrphanPostgres(dataDir);
    return `vosul serve had exited during the tests (${server.exitCode ?? server.signalCode})`;
  }
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  server.kill('SIGTERM');
  const inTime = await Promise.race([exited.then(() => true), sleep(STOP_TIMEOUT_MS).then(() => false)]);
  if (!inTime) {
    server.kill('SIGKILL');
    await exited;
    await stopOrphanPostgres(dataDir);
    return `vosul serve did not stop within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM`;
  }
  if (await stopOrphanPostgres(dataDir))
    return 'vosul serve stopped but left its embedded PostgreSQL running';
  if (server.exitCode !== 0)
    return `vosul serve exited with ${server.exitCode ?? server.signalCode} on SIGTERM`;
  return undefined;
}

/** Stops a postmaster still running on the data folder (fast shutdown); true when there was one. */
async function stopOrphanPostgres(dataDir: string): Promise<boolean> {
  const pidFile = path.join(clusterDir(dataDir), 'postmaster.pid');
  if (!existsSync(pidFile)) return false;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!(pid > 0) || !isAlive(pid)) return false;
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < STOP_TIMEOUT_MS && isAlive(pid); waited += 200) await sleep(200);
  if (isAlive(pid)) process.kill(pid, 'SIGQUIT');
  return true;
}

/** The embedded cluster's folder: `data/pg`, or the fallback recorded in `pg-location.txt` (embedded.ts). */
function clusterDir(dataDir: string): string {
  const location = path.join(dataDir, 'pg-location.txt');
  return existsSync(location) ? readFileSync(location, 'utf8').trim() : path.join(dataDir, 'pg');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function logTail(file: string, lines = 60): string {
  if (!existsSync(file)) return '(no log)';
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
