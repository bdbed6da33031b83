import type { JobQueue } from '../platform/jobs/index.js';
import { failInterruptedRuns } from '../modules/intake/import.repository.js';
import {
  DROP_FOLDER_JOB,
  INTAKE_IMPORT_JOB,
  runImportJob,
  scanDropFolder,
  scheduleDropFolder,
  type IntakeImportJob,
  type IntakeWorkerDeps,
} from '../modules/intake-runs/intake-runs.service.js';

/** V24: the queued imports (uploads, the drop folder) and the daily drop-folder pick-up. */
export async function registerIntakeJobs(queue: JobQueue, deps: IntakeWorkerDeps): Promise<void> {
  // runs left "running" by a process that died are failed now, not at the next import
  await failInterruptedRuns(deps.pool);
  await queue.work<IntakeImportJob>(INTAKE_IMPORT_JOB, (job) => runImportJob(deps, job));
  await queue.work<object>(DROP_FOLDER_JOB, async () => {
    await scanDropFolder({ ...deps, queue });
  });
  await scheduleDropFolder(deps.db, queue, deps.config.timezone);
}
