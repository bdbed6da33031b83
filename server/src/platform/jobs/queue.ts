import { CompiledQuery } from 'kysely';
import PgBoss from 'pg-boss';
import type pg from 'pg';
import type { Database, Executor } from '../db/database.js';

/**
 * The background job queue (pg-boss) on the application's own PostgreSQL database: jobs are rows, so
 * any number of processes share them; a job whose worker died is offered again once it expires.
 * `vosul serve` starts one processing queue (workers, schedules, maintenance); requests and CLI
 * commands only send jobs, through a sender that never processes any.
 */
export interface JobRun<Data> {
  id: string;
  data: Data;
  /** attempts made before this one (0 on the first) and how many retries the job may make */
  retryCount: number;
  retryLimit: number;
  retryDelaySeconds: number;
}

export interface SendJobOptions {
  retryLimit?: number;
  retryDelaySeconds?: number;
  expireInMinutes?: number;
  singletonKey?: string;
}

export interface JobLogger {
  info(message: string): void;
  error(message: string, err?: unknown): void;
}

/** Runs SQL for pg-boss on one of ours: the pool, the Kysely database or a transaction (send with it). */
type SqlExecutor = { executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> };

const poolExecutor = (pool: pg.Pool): SqlExecutor => ({
  executeSql: async (text, values) => ({ rows: (await pool.query(text, values)).rows }),
});

const kyselyExecutor = (db: Executor): SqlExecutor => ({
  executeSql: async (text, values) => ({
    rows: [...(await db.executeQuery(CompiledQuery.raw(text, values ?? []))).rows],
  }),
});

export class JobQueue {
  private readonly workers: string[] = [];

  private constructor(
    private readonly boss: PgBoss,
    readonly processing: boolean,
    private readonly log: JobLogger,
  ) {}

  /**
   * Starts a queue on `target` (the pool, or the Kysely database of a request handler). With
   * `processing`, it runs the workers registered with `work`, the schedules and the maintenance
   * (expiry of jobs whose worker died); without, it only sends.
   */
  static async start(
    target: pg.Pool | Database,
    options: { processing: boolean; log: JobLogger; pollingIntervalSeconds?: number },
  ): Promise<JobQueue> {
    const executor = 'query' in target ? poolExecutor(target) : kyselyExecutor(target);
    const boss = new PgBoss({
      db: executor,
      migrate: true,
      supervise: options.processing,
      schedule: options.processing,
      // expired jobs (a killed worker) are noticed within a minute
      maintenanceIntervalSeconds: 60,
      pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2,
      cronMonitorIntervalSeconds: 30,
    });
    boss.on('error', (err) => options.log.error('job queue error', err));
    await boss.start();
    return new JobQueue(boss, options.processing, options.log);
  }

  /** Declares a queue (idempotent); jobs can be sent to it from then on. */
  async define(name: string): Promise<void> {
    await this.boss.createQueue(name);
  }

  /** Sends a job; with `trx`, the job exists only if that transaction commits. */
  async send<Data extends object>(
    name: string,
    data: Data,
    options: SendJobOptions = {},
    trx?: Executor,
  ): Promise<string | null> {
    return this.boss.send(name, data, {
      retryLimit: options.retryLimit ?? 0,
      retryDelay: options.retryDelaySeconds ?? 0,
      expireInMinutes: options.expireInMinutes ?? 15,
      ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
      ...(trx ? { db: kyselyExecutor(trx) } : {}),
    });
  }

  /**
   * Runs `handler` for each job of `name`, one at a time in this process. A handler that throws fails
   * the attempt; pg-boss retries it as the job's retry options say.
   */
  async work<Data>(name: string, handler: (job: JobRun<Data>) => Promise<void>): Promise<void> {
    if (!this.processing) throw new Error('this job queue only sends jobs');
    await this.define(name);
    const id = await this.boss.work<Data>(name, { includeMetadata: true, batchSize: 1 }, async (jobs) => {
      for (const job of jobs) {
        try {
          await handler({
            id: job.id,
            data: job.data,
            retryCount: job.retryCount,
            retryLimit: job.retryLimit,
            retryDelaySeconds: job.retryDelay,
          });
        } catch (err) {
          this.log.error(`job ${name} ${job.id} failed`, err);
          throw err;
        }
      }
    });
    this.workers.push(id);
  }

  /** Sends a job of `name` every day at `time` (HH:MM) in `timeZone`; replaces the previous schedule. */
  async scheduleDaily(name: string, time: string, timeZone: string, data: object = {}): Promise<void> {
    const [hours, minutes] = time.split(':').map(Number);
    await this.define(name);
    await this.boss.schedule(name, `${minutes} ${hours} * * *`, data, { tz: timeZone });
  }

  async unschedule(name: string): Promise<void> {
    await this.boss.unschedule(name);
  }

  /** Stops fetching, waits up to `timeoutMs` for running jobs (then fails them for a retry) and stops. */
  async stop(timeoutMs = 10_000): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, timeout: timeoutMs, close: false });
  }
}

// One queue per database handle: the serve process registers its processing queue; anything else
// (a request that sends a job, a test) gets a sender started on first use.
const queues = new WeakMap<Database, { queue: Promise<JobQueue>; owned: boolean }>();

export function useJobQueue(db: Database, queue: JobQueue): void {
  queues.set(db, { queue: Promise.resolve(queue), owned: false });
}

export function jobQueueFor(db: Database, log: JobLogger = silentLog): Promise<JobQueue> {
  let entry = queues.get(db);
  if (!entry) {
    const queue = JobQueue.start(db, { processing: false, log });
    entry = { queue, owned: true };
    queues.set(db, entry);
    queue.catch(() => queues.delete(db));
  }
  return entry.queue;
}

/** Stops the sender `jobQueueFor` started for `db` (the app's close); a registered queue is its owner's. */
export async function releaseJobQueue(db: Database): Promise<void> {
  const entry = queues.get(db);
  queues.delete(db);
  if (entry?.owned) await (await entry.queue.catch(() => null))?.stop(1000);
}

const silentLog: JobLogger = { info: () => undefined, error: () => undefined };
