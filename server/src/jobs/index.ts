import type { JobQueue } from '../platform/jobs/index.js';
import type { IntakeWorkerDeps } from '../modules/intake-runs/intake-runs.service.js';
import { registerIntakeJobs } from './intake.jobs.js';

/** Every background job `vosul serve` processes; later issues add the daily run and notification dispatch. */
export async function registerJobs(queue: JobQueue, deps: IntakeWorkerDeps): Promise<void> {
  await registerIntakeJobs(queue, deps);
}
