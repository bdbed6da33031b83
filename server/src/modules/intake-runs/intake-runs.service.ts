import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import type pg from 'pg';
import { dateFromIso, normalizeText } from '@vosul/common';
import type { IntakeRun, IntakeRunFilter, IntakeRunQuery } from '@vosul/common/intake';
import type { Config } from '../../platform/config.js';
import type { Database } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/auth/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { mapRows, recordedExport } from '../../platform/export-log.js';
import { fetchPage } from '../../platform/listing.js';
import { jobQueueFor, type JobLogger, type JobQueue, type JobRun } from '../../platform/jobs/index.js';
import { importSnapshot, ImportRefusedError } from '../intake/import.service.js';
import { findIntakeSettings } from '../settings/settings.repository.js';
import * as repo from './intake-runs.repository.js';
import {
  MAX_UPLOAD_FILE_BYTES,
  SNAPSHOT_FILE_NAMES,
  checkRequiredFiles,
  extractSnapshotZip,
  snapshotFileName,
} from './snapshot-files.js';

/** V24: intake runs — uploads and the scheduled drop folder, queued, retried and reported. */
export const INTAKE_IMPORT_JOB = 'intake-import';
export const DROP_FOLDER_JOB = 'intake-drop-folder';

/** A job lasting longer than this is taken for dead (its worker killed) and offered again. */
const IMPORT_EXPIRE_MINUTES = 120;

export interface IntakeImportJob {
  runId: string;
  folder: string;
  asOf?: string;
  force: boolean;
  source: 'upload' | 'drop_folder';
  /** the drop folder the snapshot came from (it is moved to done/ or failed/ there at the end) */
  dropRoot?: string;
}

/** What the workers need: the pool for the import, the database for the records. */
export interface IntakeWorkerDeps {
  db: Database;
  pool: pg.Pool;
  config: Config;
  log: JobLogger;
}

// ---- the report ----------------------------------------------------------------------------------

const FILE_ORDER = SNAPSHOT_FILE_NAMES;

export async function listRuns(db: Database, _ctx: RequestContext, query: IntakeRunQuery, timeZone: string) {
  const { page, page_size, sort, order, ...filter } = query;
  const { items, total } = await fetchPage(
    repo.runsQuery(db, filter, timeZone),
    { page, page_size, sort, order },
    repo.SORTABLE,
    'started_at',
    'r.id',
  );
  const rejects = await repo.rejectCountsByFile(
    db,
    items.map((r) => r.id),
  );
  return { items: items.map((r) => toRun(r, rejects.get(r.id))), total };
}

export async function getRun(db: Database, _ctx: RequestContext, id: string): Promise<IntakeRun> {
  const row = /^\d{1,18}$/.test(id) ? await repo.findRun(db, id) : undefined;
  if (!row) throw notFound('اجرای دریافت اطلاعات');
  const rejects = await repo.rejectCountsByFile(db, [id]);
  return toRun(row, rejects.get(id));
}

/** The list as Excel (B7: recorded in the export log). */
export async function exportRuns(
  db: Database,
  ctx: RequestContext,
  filter: Partial<IntakeRunFilter>,
  timeZone: string,
) {
  const runs = mapRows(repo.streamRuns(db, filter, timeZone), (r) => toRun(r, undefined));
  return recordedExport(db, ctx, { name: 'intake_report', filter }, runs);
}

/** One run's rejected rows (file, line, reason) for the Excel download; recorded like any export. */
export async function exportRejects(db: Database, ctx: RequestContext, id: string) {
  await getRun(db, ctx, id);
  return recordedExport(db, ctx, { name: 'intake_rejects', filter: { run_id: id } }, repo.rejectsOf(db, id));
}

/** Refused or finally failed runs since the latest success: shown to administrators on the home page. */
export async function listAlerts(db: Database, _ctx: RequestContext) {
  const rows = await repo.alertRuns(db);
  return { items: rows.map((r) => toRun(r, undefined)) };
}

function toRun(row: repo.RunRow, rejectsByFile: Map<string, number> | undefined): IntakeRun {
  const counts = (row.counts ?? {}) as { read?: Record<string, number>; loaded?: Record<string, number> };
  const names = new Set([
    ...Object.keys(counts.read ?? {}),
    ...Object.keys(counts.loaded ?? {}),
    ...(rejectsByFile?.keys() ?? []),
  ]);
  const files = [...names]
    .sort((a, b) => FILE_ORDER.indexOf(a) - FILE_ORDER.indexOf(b))
    .map((file) => ({
      file,
      read: counts.read?.[file] ?? null,
      loaded: counts.loaded?.[file] ?? null,
      rejected: rejectsByFile?.get(file) ?? 0,
    }));
  const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());
  return {
    id: row.id,
    as_of: row.as_of,
    source: row.source,
    status: row.status,
    forced: row.forced,
    original_name: row.original_name,
    uploaded_by_name: row.uploaded_by_name,
    queued_at: iso(row.queued_at)!,
    started_at: iso(row.started_at)!,
    finished_at: iso(row.finished_at),
    seconds: row.seconds === null ? null : Number(row.seconds),
    retries: row.retries,
    max_retries: row.max_retries,
    next_attempt_at: iso(row.next_attempt_at),
    progress: Number(row.progress),
    stage: row.stage,
    refusal: row.refusal,
    message: row.message,
    files,
    rejects: row.rejects,
    closed: row.closed,
  };
}

// ---- queueing --------------------------------------------------------------------------------------

/** Records a queued run and sends its job in one transaction (no run without a job, nor the reverse). */
export async function queueImport(
  db: Database,
  queue: JobQueue,
  input: Omit<IntakeImportJob, 'runId'> & {
    uploadedBy?: { id: number; name: string };
    originalName: string | null;
    timeZone: string;
  },
): Promise<string> {
  const settings = await findIntakeSettings(db);
  return db.transaction().execute(async (trx) => {
    const runId = await repo.insertQueuedRun(trx, {
      asOf: input.asOf ?? new Intl.DateTimeFormat('en-CA', { timeZone: input.timeZone }).format(new Date()),
      source: input.source,
      folder: input.folder,
      forced: input.force,
      maxRetries: settings.retry_count,
      uploadedBy: input.uploadedBy?.id ?? null,
      uploadedByName: input.uploadedBy?.name ?? null,
      originalName: input.originalName,
    });
    const job: IntakeImportJob = {
      runId,
      folder: input.folder,
      force: input.force,
      source: input.source,
      ...(input.asOf ? { asOf: input.asOf } : {}),
      ...(input.dropRoot ? { dropRoot: input.dropRoot } : {}),
    };
    await queue.send(
      INTAKE_IMPORT_JOB,
      job,
      {
        retryLimit: settings.retry_count,
        retryDelaySeconds: settings.retry_delay_minutes * 60,
        expireInMinutes: IMPORT_EXPIRE_MINUTES,
      },
      trx,
    );
    return runId;
  });
}

/** Moves the daily drop-folder job to the time in the settings (none while no folder is set). */
export async function scheduleDropFolder(db: Database, queue: JobQueue, timeZone: string): Promise<void> {
  const settings = await findIntakeSettings(db);
  await queue.define(DROP_FOLDER_JOB);
  if (settings.drop_folder === '') await queue.unschedule(DROP_FOLDER_JOB);
  else await queue.scheduleDaily(DROP_FOLDER_JOB, settings.daily_time, timeZone);
}

// ---- upload ----------------------------------------------------------------------------------------

/**
 * Stores the uploaded snapshot (several CSV files or one zip of them) under the data folder and
 * queues its import; answers the queued run. HQ only: a snapshot changes the whole book.
 */
export async function uploadSnapshot(
  db: Database,
  ctx: RequestContext,
  request: FastifyRequest,
  config: Config,
): Promise<IntakeRun> {
  if (ctx.user.scope.kind !== 'hq')
    throw new AppError('forbidden', 'بارگذاری اطلاعات کربنکینگ فقط برای کاربران ستاد مجاز است');
  if (!request.isMultipart())
    throw new AppError('validation_failed', 'فایل‌ها باید به صورت multipart/form-data ارسال شوند', 'files');
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  const folder = path.join(config.dataDir, 'intake', 'uploads', `${stamp}-${randomBytes(4).toString('hex')}`);
  await mkdir(folder, { recursive: true });
  try {
    const fields: Record<string, string> = {};
    const names: string[] = [];
    let zip: string | null = null;
    const saved = new Set<string>();
    const tooLarge = () =>
      new AppError(
        'payload_too_large',
        `حجم هر فایل باید کمتر از ${Math.round(MAX_UPLOAD_FILE_BYTES / 1024 / 1024)} مگابایت باشد`,
        'files',
      );
    try {
      for await (const part of request.parts({
        limits: { fileSize: MAX_UPLOAD_FILE_BYTES, files: SNAPSHOT_FILE_NAMES.length, fields: 10 },
      })) {
        if (part.type === 'field') {
          fields[part.fieldname] = String(part.value);
          continue;
        }
        const original = part.filename;
        names.push(original);
        if (path.basename(original) !== original || original.includes('\\'))
          throw new AppError('validation_failed', `نام فایل «${original}» مجاز نیست`, 'files');
        const isZip = original.toLowerCase().endsWith('.zip');
        if (isZip && zip !== null)
          throw new AppError('validation_failed', 'تنها یک فایل zip را می‌توان بارگذاری کرد', 'files');
        const file = isZip ? 'upload.zip' : snapshotFileName(original);
        if (!isZip && saved.has(file))
          throw new AppError('validation_failed', `فایل «${file}» دو بار ارسال شده است`, 'files');
        await pipeline(part.file, createWriteStream(path.join(folder, file)));
        if (part.file.truncated) throw tooLarge();
        if (isZip) zip = path.join(folder, file);
        else saved.add(file);
      }
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
      if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT')
        throw new AppError('validation_failed', 'تعداد فایل‌های ارسال‌شده بیش از حد است', 'files');
      throw err;
    }
    if (names.length === 0)
      throw new AppError(
        'validation_failed',
        'فایلی انتخاب نشده است؛ فایل‌های CSV یا یک فایل zip را انتخاب کنید',
        'files',
      );
    if (zip !== null && saved.size > 0)
      throw new AppError(
        'validation_failed',
        'یا فایل‌های CSV را بفرستید یا یک فایل zip، نه هر دو را',
        'files',
      );
    if (zip !== null) await extractSnapshotZip(zip, folder);
    checkRequiredFiles(folder);
    const asOf = parseAsOf(fields.as_of);
    const force = fields.force === 'true' || fields.force === '1';
    const queue = await jobQueueFor(db);
    const runId = await queueImport(db, queue, {
      folder,
      source: 'upload',
      force,
      ...(asOf ? { asOf } : {}),
      uploadedBy: { id: ctx.user.id, name: `${ctx.user.firstName} ${ctx.user.lastName}`.trim() },
      originalName: names.join('، ').slice(0, 500),
      timeZone: config.timezone,
    });
    return await getRun(db, ctx, runId);
  } catch (err) {
    await rm(folder, { recursive: true, force: true });
    throw err;
  }
}

function parseAsOf(value: string | undefined): string | undefined {
  const v = normalizeText(value ?? '').trim();
  if (v === '') return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || dateFromIso(v) === null)
    throw new AppError('validation_failed', 'تاریخ اطلاعات معتبر نیست', 'as_of');
  return v;
}

// ---- the workers -----------------------------------------------------------------------------------

/**
 * Runs one queued import. Bad rows do not fail a run; a refusal (the 10% closing guard, an older
 * snapshot, a manifest mismatch, a missing file) ends it without a retry; any other failure is
 * retried as the job says (the settings when it was queued), on the same run row.
 */
export async function runImportJob(deps: IntakeWorkerDeps, job: JobRun<IntakeImportJob>): Promise<void> {
  const { db, pool, config, log } = deps;
  const { runId, folder, asOf, force, source } = job.data;
  await repo.recordAttempt(db, runId, job.retryCount);
  let last = 0;
  let writing = Promise.resolve();
  const onProgress = ({ stage, fraction }: { stage: string; fraction: number }) => {
    const now = Date.now();
    if (fraction < 1 && now - last < 400) return;
    last = now;
    writing = writing.then(() => repo.recordProgress(db, runId, fraction, stage)).catch(() => undefined);
  };
  try {
    const result = await importSnapshot(pool, {
      folder,
      force,
      source,
      timezone: config.timezone,
      runId,
      onProgress,
      ...(asOf ? { asOf } : {}),
    });
    await writing;
    await repo.recordSuccess(db, runId);
    log.info(`intake run ${runId}: loaded as of ${result.asOf}, ${result.rejected.length} rejected`);
    await settleFolder(db, job.data, 'done');
  } catch (err) {
    await writing;
    const message = (err as Error).message;
    if (err instanceof ImportRefusedError) {
      await repo.recordOutcome(db, runId, { status: 'refused', refusal: err.reason, message });
      log.error(`intake run ${runId} refused (${err.reason}): ${message}`);
      await settleFolder(db, job.data, 'failed');
      return;
    }
    const retry = job.retryCount < job.retryLimit;
    await repo.recordOutcome(db, runId, {
      status: retry ? 'retrying' : 'failed',
      refusal: null,
      message,
      ...(retry ? { retryInSeconds: job.retryDelaySeconds } : {}),
    });
    if (!retry) await settleFolder(db, job.data, 'failed');
    throw err;
  }
}

/** An upload's files go once the run is over; a drop-folder snapshot moves to done/ or failed/. */
async function settleFolder(db: Database, job: IntakeImportJob, outcome: 'done' | 'failed'): Promise<void> {
  if (job.source === 'upload') {
    await rm(job.folder, { recursive: true, force: true });
    return;
  }
  if (!job.dropRoot || !existsSync(job.folder)) return;
  const target = path.join(job.dropRoot, outcome, path.basename(job.folder));
  await mkdir(path.dirname(target), { recursive: true });
  await rename(job.folder, target);
  await repo.moveRunFolder(db, job.runId, target);
}

const DROP_SUBFOLDERS = new Set(['done', 'failed', 'processing']);

/**
 * The daily drop-folder pick-up: a snapshot is taken only once its manifest.csv exists (the exporter
 * writes it last). The snapshot may lie in the folder itself or in subfolders (e.g. one per date,
 * taken in name order); each is moved to `processing/` and queued, then ends in `done/` or `failed/`.
 */
export async function scanDropFolder(
  deps: IntakeWorkerDeps & { queue: JobQueue },
): Promise<{ queued: string[] }> {
  const { db, config, log, queue } = deps;
  const { drop_folder: root } = await findIntakeSettings(db);
  if (root === '') return { queued: [] };
  if (!existsSync(root)) {
    log.error(`intake drop folder ${root} does not exist`);
    return { queued: [] };
  }
  const candidates: { name: string; folder: string | null }[] = [];
  if (existsSync(path.join(root, 'manifest.csv')))
    candidates.push({ name: path.basename(root), folder: null });
  for (const name of readdirSync(root).sort()) {
    const full = path.join(root, name);
    if (DROP_SUBFOLDERS.has(name) || name.startsWith('.') || !statSync(full).isDirectory()) continue;
    if (existsSync(path.join(full, 'manifest.csv'))) candidates.push({ name, folder: full });
  }
  if (candidates.length === 0) {
    log.info(`intake drop folder ${root}: no snapshot with manifest.csv yet`);
    return { queued: [] };
  }
  const queued: string[] = [];
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  for (const candidate of candidates) {
    const target = path.join(root, 'processing', `${stamp}-${candidate.name}`);
    try {
      await mkdir(path.dirname(target), { recursive: true });
      if (candidate.folder) {
        await rename(candidate.folder, target);
      } else {
        // the manifest first: whoever moves it has claimed the snapshot
        await mkdir(target);
        await rename(path.join(root, 'manifest.csv'), path.join(target, 'manifest.csv'));
        for (const file of SNAPSHOT_FILE_NAMES) {
          const from = path.join(root, file);
          if (file !== 'manifest.csv' && existsSync(from)) await rename(from, path.join(target, file));
        }
      }
    } catch (err) {
      log.error(`intake drop folder: could not take ${candidate.name}`, err);
      continue;
    }
    queued.push(
      await queueImport(db, queue, {
        folder: target,
        source: 'drop_folder',
        force: false,
        dropRoot: root,
        originalName: candidate.name,
        timeZone: config.timezone,
      }),
    );
  }
  return { queued };
}
