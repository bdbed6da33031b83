import { openRuntime } from '../platform/runtime.js';
import { resolveBusinessDate } from '../modules/day-run/day-run.service.js';
import { sendManagerMails } from '../modules/province-managers/manager-mail.service.js';
import { consoleLog } from './console-log.js';
import type { Command } from './commands.js';

const mailLog = { info: (m: string) => consoleLog.info(m), error: (m: string) => consoleLog.info(m) };

/**
 * `vosul manager-mail [--date DATE] [--json]`: the province managers' daily activity mail of a business
 * day (default today; Gregorian or Jalali, any digits) now; a manager already mailed for that day is
 * not mailed again.
 */
export const managerMailCommand: Command = {
  options: { date: { type: 'string' }, json: { type: 'boolean' } },
  async run({ config, values, positionals }) {
    if (positionals.length > 0) throw new Error('usage: vosul manager-mail [--date DATE] [--json]');
    const date = resolveBusinessDate(values.date as string | undefined, config.timezone);
    const runtime = await openRuntime(config, consoleLog);
    try {
      const totals = await sendManagerMails(
        { db: runtime.database.db, secrets: runtime.secrets, timezone: config.timezone, log: mailLog },
        date,
      );
      if (values.json) process.stdout.write(JSON.stringify({ date, ...totals }) + '\n');
      else
        process.stdout.write(
          `${date}: ${totals.sent} sent, ${totals.already_sent} already sent, ` +
            `${totals.no_smtp} without an e-mail account, ${totals.failed} failed\n`,
        );
      return 0;
    } finally {
      await runtime.close();
    }
  },
};
