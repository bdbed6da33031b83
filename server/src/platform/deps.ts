import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import type { SecretBox } from './secrets.js';

/** What modules receive from the composition root: nothing else is global. */
export interface AppDeps {
  readonly config: Config;
  readonly db: Database;
  readonly secrets: SecretBox;
  readonly logger: FastifyBaseLogger;
}
