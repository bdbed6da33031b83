import { describe, expect, it } from 'vitest';
import { LOAN_TYPE_RULE_LABELS, type LoanTypeRulesRecord } from '@vosul/common/loan-type-rules';
import { factory, logIn, logInAsAdmin, setupTestApp } from '../../../test/harness.js';

const { app, db } = await setupTestApp();
const admin = await logInAsAdmin(app);

type ErrorBody = { error: { code: string; message: string; field?: string } };

let counter = 0;
async function createLoanType() {
  counter += 1;
  const res = await admin.post('/api/v1/loan-types', { code: `LR${counter}`, title: `نوع وام ${counter}` });
  expect(res.statusCode).toBe(201);
  return res.json<{ id: number }>().id;
}
const rulesUrl = (id: number) => `/api/v1/loan-types/${id}/rules`;
const readRules = async (id: number) => (await admin.get(rulesUrl(id))).json<LoanTypeRulesRecord>();

const VALID = {
  past_due_after: 90,
  deferred_after: 180,
  doubtful_after: 540,
  penalty_rate: '',
  day_basis: 365,
  class_holds: 'overdue',
  head_current: 'current',
  head_past_due: 'past_due',
  head_deferred: 'deferred',
  head_doubtful: 'doubtful',
};

describe('/api/v1/loan-types/:id/rules (P7)', () => {
  it('reads the directive defaults of a new loan type; 404 for an unknown one', async () => {
    const id = await createLoanType();
    const res = await admin.get(rulesUrl(id));
    expect(res.statusCode).toBe(200);
    expect(res.json<LoanTypeRulesRecord>()).toEqual({
      id,
      code: `LR${counter}`,
      title: `نوع وام ${counter}`,
      past_due_after: 60,
      deferred_after: 180,
      doubtful_after: 540,
      penalty_rate: null,
      day_basis: 365,
      class_holds: 'overdue',
      head_current: 'current',
      head_past_due: 'past_due',
      head_deferred: 'deferred',
      head_doubtful: 'doubtful',
      version: 1,
    });
    expect((await admin.get(rulesUrl(999999))).statusCode).toBe(404);
    expect((await admin.patch(rulesUrl(999999), { ...VALID, version: 1 })).statusCode).toBe(404);
  });

  it('saves a change typed in Persian digits, bumps the version and audits before and after', async () => {
    const id = await createLoanType();
    const res = await admin.patch(rulesUrl(id), {
      past_due_after: '۹۰',
      deferred_after: '٢٠٠',
      doubtful_after: 720,
      penalty_rate: '۲۰٫۵',
      day_basis: 360,
      class_holds: 'unpaid',
      head_current: '1401',
      head_past_due: '1402-A',
      head_deferred: '1403.1',
      head_doubtful: 'D_1404',
      version: 1,
    });
    expect(res.statusCode).toBe(200);
    const expected = {
      past_due_after: 90,
      deferred_after: 200,
      doubtful_after: 720,
      penalty_rate: '20.5',
      day_basis: 360,
      class_holds: 'unpaid',
      head_current: '1401',
      head_past_due: '1402-A',
      head_deferred: '1403.1',
      head_doubtful: 'D_1404',
      version: 2,
    };
    expect(res.json()).toMatchObject(expected);
    expect(await readRules(id)).toMatchObject(expected);
    // the catalogue's own record keeps its code and title
    expect((await admin.get(`/api/v1/loan-types/${id}`)).json()).toMatchObject({
      code: `LR${counter}`,
      version: 2,
    });

    // emptying the penalty rate returns to «contract rate + 6»; a partial change keeps the rest
    const back = await admin.patch(rulesUrl(id), { penalty_rate: '', version: 2 });
    expect(back.statusCode).toBe(200);
    expect(back.json()).toMatchObject({
      penalty_rate: null,
      head_current: '1401',
      past_due_after: 90,
      version: 3,
    });

    const audit = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity', '=', 'loan_type')
      .where('entity_id', '=', String(id))
      .orderBy('id')
      .execute();
    expect(audit.map((r) => r.action)).toEqual(['create', 'update', 'update']);
    expect(audit[1]).toMatchObject({ actor_username: 'admin' });
    expect(audit[1]!.before).toMatchObject({
      past_due_after: 60,
      penalty_rate: null,
      head_current: 'current',
    });
    expect(audit[1]!.after).toMatchObject({ past_due_after: 90, penalty_rate: '20.5', head_current: '1401' });
    expect(audit[2]!.after).toMatchObject({ penalty_rate: null });
  });

  it('refuses each invalid value with 400 naming its field in Persian, and saves nothing', async () => {
    const id = await createLoanType();
    const before = await readRules(id);
    const cases: [Record<string, unknown>, keyof typeof LOAN_TYPE_RULE_LABELS | 'version'][] = [
      [{ ...VALID, past_due_after: 3651 }, 'past_due_after'],
      [{ ...VALID, past_due_after: -1 }, 'past_due_after'],
      [{ ...VALID, past_due_after: 1.5 }, 'past_due_after'],
      [{ ...VALID, past_due_after: '' }, 'past_due_after'],
      [{ ...VALID, deferred_after: 'صد' }, 'deferred_after'],
      [{ ...VALID, deferred_after: 90 }, 'deferred_after'],
      [{ ...VALID, doubtful_after: 100 }, 'doubtful_after'],
      [{ ...VALID, penalty_rate: '100.5' }, 'penalty_rate'],
      [{ ...VALID, penalty_rate: '12.34567' }, 'penalty_rate'],
      [{ ...VALID, penalty_rate: '-1' }, 'penalty_rate'],
      [{ ...VALID, penalty_rate: 'شش' }, 'penalty_rate'],
      [{ ...VALID, day_basis: 364 }, 'day_basis'],
      [{ ...VALID, class_holds: 'all' }, 'class_holds'],
      [{ ...VALID, head_current: '' }, 'head_current'],
      [{ ...VALID, head_past_due: 'سرفصل' }, 'head_past_due'],
      [{ ...VALID, head_deferred: 'A'.repeat(31) }, 'head_deferred'],
      [{ ...VALID, head_doubtful: 'a b' }, 'head_doubtful'],
      [{ ...VALID, head_doubtful: 'past_due' }, 'head_doubtful'],
      // a partial change is checked against what is stored (past due 60, deferred 180, heads by name)
      [{ deferred_after: 60 }, 'deferred_after'],
      [{ doubtful_after: 180 }, 'doubtful_after'],
      [{ head_deferred: 'current' }, 'head_deferred'],
      [{ ...VALID, version: undefined }, 'version'],
    ];
    for (const [body, field] of cases) {
      const res = await admin.patch(rulesUrl(id), { version: before.version, ...body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      const error = res.json<ErrorBody>().error;
      expect(error.field, JSON.stringify(body)).toBe(field);
      if (field !== 'version') expect(error.message).toContain(LOAN_TYPE_RULE_LABELS[field]);
    }
    expect(await readRules(id)).toEqual(before);
  });

  it('answers 409 stale_edit to an edit from an old version and keeps the first save', async () => {
    const id = await createLoanType();
    expect((await admin.patch(rulesUrl(id), { ...VALID, past_due_after: 70, version: 1 })).statusCode).toBe(
      200,
    );
    const stale = await admin.patch(rulesUrl(id), { ...VALID, past_due_after: 80, version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json<ErrorBody>().error.code).toBe('stale_edit');
    expect(await readRules(id)).toMatchObject({ past_due_after: 70, version: 2 });
  });

  it('lets only HQ users change the parameters; others with the page read; others are refused', async () => {
    const id = await createLoanType();
    const branch = await factory.branch(db);
    await factory.user(db, { username: 'rules_branch', group: 'hq_admin', branchId: branch.id });
    const s = await logIn(app, 'rules_branch', 'password-1234');
    expect((await s.get(rulesUrl(id))).statusCode).toBe(200);
    const res = await s.patch(rulesUrl(id), { ...VALID, version: 1 });
    expect(res.statusCode).toBe(403);
    expect(res.json<ErrorBody>().error.message).toContain('ستاد');
    expect(await readRules(id)).toMatchObject({ past_due_after: 60, version: 1 });

    await factory.user(db, { username: 'rules_officer', group: 'collection_officer' });
    const officer = await logIn(app, 'rules_officer', 'password-1234');
    expect((await officer.get(rulesUrl(id))).statusCode).toBe(403);
    expect((await officer.patch(rulesUrl(id), { ...VALID, version: 1 })).statusCode).toBe(403);
  });
});
