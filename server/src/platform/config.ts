import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { z } from 'zod';

/** The configuration table of interchange.md, read once from the environment and `.env`. */
const configSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  DATABASE_REPLICA_URL: z.string().url().optional(),
  VOSUL_DATA_DIR: z.string().min(1).default('./data'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  VOSUL_ADMIN_PASSWORD: z.string().optional(),
  VOSUL_SECRET_KEY: z.string().min(32, 'VOSUL_SECRET_KEY must be at least 32 characters').optional(),
  VOSUL_TIMEZONE: z.string().default('Asia/Tehran'),
  VOSUL_TRUST_PROXY: z.string().optional(),
  VOSUL_DEMO: z.enum(['0', '1']).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Config {
  readonly databaseUrl: string | undefined;
  readonly replicaUrl: string | undefined;
  readonly dataDir: string;
  readonly port: number;
  readonly host: string;
  readonly adminPassword: string | undefined;
  /** Unset only with the embedded database, whose key lives in the data folder (see secrets.ts). */
  readonly secretKey: string | undefined;
  readonly timezone: string;
  readonly trustProxy: string[] | undefined;
  readonly demo: boolean;
  readonly logLevel: string;
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  // An empty variable means unset (e.g. `DATABASE_URL=` in a .env file).
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`configuration: ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}`);
  }
  const e = parsed.data;
  if (e.DATABASE_URL && !e.VOSUL_SECRET_KEY) {
    throw new Error('configuration: VOSUL_SECRET_KEY is required when DATABASE_URL is set');
  }
  try {
    new Intl.DateTimeFormat('en', { timeZone: e.VOSUL_TIMEZONE });
  } catch {
    throw new Error(`configuration: VOSUL_TIMEZONE: unknown time zone ${e.VOSUL_TIMEZONE}`);
  }
  return Object.freeze({
    databaseUrl: e.DATABASE_URL,
    replicaUrl: e.DATABASE_REPLICA_URL,
    dataDir: path.resolve(e.VOSUL_DATA_DIR),
    port: e.PORT,
    host: e.HOST,
    adminPassword: e.VOSUL_ADMIN_PASSWORD,
    secretKey: e.VOSUL_SECRET_KEY,
    timezone: e.VOSUL_TIMEZONE,
    trustProxy: e.VOSUL_TRUST_PROXY?.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    demo: e.VOSUL_DEMO ? e.VOSUL_DEMO === '1' : !e.DATABASE_URL,
    logLevel: e.LOG_LEVEL,
  });
}

/** The process environment over `.env` in the working folder (the environment wins). */
export function loadConfig(): Config {
  const file = path.resolve('.env');
  const fromFile = existsSync(file) ? parseDotenv(readFileSync(file)) : {};
  return parseConfig({ ...fromFile, ...process.env });
}
