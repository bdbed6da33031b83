import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openEmbeddedDatabase } from '../src/platform/db/embedded.js';
import { migrateDatabase } from '../src/platform/db/migrate.js';

export const TEMPLATE_DATABASE = 'vosul_test_template';

/**
 * One PostgreSQL for the whole run — a fresh embedded cluster, or the server in
 * VOSUL_TEST_DATABASE_URL (CI runs the suite again against Debian's PostgreSQL 15) — migrated once
 * into a template database that every test file clones.
 */
export default async function setup(project: TestProject) {
  let adminUrl = process.env.VOSUL_TEST_DATABASE_URL;
  let release: (() => Promise<void>) | undefined;
  let dataDir: string | undefined;
  if (!adminUrl) {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'vosul-test-'));
    chmodSync(dataDir, 0o755); // the OS user postgres must reach it
    const embedded = await openEmbeddedDatabase(dataDir, { info: () => undefined });
    adminUrl = embedded.url;
    release = () => embedded.release();
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE} TEMPLATE template0 ENCODING 'UTF8'`);
  await admin.end();
  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${TEMPLATE_DATABASE}`;
  const pool = new pg.Pool({ connectionString: templateUrl.toString() });
  await migrateDatabase(pool);
  await pool.end();
  project.provide('adminDatabaseUrl', adminUrl);
  return async () => {
    await release?.();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
  }
}
