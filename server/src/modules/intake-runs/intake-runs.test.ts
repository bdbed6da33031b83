import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { IntakeRun } from '@vosul/common/intake';
import { factory, logIn, logInAsAdmin, setupTestApp, type Session } from '../../../test/harness.js';
import { JobQueue, useJobQueue } from '../../platform/jobs/index.js';
import { registerJobs } from '../../jobs/index.js';
import { createSecretBox } from '../../platform/secrets.js';
import { queueImport, scanDropFolder } from './intake-runs.service.js';
import { extractSnapshotZip } from './snapshot-files.js';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vosul-intake-'));
const { app, db, config, url } = await setupTestApp({ VOSUL_DATA_DIR: dataDir });
const pool = new pg.Pool({ connectionString: url, max: 4 });
const log = { info: () => undefined, error: () => undefined };
const queue = await JobQueue.start(pool, { processing: true, log, pollingIntervalSeconds: 0.5 });
useJobQueue(db, queue);
const deps = { db, pool, config, log, secrets: createSecretBox(config.secretKey!) };
await registerJobs(queue, deps);
afterAll(async () => {
  await queue.stop(2000);
  await pool.end();
  rmSync(dataDir, { recursive: true, force: true });
});
const admin = await logInAsAdmin(app);
type ErrorBody = { error: { code: string; field?: string; message: string } };

type Files = Record<string, string>;
const BASE: Files = {
  'branches.csv': 'branch_code,name,province_code,province_name\nB1,شعبه یک,P1,تهران\n',
  'loan_types.csv': 'loan_type_code,title\nL1,قرض الحسنه\n',
  'customers.csv':
    'customer_no,first_name,last_name,national_id,mobile,branch_code\n' +
    'C1,علی,احمدی,0013542419,09121234567,B1\nC2,زهرا,کریمی,0013542419,09121234568,B1\nC3,بد,ردیف,,,B9\n',
  'facilities.csv':
    'facility_no,customer_no,branch_code,loan_type_code,granted_on,principal\n' +
    'F1,C1,B1,L1,1403/05/01,100000000\nF2,C2,B1,L1,1403/05/01,50000000\n',
  'installments.csv': 'facility_no,seq,due_on,amount\nF1,1,1403/06/01,1000000\nF2,1,1403/06/01,500000\n',
  'guarantors.csv': 'facility_no,first_name,last_name\nF1,حسن,حسنی\n',
};

function multipart(files: { name: string; content: Buffer | string }[], fields: Record<string, string> = {}) {
  const boundary = `----vosul${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields))
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  for (const file of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      Buffer.from(file.content),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

function upload(session: Session, files: { name: string; content: Buffer | string }[], fields = {}) {
  const body = multipart(files, fields);
  return app.inject({
    method: 'POST',
    url: '/api/v1/intake-runs/upload',
    payload: body.payload,
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': body.contentType },
  });
}

const csvFiles = (files: Files) => Object.entries(files).map(([name, content]) => ({ name, content }));

async function zipOf(entries: Record<string, string>): Promise<Buffer> {
  const zip = new JSZip();
  for (const [name, content] of Object.entries(entries)) zip.file(name, content, { createFolders: false });
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

const FINAL = ['succeeded', 'failed', 'refused'];
async function waitForRun(
  id: string,
  statuses = FINAL,
  done: (run: IntakeRun) => boolean = () => true,
): Promise<IntakeRun> {
  for (let i = 0; i < 200; i++) {
    const run = (await admin.get(`/api/v1/intake-runs/${id}`)).json<IntakeRun>();
    if (statuses.includes(run.status) && done(run)) return run;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`run ${id} did not finish`);
}

/** The uploaded files still kept; the job removes them just after its run row is final, so wait a little. */
async function uploadsLeft(): Promise<string[]> {
  const dir = path.join(dataDir, 'intake', 'uploads');
  for (let i = 0; i < 100 && readdirSync(dir).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
  return readdirSync(dir);
}

const setIntake = (body: object) => admin.patch('/api/v1/settings/intake', body);

describe('intake settings (V24)', () => {
  it('reads the defaults, validates naming the field and audits a change', async () => {
    expect((await admin.get('/api/v1/settings/intake')).json()).toEqual({
      drop_folder: '',
      daily_time: '02:00',
      retry_count: 3,
      retry_delay_minutes: 30,
    });
    for (const [body, field] of [
      [{ daily_time: '25:00' }, 'daily_time'],
      [{ daily_time: 'ساعت دو' }, 'daily_time'],
      [{ retry_count: 11 }, 'retry_count'],
      [{ retry_delay_minutes: -1 }, 'retry_delay_minutes'],
      [{ drop_folder: 'relative/path' }, 'drop_folder'],
      [{ drop_folder: '/no/such/folder/vosul' }, 'drop_folder'],
    ] as const) {
      const res = await setIntake(body);
      expect(res.statusCode).toBe(400);
      expect(res.json<ErrorBody>().error.field).toBe(field);
      expect(res.json<ErrorBody>().error.message).toMatch(/[آ-ی]/);
    }
    const res = await setIntake({ daily_time: '۳:۴۵', retry_count: 0 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ daily_time: '03:45', retry_count: 0 });
    const audit = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity', '=', 'setting')
      .where('entity_id', '=', 'intake')
      .executeTakeFirstOrThrow();
    expect(audit.after).toMatchObject({ daily_time: '03:45' });
    // the time moved the daily schedule (in the business time zone)
    const schedule = await pool.query<{ cron: string; timezone: string }>(
      `SELECT cron, timezone FROM pgboss.schedule WHERE name = 'intake-drop-folder'`,
    );
    expect(schedule.rows).toEqual([]); // no folder yet: nothing to pick up
    const folder = mkdtempSync(path.join(os.tmpdir(), 'vosul-drop-'));
    expect((await setIntake({ drop_folder: folder })).statusCode).toBe(200);
    const scheduled = await pool.query<{ cron: string; timezone: string }>(
      `SELECT cron, timezone FROM pgboss.schedule WHERE name = 'intake-drop-folder'`,
    );
    expect(scheduled.rows).toEqual([{ cron: '45 3 * * *', timezone: 'Asia/Tehran' }]);
    await setIntake({ drop_folder: '', retry_count: 3 });
    rmSync(folder, { recursive: true, force: true });
  });
});

describe('upload and queued import (V24)', () => {
  it('imports uploaded CSV files through the queue; the run shows counts per file and progress 1', async () => {
    const res = await upload(admin, csvFiles(BASE), { as_of: '2024-10-01' });
    expect(res.statusCode).toBe(202);
    const queued = res.json<IntakeRun>();
    expect(queued).toMatchObject({ source: 'upload', status: 'queued', as_of: '2024-10-01' });
    const run = await waitForRun(queued.id);
    expect(run).toMatchObject({
      status: 'succeeded',
      progress: 1,
      retries: 0,
      rejects: 1,
      uploaded_by_name: expect.any(String) as unknown,
    });
    expect(run.files.find((f) => f.file === 'customers.csv')).toEqual({
      file: 'customers.csv',
      read: 3,
      loaded: 2,
      rejected: 1,
    });
    expect(run.seconds).toBeGreaterThan(0);
    // the uploaded files are not kept once the run is over
    expect(await uploadsLeft()).toEqual([]);

    // the rejects as Excel
    const xlsx = await admin.get(`/api/v1/intake-runs/${run.id}/rejects`);
    expect(xlsx.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(['فایل', 'سطر', 'علت', 'متن اصلی']);
    // the reason in Persian for staff, beside the import's own English text
    expect((sheet.getRow(2).values as unknown[]).slice(1)).toEqual([
      'customers.csv',
      4,
      'مقدار ناشناخته در ستون branch_code (در سامانه و در این اطلاعات نیست): B۹',
      'unknown branch_code B9',
    ]);
    const logged = await db
      .selectFrom('export_log')
      .selectAll()
      .where('name', '=', 'intake_rejects')
      .execute();
    expect(logged).toHaveLength(1);
  });

  it('imports a zip of the files (in a folder inside the zip)', async () => {
    const entries = Object.fromEntries(Object.entries(BASE).map(([n, c]) => [`snapshot/${n}`, c]));
    const res = await upload(admin, [{ name: 'snapshot.zip', content: await zipOf(entries) }], {
      as_of: '2024-10-02',
    });
    expect(res.statusCode).toBe(202);
    const run = await waitForRun(res.json<IntakeRun>().id);
    expect(run).toMatchObject({ status: 'succeeded', as_of: '2024-10-02', original_name: 'snapshot.zip' });
    expect(run.files.map((f) => f.file)).toContain('facilities.csv');
  });

  it('refuses a bad zip, a path that climbs out, an unknown file and missing files, naming the problem', async () => {
    const before = await db
      .selectFrom('snapshot_imports')
      .select(db.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    const cases: [{ name: string; content: Buffer | string }[], RegExp][] = [
      [[{ name: 'data.zip', content: 'this is not a zip' }], /zip/],
      [[{ name: 'data.zip', content: await zipOf({ '../customers.csv': 'x' }) }], /مجاز نیست/],
      [[{ name: 'data.zip', content: await zipOf({ 'evil.sh': 'x' }) }], /evil\.sh/],
      [[{ name: 'notes.txt', content: 'x' }], /notes\.txt/],
      [[{ name: 'customers.csv', content: BASE['customers.csv']! }], /facilities\.csv/],
    ];
    for (const [files, message] of cases) {
      const res = await upload(admin, files);
      expect(res.statusCode).toBe(400);
      const error = res.json<ErrorBody>().error;
      expect(error.field).toBe('files');
      expect(error.message).toMatch(message);
    }
    const bad = await upload(admin, csvFiles(BASE), { as_of: '2024-13-40' });
    expect(bad.json<ErrorBody>().error.field).toBe('as_of');
    const after = await db
      .selectFrom('snapshot_imports')
      .select(db.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    expect(await uploadsLeft()).toEqual([]);
  });

  it('stops unpacking a zip past the size limit (zip bomb)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vosul-bomb-'));
    const zipFile = path.join(dir, 'bomb.zip');
    writeFileSync(zipFile, await zipOf({ 'customers.csv': 'x'.repeat(100_000) }));
    await expect(extractSnapshotZip(zipFile, dir, 10_000)).rejects.toThrow(/مگابایت/);
    rmSync(dir, { recursive: true, force: true });
  });

  it('is for HQ users with the page only', async () => {
    const branch = await factory.branch(db);
    await factory.user(db, { username: 'intake_branch', group: 'branch_manager', branchId: branch.id });
    const user = await logIn(app, 'intake_branch', 'password-1234');
    expect((await upload(user, csvFiles(BASE))).statusCode).toBe(403);
  });
});

describe('retries and refusals (V24)', () => {
  it('retries a failing run up to the configured count on the same row, then fails it', async () => {
    await setIntake({ retry_count: 2, retry_delay_minutes: 0 });
    const folder = mkdtempSync(path.join(dataDir, 'broken-'));
    for (const [name, content] of Object.entries(BASE)) writeFileSync(path.join(folder, name), content);
    rmSync(path.join(folder, 'installments.csv'));
    mkdirSync(path.join(folder, 'installments.csv')); // unreadable: the import fails (not a refusal)
    const id = await queueImport(db, queue, {
      folder,
      source: 'upload',
      force: false,
      asOf: '2024-10-03',
      originalName: 'broken',
      timeZone: 'Asia/Tehran',
    });
    // a failed try shows as failed until the retry takes it: wait for the last one
    const run = await waitForRun(id, ['failed'], (r) => r.retries === r.max_retries);
    expect(run).toMatchObject({ status: 'failed', retries: 2, max_retries: 2, refusal: null });
    expect(run.message).toMatch(/EISDIR|directory/i);
    const rows = await db
      .selectFrom('snapshot_imports')
      .select('id')
      .where('original_name', '=', 'broken')
      .execute();
    expect(rows).toHaveLength(1);
    await setIntake({ retry_count: 3, retry_delay_minutes: 30 });
  });

  it('does not retry a snapshot stopped by the 10% closing guard; it is recorded and alerted', async () => {
    await setIntake({ retry_count: 2, retry_delay_minutes: 0 });
    const truncated = {
      ...BASE,
      'facilities.csv':
        'facility_no,customer_no,branch_code,loan_type_code,granted_on,principal\nF1,C1,B1,L1,1403/05/01,100000000\n',
    };
    const res = await upload(admin, csvFiles(truncated), { as_of: '2024-10-04' });
    const run = await waitForRun(res.json<IntakeRun>().id);
    expect(run).toMatchObject({ status: 'refused', refusal: 'close_guard', retries: 0 });
    await new Promise((r) => setTimeout(r, 1500));
    expect((await admin.get(`/api/v1/intake-runs/${run.id}`)).json<IntakeRun>()).toMatchObject({
      status: 'refused',
      retries: 0,
    });
    const alerts = (await admin.get('/api/v1/intake-runs/alerts')).json<{ items: IntakeRun[] }>();
    expect(alerts.items.map((a) => a.id)).toContain(run.id);
    await setIntake({ retry_count: 3, retry_delay_minutes: 30 });
  });
});

describe('drop folder (V24)', () => {
  it('takes a snapshot only once its manifest.csv exists, then moves it to done/', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'vosul-drop-'));
    try {
      expect((await setIntake({ drop_folder: root })).statusCode).toBe(200);
      const snap = path.join(root, '1403-07-15');
      mkdirSync(snap);
      for (const [name, content] of Object.entries(BASE)) writeFileSync(path.join(snap, name), content);
      expect((await scanDropFolder({ ...deps, queue })).queued).toEqual([]);
      expect(existsSync(snap)).toBe(true);
      writeFileSync(path.join(snap, 'manifest.csv'), 'file,rows\ncustomers.csv,3\n');
      const { queued } = await scanDropFolder({ ...deps, queue });
      expect(queued).toHaveLength(1);
      const run = await waitForRun(queued[0]!);
      expect(run).toMatchObject({ status: 'succeeded', source: 'drop_folder', original_name: '1403-07-15' });
      // the folder is moved just after the run's row is final
      const moved = () =>
        existsSync(path.join(root, 'done')) && readdirSync(path.join(root, 'done')).length > 0;
      for (let i = 0; i < 100 && !moved(); i++) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 100));
      expect(readdirSync(path.join(root, 'done'))).toHaveLength(1);
      expect(existsSync(snap)).toBe(false);
      // a second scan finds nothing new
      expect((await scanDropFolder({ ...deps, queue })).queued).toEqual([]);
    } finally {
      await setIntake({ drop_folder: '' });
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('intake report (V24)', () => {
  it('filters by status and date, pages, and exports to Excel (recorded)', async () => {
    const all = (await admin.get('/api/v1/intake-runs?page_size=100')).json<{
      items: IntakeRun[];
      total: number;
    }>();
    expect(all.total).toBeGreaterThanOrEqual(5);
    const failed = (await admin.get('/api/v1/intake-runs?status=failed')).json<{ items: IntakeRun[] }>();
    expect(failed.items.length).toBeGreaterThan(0);
    expect(failed.items.every((r) => r.status === 'failed')).toBe(true);
    const paged = (await admin.get('/api/v1/intake-runs?page=2&page_size=2')).json<{
      items: IntakeRun[];
      total: number;
    }>();
    expect(paged.items).toHaveLength(2);
    expect(paged.total).toBe(all.total);
    await db
      .updateTable('snapshot_imports')
      .set({ queued_at: '2024-07-21T21:00:00Z' })
      .where('id', '=', all.items.at(-1)!.id)
      .execute();
    // 2024-07-21T21:00Z is 1403/05/01 00:30 in Tehran: the business day 2024-07-22
    const day = (await admin.get('/api/v1/intake-runs?from=2024-07-22&to=2024-07-22')).json<{
      items: IntakeRun[];
    }>();
    expect(day.items.map((r) => r.id)).toEqual([all.items.at(-1)!.id]);
    const badRange = await admin.get('/api/v1/intake-runs?from=2024-07-22&to=2024-07-01');
    expect(badRange.json<ErrorBody>().error.field).toBe('to');
    expect((await admin.get('/api/v1/intake-runs?status=done')).json<ErrorBody>().error.field).toBe('status');
    const xlsx = await admin.get('/api/v1/intake-runs/export?status=succeeded');
    expect(xlsx.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).getCell(5).value).toBe('وضعیت');
    expect(sheet.getRow(2).getCell(5).value).toBe('موفق');
    expect(
      await db.selectFrom('export_log').select('id').where('name', '=', 'intake_report').execute(),
    ).toHaveLength(1);
    // a refusal explained in Persian, the import's English text beside it
    const refused = await admin.get('/api/v1/intake-runs/export?status=refused');
    const refusedBook = new ExcelJS.Workbook();
    await refusedBook.xlsx.load(refused.rawPayload as unknown as ArrayBuffer);
    const refusedSheet = refusedBook.worksheets[0]!;
    const headers = (refusedSheet.getRow(1).values as unknown[]).slice(1);
    const cell = (header: string) => refusedSheet.getRow(2).getCell(headers.indexOf(header) + 1).value;
    expect(cell('توضیح')).toMatch(/تسهیلات فعال بسته می‌شد/);
    expect(cell('متن اصلی')).toMatch(/^the snapshot would close/);
  });
});
