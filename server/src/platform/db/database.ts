import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.js';

// Dates stay 'YYYY-MM-DD' strings (a JS Date would shift across zones); money and counts of
// bigint/numeric stay exact strings.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => v);
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => v);

export type Database = Kysely<DB>;
export type Executor = Kysely<DB> | Transaction<DB>;

export interface DatabaseHandle {
  readonly db: Database;
  readonly pool: pg.Pool;
  close(): Promise<void>;
}

export function openDatabase(url: string, timezone: string, max = 10): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    // temp_buffers: the import stages a snapshot in temporary tables; memory is taken only by a
    // session that uses them, and it can be set only before a session's first temporary table.
    options: `-c TimeZone=${timezone} -c temp_buffers=1GB`,
    application_name: 'vosul',
  });
  // An idle connection dropped by the server (restart, failover) must not crash the process.
  pool.on('error', () => undefined);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    pool,
    async close() {
      await db.destroy();
      // Kysely ends the pool only if it used it; migrations use the pool directly.
      if (!pool.ended) await pool.end();
    },
  };
}
