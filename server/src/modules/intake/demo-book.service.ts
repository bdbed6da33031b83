import path from 'node:path';
import { rmSync } from 'node:fs';
import type { Runtime } from '../../platform/runtime.js';
import { generateDemoData } from './demo-data/generate.js';
import { importSnapshot } from './import.service.js';
import { runDay } from '../day-run/day-run.service.js';

export const DEMO_BOOK_CUSTOMERS = 3_000;

/**
 * On the first start with the embedded database (and VOSUL_DEMO not 0), a small demo book is
 * generated and imported, and its day run, so a new user sees a living system. Never against an
 * external database, and never once any snapshot has been imported.
 */
export async function loadDemoBookOnFirstStart(
  runtime: Runtime,
  log: (message: string) => void,
): Promise<boolean> {
  if (!runtime.embedded || !runtime.config.demo) return false;
  const { db } = runtime.database;
  const anyImport = await db.selectFrom('snapshot_imports').select('id').limit(1).executeTakeFirst();
  if (anyImport) return false;
  const folder = path.join(runtime.config.dataDir, 'demo-snapshot');
  log(`loading a demo book of ${DEMO_BOOK_CUSTOMERS} customers (VOSUL_DEMO=0 skips this)`);
  try {
    await generateDemoData({ customers: DEMO_BOOK_CUSTOMERS, outDir: folder, seed: 'vosul-demo' });
    const result = await importSnapshot(runtime.database.pool, {
      folder,
      source: 'demo',
      timezone: runtime.config.timezone,
    });
    log(
      `demo book loaded: ${Object.entries(result.loaded)
        .map(([f, n]) => `${f} ${n}`)
        .join(', ')}`,
    );
    // and its day is run, so the overdue cases, the vouchers and the home page have something to show
    const day = await runDay(runtime.database.pool, {
      source: 'schedule',
      timezone: runtime.config.timezone,
    });
    log(`demo book's day ${day.date} run: ${day.facilities} facilities`);
    return true;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
