import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { ErrorBody } from '@vosul/common';
import type { Workflow } from '@vosul/common/workflows';
import { factory, logIn, logInAsAdmin, setupTestApp, type Session } from '../../../test/harness.js';

const { app, db } = await setupTestApp();
const admin = await logInAsAdmin(app);

const province = await factory.province(db, { name: 'خراسان' });
const home = await factory.branch(db, { provinceId: province.id, code: 'WF-HOME', name: 'شعبه مشهد مرکزی' });
const other = await factory.branch(db, { provinceId: province.id, code: 'WF-OTHER', name: 'شعبه نیشابور' });
await db
  .insertInto('loan_types')
  .values([
    { code: 'WL1', title: 'مرابحه' },
    { code: 'WL2', title: 'قرض‌الحسنه' },
  ])
  .execute();

/** A user of `branchId` whose only group grants the workflows page. */
async function branchUser(username: string, branchId: number): Promise<Session> {
  const user = await factory.user(db, { username, group: 'collection_officer', branchId });
  const group = await db
    .insertInto('access_groups')
    .values({ title: `گردش کار ${username}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('access_group_pages').values({ group_id: group.id, page_key: 'workflows' }).execute();
  await db.deleteFrom('user_groups').where('user_id', '=', user.id).execute();
  await db.insertInto('user_groups').values({ user_id: user.id, group_id: group.id }).execute();
  return logIn(app, username, 'password-1234');
}

let n = 0;
/** A valid workflow body: SMS to the borrower, overdue days 1–30, loan type WL1, all branches. */
function body(fields: Record<string, unknown> = {}) {
  n += 1;
  return {
    title: `گردش کار ${n}`,
    loan_type_codes: ['WL1'],
    branch_codes: [],
    from_day: 1,
    to_day: 30,
    min_overdue_amount: '0',
    channels: ['sms'],
    recipients: ['borrower'],
    per_day: 1,
    start_time: '09:00',
    interval_minutes: 0,
    repeat_every_days: 0,
    active: true,
    templates: [
      {
        channel: 'sms',
        recipient_role: 'borrower',
        text: '{{gender_title}} {{borrower_last_name}}، تسهیلات {{facility_no}} معوق است.',
      },
    ],
    ...fields,
  };
}

async function create(s: Session, fields: Record<string, unknown> = {}) {
  const res = await s.post('/api/v1/workflows', body(fields));
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ workflow: Workflow }>().workflow;
}

const errorOf = (res: { json: <T>() => T }) => res.json<ErrorBody>().error;

async function removeAll() {
  await db.deleteFrom('workflows').execute();
}

describe('workflows: define, list, search, edit, delete', () => {
  it('creates a workflow in the interchange shape and reads it back', async () => {
    const res = await admin.post(
      '/api/v1/workflows',
      body({
        title: 'هشدار ۶۱ روز',
        loan_type_codes: ['WL2', 'WL1'],
        branch_codes: ['WF-HOME'],
        from_day: '۶۱',
        to_day: null,
        min_overdue_amount: '۵٬۰۰۰٬۰۰۰',
        channels: ['call', 'sms'],
        recipients: ['borrower', 'guarantors'],
        per_day: 3,
        start_time: '9:30',
        interval_minutes: 120,
        repeat_every_days: 7,
        templates: [
          { channel: 'sms', recipient_role: 'borrower', text: 'پیامک وام‌گیرنده {{overdue_days}}' },
          { channel: 'sms', recipient_role: 'guarantor', text: 'پیامک ضامن {{guarantor_last_name}}' },
          { channel: 'call', recipient_role: 'borrower', text: 'تماس وام‌گیرنده' },
          { channel: 'call', recipient_role: 'guarantor', text: 'تماس ضامن' },
          { channel: 'email', recipient_role: 'borrower', text: 'کانال انتخاب‌نشده: دور ریخته می‌شود' },
        ],
      }),
    );
    expect(res.statusCode, res.body).toBe(201);
    const { workflow } = res.json<{ workflow: Workflow }>();
    expect(workflow).toMatchObject({
      title: 'هشدار 61 روز', // digits normalised like every typed text
      loan_type_codes: ['WL1', 'WL2'],
      branch_codes: ['WF-HOME'],
      from_day: 61,
      to_day: null,
      min_overdue_amount: '5000000',
      channels: ['sms', 'call'],
      recipients: ['borrower', 'guarantors'],
      per_day: 3,
      start_time: '09:30',
      interval_minutes: 120,
      repeat_every_days: 7,
      message_kind: 'overdue_notice', // none given, after the due date
      active: true,
      version: 1,
    });
    expect(workflow.templates.map((t) => `${t.channel}/${t.recipient_role}`)).toEqual([
      'sms/borrower',
      'sms/guarantor',
      'call/borrower',
      'call/guarantor',
    ]);
    const read = await admin.get(`/api/v1/workflows/${workflow.id}`);
    expect(read.json<Workflow>()).toEqual(workflow);
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('entity', '=', 'workflow')
      .where('entity_id', '=', String(workflow.id))
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['create']);
    await removeAll();
  });

  it('takes the kind of message (for the «۱۱» opt-out): a reminder by default before the due date, a legal warning when said', async () => {
    const reminder = await create(admin, { from_day: -5, to_day: -1 });
    expect(reminder.message_kind).toBe('reminder');
    const legal = await create(admin, { loan_type_codes: ['WL2'], message_kind: 'legal_warning' });
    expect(legal.message_kind).toBe('legal_warning');
    const edited = await admin.patch(`/api/v1/workflows/${legal.id}`, {
      version: legal.version,
      message_kind: 'overdue_notice',
    });
    expect(edited.json<{ workflow: Workflow }>().workflow.message_kind).toBe('overdue_notice');
    const bad = await admin.post('/api/v1/workflows', body({ message_kind: 'spam' }));
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad)).toMatchObject({
      field: 'message_kind',
      message: expect.stringContaining('نوع پیام گردش کار نامعتبر است') as string,
    });
    await removeAll();
  });

  it('searches every column: title, loan type, branch name, channel label, days; Persian digits and ي/ك', async () => {
    const a = await create(admin, { title: 'پیگیری کوتاه', branch_codes: ['WF-HOME'] });
    const b = await create(admin, {
      title: 'اخطار بلند',
      loan_type_codes: ['WL2'],
      from_day: 181,
      to_day: null,
      channels: ['warning_notice'],
      templates: [{ channel: 'warning_notice', recipient_role: 'borrower', text: 'اخطاریه' }],
    });
    const ids = async (q: string) =>
      (await admin.get(`/api/v1/workflows?q=${encodeURIComponent(q)}`))
        .json<{ items: Workflow[] }>()
        .items.map((w) => w.id)
        .sort();
    expect(await ids('كوتاه')).toEqual([a.id]); // Arabic ك
    expect(await ids('قرض')).toEqual([b.id]); // loan type title
    expect(await ids('WL1')).toEqual([a.id]); // loan type code
    expect(await ids('مشهد')).toEqual([a.id]); // branch name
    expect(await ids('همه شعب')).toEqual([b.id]);
    expect(await ids('اخطاریه')).toEqual([b.id]); // channel label
    expect(await ids('۱۸۱')).toEqual([b.id]); // days, Persian digits
    // the export holds the same matches, in Persian
    const exported = await admin.get(`/api/v1/workflows/export?q=${encodeURIComponent('قرض')}`);
    expect(exported.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(exported.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(2);
    expect(sheet.getRow(2).getCell(1).text).toBe('اخطار بلند');
    expect(sheet.getRow(2).getCell(2).text).toBe('۱۸۱ روز و بیشتر');
    expect(sheet.getRow(2).getCell(4).text).toBe('همه شعب');
    const page = (await admin.get('/api/v1/workflows?page_size=1')).json<{
      items: Workflow[];
      total: number;
    }>();
    expect(page.total).toBe(2);
    expect(page.items).toHaveLength(1);
    await removeAll();
  });

  it('edits with the loaded version, refuses a stale edit, deletes one and many', async () => {
    const a = await create(admin);
    const edited = await admin.patch(`/api/v1/workflows/${a.id}`, {
      version: a.version,
      title: 'عنوان تازه',
      to_day: 20,
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json<{ workflow: Workflow }>().workflow).toMatchObject({
      title: 'عنوان تازه',
      to_day: 20,
      version: 2,
      loan_type_codes: ['WL1'],
    });
    const stale = await admin.patch(`/api/v1/workflows/${a.id}`, { version: a.version, title: 'دیر' });
    expect(stale.statusCode).toBe(409);
    expect(errorOf(stale).code).toBe('stale_edit');

    expect((await admin.delete(`/api/v1/workflows/${a.id}`)).statusCode).toBe(204);
    expect((await admin.get(`/api/v1/workflows/${a.id}`)).statusCode).toBe(404);

    const b = await create(admin, { from_day: 1, to_day: 10 });
    const c = await create(admin, { from_day: 11, to_day: 20 });
    // all or nothing: an unknown id keeps both
    expect((await admin.post('/api/v1/workflows/delete', { ids: [b.id, 999999] })).statusCode).toBe(404);
    expect((await admin.post('/api/v1/workflows/delete', { ids: [b.id, c.id] })).statusCode).toBe(204);
    expect((await admin.get('/api/v1/workflows')).json<{ total: number }>().total).toBe(0);
    const deletes = await db
      .selectFrom('audit_log')
      .select('entity_id')
      .where('entity', '=', 'workflow')
      .where('action', '=', 'delete')
      .execute();
    expect(deletes.map((d) => Number(d.entity_id)).sort()).toEqual([a.id, b.id, c.id].sort());
  });
});

describe('workflows: validation', () => {
  it('refuses an unknown placeholder with 400 naming the field and the placeholder', async () => {
    const res = await admin.post(
      '/api/v1/workflows',
      body({ templates: [{ channel: 'sms', recipient_role: 'borrower', text: 'سلام {{nick_name}}' }] }),
    );
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).field).toBe('templates.0.text');
    expect(errorOf(res).message).toContain('{{nick_name}}');
  });

  it('refuses a range across day 0, on create and on an edit of one end', async () => {
    const res = await admin.post('/api/v1/workflows', body({ from_day: -5, to_day: 10 }));
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).field).toBe('to_day');
    expect(errorOf(res).message).toContain('صفر');
    const a = await create(admin, { from_day: 1, to_day: 30 });
    const edit = await admin.patch(`/api/v1/workflows/${a.id}`, { version: a.version, from_day: -3 });
    expect(edit.statusCode).toBe(400);
    expect(errorOf(edit).field).toBe('to_day');
    await removeAll();
  });

  it('asks for the text of every channel × recipient, and refuses unknown loan types', async () => {
    const res = await admin.post('/api/v1/workflows', body({ recipients: ['borrower', 'guarantors'] }));
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).field).toBe('templates');
    expect(errorOf(res).message).toContain('ضامن');
    const unknownType = await admin.post('/api/v1/workflows', body({ loan_type_codes: ['NOPE'] }));
    expect(unknownType.statusCode).toBe(400);
    expect(errorOf(unknownType).field).toBe('loan_type_codes');
    expect(errorOf(unknownType).message).toContain('NOPE');
  });
});

describe('workflows: overlap', () => {
  it('refuses a second active workflow sharing a loan type, a branch and days, naming the first and the days', async () => {
    await create(admin, { title: 'اول', from_day: 1, to_day: 30, branch_codes: ['WF-HOME'] });
    const res = await admin.post(
      '/api/v1/workflows',
      body({ title: 'دوم', from_day: 20, to_day: 60, branch_codes: ['WF-HOME', 'WF-OTHER'] }),
    );
    expect(res.statusCode).toBe(409);
    expect(errorOf(res).code).toBe('workflow_overlap');
    expect(errorOf(res).message).toContain('«اول»');
    expect(errorOf(res).message).toContain('روزهای ۲۰ تا ۳۰');
    // touching ranges share no day; another branch or loan type shares nothing
    await create(admin, { from_day: 31, to_day: 60, branch_codes: ['WF-HOME'] });
    await create(admin, { from_day: 1, to_day: 30, branch_codes: ['WF-OTHER'] });
    await create(admin, { from_day: 1, to_day: 30, loan_type_codes: ['WL2'], branch_codes: ['WF-HOME'] });
    await removeAll();
  });

  it('treats all branches as sharing every branch, and open ranges as endless', async () => {
    await create(admin, { title: 'همه شعب بی‌پایان', from_day: 90, to_day: null });
    const res = await admin.post(
      '/api/v1/workflows',
      body({ from_day: 400, to_day: 500, branch_codes: ['WF-OTHER'] }),
    );
    expect(res.statusCode).toBe(409);
    expect(errorOf(res).message).toContain('«همه شعب بی‌پایان»');
    expect(errorOf(res).message).toContain('روزهای ۴۰۰ تا ۵۰۰');
    await removeAll();
  });

  it('compares reminders before the due date among themselves only', async () => {
    await create(admin, { title: 'یادآوری', from_day: -5, to_day: -1 });
    await create(admin, { from_day: 1, to_day: null });
    const res = await admin.post('/api/v1/workflows', body({ from_day: -2, to_day: -1 }));
    expect(res.statusCode).toBe(409);
    expect(errorOf(res).message).toContain('«یادآوری»');
    expect(errorOf(res).message).toContain('۲ تا ۱ روز پیش از سررسید');
    await removeAll();
  });

  it('lets inactive workflows overlap, but refuses activating one that overlaps', async () => {
    await create(admin, { title: 'فعال', from_day: 1, to_day: 30 });
    const idle = await create(admin, { title: 'غیرفعال', from_day: 10, to_day: 40, active: false });
    const res = await admin.patch(`/api/v1/workflows/${idle.id}`, { version: idle.version, active: true });
    expect(res.statusCode).toBe(409);
    expect(errorOf(res).code).toBe('workflow_overlap');
    expect(errorOf(res).message).toContain('«فعال»');
    expect(errorOf(res).message).toContain('روزهای ۱۰ تا ۳۰');
    expect((await admin.get(`/api/v1/workflows/${idle.id}`)).json<Workflow>().active).toBe(false);
    await removeAll();
  });

  it('lets only one of two concurrent overlapping saves pass', async () => {
    const answers = await Promise.all([
      admin.post('/api/v1/workflows', body({ from_day: 1, to_day: 30 })),
      admin.post('/api/v1/workflows', body({ from_day: 15, to_day: 45 })),
    ]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409]);
    await removeAll();
  });
});

describe('workflows: scope', () => {
  it('shows a branch user only workflows wholly inside its branch, and lets it create none for all branches', async () => {
    const mine = await create(admin, { title: 'شعبه من', branch_codes: ['WF-HOME'] });
    const theirs = await create(admin, { title: 'شعبه دیگر', branch_codes: ['WF-OTHER'] });
    const both = await create(admin, {
      title: 'هر دو',
      branch_codes: ['WF-HOME', 'WF-OTHER'],
      from_day: 31,
      to_day: 60,
    });
    const all = await create(admin, { title: 'همه', from_day: 100, to_day: 200 });
    const clerk = await branchUser('wfclerk', home.id);

    const seen = (await clerk.get('/api/v1/workflows')).json<{ items: Workflow[] }>().items.map((w) => w.id);
    expect(seen).toEqual([mine.id]);
    for (const w of [theirs, both, all]) {
      expect((await clerk.get(`/api/v1/workflows/${w.id}`)).statusCode).toBe(404);
      expect(
        (await clerk.patch(`/api/v1/workflows/${w.id}`, { version: w.version, title: 'x' })).statusCode,
      ).toBe(404);
      expect((await clerk.delete(`/api/v1/workflows/${w.id}`)).statusCode).toBe(404);
    }
    const everyBranch = await clerk.post('/api/v1/workflows', body({ from_day: 300, to_day: 400 }));
    expect(everyBranch.statusCode).toBe(403);
    expect(errorOf(everyBranch).field).toBe('branch_codes');
    const nextBranch = await clerk.post(
      '/api/v1/workflows',
      body({ from_day: 300, to_day: 400, branch_codes: ['WF-OTHER'] }),
    );
    expect(nextBranch.statusCode).toBe(400);
    expect(errorOf(nextBranch).field).toBe('branch_codes');
    // nor move its own workflow to the next branch
    const moved = await clerk.patch(`/api/v1/workflows/${mine.id}`, {
      version: mine.version,
      branch_codes: ['WF-OTHER'],
    });
    expect(moved.statusCode).toBe(400);
    const options = (await clerk.get('/api/v1/workflows/options')).json<{
      branches: { code: string }[];
      all_branches_allowed: boolean;
    }>();
    expect(options.branches.map((b) => b.code)).toEqual(['WF-HOME']);
    expect(options.all_branches_allowed).toBe(false);
    await removeAll();
  });

  it('answers 403 to a user whose groups lack the page', async () => {
    await factory.user(db, { username: 'wfofficer', group: 'collection_officer', branchId: home.id });
    const officer = await logIn(app, 'wfofficer', 'password-1234');
    expect((await officer.get('/api/v1/workflows')).statusCode).toBe(403);
    expect(
      (
        await officer.post('/api/v1/workflows/preview', {
          text: 'x',
          channel: 'sms',
          recipient_role: 'borrower',
        })
      ).statusCode,
    ).toBe(403);
  });
});

describe('workflows: loan types in use', () => {
  it('refuses to delete a loan type a workflow uses, naming گردش کار', async () => {
    const type = await db
      .insertInto('loan_types')
      .values({ code: 'WL-USED', title: 'نوع در گردش کار' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await create(admin, { loan_type_codes: ['WL-USED'] });
    const res = await admin.post('/api/v1/loan-types/delete', { ids: [type.id] });
    expect(res.statusCode).toBe(409);
    expect(errorOf(res).code).toBe('in_use');
    expect(errorOf(res).message).toContain('۱ گردش کار');
    await removeAll();
  });
});

// A borrower of the home branch 45 days in arrears, with a guarantor (as the intake and a run leave it).
await sql`INSERT INTO customers (customer_no, first_name, last_name, gender, branch_id)
  VALUES ('5500123', 'زهرا', 'رضایی', 'F', ${home.id})`.execute(db);
await sql`INSERT INTO facilities (facility_no, customer_id, branch_id, loan_type_id, granted_on, principal)
  VALUES ('8800777', (SELECT id FROM customers WHERE customer_no = '5500123'), ${home.id},
          (SELECT id FROM loan_types WHERE code = 'WL1'), '2024-01-01', 900000000)`.execute(db);
await sql`INSERT INTO installments (facility_id, seq, due_on, amount, paid_amount)
  SELECT id, 1, '2025-01-20', 16000000, 1000000 FROM facilities WHERE facility_no = '8800777'`.execute(db);
await sql`INSERT INTO guarantors (facility_id, seq, first_name, last_name)
  SELECT id, 1, 'حسن', 'کریمی' FROM facilities WHERE facility_no = '8800777'`.execute(db);
await sql`INSERT INTO facility_figures_stored (facility_id, as_of, overdue_installments, overdue_days, oldest_due_on,
    overdue_amount, unpaid_amount, penalty, collectible_amount, cbi_class)
  SELECT id, '2025-03-06', 1, 45, '2025-01-20', 15000000, 15000000, 250000, 15250000, 'current'
  FROM facilities WHERE facility_no = '8800777'`.execute(db);

describe('template preview', () => {
  const text =
    '{{gender_title}} {{borrower_last_name}}، تسهیلات {{facility_no}} شما {{overdue_days}} روز معوق است؛ ' +
    'مبلغ قابل وصول {{collectible_amount}} ریال، سررسید {{due_date}}، قسط {{installment_amount}}، {{branch_name}}';

  it('renders on the scope\u2019s longest arrears with Persian digits, separators and a Jalali date, with SMS parts', async () => {
    const res = await admin.post('/api/v1/workflows/preview', {
      text,
      channel: 'sms',
      recipient_role: 'borrower',
    });
    expect(res.statusCode, res.body).toBe(200);
    const preview = res.json<{
      text: string;
      facility_no: string;
      sample: boolean;
      sms: { parts: number; encoding: string };
    }>();
    expect(preview.text).toBe(
      'سرکار خانم رضایی، تسهیلات ۸۸۰۰۷۷۷ شما ۴۵ روز معوق است؛ مبلغ قابل وصول ۱۵٬۲۵۰٬۰۰۰ ریال، ' +
        'سررسید ۱۴۰۳/۱۱/۰۱، قسط ۱۵٬۰۰۰٬۰۰۰، شعبه مشهد مرکزی',
    );
    expect(preview).toMatchObject({
      facility_no: '8800777',
      sample: false,
      sms: { encoding: 'ucs2', parts: 3 },
    });
  });

  it('renders the guarantor\u2019s text on the facility\u2019s guarantor, and a named facility only in scope', async () => {
    const res = await admin.post('/api/v1/workflows/preview', {
      text: 'ضامن گرامی {{guarantor_first_name}} {{guarantor_last_name}}',
      channel: 'sms',
      recipient_role: 'guarantor',
      facility_no: '۸۸۰۰۷۷۷',
    });
    expect(res.json<{ text: string }>().text).toBe('ضامن گرامی حسن کریمی');
    const stranger = await branchUser('wfstranger', other.id);
    const hidden = await stranger.post('/api/v1/workflows/preview', {
      text,
      channel: 'sms',
      recipient_role: 'borrower',
      facility_no: '8800777',
    });
    expect(hidden.statusCode).toBe(404);
    expect(errorOf(hidden).field).toBe('facility_no');
    // with no facility in its scope, made-up values show the shape of the text
    const sample = await stranger.post('/api/v1/workflows/preview', {
      text,
      channel: 'sms',
      recipient_role: 'borrower',
    });
    expect(sample.json<{ sample: boolean; facility_no: string | null }>()).toMatchObject({
      sample: true,
      facility_no: null,
    });
  });

  it('refuses an unknown placeholder in the preview too', async () => {
    const res = await admin.post('/api/v1/workflows/preview', {
      text: '{{x}}',
      channel: 'sms',
      recipient_role: 'borrower',
    });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).field).toBe('text');
  });
});
