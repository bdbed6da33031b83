import { CompiledQuery } from 'kysely';
import type { Channel } from '@vosul/common/workflows';
import type { Executor } from '../../../platform/db/database.js';
import { readSetting } from '../../../platform/settings.js';
import type { ChannelAdapter, SqlRunner } from './adapter.js';
import { simulatorAdapter } from './simulator.js';

/** The channels a dispatcher sends through (letters are printed, not sent). */
export const DISPATCHED_CHANNELS = ['sms', 'call', 'email'] as const satisfies readonly Channel[];

/** Each dispatched channel's adapter: the simulator until issue 6's providers are configured. */
export async function channelAdapters(
  db: Executor,
  pool: SqlRunner,
): Promise<Record<string, ChannelAdapter>> {
  const rates = await readSetting(db, 'notification_simulator');
  return Object.fromEntries(DISPATCHED_CHANNELS.map((ch) => [ch, simulatorAdapter(pool, ch, rates)]));
}

/** Kysely as a `SqlRunner`: the HTTP modules hold the query builder, not a pool. */
export function sqlRunnerOf(db: Executor): SqlRunner {
  return {
    query: async <R>(text: string, values: unknown[] = []) => {
      const { rows } = await db.executeQuery<R>(CompiledQuery.raw(text, values));
      return { rows };
    },
  };
}
