import type { JobQueue } from '../platform/jobs/index.js';
import type { IntakeWorkerDeps } from '../modules/intake-runs/intake-runs.service.js';
import { registerIntakeJobs } from './intake.jobs.js';
import type { SecretBox } from '../platform/secrets.js';
import { registerDayRunJobs } from './day-run.jobs.js';
import { registerManagerMailJobs } from './province-managers.jobs.js';

/** Every background job `vosul serve` processes (notification dispatch is its own loop). */
export async function registerJobs(
  queue: JobQueue,
  deps: IntakeWorkerDeps & { secrets: SecretBox },
): Promise<void> {
  await registerIntakeJobs(queue, deps);
  await registerDayRunJobs(queue, {
    db: deps.db,
    pool: deps.pool,
    timezone: deps.config.timezone,
    log: deps.log,
  });
  await registerManagerMailJobs(queue, {
    db: deps.db,
    secrets: deps.secrets,
    timezone: deps.config.timezone,
    log: deps.log,
  });
}
