import { openRuntime } from '../platform/runtime.js';
import { runDay } from '../modules/day-run/day-run.service.js';
import { consoleLog } from './console-log.js';
import type { Command } from './commands.js';

/** `vosul run-day [--date DATE] [--opening-vouchers] [--json]` (interchange.md, "Business dates"). */
export const runDayCommand: Command = {
  options: {
    date: { type: 'string' },
    'opening-vouchers': { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run({ config, values, positionals }) {
    if (positionals.length > 0)
      throw new Error('usage: vosul run-day [--date DATE] [--opening-vouchers] [--json]');
    const runtime = await openRuntime(config, consoleLog);
    try {
      const result = await runDay(runtime.database.pool, {
        date: values.date as string | undefined,
        openingVouchers: values['opening-vouchers'] === true,
        source: 'cli',
        timezone: config.timezone,
      });
      if (values.json) {
        process.stdout.write(JSON.stringify(result) + '\n');
      } else {
        const { date, kind, facilities, figuresChanged, classChanges, vouchers, seconds } = result;
        process.stdout.write(
          `${date} (${kind}): ${facilities} facilities, ${figuresChanged} figures changed, ` +
            `${classChanges} class changes, ${vouchers} vouchers; ${seconds} s\n`,
        );
      }
      return 0;
    } finally {
      await runtime.close();
    }
  },
};
