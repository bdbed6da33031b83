import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { setupTestApp } from '../../../test/harness.js';
import { openDatabase } from '../../platform/db/database.js';
import { parseConfig } from '../../platform/config.js';
import { createSecretBox } from '../../platform/secrets.js';
import type { Runtime } from '../../platform/runtime.js';
import { DEMO_BOOK_CUSTOMERS, loadDemoBookOnFirstStart } from './demo-book.service.js';

const { url } = await setupTestApp();
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vosul-demo-'));
const database = openDatabase(url, 'Asia/Tehran', 4);
const config = parseConfig({
  DATABASE_URL: url,
  VOSUL_SECRET_KEY: 'test-secret-key-test-secret-key-0123456789',
  VOSUL_DATA_DIR: dataDir,
  VOSUL_DEMO: '1',
});
afterAll(async () => {
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The runtime `vosul serve` has on its first start with the embedded database. */
const firstStart = (embedded: boolean): Runtime => ({
  config,
  database,
  secrets: createSecretBox(config.secretKey!),
  embedded,
  close: () => Promise.resolve(),
});

describe('the demo book on first start', () => {
  it('is never loaded into an external database', async () => {
    expect(await loadDemoBookOnFirstStart(firstStart(false), () => undefined)).toBe(false);
  });

  it('loads a small book and runs its day, so the arrears pages are not empty; only once', async () => {
    const messages: string[] = [];
    expect(await loadDemoBookOnFirstStart(firstStart(true), (m) => messages.push(m))).toBe(true);
    const { rows } = await database.pool.query<{ customers: number; runs: number; in_arrears: number }>(
      `SELECT (SELECT count(*)::int FROM customers) AS customers,
              (SELECT count(*)::int FROM day_runs WHERE status = 'succeeded') AS runs,
              (SELECT count(*)::int FROM facility_figures WHERE overdue_amount > 0) AS in_arrears`,
    );
    expect(rows[0]!.customers).toBe(DEMO_BOOK_CUSTOMERS);
    expect(rows[0]!.runs).toBe(1);
    expect(rows[0]!.in_arrears).toBeGreaterThan(DEMO_BOOK_CUSTOMERS / 20);
    expect(messages.join('\n')).toContain('run');
    expect(await loadDemoBookOnFirstStart(firstStart(true), () => undefined)).toBe(false);
  }, 120_000);
});
