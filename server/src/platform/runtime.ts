import pg from 'pg';
import type { Config } from './config.js';
import { openDatabase, type DatabaseHandle } from './db/database.js';
import { openEmbeddedDatabase } from './db/embedded.js';
import { migrateDatabase } from './db/migrate.js';
import { createSecretBox, resolveSecretKey, type SecretBox } from './secrets.js';

export interface Runtime {
  readonly config: Config;
  readonly database: DatabaseHandle;
  readonly secrets: SecretBox;
  /** True when this process uses the embedded PostgreSQL (demo data and the secret-key file apply). */
  readonly embedded: boolean;
  close(): Promise<void>;
}

interface Logger {
  info(msg: string): void;
}

const EMBEDDED_DATABASE = 'vosul';

/** Opens the database (external via DATABASE_URL, else the embedded one) and brings its schema up to date. */
export async function openRuntime(
  config: Config,
  log: Logger,
  options: { migrate?: boolean } = {},
): Promise<Runtime> {
  let url = config.databaseUrl;
  let releaseEmbedded: (() => Promise<void>) | undefined;
  if (!url) {
    const embedded = await openEmbeddedDatabase(config.dataDir, log);
    releaseEmbedded = () => embedded.release();
    try {
      url = await ensureDatabase(embedded.url, EMBEDDED_DATABASE);
    } catch (err) {
      await embedded.release();
      throw err;
    }
  }
  const database = openDatabase(url, config.timezone);
  try {
    if (options.migrate !== false) {
      const applied = await migrateDatabase(database.pool);
      if (applied.length > 0) log.info(`applied migrations: ${applied.join(', ')}`);
    }
  } catch (err) {
    await database.close();
    await releaseEmbedded?.();
    throw err;
  }
  return {
    config,
    database,
    secrets: createSecretBox(resolveSecretKey(config)),
    embedded: releaseEmbedded !== undefined,
    async close() {
      await database.close();
      await releaseEmbedded?.();
    },
  };
}

/** Creates database `name` on the server of `adminUrl` when missing; its URL. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0)
      await client.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8'`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
