/**
 * `vosul demo-data`: a deterministic synthetic book in the snapshot format of interchange.md
 * ("Snapshot folder"). Everything is a function of (seed, index): customers are generated one at a
 * time and streamed out with their facilities, installments, guarantors, payments and balances, and a
 * guarantor who is another customer or a pooled person is recomputed from that index, never looked up
 * in a list — so a million customers take the same memory as a thousand.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { toPersianDigits } from '@vosul/common';
import { columnNames } from '../snapshot-format.js';
import { CsvSink, type ManifestEntry } from './csv-sink.js';
import { civilFromDay, DayFormatter, monthsAfter, parseIsoDay } from './days.js';
import { companyIdFor, mobileFor, nationalCodeFor, postalCodeFor, spoilNationalCode } from './identifiers.js';
import { hashSeed, mix3, Rng, Tag } from './prng.js';
import {
  ACCOUNT_TYPES,
  BRANCH_AREAS,
  COMPANY_FORMS,
  COMPANY_TRADES,
  COMPANY_WORDS,
  EMAIL_DOMAINS,
  FEMALE_NAMES,
  LAST_NAMES,
  LATIN_SYLLABLES,
  LOAN_TYPES,
  MALE_NAMES,
  PROVINCES,
  STREETS,
  type LoanType,
  type Province,
} from './vocabulary.js';

export interface DemoDataOptions {
  customers: number;
  outDir: string;
  seed?: string;
  /** Gregorian `YYYY-MM-DD`; default today in Asia/Tehran. */
  asOf?: string;
}

export interface DemoDataResult {
  customers: number;
  facilities: number;
  installments: number;
  guarantors: number;
  payments: number;
  branches: number;
  loanTypes: number;
  accountBalances: number;
  /** Deliberately doubtful values (the import leaves them out and lists the case as incomplete). */
  invalidNationalCodes: number;
  invalidMobiles: number;
  asOf: string;
  files: ManifestEntry[];
  seconds: number;
}

export const DEFAULT_SEED = 'vosul';

/** Share of customers with a dirty value (about 2%), and the kinds of dirt with their weights. */
const DIRTY_CUSTOMER = 0.02;
const DIRT = [
  'badNationalCode',
  'badMobile',
  'arabicLetters',
  'persianDigits',
  'mobileForm',
  'droppedZeros',
  'noContact',
] as const;
const DIRT_WEIGHTS = [2, 2, 2, 1, 1, 1, 1];
const DIRT_TOTAL = 10;
const DIRTY_FACILITY = 0.02;
const DIRTY_INSTALLMENT = 0.01;
const DIRTY_PAYMENT = 0.01;

/** Payer profiles: on time ~60%, sometimes late ~20%, chronic arrears ~10%, settled early ~7%, written off ~3%. */
type Profile = 'onTime' | 'late' | 'chronic' | 'settled' | 'writtenOff';
const PROFILES: readonly Profile[] = ['onTime', 'late', 'chronic', 'settled', 'writtenOff'];
const PROFILE_WEIGHTS = [60, 20, 10, 7, 3];

/** Installment counts and weights: mean 24 months. */
const COUNTS = [12, 18, 24, 36, 48];
const COUNT_WEIGHTS = [30, 10, 30, 25, 5];

const PROVINCE_WEIGHTS = PROVINCES.map((p) => p.weight);
const PROVINCE_TOTAL = PROVINCE_WEIGHTS.reduce((a, b) => a + b, 0);
const PERSON_LOAN_WEIGHTS = LOAN_TYPES.map((t) => t.personWeight);
const PERSON_LOAN_TOTAL = PERSON_LOAN_WEIGHTS.reduce((a, b) => a + b, 0);
const COMPANY_LOAN_WEIGHTS = LOAN_TYPES.map((t) => t.companyWeight);
const COMPANY_LOAN_TOTAL = COMPANY_LOAN_WEIGHTS.reduce((a, b) => a + b, 0);

/** Column order of each file, from the one snapshot definition the import reads. */
export const FILES = {
  branches: columnNames('branches.csv'),
  loanTypes: columnNames('loan_types.csv'),
  customers: columnNames('customers.csv'),
  facilities: columnNames('facilities.csv'),
  installments: columnNames('installments.csv'),
  guarantors: columnNames('guarantors.csv'),
  payments: columnNames('payments.csv'),
  accountBalances: columnNames('account_balances.csv'),
};

interface Branch {
  code: string;
  province: Province;
}

interface Identity {
  rng: Rng;
  kind: 'person' | 'company';
  gender: 'M' | 'F' | '';
  firstName: string;
  lastName: string;
  fatherName: string;
  branch: number;
}

/** Customer numbers: 8 digits from 10000001. */
export const customerNo = (i: number) => String(10_000_001 + i);

/** Today's date in Iran as `YYYY-MM-DD`. */
function todayInTehran(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tehran' }).format(new Date());
}

/** The Annuity of principal P over n monthly installments at an annual rate in percent. */
export function annuity(principal: number, annualRate: number, n: number): number {
  const r = annualRate / 1200;
  return r === 0 ? principal / n : (principal * r) / (1 - Math.pow(1 + r, -n));
}

/** Integer installments: all rounded to the Rial, the last absorbing the rounding of the total. */
export function schedule(
  principal: number,
  annualRate: number,
  n: number,
): { regular: number; last: number } {
  const exact = annuity(principal, annualRate, n);
  const regular = Math.round(exact);
  const total = Math.round(exact * n);
  return { regular, last: total - regular * (n - 1) };
}

export async function generateDemoData(options: DemoDataOptions): Promise<DemoDataResult> {
  const started = performance.now();
  const n = options.customers;
  if (!Number.isInteger(n) || n < 1) throw new Error('--customers must be a whole number of at least 1');
  const asOf = options.asOf ?? todayInTehran();
  const D = parseIsoDay(asOf);
  if (D === null) throw new Error(`--as-of is not a date: ${asOf}`);
  const root = hashSeed(options.seed ?? DEFAULT_SEED);
  const days = new DayFormatter();
  const dir = options.outDir;
  await mkdir(dir, { recursive: true });
  // A drop folder is picked up once manifest.csv exists: remove an old one before anything else.
  await rm(path.join(dir, 'manifest.csv'), { force: true });

  const sinks = {
    branches: new CsvSink(dir, 'branches.csv', FILES.branches),
    loanTypes: new CsvSink(dir, 'loan_types.csv', FILES.loanTypes),
    customers: new CsvSink(dir, 'customers.csv', FILES.customers),
    facilities: new CsvSink(dir, 'facilities.csv', FILES.facilities),
    installments: new CsvSink(dir, 'installments.csv', FILES.installments),
    guarantors: new CsvSink(dir, 'guarantors.csv', FILES.guarantors),
    payments: new CsvSink(dir, 'payments.csv', FILES.payments),
    accountBalances: new CsvSink(dir, 'account_balances.csv', FILES.accountBalances),
  };
  const all = Object.values(sinks);
  let invalidNationalCodes = 0;
  let invalidMobiles = 0;

  try {
    // Branches: about one per 1,500 customers, at least 5; a fifth are sub-branches of a main
    // branch in the same province. A few thousand at most, so they are kept.
    const branchCount = Math.min(9000, Math.max(5, Math.round(n / 1500)));
    const branches: Branch[] = [];
    const mainOfProvince = new Map<string, string>();
    const namesSeen = new Map<string, number>();
    for (let b = 0; b < branchCount; b++) {
      const rng = Rng.for(root, Tag.branch, b);
      const province = PROVINCES[rng.weighted(PROVINCE_WEIGHTS, PROVINCE_TOTAL)] as Province;
      const code = String(1000 + ((b * 3119) % 9000));
      const main = mainOfProvince.get(province.code);
      const parent = main !== undefined && rng.chance(0.2) ? main : '';
      if (main === undefined) mainOfProvince.set(province.code, code);
      const area = rng.pick(BRANCH_AREAS);
      let name = `${parent ? 'باجه' : 'شعبه'} ${area} ${province.capital}`;
      const same = (namesSeen.get(name) ?? 0) + 1;
      namesSeen.set(name, same);
      if (same > 1) name += ` ${toPersianDigits(same)}`;
      const address = `${province.capital}، خیابان ${rng.pick(STREETS)}، پلاک ${rng.int(1, 400)}`;
      sinks.branches.row([code, name, province.code, province.name, parent, address].join(','));
      branches.push({ code, province });
    }
    for (const t of LOAN_TYPES) sinks.loanTypes.row(`${t.code},${t.title}`);

    const poolSize = Math.max(20, Math.floor(n * 0.8));
    const identity = (i: number): Identity => {
      const rng = Rng.for(root, Tag.customer, i);
      const company = rng.chance(0.015);
      const branch = rng.int(0, branchCount - 1);
      if (company) {
        const lastName = `شرکت ${rng.pick(COMPANY_WORDS)} ${rng.pick(COMPANY_TRADES)} ${rng.pick(COMPANY_FORMS)}`;
        return { rng, kind: 'company', gender: '', firstName: '', lastName, fatherName: '', branch };
      }
      const male = rng.chance(0.56);
      return {
        rng,
        kind: 'person',
        gender: male ? 'M' : 'F',
        firstName: rng.pick(male ? MALE_NAMES : FEMALE_NAMES),
        lastName: rng.pick(LAST_NAMES),
        fatherName: rng.pick(MALE_NAMES),
        branch,
      };
    };
    const address = (rng: Rng, province: Province) =>
      `${province.capital}، خیابان ${rng.pick(STREETS)}، کوچه ${rng.pick(STREETS)}، پلاک ${rng.int(1, 250)}` +
      (rng.chance(0.4) ? `، واحد ${rng.int(1, 20)}` : '');
    const phone = (rng: Rng, province: Province) => `${province.areaCode}${rng.int(2, 8)}${rng.digits(7)}`;

    const pooledGuarantor = (g: number, facilityNo: string): string => {
      const rng = Rng.for(root, Tag.guarantorPool, g);
      const male = rng.chance(0.7);
      const first = rng.pick(male ? MALE_NAMES : FEMALE_NAMES);
      const last = rng.pick(LAST_NAMES);
      const province = PROVINCES[rng.weighted(PROVINCE_WEIGHTS, PROVINCE_TOTAL)] as Province;
      const mobile = rng.chance(0.9) ? mobileFor(rng) : '';
      const addr = rng.chance(0.7) ? address(rng, province) : '';
      return [facilityNo, '', first, last, nationalCodeFor(500_000_000 + g), mobile, addr].join(',');
    };

    let facilityIndex = 0;
    for (let i = 0; i < n; i++) {
      const who = identity(i);
      const { rng } = who;
      const no = customerNo(i);
      const branch = branches[who.branch] as Branch;
      const province = branch.province;
      const company = who.kind === 'company';

      // customers.csv
      let nationalId = company ? companyIdFor(i) : nationalCodeFor(i);
      let mobile = rng.chance(0.95) ? mobileFor(rng) : '';
      let first = who.firstName;
      let last = who.lastName;
      let father = who.fatherName;
      let homePhone = rng.chance(0.6) ? phone(rng, province) : '';
      let workPhone = rng.chance(0.25) ? phone(rng, province) : '';
      const email = rng.chance(0.2)
        ? `${rng.pick(LATIN_SYLLABLES)}${rng.pick(LATIN_SYLLABLES)}${rng.int(10, 9999)}@${rng.pick(EMAIL_DOMAINS)}`
        : '';
      const addr = rng.chance(0.9) ? address(rng, province) : '';
      const postal = rng.chance(0.8) ? postalCodeFor(rng) : '';
      const birthCert = company
        ? ''
        : rng.chance(0.5)
          ? nationalId
          : rng.chance(0.6)
            ? String(rng.int(1, 999_999))
            : '';
      if (rng.chance(DIRTY_CUSTOMER)) {
        let dirt = DIRT[rng.weighted(DIRT_WEIGHTS, DIRT_TOTAL)];
        if (dirt === 'badNationalCode' && company) dirt = 'arabicLetters';
        if (dirt === 'droppedZeros' && (company || !nationalId.startsWith('0'))) dirt = 'persianDigits';
        if ((dirt === 'badMobile' || dirt === 'mobileForm') && !mobile) mobile = mobileFor(rng);
        switch (dirt) {
          case 'badNationalCode':
            nationalId = spoilNationalCode(nationalId, rng);
            invalidNationalCodes++;
            break;
          case 'badMobile':
            mobile = rng.pick([
              mobile.slice(0, 8),
              `0${province.areaCode.slice(1)}${rng.digits(8)}`,
              `${mobile}${rng.int(0, 9)}`,
            ]);
            invalidMobiles++;
            break;
          case 'arabicLetters':
            first = toArabicLetters(first);
            last = toArabicLetters(last);
            father = toArabicLetters(father);
            break;
          case 'persianDigits':
            nationalId = toPersianDigits(nationalId);
            mobile = toPersianDigits(mobile);
            break;
          case 'mobileForm':
            mobile = rng.pick([
              `+98${mobile.slice(1)}`,
              `98${mobile.slice(1)}`,
              `0098${mobile.slice(1)}`,
              mobile.slice(1),
              `${mobile.slice(0, 4)} ${mobile.slice(4, 7)} ${mobile.slice(7)}`,
            ]);
            break;
          case 'droppedZeros':
            nationalId = nationalId.replace(/^0{1,2}/, '');
            break;
          case 'noContact':
            mobile = '';
            homePhone = '';
            workPhone = '';
            break;
          case undefined:
            break;
        }
      }
      sinks.customers.row(
        [
          no,
          who.kind,
          first,
          last,
          father,
          nationalId,
          birthCert,
          who.gender,
          mobile,
          email,
          homePhone,
          workPhone,
          addr,
          postal,
          branch.code,
        ].join(','),
      );

      // facilities.csv and what hangs on each facility
      const u = rng.next();
      const facilityCount = u < 0.83 ? 1 : u < 0.97 ? 2 : 3;
      for (let k = 1; k <= facilityCount; k++) {
        const fi = facilityIndex++;
        const profile = PROFILES[rng.weighted(PROFILE_WEIGHTS, 100)] as Profile;
        const type = LOAN_TYPES[
          company
            ? rng.weighted(COMPANY_LOAN_WEIGHTS, COMPANY_LOAN_TOTAL)
            : rng.weighted(PERSON_LOAN_WEIGHTS, PERSON_LOAN_TOTAL)
        ] as LoanType;
        const count = COUNTS[rng.weighted(COUNT_WEIGHTS, 100)] as number;
        // Granted in the past four years; a loan still being repaid has not reached its term yet.
        const age =
          profile === 'writtenOff'
            ? rng.int(600, 1460)
            : profile === 'settled'
              ? rng.int(60, 1460)
              : rng.int(20, Math.min(1460, count * 30 - 5));
        const granted = D - age;
        const logMin = Math.log(type.minPrincipal);
        const principal =
          Math.round(Math.exp(logMin + rng.next() * (Math.log(type.maxPrincipal) - logMin)) / 1e7) *
          1e7 *
          (company ? 10 : 1);
        const rate = rng.pick(type.rates);
        const facilityBranch = rng.chance(0.9) ? branch : (branches[rng.int(0, branchCount - 1)] as Branch);
        const facilityNo = `${facilityBranch.code}-${type.code}-${String(i + 1).padStart(7, '0')}-${k}`;
        const { regular, last: lastAmount } = schedule(principal, rate, count);

        // installments.csv and payments.csv, as the payer profile paid them up to the as-of date
        const [gy, gm, gd] = civilFromDay(granted);
        const elapsed = countDue(gy, gm, gd, count, D);
        const breakAt =
          profile === 'chronic'
            ? Math.floor(elapsed * (0.2 + 0.6 * rng.next()))
            : profile === 'writtenOff'
              ? rng.int(0, Math.min(6, elapsed))
              : count;
        const settleOn =
          profile === 'settled' && D - granted > 45 ? granted + rng.int(40, D - granted - 1) : Infinity;
        let stopped = false;
        let lastPaid = granted;
        let paidCount = 0;
        let lump = 0;
        let payment = 0;
        const pay = (day: number, amount: number) => {
          payment++;
          const reference = rng.chance(0.03)
            ? ''
            : String(mix3(root, fi, payment) % 1_000_000_000).padStart(9, '0') +
              String(payment).padStart(3, '0');
          const dirty = rng.chance(DIRTY_PAYMENT);
          sinks.payments.row(
            `${facilityNo},${dirty ? dirtyDate(days, day, rng) : days.isoOf(day)},${dirty ? dirtyAmount(amount, rng) : amount},${reference}`,
          );
        };
        for (let s = 1; s <= count; s++) {
          const amount = s < count ? regular : lastAmount;
          const due = monthsAfter(gy, gm, gd, s);
          let paid = 0;
          let paidOn = -1;
          if (due >= settleOn) {
            paid = amount;
            paidOn = settleOn;
            lump += amount;
          } else if (!stopped && due < D) {
            let payDay: number;
            if (profile === 'late') payDay = rng.chance(0.35) ? due + rng.int(1, 75) : due - rng.int(0, 3);
            else if (profile === 'chronic' || profile === 'writtenOff')
              payDay =
                s <= breakAt ? (rng.chance(0.5) ? due + rng.int(1, 40) : due - rng.int(0, 2)) : Infinity;
            else payDay = due - rng.int(0, 3);
            payDay = Math.max(payDay, lastPaid);
            if (payDay < D) {
              paid = amount;
              paidOn = payDay;
              lastPaid = payDay;
              pay(payDay, amount);
            } else {
              stopped = true;
              if (profile !== 'onTime' && rng.chance(0.3) && D - 1 > Math.max(due, lastPaid)) {
                paid = Math.floor((amount * (0.1 + 0.8 * rng.next())) / 1000) * 1000;
                if (paid > 0) pay(rng.int(Math.max(due, lastPaid), D - 1), paid);
              }
            }
          }
          if (paidOn >= 0) paidCount++;
          const dirty = rng.chance(DIRTY_INSTALLMENT);
          sinks.installments.row(
            `${facilityNo},${s},${dirty ? dirtyDate(days, due, rng) : days.isoOf(due)},${dirty ? dirtyAmount(amount, rng) : amount},${paid},${paidOn >= 0 ? days.isoOf(paidOn) : ''}`,
          );
        }
        if (lump > 0) pay(settleOn, lump);
        const status = profile === 'writtenOff' ? 'written_off' : paidCount === count ? 'settled' : 'active';
        const dirty = rng.chance(DIRTY_FACILITY);
        const dirtyDay = dirty && rng.chance(0.5);
        sinks.facilities.row(
          `${facilityNo},${no},${facilityBranch.code},${type.code},${dirtyDay ? dirtyDate(days, granted, rng) : days.isoOf(granted)},${dirty && !dirtyDay ? dirtyAmount(principal, rng) : principal},IRR,${rate},${count},${status}`,
        );

        // guarantors.csv: 1–2 per facility (2 for companies); some are customers, and the pooled
        // persons are picked by hash so that many of them guarantee several facilities.
        const guarantorCount = company || rng.chance(0.3) ? 2 : 1;
        let firstPick = -1;
        for (let g = 0; g < guarantorCount; g++) {
          const h = mix3(root, Tag.guarantorPick, fi * 4 + g);
          if (n > 2 && rng.chance(0.3)) {
            let j = h % n;
            if (j === i) j = (j + 1) % n;
            if (j === firstPick) j = (j + 1) % n === i ? (j + 2) % n : (j + 1) % n;
            firstPick = j;
            const other = identity(j);
            sinks.guarantors.row(`${facilityNo},${customerNo(j)},${other.firstName},${other.lastName},,,`);
          } else {
            let p = h % poolSize;
            if (-(p + 1) === firstPick) p = (p + 1) % poolSize;
            firstPick = -(p + 1);
            sinks.guarantors.row(pooledGuarantor(p, facilityNo));
          }
        }
      }

      // account_balances.csv: a current account for about a third, a deposit for a quarter
      for (const [index, type] of ACCOUNT_TYPES.entries()) {
        if (!(index === 0 ? rng.chance(0.35) : rng.chance(0.08))) continue;
        const balance =
          Math.round(Math.exp(Math.log(1e6) + rng.next() * Math.log(5e4)) / 1000) * 1000 * (company ? 10 : 1);
        sinks.accountBalances.row(
          `${no},${branch.code}-${type.number}-${String(i + 1).padStart(7, '0')}-1,${type.code},${asOf},${balance}`,
        );
      }

      for (const sink of all) if (sink.full) await sink.flush();
    }

    const files: ManifestEntry[] = [];
    for (const sink of all) files.push(await sink.close());
    // manifest.csv last: the import picks the folder up only once it exists.
    const manifest =
      ['file,rows,sha256', ...files.map((f) => `${f.file},${f.rows},${f.sha256}`)].join('\n') + '\n';
    await writeFile(path.join(dir, 'manifest.csv'), manifest);

    return {
      customers: sinks.customers.rows,
      facilities: sinks.facilities.rows,
      installments: sinks.installments.rows,
      guarantors: sinks.guarantors.rows,
      payments: sinks.payments.rows,
      branches: sinks.branches.rows,
      loanTypes: sinks.loanTypes.rows,
      accountBalances: sinks.accountBalances.rows,
      invalidNationalCodes,
      invalidMobiles,
      asOf,
      files,
      seconds: Math.round((performance.now() - started) / 10) / 100,
    };
  } catch (err) {
    for (const sink of all) sink.destroy();
    throw err;
  }
}

/** How many of `count` monthly installments from (y, m, d) fall due before day D. */
function countDue(y: number, m: number, d: number, count: number, D: number): number {
  let due = 0;
  while (due < count && monthsAfter(y, m, d, due + 1) < D) due++;
  return due;
}

function toArabicLetters(text: string): string {
  return text.replace(/ی/g, 'ي').replace(/ک/g, 'ك');
}

/** A date in one of the other accepted forms: Jalali with slashes, dashes or none; compact Gregorian; Persian digits. */
function dirtyDate(days: DayFormatter, day: number, rng: Rng): string {
  const jalali = days.jalaliOf(day);
  switch (rng.int(0, 4)) {
    case 0:
      return jalali;
    case 1:
      return jalali.replace(/\//g, '');
    case 2:
      return jalali.replace(/\//g, '-');
    case 3:
      return days.isoOf(day).replace(/-/g, '');
    default:
      return toPersianDigits(jalali);
  }
}

/** An amount in one of the other accepted forms: Persian digits, ٬ or , separators, a zero fraction. */
function dirtyAmount(amount: number, rng: Rng): string {
  const s = String(amount);
  const grouped = (sep: string) => s.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
  switch (rng.int(0, 4)) {
    case 0:
      return toPersianDigits(s);
    case 1:
      return toPersianDigits(grouped('٬'));
    case 2:
      return `"${grouped(',')}"`;
    case 3:
      return `${s}.0000`;
    default:
      return grouped('٬');
  }
}
