import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidNationalCode, normalizeMobile, normalizeNationalCode, normalizeText } from '@vosul/common';
import { annuity, generateDemoData, schedule, type DemoDataResult } from './generate.js';
import { companyIdFor, isValidCompanyNationalId, nationalCodeFor } from './identifiers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const AS_OF = '2025-11-20';
let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'vosul-demo-data-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** Splits one CSV line; only amounts with `,` separators are quoted in the demo book. */
function fields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

async function readCsv(dir: string, file: string): Promise<Record<string, string>[]> {
  const lines = (await readFile(path.join(dir, file), 'utf8')).split('\n').filter((l) => l !== '');
  const header = fields(lines[0] ?? '');
  return lines.slice(1).map((line) => {
    const values = fields(line);
    expect(values.length, `${file}: ${line}`).toBe(header.length);
    return Object.fromEntries(header.map((h, i) => [h, values[i] ?? '']));
  });
}

/** An amount in any accepted form (interchange.md, "Values") as a number. */
function amountOf(text: string): number {
  const cleaned = normalizeText(text).replace(/[,٬]/g, '');
  const m = /^(\d+)(?:\.0+)?$/.exec(cleaned);
  if (!m) throw new Error(`bad amount ${text}`);
  return Number(m[1]);
}

async function digests(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const file of (await readdir(dir)).sort()) {
    out[file] = createHash('sha256')
      .update(await readFile(path.join(dir, file)))
      .digest('hex');
  }
  return out;
}

describe('identifiers', () => {
  it('makes valid, distinct national codes and company IDs', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const code = nationalCodeFor(i);
      expect(isValidNationalCode(code), code).toBe(true);
      seen.add(code);
      expect(isValidCompanyNationalId(companyIdFor(i)), companyIdFor(i)).toBe(true);
    }
    expect(seen.size).toBe(20_000);
    // A company national ID quoted in public validators, and the same with a wrong check digit.
    expect(isValidCompanyNationalId('10380284790')).toBe(true);
    expect(isValidCompanyNationalId('10380284791')).toBe(false);
  });

  it('splits an annuity into whole-Rial installments whose sum is the annuity total', () => {
    for (const [p, rate, n] of [
      [1_000_000_000, 23, 36],
      [530_000_000, 4, 24],
      [17_770_000_000, 18, 12],
    ] as const) {
      const { regular, last } = schedule(p, rate, n);
      expect(Math.abs(regular * (n - 1) + last - annuity(p, rate, n) * n)).toBeLessThanOrEqual(1);
      expect(Math.abs(last - regular)).toBeLessThan(n);
    }
  });
});

describe('vosul demo-data', () => {
  let dirA: string;
  let result: DemoDataResult;

  beforeAll(async () => {
    dirA = path.join(tmp, 'a');
    result = await generateDemoData({ customers: 2000, outDir: dirA, seed: 's1', asOf: AS_OF });
  });

  it('is byte-identical for one seed and differs for another', async () => {
    const dirB = path.join(tmp, 'b');
    const dirC = path.join(tmp, 'c');
    await generateDemoData({ customers: 2000, outDir: dirB, seed: 's1', asOf: AS_OF });
    await generateDemoData({ customers: 2000, outDir: dirC, seed: 's2', asOf: AS_OF });
    const [a, b, c] = await Promise.all([digests(dirA), digests(dirB), digests(dirC)]);
    expect(Object.keys(a)).toEqual([
      'account_balances.csv',
      'branches.csv',
      'customers.csv',
      'facilities.csv',
      'guarantors.csv',
      'installments.csv',
      'loan_types.csv',
      'manifest.csv',
      'payments.csv',
    ]);
    expect(b).toEqual(a);
    expect(c['customers.csv']).not.toBe(a['customers.csv']);
    expect(c['installments.csv']).not.toBe(a['installments.csv']);
  });

  it('writes a manifest that matches every file', async () => {
    const manifest = await readCsv(dirA, 'manifest.csv');
    expect(manifest).toHaveLength(8);
    for (const entry of manifest) {
      const file = entry.file as string;
      const bytes = await readFile(path.join(dirA, file));
      expect(createHash('sha256').update(bytes).digest('hex'), file).toBe(entry.sha256);
      const lines = bytes
        .toString('utf8')
        .split('\n')
        .filter((l) => l !== '');
      expect(lines.length - 1, file).toBe(Number(entry.rows));
    }
  });

  it('has valid national codes except the deliberately dirty ones (about 2% of customers are dirty)', async () => {
    const customers = await readCsv(dirA, 'customers.csv');
    expect(customers).toHaveLength(2000);
    let invalidCodes = 0;
    let invalidMobiles = 0;
    let companies = 0;
    let arabic = 0;
    for (const c of customers) {
      if (c.kind === 'company') {
        companies++;
        expect(isValidCompanyNationalId(c.national_id as string), c.national_id).toBe(true);
        expect(c.first_name).toBe('');
      } else {
        expect(['M', 'F']).toContain(c.gender);
        if (normalizeNationalCode(c.national_id as string) === null) invalidCodes++;
      }
      if (c.mobile && normalizeMobile(c.mobile) === null) invalidMobiles++;
      if (/[يك]/.test(`${c.first_name}${c.last_name}${c.father_name}`)) arabic++;
      expect(c.postal_code).toMatch(/^(\d{10})?$/);
    }
    expect(invalidCodes).toBe(result.invalidNationalCodes);
    expect(invalidMobiles).toBe(result.invalidMobiles);
    expect(invalidCodes).toBeGreaterThan(0);
    expect(invalidMobiles).toBeGreaterThan(0);
    expect(arabic).toBeGreaterThan(0);
    // All dirt together is about 2% of customers; the doubtful codes are a part of it.
    expect(invalidCodes + invalidMobiles + arabic).toBeLessThan(2000 * 0.03);
    expect(companies).toBeGreaterThanOrEqual(10);
    expect(companies).toBeLessThanOrEqual(60);

    const guarantors = await readCsv(dirA, 'guarantors.csv');
    for (const g of guarantors) {
      if (g.national_id) expect(isValidNationalCode(g.national_id), g.national_id).toBe(true);
      if (g.mobile) expect(normalizeMobile(g.mobile)).not.toBeNull();
    }
  });

  it('schedules annuity installments and pays them consistently with payments.csv', async () => {
    const facilities = await readCsv(dirA, 'facilities.csv');
    const installments = await readCsv(dirA, 'installments.csv');
    const payments = await readCsv(dirA, 'payments.csv');
    const byFacility = new Map<string, { sum: number; count: number; paid: number }>();
    for (const row of installments) {
      const entry = byFacility.get(row.facility_no as string) ?? { sum: 0, count: 0, paid: 0 };
      entry.sum += amountOf(row.amount as string);
      entry.count++;
      entry.paid += Number(row.paid_amount);
      expect(Number(row.paid_amount)).toBeLessThanOrEqual(amountOf(row.amount as string));
      byFacility.set(row.facility_no as string, entry);
    }
    const paidByFacility = new Map<string, number>();
    const references = new Set<string>();
    for (const p of payments) {
      paidByFacility.set(
        p.facility_no as string,
        (paidByFacility.get(p.facility_no as string) ?? 0) + amountOf(p.amount as string),
      );
      if (p.reference) {
        const key = `${p.facility_no}/${p.reference}`;
        expect(references.has(key), key).toBe(false);
        references.add(key);
      }
    }
    const statuses: Record<string, number> = {};
    for (const f of facilities) {
      const entry = byFacility.get(f.facility_no as string);
      expect(entry, f.facility_no).toBeDefined();
      if (!entry) continue;
      const count = Number(f.installment_count);
      expect(entry.count).toBe(count);
      const total = annuity(amountOf(f.principal as string), Number(f.annual_rate), count) * count;
      expect(Math.abs(entry.sum - total), f.facility_no).toBeLessThanOrEqual(1);
      expect(paidByFacility.get(f.facility_no as string) ?? 0, f.facility_no).toBe(entry.paid);
      statuses[f.status as string] = (statuses[f.status as string] ?? 0) + 1;
      if (f.status === 'settled') expect(entry.paid).toBe(entry.sum);
      if (f.loan_type_code === '305') expect(f.annual_rate).toBe('4');
    }
    expect(Object.keys(statuses).sort()).toEqual(['active', 'settled', 'written_off']);
    expect(facilities.length / 2000).toBeGreaterThan(1.15);
    expect(facilities.length / 2000).toBeLessThan(1.25);
    expect(installments.length / facilities.length).toBeGreaterThan(22.5);
    expect(installments.length / facilities.length).toBeLessThan(25.5);
    expect(result.facilities).toBe(facilities.length);
    expect(result.installments).toBe(installments.length);
  });

  it('links guarantors to customers and reuses pooled guarantors across facilities', async () => {
    const guarantors = await readCsv(dirA, 'guarantors.csv');
    const customers = new Set((await readCsv(dirA, 'customers.csv')).map((c) => c.customer_no));
    const perFacility = new Map<string, number>();
    const facilitiesOf = new Map<string, number>();
    let customerGuarantors = 0;
    for (const g of guarantors) {
      perFacility.set(g.facility_no as string, (perFacility.get(g.facility_no as string) ?? 0) + 1);
      if (g.customer_no) {
        customerGuarantors++;
        expect(customers.has(g.customer_no)).toBe(true);
      } else {
        expect(g.first_name && g.last_name).toBeTruthy();
        facilitiesOf.set(g.national_id as string, (facilitiesOf.get(g.national_id as string) ?? 0) + 1);
      }
    }
    expect(Math.max(...perFacility.values())).toBe(2);
    expect(Math.min(...perFacility.values())).toBe(1);
    expect(customerGuarantors).toBeGreaterThan(guarantors.length * 0.2);
    expect([...facilitiesOf.values()].filter((n) => n > 1).length).toBeGreaterThan(50);
  });

  it('writes branches with sub-branches, loan types and account balances', async () => {
    const big = path.join(tmp, 'big');
    await generateDemoData({ customers: 15_000, outDir: big, seed: 's1', asOf: AS_OF });
    const branches = await readCsv(big, 'branches.csv');
    expect(branches).toHaveLength(10);
    const small = await readCsv(dirA, 'branches.csv');
    expect(small).toHaveLength(5);
    const codes = new Set(branches.map((b) => b.branch_code));
    for (const b of branches) if (b.parent_branch_code) expect(codes.has(b.parent_branch_code)).toBe(true);
    const loanTypes = await readCsv(dirA, 'loan_types.csv');
    expect(loanTypes.map((t) => t.title)).toContain('قرض‌الحسنه');
    const balances = await readCsv(dirA, 'account_balances.csv');
    expect(balances.some((b) => b.account_type === 'current')).toBe(true);
    expect(balances.every((b) => b.on_date === AS_OF)).toBe(true);
  });
});

describe('vosul demo-data memory', () => {
  // About 10–20 s: 100,000 customers (~2.9 million installments) in a child process whose heap is
  // capped at 64 MB — a generator that kept rows would die of it — and whose peak RSS (the tsx
  // loader alone takes ~115 MB) stays under 200 MB.
  it('streams 100,000 customers in bounded memory', { timeout: 120_000 }, async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--max-old-space-size=64',
        '--import',
        'tsx',
        path.join(here, 'memory-probe.ts'),
        '100000',
        path.join(tmp, 'memory'),
      ],
      { cwd: path.resolve(here, '../../../../..') },
    ); // the checkout, where `tsx` resolves
    const probe = JSON.parse(stdout) as { customers: number; installments: number; maxRssKb: number };
    expect(probe.customers).toBe(100_000);
    expect(probe.installments).toBeGreaterThan(2_000_000);
    expect(probe.maxRssKb / 1024).toBeLessThan(200);
  });
});
