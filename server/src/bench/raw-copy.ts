import { closeSync, createReadStream, existsSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { SNAPSHOT_FILES } from '../modules/intake/snapshot-format.js';

/**
 * The physical limit of getting a snapshot into PostgreSQL: each CSV file streamed by `COPY … (FORMAT
 * csv)` into a plain table of `text` columns with no constraint or index. The tables are dropped
 * afterwards. Returns the seconds the loads took.
 */
export async function rawCopySeconds(url: string, folder: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const tables: string[] = [];
  try {
    let seconds = 0;
    for (const file of Object.keys(SNAPSHOT_FILES)) {
      const full = path.join(folder, file);
      if (!existsSync(full)) continue;
      const header = firstLine(full)
        .replace(/^\uFEFF/, '')
        .split(',');
      const table = `bench_raw_${path.basename(file, '.csv')}`;
      tables.push(table);
      await client.query(`DROP TABLE IF EXISTS ${table}`);
      await client.query(`CREATE TABLE ${table} (${header.map((_, i) => `c${i} text`).join(', ')})`);
      const started = performance.now();
      await pipeline(
        createReadStream(full, { highWaterMark: 256 * 1024 }),
        client.query(copyFrom(`COPY ${table} FROM STDIN WITH (FORMAT csv, HEADER true)`)),
      );
      seconds += (performance.now() - started) / 1000;
    }
    return seconds;
  } finally {
    for (const table of tables) await client.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    await client.end();
  }
}

function firstLine(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(8192);
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, n).toString('utf8').split(/\r?\n/, 1)[0] ?? '';
  } finally {
    closeSync(fd);
  }
}
