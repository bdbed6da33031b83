import { formatBench, runBench } from '../bench/bench.js';
import { consoleLog } from './console-log.js';
import type { Command } from './commands.js';

const USAGE = 'usage: vosul bench [--customers N] [--api-seconds S] [--json]';

/** `vosul bench`: the benchmark suite (interchange.md, CLI); figures in docs/PERFORMANCE.md. */
export const benchCommand: Command = {
  options: {
    customers: { type: 'string' },
    'api-seconds': { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ config, values, positionals }) {
    if (positionals.length > 0) throw new Error(USAGE);
    const customers = wholeNumber(values.customers as string | undefined, 100_000, '--customers');
    const apiSeconds = wholeNumber(values['api-seconds'] as string | undefined, 15, '--api-seconds');
    const result = await runBench(config, { customers, apiSeconds, log: (m) => consoleLog.info(m) });
    process.stdout.write((values.json ? JSON.stringify(result) : formatBench(result)) + '\n');
    return 0;
  },
};

function wholeNumber(text: string | undefined, fallback: number, name: string): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1)
    throw new Error(`${name} must be a whole number of at least 1, not "${text}"`);
  return Number(text);
}
