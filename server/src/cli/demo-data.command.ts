import path from 'node:path';
import { fromJalali } from '@vosul/common';
import { generateDemoData } from '../modules/intake/demo-data/generate.js';
import type { Command } from './commands.js';

const USAGE = 'usage: vosul demo-data --customers N --out DIR [--seed S] [--as-of DATE] [--json]';

/** `vosul demo-data`: writes a deterministic synthetic snapshot folder (interchange.md, "Snapshot folder"). */
export const demoDataCommand: Command = {
  options: {
    customers: { type: 'string' },
    out: { type: 'string' },
    seed: { type: 'string' },
    'as-of': { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values }) {
    const customersText = values.customers as string | undefined;
    const out = values.out as string | undefined;
    if (!customersText || !out) throw new Error(USAGE);
    if (!/^\d+$/.test(customersText) || Number(customersText) < 1)
      throw new Error(`--customers must be a whole number of at least 1, not "${customersText}"`);
    const asOfText = values['as-of'] as string | undefined;
    const result = await generateDemoData({
      customers: Number(customersText),
      outDir: path.resolve(out),
      seed: values.seed as string | undefined,
      asOf: asOfText === undefined ? undefined : parseAsOf(asOfText),
    });
    if (values.json) {
      const { customers, facilities, installments, guarantors, payments, seconds } = result;
      process.stdout.write(
        JSON.stringify({ customers, facilities, installments, guarantors, payments, seconds }) + '\n',
      );
    } else {
      process.stdout.write(
        `demo-data: ${result.customers} customers, ${result.facilities} facilities, ` +
          `${result.installments} installments, ${result.guarantors} guarantors, ${result.payments} payments, ` +
          `${result.branches} branches as of ${result.asOf} in ${result.seconds} s → ${out}\n`,
      );
    }
    return 0;
  },
};

/** `YYYY-MM-DD` (Gregorian, or Jalali when the year is below 1700) or `YYYY/MM/DD` Jalali. */
function parseAsOf(text: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (m && Number(m[1]) >= 1700) {
    const date = new Date(`${text}T00:00:00Z`);
    if (!Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text) return text;
  } else {
    const iso = fromJalali(text);
    if (iso) return iso;
  }
  throw new Error(`--as-of is not a date: ${text}`);
}
