import pg from 'pg';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  MERGED_PLACEHOLDER_KEYS,
  joinFacilityNos,
  mergedTemplateTextSchema,
  renderMergedTemplate,
} from '@vosul/common/workflows';
import { createTestDatabase } from '../../../test/harness.js';
import {
  addFacility,
  createBook,
  defineWorkflow,
  markScheduleChanged,
  plus,
  type FacilitySpec,
  type WorkflowSpec,
} from '../../../test/book.js';
import { SETTING_DEFAULTS, type ContactRules } from '../../platform/settings.js';
import { OPTED_OUT_REASON } from './contact-rules.repository.js';
import { runDay } from '../day-run/day-run.service.js';
import { QUIET_HOURS_CASES } from '../../../test/quiet-hours.cases.js';

/** B1: the contact rules the planner applies across workflows (contact-rules.repository.ts). */

const { url } = await createTestDatabase();
const pool = new pg.Pool({ connectionString: url, max: 4 });
afterAll(() => pool.end());

const q = async <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
  (await pool.query(text, params)).rows as T[];

const run = (date: string) => runDay(pool, { date, source: 'cli', timezone: 'Asia/Tehran' });

// 2025-10-04 is a Saturday; D+6 a Friday
const D = '2025-10-04';
const BORROWER = { mobile: '09121234567', national: '0012345679' };
const GUARANTOR = { mobile: '09351112233', national: '0098765432' };

/** A facility of borrower C1 (or `customer`) with one installment `days` overdue on D. */
const overdue = (no: string, days: number, amount = 1000, loanType: 'L1' | 'L2' = 'L1'): FacilitySpec => ({
  no,
  loanType,
  installments: [{ due: plus(D, -days), amount }],
});

const branchId = async (code: string) =>
  (await q<{ id: number }>(`SELECT id FROM branches WHERE code = $1`, [code]))[0]!.id;

async function book(facilities: FacilitySpec[]) {
  await createBook(pool, facilities, '2025-01-01');
  await pool.query(
    `UPDATE customers SET mobile = $1, national_id = $2, gender = 'M', email = 'ali@example.com',
       address = 'تهران، خیابان آزادی، پلاک ۱۲' WHERE customer_no = 'C1'`,
    [BORROWER.mobile, BORROWER.national],
  );
}

/** Customer C2 (مریم کریمی): guarantor of the facilities named, borrower of those in `borrows`. */
async function secondPerson(guarantees: string[], borrows: FacilitySpec[] = []) {
  await pool.query(
    `INSERT INTO customers (customer_no, first_name, last_name, gender, mobile, national_id, email, address, branch_id)
     SELECT 'C2', 'مریم', 'کریمی', 'F', $1, $2, 'maryam@example.com', 'اصفهان، خیابان چهارباغ', id
     FROM branches WHERE code = 'B1'`,
    [GUARANTOR.mobile, GUARANTOR.national],
  );
  for (const no of guarantees)
    await pool.query(
      `INSERT INTO guarantors (facility_id, seq, customer_id, first_name, last_name, national_id, mobile)
       SELECT f.id, 1, c.id, 'مریم', 'کریمی', $2, $3 FROM facilities f, customers c
       WHERE f.facility_no = $1 AND c.customer_no = 'C2'`,
      [no, GUARANTOR.national, GUARANTOR.mobile],
    );
  for (const f of borrows) {
    await addFacility(pool, f);
    await pool.query(
      `UPDATE facilities SET customer_id = (SELECT id FROM customers WHERE customer_no = 'C2') WHERE facility_no = $1`,
      [f.no],
    );
  }
}

const workflow = (w: WorkflowSpec = {}) =>
  defineWorkflow(pool, { text: 'تسهیلات {{facility_no}} {{overdue_days}} روز معوق است', ...w });

const setRules = (rules: Partial<ContactRules>) =>
  pool.query(`INSERT INTO settings (key, value) VALUES ('contact_rules', $1)`, [
    JSON.stringify({ ...SETTING_DEFAULTS.contact_rules, ...rules }),
  ]);

const setMergedTemplate = (text: string) =>
  pool.query(`INSERT INTO settings (key, value) VALUES ('merged_message_template', $1)`, [
    JSON.stringify(text),
  ]);

interface Row {
  date: string;
  nos: string[];
  facility: string;
  channel: string;
  role: string;
  address: string;
  status: string;
  held: string | null;
  text: string;
  key: string;
  at: string;
}

const rows = (where = 'true') =>
  q<Row>(
    `SELECT to_char(n.business_date, 'YYYY-MM-DD') AS date, n.facility_nos AS nos, f.facility_no AS facility,
       n.channel, n.recipient_role AS role, n.address, n.status, n.held_reason AS held, n.text,
       n.occasion_key AS key, to_char(n.scheduled_at AT TIME ZONE 'Asia/Tehran', 'HH24:MI') AS at
     FROM notifications n JOIN facilities f ON f.id = n.facility_id
     WHERE ${where}
     ORDER BY n.business_date, n.address, n.channel, f.facility_no`,
  );

beforeEach(async () => {
  await pool.query(
    'TRUNCATE letter_marks, notifications, notification_events, workflow_stays, contact_blocks',
  );
  await pool.query('DELETE FROM workflows');
  await pool.query(
    `DELETE FROM settings WHERE key IN ('contact_rules', 'merged_message_template', 'send_window_end', 'sms_opt_out')`,
  );
  await pool.query('TRUNCATE sms_opt_outs, inbound_sms');
});

describe('opt-out by «۱۱» (issue 6 point 2)', () => {
  /** the borrower's mobile replied «۱۱» to the bank's line, as the SMPP link records it */
  const optOut = () =>
    pool.query(
      `WITH i AS (INSERT INTO inbound_sms (provider, source, line, text, opt_out)
                  VALUES ('smpp', $1, '30001234', '۱۱', true) RETURNING id)
       INSERT INTO sms_opt_outs (mobile, line, inbound_sms_id) SELECT $1, '30001234', id FROM i`,
      [BORROWER.mobile],
    );
  const setOptOut = (value: Partial<(typeof SETTING_DEFAULTS)['sms_opt_out']>) =>
    pool.query(`INSERT INTO settings (key, value) VALUES ('sms_opt_out', $1)`, [
      JSON.stringify({ ...SETTING_DEFAULTS.sms_opt_out, ...value }),
    ]);

  it('holds the informational SMS of an opted-out mobile, never a legal warning, nor its calls', async () => {
    await book([
      overdue('F1', 10),
      overdue('F2', 40, 1000, 'L2'),
      { no: 'F3', loanType: 'L1', installments: [{ due: plus(D, 2), amount: 500 }] },
    ]);
    await workflow({ channels: ['sms', 'call'] }); // L1, days 1–90: an overdue notice
    await workflow({ loanType: 'L2', kind: 'legal_warning' });
    await workflow({ from: -3, to: -1 }); // L1, before the due date: a reminder
    await optOut();
    await run(D);
    expect((await rows()).map((r) => [r.facility, r.channel, r.status, r.held])).toEqual([
      ['F1', 'call', 'queued', null],
      ['F1', 'sms', 'held', OPTED_OUT_REASON],
      ['F2', 'sms', 'queued', null],
      ['F3', 'sms', 'held', OPTED_OUT_REASON],
    ]);
  });

  it('stops only the kinds the settings say; «لغو۱۱» ends every informational SMS when asked, never a legal warning', async () => {
    await book([overdue('F1', 10), overdue('F2', 40, 1000, 'L2')]);
    await workflow();
    await workflow({ loanType: 'L2', kind: 'legal_warning' });
    await optOut();
    await setOptOut({ stop_overdue_notice: false, append_text: true });
    await setMergedTemplate(''); // each facility's SMS apart
    await run(D);
    const sms = await rows();
    expect(sms.map((r) => [r.facility, r.status])).toEqual([
      ['F1', 'queued'],
      ['F2', 'queued'],
    ]);
    expect(sms[0]!.text).toMatch(/^تسهیلات .+ ۱۰ روز معوق است\nلغو۱۱$/);
    expect(sms[1]!.text).not.toContain('لغو۱۱');

    // merged into one SMS with the legal warning, the message is a legal warning: no «لغو۱۱»
    await pool.query('TRUNCATE letter_marks, notifications, notification_events, workflow_stays');
    await pool.query(`DELETE FROM settings WHERE key = 'merged_message_template'`);
    await run(D);
    const merged = await rows();
    expect(merged).toHaveLength(1);
    expect(merged[0]!.nos).toEqual(['F1', 'F2']);
    expect(merged[0]!.text).not.toContain('لغو۱۱');
  });
});

describe('do-not-contact (contact_blocks)', () => {
  it('holds SMS, calls and e-mails of a person blocked by national code; letters are still planned', async () => {
    await book([overdue('F1', 10)]);
    await pool.query(
      `INSERT INTO contact_blocks (national_code, person_name, reason) VALUES ($1, 'علی احمدی', 'درخواست مشتری')`,
      [BORROWER.national],
    );
    await workflow({ channels: ['sms', 'call', 'email', 'warning_notice'] });
    expect((await run(D)).planned).toBe(4);
    expect((await rows()).map((r) => [r.channel, r.status, r.held])).toEqual([
      ['call', 'held', 'عدم تماس: درخواست مشتری'],
      ['sms', 'held', 'عدم تماس: درخواست مشتری'],
      ['email', 'held', 'عدم تماس: درخواست مشتری'],
      ['warning_notice', 'planned', null],
    ]);
  });

  it('finds a person by mobile too; a block whose `until` has passed no longer applies', async () => {
    await book([overdue('F1', 10)]);
    await secondPerson(['F1']);
    await pool.query(
      `INSERT INTO contact_blocks (mobile, reason, until) VALUES ($1, 'شکایت در جریان', $3), ($2, 'قدیمی', $4)`,
      [GUARANTOR.mobile, BORROWER.mobile, D, plus(D, -1)],
    );
    await workflow({ recipients: ['borrower', 'guarantors'] });
    await run(D);
    expect((await rows()).map((r) => [r.role, r.status, r.held])).toEqual([
      ['borrower', 'queued', null],
      ['guarantor', 'held', 'عدم تماس: شکایت در جریان'],
    ]);
  });
});

describe('merging a person’s messages of a day', () => {
  const MERGED = MERGED_PLACEHOLDER_KEYS.map((k) => `${k}={{${k}}}`).join(' | ');

  it('merges within a branch: a guarantor of facilities in two branches gets one SMS from each, naming only its own', async () => {
    await book([overdue('F1', 10), overdue('F2', 40), { ...overdue('F3', 25), branch: 'B2' }]);
    await secondPerson(['F1', 'F2', 'F3']);
    await setMergedTemplate('{{recipient_name}}: {{facility_nos}}');
    await workflow({ recipients: ['guarantors'] });
    await run(D);
    const sms = await rows(`n.person_key = '${GUARANTOR.national}'`);
    expect(sms.map((r) => [r.nos, r.facility, r.status])).toEqual([
      [['F1', 'F2'], 'F2', 'queued'],
      [['F3'], 'F3', 'queued'],
    ]);
  });

  it('one person guarantor of three facilities and borrower of a fourth (another workflow) gets one SMS naming all four; e-mails joined; letters apart; a re-run writes nothing twice', async () => {
    await book([overdue('F1', 10, 1000), overdue('F2', 40, 2_000_000), overdue('F3', 25, 30_000)]);
    await secondPerson(['F1', 'F2', 'F3'], [overdue('F4', 15, 4_000_000, 'L2')]);
    await setMergedTemplate(MERGED);
    const channels = ['sms', 'email', 'intro_letter'];
    const w1 = await workflow({ channels, recipients: ['borrower', 'guarantors'] });
    await workflow({ channels, recipients: ['borrower'], loanType: 'L2' });
    const planned = (await run(D)).planned;

    const maryam = await rows(`n.person_key = '${GUARANTOR.national}'`);
    const sms = maryam.filter((r) => r.channel === 'sms');
    expect(sms).toHaveLength(1);
    const figures = await q<{
      no: string;
      id: string;
      overdue_days: number;
      overdue: string;
      collectible: string;
    }>(
      `SELECT f.facility_no AS no, f.id, ff.overdue_days, ff.overdue_amount AS overdue, ff.collectible_amount AS collectible
       FROM facilities f JOIN facility_figures ff ON ff.facility_id = f.id ORDER BY f.facility_no`,
    );
    const sum = (k: 'overdue' | 'collectible') => String(figures.reduce((s, f) => s + BigInt(f[k]), 0n));
    expect(sms[0]).toMatchObject({
      nos: ['F1', 'F2', 'F3', 'F4'],
      // the lead message is the most overdue facility's (F2, 40 days), under the person's key
      facility: 'F2',
      role: 'guarantor',
      address: GUARANTOR.mobile,
      status: 'queued',
      key: `person:${GUARANTOR.national}:${await branchId('B1')}:sms:${D}#1`,
      text: renderMergedTemplate(MERGED, {
        gender_title: 'F',
        recipient_name: 'مریم کریمی',
        facility_nos: joinFacilityNos(['F4', 'F3', 'F2', 'F1']),
        count: 4,
        overdue_days: 40,
        overdue_amount: sum('overdue'),
        collectible_amount: sum('collectible'),
      }),
    });
    expect(sms[0]!.text).toContain('facility_nos=F۱، F۲، F۳، F۴');
    expect(
      (
        await q<{ workflow_id: number }>(`SELECT workflow_id FROM notifications WHERE occasion_key = $1`, [
          sms[0]!.key,
        ])
      )[0],
    ).toEqual({ workflow_id: w1 });

    // e-mail: the texts one after another, most overdue first
    const email = maryam.filter((r) => r.channel === 'email');
    expect(email).toHaveLength(1);
    expect(email[0]!.nos).toEqual(['F1', 'F2', 'F3', 'F4']);
    expect(email[0]!.text).toBe(
      ['F۲ ۴۰', 'F۳ ۲۵', 'F۴ ۱۵', 'F۱ ۱۰'].map((s) => `تسهیلات ${s} روز معوق است`).join('\n\n'),
    );
    // letters are legal documents, one per facility
    expect(maryam.filter((r) => r.channel === 'intro_letter').map((r) => r.nos)).toEqual([
      ['F1'],
      ['F2'],
      ['F3'],
      ['F4'],
    ]);
    // the borrower of F1–F3 is another person: their own merged SMS
    const ali = await rows(`n.person_key = '${BORROWER.national}' AND n.channel = 'sms'`);
    expect(ali.map((r) => [r.nos, r.facility])).toEqual([[['F1', 'F2', 'F3'], 'F2']]);
    // SMS and e-mail merged for each person, four letters each for Maryam, three for Ali
    expect(planned).toBe(2 + 2 + 4 + 3);

    // the facility list finds the merged message by any of its facilities
    expect(
      await q(
        `SELECT count(*)::int AS n FROM notifications WHERE facility_nos @> ARRAY['F4'] AND channel = 'sms'`,
      ),
    ).toEqual([{ n: 1 }]);

    const before = await q('SELECT occasion_key, text, status FROM notifications ORDER BY occasion_key');
    expect((await run(D)).planned).toBe(0);
    expect(await q('SELECT occasion_key, text, status FROM notifications ORDER BY occasion_key')).toEqual(
      before,
    );

    // a facility she guarantees from later that day: its own message, under the day's cap with the merged one
    await addFacility(pool, overdue('F5', 12));
    await markScheduleChanged(pool, 'F5');
    await pool.query(
      `INSERT INTO guarantors (facility_id, seq, customer_id, first_name, last_name, national_id, mobile)
       SELECT f.id, 1, c.id, 'مریم', 'کریمی', $1, $2 FROM facilities f, customers c
       WHERE f.facility_no = 'F5' AND c.customer_no = 'C2'`,
      [GUARANTOR.national, GUARANTOR.mobile],
    );
    await run(D);
    expect(
      (await rows(`n.person_key = '${GUARANTOR.national}' AND n.channel = 'sms'`)).map((r) => [
        r.nos,
        r.status,
      ]),
    ).toEqual([
      [['F1', 'F2', 'F3', 'F4'], 'queued'],
      [['F5'], 'queued'],
    ]);
  });

  it('a person’s facilities at two levels get one message, from the higher level’s workflow', async () => {
    // OCA credit-control test_credit_control_run: test_generate_credit_lines_with_max_level (a partner's
    // lines of several invoices all at the partner's highest level)
    await book([overdue('F1', 20), overdue('F2', 45)]);
    await workflow({ from: 1, to: 30, text: 'یادآوری {{facility_no}}' });
    const level2 = await workflow({ from: 31, to: 60, text: 'اخطار {{facility_no}}' });
    expect((await run(D)).planned).toBe(1);
    const [row] = await q<{ workflow_id: number; facility_nos: string[] }>(
      'SELECT workflow_id, facility_nos FROM notifications',
    );
    expect(row).toEqual({ workflow_id: level2, facility_nos: ['F1', 'F2'] });
  });

  it('the merged text refuses an unknown placeholder by name; empty turns merging off', () => {
    const bad = mergedTemplateTextSchema.safeParse('{{recipient_name}} {{facility_no}}');
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toBe('متن پیام تجمیعی جای‌نگهدار ناشناخته دارد: {{facility_no}}');
    expect(mergedTemplateTextSchema.parse('  ')).toBe('');
  });

  it('leaves a single message as it is, and never merges held ones', async () => {
    await book([overdue('F1', 10), overdue('F2', 20)]);
    await secondPerson(['F1']);
    await pool.query(`UPDATE guarantors SET mobile = NULL`);
    await pool.query(`UPDATE customers SET mobile = NULL WHERE customer_no = 'C2'`);
    await workflow({ recipients: ['borrower', 'guarantors'] });
    await run(D);
    expect((await rows()).map((r) => [r.role, r.nos, r.status, r.key.startsWith('person:')])).toEqual([
      ['guarantor', ['F1'], 'held', false],
      ['borrower', ['F1', 'F2'], 'queued', true],
    ]);
  });

  it('a re-run of the date with two new occasions of a person already sent a merged SMS writes no second one, and does not fail', async () => {
    await book([overdue('F1', 10), overdue('F2', 20)]);
    await setMergedTemplate(MERGED);
    await workflow();
    await run(D);
    const first = await rows();
    expect(first.map((r) => [r.nos, r.key.startsWith('person:')])).toEqual([[['F1', 'F2'], true]]);
    // the core reports two more facilities of the same borrower in arrears; the date is run again
    await addFacility(pool, overdue('F3', 15));
    await addFacility(pool, overdue('F4', 25));
    await run(D);
    expect(await rows()).toEqual(first);
  });
});

/**
 * An outbox the statistics know as large (others' SMS of the day before), so the caps look a day's
 * people up by their index instead of reading the week's outbox whole (holdOverCaps).
 */
async function largeOutbox() {
  await pool.query(
    `INSERT INTO notifications (occasion_key, business_date, facility_id, facility_nos, branch_id, recipient_role,
       recipient_name, person_key, channel, address, text, scheduled_at, window_ends_at, next_try_at)
     SELECT 'other:' || g, $1::date - 1, -g, ARRAY['X' || g], b.id, 'borrower', 'دیگری', 'other-' || g, 'sms',
       '0912000' || lpad(g::text, 4, '0'), 'متن', now(), now(), now()
     FROM generate_series(1, 300) g, (SELECT min(id) AS id FROM branches) b`,
    [D],
  );
  await pool.query('ANALYZE notifications');
}

describe('caps per person and channel', () => {
  it('holds the least overdue SMS beyond the daily cap (merging off: each message apart)', async () => {
    await book([overdue('F1', 10), overdue('F2', 30), overdue('F3', 20)]);
    await setMergedTemplate('');
    await setRules({ sms_per_day: 2 });
    await workflow();
    await run(D);
    expect((await rows()).map((r) => [r.facility, r.status, r.held])).toEqual([
      ['F1', 'held', 'سقف پیامک روزانه (۲) برای این شخص پر شده است'],
      ['F2', 'queued', null],
      ['F3', 'queued', null],
    ]);
  });

  it.each([
    ['a small outbox', false],
    ['an outbox its statistics know as large (a person looked up by its index)', true],
  ])('counts the SMS of the seven days ending on the date (held ones do not count): %s', async (_, large) => {
    await book([overdue('F1', 10)]);
    if (large) await largeOutbox();
    await setRules({ sms_per_day: 5, sms_per_week: 3 });
    await workflow({ repeat: 1 });
    for (let d = D; d <= plus(D, 7); d = plus(d, 1)) await run(d);
    expect((await rows()).map((r) => [r.date, r.status, r.held])).toEqual([
      [D, 'queued', null],
      [plus(D, 1), 'queued', null],
      [plus(D, 2), 'queued', null],
      [plus(D, 3), 'held', 'سقف پیامک هفتگی (۳) برای این شخص پر شده است'],
      [plus(D, 4), 'held', 'سقف پیامک هفتگی (۳) برای این شخص پر شده است'],
      [plus(D, 5), 'held', 'سقف پیامک هفتگی (۳) برای این شخص پر شده است'],
      // D+6 is a Friday; on D+7 the week holds D+1 and D+2 only
      [plus(D, 7), 'queued', null],
    ]);
  });

  it.each([
    ['a small outbox', false],
    ['an outbox its statistics know as large', true],
  ])(
    'calls: a call planned by an earlier run of the date counts against the daily cap; the weekly cap too: %s',
    async (_, large) => {
      await book([overdue('F1', 10), overdue('F2', 20, 1000, 'L2')]);
      if (large) await largeOutbox();
      await setRules({ calls_per_day: 1, calls_per_week: 2 });
      await workflow({ channels: ['call'], repeat: 1 });
      await run(D);
      // a second workflow switched on, and the date run again
      await workflow({ channels: ['call'], loanType: 'L2' });
      await run(D);
      await run(plus(D, 1));
      await run(plus(D, 2));
      expect((await rows()).map((r) => [r.date, r.facility, r.status, r.held])).toEqual([
        [D, 'F1', 'queued', null],
        [D, 'F2', 'held', 'سقف تماس روزانه (۱) برای این شخص پر شده است'],
        [plus(D, 1), 'F1', 'queued', null],
        [plus(D, 2), 'F1', 'held', 'سقف تماس هفتگی (۲) برای این شخص پر شده است'],
      ]);
    },
  );
});

describe('quiet hours', () => {
  it('reads a span as the dispatcher does, also past midnight (shared cases)', async () => {
    for (const c of QUIET_HOURS_CASES) {
      const [row] = await q<{ quiet: boolean }>(
        'SELECT vosul_in_quiet_hours($1::time, $2::time, $3::time) AS quiet',
        [c.at, c.from, c.to],
      );
      expect({ ...c, quiet: row!.quiet }).toEqual(c);
    }
  });

  it('moves a message starting inside them to their end; holds it when that is past the send window', async () => {
    await book([overdue('F1', 10), overdue('F2', 10, 1000, 'L2')]);
    await pool.query(`INSERT INTO settings (key, value) VALUES ('send_window_end', '"14:00"')`);
    await setRules({ quiet_from: '22:00', quiet_to: '10:30' });
    await workflow({ channels: ['sms', 'intro_letter'], start: '09:00' });
    await workflow({ channels: ['call'], loanType: 'L2', start: '11:00' });
    await run(D);
    expect((await rows()).map((r) => [r.facility, r.channel, r.at, r.status])).toEqual([
      ['F2', 'call', '11:00', 'queued'],
      ['F1', 'sms', '10:30', 'queued'],
      // a letter is printed, not sent: no quiet hours
      ['F1', 'intro_letter', '09:00', 'planned'],
    ]);
    const [moved] = await q<{ next: string }>(
      `SELECT to_char(next_try_at AT TIME ZONE 'Asia/Tehran', 'HH24:MI') AS next FROM notifications WHERE channel = 'sms'`,
    );
    expect(moved).toEqual({ next: '10:30' });

    await pool.query('TRUNCATE letter_marks, notifications, notification_events, workflow_stays');
    await pool.query(`DELETE FROM settings WHERE key = 'contact_rules'`);
    await setRules({ quiet_from: '08:00', quiet_to: '15:00' });
    await run(plus(D, 1));
    expect((await rows()).map((r) => [r.channel, r.status, r.held])).toEqual([
      ['call', 'held', 'ساعات سکوت'],
      ['sms', 'held', 'ساعات سکوت'],
      ['intro_letter', 'planned', null],
    ]);
  });
});
