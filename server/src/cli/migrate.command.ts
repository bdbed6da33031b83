import { openRuntime } from '../platform/runtime.js';
import { consoleLog } from './console-log.js';
import type { Command } from './commands.js';

export const migrateCommand: Command = {
  options: { json: { type: 'boolean' } },
  async run({ config, values }) {
    const runtime = await openRuntime(config, consoleLog, { migrate: false });
    try {
      const { migrateDatabase } = await import('../platform/db/migrate.js');
      const applied = await migrateDatabase(runtime.database.pool);
      if (values.json) process.stdout.write(JSON.stringify({ applied }) + '\n');
      else
        process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema is up to date\n');
      return 0;
    } finally {
      await runtime.close();
    }
  },
};
