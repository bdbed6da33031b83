import { buildApp } from '../app.js';
import { ensureFirstStart } from '../modules/users/first-start.service.js';
import { loadDemoBookOnFirstStart } from '../modules/intake/demo-book.service.js';
import { openRuntime } from '../platform/runtime.js';
import { JobQueue, useJobQueue } from '../platform/jobs/index.js';
import { registerJobs } from '../jobs/index.js';
import { startDispatcher } from '../jobs/dispatch.loop.js';
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
    // the background jobs run in this process (CLI commands only ever send them)
    const jobLog = {
      info: (m: string) => app.log.info(m),
      error: (m: string, err?: unknown) => app.log.error({ err }, m),
    };
    let queue: JobQueue | undefined;
    try {
      queue = await JobQueue.start(runtime.database.pool, { processing: true, log: jobLog });
      useJobQueue(db, queue);
      await registerJobs(queue, {
        db,
        pool: runtime.database.pool,
        config,
        log: jobLog,
        secrets: runtime.secrets,
      });
    } catch (err) {
      await queue?.stop(1000);
      await app.close();
      await runtime.close();
      throw err;
    }
    // the notification dispatcher of this server (`vosul dispatch` runs the same from the CLI)
    const dispatcher = startDispatcher(runtime.database.pool, db, runtime.secrets, config.timezone, jobLog);
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      app.log.info({ signal }, 'stopping');
      await dispatcher.stop();
      await app.close();
      // running jobs get a few seconds to finish; one cut short is failed and retried by pg-boss
      await queue?.stop(10_000);
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
