/**
 * Generates a demo book in its own process and prints the process's peak memory, for the memory
 * test: `node --import tsx memory-probe.ts N DIR`.
 */
import { generateDemoData } from './generate.js';

const [customers, outDir] = process.argv.slice(2);
const result = await generateDemoData({
  customers: Number(customers),
  outDir: outDir ?? '.',
  seed: 'memory',
  asOf: '2025-11-20',
});
process.stdout.write(
  JSON.stringify({
    customers: result.customers,
    installments: result.installments,
    seconds: result.seconds,
    maxRssKb: process.resourceUsage().maxRSS,
  }) + '\n',
);
