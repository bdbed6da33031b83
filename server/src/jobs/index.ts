import type { JobQueue } from '../platform/jobs/index.js';
import type { IntakeWorkerDeps } from '../modules/intake-runs/intake-runs.service.js';
import { registerIntakeJobs } from './intake.jobs.js';
import { registerDayRunJobs } from './day-run.jobs.js';

/** Every background job `vosul serve` processes; a later issue adds notification dispatch. */
export async function registerJobs(queue: JobQueue, deps: IntakeWorkerDeps): Promise<void> {
  await registerIntakeJobs(queue, deps);
  await registerDayRunJobs(queue, {
    db: deps.db,
    pool: deps.pool,
    timezone: deps.config.timezone,
    log: deps.log,
  });
}
