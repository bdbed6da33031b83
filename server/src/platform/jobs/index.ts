export { JobQueue, jobQueueFor, releaseJobQueue, useJobQueue } from './queue.js';
export type { JobLogger, JobRun, SendJobOptions } from './queue.js';
