import type { JobQueue } from '../platform/jobs/index.js';
import { failInterruptedDayRuns } from '../modules/day-run/day-run.repository.js';
import {
  DAILY_RUN_JOB,
  DAY_RUN_JOB,
  catchUpDays,
  runQueuedDay,
  scheduleDailyRun,
  type DayRunJob,
  type DayRunWorkerDeps,
} from '../modules/day-run/day-runs.service.js';

/** Issue 4: runs of the day queued from the page, and the daily run with its catch-up. */
export async function registerDayRunJobs(queue: JobQueue, deps: DayRunWorkerDeps): Promise<void> {
  // runs left "running" by a process that died are failed now, not at the next run
  await failInterruptedDayRuns(deps.pool);
  await queue.work<DayRunJob>(DAY_RUN_JOB, (job) => runQueuedDay(deps, job));
  await queue.work<object>(DAILY_RUN_JOB, async () => {
    await catchUpDays(deps);
  });
  await scheduleDailyRun(deps.db, queue, deps.timezone);
}
