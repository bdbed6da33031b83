import { openRuntime } from '../platform/runtime.js';
import { dispatch } from '../modules/notifications/dispatch.service.js';
import { channelAdapters } from '../modules/notifications/channels/index.js';
import { closeSmppLinks } from '../modules/notifications/channels/smpp.js';
import { closeAriListeners } from '../modules/notifications/channels/asterisk-ari.js';
import { consoleLog } from './console-log.js';
import type { Command } from './commands.js';

/** `vosul dispatch [--until-empty] [--json]`: sends due notifications through the configured channels. */
export const dispatchCommand: Command = {
  options: { 'until-empty': { type: 'boolean' }, json: { type: 'boolean' } },
  async run({ config, values, positionals }) {
    if (positionals.length > 0) throw new Error('usage: vosul dispatch [--until-empty] [--json]');
    const runtime = await openRuntime(config, consoleLog);
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      const pool = runtime.database.pool;
      const adapters = await channelAdapters(runtime.database.db, pool, runtime.secrets);
      const started = performance.now();
      const totals = await dispatch(pool, adapters, {
        untilEmpty: values['until-empty'] === true,
        signal: stop.signal,
        timezone: config.timezone,
      });
      const seconds = Math.round(performance.now() - started) / 1000;
      if (values.json) process.stdout.write(JSON.stringify({ ...totals, seconds }) + '\n');
      else
        process.stdout.write(
          `${totals.sent} sent, ${totals.reports} reports, ${totals.retried} to try again, ` +
            `${totals.failed} failed, ${totals.expired} expired; ${seconds} s\n`,
        );
      return 0;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await closeSmppLinks();
      closeAriListeners();
      await runtime.close();
    }
  },
};
