import { openRuntime } from '../platform/runtime.js';
import { importSnapshot } from '../modules/intake/import.service.js';
import { consoleLog } from './console-log.js';
import type { Command } from './commands.js';

/** `vosul import DIR [--as-of DATE] [--force] [--encoding windows-1256] [--json]` (interchange.md). */
export const importCommand: Command = {
  options: {
    'as-of': { type: 'string' },
    force: { type: 'boolean' },
    encoding: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ config, values, positionals }) {
    const [folder] = positionals;
    if (!folder || positionals.length > 1)
      throw new Error('usage: vosul import DIR [--as-of DATE] [--force] [--encoding windows-1256] [--json]');
    const encoding = values.encoding as string | undefined;
    if (encoding !== undefined && !['windows-1256', 'utf-8', 'utf8'].includes(encoding.toLowerCase()))
      throw new Error(`--encoding: only windows-1256 (or utf-8) is supported, not ${encoding}`);
    const runtime = await openRuntime(config, consoleLog);
    try {
      const result = await importSnapshot(runtime.database.pool, {
        folder,
        asOf: values['as-of'] as string | undefined,
        force: values.force === true,
        encoding: encoding?.toLowerCase() === 'windows-1256' ? 'windows-1256' : 'utf-8',
        source: 'cli',
        timezone: config.timezone,
        log: (m) => consoleLog.info(m),
      });
      if (values.json) {
        const { loaded, rejected, closed, seconds } = result;
        process.stdout.write(JSON.stringify({ loaded, rejected, closed, seconds }) + '\n');
      } else {
        for (const [file, n] of Object.entries(result.loaded)) {
          const bad = result.rejected.filter((r) => r.file === file).length;
          process.stdout.write(`${file}: ${n} loaded, ${bad} rejected\n`);
        }
        for (const r of result.rejected.slice(0, 50))
          process.stdout.write(`  ${r.file}:${r.line}: ${r.reason}\n`);
        if (result.rejected.length > 50)
          process.stdout.write(`  … ${result.rejected.length - 50} more rejects\n`);
        process.stdout.write(`closed: ${result.closed}; as of ${result.asOf}; ${result.seconds} s\n`);
      }
      return 0;
    } finally {
      await runtime.close();
    }
  },
};
