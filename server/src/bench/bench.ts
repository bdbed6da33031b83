import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Config } from '../platform/config.js';
import { openEmbeddedDatabase } from '../platform/db/embedded.js';
import { migrateDatabase } from '../platform/db/migrate.js';
import { ensureDatabase } from '../platform/runtime.js';
import { generateDemoData } from '../modules/intake/demo-data/generate.js';
import { measureCaseSearch, type ApiFigures } from './api.js';
import { runVosul } from './child.js';
import { rawCopySeconds } from './raw-copy.js';
import { defineBenchWorkflows } from './workflows.js';
import { chooseBenchDates, measureRunDay, type RunDayFigures } from './run-day.js';
import {
  measureDispatch,
  measureKavenegarDispatch,
  measureSmppDispatch,
  type DispatchFigures,
} from './dispatch.js';
import { todayIn } from '../platform/date-range.js';

/** The figures of `vosul bench --json`; later issues add their sections. */
export interface BenchResult {
  customers: number;
  facilities: number;
  installments: number;
  import: {
    rows: number;
    seconds: number;
    raw_copy_seconds: number;
    ratio: number;
    reimport_seconds: number;
    peak_rss_mb: number;
  };
  api: ApiFigures;
  run_day: RunDayFigures;
  dispatch: DispatchFigures;
  /** the same through Kavenegar's REST API (a local peer that answers as the published API) */
  dispatch_kavenegar: DispatchFigures & { sendarray_calls: number };
  dispatch_smpp: DispatchFigures & { submits: number; submits_per_second: number };
}

export interface BenchOptions {
  customers: number;
  /** seconds of load on the case search */
  apiSeconds?: number;
  log: (message: string) => void;
}

/**
 * The benchmark suite: a demo snapshot of N customers; the raw COPY of its files (the physical
 * limit) and `vosul import` of them into an empty database, then again unchanged; then the case
 * search under load. The database is a fresh one — a database created and dropped on the server of
 * DATABASE_URL, or a cluster of its own in a temporary folder — so nothing of the user's is touched.
 */
export async function runBench(config: Config, options: BenchOptions): Promise<BenchResult> {
  const log = options.log;
  const work = mkdtempSync(path.join(os.tmpdir(), 'vosul-bench-'));
  chmodSync(work, 0o755); // the embedded PostgreSQL runs as the OS user postgres
  const snapshot = path.join(work, 'snapshot');
  const target = await openTargetDatabase(config, work, log);
  try {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: target.url,
      VOSUL_SECRET_KEY: randomBytes(32).toString('hex'),
      VOSUL_DEMO: '0',
      LOG_LEVEL: 'warn',
    };
    delete env.DATABASE_REPLICA_URL;
    // the snapshot is of the day before an ordinary working day, so that the daily run is measured on
    // two business days (the calendar comes with the migrations)
    const migrated = await runVosul(['migrate'], env);
    if (migrated.code !== 0) throw new Error(`vosul migrate failed:\n${migrated.stderr.slice(-2000)}`);
    const dates = await chooseBenchDates(target.url, todayIn(config.timezone));
    const asOf = dates.first;
    log(`generating a demo snapshot of ${options.customers} customers as of ${asOf}`);
    const book = await generateDemoData({
      customers: options.customers,
      outDir: snapshot,
      seed: 'bench',
      asOf,
    });
    const rows =
      book.customers +
      book.facilities +
      book.installments +
      book.guarantors +
      book.payments +
      book.accountBalances +
      book.branches +
      book.loanTypes;

    log('raw COPY into bare text tables');
    const rawCopy = await rawCopySeconds(target.url, snapshot);

    log('vosul import into the empty database');
    const first = await importOnce(snapshot, asOf, env);
    log('vosul import of the unchanged snapshot');
    const second = await importOnce(snapshot, asOf, env);

    await defineBenchWorkflows(target.url);
    log(`vosul run-day: the first run (${dates.first}), the next day (${dates.day}), the same day again`);
    const runDay = await measureRunDay(target.url, env, dates);

    log('vosul dispatch through the simulator provider');
    const dispatched = await measureDispatch(target.url, env, Math.min(book.facilities, DISPATCHED));
    log('vosul dispatch through Kavenegar REST (the local peer)');
    const viaKavenegar = await measureKavenegarDispatch(
      target.url,
      env,
      Math.min(book.facilities, DISPATCHED),
    );
    log('vosul dispatch over SMPP (the local SMSC)');
    const viaSmpp = await measureSmppDispatch(target.url, env, Math.min(book.facilities, DISPATCHED));

    log('case search under load');
    const api = await measureCaseSearch(target.url, env, options.apiSeconds ?? 15);
    return {
      customers: book.customers,
      facilities: book.facilities,
      installments: book.installments,
      import: {
        rows,
        seconds: first.seconds,
        raw_copy_seconds: round(rawCopy),
        ratio: round(first.seconds / rawCopy),
        reimport_seconds: second.seconds,
        peak_rss_mb: Math.max(first.peakRssMb, second.peakRssMb),
      },
      api,
      run_day: runDay,
      dispatch: dispatched,
      dispatch_kavenegar: viaKavenegar,
      dispatch_smpp: viaSmpp,
    };
  } finally {
    await target.dispose();
    rmSync(work, { recursive: true, force: true });
  }
}

const round = (n: number) => Math.round(n * 100) / 100;

/** SMS dispatched end to end by the benchmark (a large day of a national bank's reminders). */
const DISPATCHED = 100_000;

async function importOnce(
  folder: string,
  asOf: string,
  env: NodeJS.ProcessEnv,
): Promise<{ seconds: number; peakRssMb: number }> {
  const run = await runVosul(['import', folder, '--as-of', asOf, '--json'], env);
  if (run.code !== 0) throw new Error(`vosul import failed (exit ${run.code}):\n${run.stderr.slice(-2000)}`);
  const result = JSON.parse(run.stdout) as { seconds: number; rejected: unknown[] };
  return { seconds: result.seconds, peakRssMb: run.peakRssMb };
}

interface TargetDatabase {
  url: string;
  dispose(): Promise<void>;
}

async function openTargetDatabase(
  config: Config,
  work: string,
  log: (message: string) => void,
): Promise<TargetDatabase> {
  const name = `vosul_bench_${process.pid}`;
  if (config.databaseUrl) {
    const url = await ensureDatabase(config.databaseUrl, name);
    await migrate(url);
    return {
      url,
      async dispose() {
        const admin = new pg.Client({ connectionString: config.databaseUrl });
        await admin.connect();
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => admin.end());
      },
    };
  }
  const embedded = await openEmbeddedDatabase(path.join(work, 'data'), { info: log });
  const url = await ensureDatabase(embedded.url, name);
  await migrate(url);
  return { url, dispose: () => embedded.release() };
}

async function migrate(url: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    await migrateDatabase(pool);
  } finally {
    await pool.end();
  }
}

/** The figures as a table for people. */
export function formatBench(r: BenchResult): string {
  const lines: [string, string][] = [
    ['customers / facilities / installments', `${r.customers} / ${r.facilities} / ${r.installments}`],
    ['snapshot rows', String(r.import.rows)],
    ['raw COPY (physical limit)', `${r.import.raw_copy_seconds} s`],
    ['vosul import, empty database', `${r.import.seconds} s`],
    ['ratio import / raw COPY', `${r.import.ratio}`],
    ['re-import, unchanged', `${r.import.reimport_seconds} s`],
    ['peak RSS of the import', `${r.import.peak_rss_mb} MB`],
    [`case search p95 (${r.api.connections} connections)`, `${r.api.p95_ms} ms`],
    ['case search throughput', `${r.api.requests_per_second} requests/s`],
    [`signed-in no-op p95 (the floor)`, `${r.api.floor.p95_ms} ms`],
    ['signed-in no-op throughput', `${r.api.floor.requests_per_second} requests/s`],
    ['ratio search p95 / floor p95', `${r.api.p95_ratio}`],
    ['run-day facilities', String(r.run_day.facilities)],
    [`run-day of a business day (${r.run_day.dates.day})`, `${r.run_day.seconds} s`],
    ['bare aggregate over the installments', `${r.run_day.bare_aggregate_seconds} s`],
    ['ratio run-day / bare aggregate', `${r.run_day.ratio}`],
    ['run-day without its planning', `${r.run_day.seconds_without_planning} s`],
    ['ratio without planning / bare aggregate', `${r.run_day.ratio_without_planning}`],
    [`run-day, first run (${r.run_day.dates.first}, opens the books)`, `${r.run_day.first_run_seconds} s`],
    ['ratio first run / bare aggregate', `${r.run_day.first_run_ratio}`],
    ['dispatch through the simulator', `${r.dispatch.notifications} in ${r.dispatch.seconds} s`],
    ['dispatch throughput', `${r.dispatch.per_second} notifications/s`],
    [
      'dispatch through Kavenegar REST',
      `${r.dispatch_kavenegar.notifications} in ${r.dispatch_kavenegar.seconds} s (${r.dispatch_kavenegar.sendarray_calls} sendarray calls)`,
    ],
    ['Kavenegar REST throughput', `${r.dispatch_kavenegar.per_second} notifications/s`],
    [
      'dispatch over SMPP',
      `${r.dispatch_smpp.notifications} in ${r.dispatch_smpp.seconds} s (${r.dispatch_smpp.submits} submit_sm)`,
    ],
    ['SMPP throughput', `${r.dispatch_smpp.submits_per_second} submits/s`],
    ['run-day, the same day again', `${r.run_day.rerun_seconds} s`],
    ['notifications planned: first run, the day', `${r.run_day.planned.first}, ${r.run_day.planned.day}`],
    ['planning / rest of the day run', `${r.run_day.day_planning_share}`],
    ["the day's outbox rows written again (planning's limit)", `${r.run_day.outbox_write_seconds} s`],
    ['ratio planning / that write', `${r.run_day.planning_ratio_to_outbox_write}`],
    ['that write / rest of the day run', `${r.run_day.outbox_write_share}`],
  ];
  const width = Math.max(...lines.map(([k]) => k.length));
  return lines.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}
