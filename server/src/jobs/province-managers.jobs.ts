import type { JobQueue } from '../platform/jobs/index.js';
import { todayIn } from '../platform/date-range.js';
import {
  MANAGER_MAIL_JOB,
  scheduleManagerMail,
  sendManagerMails,
  type ManagerMailDeps,
} from '../modules/province-managers/manager-mail.service.js';

/** V7: the province managers' daily activity mail, for the day it runs on, at the time in the settings. */
export async function registerManagerMailJobs(queue: JobQueue, deps: ManagerMailDeps): Promise<void> {
  await queue.work<object>(MANAGER_MAIL_JOB, async () => {
    await sendManagerMails(deps, todayIn(deps.timezone));
  });
  await scheduleManagerMail(deps.db, queue, deps.timezone);
}
