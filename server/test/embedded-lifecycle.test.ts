import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const VOSUL = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/vosul.js');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vosul-life-'));
chmodSync(dataDir, 0o755);
const pidFile = path.join(dataDir, 'pg', 'postmaster.pid');

afterAll(() => {
  const pid = postmasterPid();
  if (pid) spawnSync('kill', ['-TERM', String(pid)]);
  rmSync(dataDir, { recursive: true, force: true });
});

function env(port: number) {
  return {
    ...process.env,
    VOSUL_DATA_DIR: dataDir,
    PORT: String(port),
    VOSUL_ADMIN_PASSWORD: 'lifecycle-pass-123',
    VOSUL_DEMO: '0',
    LOG_LEVEL: 'warn',
    DATABASE_URL: '',
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function startServer(): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const child = spawn(process.execPath, [VOSUL, 'serve'], { env: env(port), stdio: 'ignore' });
  for (let i = 0; i < 600; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { child, port };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not become healthy');
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

function postmasterPid(): number | undefined {
  return existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : undefined;
}

/** A live process (a zombie left for a non-reaping init counts as gone). */
function alive(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

describe('the embedded PostgreSQL shared by server and CLI', () => {
  it('lets a CLI command use the running server database, and SIGTERM stops everything cleanly', async () => {
    const { child } = await startServer();
    const migrate = spawnSync(process.execPath, [VOSUL, 'migrate'], { env: env(0), encoding: 'utf8' });
    expect(migrate.status).toBe(0);
    expect(migrate.stdout).toContain('up to date');
    const pg = postmasterPid();
    expect(pg && alive(pg)).toBe(true); // the CLI left the server's database running
    const done = exited(child);
    child.kill('SIGTERM');
    expect(await done).toBe(0);
    expect(existsSync(pidFile)).toBe(false);
    expect(alive(pg!)).toBe(false);
  }, 120_000);

  it('recovers by itself after the server was killed with SIGKILL', async () => {
    const first = await startServer();
    const done = exited(first.child);
    first.child.kill('SIGKILL');
    await done;
    const orphan = postmasterPid();
    expect(orphan && alive(orphan)).toBe(true); // PostgreSQL outlived the killed process
    const second = await startServer();
    const health = await fetch(`http://127.0.0.1:${second.port}/api/health`);
    expect(await health.json()).toEqual({ status: 'ok' });
    const stopped = exited(second.child);
    second.child.kill('SIGINT');
    expect(await stopped).toBe(0);
    expect(existsSync(pidFile)).toBe(false);
  }, 120_000);

  it('a CLI command alone starts the database and stops it again', () => {
    const migrate = spawnSync(process.execPath, [VOSUL, 'migrate', '--json'], {
      env: env(0),
      encoding: 'utf8',
    });
    expect(migrate.status).toBe(0);
    expect(JSON.parse(migrate.stdout)).toEqual({ applied: [] });
    expect(existsSync(pidFile)).toBe(false);
  }, 120_000);
});
