import { buildApp } from '../app.js';
import { ensureFirstStart } from '../modules/users/first-start.service.js';
import { loadDemoBookOnFirstStart } from '../modules/intake/demo-book.service.js';
import { openRuntime } from '../platform/runtime.js';
import { consoleLog } from './console-log.js';
import type { Command } from './commands.js';

export const serveCommand: Command = {
  options: {},
  async run({ config }) {
    const runtime = await openRuntime(config, consoleLog);
    const { db } = runtime.database;
    const first = await ensureFirstStart(db, config.adminPassword);
    if (first.generatedPassword) {
      process.stdout.write(
        `\n  First start: administrator "admin" created with password: ${first.generatedPassword}\n` +
          '  (shown once; change it after signing in)\n\n',
      );
    }
    await loadDemoBookOnFirstStart(runtime, (m) => consoleLog.info(m));
    const app = await buildApp({ config, db, secrets: runtime.secrets });
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      app.log.info({ signal }, 'stopping');
      await app.close();
      await runtime.close();
    };
    const stopped = new Promise<void>((resolve) => {
      for (const signal of ['SIGTERM', 'SIGINT'] as const) {
        process.once(signal, () => void stop(signal).finally(resolve));
      }
    });
    try {
      await app.listen({ port: config.port, host: config.host });
    } catch (err) {
      await stop('listen-failed');
      throw err;
    }
    process.stdout.write(`Vosul is running on http://localhost:${config.port}\n`);
    await stopped;
    return 0;
  },
};
