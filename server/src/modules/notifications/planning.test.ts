import pg from 'pg';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { formatMoney, toJalali } from '@vosul/common';
import { PLACEHOLDER_KEYS, renderTemplate, type TemplateValues } from '@vosul/common/workflows';
import { createTestDatabase } from '../../../test/harness.js';
import {
  createBook,
  defineWorkflow,
  markScheduleChanged,
  plus,
  type FacilitySpec,
  type WorkflowSpec,
} from '../../../test/book.js';
import { runDay } from '../day-run/day-run.service.js';
import { recordReports } from './dispatch.repository.js';
import { planNotifications } from './planning.service.js';

const { url } = await createTestDatabase();
const pool = new pg.Pool({ connectionString: url, max: 4 });
afterAll(() => pool.end());

const q = async <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
  (await pool.query(text, params)).rows as T[];

const run = (date: string) => runDay(pool, { date, source: 'cli', timezone: 'Asia/Tehran' });

/** Runs every date from `from` to `to` in order, as the scheduler does; the numbers planned per date. */
async function runDays(from: string, to: string): Promise<Record<string, number>> {
  const planned: Record<string, number> = {};
  for (let d = from; d <= to; d = plus(d, 1)) planned[d] = (await run(d)).planned;
  return planned;
}

const BORROWER_MOBILE = '09121234567';

/** The book (test/book.ts) with the borrower C1 reachable: a mobile, a postal address, a national code. */
async function book(facilities: FacilitySpec[]) {
  await createBook(pool, facilities, '2025-01-01');
  await pool.query(
    `UPDATE customers SET mobile = $1, national_id = '0012345679', gender = 'M',
       address = 'تهران، خیابان آزادی، پلاک ۱۲' WHERE customer_no = 'C1'`,
    [BORROWER_MOBILE],
  );
}

/** A facility with one unpaid installment `days` overdue on `date` (negative: falling due later). */
const overdue = (no: string, date: string, days: number, amount = 1000): FacilitySpec => ({
  no,
  installments: [{ due: plus(date, -days), amount }],
});

const workflow = (w: WorkflowSpec = {}) => defineWorkflow(pool, w);

interface Planned {
  business_date: string;
  facility: string;
  channel: string;
  recipient_role: string;
  recipient_name: string;
  person_key: string;
  address: string;
  status: string;
  held_reason: string | null;
  text: string;
  occasion_key: string;
}

const planned = () =>
  q<Planned>(
    `SELECT to_char(n.business_date, 'YYYY-MM-DD') AS business_date, n.facility_nos[1] AS facility, n.channel,
       n.recipient_role, n.recipient_name, n.person_key, n.address, n.status, n.held_reason, n.text, n.occasion_key
     FROM notifications n ORDER BY n.business_date, n.facility_nos[1], n.recipient_role, n.occasion_key`,
  );

/** The dates a facility was sent something. */
const sentOn = async (no: string) =>
  (await planned()).filter((n) => n.facility === no).map((n) => n.business_date);

beforeEach(async () => {
  await pool.query('TRUNCATE letter_marks, notifications, notification_events, workflow_stays');
  await pool.query('DELETE FROM workflows');
  await pool.query(`DELETE FROM holidays WHERE kind = 'closure'`);
  await pool.query(`DELETE FROM settings WHERE key IN ('send_window_end', 'merged_message_template')`);
});

describe('worked examples of "Workflow semantics" (interchange.md)', () => {
  it('range 5–30, repeat 0: overdue 4 on D, 5 on D+1 … 31 on D+27 → one SMS on D+1', async () => {
    const D = '2025-10-04';
    await book([overdue('F1', D, 4)]);
    await workflow({ from: 5, to: 30 });
    const perDay = await runDays(D, plus(D, 27));
    expect(await sentOn('F1')).toEqual([plus(D, 1)]);
    expect(perDay[plus(D, 1)]).toBe(1);
    expect(
      await q(`SELECT to_char(started_on, 'YYYY-MM-DD') AS started_on,
        to_char(ended_on, 'YYYY-MM-DD') AS ended_on, next_on FROM workflow_stays`),
    ).toEqual([{ started_on: plus(D, 1), ended_on: plus(D, 27), next_on: null }]);
  });

  it('range 5–30, repeat 7: overdue 5 on D, a Friday → SMS on D+1 (Saturday), D+8, D+15, D+22; out of range by D+29', async () => {
    const D = '2025-10-03';
    expect(new Date(`${D}T12:00:00Z`).getUTCDay()).toBe(5);
    await book([overdue('F1', D, 5)]);
    await workflow({ from: 5, to: 30, repeat: 7 });
    const perDay = await runDays(D, plus(D, 29));
    expect(perDay[D]).toBe(0);
    expect(await sentOn('F1')).toEqual([plus(D, 1), plus(D, 8), plus(D, 15), plus(D, 22)]);
  });

  it('range 5–30, repeat 7: overdue 5 on D, pays on D+3, overdue again 5 on D+40 → SMS on D; a new stay: SMS on D+40', async () => {
    const D = '2025-10-04';
    await book([
      {
        no: 'F1',
        installments: [
          { due: plus(D, -5), amount: 1000 },
          { due: plus(D, 35), amount: 1000 },
        ],
      },
    ]);
    await workflow({ from: 5, to: 30, repeat: 7 });
    await runDays(D, plus(D, 2));
    await pool.query(`UPDATE installments SET paid_amount = amount WHERE seq = 1`);
    await markScheduleChanged(pool, 'F1');
    await runDays(plus(D, 3), plus(D, 3));
    // the days between are caught up too (none of them plans anything: nothing overdue until D+36)
    await runDays(plus(D, 39), plus(D, 40));
    expect(await sentOn('F1')).toEqual([D, plus(D, 40)]);
    expect(
      await q(`SELECT to_char(started_on, 'YYYY-MM-DD') AS started_on, to_char(ended_on, 'YYYY-MM-DD') AS ended_on
               FROM workflow_stays ORDER BY started_on`),
    ).toEqual([
      { started_on: D, ended_on: plus(D, 3) },
      { started_on: plus(D, 40), ended_on: null },
    ]);
  });

  it('range −3 to −1, repeat 0: next installment due on D+3, nothing overdue → reminder on D', async () => {
    const D = '2025-10-04';
    await book([
      overdue('DUE-IN-3', D, -3),
      // the minimum is against that installment's amount
      overdue('TOO-SMALL', D, -3, 400),
      // an installment already overdue: not a reminder's
      {
        no: 'ALSO-OVERDUE',
        installments: [
          { due: plus(D, -2), amount: 1000 },
          { due: plus(D, 3), amount: 1000 },
        ],
      },
      overdue('DUE-IN-5', D, -5),
    ]);
    await workflow({ from: -3, to: -1, min: 500 });
    await runDays(D, plus(D, 3));
    const rows = await planned();
    expect(rows.map((r) => [r.facility, r.business_date])).toEqual([
      ['DUE-IN-3', D],
      ['DUE-IN-5', plus(D, 2)],
    ]);
  });

  it('range 1–60, calls 3 a day, interval 120, start 09:00, window to 14:00: unanswered at 09:00 → 11:00, then 13:00', async () => {
    const D = '2025-10-04';
    await book([overdue('F1', D, 10)]);
    await pool.query(`INSERT INTO settings (key, value) VALUES ('send_window_end', '"14:00"')`);
    await workflow({ from: 1, to: 60, channels: ['call'], perDay: 3, interval: 120, start: '09:00' });
    expect((await run(D)).planned).toBe(1);
    const at = (time: string) => new Date(`${D}T${time}:00+03:30`);
    const [first] = await q<{ id: string; scheduled_at: Date; window_ends_at: Date; max_attempts: number }>(
      'SELECT id, scheduled_at, window_ends_at, max_attempts, retry_minutes FROM notifications',
    );
    expect(first).toMatchObject({
      scheduled_at: at('09:00'),
      window_ends_at: at('14:00'),
      max_attempts: 3,
      retry_minutes: 120,
    });
    const unanswered = async (time: string) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const [last] = await q<{ id: string }>('SELECT id FROM notifications ORDER BY attempt DESC LIMIT 1');
        await recordReports(client, [{ id: last!.id, status: 'no_answer', at: at(time) }]);
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    };
    await unanswered('09:00');
    await unanswered('11:00');
    await unanswered('13:00');
    const calls = await q<{ attempt: number; scheduled_at: Date }>(
      'SELECT attempt, scheduled_at FROM notifications ORDER BY attempt',
    );
    expect(calls).toEqual([
      { attempt: 1, scheduled_at: at('09:00') },
      { attempt: 2, scheduled_at: at('11:00') },
      { attempt: 3, scheduled_at: at('13:00') },
    ]);
  });
});

describe('working days', () => {
  it('moves an occasion off a holiday, a closure of the branch’s province and a Friday; the next N days count from the day sent', async () => {
    // 2025-11-24 is an official holiday (a Monday)
    const D = '2025-11-24';
    await book([overdue('F1', D, 5)]);
    await pool.query(`INSERT INTO provinces (code, name) VALUES ('OTHER', 'اصفهان') ON CONFLICT DO NOTHING`);
    await pool.query(
      `INSERT INTO holidays (day, title, kind, province_id) VALUES
      ($1, 'برف', 'closure', (SELECT id FROM provinces WHERE code = 'OTHER')),
      ($2, 'آلودگی هوا', 'closure', (SELECT id FROM provinces WHERE code = 'BOOK-P1'))`,
      [plus(D, 1), plus(D, 3)],
    );
    await workflow({ from: 5, to: 30, repeat: 2 });
    await runDays(D, plus(D, 7));
    // D a holiday → D+1 (another province's closure does not count); D+3 closed here and D+4 a Friday
    // → D+5; the next two days from then → D+7
    expect(await sentOn('F1')).toEqual([plus(D, 1), plus(D, 5), plus(D, 7)]);
  });
});

describe('recipients and texts', () => {
  it.each([
    ['', false],
    [' (a book its statistics know as large: the facility looked up by its key)', true],
  ])(
    'writes the borrower’s and each guarantor’s message with their own template; one without a mobile is held%s',
    async (_, large) => {
      const D = '2025-10-04';
      const quiet = large ? Array.from({ length: 20 }, (_, i) => overdue(`Q${i + 1}`, D, -200)) : [];
      await book([overdue('F1', D, 10), ...quiet]);
      if (large) await pool.query('ANALYZE facilities');
      await pool.query(`INSERT INTO customers (customer_no, first_name, last_name, gender, mobile, national_id, branch_id)
      SELECT 'G1', 'مریم', 'کریمی', 'F', '09351112233', '0098765432', id FROM branches WHERE code = 'B1'`);
      await pool.query(`INSERT INTO guarantors (facility_id, seq, customer_id, first_name, last_name, national_id, mobile)
      SELECT f.id, 1, c.id, 'مریم', 'کریمی', '0098765432', NULL FROM facilities f, customers c
      WHERE f.facility_no = 'F1' AND c.customer_no = 'G1'`);
      await pool.query(`INSERT INTO guarantors (facility_id, seq, first_name, last_name)
      SELECT id, 2, 'رضا', 'نوری' FROM facilities WHERE facility_no = 'F1'`);
      const guarantorText =
        '{{gender_title}} {{guarantor_last_name}}، ضامن تسهیلات {{facility_no}} آقای {{borrower_last_name}}';
      await workflow({
        from: 1,
        to: 30,
        recipients: ['borrower', 'guarantors'],
        channels: ['sms', 'intro_letter'],
        templates: { 'sms:guarantor': guarantorText, 'intro_letter:guarantor': guarantorText },
      });
      expect((await run(D)).planned).toBe(6);
      const rows = (await planned()).map((r) => ({
        key: r.occasion_key.split(':').slice(2).join(':'),
        name: r.recipient_name,
        // a guarantor with neither code nor mobile counts as itself
        person: r.person_key.replace(/^guarantor:\d+$/, 'guarantor:<id>'),
        address: r.address,
        status: r.status,
        held: r.held_reason,
        text: r.text,
      }));
      expect(rows).toEqual([
        {
          key: `borrower:0:intro_letter:${D}#1`,
          name: 'علی احمدی',
          person: '0012345679',
          address: 'تهران، خیابان آزادی، پلاک ۱۲',
          status: 'planned',
          held: null,
          text: 'جناب آقای احمدی، تسهیلات F۱ ۱۰ روز معوق است',
        },
        {
          key: `borrower:0:sms:${D}#1`,
          name: 'علی احمدی',
          person: '0012345679',
          address: BORROWER_MOBILE,
          status: 'queued',
          held: null,
          text: 'جناب آقای احمدی، تسهیلات F۱ ۱۰ روز معوق است',
        },
        {
          // the guarantor's own mobile is missing; the linked customer's is used
          key: `guarantor:1:intro_letter:${D}#1`,
          name: 'مریم کریمی',
          person: '0098765432',
          address: '',
          status: 'held',
          held: 'نشانی پستی ثبت نشده است',
          text: 'سرکار خانم کریمی، ضامن تسهیلات F۱ آقای احمدی',
        },
        {
          key: `guarantor:1:sms:${D}#1`,
          name: 'مریم کریمی',
          person: '0098765432',
          address: '09351112233',
          status: 'queued',
          held: null,
          text: 'سرکار خانم کریمی، ضامن تسهیلات F۱ آقای احمدی',
        },
        {
          key: `guarantor:2:intro_letter:${D}#1`,
          name: 'رضا نوری',
          person: 'guarantor:<id>',
          address: '',
          status: 'held',
          held: 'نشانی پستی ثبت نشده است',
          text: 'جناب آقای/سرکار خانم نوری، ضامن تسهیلات F۱ آقای احمدی',
        },
        {
          key: `guarantor:2:sms:${D}#1`,
          name: 'رضا نوری',
          person: 'guarantor:<id>',
          address: '',
          status: 'held',
          held: 'شماره همراه ثبت نشده است',
          text: 'جناب آقای/سرکار خانم نوری، ضامن تسهیلات F۱ آقای احمدی',
        },
      ]);
    },
  );

  it('holds a borrower without a mobile (with the reason) instead of dropping the message', async () => {
    const D = '2025-10-04';
    await book([overdue('F1', D, 10)]);
    await pool.query(`UPDATE customers SET mobile = NULL, national_id = NULL`);
    await workflow({ from: 1, to: 30, channels: ['sms', 'email'] });
    expect((await run(D)).planned).toBe(2);
    expect((await planned()).map((r) => [r.channel, r.status, r.held_reason, r.person_key])).toEqual([
      ['email', 'held', 'نشانی پست الکترونیک ثبت نشده است', 'customer:C1'],
      ['sms', 'held', 'شماره همراه ثبت نشده است', 'customer:C1'],
    ]);
  });

  it('renders every placeholder in SQL exactly as renderTemplate does (Persian digits, amounts, Jalali date)', async () => {
    const D = '2025-10-04';
    await book([
      {
        no: '8800123456',
        installments: [
          { due: plus(D, -40), amount: 12_345_678, paid: 1000 },
          { due: plus(D, -10), amount: 2_000_000 },
          { due: plus(D, 20), amount: 2_000_000 },
        ],
      },
    ]);
    await pool.query(`INSERT INTO guarantors (facility_id, seq, first_name, last_name, mobile)
      SELECT id, 1, 'مریم', 'کریمی', '09351112233' FROM facilities`);
    const text = PLACEHOLDER_KEYS.map((k) => `${k}={{${k}}}`).join(' | ') + ' {{unknown}}';
    await workflow({ from: 1, to: 60, templates: { 'sms:borrower': text } });
    await run(D);
    const [f] = await q<Record<string, string>>(
      `SELECT f.principal::text, ff.overdue_days::text, ff.overdue_installments::text, ff.overdue_amount::text,
         ff.penalty::text, ff.collectible_amount::text, ff.unpaid_amount::text
       FROM facilities f JOIN facility_figures ff ON ff.facility_id = f.id`,
    );
    const values: TemplateValues = {
      gender_title: 'M',
      borrower_first_name: 'علی',
      borrower_last_name: 'احمدی',
      customer_no: 'C1',
      national_code: '0012345679',
      facility_no: '8800123456',
      loan_type: 'مشارکت مدنی',
      principal: f!.principal!,
      overdue_days: f!.overdue_days!,
      overdue_installments: f!.overdue_installments!,
      overdue_amount: f!.overdue_amount!,
      penalty: f!.penalty!,
      collectible_amount: f!.collectible_amount!,
      unpaid_amount: f!.unpaid_amount!,
      due_date: plus(D, -40),
      installment_amount: String(12_345_678 - 1000),
      branch_name: 'شعبه B1',
      guarantor_first_name: 'مریم',
      guarantor_last_name: 'کریمی',
    };
    const [row] = await planned();
    expect(row!.text).toBe(renderTemplate(text, values));
    expect(row!.text).toContain('overdue_amount=۱۴٬۳۴۴٬۶۷۸');
    expect(row!.text).toContain('due_date=۱۴۰۴/۰۶/۰۳');
  });

  it('has SQL helpers equal to formatMoney and toJalali', async () => {
    const amounts = [
      '0',
      '7',
      '999',
      '1000',
      '-1000',
      '123456789',
      '-9223372036854775807',
      '1000000000000',
      '-123456789012345678901234',
    ];
    const rows = await q<{ money: string }>(
      'SELECT vosul_fa_money(a::numeric) AS money FROM unnest($1::text[]) WITH ORDINALITY AS t (a, i) ORDER BY i',
      [amounts],
    );
    expect(rows.map((r) => r.money)).toEqual(amounts.map(formatMoney));
    // the bigint form the planner's amounts take, to bigint's ends
    const bigints = [...amounts.slice(0, 8), '9223372036854775807', '-9223372036854775808'];
    const fromBigint = await q<{ money: string }>(
      'SELECT vosul_fa_money(a::bigint) AS money FROM unnest($1::text[]) WITH ORDINALITY AS t (a, i) ORDER BY i',
      [bigints],
    );
    expect(fromBigint.map((r) => r.money)).toEqual(bigints.map(formatMoney));
    const days = await q<{ day: string; jalali: string }>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, jalali FROM jalali_days
       WHERE day BETWEEN '1990-01-01' AND '2060-12-31' ORDER BY day`,
    );
    expect(days.length).toBeGreaterThan(25_000);
    expect(days.filter((d) => d.jalali !== toJalali(d.day))).toEqual([]);
  });
});

describe('re-runs and what-ifs', () => {
  it('plans nothing new when the same date runs again, nor on a what-if', async () => {
    const D = '2025-10-04';
    await book([overdue('F1', D, 10)]);
    await workflow({ from: 1, to: 30, repeat: 1 });
    expect((await run(D)).planned).toBe(1);
    const again = await run(D);
    expect(again).toMatchObject({ kind: 'latest', planned: 0 });
    expect((await run(plus(D, 1))).planned).toBe(1);
    const stays = await q('SELECT * FROM workflow_stays');
    const whatIf = await run(D);
    expect(whatIf).toMatchObject({ kind: 'what_if', planned: 0 });
    expect(await sentOn('F1')).toEqual([D, plus(D, 1)]);
    expect(await q('SELECT * FROM workflow_stays')).toEqual(stays);
  });

  it('two planners of a date at once: the second waits for the first and writes nothing a second time', async () => {
    const D = '2025-10-04';
    await book([overdue('F1', D, 10)]);
    await workflow({ from: 1, to: 30, repeat: 7 });
    await run(plus(D, -7));
    await run(D);
    // the date's figures are saved; its occasion (the stay's second) is taken back, to be planned twice at once
    await pool.query(`DELETE FROM notifications WHERE business_date = $1`, [D]);
    await pool.query(`UPDATE workflow_stays SET next_on = $1, last_sent_on = $2`, [D, plus(D, -7)]);
    const [a, b] = [await pool.connect(), await pool.connect()];
    try {
      await a.query('BEGIN');
      await b.query('BEGIN');
      expect(await planNotifications(a, D, 'Asia/Tehran')).toBe(1);
      let secondDone = false;
      const second = planNotifications(b, D, 'Asia/Tehran').then((n) => {
        secondDone = true;
        return n;
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(secondDone).toBe(false); // waiting for the first planner
      await a.query('COMMIT');
      expect(await second).toBe(0);
      await b.query('COMMIT');
    } finally {
      a.release();
      b.release();
    }
    expect(await sentOn('F1')).toEqual([plus(D, -7), D]);
  });
});

describe('ported from OCA credit-control (account_credit_control/tests)', () => {
  const D = '2025-10-04';
  const channelsOn = async () => (await planned()).map((n) => [n.business_date, n.channel, n.status]);

  it('a run on each of three dates sends one message, at the level of the delay; a second run of a date re-sends nothing', async () => {
    // OCA credit-control test_credit_control_run: test_multi_credit_control_run (three runs, one more
    // line each) and test_credit_control_policy: test_previous_level (a later run takes the next level)
    await book([overdue('F1', D, 5)]);
    await workflow({ from: 1, to: 30, channels: ['sms'] });
    await workflow({ from: 31, to: 60, channels: ['call'] });
    await workflow({ from: 61, to: null, channels: ['warning_notice'] });
    const counts: number[] = [];
    for (const date of [D, plus(D, 30), plus(D, 60)]) {
      counts.push((await run(date)).planned);
      expect((await run(date)).planned).toBe(0);
    }
    expect(counts).toEqual([1, 1, 1]);
    expect(await channelsOn()).toEqual([
      [D, 'sms', 'queued'],
      [plus(D, 30), 'call', 'queued'],
      [plus(D, 60), 'warning_notice', 'planned'],
    ]);
  });

  it('a run makes one message per facility in arrears that the workflow covers', async () => {
    // OCA credit-control test_credit_control_run: test_generate_credit_lines (one line per overdue
    // invoice of the policy, the run reports how many)
    await book([overdue('F1', D, 10), overdue('F2', D, 20), overdue('PAID', D, 0)]);
    await pool.query(`INSERT INTO settings (key, value) VALUES ('merged_message_template', '""')`);
    await workflow({ from: 1, to: 30 });
    expect((await run(D)).planned).toBe(2);
    expect((await planned()).map((n) => n.facility)).toEqual(['F1', 'F2']);
  });

  it('a facility of a loan type no workflow covers gets nothing until its workflow covers it', async () => {
    // OCA credit-control test_credit_control_policy: test_check_policy_against_account (an account
    // outside the policy is not followed until the policy includes it)
    await book([{ no: 'F1', loanType: 'L2', installments: [{ due: plus(D, -10), amount: 1000 }] }]);
    const id = await workflow({ from: 1, to: 30 });
    expect((await run(D)).planned).toBe(0);
    await pool.query(`INSERT INTO workflow_loan_types SELECT $1, id FROM loan_types WHERE code = 'L2'`, [id]);
    expect((await run(plus(D, 1))).planned).toBe(1);
    expect(await sentOn('F1')).toEqual([plus(D, 1)]);
  });

  it('a facility moved to another loan type follows that type’s workflow from the next run', async () => {
    // OCA credit-control test_res_partner: test_check_credit_policy (a partner given another policy)
    await book([overdue('F1', D, 10)]);
    await workflow({ from: 1, to: 30, repeat: 1, templates: { 'sms:borrower': 'گردش الف {{facility_no}}' } });
    await workflow({
      loanType: 'L2',
      from: 1,
      to: 30,
      repeat: 1,
      templates: { 'sms:borrower': 'گردش ب {{facility_no}}' },
    });
    await run(D);
    await pool.query(`UPDATE facilities SET loan_type_id = (SELECT id FROM loan_types WHERE code = 'L2')`);
    await markScheduleChanged(pool, 'F1');
    await run(plus(D, 1));
    expect((await planned()).map((n) => [n.business_date, n.text])).toEqual([
      [D, 'گردش الف F۱'],
      [plus(D, 1), 'گردش ب F۱'],
    ]);
  });
});
