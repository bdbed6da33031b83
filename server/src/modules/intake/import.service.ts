import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { CsvToCopy, NotUtf8Error, type Encoding } from './csv-copy.js';
import * as repo from './import.repository.js';
import { normalizeField, parseSnapshotDate } from './snapshot-values.js';
import { todayIn } from '../../platform/date-range.js';

/**
 * Loads a snapshot folder (interchange.md, "Snapshot folder") in ONE transaction: every CSV is
 * streamed through COPY into staging tables, then checked, normalised and applied with set-based
 * SQL that writes only what differs. The CLI, the upload page and the drop-folder job all call
 * `importSnapshot` with a folder path.
 */
export interface ImportOptions {
  folder: string;
  /** `YYYY-MM-DD` (or any accepted date form); default today in `timezone` */
  asOf?: string;
  force?: boolean;
  encoding?: Encoding;
  source?: 'cli' | 'upload' | 'drop_folder' | 'demo';
  timezone?: string;
  /** progress lines (the CLI prints them on stderr) */
  log?: (message: string) => void;
  /** share of the work done, 0…1, with the step's name (the upload page's progress bar) */
  onProgress?: (progress: ImportProgress) => void;
  /** an existing run row to use (a retried job keeps one run); default: a new row */
  runId?: string;
}

export interface ImportProgress {
  stage: string;
  fraction: number;
}

export interface ImportReject {
  file: string;
  line: number;
  reason: string;
}

export interface ImportResult {
  importId: string;
  asOf: string;
  loaded: Record<string, number>;
  rejected: ImportReject[];
  closed: number;
  seconds: number;
}

export type ImportRefusal = 'older_snapshot' | 'close_guard' | 'manifest' | 'format' | 'bad_input';

/** The snapshot was refused as a whole; nothing changed. */
export class ImportRefusedError extends Error {
  constructor(
    readonly reason: ImportRefusal,
    message: string,
  ) {
    super(message);
  }
}

/** Share of the active facilities an import may close without `force`. */
export const CLOSE_GUARD_SHARE = 0.1;

const LOAD_ORDER = [
  'branches.csv',
  'loan_types.csv',
  'customers.csv',
  'facilities.csv',
  'installments.csv',
  'guarantors.csv',
  'payments.csv',
  'account_balances.csv',
] as const;

export async function importSnapshot(pool: pg.Pool, options: ImportOptions): Promise<ImportResult> {
  const started = performance.now();
  let lap = started;
  const step = (what: string) => {
    const now = performance.now();
    options.log?.(`${what}: ${((now - lap) / 1000).toFixed(2)} s`);
    lap = now;
  };
  // the apply steps, each weighted by the rows of the file it applies
  const applied = (what: string, file?: string) => {
    step(what);
    progress.applied(what, file);
  };
  const folder = path.resolve(options.folder);
  const encoding: Encoding = options.encoding ?? 'utf-8';
  const source = options.source ?? 'cli';
  const force = options.force ?? false;
  if (!existsSync(folder)) throw new ImportRefusedError('bad_input', `${folder}: no such folder`);
  for (const [file, spec] of Object.entries(repo.SNAPSHOT_FILES)) {
    if (!spec.optional && !existsSync(path.join(folder, file)))
      throw new ImportRefusedError('format', `${file} is missing from ${folder}`);
  }
  const manifest = readManifest(folder, encoding);

  const progress = new ProgressMeter(folder, options.onProgress);
  const client = await pool.connect();
  let importId: string | null = null;
  try {
    const asOf = resolveAsOf(options.asOf, options.timezone ?? 'Asia/Tehran');
    // The run row is committed first so that other sessions (the intake page) see it while it runs.
    const run = { asOf, source, folder, forced: force };
    importId = options.runId ?? (await repo.insertImportRun(pool, run));
    if (options.runId !== undefined) await repo.restartImportRun(pool, options.runId, run);
    await repo.markImportBackend(client, importId);
    await client.query('BEGIN');
    await repo.lockImports(client);
    await repo.failInterruptedRuns(client);
    const latest = await repo.latestImportedAsOf(client);
    if (latest !== null && asOf < latest && !force)
      throw new ImportRefusedError(
        'older_snapshot',
        `the snapshot of ${asOf} is older than the latest imported one (${latest}); use --force to load it anyway`,
      );
    await repo.createStagingTables(client);
    const stats: Record<string, { rows: number; sha256: string }> = {};
    for (const file of LOAD_ORDER) {
      const spec = repo.SNAPSHOT_FILES[file];
      const full = path.join(folder, file);
      if (!existsSync(full)) continue;
      stats[file] = await copyFile(client, full, file, spec, encoding, (bytes) => progress.read(bytes));
      step(`COPY ${file} (${stats[file].rows} rows)`);
    }
    if (manifest) checkManifest(folder, manifest, stats);
    progress.loaded(stats);
    await repo.analyzeStaging(client);

    const { closing, active } = await repo.countClosing(client);

    step('countClosing');
    if (!force && active > 0 && closing > active * CLOSE_GUARD_SHARE)
      throw new ImportRefusedError(
        'close_guard',
        `the snapshot would close ${closing} of ${active} active facilities (more than ${CLOSE_GUARD_SHARE * 100}%); ` +
          'is the export truncated? use --force to load it anyway',
      );

    const loaded: Record<string, number> = {};
    const present = (f: string) => stats[f] !== undefined;
    // Each step sees what the previous ones applied (references resolve against the tables).
    const branches = await repo.applyBranches(client);
    applied('applyBranches', 'branches.csv');
    if (present('branches.csv')) loaded['branches.csv'] = branches;
    const loanTypes = await repo.applyLoanTypes(client);
    applied('applyLoanTypes', 'loan_types.csv');
    if (present('loan_types.csv')) loaded['loan_types.csv'] = loanTypes;
    loaded['customers.csv'] = await repo.applyCustomers(client, importId);
    applied('applyCustomers', 'customers.csv');
    loaded['facilities.csv'] = await repo.applyFacilities(client, importId);
    applied('applyFacilities', 'facilities.csv');
    const closed = await repo.closeMissingFacilities(client, asOf);
    applied('closeMissingFacilities');
    loaded['installments.csv'] = await repo.applyInstallments(client);
    applied('applyInstallments', 'installments.csv');
    loaded['guarantors.csv'] = await repo.applyGuarantors(client);
    applied('applyGuarantors', 'guarantors.csv');
    const payments = await repo.applyPayments(client, importId);
    applied('applyPayments', 'payments.csv');
    if (present('payments.csv')) loaded['payments.csv'] = payments;
    const balances = await repo.applyAccountBalances(client);
    applied('applyAccountBalances', 'account_balances.csv');
    if (present('account_balances.csv')) loaded['account_balances.csv'] = balances;

    const rejected = await repo.rejectsOf(client);

    step('rejectsOf');
    const seconds = Math.round(performance.now() - started) / 1000;
    await repo.finishImportRun(client, importId, {
      counts: { loaded, read: Object.fromEntries(Object.entries(stats).map(([f, s]) => [f, s.rows])) },
      rejects: rejected.length,
      closed,
      seconds,
    });
    await client.query('COMMIT');
    // best effort: the import is committed whatever the vacuum does
    await repo.vacuumCustomers(client).catch(() => undefined);
    progress.done();
    return { importId, asOf, loaded, rejected, closed, seconds };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    // The run is recorded even when it changed nothing (V24), outside the rolled-back transaction.
    if (importId !== null) {
      const refused = err instanceof ImportRefusedError;
      await repo
        .failImportRun(
          pool,
          importId,
          refused ? 'refused' : 'failed',
          (err as Error).message,
          refused ? err.reason : null,
        )
        .catch(() => undefined);
    }
    throw err;
  } finally {
    client.release();
  }
}

function resolveAsOf(value: string | undefined, timezone: string): string {
  if (value === undefined) return todayIn(timezone);
  const date = parseSnapshotDate(normalizeField(value));
  if (!date) throw new ImportRefusedError('bad_input', `--as-of: not a date: ${value}`);
  return date;
}

async function copyFile(
  client: pg.PoolClient,
  full: string,
  file: string,
  spec: repo.FileSpec,
  encoding: Encoding,
  onBytes: (bytes: number) => void,
): Promise<{ rows: number; sha256: string }> {
  const csv = new CsvToCopy(file, spec.columns, encoding, (header) => {
    const missing = spec.required.filter((col) => !header.includes(col));
    if (missing.length > 0)
      throw new ImportRefusedError(
        'format',
        `${file}: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
      );
  });
  const input = createReadStream(full, { highWaterMark: 256 * 1024 });
  input.on('data', (chunk) => onBytes(chunk.length));
  try {
    await pipeline(input, csv, client.query(copyFrom(repo.copyStatement(spec))));
  } catch (err) {
    // a file in another encoding is a refusal of the snapshot as it stands: retrying cannot help
    if (err instanceof NotUtf8Error) throw new ImportRefusedError('format', err.message);
    throw err;
  }
  return csv.result();
}

interface ManifestEntry {
  file: string;
  rows: number;
  sha256: string | null;
}

function readManifest(folder: string, encoding: Encoding): ManifestEntry[] | null {
  const full = path.join(folder, 'manifest.csv');
  if (!existsSync(full)) return null;
  const text = new TextDecoder(encoding).decode(readFileSync(full));
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines.shift() ?? '').split(',').map((h) => h.trim().toLowerCase());
  const fi = header.indexOf('file');
  const ri = header.indexOf('rows');
  const si = header.indexOf('sha256');
  if (fi < 0 || ri < 0)
    throw new ImportRefusedError('manifest', 'manifest.csv: needs the columns file and rows');
  return lines.map((line) => {
    const cells = line.split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
    const rows = Number(cells[ri]);
    if (!Number.isInteger(rows))
      throw new ImportRefusedError('manifest', `manifest.csv: bad rows for ${cells[fi]}`);
    return { file: cells[fi] ?? '', rows, sha256: si >= 0 && cells[si] ? cells[si].toLowerCase() : null };
  });
}

/** Refuses the snapshot when a listed file is missing or differs in its row count or SHA-256. */
function checkManifest(
  folder: string,
  manifest: ManifestEntry[],
  stats: Record<string, { rows: number; sha256: string }>,
): void {
  for (const entry of manifest) {
    const full = path.join(folder, entry.file);
    if (!existsSync(full))
      throw new ImportRefusedError('manifest', `manifest.csv lists ${entry.file}, which is missing`);
    let seen = stats[entry.file];
    if (!seen) {
      // a listed file the import does not load: its hash and row count still have to match
      const bytes = readFileSync(full);
      const rows =
        bytes
          .toString('utf8')
          .split(/\r?\n/)
          .filter((l) => l.trim() !== '').length - 1;
      seen = { rows: Math.max(rows, 0), sha256: createHash('sha256').update(bytes).digest('hex') };
    }
    if (seen.rows !== entry.rows)
      throw new ImportRefusedError(
        'manifest',
        `${entry.file} has ${seen.rows} rows but manifest.csv says ${entry.rows}; the snapshot is refused`,
      );
    if (entry.sha256 && entry.sha256 !== seen.sha256)
      throw new ImportRefusedError(
        'manifest',
        `${entry.file} does not match its sha256 in manifest.csv; the snapshot is refused`,
      );
  }
}

/**
 * Turns bytes read (the COPY half) and applied steps (the other half, weighted by each file's rows)
 * into one fraction, reported at most every percent.
 */
class ProgressMeter {
  private readonly totalBytes: number;
  private bytes = 0;
  private rows: Record<string, number> = {};
  private totalRows = 0;
  private appliedRows = 0;
  private last = -1;

  constructor(
    folder: string,
    private readonly report: ((progress: ImportProgress) => void) | undefined,
  ) {
    this.totalBytes = LOAD_ORDER.reduce((sum, file) => {
      const full = path.join(folder, file);
      return sum + (existsSync(full) ? statSync(full).size : 0);
    }, 0);
  }

  read(bytes: number): void {
    this.bytes += bytes;
    this.emit('load', (0.5 * this.bytes) / Math.max(this.totalBytes, 1));
  }

  loaded(stats: Record<string, { rows: number }>): void {
    this.rows = Object.fromEntries(Object.entries(stats).map(([f, s]) => [f, s.rows]));
    // each step costs its rows, plus one so that empty files and the closing step still move the bar
    this.totalRows = Object.values(this.rows).reduce((a, b) => a + b, 0) + LOAD_ORDER.length + 1;
    this.emit('load', 0.5);
  }

  applied(stage: string, file?: string): void {
    this.appliedRows += (file === undefined ? 0 : (this.rows[file] ?? 0)) + 1;
    this.emit(stage, 0.5 + (0.5 * this.appliedRows) / Math.max(this.totalRows, 1));
  }

  done(): void {
    this.emit('done', 1, true);
  }

  private emit(stage: string, fraction: number, force = false): void {
    const percent = Math.min(Math.floor(fraction * 100), 100);
    if (!this.report || (!force && percent <= this.last)) return;
    this.last = percent;
    this.report({ stage, fraction: percent / 100 });
  }
}
