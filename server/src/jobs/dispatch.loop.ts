import type pg from 'pg';
import type { Executor } from '../platform/db/database.js';
import type { SecretBox } from '../platform/secrets.js';
import { dispatch, sleep } from '../modules/notifications/dispatch.service.js';
import { channelAdapters } from '../modules/notifications/channels/index.js';
import { closeSmppLinks } from '../modules/notifications/channels/smpp.js';
import { closeAriListeners } from '../modules/notifications/channels/asterisk-ari.js';

/**
 * The server's dispatcher: one loop over the channels, batches claimed with `FOR UPDATE SKIP LOCKED`
 * (so other servers or `vosul dispatch` may run beside it). It takes the channels' settings afresh
 * every pass of a minute; an error is logged and the loop goes on after a pause.
 */
export function startDispatcher(
  pool: pg.Pool,
  db: Executor,
  secrets: SecretBox,
  timezone: string,
  log: { error: (m: string, err?: unknown) => void },
): { stop: () => Promise<void> } {
  const stopping = new AbortController();
  const done = (async () => {
    while (!stopping.signal.aborted) {
      const pass = AbortSignal.any([stopping.signal, AbortSignal.timeout(60_000)]);
      try {
        await dispatch(pool, await channelAdapters(db, pool, secrets), {
          untilEmpty: false,
          signal: pass,
          timezone,
        });
      } catch (err) {
        log.error('notification dispatch failed; trying again in 30 s', err);
        await sleep(30_000, stopping.signal);
      }
    }
  })();
  return {
    stop: async () => {
      stopping.abort();
      await done;
      await closeSmppLinks();
      closeAriListeners();
    },
  };
}
