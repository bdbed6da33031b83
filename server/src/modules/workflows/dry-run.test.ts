import pg from 'pg';
import { beforeEach, describe, expect, it, afterAll } from 'vitest';
import { toJalali, toPersianDigits, type ErrorBody } from '@vosul/common';
import { smsParts, type DryRunResult, type Workflow } from '@vosul/common/workflows';
import { factory, logIn, logInAsAdmin, setupTestApp, type Session } from '../../../test/harness.js';
import { createBook, plus } from '../../../test/book.js';
import { runDay } from '../day-run/day-run.service.js';

/** B2: the dry run of a workflow (POST /workflows/:id/dry-run, POST /workflows/dry-run). */

const { app, db, url } = await setupTestApp();
const pool = new pg.Pool({ connectionString: url, max: 3 });
afterAll(() => pool.end());
const admin = await logInAsAdmin(app);

const q = async <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
  (await pool.query(text, params)).rows as T[];
const run = (date: string) => runDay(pool, { date, source: 'cli', timezone: 'Asia/Tehran' });
const errorOf = (res: { json: <T>() => T }) => res.json<ErrorBody>().error;

const D = '2025-10-04';
const TEXT = '{{gender_title}} {{borrower_last_name}}، تسهیلات {{facility_no}} {{overdue_days}} روز معوق است';

/** Borrower C1 (reachable) with F1 and F2 at branch B1 (so they merge); F1's guarantor has no mobile nor address. */
async function book() {
  await createBook(
    pool,
    [
      { no: 'F1', installments: [{ due: plus(D, -10), amount: 1000 }] },
      { no: 'F2', installments: [{ due: plus(D, -30), amount: 5000 }] },
    ],
    '2025-01-01',
  );
  await pool.query(
    `UPDATE customers SET mobile = '09121234567', national_id = '0012345679', gender = 'M',
       address = 'تهران، خیابان آزادی' WHERE customer_no = 'C1'`,
  );
  await pool.query(`INSERT INTO guarantors (facility_id, seq, first_name, last_name)
    SELECT id, 1, 'رضا', 'نوری' FROM facilities WHERE facility_no = 'F1'`);
}

/** A workflow body: overdue days 10–90 of loan type L1, SMS, call and introduction letter to all. */
function body(fields: Record<string, unknown> = {}) {
  const channels = (fields.channels as string[] | undefined) ?? ['sms', 'call', 'intro_letter'];
  return {
    title: 'پیگیری ۱۰ تا ۹۰ روز',
    loan_type_codes: ['L1'],
    branch_codes: [],
    from_day: 10,
    to_day: 90,
    channels,
    recipients: ['borrower', 'guarantors'],
    start_time: '09:00',
    active: true,
    templates: channels.flatMap((channel) =>
      ['borrower', 'guarantor'].map((recipient_role) => ({ channel, recipient_role, text: TEXT })),
    ),
    ...fields,
  };
}

async function create(s: Session, fields: Record<string, unknown> = {}) {
  const res = await s.post('/api/v1/workflows', body(fields));
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ workflow: Workflow }>().workflow;
}

async function dryRun(s: Session, id: number | null, input: Record<string, unknown>) {
  return s.post(id === null ? '/api/v1/workflows/dry-run' : `/api/v1/workflows/${id}/dry-run`, input);
}

/** Everything a dry run must leave as it was. */
const state = async () => ({
  notifications: await q('SELECT * FROM notifications ORDER BY id'),
  stays: await q('SELECT * FROM workflow_stays ORDER BY workflow_id, facility_id, started_on'),
  figures: await q('SELECT * FROM facility_figures ORDER BY facility_id'),
  workflows: await q('SELECT id, title, version, active FROM workflows ORDER BY id'),
  templates: await q('SELECT * FROM workflow_templates ORDER BY workflow_id, channel, recipient_role'),
});

/** The outbox as dry-run items (same fields, same order). */
const outbox = () =>
  q<Record<string, unknown>>(
    `SELECT f.facility_no, n.facility_nos, n.recipient_role, n.recipient_name, n.address, n.channel, n.text,
       n.status, n.held_reason
     FROM notifications n JOIN facilities f ON f.id = n.facility_id
     ORDER BY f.facility_no, n.recipient_role, n.channel`,
  );

const sorted = (items: DryRunResult['items']) => {
  const key = (i: DryRunResult['items'][number]) =>
    [i.facility_no, i.recipient_role, i.channel].join('\u0000');
  return items
    .map(({ scheduled_at: _at, ...rest }) => ({ ...rest, sortKey: key({ ...rest, scheduled_at: '' }) }))
    .sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0))
    .map(({ sortKey: _k, ...rest }) => rest);
};

beforeEach(async () => {
  await pool.query(
    'TRUNCATE letter_marks, notifications, notification_events, workflow_stays, contact_blocks',
  );
  await pool.query('DELETE FROM workflows');
  await book();
});

describe('dry run of a saved workflow', () => {
  it('shows exactly what the day run then plans — merged, held, priced — and writes nothing', async () => {
    // figures as of the day before (F1 9 days overdue: not yet in the range)
    await run(plus(D, -1));
    const w = await create(admin);
    const before = await state();

    const res = await dryRun(admin, w.id, { date: D });
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json<DryRunResult>();
    expect(await state()).toEqual(before);

    const items = sorted(result.items);
    expect(items.map((i) => [i.facility_no, i.facility_nos, i.recipient_role, i.channel, i.status])).toEqual([
      // the borrower's SMS and calls of F1 and F2 merge into one each, led by F2 (30 days)
      ['F1', ['F1'], 'borrower', 'intro_letter', 'planned'],
      ['F1', ['F1'], 'guarantor', 'call', 'held'],
      ['F1', ['F1'], 'guarantor', 'intro_letter', 'held'],
      ['F1', ['F1'], 'guarantor', 'sms', 'held'],
      ['F2', ['F1', 'F2'], 'borrower', 'call', 'queued'],
      ['F2', ['F2'], 'borrower', 'intro_letter', 'planned'],
      ['F2', ['F1', 'F2'], 'borrower', 'sms', 'queued'],
    ]);
    const sms = items.find((i) => i.channel === 'sms' && i.status === 'queued')!;
    expect(sms.text).toContain('F۱، F۲');
    const parts = smsParts(sms.text).parts;
    expect(result).toMatchObject({
      date: D,
      count: 4,
      held: 3,
      sms_parts: parts,
      calls: 1,
      // default prices: 250 a part, one minute a call at 1,200
      cost: String(parts * 250 + 1200),
    });

    // the real run of the date writes the same messages
    expect((await run(D)).planned).toBe(7);
    expect(await outbox()).toEqual(items);
  });

  it('shows nothing for occasions the run of the date already made', async () => {
    const w = await create(admin);
    await run(D);
    const res = await dryRun(admin, w.id, { date: D });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<DryRunResult>()).toMatchObject({ items: [], count: 0, held: 0, cost: '0' });
  });

  it('refuses a date before the last run, naming the field', async () => {
    // OCA credit-control test_credit_control_run: test_check_run_date (a run older than the last is refused)
    const w = await create(admin);
    await run(D);
    const res = await dryRun(admin, w.id, { date: plus(D, -1) });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res)).toMatchObject({ field: 'date' });
    expect(errorOf(res).message).toContain(toPersianDigits(toJalali(D)));
  });

  it('answers 409 while a day run holds its lock', async () => {
    const w = await create(admin);
    const holder = await pool.connect();
    try {
      await holder.query('SELECT pg_advisory_lock(7446003)');
      const res = await dryRun(admin, w.id, { date: D });
      expect(res.statusCode).toBe(409);
      expect(errorOf(res).message).toContain('اجرای روز کاری در جریان است');
    } finally {
      await holder.query('SELECT pg_advisory_unlock(7446003)');
      holder.release();
    }
  });
});

describe('dry run of a draft', () => {
  it('tries a new workflow that is not saved, and an edit of a saved one without saving it', async () => {
    const before = await state();
    const res = await dryRun(admin, null, {
      date: D,
      // up to 15 days late: F1 (10 days), not F2 (30)
      workflow: body({
        channels: ['sms'],
        recipients: ['borrower'],
        branch_codes: ['B1'],
        to_day: 15,
        active: false,
      }),
    });
    expect(res.statusCode, res.body).toBe(200);
    const draft = res.json<DryRunResult>();
    expect(draft.items.map((i) => [i.facility_no, i.channel, i.status, i.text])).toEqual([
      ['F1', 'sms', 'queued', 'جناب آقای احمدی، تسهیلات F۱ ۱۰ روز معوق است'],
    ]);
    expect(await state()).toEqual(before);

    const saved = await create(admin, { channels: ['sms'], recipients: ['borrower'], active: false });
    const edited = await dryRun(admin, saved.id, {
      date: D,
      workflow: body({
        channels: ['sms'],
        recipients: ['borrower'],
        from_day: 20,
        templates: [{ channel: 'sms', recipient_role: 'borrower', text: 'یادآوری {{facility_no}}' }],
      }),
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json<DryRunResult>().items.map((i) => [i.facility_no, i.text])).toEqual([
      ['F2', 'یادآوری F۲'],
    ]);
    const after = (await admin.get(`/api/v1/workflows/${saved.id}`)).json<Workflow>();
    expect(after).toMatchObject({ from_day: 10, version: saved.version, templates: saved.templates });

    const none = await dryRun(admin, null, { date: D });
    expect(none.statusCode).toBe(400);
    expect(errorOf(none).field).toBe('workflow');
  });
});

describe('dry run: scope', () => {
  it('a branch user dry-runs only workflows of their branch; the next branch’s is not found', async () => {
    const b1 = await db
      .selectFrom('branches')
      .select('id')
      .where('code', '=', 'B1')
      .executeTakeFirstOrThrow();
    const user = await factory.user(db, {
      username: 'dryclerk',
      group: 'collection_officer',
      branchId: b1.id,
    });
    const group = await db
      .insertInto('access_groups')
      .values({ title: 'گردش کار شعبه' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('access_group_pages').values({ group_id: group.id, page_key: 'workflows' }).execute();
    await db.deleteFrom('user_groups').where('user_id', '=', user.id).execute();
    await db.insertInto('user_groups').values({ user_id: user.id, group_id: group.id }).execute();
    const clerk = await logIn(app, 'dryclerk', 'password-1234');

    const mine = await create(admin, { branch_codes: ['B1'] });
    const theirs = await create(admin, { branch_codes: ['B2'], loan_type_codes: ['L2'] });
    const everywhere = await create(admin, { loan_type_codes: ['L3'] });
    expect((await dryRun(clerk, mine.id, { date: D })).statusCode).toBe(200);
    for (const w of [theirs, everywhere]) {
      const res = await dryRun(clerk, w.id, { date: D });
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('F2');
    }
    // nor as a draft naming the next branch
    const draft = await dryRun(clerk, null, { date: D, workflow: body({ branch_codes: ['B2'] }) });
    expect(draft.statusCode).toBe(400);
    expect(errorOf(draft).field).toBe('branch_codes');
  });
});
