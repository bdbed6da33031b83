import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { DayRun } from '@vosul/common/day-runs';
import { factory, logIn, logInAsAdmin, setupTestApp } from '../../../test/harness.js';
import { createBook, plus } from '../../../test/book.js';
import { JobQueue, useJobQueue } from '../../platform/jobs/index.js';
import { todayIn } from '../../platform/date-range.js';
import { registerJobs } from '../../jobs/index.js';
import { createSecretBox } from '../../platform/secrets.js';
import { runDay } from './day-run.service.js';
import { catchUpDays } from './day-runs.service.js';

const { app, db, config, url } = await setupTestApp();
const pool = new pg.Pool({ connectionString: url, max: 4 });
const log = { info: () => undefined, error: () => undefined };
const queue = await JobQueue.start(pool, { processing: true, log, pollingIntervalSeconds: 0.5 });
useJobQueue(db, queue);
await registerJobs(queue, { db, pool, config, log, secrets: createSecretBox(config.secretKey!) });
afterAll(async () => {
  await queue.stop(2000);
  await pool.end();
});
const admin = await logInAsAdmin(app);
const today = todayIn('Asia/Tehran');

async function settled(id: string): Promise<DayRun> {
  for (let i = 0; i < 200; i++) {
    const run = (await admin.get(`/api/v1/day-runs/${id}`)).json<DayRun>();
    if (run.status !== 'queued' && run.status !== 'running') return run;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the run did not finish');
}

describe('runs of the day from the page (issue 4, point 1)', () => {
  it('queues a run, which the worker does, and lists it with its figures', async () => {
    await createBook(
      pool,
      [{ no: 'F', installments: [{ due: plus(today, -70), amount: 1000 }] }],
      plus(today, -1),
    );
    const started = await admin.post('/api/v1/day-runs', { date: today });
    expect(started.statusCode).toBe(202);
    const queued = started.json<DayRun>();
    expect(queued).toMatchObject({ status: 'queued', business_date: today, source: 'ui' });
    expect(queued.started_by_name).toBeTruthy();
    const done = await settled(queued.id);
    expect(done).toMatchObject({ status: 'succeeded', kind: 'forward', facilities: 1, progress: 1 });
    const list = (await admin.get('/api/v1/day-runs?status=succeeded')).json<{ items: DayRun[] }>();
    expect(list.items.map((r) => r.id)).toContain(queued.id);
    const facility = (await admin.get('/api/v1/facilities/F')).json<{
      overdue_days: number;
      as_of: string;
    }>();
    expect(facility).toMatchObject({ overdue_days: 70, as_of: today });
  });

  it('records a refusal on the run (a date before the snapshot)', async () => {
    await createBook(pool, [], today);
    const queued = (await admin.post('/api/v1/day-runs', { date: plus(today, -5) })).json<DayRun>();
    const done = await settled(queued.id);
    expect(done.status).toBe('refused');
    expect(done.message).toContain('پیش از تاریخ آخرین اطلاعات');
  });

  it('refuses to queue a second run while one is waiting, and anyone but HQ', async () => {
    await createBook(pool, [], plus(today, -1));
    await pool.query(
      `INSERT INTO day_runs (business_date, source, status, started_by_name) VALUES ($1, 'ui', 'queued', 'سارا نیکو')`,
      [today],
    );
    const second = await admin.post('/api/v1/day-runs', { date: today });
    expect(second.statusCode).toBe(409);
    expect(second.json<{ error: { message: string } }>().error.message).toContain('سارا نیکو');
    await pool.query(`DELETE FROM day_runs WHERE status = 'queued'`);

    const branch = await factory.branch(db, { code: 'RUNS-B' });
    await factory.user(db, { username: 'runs_branch', group: 'hq_admin', branchId: branch.id });
    const branchUser = await logIn(app, 'runs_branch', 'password-1234');
    expect((await branchUser.post('/api/v1/day-runs', { date: today })).statusCode).toBe(403);
    expect((await admin.post('/api/v1/day-runs', { date: '1404-13-01' })).statusCode).toBe(400);
  });
});

describe('the daily run on schedule', () => {
  it('catches up every missed business day in order', async () => {
    await createBook(
      pool,
      [{ no: 'F', installments: [{ due: plus(today, -10), amount: 1000 }] }],
      plus(today, -3),
    );
    await runDay(pool, { date: plus(today, -3), source: 'cli', timezone: 'Asia/Tehran' });
    const ran = await catchUpDays({ db, pool, timezone: 'Asia/Tehran', log });
    expect(ran).toEqual([plus(today, -2), plus(today, -1), today]);
    const runs = await pool.query(
      `SELECT business_date, kind FROM day_runs WHERE source = 'schedule' AND status = 'succeeded' ORDER BY id`,
    );
    expect(runs.rows).toEqual(ran.map((d) => ({ business_date: d, kind: 'forward' })));
    expect(await catchUpDays({ db, pool, timezone: 'Asia/Tehran', log })).toEqual([]); // nothing missed now
  });
});
